package dev.homelab.core.upstream.proxmox;

import java.time.Instant;
import java.util.List;

/**
 * Where a Proxmox task is ({@code GET /nodes/{node}/tasks/{upid}/status} and the tail of its log).
 *
 * <p>A task that ended {@code succeeded} when its exit status is {@code OK} or {@code WARNINGS: n}
 * (a success with warnings, as pve-common counts it); any other exit status is the error text.
 *
 * @param upid the task id
 * @param node the node that runs it
 * @param type the task type, such as {@code qmstart}
 * @param id what it works on (a vmid, which Proxmox sends as a string), or empty
 * @param user who started it
 * @param status {@code running} or {@code stopped}
 * @param exitStatus {@code OK}, {@code WARNINGS: n} or an error text once it ended; {@code null}
 *     while it runs
 * @param ended whether it ended
 * @param succeeded whether it ended well
 * @param warnings how many warnings it ended with
 * @param startTime when it started, or {@code null}
 * @param log the last lines of its log, oldest first
 */
public record TaskState(
    String upid,
    String node,
    String type,
    String id,
    String user,
    String status,
    String exitStatus,
    boolean ended,
    boolean succeeded,
    int warnings,
    Instant startTime,
    List<String> log) {

  /** Keeps the log unmodifiable. */
  public TaskState {
    log = log == null ? List.of() : List.copyOf(log);
  }

  /**
   * @return whether it ended with an error
   */
  public boolean failed() {
    return ended && !succeeded;
  }
}
