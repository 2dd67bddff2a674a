package dev.homelab.core.upstream.impl;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.testing.StallingUpstream;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.core.upstream.impl.UpstreamHttp.Answer;
import dev.homelab.core.upstream.impl.UpstreamHttp.Attempts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SelfSignedCertificate;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamHttp} against real local servers that misbehave on purpose: every way an upstream
 * fails becomes one of the three {@link UpstreamException} kinds with a message that names the
 * upstream and nothing else; the timeout is kept; the breaker opens, fails fast and lets a probe
 * through; only background GETs are retried; TLS trusts what it is told to and nothing more.
 */
class UpstreamHttpTest {

  /** The timeout under test; every other test has time to spare, even on a busy machine. */
  private static final Duration TIMEOUT = Duration.ofMillis(400);

  private static final Duration GENEROUS = Duration.ofSeconds(10);
  private static final List<Duration> FAST_RETRIES =
      List.of(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));

  private Vertx vertx;
  private final AtomicInteger requests = new AtomicInteger();
  private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
  private volatile Consumer<HttpServerRequest> behaviour;
  private HttpServer server;
  private UpstreamHttp http;

  @org.junit.jupiter.api.BeforeAll
  static void warmUp() {
    // A JVM's first HTTP exchange loads Netty's and Vert.x's HTTP classes on an event loop.
    dev.homelab.core.upstream.HttpWarmUp.once();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(VertxTesting.options());
    server = startServer(new HttpServerOptions());
  }

  @AfterEach
  void stop() {
    if (http != null) {
      http.close();
    }
    await(vertx.close());
  }

  private HttpServer startServer(HttpServerOptions options) {
    return await(
        vertx
            .createHttpServer(options)
            .requestHandler(
                request -> {
                  requests.incrementAndGet();
                  seen.add(request.method() + " " + request.uri());
                  behaviour.accept(request);
                })
            .listen(0, "127.0.0.1"));
  }

  private UpstreamHttp client(String scheme, int port, UpstreamTls tls, int breakerFailures) {
    return client(scheme, port, tls, breakerFailures, GENEROUS);
  }

  private UpstreamHttp client(
      String scheme, int port, UpstreamTls tls, int breakerFailures, Duration timeout) {
    UpstreamHttp.Settings settings =
        UpstreamHttp.Settings.of(
                "test upstream",
                URI.create(scheme + "://127.0.0.1:" + port + "/api2/json"),
                timeout,
                tls)
            .withRetryDelays(FAST_RETRIES)
            .withBreaker(breakerFailures, Duration.ofMillis(300));
    http = new UpstreamHttp(vertx, settings, null);
    return http;
  }

  private UpstreamHttp client() {
    return client("http", server.actualPort(), null, 100);
  }

  private static UpstreamException upstreamFailure(Throwable failure) {
    assertThat(failure).isInstanceOf(UpstreamException.class);
    UpstreamException upstream = (UpstreamException) failure;
    assertThat(upstream.getMessage())
        .startsWith("test upstream ")
        .doesNotContain("127.0.0.1")
        .doesNotContain("api2");
    return upstream;
  }

  @Test
  void anAnswerIsBufferedAndTheBasePathAndQueryAreKept() {
    behaviour =
        request ->
            request.response().putHeader("Content-Type", "application/json").end("{\"data\":1}");
    Answer answer =
        await(
            client()
                .send(
                    HttpMethod.GET,
                    "/nodes/" + UpstreamHttp.segment("pve 1"),
                    Map.of("timeframe", "hour"),
                    null,
                    null,
                    Attempts.ONCE));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().getInteger("data")).isEqualTo(1);
    assertThat(seen).containsExactly("GET /api2/json/nodes/pve%201?timeframe=hour");
  }

  @Test
  void aPathParameterCannotLeaveItsSegment() {
    assertThat(UpstreamHttp.segment("../../etc")).doesNotContain("/");
    assertThat(UpstreamHttp.segment("a/b?c#d")).isEqualTo("a%2Fb%3Fc%23d");
    for (String bad : List.of("", ".", "..")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> UpstreamHttp.segment(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aSlowUpstreamTimesOutWithinItsTimeoutAndTheRequestIsReset() {
    behaviour = request -> {}; // never answers
    long started = System.nanoTime();
    Throwable failure =
        awaitFailure(
            client("http", server.actualPort(), null, 100, TIMEOUT)
                .send(HttpMethod.GET, "/slow", null, null, null, Attempts.ONCE));
    long millis = (System.nanoTime() - started) / 1_000_000;
    UpstreamException upstream = upstreamFailure(failure);
    assertThat(upstream.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
    assertThat(upstream.getMessage()).isEqualTo("test upstream did not answer within 400 ms");
    assertThat(millis).isGreaterThanOrEqualTo(TIMEOUT.toMillis());
  }

  @Test
  void anAnswerDribbledOverAMinuteEndsAtTheWholeRequestsTimeoutAndItsConnectionCloses() {
    StallingUpstream dribbling = StallingUpstream.start(vertx);
    // One byte every 50 ms for up to a minute: each byte is progress, none is an answer.
    dribbling.answer(
        request -> dribbling.dribble(request, "application/json", Duration.ofMillis(50), 1200));
    http =
        new UpstreamHttp(
            vertx,
            UpstreamHttp.Settings.of(
                "test upstream", URI.create(dribbling.baseUrl()), TIMEOUT, null),
            null);
    long started = System.nanoTime();
    UpstreamException upstream =
        upstreamFailure(
            awaitFailure(http.send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(upstream.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
    assertThat(millis).isGreaterThanOrEqualTo(TIMEOUT.toMillis()).isLessThan(GENEROUS.toMillis());
    org.awaitility.Awaitility.await()
        .atMost(GENEROUS)
        .untilAsserted(() -> assertThat(dribbling.closed()).isEqualTo(dribbling.accepted()));
    dribbling.close();
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Throwable failure =
        awaitFailure(
            client("http", closedPort, null, 100)
                .send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE));
    UpstreamException upstream = upstreamFailure(failure);
    assertThat(upstream.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    assertThat(upstream.getMessage()).contains("connection refused");
  }

  @Test
  void aResetIsUnavailable() {
    behaviour = request -> request.connection().close();
    UpstreamException upstream =
        upstreamFailure(
            awaitFailure(client().send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)));
    assertThat(upstream.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
  }

  @Test
  void garbageOnTheWireIsUnavailable() {
    NetServer garbage =
        await(
            vertx
                .createNetServer()
                .connectHandler(
                    socket ->
                        socket.write("SSH-2.0-OpenSSH_9.2\r\n").onComplete(v -> socket.close()))
                .listen(0, "127.0.0.1"));
    UpstreamException upstream =
        upstreamFailure(
            awaitFailure(
                client("http", garbage.actualPort(), null, 100)
                    .send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)));
    assertThat(upstream.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
  }

  @Test
  void aMalformedBodyIsUnavailableWithoutTheBodyInTheMessage() {
    behaviour = request -> request.response().end("<html>secret-internal-page</html>");
    Answer answer = await(client().send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE));
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(answer::json);
    UpstreamException upstream = upstreamFailure(failure);
    assertThat(upstream.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    assertThat(upstream.getMessage()).doesNotContain("secret-internal-page");
  }

  @Test
  void anErrorAnswerKeepsItsStatusAndReasonPhrase() {
    behaviour =
        request ->
            request
                .response()
                .setStatusCode(500)
                .setStatusMessage(
                    "Configuration file 'nodes/pve/qemu-server/103.conf' does not exist")
                .end("{\"data\":null}");
    UpstreamException upstream =
        upstreamFailure(
            awaitFailure(client().send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)));
    assertThat(upstream.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(upstream.upstreamStatus()).isEqualTo(500);
    assertThat(upstream.getMessage())
        .isEqualTo(
            "test upstream answered 500: Configuration file 'nodes/pve/qemu-server/103.conf' does not exist");
  }

  @Test
  void anAnswerLargerThanTheLimitIsRefused() {
    behaviour = request -> request.response().end(Buffer.buffer(new byte[64 * 1024]));
    UpstreamHttp.Settings settings =
        new UpstreamHttp.Settings(
            "test upstream",
            URI.create("http://127.0.0.1:" + server.actualPort()),
            GENEROUS,
            null,
            1024,
            5,
            Duration.ofSeconds(1),
            List.of());
    http = new UpstreamHttp(vertx, settings, null);
    UpstreamException upstream =
        upstreamFailure(
            awaitFailure(http.send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)));
    assertThat(upstream.getMessage()).contains("larger than 1024 bytes");
  }

  @Test
  void backgroundGetsAreRetriedUntilTheyGoThrough() {
    AtomicInteger calls = new AtomicInteger();
    behaviour =
        request -> {
          if (calls.incrementAndGet() < 3) {
            request.response().setStatusCode(503).end();
          } else {
            request.response().end("{}");
          }
        };
    Answer answer = await(client().send(HttpMethod.GET, "/x", null, null, null, Attempts.RETRY));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(requests).hasValue(3);
  }

  @Test
  void retriesStopAfterThreeAndNeverRepeatAUserActionOrA4xx() {
    behaviour = request -> request.response().setStatusCode(503).end();
    awaitFailure(client().send(HttpMethod.GET, "/x", null, null, null, Attempts.RETRY));
    assertThat(requests).as("one attempt and three retries").hasValue(4);

    requests.set(0);
    awaitFailure(client().send(HttpMethod.POST, "/start", null, null, null, Attempts.RETRY));
    assertThat(requests).as("a POST is never repeated").hasValue(1);

    requests.set(0);
    awaitFailure(client().send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE));
    assertThat(requests).as("a user's GET is not repeated").hasValue(1);

    requests.set(0);
    behaviour = request -> request.response().setStatusCode(404).end();
    awaitFailure(client().send(HttpMethod.GET, "/x", null, null, null, Attempts.RETRY));
    assertThat(requests).as("a 4xx is the caller's, not a failure to retry").hasValue(1);
  }

  @Test
  void retriesWaitTheirDelaysDoublingAndJittered() {
    assertThat(UpstreamHttp.Settings.DEFAULT_RETRY_DELAYS)
        .as("each wait twice the one before")
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    SplittableRandom random = new SplittableRandom(12);
    LongSummaryStatistics waits =
        IntStream.range(0, 2000)
            .mapToLong(i -> UpstreamHttp.jittered(Duration.ofSeconds(1), random))
            .summaryStatistics();
    assertThat(waits.getMin()).isBetween(750L, 800L);
    assertThat(waits.getMax()).isBetween(1200L, 1250L);

    // The attempts' own times: each retry comes no sooner than three quarters of its delay after
    // the attempt before (a lower bound, which a busy machine only lengthens).
    List<Duration> delays =
        List.of(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    List<Long> times = new java.util.concurrent.CopyOnWriteArrayList<>();
    behaviour =
        request -> {
          times.add(System.nanoTime());
          request.response().setStatusCode(503).end();
        };
    UpstreamHttp spaced =
        new UpstreamHttp(
            vertx,
            UpstreamHttp.Settings.of(
                    "test upstream",
                    URI.create("http://127.0.0.1:" + server.actualPort() + "/api2/json"),
                    GENEROUS,
                    null)
                .withRetryDelays(delays)
                .withBreaker(100, Duration.ofMillis(300)),
            null);
    try {
      awaitFailure(spaced.send(HttpMethod.GET, "/x", null, null, null, Attempts.RETRY));
    } finally {
      spaced.close();
    }
    assertThat(times).hasSize(4);
    for (int i = 0; i < delays.size(); i++) {
      assertThat(Duration.ofNanos(times.get(i + 1) - times.get(i)))
          .as("the wait before retry %d", i + 1)
          .isGreaterThanOrEqualTo(delays.get(i).multipliedBy(3).dividedBy(4));
    }
  }

  @Test
  void aPostThatTimesOutIsNotSentAgain() {
    behaviour = request -> {}; // never answers
    UpstreamException failure =
        upstreamFailure(
            awaitFailure(
                client("http", server.actualPort(), null, 100, TIMEOUT)
                    .send(
                        HttpMethod.POST,
                        "/nodes/pve/qemu/100/status/start",
                        null,
                        null,
                        null,
                        Attempts.RETRY)));
    assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
    // Longer than every retry delay together: a retry would have come by now.
    org.awaitility.Awaitility.await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> requests.get() == 1);
  }

  @Test
  void theBreakerOpensFailsFastAndLetsAProbeThroughLater() throws Exception {
    behaviour = request -> request.response().setStatusCode(502).end();
    UpstreamHttp breaking = client("http", server.actualPort(), null, 3);
    for (int i = 0; i < 3; i++) {
      awaitFailure(breaking.send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE));
    }
    assertThat(breaking.breakerState()).isEqualTo("OPEN");
    requests.set(0);
    UpstreamException fast =
        upstreamFailure(
            awaitFailure(breaking.send(HttpMethod.GET, "/x", null, null, null, Attempts.RETRY)));
    assertThat(fast.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    assertThat(fast.getMessage()).contains("failing fast");
    assertThat(requests).as("nothing reaches the upstream while open").hasValue(0);

    behaviour = request -> request.response().end("{}");
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !breaking.breakerState().equals("OPEN"));
    assertThat(await(breaking.send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)).status())
        .isEqualTo(200);
    assertThat(breaking.breakerState()).isEqualTo("CLOSED");
  }

  @Test
  void aStreamedAnswerArrivesPausedAndAnErrorBeforeItIsMapped() {
    behaviour =
        request -> request.response().putHeader("Content-Type", "image/jpeg").end("JPEGDATA");
    HttpClientResponse response = await(client().open(HttpMethod.GET, "/snap", null, null, null));
    assertThat(response.getHeader("Content-Type")).isEqualTo("image/jpeg");
    io.vertx.core.Future<Buffer> body = response.body();
    response.resume(); // handed over paused, for the caller to pipe
    assertThat(await(body).toString()).isEqualTo("JPEGDATA");

    behaviour =
        request -> request.response().setStatusCode(404).setStatusMessage("No camera").end();
    UpstreamException upstream =
        upstreamFailure(awaitFailure(client().open(HttpMethod.GET, "/snap", null, null, null)));
    assertThat(upstream.upstreamStatus()).isEqualTo(404);
  }

  @Test
  void aStreamedBodyIsCutWhenItStallsWhileReadAndOnlyThen() {
    StallingUpstream upstream = StallingUpstream.start(vertx);
    http =
        new UpstreamHttp(
            vertx,
            UpstreamHttp.Settings.of(
                "test upstream", URI.create(upstream.baseUrl()), GENEROUS, null),
            null);
    UpstreamHttp.ReadIdle idle = new UpstreamHttp.ReadIdle(TIMEOUT, 1);

    // A byte every 50 ms for 0.6 s: longer than the window in all, never idle for one.
    upstream.answer(request -> upstream.dribble(request, "text/plain", Duration.ofMillis(50), 12));
    StreamedBody dribbled = await(http.stream(HttpMethod.GET, "/x", null, null, null, idle));
    assertThat(await(read(dribbled)).toString()).isEqualTo("x".repeat(12));

    // A reader that holds the body paused for three windows: that wait is not the upstream's.
    upstream.answer(request -> request.response().end("all of it"));
    StreamedBody held = await(http.stream(HttpMethod.GET, "/x", null, null, null, idle));
    io.vertx.core.Promise<Buffer> later = io.vertx.core.Promise.promise();
    vertx.setTimer(3 * TIMEOUT.toMillis(), id -> read(held).onComplete(later));
    assertThat(await(later.future()).toString()).isEqualTo("all of it");

    // Silent while read: cut after the window, with what came before passed on.
    upstream.answer(request -> StallingUpstream.silentAfter(request, "text/plain", "some"));
    StreamedBody silent = await(http.stream(HttpMethod.GET, "/x", null, null, null, idle));
    Buffer before = Buffer.buffer();
    long started = System.nanoTime();
    UpstreamException stalled = upstreamFailure(awaitFailure(read(silent, before)));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(stalled.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
    assertThat(stalled.getMessage()).isEqualTo("test upstream sent nothing for 400 ms");
    assertThat(millis).isGreaterThanOrEqualTo(TIMEOUT.toMillis());
    assertThat(before.toString()).isEqualTo("some");
    org.awaitility.Awaitility.await()
        .atMost(GENEROUS)
        .untilAsserted(() -> assertThat(upstream.closed()).isEqualTo(upstream.accepted()));
    upstream.close();
  }

  /** Reads a streamed body whole. */
  private static io.vertx.core.Future<Buffer> read(StreamedBody body) {
    return read(body, Buffer.buffer());
  }

  private static io.vertx.core.Future<Buffer> read(StreamedBody body, Buffer into) {
    io.vertx.core.Promise<Buffer> done = io.vertx.core.Promise.promise();
    body.handler(into::appendBuffer);
    body.exceptionHandler(done::tryFail);
    body.endHandler(v -> done.tryComplete(into));
    body.resume();
    return done.future();
  }

  @Test
  void openStreamsNeverKeepABufferedRequestWaiting() {
    behaviour =
        request -> {
          if (request.path().endsWith("/stream")) {
            // A log stream: the head, then silence, holding its connection.
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            request.response().write(": open\n\n");
          } else {
            request.response().end("{}");
          }
        };
    UpstreamHttp upstream = client();
    List<HttpClientResponse> open = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      open.add(await(upstream.open(HttpMethod.GET, "/stream", null, null, null)));
    }
    assertThat(await(upstream.send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)).status())
        .as("more streams than a pool holds, and still room for a request")
        .isEqualTo(200);
    open.forEach(response -> response.request().reset());
  }

  @Test
  void aClosedClientRefusesAtOnce() {
    behaviour = request -> request.response().end("{}");
    UpstreamHttp upstream = client();
    upstream.close();
    UpstreamException refused =
        upstreamFailure(
            awaitFailure(upstream.send(HttpMethod.GET, "/x", null, null, null, Attempts.RETRY)));
    assertThat(refused.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    assertThat(requests).hasValue(0);
    http = null;
  }

  @Test
  void aProbeReportsReachabilityLatencyAndTheBreaker() {
    behaviour = request -> request.response().setStatusCode(401).end();
    UpstreamStatus status = await(client().probe("/version", null));
    assertThat(status.reachable()).as("any answer counts as reachable").isTrue();
    assertThat(status.latencyMillis()).isGreaterThanOrEqualTo(0);
    assertThat(status.breaker()).isEqualTo("CLOSED");
    assertThat(status.error()).isNull();

    behaviour = request -> request.connection().close();
    UpstreamStatus down = await(client().probe("/version", null));
    assertThat(down.reachable()).isFalse();
    assertThat(down.latencyMillis()).isEqualTo(-1);
    assertThat(down.error()).startsWith("test upstream is unavailable").doesNotContain("127.0.0.1");
  }

  @Test
  void aProbeWaitsItsUpstreamsTimeoutAtMostProbeTimeout() {
    behaviour = request -> {}; // never answers
    // An upstream allowed minutes (the AI hub's chats) is still probed within PROBE_TIMEOUT.
    UpstreamStatus slow =
        await(
            client("http", server.actualPort(), null, 100, Duration.ofMinutes(5))
                .probe("/version", null));
    assertThat(slow.reachable()).isFalse();
    assertThat(slow.error()).isEqualTo("test upstream did not answer within 5 s");
    http.close();
    // A shorter timeout of its own is kept.
    UpstreamStatus quick =
        await(client("http", server.actualPort(), null, 100, TIMEOUT).probe("/version", null));
    assertThat(quick.error()).isEqualTo("test upstream did not answer within 400 ms");
  }

  @Test
  void tlsTrustsThePinnedCertificateOrTheGivenCaAndNothingElse() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    HttpServer tls =
        startServer(
            new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()));
    behaviour = request -> request.response().end("{}");
    String fingerprint = fingerprint(Path.of(certificate.certificatePath()));

    assertThat(
            await(
                    client("https", tls.actualPort(), UpstreamTls.pinned(fingerprint), 100)
                        .send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE))
                .status())
        .isEqualTo(200);
    http.close();

    String other = "00:" + fingerprint.substring(3);
    UpstreamException wrongPin =
        upstreamFailure(
            awaitFailure(
                client("https", tls.actualPort(), UpstreamTls.pinned(other), 100)
                    .send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)));
    assertThat(wrongPin.getMessage()).contains("TLS");
    http.close();

    UpstreamException untrusted =
        upstreamFailure(
            awaitFailure(
                client("https", tls.actualPort(), UpstreamTls.system(), 100)
                    .send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE)));
    assertThat(untrusted.kind()).isEqualTo(ErrorKind.UPSTREAM_UNAVAILABLE);
    http.close();

    assertThat(
            await(
                    client("https", tls.actualPort(), UpstreamTls.anyCertificate(), 100)
                        .send(HttpMethod.GET, "/x", null, null, null, Attempts.ONCE))
                .status())
        .isEqualTo(200);
  }

  @Test
  void aFingerprintIsCheckedAndNormalised() {
    String hex = "AB".repeat(32);
    assertThat(UpstreamTls.pinned(hex).pinnedSha256())
        .isEqualTo(("ab:".repeat(32)).substring(0, 95));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> UpstreamTls.pinned("ab:cd"))
        .hasMessageContaining("32 hex bytes");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new UpstreamTls(Path.of("/ca.pem"), null, true))
        .hasMessageContaining("choose one");
  }

  private static String fingerprint(Path pem) throws Exception {
    X509Certificate certificate;
    try (var in = Files.newInputStream(pem)) {
      certificate =
          (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    return HexFormat.ofDelimiter(":").formatHex(digest);
  }
}
