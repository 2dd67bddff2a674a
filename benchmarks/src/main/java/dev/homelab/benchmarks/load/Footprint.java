package dev.homelab.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's footprint against a bare Vert.x server's, measured in the same run: the time from
 * starting it to the first 200 of {@code /health}, and the resident memory (VmRSS of the JVM) after
 * a quiet while. Runs alternate between the contenders, so that the machine's state weighs on all
 * alike.
 *
 * <p>Two pairs: the jar ({@code java -jar}, launcher defaults) beside {@link HelloWorldServer} on
 * the same JVM, and, with {@code --image}, the server's container image beside {@link
 * HelloWorldServer} run in a container of that same image with the plain {@code java} as entry
 * point (same JRE, no tuned flags). Times include {@code docker run}; the container's memory is its
 * JVM's, read through the host's {@code /proc}.
 *
 * <p>For the jars it also reads, at the first 200, the CPU time the process has used and the part
 * of it its JIT compiler threads took ({@code /proc/PID/task/*}): on a machine with few CPUs the
 * compilers compete with the start itself. With {@code --server-flags} a third contender runs the
 * server jar with those JVM flags (for example {@code -XX:TieredStopAtLevel=1}), to show what a
 * flag the plain {@code java -jar} cannot take would change. With {@code --launcher} (the server's
 * launcher, {@code deploy/homelab}) the server also runs as it is installed without containers: the
 * launcher and the jar copied into a folder of their own, started once beforehand so that the
 * launcher's first start writes its class-data archive, as any install's first start does.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.Footprint \
 *     --server-jar homelab-server/target/homelab-server.jar --runs 3 --idle-seconds 30 \
 *     [--image homelab-server:local] [--server-flags "-XX:TieredStopAtLevel=1"] \
 *     [--launcher deploy/homelab]
 * </pre>
 */
public final class Footprint {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

  private static final String ACCESS_TOKEN = "footprint-access-token-0123456789";

  private Footprint() {}

  /**
   * One measured start: milliseconds to the first 200, the process's CPU milliseconds then and its
   * JIT compilers' share of them (-1 where not readable, as for a container), and resident
   * kilobytes when idle.
   */
  record Sample(long readyMillis, long cpuMillis, long jitMillis, long idleRssKb) {}

  /** Something started: where its JVM runs, and how to stop it. */
  interface Started {
    long pid() throws Exception;

    void stop() throws Exception;
  }

  /** Starts one contender listening on the given host port. */
  interface Contender {
    Started start(int port) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path serverJar =
        Path.of(options.getOrDefault("server-jar", "homelab-server/target/homelab-server.jar"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    int idleSeconds = Integer.parseInt(options.getOrDefault("idle-seconds", "30"));
    String image = options.get("image");
    String serverFlags = options.get("server-flags");
    String launcher = options.get("launcher");
    String benchmarksJar =
        Path.of(Footprint.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    Map<String, Contender> contenders = new LinkedHashMap<>();
    contenders.put(
        "hello jar",
        port ->
            process(
                List.of(
                    java,
                    "-cp",
                    benchmarksJar,
                    HelloWorldServer.class.getName(),
                    String.valueOf(port)),
                Map.of()));
    contenders.put("server jar", port -> serverJar(java, List.of(), serverJar, port));
    if (serverFlags != null) {
      List<String> flags = List.of(serverFlags.trim().split("\\s+"));
      contenders.put("server jar " + serverFlags, port -> serverJar(java, flags, serverJar, port));
    }
    if (launcher != null) {
      Path installed = install(Path.of(launcher), serverJar);
      contenders.put("server launcher", port -> launched(installed, port));
    }
    if (image != null) {
      contenders.put(
          "hello container",
          port ->
              container(
                  List.of(
                      "-v",
                      benchmarksJar + ":/opt/benchmarks.jar:ro",
                      "--entrypoint",
                      "java",
                      image,
                      "-cp",
                      "/opt/benchmarks.jar",
                      HelloWorldServer.class.getName(),
                      "8000",
                      "0.0.0.0"),
                  port));
      contenders.put(
          "server container",
          port -> container(List.of("-e", "ACCESS_TOKEN=" + ACCESS_TOKEN, image), port));
    }

    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    contenders.keySet().forEach(name -> samples.put(name, new ArrayList<>()));
    for (int run = 0; run < runs; run++) {
      StringBuilder line = new StringBuilder("run " + (run + 1) + ":");
      for (Map.Entry<String, Contender> contender : contenders.entrySet()) {
        Sample sample = measure(contender.getValue(), idleSeconds);
        samples.get(contender.getKey()).add(sample);
        line.append(
            String.format(
                Locale.ROOT,
                " %s %d ms%s %d MB;",
                contender.getKey(),
                sample.readyMillis(),
                sample.cpuMillis() < 0
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        " (CPU %d ms, JIT %d ms)",
                        sample.cpuMillis(),
                        sample.jitMillis()),
                sample.idleRssKb() / 1024));
      }
      System.out.println(line);
    }
    report("jar", samples.get("hello jar"), samples.get("server jar"), idleSeconds);
    if (serverFlags != null) {
      report(
          "jar " + serverFlags,
          samples.get("hello jar"),
          samples.get("server jar " + serverFlags),
          idleSeconds);
    }
    if (launcher != null) {
      report("launcher", samples.get("hello jar"), samples.get("server launcher"), idleSeconds);
    }
    if (image != null) {
      report(
          "container",
          samples.get("hello container"),
          samples.get("server container"),
          idleSeconds);
    }
  }

  private static void report(String what, List<Sample> hello, List<Sample> server, int idle) {
    long helloReady = median(hello.stream().map(Sample::readyMillis).toList());
    long serverReady = median(server.stream().map(Sample::readyMillis).toList());
    long helloRss = median(hello.stream().map(Sample::idleRssKb).toList());
    long serverRss = median(server.stream().map(Sample::idleRssKb).toList());
    System.out.printf(
        Locale.ROOT,
        "%s, median ready: hello %d ms, server %d ms (%.2fx); CPU to ready: hello %d ms, server %d"
            + " ms; idle RSS after %d s: hello %d MB, server %d MB (%.2fx)%n",
        what,
        helloReady,
        serverReady,
        (double) serverReady / helloReady,
        median(hello.stream().map(Sample::cpuMillis).toList()),
        median(server.stream().map(Sample::cpuMillis).toList()),
        idle,
        helloRss / 1024,
        serverRss / 1024,
        (double) serverRss / helloRss);
  }

  private static Started serverJar(String java, List<String> flags, Path jar, int port)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(flags);
    command.addAll(List.of("-jar", jar.toString()));
    return process(command, serverEnv(port));
  }

  /** A fresh data directory for each start, so that each start migrates a new SQLite file. */
  private static Map<String, String> serverEnv(int port) throws IOException {
    Path data = Files.createTempDirectory("homelab-footprint");
    return Map.of(
        "PORT",
        String.valueOf(port),
        "DATA_DIR",
        data.toString(),
        "LOG_DIR",
        "",
        "ACCESS_TOKEN",
        ACCESS_TOKEN);
  }

  /**
   * Copies the launcher and the jar into a folder of their own, as an install without containers
   * has them, and starts the server there once, which writes the launcher's class-data archive.
   *
   * @return the installed launcher
   */
  private static Path install(Path launcher, Path jar) throws Exception {
    Path folder = Files.createTempDirectory("homelab-footprint-install");
    Path installed = folder.resolve("homelab");
    Files.copy(launcher, installed);
    Files.copy(jar, folder.resolve("homelab-server.jar"));
    measure(port -> launched(installed, port), 0);
    if (!Files.isRegularFile(folder.resolve("homelab-server.jsa"))) {
      throw new IllegalStateException("the launcher's first start wrote no class-data archive");
    }
    return installed;
  }

  private static Started launched(Path launcher, int port) throws IOException {
    return process(List.of("bash", launcher.toString()), serverEnv(port));
  }

  private static Started process(List<String> command, Map<String, String> env) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.environment().putAll(env);
    Process process = builder.start();
    return new Started() {
      @Override
      public long pid() {
        if (!process.isAlive()) {
          throw new IllegalStateException("exited: " + command);
        }
        return process.pid();
      }

      @Override
      public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
      }
    };
  }

  /**
   * {@code docker run -d}, published on 127.0.0.1 only; its JVM is the container's first process.
   */
  private static Started container(List<String> runArgs, int port) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of("docker", "run", "-d", "--rm", "-p", "127.0.0.1:" + port + ":8000"));
    command.addAll(runArgs);
    String id = docker(command);
    return new Started() {
      @Override
      public long pid() throws Exception {
        return Long.parseLong(docker(List.of("docker", "inspect", "-f", "{{.State.Pid}}", id)));
      }

      @Override
      public void stop() throws Exception {
        docker(List.of("docker", "rm", "-f", id));
      }
    };
  }

  private static String docker(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + ": " + out);
    }
    return out;
  }

  private static Sample measure(Contender contender, int idleSeconds) throws Exception {
    int port = Args.freePort();
    long started = System.nanoTime();
    Started running = contender.start(port);
    try {
      long deadline = started + Duration.ofSeconds(60).toNanos();
      URI health = URI.create("http://127.0.0.1:" + port + "/health");
      while (!answers(health)) {
        running.pid(); // throws once it has exited
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("did not answer /health within 60 s");
        }
        Thread.sleep(10); // a bounded poll of a separate process, not test synchronisation
      }
      long ready = (System.nanoTime() - started) / 1_000_000;
      long[] cpu = cpuMillis(running.pid());
      Thread.sleep(idleSeconds * 1000L);
      return new Sample(ready, cpu[0], cpu[1], rssKb(running.pid()));
    } finally {
      running.stop();
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

  /**
   * The CPU a process has used, in milliseconds, and the part its JIT compiler threads used, from
   * {@code /proc/PID/task/TID/stat} (user and system time, in clock ticks of 10 ms); {@code -1}
   * twice where they cannot be read.
   */
  private static long[] cpuMillis(long pid) {
    long total = 0;
    long jit = 0;
    try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      for (Path task : tasks.toList()) {
        String stat = Files.readString(task.resolve("stat"));
        // The thread's name is in parentheses and may hold spaces: fields count from after it.
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        total += ticks;
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
          jit += ticks;
        }
      }
    } catch (IOException | RuntimeException e) {
      return new long[] {-1, -1};
    }
    return new long[] {total * 10, jit * 10};
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
