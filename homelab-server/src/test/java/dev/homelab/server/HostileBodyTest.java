package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard.BlocksOnPurpose;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile request bodies (reliability rows B4, B5, B10): bodies far over {@code MAX_BODY_SIZE},
 * declared or chunked, form bombs, and JSON built to exhaust a parser. Each is refused with a 4xx
 * in the standard error body, promptly, without storing anything, leaving temporary files behind,
 * or holding the body in the heap. The bodies are streamed from generators, never held whole here.
 */
@Timeout(60)
class HostileBodyTest {

  /** {@code MAX_BODY_SIZE}'s default, 1 MiB. */
  private static final int LIMIT = 1 << 20;

  /** How much the server's heap may grow while it takes a body many times that size. */
  private static final long HEAP_GROWTH_BOUND = 20L << 20;

  private static final String BOUNDARY = "----homelab-hostile-boundary";

  @TempDir static Path dir;
  static ServerTesting lab;

  @RegisterExtension final LogCapture logs = new LogCapture();

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  // --- B4: oversized bodies ---

  @Test
  void aContentLengthFarOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
    String key = "declared-" + UUID.randomUUID();
    // A gigabyte announced and a few bytes sent, or none with Expect: 100-continue (no 100 may
    // come first): the answer cannot have waited for the body.
    for (String start :
        List.of(
            jsonHead("PUT", "/api/settings/" + key, "Content-Length: 1000000000") + "{\"v",
            head(
                "PUT",
                "/api/settings/" + key,
                "Content-Type: application/json",
                "Content-Length: 1000000000",
                "Expect: 100-continue"))) {
      try (RawHttp raw = new RawHttp(lab.server.port())) {
        RawHttp.Received received = raw.send(start).readResponse(10_000);
        HttpFramingTest.assertStandardError(received, 413, "BODY_TOO_LARGE");
        assertThat(received.header("Connection")).isEqualTo("close");
        assertThat(raw.isClosedByServer(10_000))
            .as("the server ends the connection instead of waiting for the gigabyte")
            .isTrue();
      }
    }
    assertNotStored(key);
  }

  @Test
  void aChunkedBodyOverTheLimitIs413AndChangesNothing() throws Exception {
    String key = "chunked-" + UUID.randomUUID();
    Streamed streamed =
        stream(
            jsonHead("PUT", "/api/settings/" + key, "Transfer-Encoding: chunked"),
            jsonArrayValue(4L * LIMIT),
            -1,
            null);
    HttpFramingTest.assertStandardError(streamed.received(), 413, "BODY_TOO_LARGE");
    assertNotStored(key);
  }

  @Test
  @BlocksOnPurpose // the full collections of heapAfterGc stop the event loop too
  void aFiftyMegabyteJsonBodyDoesNotGrowTheHeap() throws Exception {
    String key = "fifty-" + UUID.randomUUID();
    long before = heapAfterGc();
    long[] during = {0};
    Streamed streamed =
        stream(
            jsonHead("PUT", "/api/settings/" + key, "Transfer-Encoding: chunked"),
            jsonArrayValue(50L << 20),
            -1,
            () -> during[0] = heapAfterGc());
    HttpFramingTest.assertStandardError(streamed.received(), 413, "BODY_TOO_LARGE");
    assertThat(during[0] - before)
        .as("heap growth with %d bytes of the body sent and the request open", streamed.sent())
        .isLessThan(HEAP_GROWTH_BOUND);
    assertNotStored(key);
  }

  // --- B5: form bombs ---

  @Test
  void tenThousandTinyFormFieldsAreRefusedAndStoreNothing() throws Exception {
    StringBuilder fields = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      fields.append(formField("tags", "t" + i));
    }
    byte[] body =
        (filePart("bomb.txt", "hello") + fields + "--" + BOUNDARY + "--\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    assertFormRefused(() -> new ByteArrayInputStream(body), body.length, false);
  }

  @Test
  @BlocksOnPurpose // the full collections of heapAfterGc stop the event loop too
  void aTenMegabyteTextFieldIsRefusedAndStoresNothing() throws Exception {
    long size = 10L << 20;
    byte[] head =
        (filePart("big-field.txt", "hello")
                + "--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    assertFormRefused(
        () ->
            new SequenceInputStream(
                Collections.enumeration(
                    List.of(
                        new ByteArrayInputStream(head),
                        new Repeating("a".getBytes(StandardCharsets.US_ASCII), size),
                        new ByteArrayInputStream(tail)))),
        head.length + size + tail.length,
        true);
  }

  /**
   * Sends a form to the upload route and to a JSON route: 4xx, nothing kept, and with {@code
   * heapFlat} no growth of the heap while the upload is open.
   */
  private void assertFormRefused(Supplier<InputStream> form, long length, boolean heapFlat)
      throws Exception {
    int filesBefore = filesOfAdmin();
    long before = heapFlat ? heapAfterGc() : 0;
    long[] during = {0};
    Streamed upload =
        stream(
            head(
                "POST",
                "/api/files/upload",
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
                "Content-Length: " + length),
            form.get(),
            length,
            heapFlat ? () -> during[0] = heapAfterGc() : null);
    HttpFramingTest.assertStandardError(upload.received(), 413, "FORM_TOO_LARGE");
    if (heapFlat) {
      assertThat(during[0] - before).as("heap growth").isLessThan(HEAP_GROWTH_BOUND);
    }
    assertThat(filesOfAdmin()).isEqualTo(filesBefore);
    // The answer does not wait for the staged part's removal; it follows within moments.
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              try (Stream<Path> temps = Files.list(dir.resolve("files/tmp"))) {
                assertThat(temps).as("temporary files").isEmpty();
              }
            });

    String key = "form-" + UUID.randomUUID();
    Streamed json =
        stream(
            head(
                "PUT",
                "/api/settings/" + key,
                "Content-Type: multipart/form-data; boundary=" + BOUNDARY,
                "Content-Length: " + length),
            form.get(),
            length,
            null);
    HttpFramingTest.assertStandardError(json.received(), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertNotStored(key);
  }

  private static int filesOfAdmin() {
    return await(lab.webAdmin.get("/api/files?limit=200").send())
        .bodyAsJsonObject()
        .getJsonArray("files")
        .size();
  }

  private static String formField(String name, String value) {
    return "--"
        + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\""
        + name
        + "\"\r\n\r\n"
        + value
        + "\r\n";
  }

  private static String filePart(String filename, String content) {
    return "--"
        + BOUNDARY
        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
        + filename
        + "\"\r\nContent-Type: text/plain\r\n\r\n"
        + content
        + "\r\n";
  }

  // --- B10: JSON abuse ---

  private static HttpResponse<Buffer> putSetting(String key, String body) {
    return await(
        lab.webAdmin
            .put("/api/settings/" + key)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(body)));
  }

  private static HttpResponse<Buffer> login(String body) {
    return await(
        lab.web
            .post("/api/auth/login")
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer(body)));
  }

  @Test
  @Timeout(20)
  void tenThousandDeepNestingIs400() {
    int depth = 10_000;
    String arrays = "[".repeat(depth) + "]".repeat(depth);
    String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    for (String value : List.of(arrays, objects)) {
      String key = "deep-" + UUID.randomUUID();
      HttpContractTest.assertStandardError(
          putSetting(key, "{\"value\":" + value + "}"), 400, "MALFORMED_JSON");
      HttpContractTest.assertStandardError(putSetting(key, value), 400, "MALFORMED_JSON");
      HttpContractTest.assertStandardError(
          login("{\"token\":" + value + "}"), 400, "MALFORMED_JSON");
      assertNotStored(key);
    }
  }

  @Test
  @Timeout(20)
  void nanAndInfinityAre400() {
    for (String literal : List.of("NaN", "Infinity", "-Infinity", "+Infinity", "\"NaN\"x")) {
      String key = "nan-" + UUID.randomUUID();
      HttpContractTest.assertStandardError(
          putSetting(key, "{\"value\":" + literal + "}"), 400, "MALFORMED_JSON");
      assertNotStored(key);
    }
  }

  @Test
  @Timeout(20)
  void aHugeArrayIsRefusedPromptly() {
    // Half a million zeros, just under the limit, where any JSON value is taken: parsing stops at
    // the token cap instead of building and walking them all on the event loop.
    String zeros = "[" + "0,".repeat(499_990) + "0]";
    String key = "zeros-" + UUID.randomUUID();
    String underTheLimit = "{\"value\":" + zeros + "}";
    assertThat(underTheLimit.length()).isLessThan(LIMIT);
    HttpResponse<Buffer> refused = putSetting(key, underTheLimit);
    HttpContractTest.assertStandardError(refused, 400, "MALFORMED_JSON");
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("100000 JSON tokens");
    HttpContractTest.assertStandardError(login("{\"token\":" + zeros + "}"), 400, "MALFORMED_JSON");
    assertNotStored(key);
    // A million zeros, over the limit: refused before parsing.
    HttpContractTest.assertStandardError(
        putSetting(key, "{\"value\":[" + "0,".repeat(999_999) + "0]}"), 413, "BODY_TOO_LARGE");
    assertNotStored(key);
  }

  // --- helpers ---

  private static String head(String method, String path, String... headers) {
    StringBuilder head =
        new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: lab\r\nAuthorization: Bearer ");
    head.append(lab.adminJwt).append("\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  private static String jsonHead(String method, String path, String framing) {
    return head(method, path, "Content-Type: application/json", framing);
  }

  /** {@code {"value":[0,0,...]}} of about {@code size} bytes, generated as it is read. */
  private static InputStream jsonArrayValue(long size) {
    byte[] open = "{\"value\":[".getBytes(StandardCharsets.US_ASCII);
    byte[] close = "0]}".getBytes(StandardCharsets.US_ASCII);
    return new SequenceInputStream(
        Collections.enumeration(
            List.of(
                new ByteArrayInputStream(open),
                new Repeating("0,".getBytes(StandardCharsets.US_ASCII), size),
                new ByteArrayInputStream(close))));
  }

  private static void assertNotStored(String key) {
    assertThat(await(lab.webAdmin.get("/api/settings/" + key).send()).statusCode()).isEqualTo(404);
  }

  /**
   * The server's (this JVM's) heap in use after a full collection. The collection stops every
   * thread, so a test that calls it is {@link BlocksOnPurpose}: on a busy machine the pause is
   * longer than the blocked-thread checker allows an event loop.
   */
  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** What a streamed request got back, and how many body bytes went out. */
  private record Streamed(RawHttp.Received received, long sent) {}

  /**
   * Sends a head and then a body read from {@code body} on a thread of its own, while this thread
   * reads the answer. The body goes out until it ends or the server stops taking it (closes). With
   * {@code whileOpen}, the sender holds back the body's end (the final chunk, or the last byte) and
   * runs it first, so that it sees the server in the middle of the request.
   *
   * @param length the body's length, sent as {@code Content-Length}; -1 to send it chunked
   */
  private static Streamed stream(String head, InputStream body, long length, Runnable whileOpen)
      throws Exception {
    AtomicLong sent = new AtomicLong();
    boolean chunked = length < 0;
    long heldBack = chunked ? Long.MAX_VALUE : length - 1;
    try (RawHttp raw = new RawHttp(lab.server.port())) {
      OutputStream out = raw.output();
      CompletableFuture<Void> sender =
          CompletableFuture.runAsync(
              () -> {
                try {
                  out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                  byte[] buffer = new byte[64 * 1024];
                  for (int n = body.read(buffer, 0, (int) Math.min(buffer.length, heldBack));
                      n > 0;
                      n =
                          body.read(
                              buffer, 0, (int) Math.min(buffer.length, heldBack - sent.get()))) {
                    if (chunked) {
                      out.write(ascii(Integer.toHexString(n) + "\r\n"));
                      out.write(buffer, 0, n);
                      out.write(ascii("\r\n"));
                    } else {
                      out.write(buffer, 0, n);
                    }
                    sent.addAndGet(n);
                  }
                  if (whileOpen != null) {
                    whileOpen.run();
                  }
                  out.write(chunked ? ascii("0\r\n\r\n") : body.readAllBytes());
                  out.flush();
                } catch (IOException closedByServer) {
                  // The server stopped taking the body: what it answered is what counts.
                  if (whileOpen != null) {
                    whileOpen.run();
                  }
                }
              });
      RawHttp.Received received = raw.readResponse(20_000);
      // Bounded: a sender stuck on a server that neither reads nor closes fails the test here.
      sender.get(20, TimeUnit.SECONDS);
      return new Streamed(received, sent.get());
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** An input stream of {@code length} bytes repeating a pattern, generated as it is read. */
  private static final class Repeating extends InputStream {
    private final byte[] pattern;
    private final long length;
    private long position;

    Repeating(byte[] pattern, long length) {
      this.pattern = pattern;
      this.length = length;
    }

    @Override
    public int read() {
      return position < length ? pattern[(int) (position++ % pattern.length)] : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = pattern[(int) (position++ % pattern.length)];
      }
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, length - position);
    }
  }
}
