package dev.homelab.core.monitor;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.metrics.Point;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The monitor on the machine the tests run on: real numbers, within their ranges. */
class HostMonitorTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void snapshotsDescribeThisHost() throws InterruptedException {
    HostMonitor monitor = HostMonitor.create(vertx);
    try {
      assertThat(monitor.latest()).isNull();
      await(monitor.sample());
      // Real time passing is the scenario: CPU load is the difference of two samples' tick counts.
      Thread.sleep(200);
      HostSnapshot s = await(monitor.sample());
      assertThat(monitor.latest()).isSameAs(s);

      assertThat(s.cpu().percent()).isBetween(0.0, 100.0);
      assertThat(s.cpu().perCore()).hasSize(Runtime.getRuntime().availableProcessors());
      assertThat(s.cpu().perCore()).allSatisfy(p -> assertThat(p).isBetween(0.0, 100.0));
      assertThat(s.cpu().loadAverage()).hasSize(3); // Linux has load averages
      assertThat(s.memory().total()).isPositive();
      assertThat(s.memory().used()).isBetween(1L, s.memory().total());
      assertThat(s.memory().percent()).isBetween(0.0, 100.0);
      assertThat(s.disks()).extracting(HostSnapshot.Disk::mount).contains("/");
      assertThat(s.disks()).noneMatch(d -> d.type().equals("tmpfs") || d.type().equals("proc"));
      assertThat(s.network()).isNotEmpty();
      assertThat(s.network())
          .allSatisfy(n -> assertThat(n.rxBytesPerSecond()).isGreaterThanOrEqualTo(0));
      assertThat(s.uptimeSeconds()).isPositive();
      assertThat(s.hostname()).isNotBlank();

      JsonObject json = s.toJson();
      assertThat(json.getJsonObject("cpu").getInteger("cores"))
          .isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(json.getJsonObject("memory").getLong("free"))
          .isEqualTo(s.memory().total() - s.memory().used());
      assertThat(json.getJsonArray("disks")).isNotEmpty();

      List<Point> points = s.toPoints();
      assertThat(points).allMatch(p -> p.time() == s.time().toEpochMilli());
      assertThat(points)
          .extracting(p -> p.series().toString())
          .contains(
              "host.cpu.percent",
              "host.memory.used",
              "host.disk.percent{mount=/}",
              "host.load{minutes=1}",
              "host.cpu.core.percent{core=0}");
    } finally {
      await(monitor.close());
    }
  }

  @Test
  void closeLetsASampleUnderWayFinishFirst() {
    HostMonitor monitor = HostMonitor.create(vertx);
    // The first sample starts OSHI, which takes a while: closing at once meets it under way.
    io.vertx.core.Future<HostSnapshot> first = monitor.sample();
    await(monitor.close());
    assertThat(first.isComplete()).isTrue();
    assertThat(first.succeeded()).isTrue();
  }

  @Test
  void tagValuesAreMadeSafe() {
    assertThat(HostSnapshot.tagValue("/mnt/My Disk (2)")).isEqualTo("/mnt/My_Disk__2_");
    assertThat(HostSnapshot.tagValue("x".repeat(300))).hasSize(128);
  }
}
