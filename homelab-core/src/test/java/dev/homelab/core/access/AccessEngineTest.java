package dev.homelab.core.access;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ConflictException;
import dev.homelab.core.Page;
import dev.homelab.core.ValidationException;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageException;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessEngineTest {

  private static final Actor ADMIN = Actor.system("test");

  /** A Wednesday, 10:00 UTC. */
  private static final Instant WEDNESDAY = Instant.parse("2026-03-04T10:00:00Z");

  private static final WeeklySchedule OFFICE_HOURS =
      WeeklySchedule.fromJson(
          new JsonObject(
              "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\","
                  + "\"fri\"],\"start\":\"08:00\",\"end\":\"18:00\"}]}"));

  @TempDir Path dir;
  private Vertx vertx;
  private Storage storage;
  private EventHub events;
  private MutableClock clock;
  private final List<AccessEngine> engines = new ArrayList<>();

  @BeforeEach
  void open() {
    vertx = VertxTesting.vertx();
    storage =
        await(
            Storage.open(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("access.db").toString())));
    events = EventHub.create(vertx);
    clock = new MutableClock(WEDNESDAY);
  }

  @AfterEach
  void close() {
    engines.forEach(e -> await(e.close()));
    await(events.close());
    await(storage.close());
    await(vertx.close());
  }

  private AccessEngine engine(AccessEngineOptions options) {
    return engine(options, storage.accessLog());
  }

  private AccessEngine engine(AccessEngineOptions options, AccessLogRepository log) {
    AccessEngine engine =
        await(
            AccessEngine.builder(vertx)
                .policies(storage.accessPolicies())
                .log(log)
                .events(events)
                .clock(clock)
                .options(options)
                .start());
    engines.add(engine);
    return engine;
  }

  private static NewCardPolicy card(
      String uid, String holder, boolean enabled, Set<String> readers, Set<String> groups) {
    return new NewCardPolicy(uid, holder, enabled, null, null, readers, groups, null);
  }

  @Test
  void everyReasonIsGivenInOrder() {
    AccessEngine engine = engine(new AccessEngineOptions().setLockoutThreshold(0));
    await(
        engine.addCard(
            ADMIN,
            new NewCardPolicy(
                CardUid.normalize("ba:83:9d:07"),
                "Ann",
                true,
                null,
                null,
                Set.of("door-1"),
                Set.of(),
                OFFICE_HOURS)));
    await(engine.addCard(ADMIN, card("0A0A0A0A", "Dan", false, Set.of(), Set.of())));
    await(
        engine.addCard(
            ADMIN,
            new NewCardPolicy(
                "0B0B0B0B", "Nia", true, WEDNESDAY.plusSeconds(60), null, null, null, null)));
    await(
        engine.addCard(
            ADMIN, new NewCardPolicy("0C0C0C0C", "Eve", true, null, WEDNESDAY, null, null, null)));
    await(engine.putReaderGroup(ADMIN, "front", Set.of("door-2")));
    await(engine.addCard(ADMIN, card("0D0D0D0D", "Gus", true, Set.of(), Set.of("front"))));
    await(engine.addCard(ADMIN, card("0E0E0E0E", "Any", true, Set.of(), Set.of())));

    Decision ann = engine.decide("door-1", "BA839D07");
    assertThat(ann.reason()).isEqualTo(Reason.GRANTED);
    assertThat(ann.granted()).isTrue();
    assertThat(ann.holder()).isEqualTo("Ann");
    assertThat(ann.cardUid()).isEqualTo("BA839D07");
    assertThat(ann.time()).isEqualTo(WEDNESDAY);
    assertThat(ann.latencyNanos()).isPositive();
    assertThat(engine.decide("door-9", "ba839d07").reason()).isEqualTo(Reason.READER_NOT_ALLOWED);
    assertThat(engine.decide("door-1", "FFFFFFFF").reason()).isEqualTo(Reason.UNKNOWN_CARD);
    assertThat(engine.decide("door-1", "FFFFFFFF").holder()).isNull();
    assertThat(engine.decide("door-1", "0A0A0A0A").reason()).isEqualTo(Reason.DISABLED);
    assertThat(engine.decide("door-1", "0B0B0B0B").reason()).isEqualTo(Reason.NOT_YET_VALID);
    assertThat(engine.decide("door-1", "0C0C0C0C").reason())
        .as("valid_until is exclusive")
        .isEqualTo(Reason.EXPIRED);
    assertThat(engine.decide("door-2", "0D0D0D0D").reason()).isEqualTo(Reason.GRANTED);
    assertThat(engine.decide("door-1", "0D0D0D0D").reason()).isEqualTo(Reason.READER_NOT_ALLOWED);
    assertThat(engine.decide("anything", "0E0E0E0E").reason()).isEqualTo(Reason.GRANTED);

    clock.set(Instant.parse("2026-03-04T18:00:00Z"));
    assertThat(engine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.OUTSIDE_SCHEDULE);
    assertThat(engine.decide("door-9", "BA839D07").reason())
        .as("the reader is checked before the schedule")
        .isEqualTo(Reason.READER_NOT_ALLOWED);
    clock.set(WEDNESDAY.plusSeconds(60));
    assertThat(engine.decide("door-1", "0B0B0B0B").reason()).isEqualTo(Reason.GRANTED);

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(engine.decide("door-1", "BA839D07").id().toString());
    }
    assertThat(ids)
        .as("version 7, and strictly increasing even within one millisecond of a stopped clock")
        .allMatch(id -> id.charAt(14) == '7')
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void readersLockOutAfterTooManyDenialsAndRecover() {
    AccessEngine engine =
        engine(
            new AccessEngineOptions()
                .setLockoutThreshold(3)
                .setLockoutWindowSeconds(60)
                .setLockoutSeconds(300));
    await(engine.addCard(ADMIN, card("BA839D07", "Ann", true, Set.of(), Set.of())));
    List<Event> lockouts = new CopyOnWriteArrayList<>();
    events.subscribe(List.of(AccessEngine.LOCKOUT_TOPIC), lockouts::add);

    // Three denials spread wider than the window do not lock.
    engine.decide("door-1", "01010101");
    clock.advance(Duration.ofSeconds(31));
    engine.decide("door-1", "01010101");
    clock.advance(Duration.ofSeconds(31));
    engine.decide("door-1", "01010101");
    assertThat(engine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.GRANTED);

    // Three within the window do.
    engine.decide("door-1", "01010101");
    engine.decide("door-1", "01010101");
    assertThat(engine.decide("door-1", "BA839D07").reason())
        .as("the last two of the spread-out denials plus these")
        .isEqualTo(Reason.LOCKED_OUT);
    Decision locked = engine.decide("door-1", "BA839D07");
    assertThat(locked.reason()).isEqualTo(Reason.LOCKED_OUT);
    assertThat(locked.holder()).as("the card is still known").isEqualTo("Ann");
    assertThat(engine.decide("door-2", "BA839D07").reason())
        .as("other readers are not affected")
        .isEqualTo(Reason.GRANTED);

    clock.advance(Duration.ofSeconds(299));
    for (int i = 0; i < 10; i++) {
      assertThat(engine.decide("door-1", "01010101").reason())
          .as("scans during a lockout neither count nor extend it")
          .isEqualTo(Reason.LOCKED_OUT);
    }
    clock.advance(Duration.ofSeconds(1));
    assertThat(engine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.GRANTED);
    engine.decide("door-1", "01010101");
    assertThat(engine.decide("door-1", "BA839D07").reason())
        .as("counting starts afresh after a lockout")
        .isEqualTo(Reason.GRANTED);

    VertxTesting.await(vertx.timer(100));
    assertThat(lockouts).hasSize(1);
    JsonObject payload = lockouts.get(0).payload();
    assertThat(payload.getString("device_id")).isEqualTo("door-1");
    assertThat(Instant.parse(payload.getString("until")))
        .isEqualTo(WEDNESDAY.plusSeconds(62 + 300));
    assertThat(lockouts.get(0).visibility().visibleTo("someone", Set.of("user"))).isFalse();
  }

  @Test
  void aChangedPolicyIsEnforcedOnTheNextDecision() {
    AccessEngine engine = engine(new AccessEngineOptions().setLockoutThreshold(0));
    assertThat(engine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.UNKNOWN_CARD);
    await(engine.addCard(ADMIN, card("BA839D07", "Ann", true, Set.of("door-1"), Set.of())));
    assertThat(engine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.GRANTED);
    assertThat(engine.card("ba:83:9d:07").holder()).isEqualTo("Ann");

    CardPolicy disabled =
        await(
            engine.updateCard(
                ADMIN,
                "ba839d07",
                CardPolicyPatch.fromJson(new JsonObject().put("enabled", false))));
    assertThat(disabled.enabled()).isFalse();
    assertThat(disabled.holder()).as("untouched fields stay").isEqualTo("Ann");
    assertThat(engine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.DISABLED);

    await(
        engine.updateCard(
            ADMIN,
            "BA839D07",
            CardPolicyPatch.fromJson(
                new JsonObject("{\"enabled\":true,\"readers\":[],\"reader_groups\":[\"back\"]}"))));
    assertThat(engine.decide("door-7", "BA839D07").reason()).isEqualTo(Reason.READER_NOT_ALLOWED);
    await(engine.putReaderGroup(ADMIN, "back", Set.of("door-7")));
    assertThat(engine.decide("door-7", "BA839D07").reason()).isEqualTo(Reason.GRANTED);
    await(engine.removeReaderGroup(ADMIN, "back"));
    assertThat(engine.decide("door-7", "BA839D07").reason()).isEqualTo(Reason.READER_NOT_ALLOWED);

    assertThat(await(engine.removeCard(ADMIN, "BA839D07"))).isTrue();
    assertThat(engine.decide("door-7", "BA839D07").reason()).isEqualTo(Reason.UNKNOWN_CARD);
    assertThat(await(engine.removeCard(ADMIN, "BA839D07"))).isFalse();
    assertThat(
            await(engine.updateCard(ADMIN, "BA839D07", CardPolicyPatch.fromJson(new JsonObject()))))
        .isNull();
  }

  @Test
  void validityIsKeptToTheMillisecondLikeTheStore() {
    AccessEngine engine = engine(new AccessEngineOptions());
    CardPolicy created =
        await(
            engine.addCard(
                ADMIN,
                NewCardPolicy.fromJson(
                    new JsonObject()
                        .put("uid", "BA839D07")
                        .put("valid_from", "2020-01-01T00:00:00.123456789Z"))));
    assertThat(created.validFrom()).isEqualTo(Instant.parse("2020-01-01T00:00:00.123Z"));
    await(engine.refresh());
    assertThat(engine.card("BA839D07")).isEqualTo(created);
  }

  @Test
  void aCanonicalUidOfDigitsOnlyIsNeverReadAgainAsADecimalNumber() {
    AccessEngine engine = engine(new AccessEngineOptions().setLockoutThreshold(0));
    // 0x123456 is printed "123456": as a scan, six digits mean the decimal number 123456 (01E240).
    CardPolicy hex =
        await(
            engine.addCard(ADMIN, NewCardPolicy.fromJson(new JsonObject().put("uid", "0x123456"))));
    assertThat(hex.uid()).isEqualTo("123456");
    assertThat(
            await(
                    engine.addCard(
                        ADMIN, NewCardPolicy.fromJson(new JsonObject().put("uid", 123456))))
                .uid())
        .as("the Wiegand number 123456 is another card")
        .isEqualTo("01E240");
    assertThat(engine.card("123456").uid())
        .as("a resource is named canonical first")
        .isEqualTo("123456");
    assertThat(engine.decide("door-1", "123456").cardUid())
        .as("a scan of six digits is the decimal card, whatever policies exist")
        .isEqualTo("01E240");
    assertThat(engine.decide("door-1", "0x123456").cardUid()).isEqualTo("123456");
    assertThat(engine.decide("door-1", "12:34:56").cardUid()).isEqualTo("123456");
    assertThat(await(engine.removeCard(ADMIN, "123456"))).isTrue();
    assertThat(engine.card("01E240")).isNotNull();
    assertThatThrownBy(
            () -> new NewCardPolicy("ba:83:9d:07", null, true, null, null, null, null, null))
        .as("the record takes canonical uids only: normalising twice could change the card")
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void concurrentPatchesOfOneCardNeverUndoEachOther() {
    AccessEngine engine = engine(new AccessEngineOptions());
    await(engine.addCard(ADMIN, card("BA839D07", "Ann", true, Set.of(), Set.of())));
    for (int round = 0; round < 10; round++) {
      Future<CardPolicy> disable =
          engine.updateCard(
              ADMIN,
              "BA839D07",
              CardPolicyPatch.fromJson(new JsonObject().put("enabled", round % 2 == 1)));
      Future<CardPolicy> rename =
          engine.updateCard(
              ADMIN,
              "BA839D07",
              CardPolicyPatch.fromJson(new JsonObject().put("holder", "Ann " + round)));
      await(disable);
      await(rename);
      CardPolicy stored = await(storage.accessPolicies().card("BA839D07"));
      assertThat(stored.enabled()).as("round %d", round).isEqualTo(round % 2 == 1);
      assertThat(stored.holder()).isEqualTo("Ann " + round);
    }
  }

  @Test
  void refusedChangesChangeNothing() {
    AccessEngine engine = engine(new AccessEngineOptions());
    await(engine.addCard(ADMIN, card("BA839D07", "Ann", true, Set.of(), Set.of())));
    assertThat(
            awaitFailure(
                engine.addCard(
                    ADMIN,
                    card(CardUid.normalize("ba:83:9d:07"), "Bob", true, Set.of(), Set.of()))))
        .isInstanceOf(ConflictException.class);
    assertThat(engine.card("BA839D07").holder()).isEqualTo("Ann");
    assertThatThrownBy(
            () ->
                CardPolicyPatch.fromJson(
                    new JsonObject()
                        .put("valid_from", "2026-05-01T00:00:00Z")
                        .put("valid_until", "2026-04-01T00:00:00Z")))
        .isInstanceOf(ValidationException.class);
    await(
        engine.updateCard(
            ADMIN,
            "BA839D07",
            CardPolicyPatch.fromJson(new JsonObject().put("valid_from", "2026-05-01T00:00:00Z"))));
    assertThat(
            awaitFailure(
                engine.updateCard(
                    ADMIN,
                    "BA839D07",
                    CardPolicyPatch.fromJson(
                        new JsonObject().put("valid_until", "2026-04-01T00:00:00Z")))))
        .as("the patch is checked against the stored policy")
        .isInstanceOf(ValidationException.class);
    assertThat(engine.card("BA839D07").validUntil()).isNull();
    assertThat(awaitFailure(engine.check("door 1", "BA839D07")))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("device_id");
    assertThat(awaitFailure(engine.check("door-1", "not a card")))
        .isInstanceOf(ValidationException.class);
    for (String separatorsOnly : List.of(":", "-", "::", ": :")) {
      assertThat(awaitFailure(engine.check("door-1", separatorsOnly)))
          .as("\"%s\" is no card, not an unknown one", separatorsOnly)
          .isInstanceOf(ValidationException.class)
          .extracting(e -> ((ValidationException) e).field())
          .isEqualTo("card_uid");
      assertThatThrownBy(() -> engine.card(separatorsOnly)).isInstanceOf(ValidationException.class);
      assertThat(awaitFailure(engine.removeCard(ADMIN, separatorsOnly)))
          .isInstanceOf(ValidationException.class);
    }
    assertThat(await(engine.logs(AccessLogQuery.newest())).items())
        .as("malformed scans are not decisions")
        .isEmpty();
  }

  @Test
  void aCheckIsAnsweredOnlyAfterItsRowIsCommittedAndRowsAreGroupCommitted() {
    CountingLog log = new CountingLog(storage.accessLog());
    AccessEngine engine = engine(new AccessEngineOptions().setLockoutThreshold(0), log);
    await(engine.addCard(ADMIN, card("BA839D07", "Ann", true, Set.of(), Set.of())));
    List<Event> published = new CopyOnWriteArrayList<>();
    events.subscribe(List.of(AccessEngine.DECISION_TOPIC), published::add);

    List<Future<Decision>> checks = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      checks.add(engine.check("door-" + (i % 5), i % 3 == 0 ? "01010101" : "BA839D07"));
    }
    List<Decision> decisions = new ArrayList<>();
    for (Future<Decision> check : checks) {
      Decision decision = await(check);
      decisions.add(decision);
      AccessLogEntry row = await(storage.accessLog().byId(decision.id().toString()));
      assertThat(row).as("answered only once recorded").isEqualTo(decision.toLogEntry());
    }
    assertThat(log.rows.get()).isEqualTo(300);
    assertThat(log.commits.get())
        .as("rows that arrive during a commit share the next one")
        .isLessThan(300);
    assertThat(decisions).filteredOn(Decision::granted).hasSize(200);
    VertxTesting.await(vertx.timer(100));
    assertThat(published).hasSize(300);
    assertThat(published.get(0).visibility().visibleTo("x", Set.of("admin"))).isTrue();
  }

  @Test
  void aFailedCommitRefusesDurableChecks() {
    CountingLog log = new CountingLog(storage.accessLog());
    AccessEngine engine = engine(new AccessEngineOptions(), log);
    log.failNext.set(1);
    assertThat(awaitFailure(engine.check("door-1", "BA839D07")))
        .isInstanceOf(StorageException.class);
    Decision next = await(engine.check("door-1", "BA839D07"));
    assertThat(await(storage.accessLog().byId(next.id().toString()))).isNotNull();
    assertThat(engine.pendingLogEntries()).isZero();
  }

  @Test
  void theAsynchronousModeAnswersAtOnceRetriesAndLosesNothingOnClose() {
    CountingLog log = new CountingLog(storage.accessLog());
    AccessEngine engine = engine(new AccessEngineOptions().setDurableLog(false), log);
    log.failNext.set(2);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      ids.add(await(engine.check("door-1", "0" + (100000 + i))).id().toString());
    }
    await(engine.close());
    engines.remove(engine);
    assertThat(engine.pendingLogEntries()).isZero();
    for (String id : ids) {
      assertThat(await(storage.accessLog().byId(id))).as(id).isNotNull();
    }
    assertThat(log.rows.get()).isEqualTo(500);
    assertThat(awaitFailure(engine.check("door-1", "BA839D07"))).hasMessageContaining("closed");
  }

  @Test
  void theAsynchronousModeStopsAcknowledgingWhenTooManyRowsArePending() {
    CountingLog log = new CountingLog(storage.accessLog());
    AccessEngine engine =
        engine(
            new AccessEngineOptions()
                .setDurableLog(false)
                .setMaxPendingLogEntries(10)
                .setLockoutThreshold(0),
            log);
    log.failNext.set(1_000_000); // the store is down
    List<Future<Decision>> checks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      checks.add(engine.check("door-1", "BA839D07"));
    }
    VertxTesting.await(vertx.timer(300));
    assertThat(checks.subList(0, 10)).allMatch(Future::succeeded);
    assertThat(checks.subList(10, 20))
        .as("past the bound, checks are refused: never acknowledged")
        .noneMatch(Future::succeeded);
    log.failNext.set(0);
    await(engine.close());
    engines.remove(engine);
    for (Future<Decision> acknowledged : checks.subList(0, 10)) {
      assertThat(await(storage.accessLog().byId(acknowledged.result().id().toString())))
          .isNotNull();
    }
  }

  @Test
  void policyUpdatesDuringDecisionsAreAtomic() throws Exception {
    AccessEngine engine = engine(new AccessEngineOptions().setLockoutThreshold(0));
    await(engine.addCard(ADMIN, card("BA839D07", "Ann", true, Set.of("door-1"), Set.of())));
    AtomicBoolean running = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicInteger decisions = new AtomicInteger();
    List<Thread> deciders = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  while (running.get()) {
                    Reason reason = engine.decide("door-1", "BA839D07").reason();
                    if (reason != Reason.GRANTED && reason != Reason.READER_NOT_ALLOWED) {
                      throw new AssertionError("impossible reason " + reason);
                    }
                    decisions.incrementAndGet();
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      thread.start();
      deciders.add(thread);
    }
    for (int i = 0; i < 60; i++) {
      boolean allowed = i % 2 == 1;
      await(
          engine.updateCard(
              ADMIN,
              "BA839D07",
              CardPolicyPatch.fromJson(
                  new JsonObject()
                      .put("readers", allowed ? List.of("door-1") : List.of("door-2")))));
      assertThat(engine.decide("door-1", "BA839D07").reason())
          .as("update %d is enforced on the next decision", i)
          .isEqualTo(allowed ? Reason.GRANTED : Reason.READER_NOT_ALLOWED);
    }
    running.set(false);
    for (Thread thread : deciders) {
      thread.join();
    }
    assertThat(errors).isEmpty();
    assertThat(decisions.get()).isPositive();
  }

  @Test
  void anotherInstancesChangesArePickedUp() {
    AccessEngine mine =
        engine(new AccessEngineOptions().setPolicyRefreshSeconds(1).setLockoutThreshold(0));
    AccessEngine theirs = engine(new AccessEngineOptions().setPolicyRefreshSeconds(0));
    await(theirs.addCard(ADMIN, card("BA839D07", "Ann", true, Set.of(), Set.of())));
    assertThat(mine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.UNKNOWN_CARD);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (mine.decide("door-1", "BA839D07").reason() != Reason.GRANTED
        && System.nanoTime() < deadline) {
      VertxTesting.await(vertx.timer(50));
    }
    assertThat(mine.decide("door-1", "BA839D07").reason())
        .as("the periodic revision check reloads")
        .isEqualTo(Reason.GRANTED);
    await(theirs.removeCard(ADMIN, "BA839D07"));
    await(mine.refresh());
    assertThat(mine.decide("door-1", "BA839D07").reason()).isEqualTo(Reason.UNKNOWN_CARD);
  }

  @Test
  void logsArePagedThroughTheEngine() {
    AccessEngine engine = engine(new AccessEngineOptions().setLockoutThreshold(0));
    for (int i = 0; i < 5; i++) {
      await(engine.check("door-1", "BA839D07"));
      clock.advance(Duration.ofMillis(1));
    }
    Page<AccessLogEntry> page =
        await(engine.logs(new AccessLogQuery("door-1", "ba839d07", false, null, null, 3, null)));
    assertThat(page.items()).hasSize(3).allMatch(e -> e.reason() == Reason.UNKNOWN_CARD);
    assertThat(page.nextCursor()).isNotNull();
  }

  /** A real log that counts commits, and can be told to fail. */
  private static final class CountingLog implements AccessLogRepository {
    final AccessLogRepository delegate;
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger rows = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();

    CountingLog(AccessLogRepository delegate) {
      this.delegate = delegate;
    }

    @Override
    public Future<Void> append(List<AccessLogEntry> entries) {
      if (failNext.get() > 0) {
        failNext.decrementAndGet();
        return Future.failedFuture(new StorageException("the disk is full (test)", null));
      }
      return delegate
          .append(entries)
          .onSuccess(
              v -> {
                commits.incrementAndGet();
                rows.addAndGet(entries.size());
              });
    }

    @Override
    public Future<Page<AccessLogEntry>> list(AccessLogQuery query) {
      return delegate.list(query);
    }

    @Override
    public Future<AccessLogEntry> byId(String id) {
      return delegate.byId(id);
    }

    @Override
    public Future<Integer> deleteOlderThan(Instant cutoff, int batchSize) {
      return delegate.deleteOlderThan(cutoff, batchSize);
    }
  }
}
