package dev.homelab.core.upstream.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.UpstreamTls;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one upstream: requests to its configured base URL only, each bounded by the
 * upstream's timeout, behind its circuit breaker, with retries for background reads, and every
 * failure turned into an {@link UpstreamException}.
 *
 * <ul>
 *   <li><b>Timeout</b>: from sending the request to the last byte of a buffered answer (to the
 *       response head of a streamed one); the request is reset when it expires. A buffered answer
 *       that dribbles in is still bounded by it as a whole.
 *   <li><b>Read-idle bound</b> of a streamed body ({@link #stream}, {@link ReadIdle}): after the
 *       head, a body that brings too little for too long is failed and its request reset.
 *   <li><b>Breaker</b> (vertx-circuit-breaker): opens after {@link Settings#breakerFailures}
 *       consecutive failures (unreachable, timeout, 5xx; never a 4xx, which is the caller's), fails
 *       fast while open, and lets one probe through after {@link Settings#breakerReset}.
 *   <li><b>Retries</b>: only for {@link Attempts#RETRY} and only for GET (idempotent): three more
 *       attempts after 1, 2 and 4 s with ±25% jitter by default, on the failures the breaker
 *       counts. User actions use {@link Attempts#ONCE}: a start or stop is never sent twice.
 * </ul>
 */
public final class UpstreamHttp implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UpstreamHttp.class);

  /** Whether a failed request may be repeated. */
  public enum Attempts {
    /** Exactly one attempt: user actions and anything not idempotent. */
    ONCE,
    /** Background collection and idempotent reads: GETs are retried with backoff. */
    RETRY
  }

  /**
   * How one upstream is reached.
   *
   * @param name the configured name used in messages, meters and health, such as {@code proxmox
   *     nas}
   * @param baseUrl where its API is, such as {@code https://10.0.10.10:8006/api2/json}; paths are
   *     appended to it
   * @param timeout the time an answer may take
   * @param tls how its certificate is trusted (https only)
   * @param maxBodyBytes the largest buffered answer accepted
   * @param breakerFailures consecutive failures that open the breaker
   * @param breakerReset how long the breaker stays open before a probe
   * @param retryDelays the waits before each retry of {@link Attempts#RETRY}
   */
  public record Settings(
      String name,
      URI baseUrl,
      Duration timeout,
      UpstreamTls tls,
      int maxBodyBytes,
      int breakerFailures,
      Duration breakerReset,
      List<Duration> retryDelays) {

    /** The defaults of seed 003: 3 retries after 1, 2 and 4 s. */
    public static final List<Duration> DEFAULT_RETRY_DELAYS =
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

    /** Checks the values. */
    public Settings {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(timeout, "timeout");
      tls = tls == null ? UpstreamTls.system() : tls;
      retryDelays = List.copyOf(retryDelays);
      String scheme = baseUrl.getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException(name + ": the base url must be http or https");
      }
      if (baseUrl.getHost() == null) {
        throw new IllegalArgumentException(name + ": the base url has no host");
      }
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(name + ": the timeout must be positive");
      }
    }

    /**
     * @param name the configured name
     * @param baseUrl the API's base URL
     * @param timeout the time an answer may take
     * @param tls how its certificate is trusted
     * @return settings with a 16 MB answer limit, a breaker that opens after 5 failures for 30 s,
     *     and seed 003's retry delays
     */
    public static Settings of(String name, URI baseUrl, Duration timeout, UpstreamTls tls) {
      return new Settings(
          name, baseUrl, timeout, tls, 16 << 20, 5, Duration.ofSeconds(30), DEFAULT_RETRY_DELAYS);
    }

    /**
     * @param delays the waits before each retry
     * @return these settings with other retry delays (tests use milliseconds)
     */
    public Settings withRetryDelays(List<Duration> delays) {
      return new Settings(
          name, baseUrl, timeout, tls, maxBodyBytes, breakerFailures, breakerReset, delays);
    }

    /**
     * @param failures consecutive failures that open the breaker
     * @param reset how long it stays open
     * @return these settings with another breaker
     */
    public Settings withBreaker(int failures, Duration reset) {
      return new Settings(name, baseUrl, timeout, tls, maxBodyBytes, failures, reset, retryDelays);
    }
  }

  /**
   * A buffered answer of 2xx or 3xx.
   *
   * @param upstream the upstream's name, for the errors its parsing raises
   * @param status the HTTP status
   * @param statusMessage the reason phrase (Proxmox puts its error text there)
   * @param headers the response headers
   * @param body the whole body
   */
  public record Answer(
      String upstream, int status, String statusMessage, MultiMap headers, Buffer body) {

    /**
     * @return the body as a JSON object
     * @throws UpstreamException (unavailable) if it is not one
     */
    public JsonObject json() {
      try {
        Object value = io.vertx.core.json.Json.decodeValue(body);
        if (value instanceof JsonObject object) {
          return object;
        }
      } catch (DecodeException e) {
        // reported below, without the body: it may hold anything
      }
      throw UpstreamException.unavailable(upstream, "malformed answer (not a JSON object)");
    }

    /**
     * @return the body as a JSON array
     * @throws UpstreamException (unavailable) if it is not one
     */
    public JsonArray jsonArray() {
      try {
        Object value = io.vertx.core.json.Json.decodeValue(body);
        if (value instanceof JsonArray array) {
          return array;
        }
      } catch (DecodeException e) {
        // reported below
      }
      throw UpstreamException.unavailable(upstream, "malformed answer (not a JSON array)");
    }
  }

  /**
   * How a streamed body is bounded after its head: it must bring at least {@code minBytes} in every
   * {@code window} in which it is read, or it is failed with {@link UpstreamException#stalled} and
   * its request reset. See {@link StreamedBody}.
   *
   * @param window the longest wait for progress
   * @param minBytes the bytes that count as progress: 1 for any byte (a chat's tokens may be few
   *     and far between), more where a trickle is a fault (a picture or a clip from a NVR on the
   *     home network comes at megabytes a second)
   */
  public record ReadIdle(Duration window, int minBytes) {

    /** Checks the values. */
    public ReadIdle {
      Objects.requireNonNull(window, "window");
      if (window.toMillis() < 1) {
        throw new IllegalArgumentException("the read-idle window must be at least 1 ms");
      }
      if (minBytes < 1) {
        throw new IllegalArgumentException("minBytes must be at least 1");
      }
    }
  }

  private final Vertx vertx;
  private final Settings settings;

  /** For buffered exchanges: never kept waiting by long-lived streams. */
  private final HttpClient client;

  /** For streams (logs, chats, media), which hold a connection for their whole life. */
  private final HttpClient streams;

  private final CircuitBreaker breaker;
  private volatile boolean closed;
  private final Function<Answer, UpstreamException> errors;
  private final Clock clock;
  private final String basePath;
  private final Context context;

  /**
   * @param vertx the Vert.x instance to run on
   * @param settings how the upstream is reached
   * @param errors turns an answer of 400 or more into its failure (Proxmox reads the reason phrase
   *     and the body's {@code message}); {@code null} for {@link UpstreamException#answered} with
   *     the reason phrase
   */
  public UpstreamHttp(Vertx vertx, Settings settings, Function<Answer, UpstreamException> errors) {
    this.vertx = vertx;
    this.settings = settings;
    this.errors =
        errors != null
            ? errors
            : answer ->
                UpstreamException.answered(
                    settings.name(), answer.status(), answer.statusMessage());
    this.clock = Clock.systemUTC();
    // Every exchange runs on this one context, see onContext.
    this.context = vertx.getOrCreateContext();
    String path = settings.baseUrl().getRawPath();
    this.basePath = path == null || path.equals("/") ? "" : stripTrailingSlash(path);
    this.client =
        vertx.createHttpClient(clientOptions(settings), new PoolOptions().setHttp1MaxSize(8));
    this.streams =
        vertx.createHttpClient(clientOptions(settings), new PoolOptions().setHttp1MaxSize(256));
    this.breaker =
        CircuitBreaker.create(
                "upstream-" + settings.name(),
                vertx,
                new CircuitBreakerOptions()
                    .setMaxFailures(settings.breakerFailures())
                    .setResetTimeout(settings.breakerReset().toMillis())
                    .setTimeout(-1) // this class bounds every request itself
                    .setFallbackOnFailure(false)
                    // No event-bus notifications: they cost a periodic timer per breaker.
                    .setNotificationAddress(null))
            .failurePolicy(UpstreamHttp::countsAsFailure);
  }

  private static HttpClientOptions clientOptions(Settings settings) {
    HttpClientOptions options =
        new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()))
            .setKeepAlive(true);
    if ("https".equals(settings.baseUrl().getScheme())) {
      options.setSsl(true);
      UpstreamTls tls = settings.tls();
      if (tls.insecure()) {
        log.warn(
            "{}: TLS certificate verification is OFF (insecure opt-in): anyone on the path can"
                + " read and change this traffic",
            settings.name());
        options.setTrustAll(true).setVerifyHost(false);
      } else if (tls.pinnedSha256() != null) {
        // The pin names the one certificate to accept: its issuer and names do not matter.
        options
            .setTrustOptions(TrustOptions.wrap(new PinnedTrustManager(tls.pinnedBytes())))
            .setVerifyHost(false);
      } else if (tls.caFile() != null) {
        options
            .setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile().toString()))
            .setVerifyHost(true);
      } else {
        options.setVerifyHost(true);
      }
    }
    return options;
  }

  /**
   * @return the upstream's configured name
   */
  public String name() {
    return settings.name();
  }

  /**
   * @return how the upstream is reached
   */
  public Settings settings() {
    return settings;
  }

  /**
   * Percent-encodes one path segment. Clients check a value against its own rule (a vmid is digits,
   * a camera name is letters, digits, {@code -} and {@code _}) before this; encoding makes sure
   * that nothing, not even {@code /} or {@code ..}, can change the path.
   *
   * @param value a path parameter
   * @return it as one encoded segment
   */
  public static String segment(String value) {
    if (value.isEmpty() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("not a path segment");
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * Sends a request and buffers the answer.
   *
   * @param method the method
   * @param path the path below the base URL, its segments already encoded, starting with {@code /}
   * @param query query parameters (encoded here), or {@code null}
   * @param headers request headers (authentication included), or {@code null}
   * @param body the request body, or {@code null}
   * @param attempts whether a failed GET may be repeated
   * @return the answer if its status is below 400; else fails with an {@link UpstreamException}
   */
  public Future<Answer> send(
      HttpMethod method,
      String path,
      Map<String, String> query,
      MultiMap headers,
      Buffer body,
      Attempts attempts) {
    boolean retry = attempts == Attempts.RETRY && method == HttpMethod.GET;
    return onContext(
        () ->
            attempt(
                () -> once(method, path, query, headers, body, settings.timeout()),
                retry ? 0 : -1));
  }

  /**
   * Runs an exchange on this upstream's one context. A pooled connection serves callers of every
   * context; when a caller's event loop is not the connection's, Vert.x hands the response head to
   * the caller's loop while the connection's loop may already have read the end, and setting the
   * body handler then fails ("the answer could not be read": about one request in 400 from a
   * non-Vert.x thread, see ProxmoxClientTest.readsFromManyContextsAllSucceed). On one context the
   * head and the end arrive on one thread, in order. The outcome is handed back on the caller's
   * context, when it has one, as Vert.x's own APIs do.
   */
  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> exchange) {
    if (closed) {
      return Future.failedFuture(
          UpstreamException.unavailable(settings.name(), "its client is closed"));
    }
    Context caller = Vertx.currentContext();
    Promise<T> result = Promise.promise();
    context.runOnContext(
        v -> {
          Future<T> outcome;
          try {
            outcome = exchange.get();
          } catch (RuntimeException e) {
            outcome = Future.failedFuture(e);
          }
          outcome.onComplete(
              done -> {
                if (caller == null || caller == context) {
                  result.handle(done);
                } else {
                  caller.runOnContext(back -> result.handle(done));
                }
              });
        });
    return result.future();
  }

  /**
   * Sends a request and hands over the response once its head arrived with a status below 400,
   * paused, for the caller to stream (an event stream that watches itself, as {@code
   * SharedEventStream} does). The timeout covers the head only: after it, nothing bounds the body
   * (see {@link #stream} for a bounded one). Never retried.
   *
   * @param method the method
   * @param path the path below the base URL, encoded
   * @param query query parameters, or {@code null}
   * @param headers request headers, or {@code null}
   * @param body the request body, or {@code null}
   * @return the paused response; fails with an {@link UpstreamException}
   */
  public Future<HttpClientResponse> open(
      HttpMethod method, String path, Map<String, String> query, MultiMap headers, Buffer body) {
    return onContext(() -> openOnContext(method, path, query, headers, body));
  }

  /**
   * Like {@link #open}, with the body bounded after the head: a body that stalls (a black-holed
   * host, a dribble) is failed with {@link UpstreamException#stalled} and its request reset, so
   * that neither its connection nor its caller is held for good.
   *
   * @param method the method
   * @param path the path below the base URL, encoded
   * @param query query parameters, or {@code null}
   * @param headers request headers, or {@code null}
   * @param body the request body, or {@code null}
   * @param idle how the body is bounded after the head
   * @return the paused body, with the response's head; fails with an {@link UpstreamException}
   */
  public Future<StreamedBody> stream(
      HttpMethod method,
      String path,
      Map<String, String> query,
      MultiMap headers,
      Buffer body,
      ReadIdle idle) {
    Objects.requireNonNull(idle, "idle");
    // Mapped on this upstream's context, where the response's handlers and the watch's timer run.
    return onContext(
        () ->
            openOnContext(method, path, query, headers, body)
                .map(response -> new StreamedBody(vertx, settings.name(), response, idle)));
  }

  private Future<HttpClientResponse> openOnContext(
      HttpMethod method, String path, Map<String, String> query, MultiMap headers, Buffer body) {
    return breaker
        .execute(
            () -> {
              Promise<HttpClientResponse> result = Promise.promise();
              AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
              long timer = expireAfter(result, sent, settings.timeout());
              streams
                  .request(requestOptions(method, path, query, headers))
                  .compose(request -> sendUnlessExpired(request, body, result.future(), sent))
                  .onComplete(
                      done -> {
                        if (done.failed()) {
                          vertx.cancelTimer(timer);
                          result.tryFail(translate(done.cause()));
                          return;
                        }
                        HttpClientResponse response = done.result();
                        if (response.statusCode() < 400) {
                          vertx.cancelTimer(timer);
                          response.pause();
                          result.tryComplete(response);
                        } else {
                          // Read the (bounded) error body for its message, still within the
                          // timeout.
                          collect(response)
                              .onComplete(
                                  error -> {
                                    vertx.cancelTimer(timer);
                                    result.tryFail(
                                        error.succeeded()
                                            ? errors.apply(error.result())
                                            : translate(error.cause()));
                                  });
                        }
                      });
              return result.future();
            })
        .recover(
            failure ->
                Future.failedFuture(
                    failure instanceof OpenCircuitException ? failingFast() : failure));
  }

  /**
   * The longest a {@link #probe} waits, whatever the upstream's own timeout: the AI hub may take
   * minutes over a chat, but the detailed health must not wait that long for its cheap request.
   */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Sends {@code GET path} once, outside the breaker's count, and reports what happened. Any HTTP
   * status counts as reachable. It waits the upstream's timeout, at most {@link #PROBE_TIMEOUT}.
   *
   * @param path a cheap path of the upstream, such as Proxmox's {@code /version}
   * @param headers request headers, or {@code null}
   * @return the status; never fails
   */
  public Future<UpstreamStatus> probe(String path, MultiMap headers) {
    long started = System.nanoTime();
    Duration timeout =
        settings.timeout().compareTo(PROBE_TIMEOUT) < 0 ? settings.timeout() : PROBE_TIMEOUT;
    return onContext(() -> once(HttpMethod.GET, path, null, headers, null, timeout))
        .transform(
            done -> {
              long millis = (System.nanoTime() - started) / 1_000_000;
              Throwable cause = done.cause();
              boolean reachable =
                  done.succeeded()
                      || cause instanceof UpstreamException upstream
                          && upstream.kind() == ErrorKind.UPSTREAM_ERROR;
              return Future.succeededFuture(
                  new UpstreamStatus(
                      settings.name(),
                      reachable,
                      reachable ? millis : -1,
                      breaker.state().name(),
                      clock.instant(),
                      reachable ? null : cause.getMessage()));
            });
  }

  /**
   * @return the breaker's state: CLOSED, OPEN or HALF_OPEN
   */
  public String breakerState() {
    return breaker.state().name();
  }

  @Override
  public void close() {
    closed = true;
    client.close();
    streams.close();
    breaker.close();
  }

  private Future<Answer> attempt(java.util.function.Supplier<Future<Answer>> call, int retry) {
    return breaker
        .execute(call)
        .recover(
            failure -> {
              if (failure instanceof OpenCircuitException) {
                return Future.failedFuture(failingFast());
              }
              if (retry < 0
                  || retry >= settings.retryDelays().size()
                  || !countsAsFailure(failure)) {
                return Future.failedFuture(failure);
              }
              long delay = jittered(settings.retryDelays().get(retry));
              Promise<Answer> later = Promise.promise();
              vertx.setTimer(
                  delay,
                  id -> {
                    if (closed) {
                      later.fail(
                          UpstreamException.unavailable(settings.name(), "its client is closed"));
                    } else {
                      attempt(call, retry + 1).onComplete(later);
                    }
                  });
              return later.future();
            });
  }

  /** The breaker's fail-fast answer while it is open: not retried. */
  private UpstreamException failingFast() {
    return UpstreamException.unavailable(
        settings.name(),
        "failing fast after repeated failures; the next attempt goes through in at most "
            + settings.breakerReset().toSeconds()
            + " s");
  }

  private static long jittered(Duration delay) {
    return jittered(delay, ThreadLocalRandom.current());
  }

  /**
   * @param delay a retry's nominal wait
   * @param random the source of randomness
   * @return the wait to use: from three quarters to five quarters of it, so that clients that
   *     failed together do not retry together
   */
  static long jittered(Duration delay, RandomGenerator random) {
    double factor = 0.75 + random.nextDouble() * 0.5;
    return Math.max(1, (long) (delay.toMillis() * factor));
  }

  private Future<Answer> once(
      HttpMethod method,
      String path,
      Map<String, String> query,
      MultiMap headers,
      Buffer body,
      Duration timeout) {
    Promise<Answer> result = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long timer = expireAfter(result, sent, timeout);
    client
        .request(requestOptions(method, path, query, headers))
        .compose(request -> sendUnlessExpired(request, body, result.future(), sent))
        .compose(this::collect)
        .onComplete(
            done -> {
              vertx.cancelTimer(timer);
              if (done.failed()) {
                result.tryFail(translate(done.cause()));
              } else if (done.result().status() >= 400) {
                result.tryFail(errors.apply(done.result()));
              } else {
                result.tryComplete(done.result());
              }
            });
    return result.future();
  }

  /**
   * Sends the request, unless its time ran out while it waited for a connection (a pooled one to
   * free up, or a slow TLS handshake): then it is reset unsent, so that an action the caller was
   * told timed out can never run afterwards.
   */
  private static Future<HttpClientResponse> sendUnlessExpired(
      HttpClientRequest request,
      Buffer body,
      Future<?> outcome,
      AtomicReference<HttpClientRequest> sent) {
    if (outcome.isComplete()) {
      request.reset();
      return Future.failedFuture("expired before it was sent");
    }
    sent.set(request);
    return body == null ? request.send() : request.send(body);
  }

  /** Fails the promise with a timeout when the time is up, and resets the request. */
  private <T> long expireAfter(
      Promise<T> result, AtomicReference<HttpClientRequest> sent, Duration timeout) {
    return vertx.setTimer(
        timeout.toMillis(),
        id -> {
          if (result.tryFail(UpstreamException.timeout(settings.name(), timeout))) {
            HttpClientRequest request = sent.get();
            if (request != null) {
              request.reset();
            }
          }
        });
  }

  /** Reads a whole body, refusing one larger than the limit. */
  private Future<Answer> collect(HttpClientResponse response) {
    Promise<Answer> done = Promise.promise();
    Buffer body = Buffer.buffer();
    response.handler(
        chunk -> {
          if (body.length() + chunk.length() > settings.maxBodyBytes()) {
            if (done.tryFail(
                UpstreamException.unavailable(
                    settings.name(), "answer larger than " + settings.maxBodyBytes() + " bytes"))) {
              response.request().reset();
            }
          } else {
            body.appendBuffer(chunk);
          }
        });
    response.exceptionHandler(e -> done.tryFail(translate(e)));
    response.endHandler(
        v ->
            done.tryComplete(
                new Answer(
                    settings.name(),
                    response.statusCode(),
                    response.statusMessage(),
                    response.headers(),
                    body)));
    return done.future();
  }

  private RequestOptions requestOptions(
      HttpMethod method, String path, Map<String, String> query, MultiMap headers) {
    if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
      throw new IllegalArgumentException("not a path below the base url: " + path);
    }
    StringBuilder uri = new StringBuilder(basePath).append(path);
    if (query != null && !query.isEmpty()) {
      char separator = '?';
      for (Map.Entry<String, String> parameter : query.entrySet()) {
        uri.append(separator)
            .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
        separator = '&';
      }
    }
    URI base = settings.baseUrl();
    boolean https = "https".equals(base.getScheme());
    int port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost(base.getHost())
            .setPort(port)
            .setSsl(https)
            .setURI(uri.toString())
            .setFollowRedirects(false)
            // Bounds the wait for a pooled connection and the connect itself, as the timer bounds
            // the whole exchange.
            .setConnectTimeout(settings.timeout().toMillis());
    if (headers != null) {
      options.setHeaders(headers);
    }
    return options;
  }

  /** A transport failure as an upstream failure, with no host or address in its message. */
  private UpstreamException translate(Throwable failure) {
    if (failure instanceof UpstreamException upstream) {
      return upstream;
    }
    String reason;
    if (failure instanceof ConnectException
        || failure instanceof io.netty.channel.ConnectTimeoutException) {
      reason = "connection refused or not answered";
    } else if (failure instanceof UnknownHostException) {
      reason = "its host name does not resolve";
    } else if (failure instanceof SSLException
        || failure instanceof GeneralSecurityException
        || failure.getCause() instanceof GeneralSecurityException) {
      reason = "TLS failed (the certificate is not trusted, or the handshake broke)";
    } else if (failure instanceof io.vertx.core.http.HttpClosedException
        || failure instanceof io.vertx.core.VertxException) {
      reason = "the connection was closed or reset";
    } else if (failure instanceof java.io.IOException) {
      reason = "the connection failed";
    } else {
      reason = "the answer could not be read";
      // Not one of the expected transport failures: worth a line (logs may name the host).
      log.warn("{}: {}", settings.name(), reason, failure);
      return UpstreamException.unavailable(settings.name(), reason);
    }
    log.debug("{}: {}", settings.name(), reason, failure);
    return UpstreamException.unavailable(settings.name(), reason);
  }

  /** What opens the breaker and is retried: no answer, a timeout, or a 5xx. */
  private static boolean countsAsFailure(Future<?> future) {
    return future.failed() && countsAsFailure(future.cause());
  }

  private static boolean countsAsFailure(Throwable failure) {
    if (failure instanceof UpstreamException upstream) {
      return upstream.kind() != ErrorKind.UPSTREAM_ERROR || upstream.upstreamStatus() >= 500;
    }
    return true;
  }

  private static String stripTrailingSlash(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
