/**
 * A client of Frigate NVR's HTTP API: {@link dev.homelab.core.upstream.frigate.FrigateClient} reads
 * the cameras of {@code /api/config}, streams camera snapshots, event snapshots and event clips
 * without buffering them, queries events with Frigate's filters, and normalises {@code /api/stats}
 * of Frigate 0.9 to 0.12 (cameras at the top level) and 0.13+ (cameras under {@code cameras}) into
 * one {@link dev.homelab.core.upstream.frigate.FrigateStats}.
 *
 * <p>Camera names and event ids are checked before any request is sent; every failure is an {@link
 * dev.homelab.core.upstream.UpstreamException}. Port 5000 needs no credentials; port 8971 needs a
 * user and password, with which the client logs in and sends the token as a bearer.
 */
package dev.homelab.core.upstream.frigate;
