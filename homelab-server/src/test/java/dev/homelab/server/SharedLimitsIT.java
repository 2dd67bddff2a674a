package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabRateLimitedException;
import dev.homelab.client.HomelabUnauthorizedException;
import dev.homelab.core.testing.RedisTesting;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code REDIS_URL}, login counters live in the real Redis on loopback and every instance sees
 * the same ones, also after a restart. Each run uses a key prefix of its own.
 */
class SharedLimitsIT {

  static final String REDIS_URL = RedisTesting.URL;

  @TempDir Path one;
  @TempDir Path two;

  @Test
  void twoInstancesShareLoginCountersThroughRedis() {
    Map<String, String> settings =
        Map.of(
            "REDIS_URL",
            REDIS_URL,
            "REDIS_KEY_PREFIX",
            "homelab-it-" + UUID.randomUUID() + ":",
            // Every harness start logs in once from 127.0.0.1 too: 3 starts + 5 below = 8.
            "RATE_LIMIT_LOGIN_PER_MINUTE",
            "8",
            "LOGIN_LOCKOUT_FAILURES",
            "1000");
    try (ServerTesting first = ServerTesting.start(one, settings)) {
      for (int i = 0; i < 3; i++) {
        assertThat(awaitFailure(first.newClient(null).auth().login("wrong-" + i)))
            .isInstanceOf(HomelabUnauthorizedException.class);
      }
    }
    // A restart of the first, and a second instance: both see the three earlier attempts.
    try (ServerTesting again = ServerTesting.start(one, settings);
        ServerTesting second = ServerTesting.start(two, settings)) {
      assertThat(awaitFailure(second.newClient(null).auth().login("wrong-3")))
          .isInstanceOf(HomelabUnauthorizedException.class);
      assertThat(awaitFailure(again.newClient(null).auth().login("wrong-4")))
          .isInstanceOf(HomelabUnauthorizedException.class);
      // The ninth attempt from this address, counted across both instances and the restart.
      HomelabRateLimitedException limited =
          (HomelabRateLimitedException)
              awaitFailure(second.newClient(null).auth().login(ServerTesting.ACCESS_TOKEN));
      assertThat(limited.retryAfterSeconds()).isBetween(1L, 900L);
    }
  }
}
