package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.events.EventSubscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server shutting down ends its event streams first: the shutdown does not wait its whole grace
 * period for streams that never finish, and their clients are told and try again.
 */
class EventStreamShutdownTest {

  @TempDir Path dir;

  @Test
  void shutdownEndsOpenStreamsAtOnce() throws InterruptedException {
    ServerTesting lab = ServerTesting.start(dir, Map.of("METRICS_INTERVAL_HOST", "0"));
    EventStreamContract.Recorder sse = new EventStreamContract.Recorder();
    EventStreamContract.Recorder ws = new EventStreamContract.Recorder();
    EventSubscription a = lab.client.events().subscribe(Set.of("test.bye"), sse);
    EventSubscription b = lab.client.events().subscribeWebSocket(Set.of("test.bye"), ws);
    try {
      EventStreamContract.waitUntil(() -> sse.opens.get() == 1 && ws.opens.get() == 1, 5_000);

      long started = System.nanoTime();
      await(lab.server.shutdown(Duration.ofSeconds(30)));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(tookMillis).as("shutdown waited for the streams").isLessThan(10_000);
      EventStreamContract.waitUntil(
          () -> !sse.reconnects.isEmpty() && !ws.reconnects.isEmpty(), 5_000);
      assertThat(sse.events).as("the final close frame is not an event").isEmpty();
      assertThat(ws.reconnects.get(0)).hasMessageContaining("shutting down");
    } finally {
      await(a.close());
      await(b.close());
      // The server is shut down already: close what the lab holds besides it.
      await(lab.client.close());
      lab.web.close();
      await(lab.vertx.close());
    }
  }
}
