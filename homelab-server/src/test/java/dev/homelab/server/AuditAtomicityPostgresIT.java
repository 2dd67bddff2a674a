package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.User;
import dev.homelab.core.testing.PostgresExtension;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change and its audit entry are one transaction, seen through the API: the database itself
 * refuses audit entries that mention "doomed" (a trigger answering "disk full", as a real full disk
 * would), and the device, user or key they belong to is not created; the caller gets a clean 503 in
 * the standard error body, so a retry after the disk is freed creates exactly one.
 */
@Timeout(120)
class AuditAtomicityPostgresIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();
  @TempDir static Path dir;
  static ServerTesting lab;
  static String database;

  @BeforeAll
  static void start() {
    database = PG.newDatabase();
    lab = ServerTesting.start(dir, Map.of("DATABASE_URL", PG.uriOf(database)));
    PG.execute(
        database,
        """
        CREATE FUNCTION refuse_doomed_audit() RETURNS trigger AS $$
        BEGIN
          IF NEW.detail::text LIKE '%doomed%' THEN
            RAISE EXCEPTION 'could not extend file: No space left on device'
              USING ERRCODE = '53100';
          END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql;
        CREATE TRIGGER refuse_doomed_audit BEFORE INSERT ON audit_log
          FOR EACH ROW EXECUTE FUNCTION refuse_doomed_audit();
        """);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  private static void refusedCleanly(Future<?> change) {
    assertThat(awaitFailure(change))
        .isInstanceOfSatisfying(
            HomelabHttpException.class,
            refused -> {
              assertThat(refused.status()).isEqualTo(503);
              assertThat(refused.errorCode()).isEqualTo("STORAGE_UNAVAILABLE");
              assertThat(refused.detail()).doesNotContain("No space left", "audit_log");
            });
  }

  private static List<AuditEntry> audit(String action) {
    return await(lab.client.audit().list(AuditQuery.create().withAction(action))).items();
  }

  @Test
  void aDeviceWhoseAuditEntryIsRefusedIsNotCreated() {
    refusedCleanly(lab.client.devices().create(new NewDevice("doomed lamp", "light")));

    assertThat(await(lab.client.devices().list()).items())
        .extracting(Device::name)
        .doesNotContain("doomed lamp");

    Device fine = await(lab.client.devices().create(new NewDevice("fine lamp", "light")));
    assertThat(audit("device.created"))
        .extracting(AuditEntry::target)
        .containsExactly("device:" + fine.id());
  }

  @Test
  void aUserWhoseAuditEntryIsRefusedIsNotCreated() {
    refusedCleanly(lab.client.users().create("doomed-user", "a-long-password", "viewer"));

    assertThat(await(lab.client.users().list()))
        .extracting(User::username)
        .doesNotContain("doomed-user");
    assertThat(audit("user.created")).isEmpty();
  }

  @Test
  void aKeyWhoseAuditEntryIsRefusedIsNotCreatedAndARevocationIsNotLost() {
    refusedCleanly(lab.client.auth().createKey("doomed key"));
    assertThat(await(lab.client.auth().keys())).isEmpty();

    String id = await(lab.client.auth().createKey("kept key")).key().id();
    assertThat(await(lab.client.auth().keys())).hasSize(1);
    assertThat(audit("auth.key_created")).hasSize(1);
    await(lab.client.auth().revokeKey(id));
    assertThat(await(lab.client.auth().keys())).isEmpty();
    assertThat(audit("auth.key_revoked"))
        .singleElement()
        .satisfies(e -> assertThat(e.target()).isEqualTo("api_key:" + id));
  }
}
