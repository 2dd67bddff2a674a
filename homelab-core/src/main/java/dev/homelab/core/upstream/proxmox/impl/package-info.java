/**
 * The machinery of the Proxmox client: one connection per server (its {@code UpstreamHttp}, its
 * token header, its discovered node and the vmid-to-type cache), the parsing of Proxmox answers,
 * and the client that ties them together. Not an API: use {@link
 * dev.homelab.core.upstream.proxmox.ProxmoxClient}.
 */
package dev.homelab.core.upstream.proxmox.impl;
