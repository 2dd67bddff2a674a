package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path dir;

  @Test
  void anInvalidConfigurationListsEveryProblemAndStartsNothing() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path dataDir = dir.resolve("data");
    int code =
        Main.loadAndValidate(
            Map.of(
                "PORT",
                "-1",
                "DATABASE_URL",
                "not a url",
                "LOG_LEVEL",
                "chatty",
                "DATA_DIR",
                dataDir.toString()),
            new Properties(),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    String output = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(Main.EXIT_INVALID_CONFIG);
    assertThat(output)
        .contains("PORT")
        .contains("DATABASE_URL")
        .contains("LOG_LEVEL")
        .contains("Nothing was started");
    assertThat(Files.exists(dataDir)).as("no data directory was created").isFalse();
  }

  @Test
  void anUnknownCommandIsRefusedAndHelpListsTheCommands() {
    assertThat(Main.command(java.util.List.of("frobnicate"), Map.of(), new Properties()))
        .isEqualTo(Main.EXIT_INVALID_CONFIG);
    assertThat(Main.command(java.util.List.of("help"), Map.of(), new Properties())).isZero();
  }

  @Test
  void aBackupWithAnInvalidConfigurationIsRefusedAndWritesNothing() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        dev.homelab.server.admin.AdminCommands.run(
            java.util.List.of("backup", "--output", dir.toString()),
            Map.of("PORT", "-1", "DATA_DIR", dir.resolve("data").toString()),
            new Properties(),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(dev.homelab.server.admin.AdminCommands.EXIT_REFUSED);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("PORT");
    assertThat(dir.toFile().list()).isEmpty();
  }
}
