package dev.homelab.core.store.spi;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A storage adapter, found by {@link java.util.ServiceLoader}. Implementations must not touch their
 * driver's classes until {@link #open} is called, so that an app without the driver can still load
 * every provider.
 */
public interface StorageProvider {

  /**
   * @return the engine this adapter speaks to
   */
  StorageKind kind();

  /**
   * @return {@code true} if the adapter's driver classes are on the classpath
   */
  boolean isAvailable();

  /**
   * @return the Maven coordinates an app adds to use this adapter, for error messages
   */
  String requiredDependencies();

  /**
   * Loads the driver and the migration tool's configuration without touching a database (see {@link
   * dev.homelab.core.store.Storage#prepare}); nothing by default.
   */
  default void prepare() {}

  /**
   * Opens and migrates the store.
   *
   * @param vertx the Vert.x instance to run on
   * @param options the caller's options, already copied
   * @return the open store
   */
  Future<Storage> open(Vertx vertx, StorageOptions options);
}
