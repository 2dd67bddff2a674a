package dev.homelab.core;

/**
 * What kind of failure a {@link HomelabException} is, independent of any transport. The server maps
 * each kind to one HTTP status in one table; an embedding app or the MQTT gateway may map them to
 * their own answers.
 */
public enum ErrorKind {
  /** The input breaks a rule; nothing changed (HTTP 422). */
  INVALID,
  /** No such thing, or one the caller may not see (HTTP 404). */
  NOT_FOUND,
  /** The change contradicts the current state, such as a name already taken (HTTP 409). */
  CONFLICT,
  /** The caller may not do this (HTTP 403). */
  FORBIDDEN,
  /** A part this side depends on (the database, the broker) is unavailable (HTTP 503). */
  UNAVAILABLE,
  /** An upstream service (Proxmox, Frigate, ...) cannot be reached or failed (HTTP 502). */
  UPSTREAM_UNAVAILABLE,
  /** An upstream service did not answer in time (HTTP 504). */
  UPSTREAM_TIMEOUT,
  /**
   * An upstream service answered with an error of its own, kept with its status (HTTP: a 4xx passes
   * through but for 401, 403 and 407; a 5xx is 502).
   */
  UPSTREAM_ERROR,
  /**
   * Too much is already in flight: the call was refused before anything changed, and may be tried
   * again in a moment (HTTP 429 with {@code Retry-After}).
   */
  BUSY,
  /** The input is larger than allowed (HTTP 413). */
  TOO_LARGE,
  /** There is no room left to store it (HTTP 507). */
  INSUFFICIENT_STORAGE,
  /** A bug: nothing the caller did explains it (HTTP 500). */
  INTERNAL
}
