package dev.homelab.core.store.impl;

import dev.homelab.core.identity.ApiKey;
import dev.homelab.core.identity.ApiKeyRepository;
import dev.homelab.core.identity.KeyScope;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link ApiKeyRepository} over a {@link SqlTarget} (the pools, or one transaction), shared by both
 * adapters.
 */
public final class SqlApiKeyRepository extends SqlRepositoryBase implements ApiKeyRepository {

  private static final String COLUMNS =
      "id, user_id, name, scope, secret_hash, created_at, expires_at";

  /**
   * @param db where the statements go
   */
  public SqlApiKeyRepository(SqlTarget db) {
    super(db);
  }

  @Override
  public Future<ApiKey> create(ApiKey key) {
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO api_keys (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7)"))
        .execute(
            Tuple.from(
                new Object[] {
                  key.id(),
                  key.userId(),
                  key.name(),
                  key.scope().label(),
                  key.secretHash(),
                  dialect.time(key.createdAt()),
                  timeOrNull(key.expiresAt())
                }))
        .map(key)
        .recover(failure("create API key"));
  }

  @Override
  public Future<ApiKey> byId(String id) {
    return reader
        .preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = $1"))
        .execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? null : toKey(rows.iterator().next()))
        .recover(failure("read API key"));
  }

  @Override
  public Future<List<ApiKey>> listByUser(String userId) {
    return reader
        .preparedQuery(
            dialect.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM api_keys WHERE user_id = $1 ORDER BY created_at DESC, id DESC"))
        .execute(Tuple.of(userId))
        .map(
            rows -> {
              List<ApiKey> keys = new ArrayList<>(rows.size());
              rows.forEach(row -> keys.add(toKey(row)));
              return List.copyOf(keys);
            })
        .recover(failure("list API keys"));
  }

  @Override
  public Future<Boolean> delete(String id) {
    return writer
        .preparedQuery(dialect.sql("DELETE FROM api_keys WHERE id = $1"))
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure("delete API key"));
  }

  private ApiKey toKey(Row row) {
    return new ApiKey(
        row.getString("id"),
        row.getString("user_id"),
        row.getString("name"),
        KeyScope.parse("scope", row.getString("scope")),
        row.getString("secret_hash"),
        dialect.time(row, "created_at"),
        timeOrNull(row, "expires_at"));
  }
}
