/**
 * The Proxmox resource of the SDK: {@link dev.homelab.client.proxmox.ProxmoxApi}, its blocking twin
 * and its wire records.
 */
package dev.homelab.client.proxmox;
