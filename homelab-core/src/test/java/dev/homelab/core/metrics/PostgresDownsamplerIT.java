package dev.homelab.core.metrics;

import static dev.homelab.core.testing.VertxTesting.await;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The downsampler contract on the PostgreSQL adapter, one new database per test. */
class PostgresDownsamplerIT extends DownsamplerContract {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private Storage storage;

  @Override
  protected MetricRepository freshRepository() {
    closeRepository();
    storage = await(Storage.open(vertx, StorageOptions.fromUri(PG.uriOf(PG.newDatabase()))));
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
