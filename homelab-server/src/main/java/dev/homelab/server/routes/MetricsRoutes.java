package dev.homelab.server.routes;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.Tier;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.monitor.HostSeries;
import dev.homelab.core.telemetry.SensorCollector;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code /api/metrics}: history of the host's metrics in the shape of seed 003 (core's {@link
 * HostSeries#TABLE}), the list of series, and the generic query over any one series. Core reads the
 * range, picks the tier, joins and reduces the rows; these handlers translate HTTP. {@link
 * UpstreamMetricsRoutes} reads the Proxmox and automation tables the same way, with the same
 * parameters ({@link #range}, {@link #maxPoints}) and header ({@link #header}).
 */
public final class MetricsRoutes {

  /** The most points a response may be reduced to. */
  static final int MAX_POINTS = 10_000;

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
  static TimeRange range(RoutingContext ctx, Clock clock) {
    Instant from = Params.instant(ctx, "from");
    Instant to = Params.instant(ctx, "to");
    return TimeRange.resolve(Params.text(ctx, "period"), from, to, clock);
  }

  private TimeRange range(RoutingContext ctx) {
    return range(ctx, clock);
  }

  private JsonObject header(TimeRange range, Tier tier) {
    return header(range, tier, hostInterval);
  }

  /**
   * The fields every history answer starts with: the period or range, the tier read, and the
   * seconds between rows (for raw points, the collector's interval).
   */
  static JsonObject header(TimeRange range, Tier tier, Duration rawInterval) {
    long interval = tier.isRaw() ? rawInterval.toSeconds() : tier.bucket().toSeconds();
    return new JsonObject()
        .put("period", range.periodText())
        .put("from", range.fromInstant().toString())
        .put("to", range.toInstant().toString())
        .put("tier", tier.name())
        .put("interval", interval);
  }

  private void host(RoutingContext ctx) {
    TimeRange range = range(ctx);
    MetricTableQuery query =
        MetricTableQuery.of(HostSeries.TABLE, range).withMaxPoints(maxPoints(ctx));
    Responses.json(
        ctx,
        200,
        downsampler
            .query(query)
            .map(table -> header(range, table.tier()).put("data", table.rowsJson())));
  }

  /**
   * Sensor series belong to their device's owner: only administrators reach them here; owners read
   * theirs through {@code /api/sensors/readings}, which checks the device.
   */
  private static boolean hidden(RoutingContext ctx, SeriesKey series) {
    return series.name().startsWith(SensorCollector.SERIES_PREFIX)
        && !Principal.of(ctx).role().atLeast(Role.ADMIN);
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
                  all.stream().filter(k -> !hidden(ctx, k)).forEach(k -> keys.add(k.toString()));
                  return new JsonObject().put("series", keys);
                }));
  }

  private void query(RoutingContext ctx) {
    String text = Params.text(ctx, "series");
    if (text == null) {
      throw new ValidationException("series", "series is required, for example host.cpu.percent");
    }
    SeriesKey series = SeriesKey.parse(text);
    if (hidden(ctx, series)) {
      throw new ForbiddenException(
          "FORBIDDEN",
          "sensor series are read by their owner through /api/sensors/readings, or by an admin");
    }
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

  static int maxPoints(RoutingContext ctx) {
    int points = Params.integer(ctx, "max_points", 0, 0, MAX_POINTS);
    if (points > 0 && points < MetricQuery.MIN_MAX_POINTS) {
      throw new ValidationException(
          "max_points", "max_points must be at least " + MetricQuery.MIN_MAX_POINTS);
    }
    return points;
  }
}
