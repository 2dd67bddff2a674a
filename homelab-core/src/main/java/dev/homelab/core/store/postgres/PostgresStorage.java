package dev.homelab.core.store.postgres;

import dev.homelab.core.leader.Leadership;
import dev.homelab.core.leader.LeadershipOptions;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageException;
import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.store.impl.Migrations;
import dev.homelab.core.store.impl.SqlDialect;
import dev.homelab.core.store.impl.SqlErrors;
import dev.homelab.core.store.impl.SqlStorageBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL adapter: a vertx-pg-client pool with prepared statements. Migrations run once
 * through JDBC on a worker thread, as the admin role when one is configured; the admin role then
 * grants the runtime role the data rights it needs, and nothing more.
 */
public final class PostgresStorage extends SqlStorageBase {

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final Pool pool;
  private final String schemaVersion;

  private PostgresStorage(
      Vertx vertx, PgConnectOptions connectOptions, Pool pool, String schemaVersion) {
    super(pool, pool, DIALECT);
    this.vertx = vertx;
    this.connectOptions = connectOptions;
    this.pool = pool;
    this.schemaVersion = schemaVersion;
  }

  static Future<Storage> open(Vertx vertx, StorageOptions options) {
    PgConnectOptions runtime = connectOptions(options.getUrl());
    PgConnectOptions admin =
        options.getAdminUrl() == null ? runtime : connectOptions(options.getAdminUrl());
    return vertx
        .executeBlocking(
            () -> {
              PGSimpleDataSource adminSource = dataSource(admin);
              String version = Migrations.migrate(adminSource, StorageKind.POSTGRESQL);
              if (!admin.getUser().equals(runtime.getUser())) {
                grantRuntimeRights(adminSource, runtime.getUser());
              }
              return version;
            },
            false)
        .recover(
            failure ->
                Future.failedFuture(SqlErrors.wrap("opening the PostgreSQL database", failure)))
        .map(
            version -> {
              Pool pool =
                  PgBuilder.pool()
                      .with(
                          new PoolOptions()
                              .setMaxSize(options.getMaxPoolSize())
                              .setName("homelab-postgres"))
                      .connectingTo(runtime)
                      .using(vertx)
                      .build();
              return new PostgresStorage(vertx, runtime, pool, version);
            });
  }

  /**
   * Parses a {@code postgres://} url like libpq: a missing database name defaults to the user name.
   */
  static PgConnectOptions connectOptions(String url) {
    // vertx-pg-client understands only the postgresql:// scheme.
    String normalized =
        url.regionMatches(true, 0, "postgres://", 0, 11)
            ? "postgresql://" + url.substring(11)
            : url;
    PgConnectOptions options = PgConnectOptions.fromUri(normalized);
    String path = URI.create(normalized).getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      options.setDatabase(options.getUser());
    }
    return options;
  }

  private static PGSimpleDataSource dataSource(PgConnectOptions options) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {options.getHost()});
    dataSource.setPortNumbers(new int[] {options.getPort()});
    dataSource.setDatabaseName(options.getDatabase());
    dataSource.setUser(options.getUser());
    if (options.getPassword() != null) {
      dataSource.setPassword(options.getPassword());
    }
    SslMode sslMode = options.getSslMode();
    if (sslMode != null && sslMode != SslMode.DISABLE) {
      dataSource.setSslMode(sslMode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }
    dataSource.setApplicationName("homelab-migrations");
    return dataSource;
  }

  /** Least privilege: the runtime role reads and writes rows, and may not change the schema. */
  private static void grantRuntimeRights(PGSimpleDataSource admin, String runtimeUser)
      throws SQLException {
    String role = '"' + runtimeUser.replace("\"", "\"\"") + '"';
    try (Connection connection = admin.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("GRANT USAGE ON SCHEMA public TO " + role);
      statement.execute(
          "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
      statement.execute("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO " + role);
    }
  }

  @Override
  public StorageKind kind() {
    return StorageKind.POSTGRESQL;
  }

  @Override
  public Leadership leadership(String name, LeadershipOptions options) {
    return Leadership.create(
        vertx,
        new PostgresLeaderLock(vertx, connectOptions, name, options.getTtl()),
        new LeadershipOptions(options));
  }

  @Override
  public Future<Void> ping() {
    return pool.query("SELECT 1")
        .execute()
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(SqlErrors.wrap("ping", failure)));
  }

  @Override
  public Future<Long> sizeBytes() {
    return pool.query("SELECT pg_database_size(current_database())")
        .execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .recover(failure -> Future.failedFuture(SqlErrors.wrap("database size", failure)));
  }

  @Override
  public String schemaVersion() {
    return schemaVersion;
  }

  /**
   * @return the connection pool, for adapter-specific checks in tests
   */
  Pool pool() {
    return pool;
  }

  @Override
  public Future<Void> close() {
    return pool.close()
        .recover(
            failure ->
                Future.failedFuture(
                    new StorageException("closing the PostgreSQL pool failed", failure)));
  }

  private static final SqlDialect DIALECT =
      new SqlDialect() {
        @Override
        public String sql(String sql) {
          return sql;
        }

        @Override
        public Object time(Instant instant) {
          return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
        }

        @Override
        public Instant time(Row row, String column) {
          return row.getOffsetDateTime(column).toInstant();
        }

        @Override
        public String jsonParameter() {
          // Bound as text and parsed by the server: a String bound to a jsonb parameter would be
          // stored as a JSON string.
          return "(%s::text)::jsonb";
        }

        @Override
        public String jsonColumn() {
          return "%s::text";
        }
      };
}
