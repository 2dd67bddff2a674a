package dev.homelab.core.store.impl;

import dev.homelab.core.Page;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.files.FilePatch;
import dev.homelab.core.files.FileQuery;
import dev.homelab.core.files.FileRepository;
import dev.homelab.core.files.StoredFile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link FileRepository} over a {@link SqlTarget}, shared by both adapters. The owner filter is a
 * condition of every statement on files, never a check after the fact.
 */
public final class SqlFileRepository extends SqlRepositoryBase implements FileRepository {

  private static final String COLUMNS =
      "id, owner_id, filename, content_type, size, sha256, tags, created_at, updated_at";

  /**
   * @param db where the statements go
   */
  public SqlFileRepository(SqlTarget db) {
    super(db);
  }

  @Override
  public Future<Void> lockBlob(String sha256, long size) {
    // The upsert takes the row's lock (PostgreSQL) or runs under the one write lock (SQLite).
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO blobs (sha256, size, created_at) VALUES ($1, $2, $3)"
                    + " ON CONFLICT (sha256) DO UPDATE SET size = excluded.size"))
        .execute(Tuple.of(sha256, size, dialect.time(now())))
        .<Void>mapEmpty()
        .recover(failure("lock blob"));
  }

  @Override
  public Future<Boolean> removeBlobIfUnreferenced(String sha256) {
    // Lock first, then count in a later statement: under READ COMMITTED that statement sees a file
    // row committed by an upload that held the lock before us.
    return writer
        .preparedQuery(
            dialect.sql("SELECT sha256 FROM blobs WHERE sha256 = $1" + dialect.forUpdate()))
        .execute(Tuple.of(sha256))
        .compose(
            locked ->
                locked.size() == 0
                    ? Future.succeededFuture(false)
                    : writer
                        .preparedQuery(dialect.sql("SELECT 1 FROM files WHERE sha256 = $1 LIMIT 1"))
                        .execute(Tuple.of(sha256))
                        .compose(
                            referenced ->
                                referenced.size() > 0
                                    ? Future.succeededFuture(false)
                                    : writer
                                        .preparedQuery(
                                            dialect.sql("DELETE FROM blobs WHERE sha256 = $1"))
                                        .execute(Tuple.of(sha256))
                                        .map(rows -> rows.rowCount() > 0)))
        .recover(failure("remove blob"));
  }

  @Override
  public Future<List<String>> unreferencedBlobs(int limit) {
    return reader
        .preparedQuery(
            dialect.sql(
                "SELECT sha256 FROM blobs b WHERE NOT EXISTS"
                    + " (SELECT 1 FROM files f WHERE f.sha256 = b.sha256) LIMIT $1"))
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<String> shas = new ArrayList<>(rows.size());
              rows.forEach(row -> shas.add(row.getString("sha256")));
              return shas;
            })
        .recover(failure("list unreferenced blobs"));
  }

  @Override
  public Future<Boolean> blobExists(String sha256) {
    return reader
        .preparedQuery(dialect.sql("SELECT 1 FROM blobs WHERE sha256 = $1"))
        .execute(Tuple.of(sha256))
        .map(rows -> rows.size() > 0)
        .recover(failure("read blob"));
  }

  @Override
  public Future<java.util.Set<String>> knownBlobs(List<String> sha256s) {
    if (sha256s.isEmpty()) {
      return Future.succeededFuture(java.util.Set.of());
    }
    StringBuilder in = new StringBuilder();
    for (int i = 1; i <= sha256s.size(); i++) {
      in.append(i == 1 ? "$" : ", $").append(i);
    }
    return reader
        .preparedQuery(dialect.sql("SELECT sha256 FROM blobs WHERE sha256 IN (" + in + ")"))
        .execute(Tuple.from(new ArrayList<Object>(sha256s)))
        .map(
            rows -> {
              java.util.Set<String> known = new java.util.HashSet<>();
              rows.forEach(row -> known.add(row.getString("sha256")));
              return known;
            })
        .recover(failure("read blobs"));
  }

  @Override
  public Future<Void> lockOwner(String ownerId) {
    return writer
        .preparedQuery(dialect.sql("SELECT id FROM users WHERE id = $1" + dialect.forUpdate()))
        .execute(Tuple.of(ownerId))
        .<Void>mapEmpty()
        .recover(failure("lock owner"));
  }

  @Override
  public Future<Long> usedBytes(String ownerId) {
    return writer
        .preparedQuery(
            dialect.sql(
                "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) AS used FROM files"
                    + " WHERE owner_id = $1"))
        .execute(Tuple.of(ownerId))
        .map(rows -> rows.iterator().next().getLong("used"))
        .recover(failure("sum file sizes"));
  }

  @Override
  public Future<Void> insert(StoredFile file) {
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO files (id, owner_id, filename, search_name, content_type, size,"
                    + " sha256, tags, created_at, updated_at)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"))
        .execute(
            Tuple.from(
                new Object[] {
                  file.id(),
                  file.ownerId(),
                  file.filename(),
                  searchName(file.filename()),
                  file.contentType(),
                  file.size(),
                  file.sha256(),
                  new JsonArray(file.tags()).encode(),
                  dialect.time(file.createdAt()),
                  dialect.time(file.updatedAt())
                }))
        .compose(v -> insertTags(file.id(), file.tags()))
        .recover(failure("create file"));
  }

  private Future<Void> insertTags(String fileId, List<String> tags) {
    Future<Void> done = Future.succeededFuture();
    for (String tag : tags) {
      done =
          done.compose(
              v ->
                  writer
                      .preparedQuery(
                          dialect.sql("INSERT INTO file_tags (file_id, tag) VALUES ($1, $2)"))
                      .execute(Tuple.of(fileId, tag))
                      .mapEmpty());
    }
    return done;
  }

  @Override
  public Future<StoredFile> get(OwnerFilter filter, String id) {
    return get(reader, filter, id);
  }

  private Future<StoredFile> get(SqlClient client, OwnerFilter filter, String id) {
    List<Object> values = new ArrayList<>(List.of(id));
    String sql = "SELECT " + COLUMNS + " FROM files WHERE id = $1" + owner(filter, values);
    return client
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> rows.size() == 0 ? null : toFile(rows.iterator().next()))
        .recover(failure("read file"));
  }

  @Override
  public Future<Page<StoredFile>> list(OwnerFilter filter, FileQuery query) {
    List<Object> values = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM files WHERE 1 = 1");
    sql.append(owner(filter, values));
    if (query.cursor() != null) {
      values.add(query.cursor());
      sql.append(" AND id < $").append(values.size());
    }
    if (query.tag() != null) {
      values.add(query.tag());
      sql.append(" AND EXISTS (SELECT 1 FROM file_tags t WHERE t.file_id = files.id AND t.tag = $")
          .append(values.size())
          .append(")");
    }
    if (query.q() != null) {
      values.add("%" + escapeLike(query.q()) + "%");
      sql.append(" AND search_name LIKE $").append(values.size()).append(" ESCAPE '\\'");
    }
    values.add(query.limit() + 1);
    sql.append(" ORDER BY id DESC LIMIT $").append(values.size());
    return reader
        .preparedQuery(dialect.sql(sql.toString()))
        .execute(Tuple.from(values))
        .map(rows -> page(rows, query.limit(), this::toFile, StoredFile::id))
        .recover(failure("list files"));
  }

  @Override
  public Future<StoredFile> update(
      OwnerFilter filter, String id, FilePatch patch, Instant updatedAt) {
    List<Object> values = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    if (patch.filename() != null) {
      values.add(patch.filename());
      sets.add("filename = $" + values.size());
      values.add(searchName(patch.filename()));
      sets.add("search_name = $" + values.size());
    }
    if (patch.tags() != null) {
      values.add(new JsonArray(patch.tags()).encode());
      sets.add("tags = $" + values.size());
    }
    values.add(dialect.time(updatedAt.truncatedTo(ChronoUnit.MILLIS)));
    sets.add("updated_at = $" + values.size());
    values.add(id);
    String sql =
        "UPDATE files SET "
            + String.join(", ", sets)
            + " WHERE id = $"
            + values.size()
            + owner(filter, values);
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                return Future.succeededFuture(false);
              }
              if (patch.tags() == null) {
                return Future.succeededFuture(true);
              }
              return writer
                  .preparedQuery(dialect.sql("DELETE FROM file_tags WHERE file_id = $1"))
                  .execute(Tuple.of(id))
                  .compose(v -> insertTags(id, patch.tags()))
                  .map(true);
            })
        .recover(failure("update file"))
        .compose(found -> found ? get(writer, filter, id) : Future.succeededFuture());
  }

  @Override
  public Future<Boolean> delete(OwnerFilter filter, String id) {
    List<Object> values = new ArrayList<>(List.of(id));
    String sql = "DELETE FROM files WHERE id = $1" + owner(filter, values);
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure("delete file"));
  }

  @Override
  public Future<Totals> totals(OwnerFilter filter) {
    // The stored bytes count each blob once, among the files within the filter only: a user's
    // figures never depend on what other users stored.
    String sql =
        "SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(size), 0) AS BIGINT) AS bytes,"
            + " (SELECT CAST(COALESCE(SUM(b.size), 0) AS BIGINT) FROM blobs b WHERE b.sha256 IN"
            + " (SELECT f.sha256 FROM files f%s)) AS stored FROM files%s";
    Tuple values = filter.isAny() ? Tuple.tuple() : Tuple.of(filter.ownerId(), filter.ownerId());
    String bound =
        filter.isAny()
            ? sql.formatted("", "")
            : sql.formatted(" WHERE f.owner_id = $1", " WHERE owner_id = $2");
    return reader
        .preparedQuery(dialect.sql(bound))
        .execute(values)
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return new Totals(row.getLong("n"), row.getLong("bytes"), row.getLong("stored"));
            })
        .recover(failure("sum files"));
  }

  /** The owner condition, binding the owner as the next parameter; empty for every owner. */
  private static String owner(OwnerFilter filter, List<Object> values) {
    if (filter.isAny()) {
      return "";
    }
    values.add(filter.ownerId());
    return " AND owner_id = $" + values.size();
  }

  static String searchName(String filename) {
    return filename.toLowerCase(Locale.ROOT);
  }

  private static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private StoredFile toFile(Row row) {
    JsonArray tags = new JsonArray(row.getString("tags"));
    List<String> tagList = new ArrayList<>(tags.size());
    tags.forEach(tag -> tagList.add((String) tag));
    return new StoredFile(
        row.getString("id"),
        row.getString("owner_id"),
        row.getString("filename"),
        row.getString("content_type"),
        row.getLong("size"),
        row.getString("sha256"),
        tagList,
        dialect.time(row, "created_at"),
        dialect.time(row, "updated_at"));
  }
}
