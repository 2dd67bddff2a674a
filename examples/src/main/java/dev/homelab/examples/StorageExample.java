package dev.homelab.examples;

import dev.homelab.core.settings.Setting;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Opens Homelab's storage on an SQLite file (migrating it), writes and reads settings.
 *
 * <p>Pass a {@code postgres://} url as the first argument to use PostgreSQL instead.
 */
public final class StorageExample {

  private StorageExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      StorageOptions options = ExampleStorage.fromArgs(args);
      List<Setting> settings = run(vertx, options).await();
      settings.forEach(setting -> System.out.println(setting.key() + " = " + setting.value()));
    } finally {
      vertx.close().await();
    }
  }

  // snippet:storage
  static Future<List<Setting>> run(Vertx vertx, StorageOptions options) {
    return Storage.open(vertx, options)
        .compose(
            storage ->
                storage
                    .settings()
                    .put("dashboard.title", "Garage lab")
                    .compose(
                        v ->
                            storage
                                .settings()
                                .put("dashboard.layout", new JsonObject().put("columns", 3)))
                    .compose(v -> storage.settings().list())
                    .eventually(storage::close));
  }
  // end:storage

}
