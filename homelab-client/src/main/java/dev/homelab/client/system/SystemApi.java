package dev.homelab.client.system;

import io.vertx.core.Future;

/** The host's state and the store ({@code /api/system}, {@code /api/dashboard}); viewers and up. */
public interface SystemApi {

  /**
   * {@code GET /api/system}.
   *
   * @return the host's state now
   */
  Future<HostSnapshot> get();

  /**
   * {@code GET /api/system/storage}.
   *
   * @return the database, the data directory's file system and the metrics tiers
   */
  Future<StorageInfo> storage();

  /**
   * {@code GET /api/dashboard}.
   *
   * @return the server's version and uptime, the host and the storage
   */
  Future<Dashboard> dashboard();

  /**
   * {@code GET /api/health/detailed}: the database, Redis and every upstream, probed at once, each
   * within its own bound.
   *
   * @return the report; a part that does not answer is in it, not a failure
   */
  Future<DetailedHealth> detailedHealth();
}
