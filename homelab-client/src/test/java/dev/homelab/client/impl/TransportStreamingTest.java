package dev.homelab.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabValidationException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport's streamed bodies against a small real HTTP server started here: a stand-in for the
 * upload, snapshot and download endpoints to come, not a mock of the client. Bodies are megabytes
 * of a known pattern, generated and checked chunk by chunk, so that neither side ever holds one
 * whole.
 */
class TransportStreamingTest {

  private volatile boolean refusedConnectionClosed;

  private static final String TOKEN = "stream-token";
  private static final int MIB = 1024 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The byte at an offset of every body here. */
  static byte patternAt(long offset) {
    return (byte) (offset * 31 + (offset >>> 11));
  }

  static Buffer pattern(long from, int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = patternAt(from + i);
    }
    return Buffer.buffer(bytes);
  }

  @TempDir Path dir;
  private Vertx vertx;
  private HttpServer server;
  private Transport transport;

  /** Every request the server saw: "METHOD path Authorization X-Hooked". */
  private final List<String> seen = new CopyOnWriteArrayList<>();

  /** Every answer the response hook saw: "status body-length or none". */
  private final List<String> hooked = new CopyOnWriteArrayList<>();

  /** Uploads that the server holds unread until the test resumes them. */
  private final List<HttpServerRequest> held = new CopyOnWriteArrayList<>();

  private volatile boolean holdUploads;

  /** How many bytes the server has handed to its connection for the last download. */
  private volatile long served;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server =
        vertx
            .createHttpServer(new HttpServerOptions().setReceiveBufferSize(64 * 1024))
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    transport = newTransport(30_000);
  }

  @AfterEach
  void stop() throws Exception {
    transport.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private Transport newTransport(long timeoutMs) {
    return new Transport(
        vertx,
        new HomelabClientOptions()
            .setBaseUrl("http://127.0.0.1:" + server.actualPort() + "/base")
            .setToken(TOKEN)
            .setTimeoutMs(timeoutMs)
            .setRequestHook(request -> request.putHeader("X-Hooked", "yes"))
            .setResponseHook(
                (request, response) ->
                    hooked.add(
                        response.statusCode()
                            + " "
                            + (response.body() == null ? "none" : response.body().length()))));
  }

  // --- the server

  private void handle(HttpServerRequest request) {
    seen.add(
        request.method()
            + " "
            + request.path()
            + " "
            + request.getHeader("Authorization")
            + " "
            + request.getHeader("X-Hooked"));
    switch (request.path()) {
      case "/base/upload" -> receive(request);
      case "/base/refuse" -> {
        request.connection().closeHandler(closed -> refusedConnectionClosed = true);
        error(request.response(), 422, "VALIDATION_FAILED", "size");
      }
      case "/base/blob" -> blob(request);
      case "/base/silent" -> request.end(); // reads the body, never answers
      default -> error(request.response(), 404, "FILE_NOT_FOUND", null);
    }
  }

  /** Reads the body, checking each byte against the pattern, and answers what it counted. */
  private void receive(HttpServerRequest request) {
    long[] received = {0};
    long[] mismatches = {0};
    request.handler(
        chunk -> {
          for (int i = 0; i < chunk.length(); i++) {
            if (chunk.getByte(i) != patternAt(received[0] + i)) {
              mismatches[0]++;
            }
          }
          received[0] += chunk.length();
        });
    request.endHandler(
        end ->
            request
                .response()
                .setStatusCode(201)
                .putHeader("Content-Type", "application/json")
                .end(
                    new JsonObject()
                        .put("bytes", received[0])
                        .put("mismatches", mismatches[0])
                        .put("content_length", request.getHeader("Content-Length"))
                        .put("chunked", "chunked".equals(request.getHeader("Transfer-Encoding")))
                        .put("content_type", request.getHeader("Content-Type"))
                        .encode()));
    if (holdUploads) {
      request.pause();
      held.add(request);
    }
  }

  /**
   * {@code GET /blob?size=n}: n bytes of the pattern, written only as fast as the connection takes
   * them; {@code Range: bytes=a-b} answers 206; {@code cut=n} drops the connection after n bytes.
   */
  private void blob(HttpServerRequest request) {
    long size = Long.parseLong(request.getParam("size"));
    long cut = request.getParam("cut") == null ? -1 : Long.parseLong(request.getParam("cut"));
    long first = 0;
    long last = size - 1;
    HttpServerResponse response = request.response();
    String range = request.getHeader("Range");
    if (range != null) {
      String[] bounds = range.substring("bytes=".length()).split("-", -1);
      first = Long.parseLong(bounds[0]);
      last = bounds[1].isEmpty() ? size - 1 : Math.min(Long.parseLong(bounds[1]), size - 1);
      response
          .setStatusCode(206)
          .putHeader("Content-Range", "bytes " + first + "-" + last + "/" + size);
    }
    response
        .putHeader("Content-Type", "application/octet-stream")
        .putHeader("Content-Length", Long.toString(last - first + 1));
    served = 0;
    write(response, first, last + 1, cut);
  }

  private void write(HttpServerResponse response, long from, long to, long cut) {
    long offset = from;
    while (offset < to && !response.writeQueueFull()) {
      if (cut >= 0 && offset - from >= cut) {
        response.reset();
        return;
      }
      int length = (int) Math.min(64 * 1024, to - offset);
      response.write(pattern(offset, length));
      offset += length;
      served += length;
    }
    if (offset == to) {
      response.end();
      return;
    }
    long next = offset;
    response.drainHandler(drained -> write(response, next, to, cut));
  }

  private static void error(HttpServerResponse response, int status, String code, String field) {
    JsonObject body =
        new JsonObject()
            .put("detail", code.toLowerCase())
            .put("error_code", code)
            .put("timestamp", "2026-01-01T00:00:00Z");
    if (field != null) {
      body.put("field", field);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  // --- uploads

  @Test
  void aLargeBodyIsStreamedWithItsLengthAndArrivesWhole() throws Exception {
    Generated body = new Generated(vertx.getOrCreateContext(), 24L * MIB);

    JsonObject answer =
        result(
                upload(
                    transport,
                    HttpMethod.PUT,
                    "/upload",
                    body,
                    body.total,
                    "application/octet-stream"))
            .bodyAsJsonObject();

    assertThat(answer.getLong("bytes")).isEqualTo(24L * MIB);
    assertThat(answer.getLong("mismatches")).isZero();
    assertThat(answer.getString("content_length")).isEqualTo(Long.toString(24L * MIB));
    assertThat(answer.getBoolean("chunked")).isFalse();
    assertThat(answer.getString("content_type")).isEqualTo("application/octet-stream");
    assertThat(seen).containsExactly("PUT /base/upload Bearer " + TOKEN + " yes");
    assertThat(hooked).containsExactly("201 " + answer.encode().length());
  }

  @Test
  void aBodyOfUnknownLengthIsSentChunked() throws Exception {
    Generated body = new Generated(vertx.getOrCreateContext(), 3L * MIB + 17);

    JsonObject answer =
        result(upload(transport, HttpMethod.POST, "/upload", body, -1, null)).bodyAsJsonObject();

    assertThat(answer.getLong("bytes")).isEqualTo(3L * MIB + 17);
    assertThat(answer.getLong("mismatches")).isZero();
    assertThat(answer.getBoolean("chunked")).isTrue();
    assertThat(answer.getString("content_length")).isNull();
  }

  @Test
  void anUploadReadsItsBodyNoFasterThanTheServerTakesIt() throws Exception {
    holdUploads = true;
    Generated body = new Generated(vertx.getOrCreateContext(), 64L * MIB);

    Future<HttpResponse<Buffer>> answer =
        upload(transport, HttpMethod.PUT, "/upload", body, body.total, null);

    // The server reads nothing: once the connection's buffers are full, the body stops being read.
    await().atMost(WAIT).until(() -> held.size() == 1);
    assertThat(awaitStalled(() -> body.produced, body::isPaused))
        .as("bytes read while the server held the upload")
        .isLessThan(32L * MIB);

    held.get(0).resume();
    JsonObject counted = result(answer).bodyAsJsonObject();
    assertThat(counted.getLong("bytes")).isEqualTo(64L * MIB);
    assertThat(counted.getLong("mismatches")).isZero();
  }

  @Test
  void anUploadThatKeepsMovingMayTakeLongerThanTheTimeout() throws Exception {
    Transport quick = newTransport(1_000);
    try {
      Generated body = new Generated(vertx.getOrCreateContext(), 30 * 64 * 1024L);
      body.trickleMs = 100; // about 3 s in all, never 1 s without a chunk

      JsonObject answer =
          result(upload(quick, HttpMethod.PUT, "/upload", body, body.total, null))
              .bodyAsJsonObject();

      assertThat(answer.getLong("bytes")).isEqualTo(body.total);
    } finally {
      quick.close();
    }
  }

  @Test
  void aTransferOnWhichNothingMovesForTheTimeoutFails() throws Exception {
    Transport quick = newTransport(500);
    try {
      Generated body = new Generated(vertx.getOrCreateContext(), 1024);

      Throwable failure = failure(upload(quick, HttpMethod.PUT, "/silent", body, 1024, null));

      assertThat(failure).isInstanceOf(HomelabConnectionException.class);
      assertThat(failure.getMessage()).startsWith("PUT /silent to http://127.0.0.1:");
    } finally {
      quick.close();
    }
  }

  @Test
  void anUploadRefusedWithAnErrorFailsWithTheTypedException() throws Exception {
    Generated body = new Generated(vertx.getOrCreateContext(), 8L * MIB);
    body.trickleMs = 20; // still sending when the refusal comes

    Throwable failure =
        failure(upload(transport, HttpMethod.POST, "/refuse", body, body.total, null));

    assertThat(failure).isInstanceOf(HomelabValidationException.class);
    HomelabValidationException invalid = (HomelabValidationException) failure;
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.errorCode()).isEqualTo("VALIDATION_FAILED");
    assertThat(invalid.field()).isEqualTo("size");
    assertThat(hooked).hasSize(1).allMatch(line -> line.startsWith("422 "));
    // The rest of the body is not streamed on after the failure: the request is reset.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> refusedConnectionClosed);
    assertThat(body.produced).isLessThan(body.total);
  }

  @Test
  void aFailingBodyResetsTheRequestInsteadOfEndingItShort() throws Exception {
    Generated body = new Generated(vertx.getOrCreateContext(), 8L * MIB);
    body.failAt = 2L * MIB;

    Throwable failure = failure(upload(transport, HttpMethod.PUT, "/upload", body, -1, null));

    // Chunked, an ended request would look whole to the server: it must never answer 201.
    assertThat(failure).isInstanceOf(HomelabConnectionException.class);
    assertThat(hooked).isEmpty();
  }

  // --- downloads

  @Test
  void aDownloadIsWrittenToAFile() throws Exception {
    long size = 20L * MIB + 5;
    Path file = dir.resolve("blob.bin");
    AsyncFile out =
        vertx
            .fileSystem()
            .open(file.toString(), new OpenOptions().setWrite(true).setCreate(true))
            .await(10, TimeUnit.SECONDS);

    Download head =
        result(
            transport.download(
                HttpMethod.GET, "/blob", Map.of("size", Long.toString(size)), null, out, 200));

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.contentLength()).isEqualTo(size);
    assertThat(head.contentRange()).isNull();
    assertThat(head.body()).isNull();
    assertThat(Files.size(file)).isEqualTo(size);
    assertThat(Files.readAllBytes(file)).isEqualTo(pattern(0, (int) size).getBytes());
    assertThat(seen).containsExactly("GET /base/blob Bearer " + TOKEN + " yes");
    assertThat(hooked).containsExactly("200 none");
  }

  @Test
  void aRangedDownloadAnswers206WithItsContentRange() throws Exception {
    long size = 5L * MIB;
    Sink sink = new Sink();

    Download part =
        result(
            transport.download(
                HttpMethod.GET,
                "/blob",
                Map.of("size", Long.toString(size)),
                new ByteRange(MIB, 2L * MIB - 1),
                sink,
                200,
                206));

    assertThat(part.status()).isEqualTo(206);
    assertThat(part.contentRange()).isEqualTo(new Download.ContentRange(MIB, 2L * MIB - 1, size));
    assertThat(part.contentLength()).isEqualTo(MIB);
    assertThat(sink.received()).isEqualTo(pattern(MIB, MIB));
    assertThat(sink.ended).isTrue();

    Sink tail = new Sink();
    Download end =
        result(
            transport.download(
                HttpMethod.GET,
                "/blob",
                Map.of("size", Long.toString(size)),
                ByteRange.from(size - 10),
                tail,
                206));
    assertThat(end.contentRange()).isEqualTo(new Download.ContentRange(size - 10, size - 1, size));
    assertThat(tail.received()).isEqualTo(pattern(size - 10, 10));
  }

  @Test
  void aDownloadIsReadNoFasterThanItsReaderTakesIt() throws Exception {
    long size = 64L * MIB;
    Download opened =
        result(
            transport.open(
                HttpMethod.GET, "/blob", Map.of("size", Long.toString(size)), null, 200));

    // Nobody reads the body yet: the server can only write as much as the buffers between hold.
    assertThat(awaitStalled(() -> served, () -> true))
        .as("bytes written while nobody read")
        .isLessThan(32L * MIB);

    Sink sink = new Sink();
    sink.check = true;
    result(opened.body().pipeTo(sink));
    assertThat(sink.length).isEqualTo(size);
    assertThat(sink.mismatches).isZero();
  }

  @Test
  void aDownloadRefusedWithAnErrorFailsTypedAndEndsItsStream() throws Exception {
    Sink sink = new Sink();

    Throwable failure =
        failure(transport.download(HttpMethod.GET, "/missing", Map.of(), null, sink, 200));

    assertThat(failure).isInstanceOf(HomelabNotFoundException.class);
    assertThat(((HomelabNotFoundException) failure).errorCode()).isEqualTo("FILE_NOT_FOUND");
    assertThat(sink.length).isZero();
    assertThat(sink.ended).isTrue();
    assertThat(hooked).hasSize(1).allMatch(line -> line.startsWith("404 "));
  }

  @Test
  void aDownloadCutShortFailsAsAConnectionFailure() throws Exception {
    Sink sink = new Sink();

    Throwable failure =
        failure(
            transport.download(
                HttpMethod.GET,
                "/blob",
                Map.of("size", Long.toString(8L * MIB), "cut", Long.toString(MIB)),
                null,
                sink,
                200));

    assertThat(failure).isInstanceOf(HomelabConnectionException.class);
    assertThat(sink.length).isLessThan(8L * MIB);
    assertThat(sink.ended).isTrue();
  }

  // --- helpers

  /** Uploads a generated body to the test server, expecting 201. */
  private static Future<HttpResponse<Buffer>> upload(
      Transport transport,
      HttpMethod method,
      String path,
      Generated body,
      long length,
      String contentType) {
    return transport.upload(method, path, Map.of(), new UploadBody(body, length, contentType), 201);
  }

  private static <T> T result(Future<T> call) throws Exception {
    return call.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Waits until a count stops moving: the same on two polls 100 ms apart, with {@code stalled}
   * true.
   *
   * @return the count then
   */
  private static long awaitStalled(LongSupplier count, BooleanSupplier stalled) {
    long[] last = {-1};
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long now = count.getAsLong();
              boolean still = now == last[0] && stalled.getAsBoolean();
              last[0] = now;
              return still;
            });
    return last[0];
  }

  /** Waits for a call that must fail, and returns why. */
  private static Throwable failure(Future<?> call) throws Exception {
    Throwable cause = result(call.transform(Future::succeededFuture)).cause();
    assertThat(cause).as("the call's failure").isNotNull();
    return cause;
  }

  // --- test streams

  /**
   * A body of the pattern, made a chunk at a time only while its reader has demand, on one context;
   * it can trickle (a chunk per timer tick) or fail part way.
   */
  static final class Generated implements ReadStream<Buffer> {

    final Context context;
    final long total;
    volatile long produced;
    long trickleMs;
    long failAt = -1;
    private volatile long demand = Long.MAX_VALUE;
    private Handler<Buffer> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private boolean scheduled;
    private boolean done;

    Generated(Context context, long total) {
      this.context = context;
      this.total = total;
    }

    boolean isPaused() {
      return demand == 0;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      schedule();
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      demand = 0;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      long current = demand;
      demand = current > Long.MAX_VALUE - amount ? Long.MAX_VALUE : current + amount;
      schedule();
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      this.endHandler = handler;
      return this;
    }

    private void schedule() {
      if (scheduled || done) {
        return;
      }
      scheduled = true;
      if (trickleMs > 0) {
        context.owner().setTimer(trickleMs, tick -> context.runOnContext(v -> emit()));
      } else {
        context.runOnContext(v -> emit());
      }
    }

    private void emit() {
      scheduled = false;
      int burst = trickleMs > 0 ? 1 : 16;
      while (!done && handler != null && demand > 0 && produced < total && burst-- > 0) {
        if (failAt >= 0 && produced >= failAt) {
          done = true;
          if (exceptionHandler != null) {
            exceptionHandler.handle(new IllegalStateException("the source broke"));
          }
          return;
        }
        int length = (int) Math.min(64 * 1024, total - produced);
        Buffer chunk = pattern(produced, length);
        produced += length;
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        handler.handle(chunk);
      }
      if (!done && produced == total) {
        done = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      if (demand > 0 && handler != null) {
        schedule();
      }
    }
  }

  /** A write stream that keeps (or only checks) what it is given. */
  static final class Sink implements WriteStream<Buffer> {

    private final Buffer kept = Buffer.buffer();
    volatile long length;
    volatile long mismatches;
    volatile boolean ended;
    boolean check;

    Buffer received() {
      return kept;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      if (check) {
        for (int i = 0; i < data.length(); i++) {
          if (data.getByte(i) != patternAt(length + i)) {
            mismatches++;
          }
        }
      } else {
        kept.appendBuffer(data);
      }
      length += data.length();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      ended = true;
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
