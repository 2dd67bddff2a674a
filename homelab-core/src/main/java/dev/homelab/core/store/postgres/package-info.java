/**
 * The PostgreSQL storage adapter (vertx-pg-client). Use it through {@link
 * dev.homelab.core.store.Storage#open} with a {@code postgres://} url.
 */
package dev.homelab.core.store.postgres;
