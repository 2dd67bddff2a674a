/**
 * Plug-in points of the storage layer: adapters register a {@link
 * dev.homelab.core.store.spi.StorageProvider} in {@code META-INF/services}.
 */
package dev.homelab.core.store.spi;
