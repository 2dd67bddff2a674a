package dev.homelab.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The metrics API's range parameters, read once in core for every route. */
class TimeRangeTest {

  static final Instant NOW = Instant.parse("2026-03-04T09:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Instant FROM = Instant.parse("2026-03-04T08:00:00Z");

  @Test
  void nothingGivenIsTheLastHourEndingNowInclusive() {
    TimeRange range = TimeRange.resolve(null, null, null, CLOCK);
    assertThat(range.period()).isEqualTo(Period.HOUR);
    assertThat(range.periodText()).isEqualTo("1h");
    assertThat(range.to()).isEqualTo(NOW.toEpochMilli() + 1);
    assertThat(range.from()).isEqualTo(range.to() - 3_600_000);
  }

  @Test
  void aPeriodReachesBackFromNow() {
    TimeRange week = TimeRange.resolve("7d", null, null, CLOCK);
    assertThat(week).isEqualTo(TimeRange.last(Period.WEEK, NOW));
    assertThat(week.fromInstant()).isEqualTo(NOW.minusSeconds(7 * 86_400).plusMillis(1));
  }

  @Test
  void fromAndToAreAnExplicitRange() {
    TimeRange range = TimeRange.resolve(null, FROM, NOW, CLOCK);
    assertThat(range.period()).isNull();
    assertThat(range.periodText()).isNull();
    assertThat(range.fromInstant()).isEqualTo(FROM);
    assertThat(range.toInstant()).isEqualTo(NOW);
    assertThat(range).isEqualTo(TimeRange.between(FROM, NOW));
  }

  @Test
  void badParametersAreRefusedNamingTheField() {
    assertRefused(
        () -> TimeRange.resolve("2h", null, null, CLOCK),
        "period",
        "period must be one of 1h, 6h, 24h, 7d, 30d");
    assertRefused(
        () -> TimeRange.resolve("", null, null, CLOCK),
        "period",
        "period must be one of 1h, 6h, 24h, 7d, 30d");
    assertRefused(
        () -> TimeRange.resolve("1h", FROM, NOW, CLOCK),
        "period",
        "give either period or from and to, not both");
    assertRefused(
        () -> TimeRange.resolve(null, null, NOW, CLOCK), "from", "from and to go together");
    assertRefused(
        () -> TimeRange.resolve(null, FROM, null, CLOCK), "to", "from and to go together");
    assertRefused(() -> TimeRange.resolve(null, NOW, FROM, CLOCK), "to", "to must be after from");
    assertRefused(() -> TimeRange.resolve(null, NOW, NOW, CLOCK), "to", "to must be after from");
    assertRefused(() -> new TimeRange(null, 5, 5), "to", "to must be after from");
    // Ends that milliseconds since the epoch cannot hold, or that lie before it, are refused, not
    // overflowed.
    assertRefused(
        () -> TimeRange.resolve(null, Instant.MIN, NOW, CLOCK),
        "from",
        "from must not be before 1970");
    assertRefused(
        () -> TimeRange.resolve(null, FROM, Instant.MAX, CLOCK),
        "to",
        "to must be before the year 10000");
    assertRefused(
        () -> TimeRange.between(FROM, Instant.parse("+10000-01-01T00:00:00Z")),
        "to",
        "to must be before the year 10000");
    assertThat(TimeRange.between(Instant.EPOCH, Instant.parse("9999-12-31T23:59:59.999Z")).to())
        .isEqualTo(253_402_300_799_999L);
  }

  static void assertRefused(ThrowingCallable call, String field, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(message);
  }
}
