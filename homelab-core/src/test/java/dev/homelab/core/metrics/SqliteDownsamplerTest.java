package dev.homelab.core.metrics;

import static dev.homelab.core.testing.VertxTesting.await;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The downsampler contract on the SQLite adapter. */
class SqliteDownsamplerTest extends DownsamplerContract {

  @TempDir Path dir;
  private Storage storage;
  private int databases;

  @Override
  protected MetricRepository freshRepository() {
    closeRepository();
    StorageOptions options =
        new StorageOptions().setSqlitePath(dir.resolve("metrics" + databases++ + ".db").toString());
    storage = await(Storage.open(vertx, options));
    return storage.metrics();
  }

  @Override
  protected void closeRepository() {
    if (storage != null) {
      await(storage.close());
      storage = null;
    }
  }
}
