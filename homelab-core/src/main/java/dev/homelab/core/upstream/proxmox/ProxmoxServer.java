package dev.homelab.core.upstream.proxmox;

/**
 * One configured Proxmox server as the server list shows it (seed 003's {@code GET
 * /api/proxmox/servers}). A server that could not be read is {@code online=false} with every
 * measured value {@code null}.
 *
 * @param id the configured id, such as {@code nas}
 * @param name the configured display name
 * @param ip the host of its base URL
 * @param node its node, or {@code null} when it is offline and was not configured
 * @param online whether its node status was read
 * @param version the PVE version, such as {@code 8.3.2} (from {@code pveversion}), or {@code null}
 * @param uptime the node's uptime in seconds, or {@code null}
 * @param cpuCount its logical CPUs, or {@code null}
 * @param cpuUsage its CPU use as a fraction 0..1, or {@code null}
 * @param memoryTotal its memory in bytes, or {@code null}
 * @param memoryUsed its used memory in bytes, or {@code null}
 * @param memoryPercent used memory in percent, one decimal, or {@code null}
 */
public record ProxmoxServer(
    String id,
    String name,
    String ip,
    String node,
    boolean online,
    String version,
    Long uptime,
    Integer cpuCount,
    Double cpuUsage,
    Long memoryTotal,
    Long memoryUsed,
    Double memoryPercent) {

  /**
   * @param options the server's options
   * @param status its node status
   * @return the server, online
   */
  public static ProxmoxServer online(ProxmoxServerOptions options, NodeStatus status) {
    return new ProxmoxServer(
        options.id(),
        options.name(),
        options.host(),
        status.node(),
        true,
        status.version(),
        status.uptime(),
        status.cpuCount(),
        status.cpuUsage(),
        status.memory().total(),
        status.memory().used(),
        status.memory().percent());
  }

  /**
   * @param options the server's options
   * @param node its node if known, or {@code null}
   * @return the server, offline, with nulls
   */
  public static ProxmoxServer offline(ProxmoxServerOptions options, String node) {
    return new ProxmoxServer(
        options.id(),
        options.name(),
        options.host(),
        node,
        false,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }
}
