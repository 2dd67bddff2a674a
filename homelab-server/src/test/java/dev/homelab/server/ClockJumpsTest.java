package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabUnauthorizedException;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.server.routes.EventRoutes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability row F19 (clock jumps) through the running server: the server's clock is injected, a
 * month behind the system clock, and stepped an hour forward and back. A session token and an API
 * key are accepted until their expiry by that clock and refused from it on, whatever the
 * authenticator has cached (its cache is at its longest, 300 s); a step back before the expiry
 * makes them current again, as expiry against "now" means. An event stream's expiry timer runs to
 * the expiry by that clock too.
 */
class ClockJumpsTest {

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir static Path dir;
  static MutableClock clock;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    Instant monthAgo = Instant.now().minus(Duration.ofDays(30));
    clock = new MutableClock(Instant.ofEpochSecond(monthAgo.getEpochSecond()));
    lab =
        ServerTesting.start(
            dir, Map.of("JWT_LIFETIME_SECONDS", "600", "AUTH_CACHE_SECONDS", "300"), clock);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  /** The admin session lives 600 s of the clock: each test begins with a fresh one. */
  @BeforeEach
  void logInAgain() {
    await(lab.client.auth().login(ServerTesting.ACCESS_TOKEN));
  }

  @Test
  void aSessionIsRefusedFromItsExpiryByTheServersClockThroughJumps() {
    Instant expiry = clock.instant().plusSeconds(600); // the clock stands still while logging in
    HomelabClient ann = lab.newUser("ann", "user");
    expiresByTheClock(ann, expiry);
  }

  @Test
  void aCachedApiKeyIsRefusedFromItsExpiryByTheServersClockThroughJumps() {
    HomelabClient bob = lab.newUser("bob", "user");
    Instant expiry = clock.instant().plus(Duration.ofMinutes(5));
    CreatedApiKey key = await(bob.auth().createKey("k", null, expiry));
    HomelabClient byKey = lab.newClient(key.secret());
    accepted(byKey); // the key is now in the authenticator's cache
    expiresByTheClock(byKey, expiry);
  }

  /**
   * A credential is accepted a second before its expiry by the clock, refused at it and an hour
   * after; an hour back (a second before the expiry again) it is current again, an hour on refused.
   */
  private static void expiresByTheClock(HomelabClient client, Instant expiry) {
    accepted(client);
    clock.set(expiry.minusSeconds(1));
    accepted(client);
    clock.set(expiry);
    refused(client);
    clock.advance(Duration.ofHours(1));
    refused(client);
    clock.advance(Duration.ofHours(-1).minusSeconds(1));
    accepted(client);
    clock.advance(Duration.ofHours(1));
    refused(client);
  }

  /**
   * An event stream ends when its credential expires by the server's clock: one opened a month
   * behind the system clock, ten minutes before its session expires, stays open.
   */
  @Test
  void anEventStreamLastsUntilItsCredentialExpiresByTheServersClock() {
    HomelabClient cat = lab.newUser("cat", "user");
    EventStreamContract.Recorder recorder = new EventStreamContract.Recorder();
    EventSubscription subscription = cat.events().subscribe(Set.of("test.clock"), null, recorder);
    try {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> recorder.opens.get() >= 1);
      for (int n = 1; n <= 3; n++) {
        int count = n;
        await(lab.server.events().publish("test.clock", new JsonObject().put("n", n)));
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> recorder.events.size() >= count);
      }
      assertThat(recorder.opens).as("the stream was never ended and opened again").hasValue(1);
      assertThat(logs.linesOf(EventRoutes.class.getName()))
          .noneMatch(line -> line.contains("the credential expired"));
    } finally {
      await(subscription.close());
    }
  }

  private static void accepted(HomelabClient client) {
    assertThat(await(client.auth().me())).isNotNull();
  }

  private static void refused(HomelabClient client) {
    assertThat(awaitFailure(client.auth().me())).isInstanceOf(HomelabUnauthorizedException.class);
  }
}
