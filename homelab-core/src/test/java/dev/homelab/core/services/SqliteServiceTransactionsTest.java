package dev.homelab.core.services;

import dev.homelab.core.store.StorageOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteServiceTransactionsTest extends ServiceTransactionsKit {

  @TempDir Path dir;
  private int databases;

  @Override
  protected StorageOptions freshDatabase() {
    return new StorageOptions().setSqlitePath(dir.resolve("db" + (databases++) + ".db").toString());
  }
}
