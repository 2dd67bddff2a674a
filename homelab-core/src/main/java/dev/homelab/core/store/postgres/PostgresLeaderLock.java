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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session-level advisory lock on a connection of its own (not from the pool, whose connections
 * are shared and recycled): {@code pg_try_advisory_lock} takes it, the server releases it when the
 * session ends, so a crashed or cut-off holder loses it without any lease (the session's TCP
 * keepalive and user timeout follow the ttl, so the server notices a dead holder within about it).
 * Renewing checks that the session still holds the lock. Advisory locks are per database: instances
 * share the role only if they share the database.
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
  private final long connectTimeoutMillis;
  private volatile PgConnection connection;
  private Future<PgConnection> connecting; // one connect at a time, shared by the calls meanwhile
  private long generation; // bumped by release(): a connect from before it is closed on arrival
  private volatile Handler<Void> lostHandler;

  /**
   * @param vertx the Vert.x instance
   * @param options how to reach the database
   * @param name the role
   * @param ttl the leadership's ttl: the session is set up to notice a dead peer within it
   */
  PostgresLeaderLock(Vertx vertx, PgConnectOptions options, String name, Duration ttl) {
    this.vertx = vertx;
    Map<String, String> properties = new HashMap<>(options.getProperties());
    properties.put("application_name", APPLICATION_NAME);
    // The server ends the session, and so frees the lock, when this holder's host dies or is cut
    // off: without these it would wait for the OS's TCP keepalive, two hours by default.
    long third = Math.max(1, ttl.toSeconds() / 3);
    properties.put("tcp_keepalives_idle", Long.toString(third));
    properties.put("tcp_keepalives_interval", Long.toString(Math.max(1, third / 3)));
    properties.put("tcp_keepalives_count", "3");
    properties.put("tcp_user_timeout", Long.toString(ttl.toMillis()));
    this.options = new PgConnectOptions(options).setProperties(properties);
    this.name = name;
    this.key = key(name);
    this.connectTimeoutMillis = Math.max(1_000, ttl.toMillis() / 3);
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
    return session()
        .compose(
            c ->
                c.preparedQuery("SELECT pg_try_advisory_lock($1)")
                    .execute(Tuple.of(key))
                    .map(rows -> rows.iterator().next().getBoolean(0)));
  }

  /** The lock's session: the current one, the connect under way, or a new connect. */
  private synchronized Future<PgConnection> session() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    if (connecting == null) {
      long started = generation;
      // Adopted (or closed) whenever it arrives, even after the caller stopped waiting for it.
      Future<PgConnection> opened =
          PgConnection.connect(vertx, options).compose(c -> adopt(c, started));
      connecting = opened.timeout(connectTimeoutMillis, TimeUnit.MILLISECONDS);
      connecting.onComplete(done -> clearConnecting());
    }
    return connecting;
  }

  private synchronized void clearConnecting() {
    connecting = null;
  }

  /** Keeps a new session, unless the lock was released while it was being opened. */
  private synchronized Future<PgConnection> adopt(PgConnection c, long started) {
    if (started != generation || connection != null) {
      c.close();
      return Future.failedFuture("the lock was released while its session was being opened");
    }
    connection = c;
    // A session killed or cut off: the close handler below tells the leadership.
    c.exceptionHandler(e -> LOG.debug("The session of lock {} failed: {}", name, e.toString()));
    c.closeHandler(v -> lost(c));
    return Future.succeededFuture(c);
  }

  private void lost(PgConnection c) {
    synchronized (this) {
      if (connection != c) {
        return; // closed by release()
      }
      connection = null;
    }
    Handler<Void> lost = lostHandler;
    if (lost != null) {
      lost.handle(null);
    }
  }

  /**
   * Asks the session whether it holds the lock, not only whether it answers: a session that was
   * replaced, or whose lock was taken away, says no.
   */
  @Override
  public Future<Boolean> renew(Duration lease) {
    PgConnection c = connection;
    if (c == null) {
      return Future.succeededFuture(false);
    }
    // A bigint advisory key is stored as its high and low halves, with objsubid 1.
    return c.preparedQuery(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid = pg_backend_pid() AND objsubid = 1"
                + " AND classid::bigint = $1 AND objid::bigint = $2)")
        .execute(Tuple.of(key >>> 32, key & 0xFFFF_FFFFL))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  @Override
  public Future<Void> release() {
    PgConnection c;
    synchronized (this) {
      generation++;
      c = connection;
      connection = null;
    }
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
