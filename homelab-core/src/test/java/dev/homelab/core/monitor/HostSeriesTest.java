package dev.homelab.core.monitor;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a snapshot writes, the host table reads back: the names are declared once. */
class HostSeriesTest {

  static final Instant TIME = Instant.parse("2026-03-04T09:00:00Z");

  static final HostSnapshot SNAPSHOT =
      new HostSnapshot(
          TIME,
          "lab",
          "GNU/Linux",
          86_400,
          new HostSnapshot.Cpu(12.5, List.of(10.0, 15.0), List.of(0.5, 0.25, 0.125)),
          HostSnapshot.Memory.of(8_000, 2_000),
          HostSnapshot.Memory.of(1_000, 250),
          List.of(new HostSnapshot.Disk("/", "/dev/sda1", "ext4", 100, 40, 60, 40)),
          List.of(
              new HostSnapshot.NetworkInterface("eth0", 1_500, 800, 0, 0),
              new HostSnapshot.NetworkInterface("wlan0", 30.5, 20, 0, 0),
              new HostSnapshot.NetworkInterface("lo", 1e9, 1e9, 0, 0)),
          Map.of("cpu", 48.0));

  @Test
  void theHostTableReadsWhatASnapshotWrites() {
    Vertx vertx = VertxTesting.vertx();
    Downsampler downsampler =
        Downsampler.create(
            vertx, MetricRepository.inMemory(), new DownsamplerOptions(), new MutableClock(TIME));
    try {
      await(downsampler.write(SNAPSHOT.toPoints()));

      MetricTableResult result =
          await(downsampler.query(MetricTableQuery.last(HostSeries.TABLE, Period.HOUR, TIME)));

      assertThat(result.rows()).hasSize(1);
      assertThat(result.rows().get(0).timestamp()).isEqualTo(TIME.getEpochSecond());
      assertThat(result.rows().get(0).values())
          .containsExactly(
              Map.entry("cpu_percent", 12.5),
              Map.entry("ram_used", 2_000.0),
              Map.entry("ram_total", 8_000.0),
              Map.entry("ram_percent", 25.0),
              Map.entry("swap_used", 250.0),
              Map.entry("load_1", 0.5),
              Map.entry("net_rx", 1_530.5),
              Map.entry("net_tx", 820.0));
    } finally {
      await(downsampler.close());
      await(vertx.close());
    }
  }

  @Test
  void aSnapshotWritesTheDocumentedSeries() {
    assertThat(SNAPSHOT.toPoints())
        .extracting(p -> p.series().toString())
        .containsExactly(
            "host.cpu.percent",
            "host.cpu.core.percent{core=0}",
            "host.cpu.core.percent{core=1}",
            "host.load{minutes=1}",
            "host.load{minutes=5}",
            "host.load{minutes=15}",
            "host.memory.used",
            "host.memory.total",
            "host.memory.percent",
            "host.swap.used",
            "host.swap.percent",
            "host.disk.used{mount=/}",
            "host.disk.percent{mount=/}",
            "host.net.rx{iface=eth0}",
            "host.net.tx{iface=eth0}",
            "host.net.rx{iface=wlan0}",
            "host.net.tx{iface=wlan0}",
            "host.net.rx{iface=lo}",
            "host.net.tx{iface=lo}",
            "host.temperature{sensor=cpu}",
            "host.uptime");
  }
}
