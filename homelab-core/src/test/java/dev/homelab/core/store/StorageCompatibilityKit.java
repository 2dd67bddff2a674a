package dev.homelab.core.store;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.homelab.core.ConflictException;
import dev.homelab.core.Page;
import dev.homelab.core.ValidationException;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogQuery;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.CardUid;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.Reason;
import dev.homelab.core.access.WeeklySchedule;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DevicePatch;
import dev.homelab.core.devices.DeviceQuery;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.identity.ApiKey;
import dev.homelab.core.identity.KeyScope;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.identity.UserUpdate;
import dev.homelab.core.settings.Setting;
import dev.homelab.core.telemetry.SensorReading;
import dev.homelab.core.telemetry.StoredReading;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every storage adapter passes. A subclass supplies options for a fresh, empty
 * database per test; the kit opens it, exercises the ports and closes it.
 */
public abstract class StorageCompatibilityKit
    implements DeviceStateStoreContract, FileStoreContract {

  /** The version of the newest migration; every store opened by the tests migrates to it. */
  public static final String LATEST_SCHEMA_VERSION = "7";

  protected static Vertx vertx;
  protected Storage storage;
  protected StorageOptions options;

  /**
   * @return options for a fresh, empty database that no other test uses
   */
  protected abstract StorageOptions freshDatabase();

  /**
   * @return the engine the subclass tests
   */
  protected abstract StorageKind expectedKind();

  /**
   * @return the adapter's own pool, for statements the ports do not offer
   */
  protected abstract io.vertx.sqlclient.Pool pool(Storage storage);

  @Override
  public Storage contractStorage() {
    return storage;
  }

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void openStorage() {
    options = freshDatabase();
    storage = await(Storage.open(vertx, options));
  }

  @AfterEach
  void closeStorage() {
    if (storage != null) {
      await(storage.close());
    }
  }

  @Test
  void opensMigratedAndReachable() {
    assertThat(storage.kind()).isEqualTo(expectedKind());
    assertThat(storage.schemaVersion()).isEqualTo(LATEST_SCHEMA_VERSION);
    await(storage.ping());
  }

  @Test
  void reportsItsSizeOnDisk() {
    assertThat(await(storage.sizeBytes())).isPositive();
  }

  @Test
  void reopeningIsIdempotentAndKeepsData() {
    await(storage.settings().put("site.title", "My lab"));
    await(storage.close());
    storage = await(Storage.open(vertx, options));
    assertThat(storage.schemaVersion()).isEqualTo(LATEST_SCHEMA_VERSION);
    assertThat(await(storage.settings().get("site.title")).value()).isEqualTo("My lab");
  }

  @Test
  void aSchemaNewerThanTheCodeIsRefusedAndLeftAlone() {
    await(storage.settings().put("site.title", "My lab"));
    // A newer Homelab applied a version this one does not have (a downgrade after an upgrade).
    await(
        pool(storage)
            .query(
                "INSERT INTO schema_version (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success)"
                    + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0,"
                    + " 'newer', 1, TRUE)")
            .execute());
    String history = historyOf(storage);

    Throwable refused = awaitFailure(Storage.open(vertx, options));
    assertThat(refused)
        .isInstanceOf(StorageException.class)
        .hasMessage(
            "the database schema is at version 99, newer than this Homelab knows ("
                + LATEST_SCHEMA_VERSION
                + "): it was written by a newer version of Homelab; run that version or restore a"
                + " backup made by this one");
    assertThat(historyOf(storage)).as("a refusal changes nothing").isEqualTo(history);
    assertThat(await(storage.settings().get("site.title")).value()).isEqualTo("My lab");
  }

  private String historyOf(Storage store) {
    List<String> rows = new ArrayList<>();
    await(
            pool(store)
                .query(
                    "SELECT installed_rank, version, checksum, success FROM schema_version"
                        + " ORDER BY installed_rank")
                .execute())
        .forEach(
            row ->
                rows.add(
                    row.getValue(0)
                        + " "
                        + row.getValue(1)
                        + " "
                        + row.getValue(2)
                        + " "
                        + row.getValue(3)));
    return String.join("\n", rows);
  }

  @Test
  void controlCharactersAreRefusedAlikeOnEveryStore() {
    // PostgreSQL cannot store U+0000 and SQLite would keep it silently: both refuse it up front.
    assertThat(awaitFailure(storage.settings().put("motd", "a\u0000b")))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("value");
    assertThat(
            awaitFailure(
                storage.settings().put("motd", new JsonObject().put("nested", List.of("\u0007")))))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("value.nested[0]");
    assertThat(await(storage.settings().list())).noneMatch(s -> s.key().equals("motd"));
    assertThat(await(storage.settings().put("motd", "line\nbreak\tok")).value())
        .isEqualTo("line\nbreak\tok");
    for (JsonObject body :
        List.of(
            new JsonObject().put("name", "door\u0000").put("device_type", "rfid_reader"),
            new JsonObject()
                .put("name", "door")
                .put("device_type", "rfid_reader")
                .put("description", "\u0000"),
            new JsonObject()
                .put("name", "door")
                .put("device_type", "rfid_reader")
                .put("metadata", new JsonObject().put("k\u0000", 1)))) {
      assertThat(catchThrowable(() -> NewDevice.fromJson(body)))
          .isInstanceOf(ValidationException.class);
    }
  }

  @Test
  void everyJsonTypeRoundTrips() {
    List<Object> values =
        List.of(
            new JsonObject()
                .put("theme", "dark")
                .put("columns", 3)
                .put("nested", new JsonObject().put("ok", true)),
            new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3.5)),
            "plain text with ünïcode and \"quotes\"",
            42,
            2.75,
            true);
    for (int i = 0; i < values.size(); i++) {
      Setting stored = await(storage.settings().put("value." + i, values.get(i)));
      Setting read = await(storage.settings().get("value." + i));
      assertThat(read.value()).as("value %d", i).isEqualTo(values.get(i));
      assertThat(read.updatedAt()).isEqualTo(stored.updatedAt());
      assertThat(stored.value()).isEqualTo(values.get(i));
    }
  }

  @Test
  void putReplacesTheValue() {
    Setting first = await(storage.settings().put("units", "metric"));
    Setting second = await(storage.settings().put("units", "imperial"));
    assertThat(await(storage.settings().get("units")).value()).isEqualTo("imperial");
    assertThat(second.updatedAt()).isAfterOrEqualTo(first.updatedAt());
    assertThat(await(storage.settings().list())).hasSize(1);
  }

  @Test
  void listIsOrderedByKey() {
    for (String key : List.of("b", "a.2", "c", "a.10")) {
      await(storage.settings().put(key, key));
    }
    assertThat(await(storage.settings().list()))
        .extracting(Setting::key)
        .containsExactly("a.10", "a.2", "b", "c");
  }

  @Test
  void deleteTellsWhetherSomethingWasRemoved() {
    await(storage.settings().put("gone", 1));
    assertThat(await(storage.settings().delete("gone"))).isTrue();
    assertThat(await(storage.settings().delete("gone"))).isFalse();
    assertThat(await(storage.settings().get("gone"))).isNull();
  }

  @Test
  void missingKeyReadsAsNull() {
    assertThat(await(storage.settings().get("never.written"))).isNull();
  }

  @Test
  void invalidInputIsRefusedAndChangesNothing() {
    await(storage.settings().put("kept", "yes"));
    assertThat(awaitFailure(storage.settings().put("Bad Key", 1)))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("key");
    assertThat(awaitFailure(storage.settings().put("kept", null)))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("value");
    assertThat(awaitFailure(storage.settings().put("big", "x".repeat(Setting.MAX_VALUE_BYTES + 1))))
        .isInstanceOf(ValidationException.class);
    assertThat(awaitFailure(storage.settings().put("odd", new Object())))
        .isInstanceOf(ValidationException.class);
    assertThat(awaitFailure(storage.settings().get("x".repeat(200))))
        .isInstanceOf(ValidationException.class);
    assertThat(await(storage.settings().list())).extracting(Setting::key).containsExactly("kept");
    assertThat(await(storage.settings().get("kept")).value()).isEqualTo("yes");
  }

  @Test
  void concurrentWritesAllLand() {
    List<Future<Setting>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(storage.settings().put("concurrent." + i, new JsonObject().put("i", i)));
    }
    await(Future.all(writes));
    List<Setting> all = await(storage.settings().list());
    assertThat(all).hasSize(200);
    assertThat(all)
        .allSatisfy(
            s ->
                assertThat(s.key())
                    .isEqualTo("concurrent." + ((JsonObject) s.value()).getInteger("i")));
  }

  @Test
  void aClosedStoreFailsWithAStorageException() {
    await(storage.close());
    Throwable failure = awaitFailure(storage.settings().get("anything"));
    storage = null;
    assertThat(failure).isInstanceOf(StorageException.class);
  }

  // --- users, keys, revocations ----------------------------------------------------------------

  @Test
  void usersAreUniqueCaseInsensitiveAndUpdatable() {
    User alice = await(storage.users().create("Alice", Role.USER, "hash-1"));
    assertThat(alice.username()).isEqualTo("alice");
    assertThat(await(storage.users().byUsername("ALICE"))).isEqualTo(alice);
    ConflictException taken =
        (ConflictException) awaitFailure(storage.users().create("alice", Role.ADMIN, "hash-2"));
    assertThat(taken.errorCode()).isEqualTo("USERNAME_TAKEN");

    User changed =
        await(storage.users().update(alice.id(), new UserUpdate(Role.VIEWER, null, true)));
    assertThat(changed.role()).isEqualTo(Role.VIEWER);
    assertThat(changed.disabled()).isTrue();
    assertThat(changed.passwordHash()).isEqualTo("hash-1");
    assertThat(await(storage.users().update("nobody", new UserUpdate(Role.USER, null, null))))
        .isNull();
    assertThat(await(storage.users().list())).extracting(User::username).containsExactly("alice");
  }

  @Test
  void theBuiltinAdminIsCreatedOnceEvenConcurrently() {
    List<Future<User>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(storage.users().ensureBuiltinAdmin());
    }
    await(Future.all(all));
    assertThat(all).extracting(f -> f.result().id()).containsOnly(all.get(0).result().id());
    User admin = all.get(0).result();
    assertThat(admin.builtin()).isTrue();
    assertThat(admin.role()).isEqualTo(Role.ADMIN);
    assertThat(admin.passwordHash()).isNull();
  }

  @Test
  void deletingAUserTakesTheirKeysAndDevices() {
    User bob = await(storage.users().create("bob", Role.USER, "h"));
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    ApiKey key = new ApiKey("k1", bob.id(), "script", KeyScope.VIEWER, "secret-hash", now, null);
    assertThat(await(storage.apiKeys().create(key))).isEqualTo(key);
    ApiKey expiring =
        new ApiKey(
            "k2", bob.id(), "bot", KeyScope.USER, "h2", now.plusMillis(1), now.plusSeconds(60));
    await(storage.apiKeys().create(expiring));
    assertThat(await(storage.apiKeys().byId("k2"))).isEqualTo(expiring);
    assertThat(await(storage.apiKeys().listByUser(bob.id())))
        .extracting(ApiKey::id)
        .containsExactly("k2", "k1");
    Device device =
        await(storage.devices().create(bob.id(), new NewDevice("door", "rfid_reader", null, null)));

    assertThat(await(storage.users().delete(bob.id()))).isTrue();
    assertThat(await(storage.apiKeys().byId("k1"))).isNull();
    assertThat(await(storage.devices().get(OwnerFilter.any(), device.id()))).isNull();
    assertThat(await(storage.users().delete(bob.id()))).isFalse();
  }

  @Test
  void revokedTokensAreRememberedUntilTheyExpire() {
    Instant now = Instant.now();
    await(storage.revokedTokens().revoke("jti-old", now.minusSeconds(10)));
    await(storage.revokedTokens().revoke("jti-new", now.plusSeconds(3600)));
    await(storage.revokedTokens().revoke("jti-new", now.plusSeconds(3600)));
    assertThat(await(storage.revokedTokens().isRevoked("jti-new"))).isTrue();
    assertThat(await(storage.revokedTokens().isRevoked("jti-other"))).isFalse();
    assertThat(await(storage.revokedTokens().purgeExpired(now))).isEqualTo(1);
    assertThat(await(storage.revokedTokens().isRevoked("jti-old"))).isFalse();
    assertThat(await(storage.revokedTokens().isRevoked("jti-new"))).isTrue();
  }

  // --- devices -----------------------------------------------------------------------------------

  @Test
  void devicesAreIsolatedByOwnerInEveryOperation() {
    User alice = await(storage.users().create("alice", Role.USER, "h"));
    User bob = await(storage.users().create("bob", Role.USER, "h"));
    JsonObject meta = new JsonObject().put("ip", "10.0.20.5").put("tags", new JsonArray().add(1));
    Device door =
        await(
            storage
                .devices()
                .create(alice.id(), new NewDevice(" Front door ", "rfid_reader", "esp32", meta)));
    assertThat(door.name()).isEqualTo("Front door");
    assertThat(door.metadata()).isEqualTo(meta);
    OwnerFilter asAlice = OwnerFilter.only(alice.id());
    OwnerFilter asBob = OwnerFilter.only(bob.id());

    assertThat(await(storage.devices().get(asAlice, door.id()))).isEqualTo(door);
    assertThat(await(storage.devices().get(asBob, door.id()))).isNull();
    assertThat(await(storage.devices().list(asBob, DeviceQuery.first())).items()).isEmpty();
    DevicePatch rename = new DevicePatch("Back door", null, null, true, null);
    assertThat(await(storage.devices().update(asBob, door.id(), rename))).isNull();
    assertThat(await(storage.devices().setTokenHash(asBob, door.id(), "t"))).isFalse();
    assertThat(await(storage.devices().delete(asBob, door.id()))).isFalse();
    assertThat(await(storage.devices().get(OwnerFilter.any(), door.id()))).isEqualTo(door);

    Device renamed = await(storage.devices().update(asAlice, door.id(), rename));
    assertThat(renamed.name()).isEqualTo("Back door");
    assertThat(renamed.description()).isNull();
    assertThat(renamed.metadata()).isEqualTo(meta);
    assertThat(renamed.updatedAt()).isAfterOrEqualTo(door.updatedAt());
    assertThat(await(storage.devices().setTokenHash(asAlice, door.id(), "token-hash"))).isTrue();
    assertThat(await(storage.devices().byTokenHash("token-hash")).hasToken()).isTrue();
    assertThat(await(storage.devices().delete(asAlice, door.id()))).isTrue();
    assertThat(await(storage.devices().get(OwnerFilter.any(), door.id()))).isNull();
  }

  @Test
  void deviceListsPageInCreationOrderAndFilterByType() {
    User alice = await(storage.users().create("alice", Role.USER, "h"));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String type = i % 2 == 0 ? "sensor" : "camera";
      ids.add(
          await(storage.devices().create(alice.id(), new NewDevice("d" + i, type, null, null)))
              .id());
    }
    OwnerFilter filter = OwnerFilter.only(alice.id());
    Page<Device> first = await(storage.devices().list(filter, new DeviceQuery(null, 2, null)));
    Page<Device> second =
        await(storage.devices().list(filter, new DeviceQuery(null, 2, first.nextCursor())));
    Page<Device> last =
        await(storage.devices().list(filter, new DeviceQuery(null, 2, second.nextCursor())));
    List<String> seen = new ArrayList<>();
    for (Page<Device> page : List.of(first, second, last)) {
      page.items().forEach(d -> seen.add(d.id()));
    }
    assertThat(seen).isEqualTo(ids);
    assertThat(last.hasNext()).isFalse();
    assertThat(await(storage.devices().list(filter, new DeviceQuery("camera", 10, null))).items())
        .extracting(Device::name)
        .containsExactly("d1", "d3");
  }

  // --- audit -------------------------------------------------------------------------------------

  @Test
  void auditEntriesAreFilteredPagedAndExpiredInBatches() {
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 0; i < 7; i++) {
      await(
          storage
              .audit()
              .append(
                  new AuditEntry(
                      0,
                      base.plusSeconds(i * 60L),
                      i % 2 == 0 ? "auth.login" : "auth.login_failed",
                      i % 2 == 0 ? AuditEntry.SUCCESS : AuditEntry.FAILURE,
                      "u" + (i % 3),
                      "user" + (i % 3),
                      "127.0.0.1",
                      "req-" + i,
                      null,
                      new JsonObject().put("n", i))));
    }
    Page<AuditEntry> newest =
        await(storage.audit().list(new AuditQuery(null, null, null, null, null, 3, null)));
    assertThat(newest.items()).extracting(e -> e.detail().getInteger("n")).containsExactly(6, 5, 4);
    Page<AuditEntry> next =
        await(
            storage
                .audit()
                .list(new AuditQuery(null, null, null, null, null, 3, newest.nextCursor())));
    assertThat(next.items()).extracting(e -> e.detail().getInteger("n")).containsExactly(3, 2, 1);
    Page<AuditEntry> failed =
        await(
            storage
                .audit()
                .list(
                    new AuditQuery(
                        "auth.login_failed",
                        "u1",
                        AuditEntry.FAILURE,
                        base,
                        base.plusSeconds(3600),
                        100,
                        null)));
    assertThat(failed.items()).extracting(AuditEntry::requestId).containsExactly("req-1");
    assertThat(failed.items().get(0).time()).isEqualTo(base.plusSeconds(60));

    Instant cutoff = base.plusSeconds(5 * 60L);
    assertThat(await(storage.audit().deleteOlderThan(cutoff, 2))).isEqualTo(2);
    assertThat(await(storage.audit().deleteOlderThan(cutoff, 2))).isEqualTo(2);
    assertThat(await(storage.audit().deleteOlderThan(cutoff, 2))).isEqualTo(1);
    assertThat(await(storage.audit().deleteOlderThan(cutoff, 2))).isZero();
    assertThat(await(storage.audit().list(AuditQuery.newest())).items())
        .extracting(e -> e.detail().getInteger("n"))
        .containsExactly(6, 5);
  }

  // --- access ------------------------------------------------------------------------------------

  @Test
  void cardPoliciesRoundTripConflictAndBumpTheRevision() {
    long start = await(storage.accessPolicies().revision());
    WeeklySchedule schedule =
        WeeklySchedule.fromJson(
            new JsonObject(
                "{\"time_zone\":\"Europe/Rome\",\"windows\":[{\"days\":[\"mon\",\"fri\"],"
                    + "\"start\":\"22:00\",\"end\":\"06:00\"}]}"));
    NewCardPolicy card =
        new NewCardPolicy(
            CardUid.normalize("ba:83:9d:07"),
            "Ann",
            true,
            Instant.parse("2026-01-01T00:00:00Z"),
            Instant.parse("2027-01-01T00:00:00Z"),
            Set.of("door-1", "door-2"),
            Set.of("front"),
            schedule);
    CardPolicy created = await(storage.accessPolicies().createCard(card));
    assertThat(created.uid()).isEqualTo("BA839D07");
    CardPolicy read = await(storage.accessPolicies().card("BA839D07"));
    assertThat(read).isEqualTo(created);
    assertThat(read.schedule()).isEqualTo(schedule);
    assertThat(await(storage.accessPolicies().revision())).isEqualTo(start + 1);

    assertThat(awaitFailure(storage.accessPolicies().createCard(card)))
        .isInstanceOf(ConflictException.class);
    assertThat(await(storage.accessPolicies().revision()))
        .as("a refused change changes nothing")
        .isEqualTo(start + 1);

    await(
        storage
            .accessPolicies()
            .createCard(new NewCardPolicy("01AB", null, false, null, null, null, null, null)));
    CardPolicy changed =
        new CardPolicy(
            "BA839D07",
            null,
            false,
            null,
            null,
            Set.of(),
            Set.of(),
            null,
            created.createdAt(),
            created.updatedAt());
    CardPolicy updated = await(storage.accessPolicies().updateCard(changed));
    assertThat(await(storage.accessPolicies().card("BA839D07"))).isEqualTo(updated);
    assertThat(updated.updatedAt()).isAfter(created.updatedAt());
    assertThat(await(storage.accessPolicies().updateCard(changed)))
        .as("a change made from a version that is no longer stored is refused")
        .isNull();
    assertThat(updated.holder()).isNull();
    assertThat(updated.schedule()).isNull();
    assertThat(updated.enabled()).isFalse();
    assertThat(
            await(
                storage
                    .accessPolicies()
                    .updateCard(
                        new CardPolicy(
                            "FFFF",
                            null,
                            true,
                            null,
                            null,
                            null,
                            null,
                            null,
                            Instant.EPOCH,
                            Instant.EPOCH))))
        .isNull();
    assertThat(await(storage.accessPolicies().cards()))
        .extracting(CardPolicy::uid)
        .containsExactly("01AB", "BA839D07");
    assertThat(await(storage.accessPolicies().deleteCard("01AB"))).isTrue();
    assertThat(await(storage.accessPolicies().deleteCard("01AB"))).isFalse();
    assertThat(await(storage.accessPolicies().card("01AB"))).isNull();
    assertThat(await(storage.accessPolicies().revision())).isEqualTo(start + 4);
  }

  @Test
  void readerGroupsAreCreatedReplacedAndDeleted() {
    long start = await(storage.accessPolicies().revision());
    await(storage.accessPolicies().putGroup("front", Set.of("door-1", "door-2")));
    await(storage.accessPolicies().putGroup("garage", Set.of("door-9")));
    ReaderGroup replaced = await(storage.accessPolicies().putGroup("front", Set.of("door-3")));
    assertThat(await(storage.accessPolicies().groups()))
        .extracting(ReaderGroup::name, ReaderGroup::readers)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("front", Set.of("door-3")),
            org.assertj.core.groups.Tuple.tuple("garage", Set.of("door-9")));
    assertThat(replaced.readers()).containsExactly("door-3");
    assertThat(await(storage.accessPolicies().deleteGroup("garage"))).isTrue();
    assertThat(await(storage.accessPolicies().deleteGroup("garage"))).isFalse();
    assertThat(await(storage.accessPolicies().revision())).isEqualTo(start + 4);
  }

  @Test
  void anAccessLogBatchIsWrittenWholeOrNotAtAll() {
    Instant at = Instant.parse("2026-02-01T00:00:00Z");
    AccessLogEntry first = logRow("0190f000-0000-7000-8000-000000000001", at);
    AccessLogEntry fresh = logRow("0190f000-0000-7000-8000-000000000002", at);
    AccessLogEntry later = logRow("0190f000-0000-7000-8000-000000000003", at);
    await(storage.accessLog().append(List.of(first)));

    // The second row repeats the first's id: the whole batch fails and writes nothing.
    assertThat(awaitFailure(storage.accessLog().append(List.of(fresh, first))))
        .isInstanceOf(StorageException.class);
    assertThat(await(storage.accessLog().byId(fresh.id()))).isNull();

    // The failure leaves the log writable.
    await(storage.accessLog().append(List.of(later)));
    assertThat(await(storage.accessLog().byId(later.id()))).isEqualTo(later);
  }

  protected static AccessLogEntry logRow(String id, Instant time) {
    return new AccessLogEntry(id, time, "door-1", "BA839D07", true, Reason.GRANTED, "Ann", 0.01);
  }

  @Test
  void accessLogBatchesAreFilteredPagedNewestFirstAndExpiredInBatches() {
    Instant base = Instant.parse("2026-02-01T00:00:00Z");
    List<AccessLogEntry> rows = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) {
      rows.add(
          new AccessLogEntry(
              String.format("0190f000-0000-7000-8000-%012d", i),
              base.plusSeconds(i),
              i % 3 == 0 ? "door-1" : "door-2",
              i % 2 == 0 ? "BA839D07" : "0102",
              i % 2 == 0,
              i % 2 == 0 ? Reason.GRANTED : Reason.UNKNOWN_CARD,
              i % 2 == 0 ? "Ann" : null,
              0.004 + i));
    }
    await(storage.accessLog().append(rows.subList(0, 5)));
    await(storage.accessLog().append(rows.subList(5, 9)));
    await(storage.accessLog().append(List.of()));
    assertThat(await(storage.accessLog().byId(rows.get(4).id()))).isEqualTo(rows.get(4));
    assertThat(await(storage.accessLog().byId("0190f000-0000-7000-8000-999999999999"))).isNull();

    var first =
        await(storage.accessLog().list(new AccessLogQuery(null, null, null, null, null, 4, null)));
    assertThat(first.items())
        .extracting(e -> e.id().substring(24))
        .containsExactly("000000000008", "000000000007", "000000000006", "000000000005");
    var second =
        await(
            storage
                .accessLog()
                .list(new AccessLogQuery(null, null, null, null, null, 4, first.nextCursor())));
    assertThat(second.items()).hasSize(4);
    var last =
        await(
            storage
                .accessLog()
                .list(new AccessLogQuery(null, null, null, null, null, 4, second.nextCursor())));
    assertThat(last.items()).hasSize(1);
    assertThat(last.nextCursor()).isNull();

    var filtered =
        await(
            storage
                .accessLog()
                .list(
                    new AccessLogQuery(
                        "door-1", "ba:83:9d:07", true, base, base.plusSeconds(7), 100, null)));
    assertThat(filtered.items())
        .extracting(AccessLogEntry::time)
        .containsExactly(base.plusSeconds(6), base);
    var denied =
        await(
            storage.accessLog().list(new AccessLogQuery(null, null, false, null, null, 100, null)));
    assertThat(denied.items()).hasSize(4).allMatch(e -> e.reason() == Reason.UNKNOWN_CARD);

    assertThat(await(storage.accessLog().deleteOlderThan(base.plusSeconds(5), 3))).isEqualTo(3);
    assertThat(await(storage.accessLog().deleteOlderThan(base.plusSeconds(5), 3))).isEqualTo(2);
    assertThat(await(storage.accessLog().deleteOlderThan(base.plusSeconds(5), 3))).isZero();
    assertThat(await(storage.accessLog().list(AccessLogQuery.newest())).items()).hasSize(4);
  }

  @Test
  void anAccessLogBatchIsAllOrNothing() {
    AccessLogEntry row =
        new AccessLogEntry(
            "0190f000-0000-7000-8000-000000000001",
            Instant.parse("2026-02-01T00:00:00Z"),
            "door-1",
            "0102",
            false,
            Reason.UNKNOWN_CARD,
            null,
            0.01);
    AccessLogEntry other =
        new AccessLogEntry(
            "0190f000-0000-7000-8000-000000000002",
            row.time(),
            "door-1",
            "0103",
            false,
            Reason.UNKNOWN_CARD,
            null,
            0.01);
    await(storage.accessLog().append(List.of(row)));
    // The duplicate id fails the batch: the new row in it must not be kept either.
    assertThat(awaitFailure(storage.accessLog().append(List.of(other, row))))
        .isInstanceOf(StorageException.class);
    assertThat(await(storage.accessLog().byId(other.id()))).isNull();
  }

  @Test
  void apiKeysMayHaveTheAccessScope() {
    User bob = await(storage.users().create("bob", Role.ADMIN, null));
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    await(
        storage
            .apiKeys()
            .create(new ApiKey("k9", bob.id(), "door", KeyScope.ACCESS, "h", now, null)));
    assertThat(await(storage.apiKeys().byId("k9")).scope()).isEqualTo(KeyScope.ACCESS);
  }

  @Test
  void metricWatermarksNeverGoBackwards() {
    var tiers = dev.homelab.core.metrics.DownsamplerOptions.DEFAULT_TIERS;
    // A late step of an instance that has just lost the leadership commits after the new leader's.
    await(storage.metrics().rollUp(tiers.get(0), tiers.get(1), 0, 600_000));
    await(storage.metrics().rollUp(tiers.get(0), tiers.get(1), 0, 300_000));
    assertThat(await(storage.metrics().watermarks())).containsEntry(tiers.get(1).name(), 600_000L);
  }

  // --- sensor readings ---------------------------------------------------------------------------

  private static SensorReading reading(String device, Instant time, String messageId, double t) {
    Map<String, Double> values = new LinkedHashMap<>();
    values.put("temperature", t);
    values.put("humidity", 40.5);
    return new SensorReading(device, time, messageId, values);
  }

  @Test
  void sensorReadingsAreStoredOnceAndReadBackInPositionOrder() {
    User bob = await(storage.users().create("bob", Role.USER, "h"));
    Device sensor =
        await(storage.devices().create(bob.id(), new NewDevice("hall", "sensor", null, null)));
    Instant t = Instant.parse("2026-03-01T10:00:00.123Z");
    Instant storedAt = Instant.parse("2026-03-01T10:00:01Z");
    SensorReading first = reading(sensor.id(), t, "m1", 21.5);
    SensorReading noId = reading(sensor.id(), t, null, 21.6);
    SensorReading later = reading(sensor.id(), t.plusSeconds(1), null, 21.7);
    SensorReading sameCallTwice = reading(sensor.id(), t.plusSeconds(2), "m2", 1);
    SensorReading sameCallAgain = reading(sensor.id(), t.plusSeconds(2), "m2", 2);
    SensorReading goneDevice = reading("00000000-0000-4000-8000-000000000000", t, null, 3);

    List<SensorReading> stored =
        await(
            storage
                .sensorReadings()
                .append(
                    List.of(first, noId, later, sameCallTwice, sameCallAgain, goneDevice),
                    storedAt));
    assertThat(stored).containsExactly(first, noId, later, sameCallTwice);

    // A redelivery (same device, time and message id) and a retry without id are not stored again,
    // even with other values; a new message id at the same time is a new reading.
    SensorReading redelivered = reading(sensor.id(), t, "m1", 99);
    SensorReading retried = reading(sensor.id(), t, null, 99);
    SensorReading otherMessage = reading(sensor.id(), t, "m3", 22);
    assertThat(
            await(
                storage
                    .sensorReadings()
                    .append(List.of(redelivered, retried, otherMessage), storedAt.plusSeconds(5))))
        .containsExactly(otherMessage);

    List<StoredReading> all =
        await(storage.sensorReadings().after(0, storedAt.plusSeconds(10), 100));
    assertThat(all)
        .extracting(StoredReading::reading)
        .containsExactly(first, noId, later, sameCallTwice, otherMessage);
    assertThat(all.get(0).reading().values().keySet()).containsExactly("temperature", "humidity");
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).position()).isGreaterThan(all.get(i - 1).position());
    }
    // The cursor: after a position, stored before a time, at most a limit.
    assertThat(
            await(
                storage.sensorReadings().after(all.get(1).position(), storedAt.plusSeconds(10), 2)))
        .extracting(StoredReading::reading)
        .containsExactly(later, sameCallTwice);
    assertThat(await(storage.sensorReadings().after(0, storedAt.plusSeconds(1), 100))).hasSize(4);
    // Positions need not be consecutive (PostgreSQL spends one on a conflicting row).
    long restart = await(storage.sensorReadings().positionBefore(storedAt.plusSeconds(3)));
    assertThat(await(storage.sensorReadings().after(restart, storedAt.plusSeconds(10), 100)))
        .extracting(StoredReading::reading)
        .containsExactly(otherMessage);
    assertThat(await(storage.sensorReadings().positionBefore(storedAt)))
        .isEqualTo(all.get(0).position() - 1);
    assertThat(await(storage.sensorReadings().positionBefore(storedAt.plusSeconds(60))))
        .isEqualTo(all.get(4).position());

    // A device's readings go with it.
    assertThat(await(storage.devices().delete(OwnerFilter.any(), sensor.id()))).isTrue();
    assertThat(await(storage.sensorReadings().after(0, storedAt.plusSeconds(10), 100))).isEmpty();
  }

  @Test
  void sensorReadingsInATransactionCommitWithIt() {
    User bob = await(storage.users().create("bob", Role.USER, "h"));
    Device sensor =
        await(storage.devices().create(bob.id(), new NewDevice("hall", "sensor", null, null)));
    Instant t = Instant.parse("2026-03-01T10:00:00Z");
    SensorReading one = reading(sensor.id(), t, null, 20);
    SensorReading two = reading(sensor.id(), t.plusSeconds(1), null, 21);
    Throwable failed =
        awaitFailure(
            storage.inTransaction(
                repos ->
                    repos
                        .sensorReadings()
                        .append(List.of(one), t)
                        .compose(v -> Future.failedFuture(new IllegalStateException("abort")))));
    assertThat(failed).hasMessage("abort");
    assertThat(await(storage.sensorReadings().after(0, t.plusSeconds(10), 100))).isEmpty();
    List<SensorReading> stored =
        await(
            storage.<List<SensorReading>>inTransaction(
                repos -> repos.sensorReadings().append(List.of(one, two, one), t)));
    assertThat(stored).containsExactly(one, two);
    assertThat(await(storage.sensorReadings().after(0, t.plusSeconds(10), 100))).hasSize(2);
  }
}
