package dev.homelab.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of one test's own, in a fresh data directory on a free loopback port, that
 * the test may crash ({@code pg_ctl stop -m immediate}) and start again without touching the
 * machine's. Trust authentication, user {@code postgres}, no fsync (the crash is of the server
 * process, not of the machine). As root, the server runs as the {@code postgres} account, which
 * PostgreSQL requires.
 */
final class OwnPostgres implements AutoCloseable {

  private static final Path BIN = findBin();

  private final Path dataDir;
  private final Path logFile;
  private final int port;

  private OwnPostgres(Path dataDir, Path logFile, int port) {
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.port = port;
  }

  /**
   * @return whether this machine can run one: PostgreSQL's binaries and, as root, a postgres
   *     account
   */
  static boolean available() {
    return BIN != null && (!isRoot() || run(List.of("id", "-u", "postgres")) == 0);
  }

  /**
   * Creates the cluster and starts it.
   *
   * @param root a directory of the test's own (a temporary one)
   * @return the running server
   */
  static OwnPostgres start(Path root) throws Exception {
    Path home = Files.createDirectories(root.resolve("pg"));
    if (isRoot()) {
      check(run(List.of("chown", "-R", "postgres:postgres", home.toString())), "chown");
      check(run(List.of("chmod", "o+x", root.toString())), "chmod");
    }
    Path data = home.resolve("data");
    check(
        run(
            asPostgres(
                BIN.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8")),
        "initdb");
    OwnPostgres postgres =
        new OwnPostgres(data, home.resolve("server.log"), RedisOutageTest.freePort());
    // pg_ctl detaches the server: a test JVM that ends without close() must not leave it running.
    Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "own-postgres-stop"));
    try {
      postgres.startAgain();
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
    return postgres;
  }

  /**
   * @return the url of its {@code postgres} database, for {@code DATABASE_URL}
   */
  String uri() {
    return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
  }

  /** Starts the server (again) on the same directory and port; returns once it accepts. */
  void startAgain() {
    check(
        run(
            asPostgres(
                BIN.resolve("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-l",
                logFile.toString(),
                "-w",
                "-t",
                "30",
                "-o",
                "-p "
                    + port
                    + " -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off"
                    + " -c max_connections=50",
                "start")),
        "pg_ctl start");
  }

  /** Crashes the server: {@code -m immediate}, no checkpoint, recovery on the next start. */
  void stopImmediately() {
    check(stopImmediately(true), "pg_ctl stop");
  }

  /** Stops the server if it runs; harmless when it does not. */
  @Override
  public void close() {
    stopImmediately(false);
  }

  private int stopImmediately(boolean wait) {
    List<String> command =
        new ArrayList<>(
            List.of(BIN.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate"));
    if (wait) {
      command.add("-w");
    }
    command.add("stop");
    return run(asPostgres(command.toArray(String[]::new)));
  }

  private static List<String> asPostgres(String... command) {
    List<String> line = new ArrayList<>();
    if (isRoot()) {
      line.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    line.addAll(List.of(command));
    return line;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void check(int exit, String what) {
    if (exit != 0) {
      throw new IllegalStateException(what + " exited with " + exit);
    }
  }

  /** Runs a command to its end (at most a minute), its output discarded; returns its exit code. */
  private static int run(List<String> command) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The newest {@code /usr/lib/postgresql/N/bin}, or {@code null}. */
  private static Path findBin() {
    Path versions = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(versions)) {
      return null;
    }
    try (Stream<Path> all = Files.list(versions)) {
      return all.map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("initdb")))
          .max(
              Comparator.comparingInt(
                  bin -> {
                    String name = bin.getParent().getFileName().toString();
                    return name.matches("\\d+") ? Integer.parseInt(name) : 0;
                  }))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * @return the server's log so far, for a failure message
   */
  String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
