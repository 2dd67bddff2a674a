package dev.homelab.core.store.sqlite;

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
import io.vertx.jdbcclient.JDBCPool;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteJDBCLoader;

/**
 * The SQLite adapter: one file in WAL mode, written through exactly one connection (so writes are
 * applied in order and never contend for SQLite's lock) and read through a small pool of read-only
 * connections. JDBC calls run on Vert.x worker threads, never on an event loop.
 *
 * <p>Commits are durable across a crash of the process and of the machine: {@code
 * synchronous=FULL}.
 */
public final class SqliteStorage extends SqlStorageBase {

  private static final Logger LOG = LoggerFactory.getLogger(SqliteStorage.class);

  /** How long a connection waits for SQLite's lock before failing, in milliseconds. */
  static final int BUSY_TIMEOUT_MS = 5_000;

  /** In-JVM half of the migration lock; a file lock covers other processes. */
  private static final ConcurrentMap<Path, Object> MIGRATION_LOCKS = new ConcurrentHashMap<>();

  private final Pool writer;
  private final Pool reader;
  private final SqliteBulkReader bulk;
  private final SqliteBulkWriter bulkWriter;
  private final String schemaVersion;
  private final Vertx vertx;
  private final Path file;

  private SqliteStorage(
      Vertx vertx,
      Path file,
      Pool writer,
      Pool reader,
      SqliteBulkReader bulk,
      SqliteBulkWriter bulkWriter,
      String schemaVersion) {
    super(reader, writer, DIALECT, bulk, bulkWriter);
    this.bulk = bulk;
    this.bulkWriter = bulkWriter;
    this.vertx = vertx;
    this.file = file;
    this.writer = writer;
    this.reader = reader;
    this.schemaVersion = schemaVersion;
  }

  static Future<Storage> open(Vertx vertx, StorageOptions options) {
    Path file = Path.of(options.resolvedSqlitePath()).toAbsolutePath().normalize();
    return vertx
        .executeBlocking(
            () -> {
              Path dir = file.getParent();
              if (dir != null) {
                Files.createDirectories(dir);
              }
              return migrateLocked(file);
            },
            false)
        .recover(
            failure ->
                Future.failedFuture(SqlErrors.wrap("opening SQLite database " + file, failure)))
        .map(
            version -> {
              // One writer connection: SQLite has one write lock, and a single ordered connection
              // applies writes in arrival order without SQLITE_BUSY between our own writers. The
              // access log's batches alone have a connection of their own (SqliteBulkWriter).
              Pool writer =
                  JDBCPool.pool(
                      vertx,
                      dataSource(file, false),
                      new PoolOptions().setMaxSize(1).setName("homelab-sqlite-writer-" + file));
              Pool reader =
                  JDBCPool.pool(
                      vertx,
                      dataSource(file, true),
                      new PoolOptions()
                          .setMaxSize(options.getMaxPoolSize())
                          .setName("homelab-sqlite-reader-" + file));
              SqliteBulkReader bulk =
                  new SqliteBulkReader(
                      vertx,
                      dataSource(file, true),
                      "homelab-sqlite-bulk-reader-" + file,
                      options.getMaxPoolSize());
              // The access log's group commits, on the path of every access answer: one hand-off
              // per commit instead of the pool's three.
              SqliteBulkWriter bulkWriter =
                  new SqliteBulkWriter(
                      vertx, dataSource(file, false), "homelab-sqlite-batches-" + file);
              return new SqliteStorage(vertx, file, writer, reader, bulk, bulkWriter, version);
            });
  }

  /**
   * Loads the native SQLite library (sqlite-jdbc extracts it from its jar and, on Linux, runs
   * {@code uname} to pick the right one) and Flyway's configuration: what a first open loads before
   * it touches the file.
   */
  static void prepare() {
    try {
      SQLiteJDBCLoader.initialize();
    } catch (Exception e) {
      throw new StorageException("the SQLite native library cannot be loaded", e);
    }
    Migrations.prepare(StorageKind.SQLITE);
  }

  private static String migrateLocked(Path file) throws IOException {
    Object jvmLock = MIGRATION_LOCKS.computeIfAbsent(file, f -> new Object());
    synchronized (jvmLock) {
      Path lockFile = file.resolveSibling(file.getFileName() + ".migrate.lock");
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        return Migrations.migrate(dataSource(file, false), StorageKind.SQLITE);
      }
    }
  }

  static SQLiteDataSource dataSource(Path file, boolean readOnly) {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(BUSY_TIMEOUT_MS);
    config.enforceForeignKeys(true);
    if (readOnly) {
      config.setReadOnly(true);
    } else {
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    }
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl("jdbc:sqlite:" + file);
    return dataSource;
  }

  @Override
  public StorageKind kind() {
    return StorageKind.SQLITE;
  }

  /** An SQLite file has one instance, which always leads. */
  @Override
  public Leadership leadership(String name, LeadershipOptions options) {
    return Leadership.always(vertx, name);
  }

  @Override
  public Future<Void> ping() {
    return reader
        .query("SELECT 1")
        .execute()
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(SqlErrors.wrap("ping", failure)));
  }

  @Override
  public Future<Long> sizeBytes() {
    return vertx.executeBlocking(
        () -> {
          long size = 0;
          for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path part = file.resolveSibling(file.getFileName() + suffix);
            if (Files.exists(part)) {
              size += Files.size(part);
            }
          }
          return size;
        },
        false);
  }

  @Override
  public String schemaVersion() {
    return schemaVersion;
  }

  /**
   * @return the pool of the single writer connection, for adapter-specific checks in tests
   */
  Pool writer() {
    return writer;
  }

  @Override
  public Future<Void> close() {
    return Future.join(writer.close(), reader.close(), bulk.close(), bulkWriter.close())
        .<Void>mapEmpty()
        .recover(
            failure ->
                Future.failedFuture(
                    new StorageException("closing the SQLite database failed", failure)));
  }

  private static <T> Future<T> attempt(
      Function<SqlConnection, Future<T>> work, SqlConnection conn) {
    try {
      return work.apply(conn);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * Ends a failed transaction, so that the single writer connection never goes back to the pool
   * inside one (every later write on it would then wait for a COMMIT that never comes). If even
   * ROLLBACK fails, the connection is in an unknown state: the error is logged loudly.
   */
  private static <T> Future<T> rollBack(SqlConnection conn, Throwable failure) {
    return conn.query("ROLLBACK")
        .execute()
        .transform(
            rolledBack -> {
              if (rolledBack.failed()
                  && !String.valueOf(rolledBack.cause().getMessage())
                      .contains("no transaction is active")) {
                LOG.error(
                    "ROLLBACK failed after a failed SQLite transaction; the writer connection may"
                        + " be unusable: {}",
                    rolledBack.cause().toString());
              }
              return Future.<T>failedFuture(failure);
            });
  }

  private static final SqlDialect DIALECT =
      new SqlDialect() {
        private final Pattern placeholder = Pattern.compile("\\$\\d+");

        @Override
        public String sql(String sql) {
          return placeholder.matcher(sql).replaceAll("?");
        }

        @Override
        public Object time(Instant instant) {
          return instant.toEpochMilli();
        }

        @Override
        public Instant time(Row row, String column) {
          return Instant.ofEpochMilli(row.getLong(column));
        }

        @Override
        public String jsonParameter() {
          return "%s";
        }

        @Override
        public String jsonColumn() {
          return "%s";
        }

        @Override
        public boolean prefersMultiRowInserts() {
          return false;
        }

        // BEGIN IMMEDIATE (below) holds the one write lock for the whole transaction.
        @Override
        public String forUpdate() {
          return "";
        }

        // vertx-jdbc-client's transactions leave the pooled connection with autocommit off after
        // COMMIT (JDBCTxOp sets it false in a finally), so later statements on our single writer
        // connection would sit in a transaction nobody commits. SQLite's own BEGIN/COMMIT keep
        // the connection in autocommit mode; IMMEDIATE takes the write lock up front.
        @Override
        public <T> Future<T> inTransaction(Pool pool, Function<SqlConnection, Future<T>> work) {
          return pool.withConnection(
              conn ->
                  conn.query("BEGIN IMMEDIATE")
                      .execute()
                      .compose(
                          begun ->
                              attempt(work, conn)
                                  .compose(
                                      result ->
                                          conn.query("COMMIT")
                                              .execute()
                                              .map(result)
                                              .recover(failure -> rollBack(conn, failure)),
                                      failure -> rollBack(conn, failure))));
        }
      };
}
