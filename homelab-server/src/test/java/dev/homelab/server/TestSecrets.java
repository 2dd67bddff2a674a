package dev.homelab.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Every secret the tests create (passwords, access tokens, JWT keys, issued tokens and keys),
 * written down so that {@link TestLogsHaveNoSecretsIT} can look for each in the suite's logs.
 */
final class TestSecrets {

  static final Path FILE = Path.of("target", "test-logs", "secrets.txt");

  private TestSecrets() {}

  static synchronized void remember(String secret) {
    if (secret == null || secret.isBlank()) {
      return;
    }
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(
          FILE,
          secret.strip() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<String> all() throws IOException {
    return Files.exists(FILE)
        ? Files.readAllLines(FILE, StandardCharsets.UTF_8).stream()
            .filter(line -> !line.isBlank())
            .distinct()
            .toList()
        : List.of();
  }
}
