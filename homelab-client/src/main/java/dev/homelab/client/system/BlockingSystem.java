package dev.homelab.client.system;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.internal.Waiter;

/**
 * The host state, storage and dashboard endpoints of {@link SystemApi} for code that waits: each
 * method calls the asynchronous one and waits for its answer, as {@link BlockingHomelabClient}
 * describes. Thread-safe.
 */
public final class BlockingSystem {

  private final SystemApi system;
  private final Waiter waiter;

  /**
   * @param system the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingSystem(SystemApi system, long timeoutMs) {
    this.system = system;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link SystemApi#get()}.
   *
   * @return the host's state now
   */
  public HostSnapshot get() {
    return waiter.await(system.get());
  }

  /**
   * Like {@link SystemApi#storage()}.
   *
   * @return the storage figures
   */
  public StorageInfo storage() {
    return waiter.await(system.storage());
  }

  /**
   * Like {@link SystemApi#dashboard()}.
   *
   * @return the dashboard
   */
  public Dashboard dashboard() {
    return waiter.await(system.dashboard());
  }

  /**
   * Like {@link SystemApi#detailedHealth()}.
   *
   * @return the report
   */
  public DetailedHealth detailedHealth() {
    return waiter.await(system.detailedHealth());
  }
}
