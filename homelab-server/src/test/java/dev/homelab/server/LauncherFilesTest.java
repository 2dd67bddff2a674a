package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of an install without containers agree with the server and the image: the launcher
 * ({@code deploy/homelab}) runs the image's JVM defaults, and the systemd unit ({@code
 * deploy/homelab.service}) runs the launcher with declared keys only and is accepted by systemd.
 * {@code LauncherIT} runs the launcher itself.
 */
class LauncherFilesTest {

  private static final String LAUNCHER = ComposeFiles.read("deploy/homelab");
  private static final String UNIT = ComposeFiles.read("deploy/homelab.service");

  @TempDir Path dir;

  @Test
  void theLauncherRunsTheJvmDefaultsOfTheImage() {
    Matcher defaults = Pattern.compile("(?m)^flags=\\(([^)]*)\\)").matcher(LAUNCHER);
    assertThat(defaults.find()).as("the launcher's flags=(...) line").isTrue();
    List<String> launcherFlags = List.of(defaults.group(1).trim().split("\\s+"));

    String dockerfile = ComposeFiles.read("Dockerfile");
    Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT (.*)$").matcher(dockerfile);
    assertThat(entrypoint.find()).isTrue();
    List<String> imageFlags = new ArrayList<>();
    Matcher quoted = Pattern.compile("\"(-[^\"]*)\"").matcher(entrypoint.group(1));
    while (quoted.find()) {
      imageFlags.add(quoted.group(1));
    }
    // What only a container wants: its archive is made at build time, its heap follows the
    // container's limit (a host's JVM already takes a quarter of the memory), and its /tmp.
    imageFlags.removeIf(
        flag ->
            flag.startsWith("-XX:SharedArchiveFile=")
                || flag.startsWith("-XX:MaxRAMPercentage=")
                || flag.startsWith("-Djava.io.tmpdir=")
                || flag.equals("-jar"));
    assertThat(launcherFlags).containsExactlyElementsOf(imageFlags);
    assertThat(Files.isExecutable(ComposeFiles.ROOT.resolve("deploy/homelab"))).isTrue();
  }

  @Test
  void theServiceRunsTheLauncherWithDeclaredKeysOnly() {
    assertThat(UNIT).containsPattern("(?m)^ExecStart=/opt/homelab/homelab$");
    Matcher environment = Pattern.compile("(?m)^Environment=([A-Z_]+)=").matcher(UNIT);
    List<String> keys = new ArrayList<>();
    while (environment.find()) {
      keys.add(environment.group(1));
    }
    assertThat(keys).containsExactly("DATA_DIR", "LOG_DIR");
    assertThat(keys).allSatisfy(key -> assertThat(ConfigKeys.has(key)).as(key).isTrue());
    // The folders systemd makes for it are the ones those keys name, and the archive's.
    assertThat(UNIT)
        .contains("StateDirectory=homelab", "Environment=DATA_DIR=/var/lib/homelab")
        .contains("WorkingDirectory=/var/lib/homelab")
        .contains("LogsDirectory=homelab", "Environment=LOG_DIR=/var/log/homelab")
        .contains("CacheDirectory=homelab");
    assertThat(LAUNCHER).contains("CACHE_DIRECTORY");
  }

  @Test
  void systemdFindsNothingWrongInTheUnit() throws Exception {
    assumeThat(Path.of("/usr/bin/systemd-analyze")).as("systemd's own checker").exists();
    // Pointed at the launcher of this checkout (quoted: its path may hold spaces), so that only the
    // unit itself is judged.
    Path unit = dir.resolve("homelab.service");
    Files.writeString(
        unit,
        UNIT.replace(
            "ExecStart=/opt/homelab/homelab",
            "ExecStart=\"" + ComposeFiles.ROOT.resolve("deploy/homelab") + "\""));
    Process verify =
        new ProcessBuilder("/usr/bin/systemd-analyze", "verify", unit.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(verify.exitValue()).as(said).isZero();
    // What it says about other units of this machine is not the unit's concern.
    assertThat(said.lines().filter(line -> line.contains("homelab.service")))
        .as("systemd-analyze's complaints about the unit")
        .isEmpty();
  }
}
