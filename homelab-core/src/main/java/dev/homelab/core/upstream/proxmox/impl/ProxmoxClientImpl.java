package dev.homelab.core.upstream.proxmox.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.impl.UpstreamHttp;
import dev.homelab.core.upstream.impl.UpstreamHttp.Attempts;
import dev.homelab.core.upstream.proxmox.Guest;
import dev.homelab.core.upstream.proxmox.GuestList;
import dev.homelab.core.upstream.proxmox.GuestType;
import dev.homelab.core.upstream.proxmox.NodeStatus;
import dev.homelab.core.upstream.proxmox.ProxmoxClient;
import dev.homelab.core.upstream.proxmox.ProxmoxReads;
import dev.homelab.core.upstream.proxmox.ProxmoxServer;
import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import dev.homelab.core.upstream.proxmox.RrdPoint;
import dev.homelab.core.upstream.proxmox.TaskState;
import dev.homelab.core.upstream.proxmox.Timeframe;
import dev.homelab.core.upstream.proxmox.Upid;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ProxmoxClient}: one {@link ProxmoxConnection} per configured server. */
public final class ProxmoxClientImpl implements ProxmoxClient {

  private static final Logger log = LoggerFactory.getLogger(ProxmoxClientImpl.class);

  /** How many log lines a task state carries. */
  static final int LOG_TAIL = 20;

  /** How many log lines are asked for at first: power tasks log far fewer. */
  private static final int LOG_PAGE = 500;

  /** Consecutive transient poll failures a follow tolerates. */
  private static final int FOLLOW_FAILURES = 2;

  private static final long MIN_VMID = 100;
  private static final long MAX_VMID = 999_999_999;

  private final Vertx vertx;
  private final Map<String, ProxmoxConnection> connections = new LinkedHashMap<>();
  private final Reads once = new Reads(Attempts.ONCE);
  private final Reads retrying = new Reads(Attempts.RETRY);

  /**
   * @param vertx the Vert.x instance to run on
   * @param servers the servers, with distinct ids
   */
  public ProxmoxClientImpl(Vertx vertx, List<ProxmoxServerOptions> servers) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    for (ProxmoxServerOptions server : servers) {
      if (connections.containsKey(server.id())) {
        connections.values().forEach(ProxmoxConnection::close);
        throw new ValidationException("servers", "two servers have the id " + server.id());
      }
      connections.put(server.id(), new ProxmoxConnection(vertx, server));
    }
  }

  @Override
  public List<ProxmoxServerOptions> configured() {
    return connections.values().stream().map(ProxmoxConnection::options).toList();
  }

  @Override
  public ProxmoxReads background() {
    return retrying;
  }

  // ---------------------------------------------------------------- reads, once

  @Override
  public Future<List<ProxmoxServer>> servers() {
    return once.servers();
  }

  @Override
  public Future<NodeStatus> nodeStatus(String serverId) {
    return once.nodeStatus(serverId);
  }

  @Override
  public Future<GuestList> guests(String serverId) {
    return once.guests(serverId);
  }

  @Override
  public Future<Guest> guest(String serverId, long vmid) {
    return once.guest(serverId, vmid);
  }

  @Override
  public Future<TaskState> task(String serverId, String upid) {
    return once.task(serverId, upid);
  }

  @Override
  public Future<List<RrdPoint>> rrd(String serverId, Timeframe timeframe) {
    return once.rrd(serverId, timeframe);
  }

  @Override
  public Future<List<RrdPoint>> rrd(String serverId, long vmid, Timeframe timeframe) {
    return once.rrd(serverId, vmid, timeframe);
  }

  // ---------------------------------------------------------------- actions

  @Override
  public Future<String> start(String serverId, long vmid) {
    return action(serverId, vmid, "start");
  }

  @Override
  public Future<String> stop(String serverId, long vmid) {
    return action(serverId, vmid, "stop");
  }

  @Override
  public Future<String> shutdown(String serverId, long vmid) {
    return action(serverId, vmid, "shutdown");
  }

  @Override
  public Future<String> reboot(String serverId, long vmid) {
    return action(serverId, vmid, "reboot");
  }

  private Future<String> action(String serverId, long vmid, String action) {
    return checked(
        () -> {
          ProxmoxConnection connection = connection(serverId);
          checkVmid(vmid);
          return connection
              .node(Attempts.ONCE)
              .compose(
                  node ->
                      once.typeOf(connection, node, vmid)
                          .compose(
                              type ->
                                  connection
                                      .post(guestPath(node, type, vmid) + "/status/" + action)
                                      .recover(
                                          failure -> forgetOnMissing(connection, vmid, failure))
                                      .map(
                                          answer ->
                                              ProxmoxJson.upid(connection.name(), answer.json())
                                                  .value())));
        });
  }

  // ---------------------------------------------------------------- tasks

  @Override
  public Future<TaskState> followTask(String serverId, String upid, Handler<TaskState> onChange) {
    return followTask(serverId, upid, FOLLOW_INTERVAL, FOLLOW_LIMIT, onChange);
  }

  @Override
  public Future<TaskState> followTask(
      String serverId,
      String upid,
      Duration interval,
      Duration limit,
      Handler<TaskState> onChange) {
    return followTask(serverId, upid, interval, limit, null, onChange);
  }

  @Override
  public Future<TaskState> followTask(
      String serverId,
      String upid,
      Duration interval,
      Duration limit,
      Future<?> until,
      Handler<TaskState> onChange) {
    return checked(
        () -> {
          connection(serverId);
          Upid.parse(upid);
          if (interval.isNegative() || interval.isZero()) {
            throw new ValidationException("interval", "must be positive");
          }
          Promise<TaskState> done = Promise.promise();
          long deadline = System.nanoTime() + limit.toNanos();
          Follow follow = new Follow(serverId, upid, interval, deadline, onChange, done);
          if (until != null) {
            until.onComplete(stop -> follow.stop());
          }
          follow.poll();
          return done.future();
        });
  }

  /** One followed task: polls, reports changes, ends at the task's end or the deadline. */
  private final class Follow {
    private final String serverId;
    private final String upid;
    private final Duration interval;
    private final long deadline;
    private final Handler<TaskState> onChange;
    private final Promise<TaskState> done;
    // Read by stop(), which may run on another thread.
    private volatile TaskState last;
    private int failures;
    private volatile long timer = -1;

    Follow(
        String serverId,
        String upid,
        Duration interval,
        long deadline,
        Handler<TaskState> onChange,
        Promise<TaskState> done) {
      this.serverId = serverId;
      this.upid = upid;
      this.interval = interval;
      this.deadline = deadline;
      this.onChange = onChange;
      this.done = done;
    }

    void poll() {
      if (done.future().isComplete()) {
        return;
      }
      once.task(serverId, upid).onComplete(result -> polled(result.result(), result.cause()));
    }

    /** Ends the follow with the last state seen, polling no more. */
    void stop() {
      if (done.tryComplete(last)) {
        vertx.cancelTimer(timer);
      }
    }

    private void polled(TaskState state, Throwable failure) {
      if (done.future().isComplete()) {
        return;
      }
      boolean late = System.nanoTime() - deadline >= 0;
      if (failure != null) {
        if (!late && ++failures <= FOLLOW_FAILURES && mayPass(failure)) {
          later();
        } else {
          done.tryFail(failure);
        }
        return;
      }
      failures = 0;
      if (last == null || changed(last, state)) {
        last = state;
        if (onChange != null) {
          try {
            onChange.handle(state);
          } catch (RuntimeException e) {
            log.warn("a task follower's handler failed", e);
          }
        }
      }
      if (state.ended() || late) {
        done.tryComplete(state);
      } else {
        later();
      }
    }

    private void later() {
      timer = vertx.setTimer(interval.toMillis(), id -> poll());
    }

    private boolean changed(TaskState before, TaskState now) {
      return !Objects.equals(before.status(), now.status())
          || !Objects.equals(before.exitStatus(), now.exitStatus())
          || !before.log().equals(now.log());
    }

    private boolean mayPass(Throwable failure) {
      return failure instanceof UpstreamException upstream
          && (upstream.kind() != ErrorKind.UPSTREAM_ERROR || upstream.upstreamStatus() >= 500);
    }
  }

  // ---------------------------------------------------------------- health

  @Override
  public Future<UpstreamStatus> probe(String serverId) {
    return checked(() -> connection(serverId).probe());
  }

  @Override
  public void close() {
    connections.values().forEach(ProxmoxConnection::close);
  }

  // ---------------------------------------------------------------- shared

  private ProxmoxConnection connection(String serverId) {
    ProxmoxConnection connection = serverId == null ? null : connections.get(serverId);
    if (connection == null) {
      // Echo the id only when it is one that could be configured: never arbitrary input.
      String which =
          serverId != null && ProxmoxServerOptions.ID.matcher(serverId).matches()
              ? "no Proxmox server " + serverId
              : "no such Proxmox server";
      throw new NotFoundException("PROXMOX_SERVER_NOT_FOUND", which);
    }
    return connection;
  }

  private static void checkVmid(long vmid) {
    if (vmid < MIN_VMID || vmid > MAX_VMID) {
      throw new ValidationException("vmid", "a number from 100 to 999999999");
    }
  }

  private static String guestPath(String node, GuestType type, long vmid) {
    return "/nodes/" + UpstreamHttp.segment(node) + "/" + type.apiName() + "/" + vmid;
  }

  /**
   * Runs a call, turning a validation or lookup failure thrown before any request into a failed
   * future.
   */
  private static <T> Future<T> checked(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (HomelabException e) {
      return Future.failedFuture(e);
    }
  }

  /** Forgets a remembered type when Proxmox says that guest's configuration does not exist. */
  private static <T> Future<T> forgetOnMissing(
      ProxmoxConnection connection, long vmid, Throwable failure) {
    if (failure instanceof UpstreamException upstream
        && upstream.upstreamStatus() == 500
        && upstream.getMessage().contains("does not exist")) {
      connection.forgetType(vmid);
    }
    return Future.failedFuture(failure);
  }

  /** The reads, sent once or retried. */
  private final class Reads implements ProxmoxReads {

    private final Attempts attempts;

    Reads(Attempts attempts) {
      this.attempts = attempts;
    }

    @Override
    public Future<List<ProxmoxServer>> servers() {
      List<Future<ProxmoxServer>> each = new ArrayList<>();
      for (ProxmoxConnection connection : connections.values()) {
        each.add(
            status(connection)
                .map(status -> ProxmoxServer.online(connection.options(), status))
                .otherwise(
                    failure -> {
                      log.debug("{} is offline: {}", connection.name(), failure.getMessage());
                      return ProxmoxServer.offline(connection.options(), connection.knownNode());
                    }));
      }
      return Future.join(each).map(all -> each.stream().map(Future::result).toList());
    }

    @Override
    public Future<NodeStatus> nodeStatus(String serverId) {
      return checked(() -> status(connection(serverId)));
    }

    private Future<NodeStatus> status(ProxmoxConnection connection) {
      String serverId = connection.options().id();
      return connection
          .node(attempts)
          .compose(
              node ->
                  connection
                      .get("/nodes/" + UpstreamHttp.segment(node) + "/status", null, attempts)
                      .map(
                          answer ->
                              ProxmoxJson.nodeStatus(
                                  serverId,
                                  node,
                                  ProxmoxJson.dataObject(connection.name(), answer.json()))));
    }

    @Override
    public Future<GuestList> guests(String serverId) {
      return checked(
          () -> {
            ProxmoxConnection connection = connection(serverId);
            return connection
                .node(attempts)
                .compose(node -> index(connection, node))
                .map(all -> GuestList.of(serverId, all));
          });
    }

    /** Both guest indexes, merged; remembers each guest's type. */
    private Future<List<Guest>> index(ProxmoxConnection connection, String node) {
      String base = "/nodes/" + UpstreamHttp.segment(node);
      Future<List<Guest>> vms = list(connection, base + "/qemu", GuestType.QEMU, node);
      Future<List<Guest>> containers = list(connection, base + "/lxc", GuestType.LXC, node);
      return Future.all(vms, containers)
          .map(
              both -> {
                List<Guest> all = new ArrayList<>(vms.result());
                all.addAll(containers.result());
                Map<Long, GuestType> types = new HashMap<>();
                all.forEach(guest -> types.put(guest.vmid(), guest.type()));
                connection.rememberTypes(types);
                return all;
              });
    }

    private Future<List<Guest>> list(
        ProxmoxConnection connection, String path, GuestType type, String node) {
      return connection
          .get(path, null, attempts)
          .map(
              answer ->
                  ProxmoxJson.guests(
                      ProxmoxJson.dataArray(connection.name(), answer.json()), type, node));
    }

    /**
     * A guest's type: remembered from an index, else read from both indexes. A vmid in neither is
     * asked as a virtual machine, so that Proxmox's own answer (500, "Configuration file ... does
     * not exist") reaches the caller.
     */
    Future<GuestType> typeOf(ProxmoxConnection connection, String node, long vmid) {
      GuestType known = connection.knownType(vmid);
      if (known != null) {
        return Future.succeededFuture(known);
      }
      return index(connection, node)
          .map(
              all -> {
                GuestType found = connection.knownType(vmid);
                return found != null ? found : GuestType.QEMU;
              });
    }

    @Override
    public Future<Guest> guest(String serverId, long vmid) {
      return checked(
          () -> {
            ProxmoxConnection connection = connection(serverId);
            checkVmid(vmid);
            return connection
                .node(attempts)
                .compose(
                    node ->
                        typeOf(connection, node, vmid)
                            .compose(
                                type ->
                                    connection
                                        .get(
                                            guestPath(node, type, vmid) + "/status/current",
                                            null,
                                            attempts)
                                        .recover(
                                            failure -> forgetOnMissing(connection, vmid, failure))
                                        .map(
                                            answer ->
                                                ProxmoxJson.guest(
                                                    ProxmoxJson.dataObject(
                                                        connection.name(), answer.json()),
                                                    type,
                                                    node))));
          });
    }

    @Override
    public Future<TaskState> task(String serverId, String upid) {
      return checked(
          () -> {
            ProxmoxConnection connection = connection(serverId);
            Upid parsed = Upid.parse(upid);
            // A task's status is read on the node that runs it, which the UPID names.
            String base =
                "/nodes/"
                    + UpstreamHttp.segment(parsed.node())
                    + "/tasks/"
                    + UpstreamHttp.segment(parsed.value());
            Future<JsonObject> status =
                connection
                    .get(base + "/status", null, attempts)
                    .map(answer -> ProxmoxJson.dataObject(connection.name(), answer.json()));
            Future<List<String>> tail = logTail(connection, base);
            return Future.all(status, tail)
                .map(both -> ProxmoxJson.task(status.result(), tail.result()));
          });
    }

    private Future<List<String>> logTail(ProxmoxConnection connection, String base) {
      return connection
          .get(base + "/log", Map.of("start", "0", "limit", String.valueOf(LOG_PAGE)), attempts)
          .compose(
              answer -> {
                JsonObject body = answer.json();
                List<String> lines =
                    ProxmoxJson.taskLog(ProxmoxJson.dataArray(connection.name(), body));
                long total = body.getValue("total") instanceof Number n ? n.longValue() : 0;
                if (total <= lines.size()) {
                  return Future.succeededFuture(tail(lines));
                }
                // A long log: ask for its end only.
                long start = Math.max(0, total - LOG_TAIL);
                return connection
                    .get(
                        base + "/log",
                        Map.of("start", String.valueOf(start), "limit", String.valueOf(LOG_TAIL)),
                        attempts)
                    .map(
                        end ->
                            tail(
                                ProxmoxJson.taskLog(
                                    ProxmoxJson.dataArray(connection.name(), end.json()))));
              });
    }

    private List<String> tail(List<String> lines) {
      return lines.size() <= LOG_TAIL
          ? lines
          : List.copyOf(lines.subList(lines.size() - LOG_TAIL, lines.size()));
    }

    @Override
    public Future<List<RrdPoint>> rrd(String serverId, Timeframe timeframe) {
      return checked(
          () -> {
            ProxmoxConnection connection = connection(serverId);
            Objects.requireNonNull(timeframe, "timeframe");
            return connection
                .node(attempts)
                .compose(
                    node -> rrdAt(connection, "/nodes/" + UpstreamHttp.segment(node), timeframe));
          });
    }

    @Override
    public Future<List<RrdPoint>> rrd(String serverId, long vmid, Timeframe timeframe) {
      return checked(
          () -> {
            ProxmoxConnection connection = connection(serverId);
            checkVmid(vmid);
            Objects.requireNonNull(timeframe, "timeframe");
            return connection
                .node(attempts)
                .compose(
                    node ->
                        typeOf(connection, node, vmid)
                            .compose(
                                type ->
                                    rrdAt(connection, guestPath(node, type, vmid), timeframe)
                                        .recover(
                                            failure ->
                                                forgetOnMissing(connection, vmid, failure))));
          });
    }

    private Future<List<RrdPoint>> rrdAt(
        ProxmoxConnection connection, String path, Timeframe timeframe) {
      return connection
          .get(
              path + "/rrddata",
              Map.of("timeframe", timeframe.apiName(), "cf", "AVERAGE"),
              attempts)
          .map(answer -> ProxmoxJson.rrd(ProxmoxJson.dataArray(connection.name(), answer.json())));
    }
  }
}
