package dev.homelab.server.features;

import dev.homelab.core.store.Storage;
import io.vertx.core.Future;

/**
 * The store: SQLite by default, PostgreSQL with {@code DATABASE_URL}; migrated when opened.
 *
 * <p>Opening it is the longest step of a start (loading the driver, migrating a new database), and
 * it runs on a worker, so it {@linkplain #begin begins} when the start begins, alongside the steps
 * before it, and its step waits for it. Nothing before it uses it, and nothing after it starts
 * before it is open.
 */
public final class StorageFeature implements Feature {

  private final ServerContext context;
  private volatile Future<Storage> opening;
  private Storage storage;

  /**
   * @param context the server's context
   */
  public StorageFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public String name() {
    return "storage";
  }

  /**
   * Begins opening the store. If the start fails before the storage step takes it over, {@link
   * #abandon} closes it.
   */
  void begin() {
    opening = Storage.open(context.vertx(), context.config().storage());
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    Future<Storage> open = opening;
    opening = null;
    if (open == null) {
      open = Storage.open(context.vertx(), context.config().storage());
    }
    return open.compose(
            store -> {
              storage = store;
              opened.push("the store", store::close, CloseStack.DRAIN_TIMEOUT);
              return store.users().ensureBuiltinAdmin();
            })
        .mapEmpty();
  }

  /**
   * Closes the store {@link #begin} began opening, once it is open, if the storage step never took
   * it over (a step before it failed).
   *
   * @return completes when it is closed, or at once if there is nothing to close
   */
  Future<Void> abandon() {
    Future<Storage> open = opening;
    opening = null;
    if (open == null) {
      return Future.succeededFuture();
    }
    return open.transform(
        opened -> opened.succeeded() ? opened.result().close() : Future.succeededFuture());
  }

  /**
   * @return the open store
   */
  public Storage storage() {
    return storage;
  }
}
