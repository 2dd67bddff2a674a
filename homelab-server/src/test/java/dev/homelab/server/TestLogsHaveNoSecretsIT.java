package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Reliability row A15 over the whole suite: after every other test of this module has run (unit
 * tests in the test phase, and the other ITs first, by failsafe's alphabetical order), no log line
 * any of them produced holds a JWT, an API key, a device token, a password hash, or any secret the
 * tests wrote down in {@link TestSecrets}.
 */
class TestLogsHaveNoSecretsIT {

  private static final List<Pattern> SHAPES =
      List.of(
          Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}"),
          Pattern.compile("hlk_[0-9a-f]{16}_[A-Za-z0-9_-]{20,}"),
          Pattern.compile("hld_[A-Za-z0-9_-]{20,}"),
          Pattern.compile("pbkdf2-sha256\\$"),
          Pattern.compile("(?i)authorization: *bearer"));

  @Test
  void noLogLineOfTheSuiteHoldsASecret() throws Exception {
    Path dir = Path.of("target", "test-logs");
    List<Path> logs;
    try (Stream<Path> files = Files.list(dir)) {
      logs = files.filter(f -> f.getFileName().toString().endsWith(".log")).toList();
    }
    List<String> secrets = TestSecrets.all();
    assertThat(secrets).as("the suite wrote its secrets down").hasSizeGreaterThan(10);
    long lines = 0;
    boolean sawLogins = false;
    List<String> leaks = new ArrayList<>();
    for (Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        lines++;
        sawLogins |= line.contains("POST /api/auth/login 200");
        for (Pattern shape : SHAPES) {
          Matcher matcher = shape.matcher(line);
          if (matcher.find()) {
            leaks.add(log.getFileName() + ": " + shape.pattern() + " in: " + line);
          }
        }
        for (String secret : secrets) {
          if (line.contains(secret)) {
            leaks.add(log.getFileName() + ": a recorded secret in: " + line);
          }
        }
      }
    }
    assertThat(lines).as("log lines read from " + logs).isGreaterThan(500);
    assertThat(sawLogins).as("the logs cover logins").isTrue();
    assertThat(leaks).isEmpty();
  }
}
