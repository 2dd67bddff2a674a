package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabConflictException;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabUnauthorizedException;
import dev.homelab.client.Page;
import dev.homelab.client.access.AccessApi;
import dev.homelab.client.access.AccessDecision;
import dev.homelab.client.access.AccessLogEntry;
import dev.homelab.client.access.AccessLogQuery;
import dev.homelab.client.access.CardPolicy;
import dev.homelab.client.access.CardPolicyPatch;
import dev.homelab.client.access.CardQuery;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.access.ReaderGroup;
import dev.homelab.client.access.ScheduleWindow;
import dev.homelab.client.access.WeeklySchedule;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.UserPatch;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access control through the client against a real server: card policy and reader group CRUD, every
 * decision reason reachable over HTTP, who may ask for decisions, the access log and the audit
 * trail of policy changes.
 *
 * <p>The server keeps its default lockout (5 denied scans in 60 s lock a reader), and all tests
 * share one server, so every test uses readers and cards of its own and no reader sees more than
 * four denials unless a test means to lock it.
 */
class AccessApiTest {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final List<ScheduleWindow> ALL_WEEK =
      List.of(
          new ScheduleWindow(
              List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun"), "00:00", "24:00"));

  @TempDir static Path dir;
  static ServerTesting lab;
  static AccessApi access;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
    access = lab.client.access();
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  /** A reader id no other test uses. */
  static String reader(String name) {
    return name + "-" + SEQUENCE.incrementAndGet();
  }

  /** A canonical card uid no other test uses: 8 hex digits, with letters. */
  static String uid() {
    return String.format(Locale.ROOT, "C0DE%04X", SEQUENCE.incrementAndGet());
  }

  /** The uid as a phone app prints it: lower case, bytes separated by colons. */
  static String colons(String canonical) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < canonical.length(); i += 2) {
      if (i > 0) {
        out.append(':');
      }
      out.append(canonical.substring(i, i + 2).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  static AccessDecision check(String reader, String uid) {
    return await(access.check(reader, uid));
  }

  static CardPolicy create(NewCardPolicy card) {
    return await(access.createCard(card));
  }

  static HomelabHttpException failure(Future<?> call) {
    Throwable failure = awaitFailure(call);
    assertThat(failure).isInstanceOf(HomelabHttpException.class);
    return (HomelabHttpException) failure;
  }

  /** The status a call ended with: {@code success} if it succeeded, else the server's status. */
  static int status(Future<?> call, int success) {
    try {
      await(call);
      return success;
    } catch (RuntimeException e) {
      Throwable cause = call.cause();
      if (cause instanceof HomelabHttpException http) {
        return http.status();
      }
      throw e;
    }
  }

  /** Asserts a 422 whose detail names {@code field} first, as {@code "field: ..."}. */
  static void assertInvalid(Future<?> call, String field) {
    HomelabHttpException e = failure(call);
    assertThat(e.status()).as(e.getMessage()).isEqualTo(422);
    assertThat(e.errorCode()).isEqualTo("VALIDATION_FAILED");
    assertThat(e.detail()).as("the field named").startsWith(field + ": ");
  }

  /** Like {@link #assertInvalid(Future, String)} for a raw response. */
  static void assertInvalid(HttpResponse<Buffer> response, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error_code")).isEqualTo("VALIDATION_FAILED");
    assertThat(body.getString("detail")).as("the field named").startsWith(field + ": ");
  }

  static HttpResponse<Buffer> rawAdmin(HttpMethod method, String path, JsonObject body) {
    return await(lab.webAdmin.request(method, path).sendJsonObject(body));
  }

  static String day(DayOfWeek day) {
    return day.name().substring(0, 3).toLowerCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // Card policies and reader groups

  @Test
  void cardPoliciesAreCreatedReadPatchedAndDeletedThroughTheClient() {
    Instant from = Instant.parse("2025-01-01T00:00:00Z");
    Instant until = Instant.parse("2099-01-01T00:00:00Z");
    WeeklySchedule officeHours =
        new WeeklySchedule(
            "Europe/Rome",
            List.of(
                new ScheduleWindow(List.of("mon", "tue", "wed", "thu", "fri"), "08:00", "18:30"),
                new ScheduleWindow(List.of("sat"), "22:00", "06:00")));

    CardPolicy created =
        create(
            NewCardPolicy.of("ba:83:9d:07")
                .withHolder("Alice")
                .withValidFrom(from)
                .withValidUntil(until)
                .withReaders(Set.of("crud-front", "crud-back"))
                .withReaderGroups(Set.of("crud-lobby"))
                .withSchedule(officeHours));
    assertThat(created.uid()).isEqualTo("BA839D07");
    assertThat(created.holder()).isEqualTo("Alice");
    assertThat(created.enabled()).as("enabled by default").isTrue();
    assertThat(created.validFrom()).isEqualTo(from);
    assertThat(created.validUntil()).isEqualTo(until);
    assertThat(created.readers()).containsExactlyInAnyOrder("crud-front", "crud-back");
    assertThat(created.readerGroups()).containsExactly("crud-lobby");
    assertThat(created.schedule()).isEqualTo(officeHours);
    assertThat(created.createdAt()).isNotNull().isEqualTo(created.updatedAt());

    // Any form of the uid finds it, in the path too (':' is percent-encoded).
    for (String form : List.of("BA839D07", "ba:83:9d:07", "ba-83-9d-07", "0xba839d07")) {
      assertThat(await(access.card(form))).as(form).isEqualTo(created);
    }

    // A second policy for the same card, in another form, is a conflict.
    HomelabHttpException duplicate =
        failure(access.createCard(NewCardPolicy.of("BA839D07").withHolder("Mallory")));
    assertThat(duplicate).isInstanceOf(HomelabConflictException.class);
    assertThat(duplicate.errorCode()).isEqualTo("CARD_EXISTS");
    assertThat(await(access.card("BA839D07")).holder()).isEqualTo("Alice");

    // A patch changes only the fields it sets.
    CardPolicy renamed =
        await(access.updateCard("ba:83:9d:07", CardPolicyPatch.empty().withHolder("Bob")));
    assertThat(renamed.holder()).isEqualTo("Bob");
    assertThat(renamed)
        .usingRecursiveComparison()
        .ignoringFields("holder", "updatedAt")
        .isEqualTo(created);
    assertThat(renamed.updatedAt()).isAfterOrEqualTo(created.updatedAt());
    assertThat(await(access.card("BA839D07"))).isEqualTo(renamed);

    CardPolicy moved =
        await(
            access.updateCard(
                "BA839D07",
                CardPolicyPatch.empty().withReaders(Set.of("crud-side")).withEnabled(false)));
    assertThat(moved.readers()).containsExactly("crud-side");
    assertThat(moved.enabled()).isFalse();
    assertThat(moved)
        .usingRecursiveComparison()
        .ignoringFields("readers", "enabled", "updatedAt")
        .isEqualTo(renamed);

    // An empty patch changes nothing, not even updated_at.
    assertThat(await(access.updateCard("BA839D07", CardPolicyPatch.empty()))).isEqualTo(moved);

    // null clears the holder, the validity bounds and the schedule; the rest stays.
    CardPolicy cleared =
        await(
            access.updateCard(
                "BA839D07",
                CardPolicyPatch.empty()
                    .withHolder(null)
                    .withValidFrom(null)
                    .withValidUntil(null)
                    .withSchedule(null)));
    assertThat(cleared.holder()).isNull();
    assertThat(cleared.validFrom()).isNull();
    assertThat(cleared.validUntil()).isNull();
    assertThat(cleared.schedule()).isNull();
    assertThat(cleared.enabled()).isFalse();
    assertThat(cleared.readers()).containsExactly("crud-side");
    assertThat(cleared.readerGroups()).containsExactly("crud-lobby");
    assertThat(cleared.createdAt()).isEqualTo(created.createdAt());
    assertThat(await(access.card("BA839D07"))).isEqualTo(cleared);

    // Empty sets: the card may use every reader again.
    CardPolicy anywhere =
        await(
            access.updateCard(
                "BA839D07", CardPolicyPatch.empty().withReaders(null).withReaderGroups(Set.of())));
    assertThat(anywhere.anyReader()).isTrue();

    // Missing cards are 404 for every operation.
    for (Future<?> call :
        List.of(
            access.card("DEADBEEF"),
            access.updateCard("DEADBEEF", CardPolicyPatch.empty().withHolder("x")),
            access.deleteCard("DEADBEEF"))) {
      HomelabHttpException missing = failure(call);
      assertThat(missing).isInstanceOf(HomelabNotFoundException.class);
      assertThat(missing.errorCode()).isEqualTo("CARD_NOT_FOUND");
    }

    await(access.deleteCard("ba-83-9d-07"));
    assertThat(failure(access.card("BA839D07"))).isInstanceOf(HomelabNotFoundException.class);
    assertThat(failure(access.deleteCard("BA839D07")).errorCode()).isEqualTo("CARD_NOT_FOUND");
    assertThat(lab.client.blocking().access().autoPagingIterable(CardQuery.create()))
        .extracting(CardPolicy::uid)
        .doesNotContain("BA839D07");
  }

  @Test
  void cardListsPageByUidWithACursor() {
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(create(NewCardPolicy.of(uid()).withHolder("Pager " + i)).uid());
    }

    Page<CardPolicy> first = await(access.cards(CardQuery.create().withLimit(2)));
    assertThat(first.items()).hasSize(2);
    assertThat(first.nextCursor()).isEqualTo(first.items().get(1).uid());
    Page<CardPolicy> second =
        await(access.cards(CardQuery.create().withLimit(2).withCursor(first.nextCursor())));
    assertThat(second.items()).isNotEmpty();
    assertThat(second.items().get(0).uid()).isGreaterThan(first.items().get(1).uid());

    // The cursor is the canonical uid the server handed out; it is never reinterpreted (a uid of
    // digits only would otherwise be read as a decimal number), so other forms are refused.
    Page<CardPolicy> afterMine =
        await(access.cards(CardQuery.create().withLimit(2).withCursor(mine.get(1))));
    assertThat(afterMine.items()).extracting(CardPolicy::uid).startsWith(mine.get(2));
    assertInvalid(
        await(
            lab.webAdmin
                .get("/api/policies/cards?cursor=" + colons(mine.get(1)).replace(":", "%3A"))
                .send()),
        "cursor");

    List<String> all = new ArrayList<>();
    lab.client
        .blocking()
        .access()
        .autoPagingIterable(CardQuery.create().withLimit(2))
        .forEach(card -> all.add(card.uid()));
    assertThat(all).containsAll(mine).doesNotHaveDuplicates().isSorted();
    JsonObject raw =
        await(lab.webAdmin.get("/api/policies/cards?limit=1000").send()).bodyAsJsonObject();
    assertThat(raw.getInteger("total")).isEqualTo(all.size());
    assertThat(raw.getValue("next_cursor")).isNull();
    assertThat(await(access.cards()).items()).extracting(CardPolicy::uid).isSorted();

    assertInvalid(await(lab.webAdmin.get("/api/policies/cards?limit=0").send()), "limit");
    assertInvalid(await(lab.webAdmin.get("/api/policies/cards?cursor=nope!").send()), "cursor");
  }

  @Test
  void refusedPolicyChangesNameTheFieldAndChangeNothing() {
    String uid = uid();
    CardPolicy before =
        create(
            NewCardPolicy.of(uid)
                .withHolder("Dana")
                .withValidFrom(Instant.parse("2025-01-01T00:00:00Z"))
                .withValidUntil(Instant.parse("2099-01-01T00:00:00Z"))
                .withReaders(Set.of("refused-door")));
    String fresh = uid();

    // Creation
    assertInvalid(access.createCard(NewCardPolicy.of("not a card")), "uid");
    assertInvalid(access.createCard(NewCardPolicy.of("0xZZ")), "uid");
    assertInvalid(access.createCard(NewCardPolicy.of("AA".repeat(17))), "uid");
    assertInvalid(
        rawAdmin(
            HttpMethod.POST,
            "/api/policies/cards",
            new JsonObject().put("uid", fresh).put("colour", "red")),
        "colour");
    assertInvalid(
        rawAdmin(
            HttpMethod.POST,
            "/api/policies/cards",
            new JsonObject().put("uid", fresh).put("created_at", "2025-01-01T00:00:00Z")),
        "created_at");
    assertInvalid(
        rawAdmin(
            HttpMethod.POST,
            "/api/policies/cards",
            new JsonObject().put("uid", fresh).put("readers", "refused-door")),
        "readers");
    assertInvalid(
        rawAdmin(HttpMethod.POST, "/api/policies/cards", new JsonObject().put("holder", "x")),
        "uid");
    assertInvalid(
        access.createCard(
            NewCardPolicy.of(fresh)
                .withSchedule(new WeeklySchedule("Mars/Olympus_Mons", ALL_WEEK))),
        "schedule.time_zone");
    assertInvalid(
        access.createCard(NewCardPolicy.of(fresh).withSchedule(new WeeklySchedule(null, ALL_WEEK))),
        "schedule.time_zone");
    assertInvalid(
        access.createCard(
            NewCardPolicy.of(fresh).withSchedule(new WeeklySchedule("UTC", List.of()))),
        "schedule.windows");
    assertInvalid(
        access.createCard(
            NewCardPolicy.of(fresh)
                .withSchedule(
                    new WeeklySchedule(
                        "UTC", List.of(new ScheduleWindow(List.of("mon"), "25:00", "26:00"))))),
        "schedule.windows.start");
    assertInvalid(
        access.createCard(
            NewCardPolicy.of(fresh)
                .withSchedule(
                    new WeeklySchedule(
                        "UTC", List.of(new ScheduleWindow(List.of("funday"), "08:00", "09:00"))))),
        "schedule.windows.days");
    assertInvalid(
        access.createCard(
            NewCardPolicy.of(fresh)
                .withValidFrom(Instant.parse("2026-01-01T00:00:00Z"))
                .withValidUntil(Instant.parse("2025-01-01T00:00:00Z"))),
        "valid_until");
    assertInvalid(access.createCard(NewCardPolicy.of(fresh).withHolder(" ")), "holder");
    assertInvalid(
        access.createCard(NewCardPolicy.of(fresh).withReaders(Set.of("no spaces allowed"))),
        "readers");
    assertInvalid(
        access.createCard(NewCardPolicy.of(fresh).withReaderGroups(Set.of("Upper"))),
        "reader_groups");
    assertThat(failure(access.card(fresh)).status()).as("nothing was created").isEqualTo(404);

    // Patches
    String path = "/api/policies/cards/" + uid;
    assertInvalid(rawAdmin(HttpMethod.PATCH, path, new JsonObject().putNull("enabled")), "enabled");
    assertInvalid(
        rawAdmin(HttpMethod.PATCH, path, new JsonObject().put("enabled", "yes")), "enabled");
    assertInvalid(
        rawAdmin(HttpMethod.PATCH, path, new JsonObject().put("readers", "refused-door")),
        "readers");
    assertInvalid(
        rawAdmin(
            HttpMethod.PATCH, path, new JsonObject().put("created_at", "2025-01-01T00:00:00Z")),
        "created_at");
    assertInvalid(
        rawAdmin(
            HttpMethod.PATCH, path, new JsonObject().put("holder", "Eve").put("colour", "red")),
        "colour");
    assertInvalid(
        rawAdmin(HttpMethod.PATCH, path, new JsonObject().put("holder", "Eve").put("uid", "AA")),
        "uid");
    // Valid on its own, but before the stored valid_from.
    assertInvalid(
        access.updateCard(
            uid,
            CardPolicyPatch.empty()
                .withHolder("Eve")
                .withValidUntil(Instant.parse("2024-01-01T00:00:00Z"))),
        "valid_until");
    assertInvalid(
        access.updateCard(
            uid,
            CardPolicyPatch.empty()
                .withHolder("Eve")
                .withSchedule(new WeeklySchedule("Nowhere/Land", ALL_WEEK))),
        "schedule.time_zone");
    assertInvalid(access.updateCard("zz-top", CardPolicyPatch.empty().withHolder("Eve")), "uid");
    assertInvalid(access.card("zz-top"), "uid");

    assertThat(await(access.card(uid))).as("no refused change was applied").isEqualTo(before);
  }

  @Test
  void readerGroupsArePutListedAndDeleted() {
    String name = "grp-" + SEQUENCE.incrementAndGet();
    ReaderGroup stored = await(access.putReaderGroup(name, Set.of("door-2", "door-1")));
    assertThat(stored.name()).isEqualTo(name);
    assertThat(stored.readers()).containsExactlyInAnyOrder("door-1", "door-2");
    assertThat(stored.updatedAt()).isNotNull();
    assertThat(await(access.readerGroups())).contains(stored);

    ReaderGroup replaced = await(access.putReaderGroup(name, Set.of("door-3")));
    assertThat(replaced.readers()).containsExactly("door-3");
    assertThat(await(access.readerGroups()))
        .filteredOn(g -> g.name().equals(name))
        .containsExactly(replaced);
    assertThat(await(access.readerGroups())).extracting(ReaderGroup::name).isSorted();

    assertInvalid(access.putReaderGroup("Not A Name", Set.of("door-1")), "name");
    assertInvalid(access.putReaderGroup(name, Set.of("bad reader")), "readers");
    assertInvalid(
        rawAdmin(
            HttpMethod.PUT,
            "/api/policies/groups/" + name,
            new JsonObject().put("readers", "door-1")),
        "readers");
    assertInvalid(
        rawAdmin(
            HttpMethod.PUT,
            "/api/policies/groups/" + name,
            new JsonObject().put("readers", new JsonArray()).put("colour", "red")),
        "colour");
    assertThat(await(access.readerGroups()))
        .filteredOn(g -> g.name().equals(name))
        .containsExactly(replaced);

    await(access.deleteReaderGroup(name));
    assertThat(await(access.readerGroups())).extracting(ReaderGroup::name).doesNotContain(name);
    HomelabHttpException missing = failure(access.deleteReaderGroup(name));
    assertThat(missing).isInstanceOf(HomelabNotFoundException.class);
    assertThat(missing.errorCode()).isEqualTo("READER_GROUP_NOT_FOUND");
  }

  // ---------------------------------------------------------------------------------------------
  // Decisions

  @Test
  void aChangedPolicyIsEnforcedOnTheVeryNextCheck() {
    String door = reader("enforced");
    String elsewhere = reader("elsewhere");
    String group = "enforced-" + SEQUENCE.incrementAndGet();
    String uid = uid();

    // At most four denials per reader, so that neither is ever locked out here.
    assertThat(check(elsewhere, uid).reason()).isEqualTo("UNKNOWN_CARD");
    create(NewCardPolicy.of(uid).withHolder("Erin"));
    assertThat(check(door, uid).reason()).isEqualTo("GRANTED");

    await(access.updateCard(uid, CardPolicyPatch.empty().withEnabled(false)));
    assertThat(check(door, uid).reason()).isEqualTo("DISABLED");

    await(
        access.updateCard(
            uid, CardPolicyPatch.empty().withEnabled(true).withReaders(Set.of(elsewhere))));
    assertThat(check(door, uid).reason()).isEqualTo("READER_NOT_ALLOWED");
    assertThat(check(elsewhere, uid).reason()).isEqualTo("GRANTED");

    await(access.updateCard(uid, CardPolicyPatch.empty().withReaderGroups(Set.of(group))));
    await(access.putReaderGroup(group, Set.of(door)));
    assertThat(check(door, uid).reason()).as("the group holds the door").isEqualTo("GRANTED");
    await(access.deleteReaderGroup(group));
    assertThat(check(door, uid).reason()).as("the group is gone").isEqualTo("READER_NOT_ALLOWED");
    await(access.putReaderGroup(group, Set.of(door)));
    assertThat(check(door, uid).reason()).as("the group is back").isEqualTo("GRANTED");
    await(access.putReaderGroup(group, Set.of(reader("somewhere"))));
    assertThat(check(door, uid).reason())
        .as("the group no longer holds the door")
        .isEqualTo("READER_NOT_ALLOWED");
    assertThat(check(elsewhere, uid).reason()).as("listed directly").isEqualTo("GRANTED");

    await(access.deleteCard(uid));
    assertThat(check(elsewhere, uid).reason()).isEqualTo("UNKNOWN_CARD");
  }

  @Test
  void everyReasonReachableOverHttpIsAnswered() {
    Instant now = Instant.now();
    DayOfWeek today = LocalDate.now(ZoneOffset.UTC).getDayOfWeek();
    // Three days away from today in UTC: never today, even if the test runs across midnight.
    String otherDay = day(today.plus(3));
    Map<String, NewCardPolicy> cards = new LinkedHashMap<>();
    cards.put("GRANTED", NewCardPolicy.of(uid()).withHolder("Granted Gail"));
    cards.put("DISABLED", NewCardPolicy.of(uid()).withHolder("Disabled Dan").withEnabled(false));
    cards.put(
        "NOT_YET_VALID",
        NewCardPolicy.of(uid())
            .withHolder("Future Fay")
            .withValidFrom(now.plus(1, ChronoUnit.DAYS)));
    cards.put(
        "EXPIRED",
        NewCardPolicy.of(uid())
            .withHolder("Past Pat")
            .withValidUntil(now.minus(1, ChronoUnit.DAYS)));
    cards.put(
        "READER_NOT_ALLOWED",
        NewCardPolicy.of(uid()).withHolder("Elsewhere Eli").withReaders(Set.of(reader("vault"))));
    cards.put(
        "OUTSIDE_SCHEDULE",
        NewCardPolicy.of(uid())
            .withHolder("Weekend Wes")
            .withSchedule(
                new WeeklySchedule(
                    "UTC", List.of(new ScheduleWindow(List.of(otherDay), "00:00", "24:00")))));

    for (Map.Entry<String, NewCardPolicy> entry : cards.entrySet()) {
      CardPolicy card = create(entry.getValue());
      String door = reader("reasons");
      Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      AccessDecision decision = check(door, colons(card.uid()));
      Instant after = Instant.now();
      assertThat(decision.reason()).as(card.holder()).isEqualTo(entry.getKey());
      assertThat(decision.granted()).isEqualTo(entry.getKey().equals("GRANTED"));
      assertThat(decision.deviceId()).isEqualTo(door);
      assertThat(decision.cardUid()).isEqualTo(card.uid());
      assertThat(decision.holder()).isEqualTo(card.holder());
      assertThat(decision.decisionId()).isNotBlank();
      assertThat(decision.latencyMs()).isGreaterThanOrEqualTo(0);
      assertThat(decision.timestamp()).isBetween(before, after);
    }

    AccessDecision unknown = check(reader("reasons"), uid());
    assertThat(unknown.reason()).isEqualTo("UNKNOWN_CARD");
    assertThat(unknown.granted()).isFalse();
    assertThat(unknown.holder()).isNull();

    // Inside a schedule that covers the whole week.
    String weekly =
        create(NewCardPolicy.of(uid()).withSchedule(new WeeklySchedule("Europe/Rome", ALL_WEEK)))
            .uid();
    assertThat(check(reader("reasons"), weekly).reason()).isEqualTo("GRANTED");

    // Five denied scans within a minute lock the reader out, even for a good card; other readers
    // are not affected.
    String locked = reader("locked");
    for (int i = 0; i < 5; i++) {
      assertThat(check(locked, uid()).reason()).as("scan " + i).isEqualTo("UNKNOWN_CARD");
    }
    String good = cards.get("GRANTED").uid();
    AccessDecision lockedOut = check(locked, good);
    assertThat(lockedOut.reason()).isEqualTo("LOCKED_OUT");
    assertThat(lockedOut.granted()).isFalse();
    assertThat(check(locked, good).reason()).as("still locked").isEqualTo("LOCKED_OUT");
    assertThat(check(reader("unlocked"), good).reason()).isEqualTo("GRANTED");
  }

  @Test
  void aJsonNumberCardUidIsADecimalCardNumber() {
    create(NewCardPolicy.of("0x763ae8").withHolder("Wiegand Will"));
    String door = reader("wiegand");

    AccessDecision viaClient = await(access.check(door, 7748328L));
    assertThat(viaClient.cardUid()).isEqualTo("763AE8");
    assertThat(viaClient.reason()).isEqualTo("GRANTED");
    assertThat(viaClient.holder()).isEqualTo("Wiegand Will");

    HttpResponse<Buffer> raw =
        rawAdmin(
            HttpMethod.POST,
            "/api/access/check",
            new JsonObject().put("device_id", door).put("card_uid", 7748328));
    assertThat(raw.statusCode()).isEqualTo(200);
    JsonObject body = raw.bodyAsJsonObject();
    assertThat(body.getString("card_uid")).isEqualTo("763AE8");
    assertThat(body.getBoolean("granted")).isTrue();
    assertThat(body.getString("reason")).isEqualTo("GRANTED");
    assertThat(body.fieldNames())
        .containsExactlyInAnyOrder(
            "granted",
            "reason",
            "latency_ms",
            "decision_id",
            "device_id",
            "card_uid",
            "holder",
            "timestamp");
    // The same number as a string of 7 digits is decimal too; "0x" or "h" forces hex.
    assertThat(check(door, "7748328").cardUid()).isEqualTo("763AE8");
    assertThat(check(door, "763AE8h").reason()).isEqualTo("GRANTED");

    // A malformed check names the field and records nothing.
    assertInvalid(access.check(door, "not a card"), "card_uid");
    assertInvalid(access.check("bad reader!", "763AE8"), "device_id");
    assertInvalid(access.check(door, -5L), "card_uid");
    assertInvalid(
        rawAdmin(HttpMethod.POST, "/api/access/check", new JsonObject().put("device_id", door)),
        "card_uid");
    assertInvalid(
        rawAdmin(
            HttpMethod.POST,
            "/api/access/check",
            new JsonObject().put("device_id", door).put("card_uid", "763AE8").put("pin", "1234")),
        "pin");
    assertThat(await(access.logs(AccessLogQuery.newest().withDeviceId(door))).items())
        .hasSize(4)
        .allSatisfy(e -> assertThat(e.cardUid()).isEqualTo("763AE8"));
  }

  @Test
  void aCardUidOfSeparatorsOnlyIsRefusedEverywhereAndRecordsNothing() {
    String door = reader("separators");
    String known = create(NewCardPolicy.of(uid()).withHolder("Sep Sam")).uid();
    for (String raw : List.of(":", "-", "::", ": :")) {
      assertInvalid(access.check(door, raw), "card_uid");
      assertInvalid(
          rawAdmin(
              HttpMethod.POST,
              "/api/access/check",
              new JsonObject().put("device_id", door).put("card_uid", raw)),
          "card_uid");
      assertInvalid(access.logs(AccessLogQuery.newest().withCardUid(raw)), "card_uid");
      assertInvalid(access.createCard(NewCardPolicy.of(raw)), "uid");
      assertInvalid(access.card(raw), "uid");
      assertInvalid(access.updateCard(raw, CardPolicyPatch.empty().withHolder("Eve")), "uid");
      assertInvalid(access.deleteCard(raw), "uid");
    }
    assertThat(await(access.logs(AccessLogQuery.newest().withDeviceId(door))).items())
        .as("no refused check was logged")
        .isEmpty();
    assertThat(await(access.cards(CardQuery.create().withLimit(1000))).items())
        .as("no card policy with an empty uid was created")
        .extracting(CardPolicy::uid)
        .doesNotContain("");
    assertThat(await(access.card(known)).holder()).isEqualTo("Sep Sam");
  }

  // ---------------------------------------------------------------------------------------------
  // Who may do what

  @Test
  void onlyAdminsDevicesForThemselvesAndAccessKeysMayCheck() {
    String uid = create(NewCardPolicy.of(uid()).withHolder("Checked Chris")).uid();
    String door = reader("who");

    assertThat(check(door, uid).granted()).as("admin").isTrue();
    HomelabClient user = lab.newUser("access-user", "user");
    HomelabClient viewer = lab.newUser("access-viewer", "viewer");
    assertThat(failure(user.access().check(door, uid)))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(failure(viewer.access().check(door, uid)))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(failure(lab.newClient(null).access().check(door, uid)))
        .isInstanceOf(HomelabUnauthorizedException.class);

    // A device token checks for its own reader only, and can do nothing else.
    Device device = await(lab.client.devices().create(new NewDevice("Door reader", "rfid_reader")));
    String deviceToken = await(lab.client.devices().issueToken(device.id())).token();
    TestSecrets.remember(deviceToken);
    assertThat(deviceToken).startsWith("hld_");
    HomelabClient reader = lab.newClient(deviceToken);
    AccessDecision own = await(reader.access().check(device.id(), uid));
    assertThat(own.granted()).isTrue();
    assertThat(own.deviceId()).isEqualTo(device.id());
    HomelabHttpException foreign = failure(reader.access().check(door, uid));
    assertThat(foreign).isInstanceOf(HomelabForbiddenException.class);
    assertThat(failure(reader.devices().list())).isInstanceOf(HomelabForbiddenException.class);
    assertThat(failure(reader.auth().me())).isInstanceOf(HomelabForbiddenException.class);
    // A reissued token replaces the old one at once.
    String newToken = await(lab.client.devices().issueToken(device.id())).token();
    TestSecrets.remember(newToken);
    assertThat(failure(reader.access().check(device.id(), uid)))
        .isInstanceOf(HomelabUnauthorizedException.class);
    assertThat(await(lab.newClient(newToken).access().check(device.id(), uid)).granted()).isTrue();

    // An access key, which only administrators may create, checks for any reader while its owner
    // is an administrator, and can do nothing else.
    HomelabClient doorAdmin = lab.newUser("door-admin", "admin");
    String doorAdminId = await(doorAdmin.auth().me()).id();
    CreatedApiKey key = await(doorAdmin.auth().createKey("door controller", "access", null));
    TestSecrets.remember(key.secret());
    assertThat(key.key().scope()).isEqualTo("access");
    HomelabClient controller = lab.newClient(key.secret());
    assertThat(await(controller.access().check(door, uid)).granted()).isTrue();
    assertThat(failure(controller.access().cards())).isInstanceOf(HomelabForbiddenException.class);
    assertThat(failure(controller.auth().me())).isInstanceOf(HomelabForbiddenException.class);
    HomelabHttpException notForUsers = failure(user.auth().createKey("door", "access", null));
    assertThat(notForUsers.status()).isEqualTo(422);
    assertThat(notForUsers.detail()).startsWith("scope: ");

    await(lab.client.users().update(doorAdminId, UserPatch.empty().withRole("user")));
    assertThat(failure(controller.access().check(door, uid)))
        .as("the key's owner is no longer an administrator")
        .isInstanceOf(HomelabForbiddenException.class);
    await(lab.client.users().update(doorAdminId, UserPatch.empty().withRole("admin")));
    assertThat(await(controller.access().check(door, uid)).granted()).isTrue();
  }

  @Test
  void everyOtherAccessRouteIsForAdministratorsOnly() {
    String uid = create(NewCardPolicy.of(uid())).uid();
    String group = "admins-only-" + SEQUENCE.incrementAndGet();
    await(access.putReaderGroup(group, Set.of("door-1")));

    Device device = await(lab.client.devices().create(new NewDevice("Gate reader", "rfid_reader")));
    String deviceToken = await(lab.client.devices().issueToken(device.id())).token();
    TestSecrets.remember(deviceToken);
    HomelabClient keyOwner = lab.newUser("key-owner", "admin");
    CreatedApiKey key = await(keyOwner.auth().createKey("gate", "access", null));
    TestSecrets.remember(key.secret());

    Map<String, HomelabClient> callers = new LinkedHashMap<>();
    callers.put("user", lab.newUser("routes-user", "user"));
    callers.put("viewer", lab.newUser("routes-viewer", "viewer"));
    callers.put("device", lab.newClient(deviceToken));
    callers.put("access key", lab.newClient(key.secret()));
    callers.put("anonymous", lab.newClient(null));

    Map<String, Function<AccessApi, Future<?>>> routes = new LinkedHashMap<>();
    routes.put("logs", AccessApi::logs);
    routes.put("cards", AccessApi::cards);
    routes.put("card", api -> api.card(uid));
    routes.put("createCard", api -> api.createCard(NewCardPolicy.of(uid())));
    routes.put("updateCard", api -> api.updateCard(uid, CardPolicyPatch.empty().withHolder("x")));
    routes.put("deleteCard", api -> api.deleteCard(uid));
    routes.put("readerGroups", AccessApi::readerGroups);
    routes.put("putReaderGroup", api -> api.putReaderGroup(group, Set.of("door-2")));
    routes.put("deleteReaderGroup", api -> api.deleteReaderGroup(group));

    Map<String, Integer> expected = new LinkedHashMap<>();
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (Map.Entry<String, HomelabClient> caller : callers.entrySet()) {
      for (Map.Entry<String, Function<AccessApi, Future<?>>> route : routes.entrySet()) {
        String name = caller.getKey() + " " + route.getKey();
        expected.put(name, caller.getKey().equals("anonymous") ? 401 : 403);
        actual.put(name, status(route.getValue().apply(caller.getValue().access()), 200));
      }
    }
    assertThat(actual).isEqualTo(expected);
    // Nothing was changed by the refused calls.
    assertThat(await(access.card(uid)).holder()).isNull();
    assertThat(await(access.readerGroups()))
        .filteredOn(g -> g.name().equals(group))
        .singleElement()
        .satisfies(g -> assertThat(g.readers()).containsExactly("door-1"));
  }

  // ---------------------------------------------------------------------------------------------
  // The access log and the audit trail

  @Test
  void theAccessLogListsDecisionsNewestFirstWithFiltersAndCursors() {
    String frontDoor = reader("log-front");
    String backDoor = reader("log-back");
    String known = create(NewCardPolicy.of(uid()).withHolder("Logged Lee")).uid();
    String unknown = uid();

    List<AccessDecision> decisions = new ArrayList<>();
    decisions.add(check(frontDoor, known));
    decisions.add(check(frontDoor, unknown));
    decisions.add(check(backDoor, known));
    decisions.add(check(frontDoor, colons(known)));
    decisions.add(check(backDoor, unknown));
    decisions.add(check(frontDoor, known.toLowerCase(Locale.ROOT)));
    decisions.add(check(frontDoor, unknown));
    decisions.add(check(backDoor, known));

    // Every decision is in the log, as it was answered.
    Instant start = decisions.get(0).timestamp();
    Map<String, AccessLogEntry> logged = new LinkedHashMap<>();
    lab.client
        .blocking()
        .access()
        .autoPagingIterable(AccessLogQuery.newest().withFrom(start).withLimit(3))
        .forEach(e -> assertThat(logged.put(e.id(), e)).as("duplicate " + e.id()).isNull());
    for (AccessDecision decision : decisions) {
      AccessLogEntry entry = logged.get(decision.decisionId());
      assertThat(entry).as(decision.decisionId()).isNotNull();
      assertThat(entry)
          .isEqualTo(
              new AccessLogEntry(
                  decision.decisionId(),
                  decision.timestamp(),
                  decision.deviceId(),
                  decision.cardUid(),
                  decision.granted(),
                  decision.reason(),
                  decision.holder(),
                  decision.latencyMs()));
    }

    // Newest first: decision ids are time-ordered, so the log is in descending id order.
    List<AccessLogEntry> front = logs(AccessLogQuery.newest().withDeviceId(frontDoor));
    assertThat(ids(front)).isEqualTo(expected(decisions, d -> d.deviceId().equals(frontDoor)));
    assertThat(front)
        .extracting(AccessLogEntry::timestamp)
        .isSortedAccordingTo(Comparator.reverseOrder());

    // The card filter takes any form of the uid.
    assertThat(ids(logs(AccessLogQuery.newest().withCardUid(colons(known)))))
        .isEqualTo(expected(decisions, d -> d.cardUid().equals(known)));
    assertThat(
            ids(
                logs(
                    AccessLogQuery.newest()
                        .withCardUid(known.toLowerCase(Locale.ROOT))
                        .withDeviceId(backDoor))))
        .isEqualTo(
            expected(decisions, d -> d.cardUid().equals(known) && d.deviceId().equals(backDoor)));

    List<AccessLogEntry> denied =
        logs(AccessLogQuery.newest().withDeviceId(frontDoor).withGranted(false));
    assertThat(denied).hasSize(2).allSatisfy(e -> assertThat(e.granted()).isFalse());
    assertThat(ids(denied))
        .isEqualTo(expected(decisions, d -> d.deviceId().equals(frontDoor) && !d.granted()));
    assertThat(ids(logs(AccessLogQuery.newest().withDeviceId(backDoor).withGranted(true))))
        .isEqualTo(expected(decisions, d -> d.deviceId().equals(backDoor) && d.granted()));

    // from is inclusive, to exclusive.
    Instant from = decisions.get(2).timestamp();
    Instant to = decisions.get(6).timestamp().plusMillis(1);
    assertThat(ids(logs(AccessLogQuery.newest().withDeviceId(frontDoor).withFrom(from).withTo(to))))
        .isEqualTo(
            expected(
                decisions,
                d ->
                    d.deviceId().equals(frontDoor)
                        && !d.timestamp().isBefore(from)
                        && d.timestamp().isBefore(to)))
        .contains(decisions.get(3).decisionId(), decisions.get(6).decisionId());
    assertThat(ids(logs(AccessLogQuery.newest().withCardUid(known).withTo(from))))
        .isEqualTo(
            expected(decisions, d -> d.cardUid().equals(known) && d.timestamp().isBefore(from)));

    // Pages of two, by hand and automatically.
    AccessLogQuery pages = AccessLogQuery.newest().withDeviceId(frontDoor).withLimit(2);
    Page<AccessLogEntry> first = await(access.logs(pages));
    assertThat(ids(first.items())).isEqualTo(ids(front).subList(0, 2));
    assertThat(first.nextCursor()).isEqualTo(first.items().get(1).id());
    Page<AccessLogEntry> second = await(access.logs(pages.withCursor(first.nextCursor())));
    assertThat(ids(second.items())).isEqualTo(ids(front).subList(2, 4));
    List<AccessLogEntry> paged = new ArrayList<>();
    lab.client.blocking().access().autoPagingIterable(pages).forEach(paged::add);
    assertThat(ids(paged)).isEqualTo(ids(front)).doesNotHaveDuplicates();
    Page<AccessLogEntry> last = await(access.logs(pages.withLimit(front.size())));
    assertThat(last.items()).hasSize(front.size());
    assertThat(last.hasNext()).isFalse();

    assertInvalid(await(lab.webAdmin.get("/api/access/logs?granted=maybe").send()), "granted");
    assertInvalid(await(lab.webAdmin.get("/api/access/logs?limit=0").send()), "limit");
    assertInvalid(await(lab.webAdmin.get("/api/access/logs?limit=1001").send()), "limit");
    assertInvalid(await(lab.webAdmin.get("/api/access/logs?cursor=abc").send()), "cursor");
    assertInvalid(await(lab.webAdmin.get("/api/access/logs?from=yesterday").send()), "from");
    assertInvalid(
        await(lab.webAdmin.get("/api/access/logs?card_uid=not%20a%20card").send()), "card_uid");
    assertInvalid(access.logs(AccessLogQuery.newest().withFrom(to).withTo(from)), "from");
  }

  static List<AccessLogEntry> logs(AccessLogQuery query) {
    List<AccessLogEntry> all = new ArrayList<>();
    lab.client.blocking().access().autoPagingIterable(query.withLimit(1000)).forEach(all::add);
    return all;
  }

  static List<String> ids(List<AccessLogEntry> entries) {
    return entries.stream().map(AccessLogEntry::id).toList();
  }

  /** The ids of the matching decisions, newest first. */
  static List<String> expected(List<AccessDecision> decisions, Predicate<AccessDecision> filter) {
    return decisions.stream()
        .filter(filter)
        .map(AccessDecision::decisionId)
        .sorted(Comparator.reverseOrder())
        .toList();
  }

  @Test
  void policyChangesAreAudited() {
    String uid = uid();
    String group = "audited-" + SEQUENCE.incrementAndGet();
    create(NewCardPolicy.of(colons(uid)).withHolder("Audited Ann"));
    await(access.updateCard(uid, CardPolicyPatch.empty().withHolder("Audited Abe")));
    await(access.deleteCard(uid));
    await(access.putReaderGroup(group, Set.of("door-1", "door-2")));
    await(access.deleteReaderGroup(group));

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("policy.card_created", "card:" + uid);
    expected.put("policy.card_updated", "card:" + uid);
    expected.put("policy.card_deleted", "card:" + uid);
    expected.put("policy.group_stored", "reader_group:" + group);
    expected.put("policy.group_deleted", "reader_group:" + group);
    Map<String, AuditEntry> found = new LinkedHashMap<>();
    for (Map.Entry<String, String> action : expected.entrySet()) {
      lab.client
          .blocking()
          .audit()
          .autoPagingIterable(AuditQuery.create().withAction(action.getKey()))
          .forEach(
              e -> {
                if (action.getValue().equals(e.target())) {
                  found.put(action.getKey(), e);
                }
              });
    }
    assertThat(found.keySet()).containsExactlyElementsOf(expected.keySet());
    assertThat(found.values())
        .allSatisfy(
            e -> {
              assertThat(e.outcome()).isEqualTo("success");
              assertThat(e.actor()).isEqualTo("admin");
            });
    assertThat(found.get("policy.card_updated").detail().getJsonArray("fields"))
        .isEqualTo(new JsonArray().add("holder"));
    assertThat(found.get("policy.group_stored").detail().getInteger("readers")).isEqualTo(2);

    // Refused changes and reads are not audited as changes.
    Set<String> before = auditTargets();
    assertInvalid(
        access.updateCard(uid(), CardPolicyPatch.empty().withValidFrom(null).withHolder(" ")),
        "holder");
    failure(access.deleteCard(uid()));
    await(access.cards());
    assertThat(auditTargets()).isEqualTo(before);
  }

  static Set<String> auditTargets() {
    Set<String> targets = new HashSet<>();
    for (String action :
        List.of("policy.card_created", "policy.card_updated", "policy.card_deleted")) {
      lab.client
          .blocking()
          .audit()
          .autoPagingIterable(AuditQuery.create().withAction(action))
          .forEach(e -> targets.add(e.id() + " " + e.target()));
    }
    return targets;
  }
}
