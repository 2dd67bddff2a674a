package dev.homelab.server.auth;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reliability row F19 (clock jumps) for session tokens: a token's {@code exp} is judged against the
 * injected clock alone, not the system clock, so with a clock a month behind or ahead of the system
 * clock a token is accepted until its expiry by that clock and refused from it on, also after the
 * clock steps an hour forward and back. A step back to before the expiry makes the token current
 * again: that is what {@code exp} against "now" means; what must hold is that no token is accepted
 * once the clock's now has reached its expiry.
 */
class SessionTokensClockTest {

  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stop() {
    await(vertx.close());
  }

  @Test
  void expiryIsJudgedByTheInjectedClockThroughJumps() {
    Instant system = Instant.ofEpochSecond(Instant.now().getEpochSecond());
    for (Instant start :
        List.of(system.minus(Duration.ofDays(30)), system.plus(Duration.ofDays(30)))) {
      MutableClock clock = new MutableClock(start);
      SessionTokens tokens = new SessionTokens(vertx, SessionTokensTest.SECRET, 600, clock);
      User alice = new User("u-1", "alice", Role.USER, "h", false, false, start, start);
      SessionTokens.Issued issued = tokens.issue(alice);
      assertThat(issued.expiresAt()).isEqualTo(start.plusSeconds(600));
      String token = issued.token();

      accepted(tokens, token, start);
      clock.advance(Duration.ofSeconds(599));
      accepted(tokens, token, start);
      clock.advance(Duration.ofSeconds(1)); // now = exp
      refused(tokens, token, start);
      clock.advance(Duration.ofHours(1));
      refused(tokens, token, start);
      clock.advance(Duration.ofHours(-1)); // back to exp: still expired
      refused(tokens, token, start);
      clock.advance(Duration.ofSeconds(-1)); // a second before exp, by the clock: current again
      accepted(tokens, token, start);
      clock.advance(Duration.ofHours(1));
      refused(tokens, token, start);
    }
  }

  private static void accepted(SessionTokens tokens, String token, Instant start) {
    assertThat(await(tokens.verify(token)).userId())
        .as("clock started at %s", start)
        .isEqualTo("u-1");
  }

  private static void refused(SessionTokens tokens, String token, Instant start) {
    assertThat(awaitFailure(tokens.verify(token)))
        .as("clock started at %s", start)
        .isInstanceOf(InvalidCredentialsException.class);
  }
}
