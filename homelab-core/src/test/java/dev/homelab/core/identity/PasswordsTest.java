package dev.homelab.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hasher: a hash verifies its password only, and an unknown user's check (against the decoy)
 * answers no for any password while doing the work of a real check.
 */
class PasswordsTest {

  private Vertx vertx;
  private Passwords passwords;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    passwords = Passwords.create(vertx).await();
  }

  @AfterEach
  void stop() {
    passwords.close().await();
    vertx.close().await();
  }

  @Test
  void aHashVerifiesItsPasswordAndNoOther() {
    String hash = passwords.hash("correct horse").await();

    assertThat(passwords.verify("correct horse", hash).await()).isTrue();
    assertThat(passwords.verify("correct horse!", hash).await()).isFalse();
  }

  @Test
  void anUnknownUsersCheckAnswersNoWhateverThePassword() {
    assertThat(passwords.verify("correct horse", null).await()).isFalse();
    assertThat(passwords.verify("", null).await()).isFalse();
  }

  /**
   * The decoy costs what a real hash costs only if it reads as one: same scheme, same iterations,
   * salt and hash of the same lengths. Its parts are fresh at every start.
   */
  @Test
  void theDecoyIsShapedLikeARealHash() throws Exception {
    String[] real = Passwords.encode("correct horse").split("\\$");
    String[] decoy = Passwords.decoy().split("\\$");

    assertThat(decoy).hasSize(4);
    assertThat(decoy[0]).isEqualTo(real[0]);
    assertThat(decoy[1]).isEqualTo(real[1]).isEqualTo(String.valueOf(Passwords.ITERATIONS));
    assertThat(decoy[2]).hasSameSizeAs(real[2]);
    assertThat(decoy[3]).hasSameSizeAs(real[3]);
    assertThat(Passwords.decoy()).isNotEqualTo(Passwords.decoy());
    assertThat(Passwords.matches("correct horse", Passwords.decoy())).isFalse();
  }
}
