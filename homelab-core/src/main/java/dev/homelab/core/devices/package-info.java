/**
 * The device registry: readers, sensors, cameras and servers, each owned by one user.
 *
 * <p>Every read and write goes through an {@link dev.homelab.core.devices.OwnerFilter}: the store
 * applies it in the query itself (the equivalent of row-level security), so a device of another
 * owner is indistinguishable from one that does not exist.
 */
package dev.homelab.core.devices;
