package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.server.http.RequestLog;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request framing at the HTTP level, over raw sockets: ambiguous bodies are refused and the
 * connection closed so that nothing smuggled behind them runs (RFC 9112 §6.1, §6.3), and the
 * refusals of the HTTP layer itself (414, 431, malformed chunks) use the standard error body and
 * headers.
 */
@Timeout(60)
class HttpFramingTest {

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

  /** A complete request that would create a setting, if it ever ran. */
  private static String smuggled(String key) {
    String body = "{\"value\":\"smuggled\"}";
    return "PUT /api/settings/"
        + key
        + " HTTP/1.1\r\nHost: lab\r\nAuthorization: Bearer "
        + lab.adminJwt
        + "\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  private static RawHttp.Received exchange(String bytes) throws Exception {
    try (RawHttp raw = new RawHttp(lab.server.port())) {
      return raw.send(bytes).read(3_000);
    }
  }

  /** The standard error body and headers, as a refusal below the router sends them too. */
  static void assertStandardError(RawHttp.Received received, int status, String code) {
    assertThat(received.statusLine()).startsWith("HTTP/1.1 " + status + " ");
    assertThat(received.header("Content-Type")).startsWith("application/json");
    assertThat(received.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(received.header("X-Frame-Options")).isEqualTo("DENY");
    JsonObject body = new JsonObject(received.body());
    assertThat(body.fieldNames())
        .containsExactlyInAnyOrder("detail", "error_code", "timestamp", "request_id");
    assertThat(body.getString("error_code")).isEqualTo(code);
    assertThat(body.getString("request_id"))
        .isNotBlank()
        .isEqualTo(received.header("X-Request-Id"));
  }

  private static void assertNeverRan(String key) {
    assertThat(awaitFailure(lab.client.settings().get(key)))
        .isInstanceOf(HomelabNotFoundException.class);
  }

  private void assertRefusedAndClosed(String framing, String key) throws Exception {
    RawHttp.Received received = exchange(framing + smuggled(key));
    assertStandardError(received, 400, "MALFORMED_REQUEST");
    assertThat(received.header("Connection")).isEqualTo("close");
    assertThat(received.closed()).as("connection closed after the refusal").isTrue();
    assertThat(received.responses()).as("only the refusal was answered").isEqualTo(1);
    assertNeverRan(key);
  }

  @Test
  void contentLengthWithChunkedIs400AndClosesTheConnection() throws Exception {
    String key = "smuggled-cl-te-" + UUID.randomUUID();
    assertRefusedAndClosed(
        "POST /api/auth/login HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n"
            + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        key);
  }

  @Test
  void anUnknownTransferCodingIs400AndClosesTheConnection() throws Exception {
    assertRefusedAndClosed(
        "POST /api/auth/login HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: xchunked\r\n\r\n",
        "smuggled-xchunked-" + UUID.randomUUID());
  }

  @Test
  void chunkedThatIsNotTheLastCodingIs400AndClosesTheConnection() throws Exception {
    assertRefusedAndClosed(
        "POST /api/auth/login HTTP/1.1\r\nHost: lab\r\n"
            + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        "smuggled-chunked-identity-" + UUID.randomUUID());
  }

  @Test
  void twoHostHeadersAre400() throws Exception {
    assertRefusedAndClosed(
        "GET /health HTTP/1.1\r\nHost: lab\r\nHost: other\r\n\r\n",
        "smuggled-hosts-" + UUID.randomUUID());
  }

  @Test
  void twoContentLengthsAre400AndCloseTheConnectionEqualOrNot() throws Exception {
    for (String lengths :
        new String[] {
          "Content-Length: 2\r\nContent-Length: 2",
          "Content-Length: 2\r\nContent-Length: 7",
          "Content-Length: 2, 2"
        }) {
      assertRefusedAndClosed(
          "POST /api/auth/login HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n"
              + lengths
              + "\r\n\r\n{}",
          "smuggled-two-lengths-" + UUID.randomUUID());
    }
    assertAFreshConnectionStillWorks();
  }

  @Test
  void aThousandHeadersAre431InTheStandardBody() throws Exception {
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      headers.append("X-Header-").append(i).append(": v\r\n");
    }
    RawHttp.Received received =
        exchange("GET /health HTTP/1.1\r\nHost: lab\r\n" + headers + "\r\n");
    assertStandardError(received, 431, "HEADER_FIELDS_TOO_LARGE");
    assertThat(received.closed()).isTrue();
    assertAFreshConnectionStillWorks();
  }

  @Test
  void aSixtyFourKilobyteHeaderIs431InTheStandardBody() throws Exception {
    RawHttp.Received received =
        exchange(
            "POST /api/auth/login HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n"
                + "X-Big: "
                + "b".repeat(64 * 1024)
                + "\r\nContent-Length: 2\r\n\r\n{}");
    assertStandardError(received, 431, "HEADER_FIELDS_TOO_LARGE");
    assertThat(received.closed()).isTrue();
    assertThat(received.responses()).isEqualTo(1);
    assertAFreshConnectionStillWorks();
  }

  private static void assertAFreshConnectionStillWorks() throws Exception {
    RawHttp.Received received =
        exchange("GET /health/live HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
    assertThat(received.statusLine()).isEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void aMalformedChunkSizeIs400WithoutAnErrorOrAnAccessLineClaiming200() throws Exception {
    String key = "chunky-" + UUID.randomUUID();
    RawHttp.Received received =
        exchange(
            "PUT /api/settings/"
                + key
                + " HTTP/1.1\r\nHost: lab\r\nAuthorization: Bearer "
                + lab.adminJwt
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "zz\r\n{\"value\":1}\r\n0\r\n\r\n");
    assertThat(received.closed()).isTrue();
    if (!received.text().isEmpty()) {
      assertStandardError(received, 400, "MALFORMED_REQUEST");
    }
    assertNeverRan(key);
    // The request's own access line comes from its end handler once Vert.x sees the close.
    assertThat(
            logs.awaitLine(
                RequestLog.LOGGER,
                line -> line.startsWith("PUT /api/settings/:key "),
                Duration.ofSeconds(10)))
        .hasValueSatisfying(line -> assertThat(line).startsWith("PUT /api/settings/:key - "));
    assertThat(logs.linesOf(RequestLog.LOGGER)).noneMatch(line -> line.contains(" 200 "));
  }

  @Test
  void aTooLongRequestLineIs414InTheStandardBody() throws Exception {
    RawHttp.Received received =
        exchange("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: lab\r\n\r\n");
    assertStandardError(received, 414, "URI_TOO_LONG");
    assertThat(received.closed()).isTrue();
  }

  @Test
  void tooLargeHeadersAre431InTheStandardBody() throws Exception {
    RawHttp.Received received =
        exchange("GET /health HTTP/1.1\r\nHost: lab\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n");
    assertStandardError(received, 431, "HEADER_FIELDS_TOO_LARGE");
    assertThat(received.closed()).isTrue();
  }

  @Test
  void aRequestLineThatIsNotHttpIs400InTheStandardBody() throws Exception {
    RawHttp.Received received = exchange("GARBAGE\r\n\r\n");
    assertStandardError(received, 400, "MALFORMED_REQUEST");
  }

  @Test
  void wellFramedPipelinedRequestsStillWork() throws Exception {
    RawHttp.Received received =
        exchange(
            "GET /health/live HTTP/1.1\r\nHost: lab\r\n\r\n"
                + "POST /api/auth/login HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
                + "GET /health/live HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n");
    assertThat(received.responses()).isEqualTo(3);
    assertThat(received.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    assertThat(received.text()).contains("HTTP/1.1 422 ");
  }

  @Test
  void aTargetWithABrokenEscapeOrAControlCharacterIs400NotAnError() throws Exception {
    for (String target :
        new String[] {"/%zz", "/api/devices/%", "/api/devices/%4", "/he\u0001alth"}) {
      RawHttp.Received received = exchange("GET " + target + " HTTP/1.1\r\nHost: lab\r\n\r\n");
      assertStandardError(received, 400, "MALFORMED_REQUEST");
    }
  }

  @Test
  void anotherHttpVersionIs505InTheStandardBody() throws Exception {
    assertStandardError(
        exchange("GET /health HTTP/2.0\r\nHost: lab\r\n\r\n"), 505, "HTTP_VERSION_NOT_SUPPORTED");
  }

  @Test
  void requestsTheRouterRefusesBeforeAnyHandlerStillGetAnIdAndTheHeaders() throws Exception {
    assertStandardError(exchange("OPTIONS * HTTP/1.1\r\nHost: lab\r\n\r\n"), 404, "NOT_FOUND");
    assertStandardError(
        exchange("GET /health HTTP/1.1\r\nHost: lab\r\n Folded: y\r\n\r\n"), 400, "BAD_REQUEST");
  }

  @Test
  void aRefusalPipelinedBehindARequestWaitsForItsAnswer() throws Exception {
    String key = "smuggled-pipelined-" + UUID.randomUUID();
    RawHttp.Received received =
        exchange(
            "GET /health/live HTTP/1.1\r\nHost: lab\r\n\r\n"
                + "POST /api/auth/login HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: xchunked\r\n\r\n"
                + smuggled(key));
    assertThat(received.statusLine()).isEqualTo("HTTP/1.1 200 OK");
    assertThat(received.responses()).isEqualTo(2);
    assertThat(received.text()).contains("HTTP/1.1 400 ").contains("MALFORMED_REQUEST");
    assertThat(received.closed()).isTrue();
    assertNeverRan(key);
  }
}
