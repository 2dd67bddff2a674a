package dev.homelab.core.store;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.store.sqlite.SqliteTestAccess;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  @Override
  protected io.vertx.sqlclient.Pool pool(Storage store) {
    return SqliteTestAccess.writer(store);
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
  void preparingTouchesNoDatabaseAndTheOpenAfterItMigrates() {
    Path file = dir.resolve("prepared/db.sqlite");
    StorageOptions prepared = new StorageOptions().setSqlitePath(file.toString());

    Storage.prepare(prepared);

    assertThat(file.getParent()).doesNotExist();
    Storage other = await(Storage.open(vertx, prepared));
    try {
      assertThat(other.schemaVersion()).isEqualTo(LATEST_SCHEMA_VERSION);
    } finally {
      await(other.close());
    }
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

  @Test
  void accessLogBatchesWaitOutAWriteTransactionOfThePool() throws InterruptedException {
    AccessLogEntry row =
        logRow("0190f000-0000-7000-8000-000000000001", Instant.parse("2026-02-01T00:00:00Z"));
    Pool writer = SqliteTestAccess.writer(storage);
    SqlConnection conn = await(writer.getConnection());
    Future<Void> appended;
    try {
      await(conn.query("BEGIN IMMEDIATE").execute());
      // The access log writes on a connection of its own: it waits for the write lock.
      appended = storage.accessLog().append(List.of(row));
      // Time passing is the scenario: the append must still be waiting after a while, which no
      // signal can show (it is the absence of one).
      Thread.sleep(300);
      assertThat(appended.isComplete()).as("written while the pool held the write lock").isFalse();
      await(conn.query("COMMIT").execute());
    } finally {
      await(conn.close());
    }
    await(appended);
    assertThat(await(storage.accessLog().byId(row.id()))).isEqualTo(row);
  }

  @Test
  void closingFinishesTheAccessLogBatchesAlreadyQueued() {
    Storage second = await(Storage.open(vertx, options));
    Instant base = Instant.parse("2026-02-01T00:00:00Z");
    List<Future<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = String.format("0190f000-0000-7000-8000-%012d", i);
      appends.add(second.accessLog().append(List.of(logRow(id, base.plusSeconds(i)))));
    }
    await(second.close());
    for (Future<Void> append : appends) {
      assertThat(append.succeeded()).isTrue();
    }
    assertThat(await(storage.accessLog().byId("0190f000-0000-7000-8000-000000000019"))).isNotNull();
    AccessLogEntry later = logRow("0190f000-0000-7000-8000-000000000099", base);
    assertThat(awaitFailure(second.accessLog().append(List.of(later))))
        .isInstanceOf(StorageException.class);
  }
}
