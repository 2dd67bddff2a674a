package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.TimeRange;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The collected history of the configured Proxmox servers and their guests, read through the shared
 * table query ({@link Downsampler#query(MetricTableQuery)}) in the tables of {@link ProxmoxSeries}.
 * Reads only the store: the history stays readable while a server is down.
 *
 * <p>A server is known if it is configured ({@code PROXMOX_SERVER_NOT_FOUND} otherwise, even if
 * history of it remains); a guest if the guest collector has seen it on that server at least once
 * within the retention ({@code PROXMOX_GUEST_NOT_FOUND} otherwise). Thread-safe.
 */
public final class ProxmoxHistory {

  /** The smallest vmid Proxmox gives: {@value}. */
  public static final long MIN_VMID = 100;

  /** The largest vmid Proxmox gives: {@value}. */
  public static final long MAX_VMID = 999_999_999;

  private final ProxmoxClient client;
  private final Downsampler downsampler;

  /**
   * @param client the client whose configured servers are known
   * @param downsampler where the collectors wrote
   */
  public ProxmoxHistory(ProxmoxClient client, Downsampler downsampler) {
    this.client = Objects.requireNonNull(client, "client");
    this.downsampler = Objects.requireNonNull(downsampler, "downsampler");
  }

  /**
   * @param serverId a configured server id
   * @param range the range to read
   * @param maxPoints at most this many rows (LTTB along {@code cpu_percent}); 0 for all
   * @return the node's history, one row per bucket; failed with {@link NotFoundException} if the
   *     server is not configured, {@link ValidationException} for a bad {@code maxPoints}
   */
  public Future<MetricTableResult> server(String serverId, TimeRange range, int maxPoints) {
    try {
      checkConfigured(serverId);
      return downsampler.query(
          MetricTableQuery.of(ProxmoxSeries.serverTable(serverId), range).withMaxPoints(maxPoints));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * @param serverId a configured server id
   * @param vmid a guest id, {@value #MIN_VMID} to {@value #MAX_VMID}
   * @param range the range to read
   * @param maxPoints at most this many rows (LTTB along {@code cpu_percent}); 0 for all
   * @return the guest's history, one row per bucket; failed with {@link NotFoundException} if the
   *     server is not configured or the guest was never collected, {@link ValidationException} for
   *     a vmid out of range or a bad {@code maxPoints}
   */
  public Future<MetricTableResult> guest(
      String serverId, long vmid, TimeRange range, int maxPoints) {
    MetricTableQuery query;
    try {
      checkConfigured(serverId);
      if (vmid < MIN_VMID || vmid > MAX_VMID) {
        throw new ValidationException("vmid", "a number from 100 to 999999999");
      }
      query =
          MetricTableQuery.of(ProxmoxSeries.guestTable(serverId, vmid), range)
              .withMaxPoints(maxPoints);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return downsampler
        .series()
        .compose(
            all -> {
              if (!all.contains(
                  ProxmoxSeries.guest(ProxmoxSeries.GUEST_RAM_TOTAL, serverId, vmid))) {
                return Future.failedFuture(
                    new NotFoundException(
                        "PROXMOX_GUEST_NOT_FOUND",
                        "no history of guest " + vmid + " on Proxmox server " + serverId));
              }
              return downsampler.query(query);
            });
  }

  private void checkConfigured(String serverId) {
    boolean configured =
        serverId != null
            && client.configured().stream().anyMatch(server -> server.id().equals(serverId));
    if (!configured) {
      // Echo the id only when it is one that could be configured: never arbitrary input.
      String which =
          serverId != null && ProxmoxServerOptions.ID.matcher(serverId).matches()
              ? "no Proxmox server " + serverId
              : "no such Proxmox server";
      throw new NotFoundException("PROXMOX_SERVER_NOT_FOUND", which);
    }
  }
}
