package dev.homelab.core.store.impl;

import dev.homelab.core.ValidationException;
import dev.homelab.core.settings.Setting;
import dev.homelab.core.settings.SettingsRepository;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SettingsRepository} over a {@link SqlTarget} (the pools, or one transaction), shared by
 * both adapters.
 */
public final class SqlSettingsRepository implements SettingsRepository {

  private final SqlClient reader;
  private final SqlClient writer;
  private final SqlDialect dialect;
  private final String selectOne;
  private final String selectAll;
  private final String upsert;
  private final String delete;

  /**
   * @param db where the statements go
   */
  public SqlSettingsRepository(SqlTarget db) {
    this.reader = db.reader();
    this.writer = db.writer();
    this.dialect = db.dialect();
    String columns = "key, " + dialect.jsonColumn().formatted("value") + " AS value, updated_at";
    this.selectOne = dialect.sql("SELECT " + columns + " FROM settings WHERE key = $1");
    this.selectAll = dialect.sql("SELECT " + columns + " FROM settings ORDER BY key");
    this.upsert =
        dialect.sql(
            "INSERT INTO settings (key, value, updated_at) VALUES ($1, "
                + dialect.jsonParameter().formatted("$2")
                + ", $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at");
    this.delete = dialect.sql("DELETE FROM settings WHERE key = $1");
  }

  @Override
  public Future<Setting> get(String key) {
    try {
      Setting.validateKey(key);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return reader
        .preparedQuery(selectOne)
        .execute(Tuple.of(key))
        .map(rows -> rows.size() == 0 ? null : toSetting(rows.iterator().next()))
        .recover(failure -> Future.failedFuture(SqlErrors.wrap("read setting", failure)));
  }

  @Override
  public Future<List<Setting>> list() {
    return reader
        .preparedQuery(selectAll)
        .execute()
        .map(
            rows -> {
              List<Setting> settings = new ArrayList<>(rows.size());
              rows.forEach(row -> settings.add(toSetting(row)));
              return List.copyOf(settings);
            })
        .recover(failure -> Future.failedFuture(SqlErrors.wrap("list settings", failure)));
  }

  @Override
  public Future<Setting> put(String key, Object value) {
    String encoded;
    try {
      Setting.validateKey(key);
      encoded = Setting.validateValue(value);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return writer
        .preparedQuery(upsert)
        .execute(Tuple.of(key, encoded, dialect.time(now)))
        .map(rows -> new Setting(key, Json.decodeValue(encoded), now))
        .recover(failure -> Future.failedFuture(SqlErrors.wrap("write setting", failure)));
  }

  @Override
  public Future<Boolean> delete(String key) {
    try {
      Setting.validateKey(key);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return writer
        .preparedQuery(delete)
        .execute(Tuple.of(key))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure -> Future.failedFuture(SqlErrors.wrap("delete setting", failure)));
  }

  private Setting toSetting(Row row) {
    return new Setting(
        row.getString("key"),
        Json.decodeValue(row.getString("value")),
        dialect.time(row, "updated_at"));
  }
}
