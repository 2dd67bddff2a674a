package dev.homelab.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.Decision;
import dev.homelab.core.access.Reason;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.casbin.jcasbin.main.CachedEnforcer;
import org.casbin.jcasbin.main.Enforcer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Proves that the benchmark compares like with like: jCasbin's model grants exactly the scans the
 * engine grants, on every scan of the workload, at the benchmark's time and at times that exercise
 * the other schedules (night shifts across midnight, weekends, daylight saving time).
 */
class AccessDecisionAgreementTest {

  private static final AccessWorkload WORKLOAD = AccessWorkload.standard();
  private static Vertx vertx;
  private static Enforcer enforcer;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    enforcer = CasbinAccessModel.enforcer(WORKLOAD);
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  @Test
  void theWorkloadIsTheSameEveryTime() {
    AccessWorkload again = AccessWorkload.generate(AccessWorkload.SEED);
    assertThat(again.cards()).isEqualTo(WORKLOAD.cards());
    assertThat(again.groups()).isEqualTo(WORKLOAD.groups());
    for (int i = 0; i < AccessWorkload.SCANS; i++) {
      assertThat(again.scanReader(i)).isEqualTo(WORKLOAD.scanReader(i));
      assertThat(again.scanCard(i)).isEqualTo(WORKLOAD.scanCard(i));
    }
  }

  @Test
  void theBenchmarkTimeExercisesEveryRule() {
    AccessEngine engine = AccessDecisionBenchmark.startEngine(vertx, WORKLOAD);
    Map<Reason, Integer> reasons = new EnumMap<>(Reason.class);
    for (int i = 0; i < AccessWorkload.SCANS; i++) {
      Decision decision = engine.decide(WORKLOAD.scanReader(i), WORKLOAD.scanCard(i));
      reasons.merge(decision.reason(), 1, Integer::sum);
    }
    engine.close().await();

    assertThat(reasons)
        .containsOnlyKeys(
            Reason.GRANTED,
            Reason.UNKNOWN_CARD,
            Reason.DISABLED,
            Reason.EXPIRED,
            Reason.READER_NOT_ALLOWED,
            Reason.OUTSIDE_SCHEDULE);
    int scans = AccessWorkload.SCANS;
    assertThat(reasons.get(Reason.UNKNOWN_CARD)).isBetween(scans * 8 / 100, scans * 12 / 100);
    assertThat(reasons.get(Reason.GRANTED)).isGreaterThan(scans / 2);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-03-04T09:00:00Z", // the benchmark's time: Wednesday 10:00 in Rome
        "2026-03-04T22:30:00Z", // Wednesday 23:30: night shifts
        "2026-03-05T04:59:00Z", // Thursday 05:59: night shifts that started the day before
        "2026-03-07T11:00:00Z", // Saturday 12:00: weekends
        "2026-03-09T04:30:00Z", // Monday 05:30: a night shift that started on Sunday is not allowed
        "2026-03-30T16:45:00Z" // Monday 18:45, summer time (UTC+2)
      })
  void jcasbinGrantsExactlyWhatTheEngineGrants(String time) {
    Instant now = Instant.parse(time);
    AccessEngine engine =
        AccessDecisionBenchmark.startEngine(vertx, WORKLOAD, Clock.fixed(now, ZoneOffset.UTC));
    String casbinNow = CasbinAccessModel.now(now);
    List<String> disagreements = new ArrayList<>();
    int granted = 0;
    for (int i = 0; i < AccessWorkload.SCANS; i++) {
      String reader = WORKLOAD.scanReader(i);
      String card = WORKLOAD.scanCard(i);
      Decision decision = engine.decide(reader, card);
      if (decision.granted()) {
        granted++;
      }
      if (enforcer.enforce(card, reader, casbinNow) != decision.granted()) {
        disagreements.add(i + ": " + card + " at " + reader + " -> " + decision.reason());
      }
    }
    engine.close().await();

    assertThat(disagreements).isEmpty();
    assertThat(granted).isPositive();
  }

  @Test
  void theCachedEnforcerAgreesOnAHitAsOnAMiss() {
    CachedEnforcer cached = CasbinAccessModel.cachedEnforcer(WORKLOAD);
    String now = CasbinAccessModel.now(AccessWorkload.NOW);
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < AccessWorkload.SCANS; i += 7) {
        String reader = WORKLOAD.scanReader(i);
        String card = WORKLOAD.scanCard(i);
        assertThat(cached.enforce(card, reader, now))
            .isEqualTo(enforcer.enforce(card, reader, now));
      }
    }
  }
}
