package dev.homelab.core.services;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.Transactional;
import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DevicePatch;
import dev.homelab.core.devices.DeviceQuery;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Accounts;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.ApiKeySecrets;
import dev.homelab.core.identity.NewApiKey;
import dev.homelab.core.identity.NewUser;
import dev.homelab.core.identity.Passwords;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.identity.UserPatch;
import dev.homelab.core.settings.Settings;
import dev.homelab.core.store.Repositories;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageException;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.FailingAudit;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core services write a change and its audit entry in one transaction, on every store: with a
 * failing audit log nothing of the change is left behind and no event goes out; on success the row
 * and its entry exist together. A subclass supplies a fresh database.
 */
public abstract class ServiceTransactionsKit {

  private static Vertx vertx;
  private static Passwords passwords;

  private Storage storage;
  private EventHub events;
  private final List<Event> published = new CopyOnWriteArrayList<>();
  private Actor owner;

  /**
   * @return options for a fresh, empty database that no other test uses
   */
  protected abstract StorageOptions freshDatabase();

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
    passwords = await(Passwords.create(vertx));
  }

  @AfterAll
  static void stopVertx() {
    await(passwords.close());
    await(vertx.close());
  }

  @BeforeEach
  void open() {
    storage = await(Storage.open(vertx, freshDatabase()));
    events = EventHub.create(vertx);
    events.subscribe(List.of(DeviceRegistry.TOPIC), published::add);
    User user = await(storage.users().create("owner", Role.USER, "unused-hash"));
    owner = new Actor(user.id(), user.username(), Role.USER, "192.0.2.7", "req-1");
  }

  @AfterEach
  void close() {
    await(events.close());
    await(storage.close());
  }

  private DeviceRegistry registry(Transactional<? extends Repositories> store) {
    return new DeviceRegistry(store, events, Clock.systemUTC());
  }

  private Accounts accounts(Transactional<? extends Repositories> store) {
    return new Accounts(store, passwords, Clock.systemUTC());
  }

  private static NewDevice sensor(String name) {
    return new NewDevice(name, "sensor", null, null);
  }

  private List<AuditEntry> audit() {
    return await(storage.audit().list(AuditQuery.newest())).items();
  }

  private void assertTheChangeFailedOnTheAudit(Future<?> change) {
    assertThat(awaitFailure(change))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(FailingAudit.MESSAGE);
  }

  @Test
  void aCreatedDeviceAndItsAuditEntryAreStoredTogetherThenPublished() {
    Device created = await(registry(storage).create(owner, sensor("hall")));

    assertThat(await(storage.devices().get(OwnerFilter.any(), created.id()))).isEqualTo(created);
    assertThat(audit())
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.action()).isEqualTo("device.created");
              assertThat(entry.target()).isEqualTo("device:" + created.id());
              assertThat(entry.actorId()).isEqualTo(owner.userId());
              assertThat(entry.actor()).isEqualTo("owner");
              assertThat(entry.sourceIp()).isEqualTo("192.0.2.7");
              assertThat(entry.requestId()).isEqualTo("req-1");
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 1);
    assertThat(published.get(0).payload().getString("change")).isEqualTo("created");
  }

  @Test
  void aDeviceWhoseAuditEntryFailsIsNotStoredNorPublished() {
    assertTheChangeFailedOnTheAudit(
        registry(FailingAudit.around(storage)).create(owner, sensor("ghost")));

    assertThat(await(storage.devices().list(OwnerFilter.any(), DeviceQuery.first())).items())
        .isEmpty();
    assertThat(audit()).isEmpty();
    // A later change's event is the first one: the failed create published nothing.
    Device next = await(registry(storage).create(owner, sensor("real")));
    await().atMost(Duration.ofSeconds(10)).until(() -> !published.isEmpty());
    assertThat(published)
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.payload().getJsonObject("device").getString("id"))
                    .isEqualTo(next.id()));
  }

  @Test
  void updatesDeletesAndTokensWhoseAuditEntryFailsChangeNothing() {
    DeviceRegistry real = registry(storage);
    DeviceRegistry failing = registry(FailingAudit.around(storage));
    Device device = await(real.create(owner, sensor("porch")));
    String token = await(real.issueToken(owner, device.id())).token();

    assertTheChangeFailedOnTheAudit(
        failing.update(owner, device.id(), new DevicePatch("renamed", null, null, false, null)));
    assertTheChangeFailedOnTheAudit(failing.issueToken(owner, device.id()));
    assertTheChangeFailedOnTheAudit(failing.delete(owner, device.id()));

    Device stored = await(storage.devices().get(OwnerFilter.any(), device.id()));
    assertThat(stored.name()).isEqualTo("porch");
    assertThat(await(storage.devices().byTokenHash(ApiKeySecrets.hash(token))))
        .as("the token issued before still works")
        .isNotNull();
    assertThat(audit())
        .extracting(AuditEntry::action)
        .containsExactly("device.token_issued", "device.created");
  }

  @Test
  void aUserKeyOrSessionWhoseAuditEntryFailsIsNotStored() {
    Actor admin = Actor.system("test");
    Accounts failing = accounts(FailingAudit.around(storage));
    Accounts real = accounts(storage);

    assertTheChangeFailedOnTheAudit(
        failing.createUser(admin, new NewUser("newcomer", "a-long-password", Role.USER)));
    assertThat(await(storage.users().byUsername("newcomer"))).isNull();

    assertTheChangeFailedOnTheAudit(
        failing.updateUser(admin, owner.userId(), new UserPatch(Role.ADMIN, null, null)));
    assertTheChangeFailedOnTheAudit(failing.deleteUser(admin, owner.userId()));
    assertThat(await(storage.users().byId(owner.userId())).role()).isEqualTo(Role.USER);

    assertTheChangeFailedOnTheAudit(failing.createKey(owner, new NewApiKey("ci", null, null)));
    assertThat(await(storage.apiKeys().listByUser(owner.userId()))).isEmpty();

    Accounts.CreatedKey key = await(real.createKey(owner, new NewApiKey("ci", null, null)));
    assertTheChangeFailedOnTheAudit(failing.revokeKey(owner, key.key().id()));
    assertThat(await(storage.apiKeys().byId(key.key().id()))).isNotNull();

    assertTheChangeFailedOnTheAudit(
        failing.endSession(owner, "session-1", java.time.Instant.now().plusSeconds(60)));
    assertThat(await(storage.revokedTokens().isRevoked("session-1"))).isFalse();

    assertThat(audit()).extracting(AuditEntry::action).containsExactly("auth.key_created");
  }

  @Test
  void accountChangesAreAuditedWithTheirRowAndTellTheListenersAfterTheCommit() {
    Actor admin = Actor.system("test");
    Accounts accounts = accounts(storage);
    List<String> changed = new CopyOnWriteArrayList<>();
    accounts.onChange(
        new Accounts.Listener() {
          @Override
          public void userChanged(String userId) {
            // The listener runs after the commit: the change is visible to a fresh read.
            storage.users().byId(userId).onSuccess(user -> changed.add(user.role().label()));
          }
        });

    User created =
        await(accounts.createUser(admin, new NewUser("Newcomer", "a-long-password", Role.VIEWER)));
    await(accounts.updateUser(admin, created.id(), new UserPatch(Role.USER, null, null)));

    await().atMost(Duration.ofSeconds(10)).until(() -> !changed.isEmpty());
    assertThat(changed).containsExactly("user");
    assertThat(audit())
        .extracting(AuditEntry::action, AuditEntry::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("user.updated", "user:" + created.id()),
            org.assertj.core.groups.Tuple.tuple("user.created", "user:" + created.id()));
  }

  @Test
  void aCardPolicyWhoseAuditEntryFailsIsNeitherStoredNorEnforced() {
    AccessEngine engine =
        await(AccessEngine.builder(vertx).storage(FailingAudit.around(storage)).start());
    try {
      NewCardPolicy card =
          new NewCardPolicy("BA839D07", "Ann", true, null, null, Set.of("door-1"), Set.of(), null);
      assertTheChangeFailedOnTheAudit(engine.addCard(Actor.system("test"), card));
      assertThat(engine.card("BA839D07")).isNull();
      assertThat(await(storage.accessPolicies().card("BA839D07"))).isNull();
      assertThat(await(engine.check("door-1", "BA839D07")).granted()).isFalse();
    } finally {
      await(engine.close());
    }
  }

  @Test
  void aSettingWhoseAuditEntryFailsIsNotStoredAndOnlyAdministratorsChangeSettings() {
    Actor admin = Actor.system("test");
    Settings failing = new Settings(FailingAudit.around(storage), Clock.systemUTC());
    Settings real = new Settings(storage, Clock.systemUTC());

    assertTheChangeFailedOnTheAudit(failing.put(admin, "dashboard.theme", "dark"));
    assertThat(await(storage.settings().get("dashboard.theme"))).isNull();
    assertThat(awaitFailure(real.put(owner, "dashboard.theme", "dark")))
        .isInstanceOf(ForbiddenException.class);

    await(real.put(admin, "dashboard.theme", "dark"));
    assertTheChangeFailedOnTheAudit(failing.delete(admin, "dashboard.theme"));
    assertThat(await(real.get(owner, "dashboard.theme")).value()).isEqualTo("dark");
    assertThat(audit())
        .extracting(AuditEntry::action, AuditEntry::target)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("setting.changed", "setting:dashboard.theme"));
  }

  @Test
  void theServicesEnforceTheRolesWhateverTheTransport() {
    Actor viewer = new Actor(owner.userId(), "owner", Role.VIEWER, "mqtt:door-1", null);
    assertThat(awaitFailure(registry(storage).create(viewer, sensor("no"))))
        .isInstanceOf(ForbiddenException.class);
    AccessEngine engine = await(AccessEngine.builder(vertx).storage(storage).start());
    try {
      NewCardPolicy card =
          new NewCardPolicy("BA839D07", "Ann", true, null, null, Set.of("door-1"), Set.of(), null);
      assertThat(awaitFailure(engine.addCard(owner, card))).isInstanceOf(ForbiddenException.class);
      assertThat(engine.card("BA839D07")).isNull();
    } finally {
      await(engine.close());
    }
    assertThat(audit()).isEmpty();
  }

  @Test
  void devicesAndKeysBelongToAUserSoTheSystemActorCannotCreateThem() {
    assertThat(awaitFailure(registry(storage).create(Actor.system("app"), sensor("orphan"))))
        .isInstanceOf(ForbiddenException.class);
    assertThat(
            awaitFailure(
                accounts(storage).createKey(Actor.system("app"), new NewApiKey("x", null, null))))
        .isInstanceOf(ForbiddenException.class);
    assertThat(audit()).isEmpty();
  }

  @Test
  void aTransactionSeesItsOwnWritesAndAFailureRollsEverythingBack() {
    List<Device> createdAndSeen = new CopyOnWriteArrayList<>();
    Future<Void> failed =
        storage.inTransaction(
            repos ->
                repos
                    .devices()
                    .create(owner.userId(), sensor("first"))
                    .onSuccess(createdAndSeen::add)
                    .compose(created -> repos.devices().get(OwnerFilter.any(), created.id()))
                    .onSuccess(createdAndSeen::add)
                    .compose(seen -> repos.devices().create(owner.userId(), sensor("second")))
                    .compose(
                        second -> Future.failedFuture(new IllegalStateException("stop here"))));

    assertThat(awaitFailure(failed)).hasMessage("stop here");
    assertThat(createdAndSeen).hasSize(2).doesNotContainNull();
    assertThat(createdAndSeen.get(1))
        .as("read inside its transaction")
        .isEqualTo(createdAndSeen.get(0));
    assertThat(await(storage.devices().list(OwnerFilter.any(), DeviceQuery.first())).items())
        .isEmpty();
    // The store is usable afterwards: the transaction's connection went back clean.
    assertThat(await(registry(storage).create(owner, sensor("after"))).name()).isEqualTo("after");
  }
}
