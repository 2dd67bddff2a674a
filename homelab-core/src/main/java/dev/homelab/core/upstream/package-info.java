/**
 * Typed clients of the services a home lab runs beside Homelab: Proxmox VE ({@code proxmox}),
 * Frigate ({@code frigate}), an automation-container API ({@code automation}) and an AI hub ({@code
 * aihub}), each in its own package with its options, its client and its records.
 *
 * <p>What they share lives here: {@link dev.homelab.core.upstream.UpstreamException} (every failure
 * of an upstream is one of three kinds: unreachable or garbled, too slow, or an error it answered),
 * {@link dev.homelab.core.upstream.UpstreamTls} (how an upstream's certificate is trusted), {@link
 * dev.homelab.core.upstream.UpstreamStatus} (reachability, latency and breaker state, for the
 * detailed health) and {@link dev.homelab.core.upstream.SharedEventStream} (one upstream event
 * stream shared by any number of subscribers). The HTTP plumbing with its timeout, circuit breaker
 * and retries is {@code impl.UpstreamHttp}.
 *
 * <p>Upstream hosts come only from configuration: no method takes a URL, and every path parameter
 * is checked before it becomes part of a request path, so no caller input can reach another host or
 * path.
 */
package dev.homelab.core.upstream;
