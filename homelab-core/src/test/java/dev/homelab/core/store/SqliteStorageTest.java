package dev.homelab.core.store;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.sqlite.SqliteTestAccess;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStorageTest extends StorageCompatibilityKit {

  @TempDir Path dir;
  private int databases;

  @Override
  protected StorageOptions freshDatabase() {
    return new StorageOptions()
        .setSqlitePath(dir.resolve("nested/dirs/db" + (databases++) + ".db").toString());
  }

  @Override
  protected StorageKind expectedKind() {
    return StorageKind.SQLITE;
  }

  @Test
  void createsMissingDirectoriesAndTheFile() {
    assertThat(Files.isRegularFile(Path.of(options.resolvedSqlitePath()))).isTrue();
  }

  @Test
  void writesAreDurable() {
    Row journal =
        await(SqliteTestAccess.writer(storage).query("PRAGMA journal_mode").execute())
            .iterator()
            .next();
    Row synchronous =
        await(SqliteTestAccess.writer(storage).query("PRAGMA synchronous").execute())
            .iterator()
            .next();
    assertThat(journal.getString(0)).isEqualToIgnoringCase("wal");
    assertThat(synchronous.getInteger(0)).as("synchronous=FULL").isEqualTo(2);
  }

  @Test
  void anSqliteUrlNamesTheFile() {
    Path file = dir.resolve("from-url.db");
    Storage other = await(Storage.open(vertx, StorageOptions.fromUri("sqlite:" + file)));
    try {
      await(other.settings().put("k", "v"));
      assertThat(Files.isRegularFile(file)).isTrue();
    } finally {
      await(other.close());
    }
  }

  @Test
  void twoStoresOnOneFileMigrateOnceAndShareData() {
    Storage second = await(Storage.open(vertx, options));
    try {
      await(storage.settings().put("shared", 1));
      assertThat(await(second.settings().get("shared")).value()).isEqualTo(1);
      assertThat(second.schemaVersion()).isEqualTo(storage.schemaVersion());
    } finally {
      await(second.close());
    }
  }
}
