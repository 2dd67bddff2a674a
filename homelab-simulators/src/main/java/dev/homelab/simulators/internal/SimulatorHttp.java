package dev.homelab.simulators.internal;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the automation and AI hub simulators share: HTTP Basic authentication, the recorded request
 * log, and the faults a test can inject (a delay before each answer, a reset instead of an answer,
 * the next N requests failing with a 5xx). Unsupported outside this module's simulators.
 *
 * <p>Thread-safe: faults may be set from any thread while requests are served.
 */
public final class SimulatorHttp {

  private static final Logger log = LoggerFactory.getLogger(SimulatorHttp.class);

  private final Vertx vertx;
  private final String user;
  private final String password;
  private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private volatile int failStatus = 500;
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean resetConnections;

  /**
   * @param vertx the Vert.x instance, for delays
   * @param user the Basic user accepted
   * @param password the Basic password accepted
   */
  public SimulatorHttp(Vertx vertx, String user, String password) {
    this.vertx = vertx;
    this.user = Objects.requireNonNull(user, "user");
    this.password = Objects.requireNonNull(password, "password");
  }

  /**
   * Records the request, applies the faults, checks the credentials, then hands it on.
   *
   * @param request the request
   * @param next answers an authenticated request that no fault took, with its whole body
   */
  public void handle(HttpServerRequest request, BiConsumer<HttpServerRequest, Buffer> next) {
    requests.add(request.method().name() + " " + request.path());
    // Bodies are small here: read each whole first, so that a delay cannot lose any of it.
    request
        .body()
        .onFailure(e -> request.connection().close())
        .onSuccess(
            body -> {
              long millis = delay.toMillis();
              if (millis > 0) {
                vertx.setTimer(millis, id -> answer(request, body, next));
              } else {
                answer(request, body, next);
              }
            });
  }

  private void answer(
      HttpServerRequest request, Buffer body, BiConsumer<HttpServerRequest, Buffer> next) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return; // the client gave up while we waited
    }
    if (resetConnections) {
      request.connection().close();
      return;
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(response, failStatus, "simulated failure");
      return;
    }
    if (!authorized(request.getHeader("Authorization"))) {
      response.putHeader("WWW-Authenticate", "Basic realm=\"simulator\"");
      error(response, 401, "Invalid credentials");
      return;
    }
    try {
      next.accept(request, body);
    } catch (RuntimeException e) {
      // A simulator bug must show as an answer, not as a request that hangs until its timeout.
      log.error("simulator failed on {} {}", request.method(), request.path(), e);
      error(response, 500, "simulator failure: " + e);
    }
  }

  private boolean authorized(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).strip());
    } catch (IllegalArgumentException e) {
      return false;
    }
    byte[] expected = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }

  /**
   * Answers an error as the services built on FastAPI do: {@code {"detail": ...}}.
   *
   * @param response the response
   * @param status the status
   * @param detail the detail
   */
  public static void error(HttpServerResponse response, int status, String detail) {
    json(response, status, new JsonObject().put("detail", detail));
  }

  /**
   * @param response the response
   * @param status the status
   * @param body the JSON body
   */
  public static void json(HttpServerResponse response, int status, JsonObject body) {
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /**
   * @param delay how long to wait before each answer; zero for none
   */
  public void delay(Duration delay) {
    this.delay = Objects.requireNonNull(delay, "delay");
  }

  /**
   * @param reset whether to close each connection instead of answering
   */
  public void resetConnections(boolean reset) {
    this.resetConnections = reset;
  }

  /**
   * @param count how many of the next requests fail
   * @param status the status they answer, such as 500 or 503
   */
  public void failNext(int count, int status) {
    if (status < 500 || status > 599) {
      throw new IllegalArgumentException("a simulated failure is a 5xx");
    }
    failStatus = status;
    failNext.set(count);
  }

  /** Ends every fault. */
  public void clearFaults() {
    delay = Duration.ZERO;
    resetConnections = false;
    failNext.set(0);
  }

  /**
   * @return every request received so far, as {@code METHOD /path} (the path as sent, encoded)
   */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /**
   * @param method a method
   * @param pathSuffix the end of a path as sent
   * @return how many requests with that method had a path ending so
   */
  public long requestCount(HttpMethod method, String pathSuffix) {
    String prefix = method.name() + " ";
    return requests.stream()
        .filter(request -> request.startsWith(prefix) && request.endsWith(pathSuffix))
        .count();
  }
}
