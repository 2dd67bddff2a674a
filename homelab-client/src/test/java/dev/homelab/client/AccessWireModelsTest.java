package dev.homelab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** JSON mapping of the access-control wire models, on bodies shaped as the server sends them. */
class AccessWireModelsTest {

  static final WeeklySchedule OFFICE_HOURS =
      new WeeklySchedule(
          "Europe/Rome",
          List.of(
              new ScheduleWindow(List.of("mon", "tue", "wed", "thu", "fri"), "08:00", "18:30"),
              new ScheduleWindow(List.of("sat"), "22:00", "06:00")));

  @Test
  void accessDecisionReadsTheCheckAnswer() {
    AccessDecision decision =
        AccessDecision.fromJson(
            new JsonObject(
                """
                {"granted":true,"reason":"GRANTED","latency_ms":0.0421,
                 "decision_id":"0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b","device_id":"front-door",
                 "card_uid":"BA839D07","holder":"Alice","timestamp":"2025-06-01T07:59:59.123Z",
                 "added_later":[1,2]}
                """));

    assertThat(decision)
        .isEqualTo(
            new AccessDecision(
                "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b",
                true,
                "GRANTED",
                "front-door",
                "BA839D07",
                "Alice",
                0.0421,
                Instant.parse("2025-06-01T07:59:59.123Z")));
    assertThat(AccessDecision.fromJson(decision.toJson())).isEqualTo(decision);

    AccessDecision unknown =
        AccessDecision.fromJson(
            new JsonObject(
                """
                {"granted":false,"reason":"A_REASON_FROM_THE_FUTURE","latency_ms":1,
                 "decision_id":"d","device_id":"r","card_uid":"763AE8","holder":null,
                 "timestamp":"2025-06-01T00:00:00Z"}
                """));
    assertThat(unknown.granted()).isFalse();
    assertThat(unknown.reason()).isEqualTo("A_REASON_FROM_THE_FUTURE");
    assertThat(unknown.holder()).isNull();
    assertThat(unknown.latencyMs()).isEqualTo(1.0);
  }

  @Test
  void accessLogEntryRoundTrips() {
    JsonObject body =
        new JsonObject(
            """
            {"id":"0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b","timestamp":"2025-06-01T07:59:59.123Z",
             "device_id":"front-door","card_uid":"BA839D07","granted":false,
             "reason":"OUTSIDE_SCHEDULE","holder":"Alice","latency_ms":0.5,"shard":3}
            """);
    AccessLogEntry entry = AccessLogEntry.fromJson(body);

    assertThat(entry)
        .isEqualTo(
            new AccessLogEntry(
                "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b",
                Instant.parse("2025-06-01T07:59:59.123Z"),
                "front-door",
                "BA839D07",
                false,
                "OUTSIDE_SCHEDULE",
                "Alice",
                0.5));
    body.remove("shard");
    assertThat(entry.toJson()).isEqualTo(body);
    assertThat(AccessLogEntry.fromJson(entry.toJson())).isEqualTo(entry);
  }

  @Test
  void accessLogQueryBuildsOnlyTheSetParameters() {
    assertThat(AccessLogQuery.newest().toQueryParams()).isEmpty();
    assertThat(
            AccessLogQuery.newest()
                .withDeviceId("front-door")
                .withCardUid("ba:83:9d:07")
                .withGranted(false)
                .withFrom(Instant.parse("2025-06-01T00:00:00Z"))
                .withTo(Instant.parse("2025-06-02T00:00:00.250Z"))
                .withLimit(1000)
                .withCursor("0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b")
                .toQueryParams())
        .containsExactly(
            Map.entry("device_id", "front-door"),
            Map.entry("card_uid", "ba:83:9d:07"),
            Map.entry("granted", "false"),
            Map.entry("from", "2025-06-01T00:00:00Z"),
            Map.entry("to", "2025-06-02T00:00:00.250Z"),
            Map.entry("limit", "1000"),
            Map.entry("cursor", "0190a6f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b"));
    assertThat(AccessLogQuery.newest().withGranted(true).toQueryParams())
        .containsExactly(Map.entry("granted", "true"));
    assertThat(AccessLogQuery.newest().withGranted(true).withGranted(null).toQueryParams())
        .isEmpty();
    assertThatThrownBy(() -> AccessLogQuery.newest().withLimit(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cardQueryBuildsOnlyTheSetParameters() {
    assertThat(CardQuery.create().toQueryParams()).isEmpty();
    assertThat(CardQuery.create().withLimit(2).withCursor("BA839D07").toQueryParams())
        .containsExactly(Map.entry("limit", "2"), Map.entry("cursor", "BA839D07"));
    assertThatThrownBy(() -> CardQuery.create().withLimit(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cardPolicyReadsEveryFieldAndRoundTrips() {
    JsonObject body =
        new JsonObject(
            """
            {"uid":"BA839D07","holder":"Alice","enabled":true,
             "valid_from":"2025-01-01T00:00:00Z","valid_until":"2026-01-01T00:00:00Z",
             "readers":["back-door","front-door"],"reader_groups":["lobby"],
             "schedule":{"time_zone":"Europe/Rome","windows":[
               {"days":["mon","tue","wed","thu","fri"],"start":"08:00","end":"18:30"},
               {"days":["sat"],"start":"22:00","end":"06:00","priority":1}]},
             "created_at":"2024-12-01T10:00:00Z","updated_at":"2024-12-02T10:00:00.5Z",
             "etag":"ignored"}
            """);
    CardPolicy card = CardPolicy.fromJson(body);

    assertThat(card)
        .isEqualTo(
            new CardPolicy(
                "BA839D07",
                "Alice",
                true,
                Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z"),
                Set.of("front-door", "back-door"),
                Set.of("lobby"),
                OFFICE_HOURS,
                Instant.parse("2024-12-01T10:00:00Z"),
                Instant.parse("2024-12-02T10:00:00.5Z")));
    assertThat(card.anyReader()).isFalse();
    assertThat(CardPolicy.fromJson(card.toJson())).isEqualTo(card);
    assertThat(card.toJson().getJsonArray("readers"))
        .isEqualTo(new JsonArray().add("back-door").add("front-door"));
    assertThat(card.toJson().getJsonObject("schedule"))
        .isEqualTo(
            new JsonObject(
                """
                {"time_zone":"Europe/Rome","windows":[
                  {"days":["mon","tue","wed","thu","fri"],"start":"08:00","end":"18:30"},
                  {"days":["sat"],"start":"22:00","end":"06:00"}]}
                """));
    assertThatThrownBy(() -> card.readers().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);

    CardPolicy bare =
        CardPolicy.fromJson(
            new JsonObject(
                """
                {"uid":"763AE8","holder":null,"enabled":false,"valid_from":null,
                 "valid_until":null,"readers":[],"reader_groups":[],"schedule":null,
                 "created_at":"2024-12-01T10:00:00Z","updated_at":"2024-12-01T10:00:00Z"}
                """));
    assertThat(bare.holder()).isNull();
    assertThat(bare.enabled()).isFalse();
    assertThat(bare.validFrom()).isNull();
    assertThat(bare.validUntil()).isNull();
    assertThat(bare.schedule()).isNull();
    assertThat(bare.anyReader()).isTrue();
    assertThat(CardPolicy.fromJson(bare.toJson())).isEqualTo(bare);
    assertThat(bare.toJson().containsKey("schedule")).isTrue();
    assertThat(bare.toJson().getValue("schedule")).isNull();
  }

  @Test
  void scheduleCopiesItsListsAndIgnoresUnknownFields() {
    List<String> days = new java.util.ArrayList<>(List.of("sun"));
    ScheduleWindow window = new ScheduleWindow(days, "00:00", "24:00");
    days.add("mon");
    assertThat(window.days()).containsExactly("sun");
    assertThat(ScheduleWindow.fromJson(window.toJson())).isEqualTo(window);

    WeeklySchedule schedule =
        WeeklySchedule.fromJson(
            new JsonObject(
                """
                {"time_zone":"UTC","windows":[{"days":["sun"],"start":"00:00","end":"24:00"}],
                 "holidays":[]}
                """));
    assertThat(schedule).isEqualTo(new WeeklySchedule("UTC", List.of(window)));
    assertThat(WeeklySchedule.fromJson(schedule.toJson())).isEqualTo(schedule);
    assertThat(new WeeklySchedule("UTC", null).windows()).isEmpty();
  }

  @Test
  void newCardPolicySendsOnlyWhatIsSet() {
    assertThat(NewCardPolicy.of("ba:83:9d:07").toJson())
        .isEqualTo(new JsonObject().put("uid", "ba:83:9d:07"));

    Set<String> readers = new HashSet<>(Set.of("front-door", "back-door"));
    NewCardPolicy full =
        NewCardPolicy.of("BA839D07")
            .withHolder("Alice")
            .withEnabled(false)
            .withValidFrom(Instant.parse("2025-01-01T00:00:00Z"))
            .withValidUntil(Instant.parse("2026-01-01T00:00:00Z"))
            .withReaders(readers)
            .withReaderGroups(Set.of("lobby"))
            .withSchedule(OFFICE_HOURS);
    readers.add("changed-later");
    JsonObject json = full.toJson();
    assertThat(json)
        .isEqualTo(
            new JsonObject()
                .put("uid", "BA839D07")
                .put("holder", "Alice")
                .put("enabled", false)
                .put("valid_from", "2025-01-01T00:00:00Z")
                .put("valid_until", "2026-01-01T00:00:00Z")
                .put("readers", new JsonArray().add("back-door").add("front-door"))
                .put("reader_groups", new JsonArray().add("lobby"))
                .put("schedule", OFFICE_HOURS.toJson()));
    assertThat(NewCardPolicy.fromJson(json)).isEqualTo(full);
    assertThat(NewCardPolicy.fromJson(json.put("created_at", "x"))).isEqualTo(full);

    NewCardPolicy emptySets = NewCardPolicy.of("AA").withReaders(Set.of());
    assertThat(emptySets.toJson().getJsonArray("readers")).isEqualTo(new JsonArray());
    assertThat(emptySets.toJson().containsKey("reader_groups")).isFalse();
    assertThat(NewCardPolicy.fromJson(emptySets.toJson())).isEqualTo(emptySets);
  }

  @Test
  void cardPolicyPatchTellsClearingFromLeavingAlone() {
    assertThat(CardPolicyPatch.empty().isEmpty()).isTrue();
    assertThat(CardPolicyPatch.empty().toJson()).isEqualTo(new JsonObject());
    assertThat(CardPolicyPatch.empty().fields()).isEmpty();

    CardPolicyPatch clear =
        CardPolicyPatch.empty()
            .withHolder(null)
            .withValidFrom(null)
            .withValidUntil(null)
            .withSchedule(null);
    JsonObject body = clear.toJson();
    assertThat(body.fieldNames())
        .containsExactlyInAnyOrder("holder", "valid_from", "valid_until", "schedule");
    assertThat(body.getMap().values()).containsOnlyNulls();
    assertThat(body.encode()).contains("\"holder\":null").doesNotContain("enabled");
    assertThat(clear.isSet("holder")).isTrue();
    assertThat(clear.isSet("enabled")).isFalse();
    assertThat(clear.fields()).containsExactly("holder", "schedule", "valid_from", "valid_until");

    CardPolicyPatch set =
        CardPolicyPatch.empty()
            .withEnabled(false)
            .withHolder("Bob")
            .withValidUntil(Instant.parse("2026-01-01T00:00:00Z"))
            .withReaders(Set.of("z-door", "a-door"))
            .withReaderGroups(null)
            .withSchedule(OFFICE_HOURS);
    assertThat(set.toJson())
        .isEqualTo(
            new JsonObject()
                .put("enabled", false)
                .put("holder", "Bob")
                .put("valid_until", "2026-01-01T00:00:00Z")
                .put("readers", new JsonArray().add("a-door").add("z-door"))
                .putNull("reader_groups")
                .put("schedule", OFFICE_HOURS.toJson()));
    assertThat(set.isEmpty()).isFalse();

    // Each with... returns a new patch; the original does not change.
    CardPolicyPatch base = CardPolicyPatch.empty().withEnabled(true);
    CardPolicyPatch more = base.withHolder("Carol");
    assertThat(base.fields()).containsExactly("enabled");
    assertThat(more.fields()).containsExactly("enabled", "holder");
    // The last value of a field wins, including a change back to null.
    assertThat(more.withHolder(null).toJson().getValue("holder")).isNull();
    assertThat(more.withHolder(null).isSet("holder")).isTrue();

    // toJson hands out a copy.
    set.toJson().put("holder", "Mallory");
    assertThat(set.toJson().getString("holder")).isEqualTo("Bob");

    // fromJson keeps present fields, null included, and ignores unknown ones and the uid.
    CardPolicyPatch read =
        CardPolicyPatch.fromJson(
            new JsonObject(
                """
                {"holder":null,"enabled":false,"uid":"AA","colour":"red"}
                """));
    assertThat(read)
        .isEqualTo(CardPolicyPatch.empty().withHolder(null).withEnabled(false))
        .hasSameHashCodeAs(CardPolicyPatch.empty().withEnabled(false).withHolder(null));
    assertThat(CardPolicyPatch.fromJson(set.toJson())).isEqualTo(set);
    assertThat(CardPolicyPatch.fromJson(clear.toJson())).isEqualTo(clear);
    assertThat(read).isNotEqualTo(CardPolicyPatch.empty().withEnabled(false));

    assertThat(set.toString())
        .isEqualTo(
            "CardPolicyPatch[enabled, holder, reader_groups, readers, schedule, valid_until]")
        .doesNotContain("Bob");
  }

  @Test
  void readerGroupRoundTrips() {
    ReaderGroup group =
        ReaderGroup.fromJson(
            new JsonObject(
                """
                {"name":"front-doors","readers":["door-2","door-1"],
                 "updated_at":"2025-06-01T00:00:00Z","members":2}
                """));
    assertThat(group)
        .isEqualTo(
            new ReaderGroup(
                "front-doors", Set.of("door-1", "door-2"), Instant.parse("2025-06-01T00:00:00Z")));
    assertThat(group.toJson().getJsonArray("readers"))
        .isEqualTo(new JsonArray().add("door-1").add("door-2"));
    assertThat(ReaderGroup.fromJson(group.toJson())).isEqualTo(group);
    assertThat(new ReaderGroup("g", null, null).readers()).isEmpty();
  }

  @Test
  void cardPageIgnoresTheTotal() {
    Page<CardPolicy> page =
        Page.fromJson(
            new JsonObject(
                """
                {"cards":[{"uid":"AA","enabled":true,"readers":[],"reader_groups":[],
                           "created_at":"2025-01-01T00:00:00Z",
                           "updated_at":"2025-01-01T00:00:00Z"}],
                 "total":3,"next_cursor":"AA"}
                """),
            "cards",
            CardPolicy::fromJson);
    assertThat(page.items()).extracting(CardPolicy::uid).containsExactly("AA");
    assertThat(page.nextCursor()).isEqualTo("AA");
  }
}
