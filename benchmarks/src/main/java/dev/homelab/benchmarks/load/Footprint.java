package dev.homelab.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's footprint against a bare Vert.x server's, measured in the same run: the time from
 * starting the JVM to the first 200 of {@code /health}, and the resident memory after a quiet
 * while. Runs alternate between the two, so that the machine's state weighs on both alike.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.Footprint \
 *     --server-jar homelab-server/target/homelab-server.jar --runs 3 --idle-seconds 30
 * </pre>
 */
public final class Footprint {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

  private Footprint() {}

  /** One measured start: milliseconds to the first 200, and resident kilobytes when idle. */
  record Sample(long readyMillis, long idleRssKb) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path serverJar =
        Path.of(options.getOrDefault("server-jar", "homelab-server/target/homelab-server.jar"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    int idleSeconds = Integer.parseInt(options.getOrDefault("idle-seconds", "30"));
    String benchmarksJar =
        Path.of(Footprint.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> extraJvm =
        options.containsKey("jvm") ? List.of(options.get("jvm").split(" ")) : List.of();

    List<Sample> hello = new ArrayList<>();
    List<Sample> server = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      int port = Args.freePort();
      List<String> helloCommand = new ArrayList<>(List.of(java));
      helloCommand.addAll(extraJvm);
      helloCommand.addAll(
          List.of("-cp", benchmarksJar, HelloWorldServer.class.getName(), String.valueOf(port)));
      hello.add(measure(helloCommand, Map.of(), port, idleSeconds));

      port = Args.freePort();
      Path data = Files.createTempDirectory("homelab-footprint");
      List<String> serverCommand = new ArrayList<>(List.of(java));
      serverCommand.addAll(extraJvm);
      serverCommand.addAll(List.of("-jar", serverJar.toString()));
      server.add(
          measure(
              serverCommand,
              Map.of(
                  "PORT",
                  String.valueOf(port),
                  "DATA_DIR",
                  data.toString(),
                  "LOG_DIR",
                  "",
                  "ACCESS_TOKEN",
                  "footprint-access-token-0123456789"),
              port,
              idleSeconds));
      System.out.printf(
          Locale.ROOT,
          "run %d: hello %d ms %d MB, server %d ms %d MB%n",
          run + 1,
          hello.get(run).readyMillis(),
          hello.get(run).idleRssKb() / 1024,
          server.get(run).readyMillis(),
          server.get(run).idleRssKb() / 1024);
    }
    long helloReady = median(hello.stream().map(Sample::readyMillis).toList());
    long serverReady = median(server.stream().map(Sample::readyMillis).toList());
    long helloRss = median(hello.stream().map(Sample::idleRssKb).toList());
    long serverRss = median(server.stream().map(Sample::idleRssKb).toList());
    System.out.printf(
        Locale.ROOT,
        "median ready: hello %d ms, server %d ms (%.2fx); idle RSS after %d s: hello %d MB, server %d MB (%.2fx)%n",
        helloReady,
        serverReady,
        (double) serverReady / helloReady,
        idleSeconds,
        helloRss / 1024,
        serverRss / 1024,
        (double) serverRss / helloRss);
  }

  private static Sample measure(
      List<String> command, Map<String, String> env, int port, int idleSeconds) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process = builder.start();
    try {
      long deadline = started + Duration.ofSeconds(60).toNanos();
      URI health = URI.create("http://127.0.0.1:" + port + "/health");
      while (!answers(health)) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IllegalStateException("did not answer /health: " + command);
        }
        Thread.sleep(10); // a bounded poll of a separate process, not test synchronisation
      }
      long ready = (System.nanoTime() - started) / 1_000_000;
      Thread.sleep(idleSeconds * 1000L);
      return new Sample(ready, rssKb(process.pid()));
    } finally {
      process.destroy();
      process.waitFor();
    }
  }

  private static boolean answers(URI uri) {
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(500)).build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** VmRSS of a process, from /proc (Linux). */
  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS for " + pid);
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
