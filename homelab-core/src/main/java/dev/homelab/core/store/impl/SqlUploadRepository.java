package dev.homelab.core.store.impl;

import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.files.NewFile;
import dev.homelab.core.files.UploadRepository;
import dev.homelab.core.files.UploadSession;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link UploadRepository} over a {@link SqlTarget}, shared by both adapters. */
public final class SqlUploadRepository extends SqlRepositoryBase implements UploadRepository {

  private static final String COLUMNS =
      "id, owner_id, length, upload_offset, filename, content_type, tags, file_id, created_at,"
          + " expires_at";

  /**
   * @param db where the statements go
   */
  public SqlUploadRepository(SqlTarget db) {
    super(db);
  }

  @Override
  public Future<Void> insert(UploadSession session) {
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO file_uploads (id, owner_id, length, upload_offset, filename,"
                    + " content_type, tags, file_id, created_at, expires_at)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9)"))
        .execute(
            Tuple.from(
                new Object[] {
                  session.id(),
                  session.ownerId(),
                  session.length(),
                  session.offset(),
                  session.file().filename(),
                  session.file().contentType(),
                  new JsonArray(session.file().tags()).encode(),
                  dialect.time(session.createdAt()),
                  dialect.time(session.expiresAt())
                }))
        .<Void>mapEmpty()
        .recover(failure("create upload"));
  }

  @Override
  public Future<UploadSession> get(OwnerFilter filter, String id) {
    Tuple values = filter.isAny() ? Tuple.of(id) : Tuple.of(id, filter.ownerId());
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM file_uploads WHERE id = $1"
            + (filter.isAny() ? "" : " AND owner_id = $2");
    return reader
        .preparedQuery(dialect.sql(sql))
        .execute(values)
        .map(rows -> rows.size() == 0 ? null : toSession(rows.iterator().next()))
        .recover(failure("read upload"));
  }

  @Override
  public Future<Long> reservedBytes(String ownerId, Instant now) {
    return reader
        .preparedQuery(
            dialect.sql(
                "SELECT CAST(COALESCE(SUM(length), 0) AS BIGINT) AS reserved FROM file_uploads"
                    + " WHERE owner_id = $1 AND file_id IS NULL AND expires_at > $2"))
        .execute(Tuple.of(ownerId, dialect.time(now)))
        .map(rows -> rows.iterator().next().getLong("reserved"))
        .recover(failure("sum unfinished uploads"));
  }

  @Override
  public Future<Void> advance(String id, long offset, Instant expiresAt) {
    return writer
        .preparedQuery(
            dialect.sql(
                "UPDATE file_uploads SET upload_offset = $1, expires_at = $2 WHERE id = $3"))
        .execute(Tuple.of(offset, dialect.time(expiresAt), id))
        .<Void>mapEmpty()
        .recover(failure("advance upload"));
  }

  @Override
  public Future<Void> complete(String id, String fileId) {
    return writer
        .preparedQuery(
            dialect.sql(
                "UPDATE file_uploads SET file_id = $1, upload_offset = length WHERE id = $2"))
        .execute(Tuple.of(fileId, id))
        .<Void>mapEmpty()
        .recover(failure("complete upload"));
  }

  @Override
  public Future<Boolean> delete(String id) {
    return writer
        .preparedQuery(dialect.sql("DELETE FROM file_uploads WHERE id = $1"))
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure("delete upload"));
  }

  @Override
  public Future<List<String>> expired(Instant now, int limit) {
    return ids(
        "SELECT id FROM file_uploads WHERE expires_at < $1 LIMIT $2",
        Tuple.of(dialect.time(now), limit));
  }

  @Override
  public Future<List<String>> ids() {
    return ids("SELECT id FROM file_uploads", Tuple.tuple());
  }

  private Future<List<String>> ids(String sql, Tuple values) {
    return reader
        .preparedQuery(dialect.sql(sql))
        .execute(values)
        .map(
            rows -> {
              List<String> ids = new ArrayList<>(rows.size());
              rows.forEach(row -> ids.add(row.getString("id")));
              return ids;
            })
        .recover(failure("list uploads"));
  }

  private UploadSession toSession(Row row) {
    JsonArray tags = new JsonArray(row.getString("tags"));
    List<String> tagList = new ArrayList<>(tags.size());
    tags.forEach(tag -> tagList.add((String) tag));
    return new UploadSession(
        row.getString("id"),
        row.getString("owner_id"),
        row.getLong("length"),
        row.getLong("upload_offset"),
        new NewFile(row.getString("filename"), row.getString("content_type"), tagList),
        row.getString("file_id"),
        dialect.time(row, "created_at"),
        dialect.time(row, "expires_at"));
  }
}
