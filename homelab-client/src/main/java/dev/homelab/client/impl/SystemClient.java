package dev.homelab.client.impl;

import dev.homelab.client.system.Dashboard;
import dev.homelab.client.system.DetailedHealth;
import dev.homelab.client.system.HostSnapshot;
import dev.homelab.client.system.StorageInfo;
import dev.homelab.client.system.SystemApi;
import io.vertx.core.Future;

/** {@link SystemApi} over the transport. */
final class SystemClient implements SystemApi {

  private final Transport transport;

  SystemClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<HostSnapshot> get() {
    return transport.get("/api/system", HostSnapshot::fromJson);
  }

  @Override
  public Future<StorageInfo> storage() {
    return transport.get("/api/system/storage", StorageInfo::fromJson);
  }

  @Override
  public Future<Dashboard> dashboard() {
    return transport.get("/api/dashboard", Dashboard::fromJson);
  }

  @Override
  public Future<DetailedHealth> detailedHealth() {
    return transport.get("/api/health/detailed", DetailedHealth::fromJson);
  }
}
