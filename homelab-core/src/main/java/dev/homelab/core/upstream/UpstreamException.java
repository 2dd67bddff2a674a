package dev.homelab.core.upstream;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import java.time.Duration;

/**
 * A failure of an upstream service, in one of three kinds:
 *
 * <ul>
 *   <li>{@link ErrorKind#UPSTREAM_UNAVAILABLE}: refused, reset, unresolvable, a TLS failure, a
 *       malformed answer, or the circuit breaker open (HTTP 502);
 *   <li>{@link ErrorKind#UPSTREAM_TIMEOUT}: no complete answer within the upstream's timeout (HTTP
 *       504);
 *   <li>{@link ErrorKind#UPSTREAM_ERROR}: the upstream answered with an error status of its own,
 *       kept in {@link #upstreamStatus()} with its message (HTTP: a 4xx passes through, except 401,
 *       403 and 407, which say our credentials are wrong, not the caller's; a 5xx is 502).
 * </ul>
 *
 * <p>Messages name the upstream by its configured name and never hold a URL, a host, a credential
 * or a stack trace.
 */
public final class UpstreamException extends HomelabException {

  private final String upstream;
  private final int upstreamStatus;

  private UpstreamException(
      ErrorKind kind, String code, String upstream, int upstreamStatus, String message) {
    super(kind, code, message, null, true);
    this.upstream = upstream;
    this.upstreamStatus = upstreamStatus;
  }

  /**
   * @param upstream the upstream's configured name, such as {@code proxmox nas}
   * @param reason what happened, without host or credentials, such as {@code connection refused}
   * @return an {@link ErrorKind#UPSTREAM_UNAVAILABLE} failure
   */
  public static UpstreamException unavailable(String upstream, String reason) {
    return new UpstreamException(
        ErrorKind.UPSTREAM_UNAVAILABLE,
        "UPSTREAM_UNAVAILABLE",
        upstream,
        0,
        upstream + " is unavailable: " + reason);
  }

  /**
   * @param upstream the upstream's configured name
   * @param timeout the time it had
   * @return an {@link ErrorKind#UPSTREAM_TIMEOUT} failure
   */
  public static UpstreamException timeout(String upstream, Duration timeout) {
    return new UpstreamException(
        ErrorKind.UPSTREAM_TIMEOUT,
        "UPSTREAM_TIMEOUT",
        upstream,
        0,
        upstream + " did not answer within " + describe(timeout));
  }

  /**
   * @param upstream the upstream's configured name
   * @param status the HTTP status it answered, 400 or more
   * @param message its error message (Proxmox: the reason phrase or the body's {@code message}), or
   *     {@code null}
   * @return an {@link ErrorKind#UPSTREAM_ERROR} failure
   */
  public static UpstreamException answered(String upstream, int status, String message) {
    String text = message == null || message.isBlank() ? "" : ": " + message.strip();
    return new UpstreamException(
        ErrorKind.UPSTREAM_ERROR,
        "UPSTREAM_ERROR",
        upstream,
        status,
        upstream + " answered " + status + text);
  }

  /**
   * @return the upstream's configured name
   */
  public String upstream() {
    return upstream;
  }

  /**
   * @return the status the upstream answered, for {@link ErrorKind#UPSTREAM_ERROR}; 0 otherwise
   */
  public int upstreamStatus() {
    return upstreamStatus;
  }

  private static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
