package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.ValidationException;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Proxmox task id, {@code UPID:node:pid:pstart:starttime:type:id:user:} with hex numbers, as
 * pve-common's {@code PVE::UPID} writes it. The task's status must be read from its node.
 *
 * @param value the whole UPID
 * @param node the node that runs the task
 * @param pid the worker's process id
 * @param pstart the worker's start in clock ticks since boot
 * @param startTime when the task started
 * @param type the task type, such as {@code qmstart} or {@code vzstop}
 * @param id what it works on, usually a vmid, or empty
 * @param user who started it, such as {@code root@pam!homelab}
 */
public record Upid(
    String value,
    String node,
    long pid,
    long pstart,
    Instant startTime,
    String type,
    String id,
    String user) {

  // The trailing colon is optional: some clients log UPIDs without it.
  private static final Pattern UPID =
      Pattern.compile(
          "UPID:([A-Za-z0-9][A-Za-z0-9.-]{0,62}):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):"
              + "([A-Za-z0-9_-]{1,64}):([^:\\s/]{0,128}):([^:\\s/]{1,128}):?");

  /**
   * @param value a UPID
   * @return it, taken apart
   * @throws ValidationException (field {@code upid}) if it is not one
   */
  public static Upid parse(String value) {
    Matcher m = value == null || value.length() > 512 ? null : UPID.matcher(value);
    if (m == null || !m.matches()) {
      throw new ValidationException(
          "upid", "a Proxmox task id, UPID:node:pid:pstart:starttime:type:id:user:");
    }
    return new Upid(
        value,
        m.group(1),
        Long.parseLong(m.group(2), 16),
        Long.parseLong(m.group(3), 16),
        Instant.ofEpochSecond(Long.parseLong(m.group(4), 16)),
        m.group(5),
        m.group(6),
        m.group(7));
  }

  @Override
  public String toString() {
    return value;
  }
}
