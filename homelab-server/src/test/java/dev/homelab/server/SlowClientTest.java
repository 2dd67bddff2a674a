package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow and greedy clients: a request head must arrive within {@code REQUEST_HEADER_TIMEOUT_SECONDS}
 * of its first byte however it trickles in, idle keep-alive connections and open event streams are
 * not cut by that deadline, and one address holds at most {@code MAX_CONNECTIONS_PER_CLIENT}.
 */
@Timeout(60)
class SlowClientTest {

  private static final int CAP = 6;

  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "REQUEST_HEADER_TIMEOUT_SECONDS", "2",
                "MAX_CONNECTIONS_PER_CLIENT", String.valueOf(CAP),
                "EVENTS_PING_SECONDS", "1"));
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  /** Waits, bounded, for a head that never completes to be answered 408 and closed. */
  private static RawHttp.Received stalledHeadIsRefused() throws Exception {
    try (RawHttp raw = new RawHttp(lab.server.port())) {
      raw.send("GET /health HTTP/1.1\r\nHost: lab\r\n");
      return raw.read(10_000);
    }
  }

  @Test
  void aHeadTricklingInIsAnswered408AndClosed() throws Exception {
    try (RawHttp raw = new RawHttp(lab.server.port())) {
      raw.send("GET /health HTTP/1.1\r\nHost: lab\r\nX-Slow: ");
      RawHttp.Received received = null;
      // One byte every 200 ms, as a slowloris client sends them: each byte keeps the connection
      // from being idle, but not the head from being late. Bounded to 10 s.
      for (int i = 0; i < 50; i++) {
        try {
          raw.send("a");
        } catch (java.io.IOException closed) {
          break;
        }
        received = raw.read(200);
        if (received.closed() || !received.text().isEmpty()) {
          break;
        }
      }
      assertThat(received).isNotNull();
      if (!received.closed()) {
        received = new RawHttp.Received(received.text() + raw.read(5_000).text(), true);
      }
      assertThat(received.statusLine()).startsWith("HTTP/1.1 408 ");
      assertThat(new JsonObject(received.body()).getString("error_code"))
          .isEqualTo("REQUEST_TIMEOUT");
      assertThat(received.header("X-Request-Id")).isNotBlank();
      assertThat(received.header("Connection")).isEqualTo("close");
    }
  }

  @Test
  void anIdleKeepAliveConnectionOutlivesTheHeadDeadline() throws Exception {
    try (RawHttp idle = new RawHttp(lab.server.port())) {
      assertThat(
              idle.send("GET /health/live HTTP/1.1\r\nHost: lab\r\n\r\n\r\n")
                  .readResponse(2_000)
                  .statusLine())
          .isEqualTo("HTTP/1.1 200 OK");
      // The deadline has passed once another connection's stalled head is refused.
      assertThat(stalledHeadIsRefused().statusLine()).startsWith("HTTP/1.1 408 ");
      RawHttp.Received again =
          idle.send("GET /health/live HTTP/1.1\r\nHost: lab\r\n\r\n").readResponse(2_000);
      assertThat(again.statusLine()).isEqualTo("HTTP/1.1 200 OK");
      assertThat(again.closed()).isFalse();
    }
  }

  @Test
  void anOpenEventStreamOutlivesTheHeadDeadline() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", lab.server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /api/events HTTP/1.1\r\nHost: lab\r\nAccept: text/event-stream\r\n"
                  + "Authorization: Bearer "
                  + lab.adminJwt
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      // Pings come every second: three of them span more than the two-second head deadline.
      int pings = 0;
      for (String line = in.readLine(); line != null && pings < 3; line = in.readLine()) {
        if (line.contains(": ping")) {
          pings++;
        }
      }
      assertThat(pings).isEqualTo(3);
    }
  }

  @Test
  void anOpenWebSocketOutlivesTheHeadDeadline() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    CompletableFuture<Void> opened = new CompletableFuture<>();
    EventSubscription subscription =
        lab.client
            .events()
            .subscribeWebSocket(
                Set.of("test.slow"),
                new EventListener() {
                  @Override
                  public void onOpen() {
                    opened.complete(null);
                  }

                  @Override
                  public void onEvent(StreamEvent event) {
                    seen.add(event.payload().encode());
                  }

                  @Override
                  public void onReconnecting(Throwable cause, long delayMillis) {
                    seen.add("reconnecting");
                  }
                });
    try {
      opened.get(10, TimeUnit.SECONDS);
      // The deadline has passed once another connection's stalled head is refused.
      assertThat(stalledHeadIsRefused().statusLine()).startsWith("HTTP/1.1 408 ");
      await(lab.server.events().publish("test.slow", new JsonObject().put("n", 1)));
      assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("{\"n\":1}");
    } finally {
      await(subscription.close());
    }
  }

  @Test
  void oneAddressHoldsAtMostTheCap() throws Exception {
    List<RawHttp> open = new ArrayList<>();
    int accepted = 0;
    RawHttp.Received refusal = null;
    boolean refusalClosed = false;
    try {
      // The harness's own clients may hold connections too, so one more than the cap is sure to
      // be refused at least once.
      for (int i = 0; i <= CAP; i++) {
        RawHttp raw = new RawHttp(lab.server.port());
        open.add(raw);
        RawHttp.Received received =
            raw.send("GET /health/live HTTP/1.1\r\nHost: lab\r\n\r\n").readResponse(2_000);
        if (received.statusLine().equals("HTTP/1.1 200 OK")) {
          accepted++;
        } else {
          refusal = received;
          refusalClosed = raw.isClosedByServer(2_000);
        }
      }
    } finally {
      for (RawHttp raw : open) {
        raw.close();
      }
    }
    assertThat(accepted).isLessThanOrEqualTo(CAP);
    assertThat(refusal).isNotNull();
    assertThat(refusal.statusLine()).startsWith("HTTP/1.1 429 ");
    assertThat(refusal.header("Retry-After")).isEqualTo("1");
    assertThat(new JsonObject(refusal.body()).getString("error_code"))
        .isEqualTo("TOO_MANY_CONNECTIONS");
    assertThat(refusalClosed).isTrue();
    // Once they are closed, the address may connect again (the server sees the closes soon).
    String status = "";
    for (int attempt = 0; attempt < 50 && !status.equals("HTTP/1.1 200 OK"); attempt++) {
      try (RawHttp raw = new RawHttp(lab.server.port())) {
        status =
            raw.send("GET /health/live HTTP/1.1\r\nHost: lab\r\n\r\n")
                .readResponse(1_000)
                .statusLine();
      }
    }
    assertThat(status).isEqualTo("HTTP/1.1 200 OK");
  }

  @Test
  void aBodyStillTricklingAfterItsAnswerIsNotReadForever() throws Exception {
    try (RawHttp raw = new RawHttp(lab.server.port())) {
      // No credentials: answered 401 before the body is read; the rest of it never comes.
      raw.send(
          "POST /api/devices HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n"
              + "Content-Length: 100000\r\n\r\n{\"name\":");
      RawHttp.Received received = raw.readResponse(5_000);
      assertThat(received.statusLine()).startsWith("HTTP/1.1 401 ");
      assertThat(raw.isClosedByServer(10_000)).isTrue();
    }
  }
}
