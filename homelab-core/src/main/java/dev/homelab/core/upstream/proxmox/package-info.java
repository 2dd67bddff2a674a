/**
 * The Proxmox VE client: {@link dev.homelab.core.upstream.proxmox.ProxmoxClient} talks to any
 * number of Proxmox servers, each configured by {@link
 * dev.homelab.core.upstream.proxmox.ProxmoxServerOptions} (an id such as {@code nas}, the base URL,
 * an API token, how its certificate is trusted) and reached through its own timeout and circuit
 * breaker.
 *
 * <p>It reads server and node status, guests (qemu virtual machines and lxc containers, merged),
 * RRD history and tasks, and starts, stops, shuts down and reboots guests. A power action answers
 * the task's UPID at once; {@link dev.homelab.core.upstream.proxmox.ProxmoxClient#followTask} polls
 * the task until it ends. Reads made for users and every action are sent once; {@link
 * dev.homelab.core.upstream.proxmox.ProxmoxClient#background()} gives the same reads with retries,
 * for collectors.
 *
 * <p>Proxmox answers are parsed leniently into typed records: numbers that arrive as strings,
 * booleans as 0/1, and keys left out rather than null are all accepted. Its errors become {@link
 * dev.homelab.core.upstream.UpstreamException}s with Proxmox's own text (from the body's {@code
 * message} on PVE 8.3 and later, else from the reason phrase); 595 and 596, which pveproxy answers
 * when it cannot reach a node, count as unavailable.
 */
package dev.homelab.core.upstream.proxmox;
