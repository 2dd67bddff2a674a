package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher, {@code deploy/homelab}, as an install without containers runs it: the launcher and
 * the jar in one folder. Its first clean server start writes the class-data archive that makes
 * later starts fast (docs/performance.md, Footprint), and nothing else does.
 */
@Timeout(120)
class LauncherIT {

  private static final Path LAUNCHER = Path.of("../deploy/homelab");

  private final ServerJar jars = new ServerJar();
  @TempDir Path dir;

  @AfterEach
  void killLeftovers() {
    jars.close();
  }

  @Test
  void theFirstCleanStartWritesTheArchiveLaterStartsMapItAndNewFlagsRetrain() throws Exception {
    Path install = install();
    Path archive = install.resolve("homelab-server.jsa");

    ServerJar.Started first = start(install, "first", Map.of());
    assertThat(jvmCommand(first.process()))
        .containsSubsequence("-XX:+UseSerialGC", "-XX:ArchiveClassesAtExit=" + archive, "-jar")
        .doesNotContain("-XX:SharedArchiveFile=" + archive);
    assertThat(archive).as("written only as the JVM exits").doesNotExist();
    stopCleanly(first.process());
    assertThat(archive).isNotEmptyFile();
    assertThat(install.resolve("homelab-server.jsa.from")).isNotEmptyFile();

    ServerJar.Started second = start(install, "second", Map.of());
    assertThat(jvmCommand(second.process()))
        .as("the launcher becomes the JVM")
        .first()
        .asString()
        .endsWith("/java");
    assertThat(jvmCommand(second.process())).contains("-XX:SharedArchiveFile=" + archive);
    assertThat(Files.readString(Path.of("/proc", String.valueOf(second.process().pid()), "maps")))
        .as("the JVM maps the archive")
        .contains(archive.toString());
    assertThat(jars.get(second.port(), "/api/auth/me", second.jwt()).statusCode()).isEqualTo(200);
    stopCleanly(second.process());

    // An archive is valid for one set of flags: new ones train a new archive, and come after the
    // defaults, so that they win; a collector named there replaces the default one.
    ServerJar.Started third = start(install, "third", Map.of("JAVA_OPTS", "-Xmx300m -XX:+UseG1GC"));
    assertThat(jvmCommand(third.process()))
        .containsSubsequence("-XX:+ExitOnOutOfMemoryError", "-XX:ArchiveClassesAtExit=" + archive)
        .containsSubsequence("-Xmx300m", "-XX:+UseG1GC", "-jar")
        .doesNotContain("-XX:+UseSerialGC");
    stopCleanly(third.process());
    assertThat(archive).isNotEmptyFile();
    assertThat(Files.readString(install.resolve("homelab-server.jsa.from")))
        .contains("-Xmx300m -XX:+UseG1GC")
        .endsWith(Files.size(archive) + "\n");

    // An archive cut short (a power cut while it was written) crashes a JVM that maps it: it is
    // not used, by a sub-command here, which then runs as usual.
    try (var channel = java.nio.channels.FileChannel.open(archive, StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(archive) / 2);
    }
    Process help =
        launcher(
            install, "cut-short", Map.of("JAVA_OPTS", "-Xmx300m -XX:+UseG1GC"), List.of("help"));
    assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).as("not a crash mapping half an archive").isZero();
  }

  @Test
  void aRefusedStartAndSubCommandsWriteNoArchiveAndAMissingJarIsNamed() throws Exception {
    Path install = install();
    Process refused = launcher(install, "refused", Map.of("PORT", "not-a-port"), List.of());
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(Main.EXIT_INVALID_CONFIG);
    assertThat(Files.readString(dir.resolve("refused/console.log")))
        .contains("PORT must be a whole number");
    assertThat(install.resolve("homelab-server.jsa")).doesNotExist();
    assertThat(install.resolve("homelab-server.jsa.from")).doesNotExist();

    Process help = launcher(install, "help", Map.of(), List.of("help"));
    assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(help.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("help/console.log"))).contains("bootstrap-db");
    assertThat(install.resolve("homelab-server.jsa")).doesNotExist();

    Path alone = Files.createDirectories(dir.resolve("alone"));
    Files.copy(LAUNCHER, alone.resolve("homelab"));
    Process noJar = launcher(alone, "no-jar", Map.of(), List.of());
    assertThat(noJar.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(noJar.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("no-jar/console.log")))
        .contains("no homelab-server.jar", "package -DskipTests");
  }

  /** The launcher and the jar in a folder of their own, as an install has them. */
  private Path install() throws Exception {
    Path install = Files.createDirectories(dir.resolve("install"));
    Files.copy(LAUNCHER, install.resolve("homelab"));
    Files.copy(ServerJar.JAR, install.resolve("homelab-server.jar"));
    return install;
  }

  private Process launcher(Path install, String cwd, Map<String, String> env, List<String> args)
      throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("JAVA_HOME", System.getProperty("java.home"));
    all.put("LOG_DIR", "");
    List<String> command =
        new java.util.ArrayList<>(List.of("bash", install.resolve("homelab").toString()));
    command.addAll(args);
    return jars.run(command, dir.resolve(cwd), all);
  }

  private ServerJar.Started start(Path install, String cwd, Map<String, String> env)
      throws Exception {
    int port = ServerJar.freePort();
    Map<String, String> all = new HashMap<>(env);
    all.put("PORT", String.valueOf(port));
    Process server = launcher(install, cwd, all, List.of());
    jars.awaitUp(server, port, dir.resolve(cwd));
    return new ServerJar.Started(server, port, jars.login(port, dir.resolve(cwd)));
  }

  /** SIGTERM, as a service manager stops it, and a graceful exit. */
  private static void stopCleanly(Process server) throws Exception {
    server.destroy();
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).isZero();
  }

  /**
   * The server JVM's command line: the launcher's process itself once it has become the JVM, else
   * its child.
   */
  private static List<String> jvmCommand(Process launcher) throws Exception {
    ProcessHandle jvm =
        launcher.toHandle().info().command().orElse("").endsWith("/java")
            ? launcher.toHandle()
            : launcher.children().findFirst().orElseThrow();
    String cmdline = Files.readString(Path.of("/proc", String.valueOf(jvm.pid()), "cmdline"));
    return List.of(cmdline.split("\0"));
  }
}
