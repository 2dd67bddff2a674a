package dev.homelab.core.services;

import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresServiceTransactionsIT extends ServiceTransactionsKit {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Override
  protected StorageOptions freshDatabase() {
    return StorageOptions.fromUri(PG.uriOf(PG.newDatabase()));
  }
}
