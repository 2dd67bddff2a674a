package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.Lttb;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.MetricSeries;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.Tier;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code /api/metrics}: history of the host's metrics in the shape of seed 003, and the generic
 * query over any series that the later {@code /api/metrics/server|vm|automation|device} routes
 * reuse. The downsampler picks the tier; these handlers translate HTTP.
 */
public final class MetricsRoutes {

  /** The most points a response may be reduced to. */
  static final int MAX_POINTS = 10_000;

  /** The columns of {@code /api/metrics/host}, by the series each one averages. */
  private static final Map<String, SeriesKey> HOST_COLUMNS = hostColumns();

  private static Map<String, SeriesKey> hostColumns() {
    Map<String, SeriesKey> columns = new LinkedHashMap<>();
    columns.put("cpu_percent", SeriesKey.of("host.cpu.percent"));
    columns.put("ram_used", SeriesKey.of("host.memory.used"));
    columns.put("ram_total", SeriesKey.of("host.memory.total"));
    columns.put("ram_percent", SeriesKey.of("host.memory.percent"));
    columns.put("swap_used", SeriesKey.of("host.swap.used"));
    columns.put("load_1", SeriesKey.of("host.load", Map.of("minutes", "1")));
    return columns;
  }

  private final Downsampler downsampler;
  private final Duration hostInterval;
  private final Clock clock;

  /**
   * @param downsampler where the series are kept
   * @param hostInterval how often the host monitor samples, reported as the raw tier's interval
   * @param clock what "now" is for periods
   */
  public MetricsRoutes(Downsampler downsampler, Duration hostInterval, Clock clock) {
    this.downsampler = downsampler;
    this.hostInterval = hostInterval;
    this.clock = clock;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/metrics/host", Role.VIEWER, this::host);
    routes.route(HttpMethod.GET, "/api/metrics/series", Role.VIEWER, this::series);
    routes.route(HttpMethod.GET, "/api/metrics/query", Role.VIEWER, this::query);
  }

  /** The range a request asks for: a period (default 1h) or from and to. */
  private TimeRange range(RoutingContext ctx) {
    Instant from = Params.instant(ctx, "from");
    Instant to = Params.instant(ctx, "to");
    return TimeRange.resolve(Params.text(ctx, "period"), from, to, clock);
  }

  private JsonObject header(TimeRange range, Tier tier) {
    long interval = tier.isRaw() ? hostInterval.toSeconds() : tier.bucket().toSeconds();
    return new JsonObject()
        .put("period", range.periodText())
        .put("from", range.fromInstant().toString())
        .put("to", range.toInstant().toString())
        .put("tier", tier.name())
        .put("interval", interval);
  }

  private void host(RoutingContext ctx) {
    TimeRange range = range(ctx);
    int maxPoints = maxPoints(ctx);
    Tier tier = downsampler.tierFor(range.from());
    Responses.json(
        ctx,
        200,
        downsampler
            .series()
            .compose(
                all -> {
                  Map<String, List<SeriesKey>> columns = new LinkedHashMap<>();
                  HOST_COLUMNS.forEach((name, key) -> columns.put(name, List.of(key)));
                  columns.put("net_rx", interfaces(all, "host.net.rx"));
                  columns.put("net_tx", interfaces(all, "host.net.tx"));
                  List<Future<MetricSeries>> reads = new ArrayList<>();
                  List<String> names = new ArrayList<>();
                  columns.forEach(
                      (name, keys) ->
                          keys.forEach(
                              key -> {
                                names.add(name);
                                reads.add(
                                    downsampler.query(
                                        new MetricQuery(
                                            key, range.from(), range.to(), tier.name(), 0)));
                              }));
                  return Future.all(reads)
                      .map(done -> hostRows(range, tier, names, reads, maxPoints));
                }));
  }

  /** Interfaces' series of one name, loopback left out: it is not traffic in or out of the host. */
  private static List<SeriesKey> interfaces(List<SeriesKey> all, String name) {
    List<SeriesKey> keys = new ArrayList<>();
    for (SeriesKey key : all) {
      if (key.name().equals(name) && !"lo".equals(key.tag("iface"))) {
        keys.add(key);
      }
    }
    return keys;
  }

  private JsonObject hostRows(
      TimeRange range,
      Tier tier,
      List<String> names,
      List<Future<MetricSeries>> reads,
      int maxPoints) {
    TreeMap<Long, JsonObject> rows = new TreeMap<>();
    List<Bucket> primary = List.of();
    for (int i = 0; i < names.size(); i++) {
      String column = names.get(i);
      List<Bucket> buckets = reads.get(i).result().buckets();
      if (column.equals("cpu_percent")) {
        primary = buckets;
      }
      for (Bucket b : buckets) {
        long second = Math.floorDiv(b.start(), 1000);
        JsonObject row = rows.computeIfAbsent(second, s -> new JsonObject().put("timestamp", s));
        Double sum = row.getDouble(column);
        // Interfaces add up; every other column has one series.
        row.put(column, sum == null ? b.avg() : sum + b.avg());
      }
    }
    if (maxPoints > 0 && rows.size() > maxPoints) {
      Set<Long> keep = new TreeSet<>();
      List<Bucket> reduced = Lttb.reduce(primary, maxPoints);
      reduced.forEach(b -> keep.add(Math.floorDiv(b.start(), 1000)));
      rows.keySet().retainAll(keep);
      if (rows.size() > maxPoints) { // no CPU series to follow: keep evenly spaced rows
        List<Long> times = new ArrayList<>(rows.keySet());
        Set<Long> even = new TreeSet<>();
        for (int i = 0; i < maxPoints; i++) {
          even.add(times.get((int) ((long) i * (times.size() - 1) / (maxPoints - 1))));
        }
        rows.keySet().retainAll(even);
      }
    }
    return header(range, tier).put("data", new JsonArray(new ArrayList<>(rows.values())));
  }

  private void series(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        downsampler
            .series()
            .map(
                all -> {
                  JsonArray keys = new JsonArray();
                  all.forEach(k -> keys.add(k.toString()));
                  return new JsonObject().put("series", keys);
                }));
  }

  private void query(RoutingContext ctx) {
    String text = Params.text(ctx, "series");
    if (text == null) {
      throw new ValidationException("series", "series is required, for example host.cpu.percent");
    }
    SeriesKey series = SeriesKey.parse(text);
    TimeRange range = range(ctx);
    String tierName = Params.text(ctx, "tier");
    int maxPoints = maxPoints(ctx);
    Responses.json(
        ctx,
        200,
        downsampler
            .query(new MetricQuery(series, range.from(), range.to(), tierName, maxPoints))
            .map(
                answer -> {
                  JsonArray data = new JsonArray();
                  answer.buckets().forEach(b -> data.add(b.toJson()));
                  JsonObject header = header(range, answer.tier());
                  if (answer.tier().isRaw()) {
                    header.putNull("interval"); // raw points come as their collector sends them
                  }
                  return header.put("series", series.toString()).put("data", data);
                }));
  }

  private static int maxPoints(RoutingContext ctx) {
    int points = Params.integer(ctx, "max_points", 0, 0, MAX_POINTS);
    if (points > 0 && points < MetricQuery.MIN_MAX_POINTS) {
      throw new ValidationException(
          "max_points", "max_points must be at least " + MetricQuery.MIN_MAX_POINTS);
    }
    return points;
  }
}
