package dev.homelab.core.store.postgres;

import dev.homelab.core.leader.LeaderLock;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session-level advisory lock on a connection of its own (not from the pool, whose connections
 * are shared and recycled): {@code pg_try_advisory_lock} takes it, the server releases it when the
 * session ends, so a crashed or cut-off holder loses it without any lease. Renewing checks that the
 * session still answers. Advisory locks are per database: instances share the role only if they
 * share the database.
 */
final class PostgresLeaderLock implements LeaderLock {

  /**
   * The {@code application_name} of the lock's connection, to find it in {@code pg_stat_activity}.
   */
  static final String APPLICATION_NAME = "homelab-leader";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresLeaderLock.class);

  private final Vertx vertx;
  private final PgConnectOptions options;
  private final String name;
  private final long key;
  private volatile PgConnection connection;
  private volatile Handler<Void> lostHandler;

  PostgresLeaderLock(Vertx vertx, PgConnectOptions options, String name) {
    this.vertx = vertx;
    Map<String, String> properties = new HashMap<>(options.getProperties());
    properties.put("application_name", APPLICATION_NAME);
    this.options = new PgConnectOptions(options).setProperties(properties);
    this.name = name;
    this.key = key(name);
  }

  /**
   * The advisory lock key of a role: the first 64 bits of the SHA-256 of {@code homelab.leader:}
   * and the name, so that distinct names practically never share a key.
   *
   * @param name the role's name
   * @return the key
   */
  static long key(String name) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("homelab.leader:" + name).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Boolean> acquire(Duration lease) {
    Future<PgConnection> session =
        connection != null ? Future.succeededFuture(connection) : connect();
    return session.compose(
        c ->
            c.preparedQuery("SELECT pg_try_advisory_lock($1)")
                .execute(Tuple.of(key))
                .map(rows -> rows.iterator().next().getBoolean(0)));
  }

  private Future<PgConnection> connect() {
    return PgConnection.connect(vertx, options)
        .map(
            c -> {
              connection = c;
              // A session killed or cut off: the close handler below tells the leadership.
              c.exceptionHandler(
                  e -> LOG.debug("The session of lock {} failed: {}", name, e.toString()));
              c.closeHandler(
                  v -> {
                    if (connection == c) { // not closed by release()
                      connection = null;
                      Handler<Void> lost = lostHandler;
                      if (lost != null) {
                        lost.handle(null);
                      }
                    }
                  });
              return c;
            });
  }

  @Override
  public Future<Boolean> renew(Duration lease) {
    PgConnection c = connection;
    if (c == null) {
      return Future.succeededFuture(false);
    }
    return c.query("SELECT 1").execute().map(true);
  }

  @Override
  public Future<Void> release() {
    PgConnection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : c.close();
  }

  @Override
  public LeaderLock lostHandler(Handler<Void> handler) {
    this.lostHandler = handler;
    return this;
  }

  @Override
  public String toString() {
    return "PostgresLeaderLock{name=" + name + ", key=" + key + "}";
  }
}
