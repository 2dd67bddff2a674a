package dev.homelab.server.routes;

import dev.homelab.core.identity.Role;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.upstream.automation.AutomationHistory;
import dev.homelab.core.upstream.proxmox.ProxmoxHistory;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;

/**
 * The collected history of the upstreams in seed 003's shapes: {@code
 * /api/metrics/server/{server_id}}, {@code /api/metrics/vm/{server_id}/{vmid}} ({@link
 * ProxmoxHistory}) and {@code /api/metrics/automation/{name}} ({@link AutomationHistory}), with the
 * parameters and header of {@code /api/metrics/host}. Core knows the servers, the guests and the
 * automations and reads the tables; these handlers translate HTTP.
 */
public final class UpstreamMetricsRoutes {

  private UpstreamMetricsRoutes() {}

  /**
   * Registers {@code /api/metrics/server/{server_id}} and {@code
   * /api/metrics/vm/{server_id}/{vmid}}.
   *
   * @param routes where to register
   * @param history the servers' and guests' history
   * @param serverInterval how often a node is collected, reported as the raw tier's interval
   * @param guestInterval how often the guests are collected, likewise
   * @param clock what "now" is for periods
   */
  public static void registerProxmox(
      Routes routes,
      ProxmoxHistory history,
      Duration serverInterval,
      Duration guestInterval,
      Clock clock) {
    routes.route(
        HttpMethod.GET,
        "/api/metrics/server/:server_id",
        Role.VIEWER,
        ctx -> {
          String serverId = ctx.pathParam("server_id");
          TimeRange range = MetricsRoutes.range(ctx, clock);
          Responses.json(
              ctx,
              200,
              history
                  .server(serverId, range, MetricsRoutes.maxPoints(ctx))
                  .map(
                      table ->
                          answer(
                              new JsonObject().put("server_id", serverId),
                              range,
                              table,
                              serverInterval)));
        });
    routes.route(
        HttpMethod.GET,
        "/api/metrics/vm/:server_id/:vmid",
        Role.VIEWER,
        ctx -> {
          String serverId = ctx.pathParam("server_id");
          long vmid = ProxmoxRoutes.vmid(ctx);
          TimeRange range = MetricsRoutes.range(ctx, clock);
          Responses.json(
              ctx,
              200,
              history
                  .guest(serverId, vmid, range, MetricsRoutes.maxPoints(ctx))
                  .map(
                      table ->
                          answer(
                              new JsonObject().put("server_id", serverId).put("vmid", vmid),
                              range,
                              table,
                              guestInterval)));
        });
  }

  /**
   * Registers {@code /api/metrics/automation/{name}}.
   *
   * @param routes where to register
   * @param history the automations' history, or {@code null} when the automation API is not
   *     configured: the route then answers 404 {@link AutomationRoutes#NOT_CONFIGURED}
   * @param interval how often the automations are collected, reported as the raw tier's interval
   * @param clock what "now" is for periods
   */
  public static void registerAutomations(
      Routes routes, AutomationHistory history, Duration interval, Clock clock) {
    routes.route(
        HttpMethod.GET,
        "/api/metrics/automation/:name",
        Role.VIEWER,
        ctx -> {
          if (history == null) {
            ctx.fail(
                new ErrorHandler.ApiException(
                    404,
                    AutomationRoutes.NOT_CONFIGURED,
                    "The automation API is not configured on this server (AUTOMATION_API_URL)"));
            return;
          }
          String name = ctx.pathParam("name");
          TimeRange range = MetricsRoutes.range(ctx, clock);
          Responses.json(
              ctx,
              200,
              history
                  .automation(name, range, MetricsRoutes.maxPoints(ctx))
                  .map(
                      table ->
                          answer(
                              new JsonObject().put("automation_name", name),
                              range,
                              table,
                              interval)));
        });
  }

  /** Seed 003's shape: what the history is of, then the period, the tier and the rows. */
  private static JsonObject answer(
      JsonObject of, TimeRange range, MetricTableResult table, Duration rawInterval) {
    return of.mergeIn(MetricsRoutes.header(range, table.tier(), rawInterval))
        .put("data", table.rowsJson());
  }
}
