/**
 * Storage ports: the repository interfaces the rest of Homelab talks to, and {@link
 * dev.homelab.core.store.Storage}, which opens one of the adapters (SQLite or PostgreSQL) and
 * applies its migrations.
 *
 * <p>Every repository method returns a {@link io.vertx.core.Future} and never blocks the calling
 * event loop. Both adapters pass the same compatibility kit, so code written against these ports
 * behaves the same on either database.
 */
package dev.homelab.core.store;
