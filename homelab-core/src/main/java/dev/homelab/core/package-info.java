/**
 * Homelab core: the domain of a home-lab backend as a library that runs on a caller's Vert.x
 * instance.
 *
 * <p>Every I/O method returns a {@link io.vertx.core.Future}; nothing blocks an event loop. Errors
 * are unchecked and extend {@link dev.homelab.core.HomelabException}. Methods and record components
 * never return {@code null} unless their javadoc says so.
 */
package dev.homelab.core;
