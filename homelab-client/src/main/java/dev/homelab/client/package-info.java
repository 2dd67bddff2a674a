/**
 * The Homelab Java SDK: a typed client for the server's HTTP API.
 *
 * <p>{@link dev.homelab.client.HomelabClient} is asynchronous (every call returns a {@link
 * io.vertx.core.Future}); {@link dev.homelab.client.HomelabClient#blocking()} gives the same
 * methods for scripts that prefer to wait. Failures are {@link
 * dev.homelab.client.HomelabHttpException} (the server answered with an error) or {@link
 * dev.homelab.client.HomelabConnectionException} (it could not be reached).
 */
package dev.homelab.client;
