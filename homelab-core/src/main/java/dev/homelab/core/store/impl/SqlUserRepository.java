package dev.homelab.core.store.impl;

import dev.homelab.core.ConflictException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.identity.UserRepository;
import dev.homelab.core.identity.UserUpdate;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link UserRepository} over a {@link SqlTarget} (the pools, or one transaction), shared by both
 * adapters.
 */
public final class SqlUserRepository extends SqlRepositoryBase implements UserRepository {

  private static final String COLUMNS =
      "id, username, role, password_hash, disabled, builtin, created_at, updated_at";

  /**
   * @param db where the statements go
   */
  public SqlUserRepository(SqlTarget db) {
    super(db);
  }

  @Override
  public Future<User> create(String username, Role role, String passwordHash) {
    Instant now = now();
    User user =
        new User(
            Ids.timeOrderedUuid(),
            User.validateUsername(username),
            role,
            passwordHash,
            false,
            false,
            now,
            now);
    return insert(user, "")
        .map(user)
        .recover(
            conflictOr(
                "create user", "USERNAME_TAKEN", "the username " + user.username() + " is taken"));
  }

  @Override
  public Future<User> ensureBuiltinAdmin() {
    Instant now = now();
    User admin =
        new User(
            Ids.timeOrderedUuid(), User.BUILTIN_ADMIN, Role.ADMIN, null, false, true, now, now);
    return insert(admin, " ON CONFLICT (username) DO NOTHING")
        .recover(failure("create the built-in administrator"))
        .compose(inserted -> byUsername(User.BUILTIN_ADMIN))
        .compose(
            found ->
                found != null && found.builtin()
                    ? Future.succeededFuture(found)
                    : Future.failedFuture(
                        new ConflictException(
                            "BUILTIN_USER",
                            "a user named admin exists but is not the built-in administrator")));
  }

  private Future<RowSet<Row>> insert(User user, String onConflict) {
    return writer
        .preparedQuery(
            dialect.sql(
                "INSERT INTO users ("
                    + COLUMNS
                    + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    + onConflict))
        .execute(
            Tuple.from(
                new Object[] {
                  user.id(),
                  user.username(),
                  user.role().label(),
                  user.passwordHash(),
                  user.disabled() ? 1 : 0,
                  user.builtin() ? 1 : 0,
                  dialect.time(user.createdAt()),
                  dialect.time(user.updatedAt())
                }));
  }

  @Override
  public Future<User> byId(String id) {
    return one(reader, "id", id);
  }

  @Override
  public Future<User> byUsername(String username) {
    return username == null
        ? Future.succeededFuture(null)
        : one(reader, "username", username.toLowerCase(Locale.ROOT));
  }

  private Future<User> one(SqlClient pool, String column, String value) {
    return pool.preparedQuery(
            dialect.sql("SELECT " + COLUMNS + " FROM users WHERE " + column + " = $1"))
        .execute(Tuple.of(value))
        .map(rows -> rows.size() == 0 ? null : toUser(rows.iterator().next()))
        .recover(failure("read user"));
  }

  @Override
  public Future<List<User>> list() {
    return reader
        .preparedQuery(dialect.sql("SELECT " + COLUMNS + " FROM users ORDER BY username"))
        .execute()
        .map(
            rows -> {
              List<User> users = new ArrayList<>(rows.size());
              rows.forEach(row -> users.add(toUser(row)));
              return List.copyOf(users);
            })
        .recover(failure("list users"));
  }

  @Override
  public Future<User> update(String id, UserUpdate update) {
    List<String> sets = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    if (update.role() != null) {
      values.add(update.role().label());
      sets.add("role = $" + values.size());
    }
    if (update.passwordHash() != null) {
      values.add(update.passwordHash());
      sets.add("password_hash = $" + values.size());
    }
    if (update.disabled() != null) {
      values.add(update.disabled() ? 1 : 0);
      sets.add("disabled = $" + values.size());
    }
    values.add(dialect.time(now()));
    sets.add("updated_at = $" + values.size());
    values.add(id);
    String sql = "UPDATE users SET " + String.join(", ", sets) + " WHERE id = $" + values.size();
    return writer
        .preparedQuery(dialect.sql(sql))
        .execute(Tuple.from(values))
        .recover(failure("update user"))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture() : one(writer, "id", id));
  }

  @Override
  public Future<Boolean> delete(String id) {
    return writer
        .preparedQuery(dialect.sql("DELETE FROM users WHERE id = $1"))
        .execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0)
        .recover(failure("delete user"));
  }

  private User toUser(Row row) {
    return new User(
        row.getString("id"),
        row.getString("username"),
        Role.parse("role", row.getString("role")),
        row.getString("password_hash"),
        bool(row, "disabled"),
        bool(row, "builtin"),
        dialect.time(row, "created_at"),
        dialect.time(row, "updated_at"));
  }
}
