package dev.homelab.server.features;

import dev.homelab.core.store.Storage;
import io.vertx.core.Future;

/** The store: SQLite by default, PostgreSQL with {@code DATABASE_URL}; migrated when opened. */
public final class StorageFeature implements Feature {

  private final ServerContext context;
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

  @Override
  public Future<Void> start(CloseStack opened) {
    return Storage.open(context.vertx(), context.config().storage())
        .compose(
            open -> {
              storage = open;
              opened.push("the store", open::close);
              return open.users().ensureBuiltinAdmin();
            })
        .mapEmpty();
  }

  /**
   * @return the open store
   */
  public Storage storage() {
    return storage;
  }
}
