package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.LeadershipWatch;
import dev.homelab.core.testing.PostgresExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers behind one proxy share a database (or Redis): only the elected one samples the host
 * every second, and the other takes over when it stops. A thread reads both instances' {@code
 * homelab.leader} gauges every millisecond and fails the test if both ever read 1.
 */
class LeaderElectionIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  /** A ttl of 3 s: a try or a renewal every second. */
  static final String REDIS = SharedLimitsIT.REDIS_URL;

  static final Map<String, String> FAST =
      Map.of("METRICS_INTERVAL_HOST", "1", "LEADER_TTL_SECONDS", "3");

  static final Duration TAKEOVER = Duration.ofSeconds(6);

  @TempDir Path one;
  @TempDir Path two;

  @Test
  void twoServersOnOnePostgresDatabaseCollectOnOne() {
    Map<String, String> settings = with(FAST, "DATABASE_URL", PG.uri());
    onlyOneCollectsAndTheOtherTakesOver(settings, settings);
  }

  @Test
  void twoServersSharingRedisCollectOnOne() {
    // On one PostgreSQL database and one Redis: the election goes through Redis.
    Map<String, String> settings =
        with(
            with(with(FAST, "DATABASE_URL", PG.uriOf(PG.newDatabase())), "REDIS_URL", REDIS),
            "REDIS_KEY_PREFIX",
            "homelab-it-" + UUID.randomUUID() + ":");
    onlyOneCollectsAndTheOtherTakesOver(settings, settings);
  }

  @Test
  void sqliteServersSharingRedisEachCollect() {
    // Nothing is shared between SQLite servers: each one leads, whatever Redis they share.
    Map<String, String> settings =
        with(
            with(FAST, "REDIS_URL", REDIS),
            "REDIS_KEY_PREFIX",
            "homelab-it-" + UUID.randomUUID() + ":");
    try (ServerTesting first = ServerTesting.start(one, settings);
        ServerTesting second = ServerTesting.start(two, settings)) {
      assertThat(leads(first)).isTrue();
      assertThat(leads(second)).isTrue();
      waitUntil(() -> hostRuns(first) >= 2 && hostRuns(second) >= 2, TAKEOVER);
    }
  }

  private void onlyOneCollectsAndTheOtherTakesOver(
      Map<String, String> firstSettings, Map<String, String> secondSettings) {
    ServerTesting first = ServerTesting.start(one, firstSettings);
    boolean firstClosed = false;
    try (ServerTesting second = ServerTesting.start(two, secondSettings);
        LeadershipWatch overlaps =
            LeadershipWatch.polling(() -> leads(first), () -> leads(second))) {
      // The first took the free lock while starting; the second found it taken.
      assertThat(leads(first)).isTrue();
      assertThat(leads(second)).isFalse();
      assertThat(await(first.client.system().storage()).leader()).isTrue();
      assertThat(await(second.client.system().storage()).leader()).isFalse();

      waitUntil(() -> hostRuns(first) >= 3, TAKEOVER);
      assertThat(hostRuns(second)).as("the follower never sampled the host").isZero();
      assertThat(leads(second)).isFalse();

      first.close();
      firstClosed = true;
      waitUntil(() -> leads(second), TAKEOVER);
      waitUntil(() -> hostRuns(second) >= 2, TAKEOVER);
      assertThat(await(second.client.system().storage()).leader()).isTrue();
    } finally {
      if (!firstClosed) {
        first.close();
      }
    }
  }

  private static boolean leads(ServerTesting lab) {
    return lab.registry.get("homelab.leader").tag("role", "homelab.collectors").gauge().value()
        == 1.0;
  }

  private static double hostRuns(ServerTesting lab) {
    return lab.registry
        .get("homelab.collector.runs")
        .tags("collector", "host", "outcome", "success")
        .functionCounter()
        .count();
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> all = new HashMap<>(base);
    all.put(key, value);
    return Map.copyOf(all);
  }

  private static void waitUntil(BooleanSupplier condition, Duration within) {
    Awaitility.await().atMost(within).until(condition::getAsBoolean);
  }
}
