package dev.homelab.server.routes;

import dev.homelab.core.identity.Role;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.Tier;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.telemetry.DeviceHistory;
import dev.homelab.core.telemetry.DeviceState;
import dev.homelab.core.telemetry.DeviceStateHistory;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * {@code GET /api/metrics/device/{topic}}: a device's recorded state history in seed 003's shape
 * ({@code topic}, {@code period}, {@code data} of {@code {timestamp, state}}), with the parameters
 * of the other metrics routes, its availability changes, and its numeric fields' series as the
 * {@code /api/metrics/server/{id}} rows. Core reads it ({@link DeviceStateHistory}); this handler
 * translates HTTP. Viewers and up; any instance answers, from the store.
 */
public final class DeviceStateRoutes {

  private DeviceStateRoutes() {}

  /**
   * @param routes where to register
   * @param history the devices' history
   * @param clock what "now" is for periods
   */
  public static void register(Routes routes, DeviceStateHistory history, Clock clock) {
    routes.route(
        HttpMethod.GET,
        "/api/metrics/device/:topic",
        Role.VIEWER,
        ctx -> {
          String topic = ctx.pathParam("topic");
          TimeRange range = MetricsRoutes.range(ctx, clock);
          Responses.json(
              ctx,
              200,
              history
                  .device(topic, range, MetricsRoutes.maxPoints(ctx))
                  .map(DeviceStateRoutes::answer));
        });
  }

  /** Seed 003's shape, then the availability, the series and what the bridge says of it. */
  private static JsonObject answer(DeviceHistory history) {
    TimeRange range = history.range();
    JsonObject json =
        new JsonObject()
            .put("topic", history.topic())
            .put("period", range.periodText())
            .put("from", range.fromInstant().toString())
            .put("to", range.toInstant().toString())
            .put("data", changes(history.states()))
            .put("availability", changes(history.availability()))
            .put("truncated", history.truncated());
    MetricTableResult series = history.series();
    if (series == null) {
      json.putNull("tier").putNull("interval").put("series", new JsonArray());
    } else {
      Tier tier = series.tier();
      // Raw points come when the device changes, at no fixed interval.
      json.put("tier", tier.name())
          .put("interval", tier.isRaw() ? null : tier.bucket().toSeconds())
          .put("series", series.rowsJson());
    }
    if (history.device() != null) {
      json.put("device", history.device().toJson());
    }
    return json;
  }

  private static JsonArray changes(List<DeviceState> changes) {
    JsonArray data = new JsonArray();
    changes.forEach(change -> data.add(change.toJson()));
    return data;
  }
}
