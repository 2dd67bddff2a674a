package dev.homelab.core.store.impl;

import dev.homelab.core.identity.RevokedTokenRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * {@link RevokedTokenRepository} over a {@link SqlTarget} (the pools, or one transaction), shared
 * by both adapters.
 */
public final class SqlRevokedTokenRepository extends SqlRepositoryBase
    implements RevokedTokenRepository {

  /**
   * @param db where the statements go
   */
  public SqlRevokedTokenRepository(SqlTarget db) {
    super(db);
  }

  @Override
  public Future<Void> revoke(String tokenId, Instant expiresAt) {
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO revoked_tokens (jti, expires_at) VALUES ($1, $2)"
                    + " ON CONFLICT (jti) DO NOTHING"))
        .execute(Tuple.of(tokenId, dialect.time(expiresAt)))
        .<Void>mapEmpty()
        .recover(failure("revoke token"));
  }

  @Override
  public Future<Boolean> isRevoked(String tokenId) {
    return reader
        .preparedQuery(dialect.sql("SELECT 1 FROM revoked_tokens WHERE jti = $1"))
        .execute(Tuple.of(tokenId))
        .map(rows -> rows.size() > 0)
        .recover(failure("read token revocation"));
  }

  @Override
  public Future<Integer> purgeExpired(Instant now) {
    return writer
        .preparedQuery(dialect.sql("DELETE FROM revoked_tokens WHERE expires_at < $1"))
        .execute(Tuple.of(dialect.time(now)))
        .map(rows -> rows.rowCount())
        .recover(failure("purge token revocations"));
  }
}
