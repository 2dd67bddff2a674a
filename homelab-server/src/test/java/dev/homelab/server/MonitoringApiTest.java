package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.metrics.HostMetrics;
import dev.homelab.client.metrics.MetricQuery;
import dev.homelab.client.metrics.MetricSeries;
import dev.homelab.client.system.Dashboard;
import dev.homelab.client.system.HostSnapshot;
import dev.homelab.client.system.StorageInfo;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventSubscription;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.metrics.SeriesKey;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host monitor, the storage figures and the metric history through the client against a real
 * server that samples the host every second.
 */
class MonitoringApiTest {

  @TempDir static Path dir;
  static ServerTesting lab;
  static HomelabClient viewer;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir, Map.of("METRICS_INTERVAL_HOST", "1"));
    viewer = lab.newUser("monitor-viewer", "viewer");
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  static void assertInvalid(Future<?> call, String field) {
    Throwable failure = awaitFailure(call);
    assertThat(failure).isInstanceOf(HomelabHttpException.class);
    HomelabHttpException e = (HomelabHttpException) failure;
    assertThat(e.status()).as(e.getMessage()).isEqualTo(422);
    assertThat(e.errorCode()).isEqualTo("VALIDATION_FAILED");
    assertThat(e.detail()).as("the field named").startsWith(field + ": ");
  }

  @Test
  void aViewerSeesTheHostNow() {
    HostSnapshot host = await(viewer.system().get());
    assertThat(host.cpu().perCore()).hasSize(Runtime.getRuntime().availableProcessors());
    assertThat(host.cpu().percent()).isBetween(0.0, 100.0);
    assertThat(host.memory().total()).isPositive();
    assertThat(host.memory().free()).isEqualTo(host.memory().total() - host.memory().used());
    assertThat(host.disks()).extracting(HostSnapshot.Disk::mount).contains("/");
    assertThat(host.uptimeSeconds()).isPositive();
    assertThat(host.time()).isBefore(Instant.now().plusSeconds(1));
  }

  @Test
  void storageAndDashboardDescribeTheStoreAndTiers() {
    StorageInfo storage = await(viewer.system().storage());
    assertThat(storage.databaseKind()).isEqualTo("sqlite");
    assertThat(storage.schemaVersion())
        .isEqualTo(dev.homelab.core.store.StorageCompatibilityKit.LATEST_SCHEMA_VERSION);
    assertThat(storage.databaseSizeBytes()).isPositive();
    assertThat(storage.dataDir().total()).isPositive();
    assertThat(storage.tiers())
        .extracting(StorageInfo.MetricTier::name)
        .containsExactly("raw", "1m", "5m", "30m", "1h");
    assertThat(storage.tiers().get(2).bucketSeconds()).isEqualTo(300);
    assertThat(storage.tiers().get(2).retentionSeconds()).isEqualTo(7 * 86_400);
    // Alone on its SQLite file, the server leads the collectors, and says so on /metrics too.
    assertThat(storage.leader()).isTrue();
    assertThat(lab.registry.get("homelab.leader").tag("role", "homelab.collectors").gauge().value())
        .isEqualTo(1.0);

    Dashboard dashboard = await(lab.client.system().dashboard());
    assertThat(dashboard.version()).isNotBlank();
    assertThat(dashboard.system().hostname()).isNotBlank();
    assertThat(dashboard.storage().databaseKind()).isEqualTo("sqlite");
  }

  @Test
  void theHostHistoryFillsEverySecondAndSnapshotsArePublished() throws InterruptedException {
    List<Event> events = new CopyOnWriteArrayList<>();
    EventSubscription subscription =
        lab.server.events().subscribe(Set.of("host.metrics"), events::add);
    try {
      HostMetrics history =
          Awaitility.await()
              .atMost(Duration.ofSeconds(15))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () -> await(viewer.metrics().host("1h")),
                  now -> now.rows().size() >= 3 && !events.isEmpty());
      assertThat(history.tier()).isEqualTo("raw");
      assertThat(history.period()).isEqualTo("1h");
      assertThat(history.intervalSeconds()).isEqualTo(1);
      assertThat(history.rows()).hasSizeGreaterThanOrEqualTo(3);
      HostMetrics.Row row = history.rows().get(history.rows().size() - 1);
      assertThat(row.cpuPercent()).isBetween(0.0, 100.0);
      assertThat(row.ramTotal()).isPositive();
      assertThat(row.ramUsed()).isPositive();
      assertThat(events).isNotEmpty();
      assertThat(events.get(0).payload().getJsonObject("memory").getLong("total")).isPositive();

      HostMetrics reduced =
          await(viewer.metrics().host(MetricQuery.last(null, "1h").withMaxPoints(3)));
      assertThat(reduced.rows()).hasSizeLessThanOrEqualTo(3);
      assertThat(await(viewer.metrics().series()))
          .contains("host.cpu.percent", "host.memory.used", "host.disk.percent{mount=/}");
      // The collector's runs and the tiers' lag are on /metrics.
      assertThat(
              lab.registry
                  .get("homelab.collector.runs")
                  .tags("collector", "host", "outcome", "success")
                  .functionCounter()
                  .count())
          .isPositive();
      assertThat(lab.registry.get("homelab.metrics.rollup.lag.seconds").tag("tier", "1m").gauge())
          .isNotNull();
    } finally {
      await(subscription.cancel());
    }
  }

  @Test
  void anySeriesIsQueriedExactlyOnAnyTier() {
    SeriesKey key = SeriesKey.of("test.temperature", Map.of("room", "lab"));
    long now = System.currentTimeMillis();
    // Six points in the last six seconds, written as a collector would (within the lateness), all
    // before the end of the queries below whatever the second of the minute.
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long time = now - 6_000 + i * 1_000L;
      points.add(new Point(key, time, 20 + i));
    }
    assertThat(await(lab.server.downsampler().write(points)).stored()).isEqualTo(6);

    MetricSeries raw = await(viewer.metrics().query(MetricQuery.last(key.toString(), "1h")));
    assertThat(raw.tier()).isEqualTo("raw");
    assertThat(raw.intervalSeconds()).isNull();
    assertThat(raw.points())
        .extracting(MetricSeries.Point::last)
        .containsExactly(20.0, 21.0, 22.0, 23.0, 24.0, 25.0);

    // Those minutes are still open: their buckets are computed from the raw points, exactly.
    MetricSeries minutes =
        await(viewer.metrics().query(MetricQuery.last(key.toString(), "1h").onTier("1m")));
    assertThat(minutes.tier()).isEqualTo("1m");
    assertThat(minutes.intervalSeconds()).isEqualTo(60);
    long count = minutes.points().stream().mapToLong(MetricSeries.Point::count).sum();
    double sum = minutes.points().stream().mapToDouble(MetricSeries.Point::sum).sum();
    assertThat(count).isEqualTo(6);
    assertThat(sum).isEqualTo(135.0);
    assertThat(minutes.points().stream().mapToDouble(MetricSeries.Point::max).max().orElseThrow())
        .isEqualTo(25.0);

    MetricSeries reduced =
        await(viewer.metrics().query(MetricQuery.last(key.toString(), "1h").withMaxPoints(3)));
    assertThat(reduced.points()).hasSize(3);
    assertThat(reduced.points().get(0).last()).isEqualTo(20.0);
    assertThat(reduced.points().get(2).last()).isEqualTo(25.0);

    Instant from = Instant.ofEpochMilli(now - 1_800_000); // within the raw tier's hour
    MetricSeries ranged =
        await(
            viewer
                .metrics()
                .query(
                    MetricQuery.range(key.toString(), from, Instant.ofEpochMilli(now + 60_000))));
    assertThat(ranged.period()).isNull();
    assertThat(ranged.points()).hasSize(6);
  }

  @Test
  void badQueriesAreRefusedNamingTheField() {
    String cpu = "host.cpu.percent";
    assertInvalid(viewer.metrics().query(MetricQuery.last(cpu, "2h")), "period");
    assertInvalid(viewer.metrics().query(MetricQuery.last(null, "1h")), "series");
    assertInvalid(viewer.metrics().query(MetricQuery.last("Not A Series", "1h")), "series");
    assertInvalid(viewer.metrics().query(MetricQuery.last(cpu, "1h").onTier("2m")), "tier");
    assertInvalid(
        viewer.metrics().query(MetricQuery.last(cpu, "1h").withMaxPoints(2)), "max_points");
    assertInvalid(
        viewer.metrics().host(MetricQuery.last(null, "1h").withMaxPoints(20_000)), "max_points");
    Instant now = Instant.now();
    assertInvalid(viewer.metrics().query(MetricQuery.range(cpu, now, now.minusSeconds(60))), "to");
    assertInvalid(
        viewer.metrics().query(new MetricQuery(cpu, "1h", now.minusSeconds(60), now, null, 0)),
        "period");
    assertInvalid(viewer.metrics().query(new MetricQuery(cpu, null, now, null, null, 0)), "to");

    HomelabClient anonymous = lab.newClient(null);
    Throwable failure = awaitFailure(anonymous.system().get());
    assertThat(((HomelabHttpException) failure).status()).isEqualTo(401);
    await(anonymous.close());
  }
}
