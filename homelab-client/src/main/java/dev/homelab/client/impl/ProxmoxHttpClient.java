package dev.homelab.client.impl;

import dev.homelab.client.proxmox.Guest;
import dev.homelab.client.proxmox.GuestList;
import dev.homelab.client.proxmox.NodeStatus;
import dev.homelab.client.proxmox.ProxmoxApi;
import dev.homelab.client.proxmox.ProxmoxServer;
import dev.homelab.client.proxmox.Task;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** {@link ProxmoxApi} over the transport. */
final class ProxmoxHttpClient implements ProxmoxApi {

  private final Transport transport;

  ProxmoxHttpClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<List<ProxmoxServer>> servers() {
    return transport.get(
        "/api/proxmox/servers",
        json ->
            json.getJsonArray("servers").stream()
                .map(item -> ProxmoxServer.fromJson((JsonObject) item))
                .toList());
  }

  @Override
  public Future<NodeStatus> status(String serverId) {
    return transport.get(server(serverId) + "/status", NodeStatus::fromJson);
  }

  @Override
  public Future<GuestList> vms(String serverId) {
    return transport.get(server(serverId) + "/vms", GuestList::fromJson);
  }

  @Override
  public Future<Guest> vm(String serverId, long vmid) {
    return transport.get(server(serverId) + "/vm/" + vmid, Guest::fromJson);
  }

  @Override
  public Future<String> start(String serverId, long vmid) {
    return act(serverId, vmid, "start");
  }

  @Override
  public Future<String> stop(String serverId, long vmid) {
    return act(serverId, vmid, "stop");
  }

  @Override
  public Future<String> restart(String serverId, long vmid) {
    return act(serverId, vmid, "restart");
  }

  private Future<String> act(String serverId, long vmid, String action) {
    return transport.post(
        server(serverId) + "/vm/" + vmid + "/" + action,
        null,
        202,
        json -> json.getString("task_id"));
  }

  @Override
  public Future<Task> task(String serverId, String upid) {
    return transport.get(server(serverId) + "/tasks/" + Transport.segment(upid), Task::fromJson);
  }

  @Override
  public Future<Task> followTask(
      String serverId, String upid, Duration interval, Duration timeout) {
    if (interval.isNegative() || interval.isZero()) {
      return Future.failedFuture(new IllegalArgumentException("interval must be positive"));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Promise<Task> done = Promise.promise();
    poll(serverId, upid, interval, deadline, done);
    return done.future();
  }

  private void poll(
      String serverId, String upid, Duration interval, long deadline, Promise<Task> done) {
    task(serverId, upid)
        .onFailure(done::tryFail)
        .onSuccess(
            state -> {
              if (state.ended()) {
                done.tryComplete(state);
              } else if (System.nanoTime() + interval.toNanos() > deadline) {
                done.tryFail(new TimeoutException("task " + upid + " had not ended in time"));
              } else {
                transport
                    .vertx()
                    .setTimer(
                        interval.toMillis(), id -> poll(serverId, upid, interval, deadline, done));
              }
            });
  }

  private static String server(String serverId) {
    return "/api/proxmox/" + Transport.segment(serverId);
  }
}
