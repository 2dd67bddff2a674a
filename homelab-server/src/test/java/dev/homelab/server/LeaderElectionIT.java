package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.LeadershipWatch;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.core.upstream.proxmox.ProxmoxClient;
import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import dev.homelab.simulators.automation.AutomationSimulator;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers behind one proxy share a database (or Redis): only the elected one samples the host
 * every second, and the other takes over when it stops. A thread reads both instances' {@code
 * homelab.leader} gauges every millisecond and fails the test if both ever read 1.
 *
 * <p>Both also collect a simulated Proxmox server and the automation simulator every second: the
 * upstream collectors run on the same leader-only scheduler as the host monitor, so the follower
 * never asks an upstream anything either.
 */
class LeaderElectionIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  /** A ttl of 3 s: a try or a renewal every second. */
  static final String REDIS = SharedLimitsIT.REDIS_URL;

  static final Map<String, String> FAST =
      Map.of("METRICS_INTERVAL_HOST", "1", "LEADER_TTL_SECONDS", "3");

  /** The upstream collectors checked besides the host's. */
  static final List<String> UPSTREAM_COLLECTORS =
      List.of("proxmox.server.nas", "proxmox.guests.nas", "automations");

  static Vertx simulators;
  static ProxmoxSimulator nas;
  static AutomationSimulator automation;
  static Map<String, String> upstreams;

  @BeforeAll
  static void startSimulators() {
    simulators = Vertx.vertx(VertxTesting.options());
    nas =
        await(
            ProxmoxSimulator.start(
                simulators,
                ProxmoxSimulator.Setup.of(
                    "nas", "8.3.2", List.of(SimulatedGuest.qemu(100, "vpn-hub", true)))));
    automation = await(AutomationSimulator.start(simulators));
    TestSecrets.remember(nas.setup().tokenSecret());
    Map<String, String> settings = new HashMap<>();
    settings.put("PROXMOX_SERVERS", "nas");
    settings.put("PROXMOX_NAS_URL", nas.baseUrl());
    settings.put("PROXMOX_NAS_NAME", "NAS Server");
    settings.put("PROXMOX_NAS_TOKEN_ID", nas.setup().tokenId());
    settings.put("PROXMOX_NAS_TOKEN_SECRET", nas.setup().tokenSecret());
    settings.put("PROXMOX_NAS_FINGERPRINT", nas.fingerprint());
    settings.put("AUTOMATION_API_URL", automation.baseUrl());
    settings.put("AUTOMATION_API_USER", "admin");
    settings.put("AUTOMATION_API_PASSWORD", "test");
    settings.put("METRICS_INTERVAL_SERVERS", "1");
    settings.put("METRICS_INTERVAL_VMS", "1");
    settings.put("METRICS_INTERVAL_AUTOMATIONS", "1");
    upstreams = Map.copyOf(settings);
    // The JVM's first TLS handshake initialises its TLS stack on an event loop: not the subject.
    BlockedThreadGuard.ignoringReports(
        () -> {
          try (ProxmoxClient warm =
              ProxmoxClient.create(
                  simulators,
                  List.of(
                      ProxmoxServerOptions.of(
                              "nas",
                              "NAS Server",
                              nas.baseUrl(),
                              nas.setup().tokenId(),
                              nas.setup().tokenSecret())
                          .withTls(UpstreamTls.pinned(nas.fingerprint()))))) {
            await(warm.nodeStatus("nas"));
          }
        });
  }

  @AfterAll
  static void stopSimulators() {
    if (simulators != null) {
      await(simulators.close());
    }
  }

  static final Duration TAKEOVER = Duration.ofSeconds(6);

  @TempDir Path one;
  @TempDir Path two;

  @Test
  void twoServersOnOnePostgresDatabaseCollectOnOne() {
    Map<String, String> settings = withUpstreams(with(FAST, "DATABASE_URL", PG.uri()));
    onlyOneCollectsAndTheOtherTakesOver(settings, settings);
  }

  @Test
  void twoServersSharingRedisCollectOnOne() {
    // On one PostgreSQL database and one Redis: the election goes through Redis.
    Map<String, String> settings =
        withUpstreams(
            with(
                with(with(FAST, "DATABASE_URL", PG.uriOf(PG.newDatabase())), "REDIS_URL", REDIS),
                "REDIS_KEY_PREFIX",
                "homelab-it-" + UUID.randomUUID() + ":"));
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
      for (String collector : UPSTREAM_COLLECTORS) {
        waitUntil(() -> runs(first, collector) >= 2, TAKEOVER);
      }
      assertThat(hostRuns(second)).as("the follower never sampled the host").isZero();
      for (String collector : UPSTREAM_COLLECTORS) {
        assertThat(runs(second, collector) + failures(second, collector))
            .as("the follower never ran " + collector)
            .isZero();
      }
      assertThat(leads(second)).isFalse();

      first.close();
      firstClosed = true;
      waitUntil(() -> leads(second), TAKEOVER);
      waitUntil(() -> hostRuns(second) >= 2, TAKEOVER);
      for (String collector : UPSTREAM_COLLECTORS) {
        waitUntil(() -> runs(second, collector) >= 1, TAKEOVER);
      }
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
    return runs(lab, "host");
  }

  private static double runs(ServerTesting lab, String collector) {
    return lab.registry
        .get("homelab.collector.runs")
        .tags("collector", collector, "outcome", "success")
        .functionCounter()
        .count();
  }

  private static double failures(ServerTesting lab, String collector) {
    return lab.registry
        .get("homelab.collector.runs")
        .tags("collector", collector, "outcome", "failure")
        .functionCounter()
        .count();
  }

  private static Map<String, String> withUpstreams(Map<String, String> base) {
    Map<String, String> all = new HashMap<>(base);
    all.putAll(upstreams);
    return Map.copyOf(all);
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
