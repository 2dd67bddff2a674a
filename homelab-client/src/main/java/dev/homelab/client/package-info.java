/**
 * The Homelab Java SDK: a typed client for the server's HTTP API.
 *
 * <p>{@link dev.homelab.client.HomelabClient} is asynchronous (every call returns a {@link
 * io.vertx.core.Future}); {@link dev.homelab.client.HomelabClient#blocking()} gives the same
 * methods for scripts that prefer to wait. Failures are {@link
 * dev.homelab.client.HomelabHttpException} (the server answered with an error) or {@link
 * dev.homelab.client.HomelabConnectionException} (it could not be reached).
 *
 * <p>This package holds the entry point, its options, the blocking facade, the exceptions and the
 * paging types shared by every list; each group of resources has a package of its own, with its
 * API, its blocking twin and its wire records: {@code identity} (login, API keys, users), {@code
 * devices}, {@code files} (uploads, resumable uploads, downloads, share links), {@code access}
 * (decisions, access log, card policies, reader groups), {@code audit}, {@code events}, {@code
 * metrics} and {@code system} (health, host, storage, dashboard, settings).
 */
package dev.homelab.client;
