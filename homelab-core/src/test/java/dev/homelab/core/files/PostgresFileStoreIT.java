package dev.homelab.core.files;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.store.postgres.PostgresTestAccess;
import dev.homelab.core.testing.PostgresExtension;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresFileStoreIT extends FileStoreKit {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Override
  protected StorageOptions freshDatabase() {
    return StorageOptions.fromUri(PG.uriOf(PG.newDatabase()));
  }

  @Override
  protected Pool pool(Storage storage) {
    return PostgresTestAccess.pool(storage);
  }
}
