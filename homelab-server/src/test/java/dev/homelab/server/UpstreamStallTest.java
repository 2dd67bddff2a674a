package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.StallingUpstream;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability row F11: an upstream that answers its head and then goes silent (a black-hole, no FIN
 * or RST) or dribbles a byte now and then does not hold the caller's request, its upstream
 * connection or the server: the caller's response is reset (never ended, so a cut body does not
 * look complete) within about the upstream's timeout, the upstream connection is closed, and the
 * cut is logged. Frigate and the AI hub both point at one {@link StallingUpstream}, with 1 s
 * timeouts; the AI chat's pings would keep the caller's connection from ever being idle.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UpstreamStallTest {

  private static final String UPSTREAM_LOG = "dev.homelab.server.http.Responses";
  private static final Duration WAIT = Duration.ofSeconds(8);

  @TempDir static Path dir;

  static Vertx upstreams;
  static StallingUpstream upstream;
  static ServerTesting lab;
  static HttpClient caller;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void start() {
    upstreams = Vertx.vertx(VertxTesting.options());
    upstream = StallingUpstream.start(upstreams);
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "FRIGATE_URL",
                upstream.baseUrl(),
                "FRIGATE_TIMEOUT_SECONDS",
                "1",
                "AI_HUB_URL",
                upstream.baseUrl(),
                "AI_HUB_PASSWORD",
                "hub-Pa55-" + System.nanoTime(),
                "AI_HUB_TIMEOUT_SECONDS",
                "1",
                "EVENTS_PING_SECONDS",
                "1",
                "REQUEST_TIMEOUT_SECONDS",
                "2"));
    caller = lab.vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    if (caller != null) {
      await(caller.close());
    }
    if (lab != null) {
      lab.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    if (upstreams != null) {
      await(upstreams.close());
    }
  }

  /** Sends a request as the administrator and hands over the response once its head is in. */
  private static HttpClientResponse call(HttpMethod method, String path, String body) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setHost("127.0.0.1")
            .setPort(lab.server.port())
            .setURI(path)
            .putHeader("Authorization", "Bearer " + lab.adminJwt);
    if (body != null) {
      options.putHeader("Content-Type", "application/json");
    }
    return await(
        caller
            .request(options)
            .compose(request -> body == null ? request.send() : request.send(body)));
  }

  /** The body's end, or its failure; a caller still waiting after {@link #WAIT} fails the test. */
  private static Future<Buffer> rest(HttpClientResponse response) {
    return response.body().timeout(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void assertCutAndLogged(Future<Buffer> body, long sentNanos) throws Exception {
    Throwable failure = awaitFailure(body);
    long millis = (System.nanoTime() - sentNanos) / 1_000_000;
    assertThat(failure)
        .as("the caller's response is reset, not ended, and not left open")
        .isNotInstanceOf(TimeoutException.class);
    assertThat(millis)
        .as("cut after the upstream's 1 s without bytes")
        .isGreaterThanOrEqualTo(1000);
    Awaitility.await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(upstream.closed()).isEqualTo(upstream.accepted()));
    assertThat(
            logs.awaitLine(
                UPSTREAM_LOG,
                line -> line.contains(" sent ") && line.endsWith("; its answer is cut"),
                WAIT))
        .isPresent();
  }

  @Test
  void aClipWhoseFrigateFallsSilentAfterItsHeadIsResetAndItsConnectionClosed() throws Exception {
    upstream.answer(request -> StallingUpstream.silentAfter(request, "video/mp4", "ftyp"));
    long sent = System.nanoTime();
    HttpClientResponse response =
        call(HttpMethod.GET, "/api/frigate/events/1707479767.784216-y40y02/clip", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertCutAndLogged(rest(response), sent);
  }

  @Test
  void aSnapshotDribbledAByteAtATimeIsResetAndItsConnectionClosed() throws Exception {
    upstream.answer(
        request -> upstream.dribble(request, "image/jpeg", Duration.ofMillis(100), 600));
    long sent = System.nanoTime();
    HttpClientResponse response = call(HttpMethod.GET, "/api/frigate/camera/garage/snapshot", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertCutAndLogged(rest(response), sent);
  }

  /**
   * A clip that keeps coming, if slowly, is not a stall: it arrives whole even when it takes longer
   * than {@code REQUEST_TIMEOUT_SECONDS} (2 s here). It used to be ended at the request timeout,
   * cleanly, so the caller got a truncated clip that looked complete.
   */
  @Test
  void aClipStillFlowingAfterTheRequestTimeoutArrivesWhole() {
    int chunks = 30;
    int size = 2048;
    upstream.answer(
        request -> {
          HttpServerResponse response =
              request.response().setChunked(true).putHeader("Content-Type", "video/mp4");
          AtomicInteger sent = new AtomicInteger();
          upstreams.setPeriodic(
              100,
              id -> {
                if (response.closed()) {
                  upstreams.cancelTimer(id);
                } else if (sent.incrementAndGet() > chunks) {
                  upstreams.cancelTimer(id);
                  response.end();
                } else {
                  response.write(Buffer.buffer(new byte[size]));
                }
              });
        });
    assertThat(await(wholeBody("/api/frigate/events/1707479767.784216-y40y02/clip")).length())
        .isEqualTo(chunks * size);
  }

  /**
   * A failure after part of an answer went out resets the caller's connection: ending the answer
   * would make the part look like all of it.
   */
  @Test
  void aFailureAfterTheHeadResetsTheAnswerInsteadOfEndingIt() {
    lab.server
        .router()
        .get("/test/fails-midway")
        .order(-1)
        .handler(
            ctx -> {
              ctx.response().setChunked(true).write("the first half");
              ctx.fail(503);
            });
    assertThat(awaitFailure(wholeBody("/test/fails-midway")))
        .isInstanceOf(HttpClosedException.class);
  }

  /**
   * A GET as the administrator, its body read from the moment its head is in (a body handler set
   * later, from the test's thread, could miss the first chunks or the reset); a status other than
   * 200 fails it.
   */
  private static Future<Buffer> wholeBody(String path) {
    return caller
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(lab.server.port())
                .setURI(path)
                .putHeader("Authorization", "Bearer " + lab.adminJwt))
        .compose(request -> request.send())
        .compose(
            response ->
                response.statusCode() == 200
                    ? response.body()
                    : Future.failedFuture("status " + response.statusCode()))
        .timeout(20, TimeUnit.SECONDS);
  }

  @Test
  void aChatWhoseHubFallsSilentAfterItsFirstEventIsResetAndItsConnectionClosed() throws Exception {
    upstream.answer(
        request ->
            StallingUpstream.silentAfter(
                request,
                "text/event-stream",
                "event: message\ndata: {\"type\":\"system\",\"subtype\":\"init\"}\n\n"));
    long sent = System.nanoTime();
    HttpClientResponse response = call(HttpMethod.POST, "/api/ai/chat", "{\"message\":\"hi\"}");
    assertThat(response.statusCode()).isEqualTo(200);
    assertCutAndLogged(rest(response), sent);
  }
}
