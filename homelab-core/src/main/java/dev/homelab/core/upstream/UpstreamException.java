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
 *       504), or a streamed answer that stopped coming after its head;
 *   <li>{@link ErrorKind#UPSTREAM_ERROR}: the upstream answered with an error status of its own,
 *       kept in {@link #upstreamStatus()} with its message (HTTP: a 4xx passes through, except 401,
 *       403 and 407, which say our credentials are wrong, not the caller's; a 5xx is 502).
 * </ul>
 *
 * <p>Messages name the upstream by its configured name and never hold its URL, a credential or a
 * stack trace; IP addresses in an upstream's own message are masked.
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
        upstream + " is unavailable: " + withoutAddresses(reason));
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
   * @param window the time it had to send them
   * @param minBytes the bytes it had to send in that time; 1 for any
   * @return an {@link ErrorKind#UPSTREAM_TIMEOUT} failure of a streamed answer that stalled after
   *     its head
   */
  public static UpstreamException stalled(String upstream, Duration window, int minBytes) {
    String sent =
        minBytes <= 1 ? " sent nothing for " : " sent less than " + minBytes + " bytes in ";
    return new UpstreamException(
        ErrorKind.UPSTREAM_TIMEOUT,
        "UPSTREAM_TIMEOUT",
        upstream,
        0,
        upstream + sent + describe(window));
  }

  /**
   * @param upstream the upstream's configured name
   * @param status the HTTP status it answered, 400 or more
   * @param message its error message (Proxmox: the reason phrase or the body's {@code message}), or
   *     {@code null}
   * @return an {@link ErrorKind#UPSTREAM_ERROR} failure
   */
  public static UpstreamException answered(String upstream, int status, String message) {
    String text = message == null || message.isBlank() ? "" : ": " + withoutAddresses(message);
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

  /** IPv4 addresses, with an optional port. */
  private static final java.util.regex.Pattern IPV4 =
      java.util.regex.Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d{1,5})?\\b");

  /** IPv6 addresses: hex groups with at least two colons, optionally in brackets with a port. */
  private static final java.util.regex.Pattern IPV6 =
      java.util.regex.Pattern.compile(
          "\\[?\\b[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}\\b\\]?(:\\d{1,5})?");

  /**
   * An upstream's own message with the IP addresses it names masked: a Proxmox 595 says which
   * cluster address it could not reach, which is the home network's business, not the caller's.
   * Node and guest names stay: the API shows them anyway.
   */
  static String withoutAddresses(String message) {
    String text = IPV4.matcher(message.strip()).replaceAll("<address>");
    return IPV6.matcher(text)
        .replaceAll(
            match ->
                match.group().contains("::")
                        || match.group().chars().filter(c -> c == ':').count() >= 3
                    ? "<address>"
                    : match.group());
  }

  private static String describe(Duration timeout) {
    long millis = timeout.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
  }
}
