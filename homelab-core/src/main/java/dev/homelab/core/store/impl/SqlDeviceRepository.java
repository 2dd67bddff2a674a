package dev.homelab.core.store.impl;

import dev.homelab.core.Page;
import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DevicePatch;
import dev.homelab.core.devices.DeviceQuery;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.devices.OwnerFilter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DeviceRepository} over a {@link SqlTarget} (the pools, or one transaction), shared by both
 * adapters. The owner filter is a condition of every statement, never a check after the fact.
 */
public final class SqlDeviceRepository extends SqlRepositoryBase implements DeviceRepository {

  private final String columns;

  /**
   * @param db where the statements go
   */
  public SqlDeviceRepository(SqlTarget db) {
    super(db);
    this.columns =
        "id, owner_id, name, device_type, description, "
            + dialect.jsonColumn().formatted("metadata")
            + " AS metadata, token_hash IS NOT NULL AS has_token, created_at, updated_at";
  }

  @Override
  public Future<Device> create(String ownerId, NewDevice device) {
    Instant now = now();
    Device created =
        new Device(
            Ids.timeOrderedUuid(),
            ownerId,
            device.name(),
            device.deviceType(),
            device.description(),
            device.metadata(),
            false,
            now,
            now);
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO devices (id, owner_id, name, device_type, description, metadata,"
                    + " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, "
                    + dialect.jsonParameter().formatted("$6")
                    + ", $7, $8)"))
        .execute(
            Tuple.from(
                new Object[] {
                  created.id(),
                  ownerId,
                  created.name(),
                  created.deviceType(),
                  created.description(),
                  created.metadata().encode(),
                  dialect.time(now),
                  dialect.time(now)
                }))
        .map(created)
        .recover(failure("create device"));
  }

  @Override
  public Future<Device> get(OwnerFilter filter, String id) {
    return get(reader, filter, id);
  }

  private Future<Device> get(SqlClient pool, OwnerFilter filter, String id) {
    List<Object> values = new ArrayList<>(List.of(id));
    String sql = "SELECT " + columns + " FROM devices WHERE id = $1" + owner(filter, values);
    return pool.preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> rows.size() == 0 ? null : toDevice(rows.iterator().next()))
        .recover(failure("read device"));
  }

  @Override
  public Future<Page<Device>> list(OwnerFilter filter, DeviceQuery query) {
    List<Object> values = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + columns + " FROM devices WHERE 1 = 1");
    sql.append(owner(filter, values));
    if (query.cursor() != null) {
      values.add(query.cursor());
      sql.append(" AND id > $").append(values.size());
    }
    if (query.deviceType() != null) {
      values.add(query.deviceType());
      sql.append(" AND device_type = $").append(values.size());
    }
    values.add(query.limit() + 1);
    sql.append(" ORDER BY id LIMIT $").append(values.size());
    return reader
        .preparedQuery(dialect.sql(sql.toString()))
        .execute(Tuple.from(values))
        .map(rows -> page(rows, query.limit(), this::toDevice, Device::id))
        .recover(failure("list devices"));
  }

  @Override
  public Future<Device> update(OwnerFilter filter, String id, DevicePatch patch) {
    List<Object> values = new ArrayList<>();
    List<String> sets = new ArrayList<>();
    set(sets, values, "name", patch.name());
    set(sets, values, "device_type", patch.deviceType());
    if (patch.clearDescription()) {
      sets.add("description = NULL");
    } else {
      set(sets, values, "description", patch.description());
    }
    if (patch.metadata() != null) {
      values.add(patch.metadata().encode());
      sets.add("metadata = " + dialect.jsonParameter().formatted("$" + values.size()));
    }
    set(sets, values, "updated_at", dialect.time(now()));
    values.add(id);
    String sql =
        "UPDATE devices SET "
            + String.join(", ", sets)
            + " WHERE id = $"
            + values.size()
            + owner(filter, values);
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .recover(failure("update device"))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture() : get(writer, filter, id));
  }

  private static void set(List<String> sets, List<Object> values, String column, Object value) {
    if (value != null) {
      values.add(value);
      sets.add(column + " = $" + values.size());
    }
  }

  @Override
  public Future<Boolean> delete(OwnerFilter filter, String id) {
    List<Object> values = new ArrayList<>(List.of(id));
    String sql = "DELETE FROM devices WHERE id = $1" + owner(filter, values);
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure("delete device"));
  }

  @Override
  public Future<Boolean> setTokenHash(OwnerFilter filter, String id, String tokenHash) {
    List<Object> values = new ArrayList<>(List.of(tokenHash, dialect.time(now()), id));
    String sql =
        "UPDATE devices SET token_hash = $1, updated_at = $2 WHERE id = $3" + owner(filter, values);
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure("set device token"));
  }

  @Override
  public Future<Device> byTokenHash(String tokenHash) {
    return reader
        .preparedQuery(dialect.sql("SELECT " + columns + " FROM devices WHERE token_hash = $1"))
        .execute(Tuple.of(tokenHash))
        .map(rows -> rows.size() == 0 ? null : toDevice(rows.iterator().next()))
        .recover(failure("read device by token"));
  }

  /** The owner condition, binding the owner as the next parameter; empty for every owner. */
  private static String owner(OwnerFilter filter, List<Object> values) {
    if (filter.isAny()) {
      return "";
    }
    values.add(filter.ownerId());
    return " AND owner_id = $" + values.size();
  }

  private Device toDevice(Row row) {
    return new Device(
        row.getString("id"),
        row.getString("owner_id"),
        row.getString("name"),
        row.getString("device_type"),
        row.getString("description"),
        new JsonObject(row.getString("metadata")),
        bool(row, "has_token"),
        dialect.time(row, "created_at"),
        dialect.time(row, "updated_at"));
  }
}
