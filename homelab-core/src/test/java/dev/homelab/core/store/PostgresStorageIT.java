package dev.homelab.core.store;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.postgres.PostgresTestAccess;
import dev.homelab.core.testing.PostgresExtension;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresStorageIT extends StorageCompatibilityKit {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @Override
  protected StorageOptions freshDatabase() {
    return StorageOptions.fromUri(PG.uriOf(PG.newDatabase()));
  }

  @Override
  protected StorageKind expectedKind() {
    return StorageKind.POSTGRESQL;
  }

  @Override
  protected io.vertx.sqlclient.Pool pool(Storage store) {
    return PostgresTestAccess.pool(store);
  }

  @Test
  void commitsAreSynchronous() {
    String value =
        await(PostgresTestAccess.pool(storage).query("SHOW synchronous_commit").execute())
            .iterator()
            .next()
            .getString(0);
    assertThat(value).isEqualTo("on");
  }

  @Test
  void instancesStartingTogetherMigrateOnce() throws Exception {
    String database = PG.newDatabase();
    StorageOptions shared = StorageOptions.fromUri(PG.uriOf(database));
    List<Future<Storage>> opening = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      opening.add(Storage.open(vertx, shared));
    }
    await(Future.all(opening));
    try {
      for (Future<Storage> each : opening) {
        assertThat(each.result().schemaVersion())
            .isEqualTo(StorageCompatibilityKit.LATEST_SCHEMA_VERSION);
      }
      try (Connection connection = PG.connect(database);
          Statement statement = connection.createStatement();
          ResultSet rows =
              statement.executeQuery(
                  "SELECT version, count(*) FROM schema_version WHERE version IS NOT NULL GROUP BY version")) {
        int newest = 0;
        while (rows.next()) {
          newest = Math.max(newest, Integer.parseInt(rows.getString(1)));
          assertThat(rows.getInt(2))
              .as("applications of version %s", rows.getString(1))
              .isEqualTo(1);
        }
        // Versions may skip numbers (a migration renumbered before its branch merged): each one
        // applied once, up to the newest, is what counts.
        assertThat(newest)
            .isEqualTo(Integer.parseInt(StorageCompatibilityKit.LATEST_SCHEMA_VERSION));
      }
    } finally {
      for (Future<Storage> each : opening) {
        await(each.result().close());
      }
    }
  }

  @Test
  void aLeastPrivilegeRuntimeRoleGetsDataRightsOnly() {
    String database = PG.newDatabase();
    String role = "hl_rt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    PG.execute(database, "CREATE ROLE " + role + " LOGIN");
    try {
      StorageOptions leastPrivilege =
          new StorageOptions().setUrl(PG.uriOf(database, role)).setAdminUrl(PG.uriOf(database));
      Storage runtime = await(Storage.open(vertx, leastPrivilege));
      try {
        await(runtime.settings().put("rights", "data only"));
        assertThat(await(runtime.settings().get("rights")).value()).isEqualTo("data only");
        Throwable ddl =
            awaitFailure(
                PostgresTestAccess.pool(runtime).query("CREATE TABLE intruder (id int)").execute());
        assertThat(ddl).hasMessageContaining("permission denied");
      } finally {
        await(runtime.close());
      }
    } finally {
      PG.execute(database, "REASSIGN OWNED BY " + role + " TO postgres");
      PG.execute(database, "DROP OWNED BY " + role);
      PG.execute("postgres", "DROP ROLE " + role);
    }
  }

  @Test
  void anUnreachableServerFailsWithAStorageExceptionWithoutThePassword() {
    StorageOptions nowhere =
        StorageOptions.fromUri("postgres://someone:s3cret-pass@127.0.0.1:1/nothing");
    Throwable failure = awaitFailure(Storage.open(vertx, nowhere));
    assertThat(failure).isInstanceOf(StorageException.class);
    assertThat(failure.getMessage()).doesNotContain("s3cret-pass");
  }
}
