package dev.homelab.core.store;

import dev.homelab.core.Transactional;
import dev.homelab.core.leader.Leadership;
import dev.homelab.core.leader.LeadershipOptions;
import dev.homelab.core.store.spi.StorageProvider;
import dev.homelab.core.telemetry.DeviceStateRepository;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * An open database: the entry point to every repository, one statement at a time or several in one
 * transaction ({@link #inTransaction}).
 *
 * <p>{@link #open(Vertx, StorageOptions)} picks the adapter for the options (SQLite or PostgreSQL,
 * found with {@link ServiceLoader} as a {@link StorageProvider}), applies pending migrations and
 * returns a store ready for use. Migrations run on a worker thread under a lock (a PostgreSQL
 * advisory lock, or SQLite's own write lock), so several instances opening the same empty database
 * at once migrate it exactly once.
 *
 * <p>A store is safe to use from any thread and is owned by whoever opened it: call {@link
 * #close()} when done.
 */
public interface Storage extends Repositories, Transactional<Repositories>, StorageStatus {

  /**
   * Opens the store the options describe and migrates its schema.
   *
   * @param vertx the Vert.x instance whose workers run blocking driver calls
   * @param options where the data lives; copied, so later changes have no effect
   * @return the open store, or a failed future with a {@link StorageException}
   */
  static Future<Storage> open(Vertx vertx, StorageOptions options) {
    StorageOptions copy = new StorageOptions(options);
    for (StorageProvider provider :
        ServiceLoader.load(StorageProvider.class, Storage.class.getClassLoader())) {
      if (provider.kind() == copy.kind()) {
        if (!provider.isAvailable()) {
          return Future.failedFuture(
              new StorageException(
                  "the "
                      + copy.kind().label()
                      + " adapter's driver is not on the classpath: add "
                      + provider.requiredDependencies(),
                  null));
        }
        return provider.open(vertx, copy);
      }
    }
    return Future.failedFuture(
        new StorageException(
            "no storage adapter for " + copy.kind().label() + " on the classpath", null));
  }

  /**
   * Loads, on the calling thread, what opening a store of this kind loads before it reaches the
   * database: the adapter's driver and the migration tool's configuration. It touches no database
   * and opens nothing; {@link #open} loads the same if this was not called. A caller with other
   * work to do before it can open the store runs this on another thread meanwhile, so that the
   * open, often the longest step of a start, no longer waits for class loading.
   *
   * @param options the options the store will be opened with
   * @throws RuntimeException if the driver cannot be loaded ({@link #open} then fails too, and says
   *     why)
   */
  static void prepare(StorageOptions options) {
    StorageKind kind = options.kind();
    for (StorageProvider provider :
        ServiceLoader.load(StorageProvider.class, Storage.class.getClassLoader())) {
      if (provider.kind() == kind && provider.isAvailable()) {
        provider.prepare();
        return;
      }
    }
  }

  /**
   * @return this store: its repositories outside any transaction
   */
  @Override
  default Repositories repositories() {
    return this;
  }

  /**
   * Runs work in one transaction on one connection: every repository the work is handed writes
   * through it, reads included, and is committed when the work's future succeeds or rolled back
   * when it fails. On SQLite the transaction holds the single writer ({@code BEGIN IMMEDIATE}), so
   * keep the work short and never wait inside it for a statement made through this store itself.
   *
   * @param work the statements
   * @param <T> the result
   * @return the work's result, once committed
   */
  @Override
  <T> Future<T> inTransaction(Function<? super Repositories, Future<T>> work);

  /**
   * @return the state history of the devices heard on MQTT, for a {@code DeviceStateRecorder}
   */
  DeviceStateRepository deviceStates();

  /**
   * Creates a leadership for instances that share this database: a role at most one of them holds
   * at a time. SQLite: {@link Leadership#always} (an SQLite file has one instance). PostgreSQL: a
   * session-level advisory lock ({@code pg_try_advisory_lock}) on a connection of its own, outside
   * the pool, keyed by a 64-bit hash of the name; PostgreSQL releases it when that session ends.
   *
   * <p>The leadership is not started, and is owned by the caller, who closes it before this store.
   *
   * @param name the role's name, for example {@value Leadership#COLLECTORS}
   * @param options the timing; copied
   * @return a new leadership, not started
   */
  Leadership leadership(String name, LeadershipOptions options);

  /**
   * Closes every connection. Pending operations complete or fail first.
   *
   * @return a future completed when closed
   */
  Future<Void> close();
}
