package dev.homelab.server.routes;

import dev.homelab.core.identity.Role;
import dev.homelab.core.upstream.proxmox.Guest;
import dev.homelab.core.upstream.proxmox.GuestList;
import dev.homelab.core.upstream.proxmox.NodeStatus;
import dev.homelab.core.upstream.proxmox.ProxmoxClient;
import dev.homelab.core.upstream.proxmox.ProxmoxPower;
import dev.homelab.core.upstream.proxmox.ProxmoxServer;
import dev.homelab.core.upstream.proxmox.TaskState;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code /api/proxmox}: the configured Proxmox VE servers over HTTP, in seed 003's shapes. Reads
 * are the {@link ProxmoxClient}'s, sent once; power actions are the {@link ProxmoxPower}'s (admins
 * only, audited). An unknown server id is 404, a malformed vmid or UPID 422 naming it, an upstream
 * failure 502 or 504 (ErrorHandler) without host, token or stack.
 */
public final class ProxmoxRoutes {

  private final ProxmoxClient client;
  private final ProxmoxPower power;
  private final Actors actors;

  /**
   * @param client the configured servers
   * @param power the audited power actions
   * @param actors builds the actor of a request
   */
  public ProxmoxRoutes(ProxmoxClient client, ProxmoxPower power, Actors actors) {
    this.client = client;
    this.power = power;
    this.actors = actors;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/proxmox/servers", Role.VIEWER, this::servers);
    routes.route(HttpMethod.GET, "/api/proxmox/:server_id/status", Role.VIEWER, this::status);
    routes.route(HttpMethod.GET, "/api/proxmox/:server_id/vms", Role.VIEWER, this::vms);
    routes.route(HttpMethod.GET, "/api/proxmox/:server_id/vm/:vmid", Role.VIEWER, this::vm);
    for (ProxmoxPower.Action action : ProxmoxPower.Action.values()) {
      // The rule (admins only) is ProxmoxPower's: any principal reaches it and is told 403.
      routes.route(
          HttpMethod.POST,
          "/api/proxmox/:server_id/vm/:vmid/" + action.apiName(),
          Role.VIEWER,
          ctx -> act(ctx, action));
    }
    routes.route(HttpMethod.GET, "/api/proxmox/:server_id/tasks/:upid", Role.VIEWER, this::task);
  }

  /**
   * A vmid as the path gives it; anything that is not a number becomes -1, which the client refuses
   * with a 422 naming {@code vmid} once it found the server (an unknown server is 404 first).
   */
  static long vmid(RoutingContext ctx) {
    String text = ctx.pathParam("vmid");
    if (text == null || !text.matches("[0-9]{1,10}")) {
      return -1;
    }
    return Long.parseLong(text);
  }

  private void servers(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        client
            .servers()
            .map(
                servers ->
                    new JsonObject()
                        .put(
                            "servers",
                            new JsonArray(
                                servers.stream().map(ProxmoxRoutes::serverJson).toList()))));
  }

  private void status(RoutingContext ctx) {
    Responses.json(
        ctx, 200, client.nodeStatus(ctx.pathParam("server_id")).map(ProxmoxRoutes::statusJson));
  }

  private void vms(RoutingContext ctx) {
    Responses.json(
        ctx, 200, client.guests(ctx.pathParam("server_id")).map(ProxmoxRoutes::guestsJson));
  }

  private void vm(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        client.guest(ctx.pathParam("server_id"), vmid(ctx)).map(ProxmoxRoutes::guestJson));
  }

  private void act(RoutingContext ctx, ProxmoxPower.Action action) {
    Responses.json(
        ctx,
        202,
        power
            .act(actors.of(ctx), ctx.pathParam("server_id"), vmid(ctx), action)
            .map(
                accepted ->
                    new JsonObject()
                        .put("success", true)
                        .put("server_id", accepted.serverId())
                        .put("vmid", accepted.vmid())
                        .put("action", action.apiName())
                        .put("task_id", accepted.upid())
                        .put("task", accepted.upid())
                        .put(
                            "message",
                            action.apiName() + " of guest " + accepted.vmid() + " requested")));
  }

  private void task(RoutingContext ctx) {
    String serverId = ctx.pathParam("server_id");
    Responses.json(
        ctx,
        200,
        client.task(serverId, ctx.pathParam("upid")).map(state -> taskJson(serverId, state)));
  }

  public static JsonObject serverJson(ProxmoxServer s) {
    return new JsonObject()
        .put("id", s.id())
        .put("name", s.name())
        .put("ip", s.ip())
        .put("node", s.node())
        .put("online", s.online())
        .put("version", s.version())
        .put("uptime", s.uptime())
        .put("cpu_count", s.cpuCount())
        .put("cpu_usage", s.cpuUsage())
        .put("memory_total", s.memoryTotal())
        .put("memory_used", s.memoryUsed())
        .put("memory_percent", s.memoryPercent());
  }

  private static JsonObject usage(NodeStatus.Usage u) {
    return new JsonObject()
        .put("total", u.total())
        .put("used", u.used())
        .put("free", u.free())
        .put("percent", u.percent());
  }

  public static JsonObject statusJson(NodeStatus s) {
    return new JsonObject()
        .put("server_id", s.serverId())
        .put("node", s.node())
        .put("status", "online")
        .put("uptime", s.uptime())
        .put("loadavg", new JsonArray(s.loadavg()))
        .put(
            "cpu",
            new JsonObject()
                .put("count", s.cpuCount())
                .put("usage", s.cpuUsage())
                .put("model", s.cpuModel()))
        .put("io_wait", s.ioWait())
        .put("memory", usage(s.memory()))
        .put("swap", usage(s.swap()))
        .put("rootfs", usage(s.rootfs()))
        .put("version", s.version())
        .put("kernel", s.kernel());
  }

  public static JsonObject guestsJson(GuestList list) {
    return new JsonObject()
        .put("server_id", list.serverId())
        .put("total", list.total())
        .put("vms", list.vms())
        .put("containers", list.containers())
        .put("running", list.running())
        .put("stopped", list.stopped())
        .put(
            "instances",
            new JsonArray(
                list.guests().stream()
                    .map(
                        g ->
                            new JsonObject()
                                .put("vmid", g.vmid())
                                .put("type", g.type().apiName())
                                .put("name", g.name())
                                .put("status", g.status())
                                .put("template", g.template())
                                .put("uptime", g.uptime())
                                .put("cpu", g.cpu())
                                .put("maxcpu", g.cpus())
                                .put("mem", g.mem())
                                .put("maxmem", g.maxmem())
                                .put("disk", g.disk())
                                .put("maxdisk", g.maxdisk()))
                    .toList()));
  }

  public static JsonObject guestJson(Guest g) {
    return new JsonObject()
        .put("vmid", g.vmid())
        .put("type", g.type().apiName())
        .put("name", g.name())
        .put("node", g.node())
        .put("status", g.status())
        .put("template", g.template())
        .put("uptime", g.uptime())
        .put("cpu", g.cpu())
        .put("cpus", g.cpus())
        .put("mem", g.mem())
        .put("maxmem", g.maxmem())
        .put("disk", g.disk())
        .put("maxdisk", g.maxdisk())
        .put("netin", g.netin())
        .put("netout", g.netout())
        .put("diskread", g.diskread())
        .put("diskwrite", g.diskwrite())
        .put("lock", g.lock())
        .put("tags", new JsonArray(g.tags()));
  }

  public static JsonObject taskJson(String serverId, TaskState t) {
    return new JsonObject()
        .put("server_id", serverId)
        .put("upid", t.upid())
        .put("node", t.node())
        .put("type", t.type())
        .put("id", t.id())
        .put("user", t.user())
        .put("status", t.status())
        .put("exit_status", t.exitStatus())
        .put("ended", t.ended())
        .put("succeeded", t.succeeded())
        .put("warnings", t.warnings())
        .put("start_time", t.startTime() == null ? null : t.startTime().toString())
        .put("log", new JsonArray(t.log()));
  }
}
