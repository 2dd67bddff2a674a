package dev.homelab.core.store.impl;

import dev.homelab.core.files.Share;
import dev.homelab.core.files.ShareRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link ShareRepository} over a {@link SqlTarget}, shared by both adapters. */
public final class SqlShareRepository extends SqlRepositoryBase implements ShareRepository {

  /** What makes a link work; the one place both the count and the plain lookup read it from. */
  private static final String LIVE =
      " WHERE token_hash = $1 AND revoked = 0 AND expires_at > $2"
          + " AND (max_downloads IS NULL OR downloads < max_downloads)";

  /**
   * @param db where the statements go
   */
  public SqlShareRepository(SqlTarget db) {
    super(db);
  }

  @Override
  public Future<Void> insert(Share share, String tokenHash) {
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO file_shares (id, file_id, token_hash, created_at, expires_at,"
                    + " max_downloads, downloads, revoked) VALUES ($1, $2, $3, $4, $5, $6, 0, 0)"))
        .execute(
            Tuple.from(
                new Object[] {
                  share.id(),
                  share.fileId(),
                  tokenHash,
                  dialect.time(share.createdAt()),
                  dialect.time(share.expiresAt()),
                  share.maxDownloads()
                }))
        .<Void>mapEmpty()
        .recover(failure("create share link"));
  }

  @Override
  public Future<List<Share>> list(String fileId) {
    return reader
        .preparedQuery(
            dialect.sql(
                "SELECT id, file_id, created_at, expires_at, max_downloads, downloads, revoked"
                    + " FROM file_shares WHERE file_id = $1 ORDER BY id DESC"))
        .execute(Tuple.of(fileId))
        .map(
            rows -> {
              List<Share> shares = new ArrayList<>(rows.size());
              rows.forEach(row -> shares.add(toShare(row)));
              return shares;
            })
        .recover(failure("list share links"));
  }

  @Override
  public Future<Boolean> revoke(String fileId, String shareId) {
    return writer
        .preparedQuery(
            dialect.sql("UPDATE file_shares SET revoked = 1 WHERE id = $1 AND file_id = $2"))
        .execute(Tuple.of(shareId, fileId))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure("revoke share link"));
  }

  @Override
  public Future<String> redeem(String tokenHash, Instant now, boolean countDownload) {
    Tuple live = Tuple.of(tokenHash, dialect.time(now));
    if (!countDownload) {
      return fileOf("SELECT file_id FROM file_shares" + LIVE, live);
    }
    // The limit is checked and the count taken in one UPDATE, so concurrent downloads cannot
    // pass it; the file id of a counted link is then read by its token alone.
    return writer
        .preparedQuery(dialect.sql("UPDATE file_shares SET downloads = downloads + 1" + LIVE))
        .execute(live)
        .recover(failure("count a share download"))
        .compose(
            rows ->
                rows.rowCount() == 0
                    ? Future.succeededFuture(null)
                    : fileOf(
                        "SELECT file_id FROM file_shares WHERE token_hash = $1",
                        Tuple.of(tokenHash)));
  }

  private Future<String> fileOf(String sql, Tuple values) {
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(values)
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("file_id"))
        .recover(failure("read share link"));
  }

  private Share toShare(Row row) {
    Object max = row.getValue("max_downloads");
    return new Share(
        row.getString("id"),
        row.getString("file_id"),
        dialect.time(row, "created_at"),
        dialect.time(row, "expires_at"),
        max == null ? null : ((Number) max).intValue(),
        ((Number) row.getValue("downloads")).intValue(),
        bool(row, "revoked"));
  }
}
