package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.telemetry.IngestResult;
import dev.homelab.core.telemetry.SensorHistory;
import dev.homelab.core.telemetry.SensorIngest;
import dev.homelab.core.telemetry.SensorReading;
import dev.homelab.core.telemetry.SensorReadings;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.ErrorHandler.ApiException;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/sensors}: ingestion of sensor readings (seed 002) and their history from the metric
 * tiers. The rules live in {@link SensorIngest} and {@link SensorHistory}; these handlers translate
 * HTTP.
 */
public final class SensorRoutes {

  private final SensorIngest ingest;
  private final SensorHistory history;
  private final Actors actors;
  private final Clock clock;
  private final Counter stored;
  private final Counter duplicates;

  /**
   * @param ingest the ingestion service
   * @param history the history reader
   * @param actors builds the actor of a request
   * @param clock what "now" is for periods and readings without a time
   * @param registry where the ingestion meters go, or {@code null}
   */
  public SensorRoutes(
      SensorIngest ingest,
      SensorHistory history,
      Actors actors,
      Clock clock,
      MeterRegistry registry) {
    this.ingest = ingest;
    this.history = history;
    this.actors = actors;
    this.clock = clock;
    if (registry != null) {
      stored =
          Counter.builder("homelab.sensors.readings")
              .description("Sensor readings received, by what became of them")
              .tag("result", "stored")
              .register(registry);
      duplicates =
          Counter.builder("homelab.sensors.readings")
              .description("Sensor readings received, by what became of them")
              .tag("result", "duplicate")
              .register(registry);
      Gauge.builder("homelab.sensors.pending", ingest, SensorIngest::pending)
          .description("Sensor readings waiting for their commit")
          .register(registry);
    } else {
      stored = null;
      duplicates = null;
    }
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.jsonRoute(HttpMethod.POST, "/api/sensors/ingest", SensorRoutes::mayIngest, this::ingest);
    routes.route(HttpMethod.GET, "/api/sensors/readings", Role.VIEWER, this::readings);
  }

  /** Users and their API keys, and devices with their own token; not access-scoped keys. */
  private static void mayIngest(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    if (!principal.accessOnly() || Principal.DEVICE.equals(principal.credentialType())) {
      ctx.next();
    } else {
      ctx.fail(
          new ApiException(
              403, "FORBIDDEN", "an access-scoped key may only ask for access decisions"));
    }
  }

  private void ingest(RoutingContext ctx) {
    List<SensorReading> readings = SensorReadings.fromRequest(Routes.body(ctx), clock.instant());
    Principal principal = Principal.of(ctx);
    Actor actor;
    if (principal.deviceId() != null) {
      for (SensorReading reading : readings) {
        if (!principal.deviceId().equals(reading.deviceId())) {
          throw new ApiException(
              403, "FORBIDDEN", "a device may only send its own readings: use its own device_id");
        }
      }
      actor = actors.ofDevice(ctx);
    } else {
      actor = actors.of(ctx);
    }
    ingest
        .ingest(actor, readings)
        .onSuccess(
            result -> {
              count(result);
              Responses.json(ctx, result.stored() > 0 ? 201 : 200, result.toJson());
            })
        .onFailure(ctx::fail);
  }

  private void count(IngestResult result) {
    if (stored != null) {
      stored.increment(result.stored());
      duplicates.increment(result.duplicates());
    }
  }

  private void readings(RoutingContext ctx) {
    String deviceId = Params.text(ctx, "device_id");
    if (deviceId == null) {
      throw new ValidationException("device_id", "device_id is required");
    }
    TimeRange range = MetricsRoutes.range(ctx, clock);
    List<String> fields = new ArrayList<>();
    String asked = Params.text(ctx, "fields");
    if (asked != null) {
      for (String field : asked.split(",", -1)) {
        fields.add(field.trim());
      }
    }
    int maxPoints = MetricsRoutes.maxPoints(ctx);
    Responses.json(
        ctx,
        200,
        history
            .readings(actors.of(ctx), deviceId, range, fields, maxPoints)
            .map(
                found -> {
                  JsonObject answer =
                      new JsonObject()
                          .put("device_id", found.deviceId())
                          .mergeIn(MetricsRoutes.header(range, found.tier(), Duration.ZERO));
                  if (found.tier().isRaw()) {
                    answer.putNull("interval"); // readings come as their sensors send them
                  }
                  JsonArray data = new JsonArray();
                  for (MetricTableResult.Row row : found.rows()) {
                    data.add(row.toJson());
                  }
                  return answer.put("fields", new JsonArray(found.fields())).put("data", data);
                }));
  }
}
