package dev.homelab.core.metrics;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.MetricTable.Column;
import dev.homelab.core.metrics.MetricTable.Combine;
import dev.homelab.core.metrics.MetricTable.Statistic;
import dev.homelab.core.metrics.MetricTableResult.Row;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tables read through a real downsampler on an in-memory repository, fed against a clock moved by
 * hand: interfaces summed without loopback, columns without a bucket, reductions along the primary
 * column or evenly spaced, and the tier.
 */
class MetricTableTest {

  static final Instant START = Instant.parse("2026-03-04T06:00:00Z");
  static final SeriesKey CPU = SeriesKey.of("test.cpu");
  static final SeriesKey RAM = SeriesKey.of("test.ram");
  static final String RX = "test.net.rx";

  /** The cpu and every interface's received bytes but loopback's, summed. */
  static final MetricTable CPU_AND_RX =
      MetricTable.builder()
          .column("cpu", CPU)
          .column("rx", SeriesSelector.named(RX).withoutTag("iface", "lo"), Combine.SUM)
          .primary("cpu")
          .build();

  // A Vert.x instance per test: each test's downsampler and clock start afresh with it.
  final Vertx vertx = VertxTesting.vertx();
  final MutableClock clock = new MutableClock(START);
  Downsampler downsampler = downsampler(MetricRepository.inMemory());

  @AfterEach
  void close() {
    await(downsampler.close());
    await(vertx.close());
  }

  Downsampler downsampler(MetricRepository repository) {
    return Downsampler.create(vertx, repository, new DownsamplerOptions(), clock);
  }

  static SeriesKey rx(String iface) {
    return SeriesKey.of(RX, Map.of("iface", iface));
  }

  /** Writes points at START plus some seconds, moving the clock there first (lateness). */
  void write(long second, SeriesKey series, double value) {
    clock.set(START.plusSeconds(second));
    assertThat(await(downsampler.write(Point.of(series, clock.instant(), value))).stored())
        .isEqualTo(1);
  }

  MetricTableResult lastHour(MetricTable table, int maxPoints) {
    return await(
        downsampler.query(
            MetricTableQuery.last(table, Period.HOUR, clock.instant()).withMaxPoints(maxPoints)));
  }

  static List<Long> times(MetricTableResult result) {
    return result.rows().stream().map(Row::timestamp).toList();
  }

  static long second(long offset) {
    return START.getEpochSecond() + offset;
  }

  @Test
  void interfacesAddUpAndLoopbackIsLeftOut() {
    MetricTable table = CPU_AND_RX;
    for (int s = 0; s < 10; s++) {
      write(s, CPU, s);
      write(s, rx("eth0"), 100 + s);
      write(s, rx("wlan0"), 10);
      write(s, rx("lo"), 1_000_000);
      write(s, SeriesKey.of("test.net.tx", Map.of("iface", "eth0")), 7); // another name
    }

    MetricTableResult result = lastHour(table, 0);

    assertThat(result.tier().name()).isEqualTo("raw");
    assertThat(result.table()).isSameAs(table);
    assertThat(times(result)).hasSize(10).startsWith(second(0)).endsWith(second(9));
    for (int s = 0; s < 10; s++) {
      Row row = result.rows().get(s);
      assertThat(row.value("cpu")).isEqualTo(s);
      assertThat(row.value("rx")).isEqualTo(110.0 + s);
    }
    // Seed 003's row: the time in seconds, then each column in the table's order.
    assertThat(result.rowsJson().getJsonObject(3).encode())
        .isEqualTo("{\"timestamp\":" + second(3) + ",\"cpu\":3.0,\"rx\":113.0}");
  }

  @Test
  void aColumnWithoutABucketHasNoValueAndARowWithoutAnyIsNotThere() {
    MetricTable table =
        MetricTable.builder()
            .column("cpu", CPU)
            .column("ram", RAM)
            .column("never", SeriesKey.of("test.never"))
            .column("none", SeriesSelector.named(RX), Combine.SUM)
            .primary("cpu")
            .build();
    write(0, CPU, 1);
    write(0, RAM, 10);
    write(2, CPU, 2);
    write(4, RAM, 30);

    MetricTableResult result = lastHour(table, 0);

    assertThat(times(result)).containsExactly(second(0), second(2), second(4));
    Row both = result.rows().get(0);
    Row cpuOnly = result.rows().get(1);
    Row ramOnly = result.rows().get(2);
    assertThat(both.values()).containsExactly(Map.entry("cpu", 1.0), Map.entry("ram", 10.0));
    assertThat(cpuOnly.value("ram")).isNull();
    assertThat(cpuOnly.values()).containsOnlyKeys("cpu");
    assertThat(ramOnly.value("cpu")).isNull();
    assertThat(ramOnly.value("never")).isNull();
    assertThat(ramOnly.value("none")).isNull();
    assertThat(ramOnly.toJson())
        .isEqualTo(new JsonObject().put("timestamp", second(4)).put("ram", 30.0));
  }

  @Test
  void pointsOfOneSeriesInOneSecondAreOneSampleNotTwo() {
    MetricTable table = MetricTable.builder().column("cpu", CPU).build();
    clock.set(START);
    await(
        downsampler.write(
            List.of(
                Point.of(CPU, START.plusMillis(100), 10),
                Point.of(CPU, START.plusMillis(900), 20))));
    clock.set(START.plusSeconds(1));

    MetricTableResult result = lastHour(table, 0);

    assertThat(result.rows()).hasSize(1);
    assertThat(result.rows().get(0).value("cpu")).isEqualTo(15.0);
  }

  @Test
  void aReductionKeepsTheRowsLttbKeepsOfThePrimaryColumn() {
    MetricTable table =
        MetricTable.builder().column("ram", RAM).column("cpu", CPU).primary("cpu").build();
    List<Bucket> cpu = new ArrayList<>();
    for (int s = 0; s < 100; s++) {
      double value = s == 37 ? 95 : 5 + s % 7; // one spike
      write(s, CPU, value);
      write(s, RAM, 1_000 - s);
      cpu.add(
          Bucket.of(
              Point.of(CPU, START.plusSeconds(s), value), START.plusSeconds(s).toEpochMilli()));
    }
    write(100, RAM, 0); // a row without the primary column

    MetricTableResult result = lastHour(table, 10);

    List<Long> expected =
        Lttb.reduce(cpu, 10).stream().map(b -> Math.floorDiv(b.start(), 1000)).toList();
    assertThat(times(result)).hasSize(10).isEqualTo(expected).contains(second(37));
    assertThat(result.rows().get(0).values()).containsOnlyKeys("ram", "cpu");
    // Not more rows than asked: nothing to reduce, the row without cpu stays.
    assertThat(lastHour(table, 101).rows()).hasSize(101);
  }

  @Test
  void withoutPrimaryValuesTheRowsKeptAreEvenlySpaced() {
    MetricTable followsCpu =
        MetricTable.builder().column("cpu", CPU).column("ram", RAM).primary("cpu").build();
    MetricTable noPrimary = MetricTable.builder().column("ram", RAM).build();
    for (int s = 0; s < 100; s++) {
      write(s, RAM, s);
    }

    // i * 99 / 4 for i = 0..4: the first and the last row, and three between.
    List<Long> even = List.of(second(0), second(24), second(49), second(74), second(99));
    assertThat(times(lastHour(followsCpu, 5))).isEqualTo(even);
    assertThat(times(lastHour(noPrimary, 5))).isEqualTo(even);
  }

  @Test
  void theTierIsTheFinestThatCoversTheRangeOrTheOneAsked() {
    MetricTable table = CPU_AND_RX;
    // Three hours every 10 s: in each minute, cpu averages 2.5 and the interfaces 30 + 3.
    for (int s = 0; s < 3 * 3600; s += 10) {
      write(s, CPU, s / 10 % 6);
      write(s, rx("eth0"), 30);
      write(s, rx("wlan0"), 3);
      write(s, rx("lo"), 500);
    }
    await(downsampler.rollUp());
    Instant now = clock.instant();

    MetricTableResult day = await(downsampler.query(MetricTableQuery.last(table, Period.DAY, now)));
    assertThat(day.tier().name()).isEqualTo("1m");
    assertThat(day.rows()).hasSize(180);
    assertThat(day.rows())
        .allSatisfy(
            row -> {
              assertThat(row.value("cpu")).isEqualTo(2.5);
              assertThat(row.value("rx")).isEqualTo(33.0);
            });

    MetricTableResult hours =
        await(downsampler.query(MetricTableQuery.last(table, Period.DAY, now).onTier("1h")));
    assertThat(hours.tier().name()).isEqualTo("1h");
    assertThat(times(hours)).containsExactly(second(0), second(3600), second(7200));

    MetricTableResult hour =
        await(downsampler.query(MetricTableQuery.last(table, Period.HOUR, now)));
    assertThat(hour.tier().name()).isEqualTo("raw");
    assertThat(hour.range()).isEqualTo(TimeRange.last(Period.HOUR, now));

    Throwable unknown =
        awaitFailure(downsampler.query(MetricTableQuery.last(table, Period.DAY, now).onTier("2m")));
    assertThat(unknown).isInstanceOf(ValidationException.class);
    assertThat(((ValidationException) unknown).field()).isEqualTo("tier");
  }

  @Test
  void aColumnTakesAStatisticOfEachBucketAndCombinesSeriesByItsRule() {
    SeriesKey root = SeriesKey.of("test.disk", Map.of("mount", "/"));
    SeriesKey nas = SeriesKey.of("test.disk", Map.of("mount", "/mnt/nas"));
    SeriesSelector disks = SeriesSelector.named("test.disk");
    MetricTable table =
        MetricTable.builder()
            .column(new Column("fullest", disks, Statistic.MAX, Combine.MAX))
            .column(new Column("emptiest", disks, Statistic.MIN, Combine.MIN))
            .column(new Column("mean", disks, Statistic.AVG, Combine.AVG))
            .column(new Column("samples", disks, Statistic.COUNT, Combine.SUM))
            .column(new Column("root_last", SeriesSelector.of(root), Statistic.LAST, Combine.SUM))
            .column(new Column("nas_sum", SeriesSelector.of(nas), Statistic.SUM, Combine.SUM))
            .build();
    // One minute: / at 40, 50, 60; the NAS at 80, 90.
    write(0, root, 40);
    write(10, nas, 80);
    write(20, root, 50);
    write(30, nas, 90);
    write(40, root, 60);
    clock.set(START.plusSeconds(3600));

    MetricTableResult minutes =
        await(
            downsampler.query(
                MetricTableQuery.last(table, Period.HOUR, clock.instant()).onTier("1m")));

    assertThat(minutes.rows()).hasSize(1);
    assertThat(minutes.rows().get(0).values())
        .containsExactly(
            Map.entry("fullest", 90.0),
            Map.entry("emptiest", 40.0),
            Map.entry("mean", (50.0 + 85.0) / 2),
            Map.entry("samples", 5.0),
            Map.entry("root_last", 60.0),
            Map.entry("nas_sum", 170.0));
  }

  @Test
  void aTableOfSingleSeriesNeverListsTheSeries() {
    await(downsampler.close());
    downsampler =
        downsampler(
            new DownsamplerContract.ForwardingRepository(MetricRepository.inMemory()) {
              @Override
              public Future<List<SeriesKey>> series() {
                return Future.failedFuture(new AssertionError("listed the series"));
              }
            });
    write(0, CPU, 1);

    MetricTableResult result =
        lastHour(MetricTable.builder().column("cpu", CPU).column("ram", RAM).build(), 0);

    assertThat(result.rows()).hasSize(1);
  }

  @Test
  void aSelectorMatchesByNameAndTags() {
    SeriesSelector rx = SeriesSelector.named(RX).withoutTag("iface", "lo", "docker0");
    assertThat(rx.matches(rx("eth0"))).isTrue();
    assertThat(rx.matches(SeriesKey.of(RX))).isTrue(); // without the tag: not left out
    assertThat(rx.matches(rx("lo"))).isFalse();
    assertThat(rx.matches(rx("docker0"))).isFalse();
    assertThat(rx.matches(SeriesKey.of("test.net.tx", Map.of("iface", "eth0")))).isFalse();
    assertThat(rx.key()).isNull();
    assertThat(rx).hasToString("test.net.rx{iface!=docker0,iface!=lo}");

    SeriesSelector vm = SeriesSelector.named("vm.cpu").withTag("server", "pve");
    assertThat(vm.matches(SeriesKey.of("vm.cpu", Map.of("server", "pve", "vmid", "100")))).isTrue();
    assertThat(vm.matches(SeriesKey.of("vm.cpu", Map.of("server", "nas")))).isFalse();
    assertThat(vm.matches(SeriesKey.of("vm.cpu"))).isFalse();
    assertThat(SeriesSelector.named("vm.cpu")).hasToString("vm.cpu{*}");

    SeriesSelector one = SeriesSelector.of(rx("eth0"));
    assertThat(one.key()).isEqualTo(rx("eth0"));
    assertThat(one.matches(rx("eth0"))).isTrue();
    assertThat(one.matches(SeriesKey.of(RX, Map.of("iface", "eth0", "vlan", "2")))).isFalse();
    assertThat(one).hasToString("test.net.rx{iface=eth0}");
    assertThatThrownBy(() -> one.withTag("vlan", "2")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SeriesSelector.named("Bad Name"))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void aTableOrAQueryThatBreaksARuleIsRefused() {
    assertThatThrownBy(() -> MetricTable.builder().build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetricTable.builder().column("cpu", CPU).column("cpu", RAM).build())
        .hasMessageContaining("two columns are named cpu");
    assertThatThrownBy(() -> MetricTable.builder().column("cpu", CPU).primary("ram").build())
        .hasMessageContaining("primary column ram");
    assertThatThrownBy(() -> MetricTable.builder().column("timestamp", CPU))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MetricTable.builder().column("CPU %", CPU))
        .isInstanceOf(IllegalArgumentException.class);

    MetricTable table = MetricTable.builder().column("cpu", CPU).build();
    TimeRange range = TimeRange.last(Period.HOUR, START);
    assertThatThrownBy(() -> MetricTableQuery.of(table, range).withMaxPoints(2))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo("max_points"));
    assertThatThrownBy(() -> MetricTableQuery.of(table, new TimeRange(null, -1, 10)))
        .isInstanceOfSatisfying(
            ValidationException.class, e -> assertThat(e.field()).isEqualTo("from"));
    assertThat(table.indexOf("cpu")).isZero();
    assertThat(table.indexOf("ram")).isEqualTo(-1);
  }
}
