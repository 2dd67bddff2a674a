package dev.homelab.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WeeklyScheduleTest {

  private static WeeklySchedule schedule(String json) {
    return WeeklySchedule.fromJson(new JsonObject(json));
  }

  @Test
  void aDayWindowIsInclusiveAtTheStartAndExclusiveAtTheEnd() {
    WeeklySchedule office =
        schedule(
            "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"mon\",\"tue\",\"wed\",\"thu\","
                + "\"fri\"],\"start\":\"08:00\",\"end\":\"18:00\"}]}");
    // 2026-03-04 is a Wednesday.
    assertThat(office.allows(Instant.parse("2026-03-04T07:59:59Z"))).isFalse();
    assertThat(office.allows(Instant.parse("2026-03-04T08:00:00Z"))).isTrue();
    assertThat(office.allows(Instant.parse("2026-03-04T17:59:59Z"))).isTrue();
    assertThat(office.allows(Instant.parse("2026-03-04T18:00:00Z"))).isFalse();
    assertThat(office.allows(Instant.parse("2026-03-07T10:00:00Z"))).as("Saturday").isFalse();
  }

  @Test
  void aWindowThatCrossesMidnightEndsOnTheNextDay() {
    WeeklySchedule night =
        schedule(
            "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"fri\"],\"start\":\"22:00\","
                + "\"end\":\"06:00\"}]}");
    assertThat(night.allows(Instant.parse("2026-03-06T21:59:00Z"))).as("Fri before").isFalse();
    assertThat(night.allows(Instant.parse("2026-03-06T22:00:00Z"))).as("Fri 22:00").isTrue();
    assertThat(night.allows(Instant.parse("2026-03-06T23:59:59Z"))).isTrue();
    assertThat(night.allows(Instant.parse("2026-03-07T00:00:00Z"))).as("Sat 00:00").isTrue();
    assertThat(night.allows(Instant.parse("2026-03-07T05:59:00Z"))).as("Sat 05:59").isTrue();
    assertThat(night.allows(Instant.parse("2026-03-07T06:00:00Z"))).as("Sat 06:00").isFalse();
    assertThat(night.allows(Instant.parse("2026-03-07T22:30:00Z"))).as("Sat night").isFalse();
    assertThat(night.allows(Instant.parse("2026-03-06T03:00:00Z")))
        .as("Friday early morning belongs to Thursday's night")
        .isFalse();
  }

  @Test
  void sundayNightRunsIntoMonday() {
    WeeklySchedule night =
        schedule(
            "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"sunday\"],\"start\":\"23:00\","
                + "\"end\":\"01:00\"}]}");
    assertThat(night.allows(Instant.parse("2026-03-09T00:30:00Z"))).as("Mon 00:30").isTrue();
    assertThat(night.allows(Instant.parse("2026-03-10T00:30:00Z"))).as("Tue 00:30").isFalse();
  }

  @Test
  void windowsFollowTheWallClockAcrossDaylightSavingTime() {
    WeeklySchedule rome =
        schedule(
            "{\"time_zone\":\"Europe/Rome\",\"windows\":[{\"days\":[\"mon\",\"tue\",\"wed\","
                + "\"thu\",\"fri\",\"sat\",\"sun\"],\"start\":\"08:00\",\"end\":\"09:00\"}]}");
    // Winter: Rome is UTC+1, so 08:00 local is 07:00Z.
    assertThat(rome.allows(Instant.parse("2026-03-27T07:00:00Z"))).isTrue();
    assertThat(rome.allows(Instant.parse("2026-03-27T08:00:00Z"))).isFalse();
    // Clocks go forward on Sunday 2026-03-29: 08:00 local is now 06:00Z.
    assertThat(rome.allows(Instant.parse("2026-03-30T06:00:00Z"))).isTrue();
    assertThat(rome.allows(Instant.parse("2026-03-30T07:00:00Z"))).isFalse();
    // And back on Sunday 2026-10-25.
    assertThat(rome.allows(Instant.parse("2026-10-26T07:30:00Z"))).isTrue();
    assertThat(rome.allows(Instant.parse("2026-10-26T06:30:00Z"))).isFalse();
  }

  @Test
  void theSkippedHourDoesNotExistAndTheRepeatedHourCountsTwice() {
    WeeklySchedule skipped =
        schedule(
            "{\"time_zone\":\"Europe/Rome\",\"windows\":[{\"days\":[\"sun\"],\"start\":\"02:00\","
                + "\"end\":\"03:00\"}]}");
    // 2026-03-29 01:00Z: clocks jump from 02:00 to 03:00 local; no instant is in 02:00-03:00.
    assertThat(skipped.allows(Instant.parse("2026-03-29T00:59:59Z"))).as("01:59 CET").isFalse();
    assertThat(skipped.allows(Instant.parse("2026-03-29T01:00:00Z"))).as("03:00 CEST").isFalse();
    WeeklySchedule repeated =
        schedule(
            "{\"time_zone\":\"Europe/Rome\",\"windows\":[{\"days\":[\"sun\"],\"start\":\"02:00\","
                + "\"end\":\"03:00\"}]}");
    // 2026-10-25: 02:00-03:00 local happens at 00:00Z (CEST) and again at 01:00Z (CET).
    assertThat(repeated.allows(Instant.parse("2026-10-25T00:30:00Z"))).as("first 02:30").isTrue();
    assertThat(repeated.allows(Instant.parse("2026-10-25T01:30:00Z"))).as("second 02:30").isTrue();
    assertThat(repeated.allows(Instant.parse("2026-10-25T02:00:00Z"))).as("03:00 CET").isFalse();
  }

  @Test
  void aNightWindowOnTheNightClocksGoForwardIsAnHourShorter() {
    WeeklySchedule night =
        schedule(
            "{\"time_zone\":\"Europe/Rome\",\"windows\":[{\"days\":[\"sat\"],\"start\":\"22:00\","
                + "\"end\":\"06:00\"}]}");
    assertThat(night.allows(Instant.parse("2026-03-28T21:00:00Z"))).as("Sat 22:00 CET").isTrue();
    assertThat(night.allows(Instant.parse("2026-03-29T03:59:00Z"))).as("Sun 05:59 CEST").isTrue();
    assertThat(night.allows(Instant.parse("2026-03-29T04:00:00Z"))).as("Sun 06:00 CEST").isFalse();
  }

  @Test
  void theWireFormRoundTrips() {
    String json =
        "{\"time_zone\":\"America/New_York\",\"windows\":[{\"days\":[\"mon\",\"sun\"],"
            + "\"start\":\"22:30\",\"end\":\"24:00\"}]}";
    assertThat(schedule(json).toJson()).isEqualTo(new JsonObject(json));
    assertThat(schedule(schedule(json).toJson().encode())).isEqualTo(schedule(json));
  }

  @Test
  void badSchedulesNameTheField() {
    assertField("{\"windows\":[]}", "schedule.time_zone");
    assertField("{\"time_zone\":\"Mars/Base\",\"windows\":[]}", "schedule.time_zone");
    assertField("{\"time_zone\":\"UTC\",\"windows\":[]}", "schedule.windows");
    assertField("{\"time_zone\":\"UTC\"}", "schedule.windows");
    assertField(
        "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"xyz\"],\"start\":\"08:00\","
            + "\"end\":\"09:00\"}]}",
        "schedule.windows.days");
    assertField(
        "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"mon\"],\"start\":\"8am\","
            + "\"end\":\"09:00\"}]}",
        "schedule.windows.start");
    assertField(
        "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"mon\"],\"start\":\"08:00\","
            + "\"end\":\"08:00\"}]}",
        "schedule.windows.end");
    assertField(
        "{\"time_zone\":\"UTC\",\"windows\":[{\"days\":[\"mon\"],\"start\":\"08:00\","
            + "\"end\":\"24:30\"}]}",
        "schedule.windows.end");
    assertField("{\"time_zone\":\"UTC\",\"windows\":[],\"extra\":1}", "schedule.extra");
  }

  private static void assertField(String json, String field) {
    assertThatThrownBy(() -> schedule(json))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo(field);
  }
}
