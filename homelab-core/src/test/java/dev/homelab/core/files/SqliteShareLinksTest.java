package dev.homelab.core.files;

import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.store.sqlite.SqliteTestAccess;
import io.vertx.sqlclient.Pool;

class SqliteShareLinksTest extends ShareLinksKit {

  @Override
  protected StorageOptions freshDatabase() {
    return new StorageOptions().setSqlitePath(dir.resolve("db/homelab.db").toString());
  }

  @Override
  protected Pool pool(Storage storage) {
    return SqliteTestAccess.writer(storage);
  }
}
