package dev.homelab.benchmarks.load;

import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.impl.Migrations;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * An open-loop load driver for {@code POST /api/access/check}: starts the server jar in a process
 * of its own (on SQLite, or on PostgreSQL with {@code --pg <url>}), sends checks at a fixed rate
 * over loopback and reports latency percentiles, measured from when each request was due, so that a
 * stalled server is not hidden by a stalled client (no coordinated omission).
 *
 * <p>In the same run and at the same rate it measures two baselines the checks are reported
 * against: {@code GET /health/live}, an HTTP round trip that touches neither auth nor storage, and
 * two {@link GroupCommitFloor}s, group commits handed to a writer thread and back with no HTTP: a
 * synced append to a file (what the machine costs) and a plain JDBC insert into a table like the
 * access log's on the same store (what the database costs). A durable answer pays at least these.
 *
 * <p>On PostgreSQL it runs {@code CHECKPOINT} before the checks' last warm-up (unless {@code
 * --checkpoint false}), so that the measured checks reuse recycled WAL segments as on a server that
 * has been running, and it reports how many segments the checks added.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.AccessCheckLoad \
 *     --jar homelab-server/target/homelab-server.jar --rate 5000 --seconds 30 \
 *     [--pg postgres://postgres@127.0.0.1:5432/loadtest [--checkpoint false]]
 * </pre>
 */
public final class AccessCheckLoad {

  private static final int CONNECTIONS = Integer.getInteger("connections", 64);
  private static final int WINDOW_MS = 100;

  private AccessCheckLoad() {}

  /**
   * One measured phase. {@code steal} is the share of the machine's CPU time that the hypervisor
   * gave to other guests meanwhile ({@code /proc/stat}), or -1 where the kernel does not say: on a
   * shared virtual machine, a phase with a few percent of steal has millisecond gaps in which no
   * thread of the guest runs, and its tail says more about the host than about the server.
   */
  record Result(
      String name,
      int rate,
      long sent,
      long ok,
      long errors,
      double seconds,
      Histogram latency,
      double steal,
      long[] worstPerWindow) {
    String row() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %.0f | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %s |",
          name,
          rate,
          ok / seconds,
          errors,
          ms(latency.getValueAtPercentile(50)),
          ms(latency.getValueAtPercentile(90)),
          ms(latency.getValueAtPercentile(99)),
          ms(latency.getValueAtPercentile(99.9)),
          ms(latency.getMaxValue()),
          steal < 0 ? "?" : String.format(Locale.ROOT, "%.1f", steal * 100));
    }

    /**
     * The windows of {@value #WINDOW_MS} ms (by due time) whose slowest request took longer than
     * {@code thresholdMs}, worst first, as "second of the phase: slowest ms": periodic server work
     * shows as a regular spacing, machine noise does not.
     */
    String stalls(double thresholdMs, int most) {
      List<Integer> windows = new ArrayList<>();
      for (int w = 0; w < worstPerWindow.length; w++) {
        if (ms(worstPerWindow[w]) > thresholdMs) {
          windows.add(w);
        }
      }
      windows.sort((a, b) -> Long.compare(worstPerWindow[b], worstPerWindow[a]));
      StringBuilder out = new StringBuilder();
      for (int w : windows.subList(0, Math.min(most, windows.size()))) {
        out.append(
            String.format(
                Locale.ROOT,
                "%s%.1f s: %.0f ms",
                out.length() == 0 ? "" : ", ",
                w * WINDOW_MS / 1000.0,
                ms(worstPerWindow[w])));
      }
      return String.format(
          Locale.ROOT,
          "%s: %d windows of %d ms over %.0f ms%s%s",
          name,
          windows.size(),
          WINDOW_MS,
          thresholdMs,
          windows.isEmpty() ? "" : "; worst at ",
          out);
    }

    private static double ms(long nanos) {
      return nanos / 1_000_000.0;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path jar = Args.jar(options);
    int rate = Args.integer(options, "rate", 5000);
    int seconds = Args.integer(options, "seconds", 30);
    int warmup = Args.integer(options, "warmup", 10);
    String pg = options.get("pg");
    boolean checkpoint = Boolean.parseBoolean(options.getOrDefault("checkpoint", "true"));

    Path dir = Files.createTempDirectory("homelab-load");
    int port = Args.freePort();
    Map<String, String> env = new java.util.HashMap<>();
    env.put("ACCESS_LOCKOUT_THRESHOLD", "0");
    if (pg != null) {
      env.put("DATABASE_URL", pg);
    }
    // Extra server settings, KEY=VALUE;KEY=VALUE, for comparing configurations.
    for (String setting : options.getOrDefault("env", "").split(";")) {
      if (setting.contains("=")) {
        env.put(
            setting.substring(0, setting.indexOf('=')),
            setting.substring(setting.indexOf('=') + 1));
      }
    }
    Process server = startServer(jar, dir, port, env);
    Vertx vertx = Vertx.vertx();
    try (GroupCommitFloor fileFloor =
        GroupCommitFloor.onFile(
            dir.resolve("group-commit-floor.dat"),
            (long) rate * (seconds + warmup) * GroupCommitFloor.RECORD_BYTES)) {
      String jwt = startAndLogIn(server, port, dir);
      HttpClient http = localClient(vertx, port, CONNECTIONS);
      String storage = pg == null ? "sqlite" : "postgresql";
      LongFunction<Future<Integer>> check = n -> request(http, jwt, true, n);
      LongFunction<Future<Integer>> live = n -> request(http, jwt, false, n);
      LongFunction<Future<Integer>> synced = n -> fileFloor.append();
      System.out.printf(
          "Warming up %d s at %d req/s against %s (data in %s)%n", warmup, rate, storage, dir);
      run(vertx, "warm-up", rate, warmup, check);
      run(vertx, "warm-up", rate, warmup, live);
      run(vertx, "warm-up", rate, Math.max(1, warmup / 2), synced);
      List<Result> results = new ArrayList<>();
      try (GroupCommitFloor storeFloor = storeFloor(pg, dir)) {
        LongFunction<Future<Integer>> inserted = n -> storeFloor.append();
        run(vertx, "warm-up", rate, Math.max(1, warmup / 2), inserted);
        results.add(run(vertx, "GET /health/live (baseline)", rate, seconds, live));
        results.add(run(vertx, "fdatasync group commit (file floor)", rate, seconds, synced));
        results.add(
            run(vertx, "JDBC group commit (" + storage + " floor)", rate, seconds, inserted));
      }
      if (pg != null && checkpoint) {
        // A fresh cluster creates and zero-fills a new 16 MB WAL segment every few seconds under
        // this load, stalling the committing backend for 60-170 ms each time; a server that has
        // run a while recycles old segments at its checkpoints instead. Recycle those written so
        // far (the warm-up and the store floor's), right before the checks.
        postgres(pg, "CHECKPOINT");
      }
      // The checks' own warm-up was a minute ago: after that long without a check, the first
      // half second of checks stalls for up to 100 ms (a cold start that a steady load does not
      // see), so warm up again right before measuring.
      run(vertx, "warm-up", rate, Math.max(1, warmup / 2), check);
      long walBefore = pg == null ? 0 : walSegments(pg);
      results.add(run(vertx, "POST /api/access/check (" + storage + ")", rate, seconds, check));
      System.out.println();
      System.out.println(
          "| request | target/s | achieved/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max"
              + " ms | steal % |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      results.forEach(r -> System.out.println(r.row()));
      System.out.println();
      results.forEach(r -> System.out.println(r.stalls(10, 8)));
      double checkP99 = results.get(3).latency.getValueAtPercentile(99);
      System.out.printf(
          Locale.ROOT,
          "%ncheck p99 / baseline p99 = %.2f; / file floor p99 = %.2f; / %s floor p99 = %.2f%n",
          checkP99 / results.get(0).latency.getValueAtPercentile(99),
          checkP99 / results.get(1).latency.getValueAtPercentile(99),
          storage,
          checkP99 / results.get(2).latency.getValueAtPercentile(99));
      if (pg != null) {
        System.out.printf(
            "WAL segments added during the checks: %d (checkpoint before them: %s)%n",
            walSegments(pg) - walBefore, checkpoint);
        postgres(pg, "DROP TABLE IF EXISTS " + FLOOR_TABLE);
      }
    } finally {
      server.destroy();
      server.waitFor(15, TimeUnit.SECONDS);
      vertx.close().await();
    }
  }

  /**
   * Sends requests at a fixed rate for a while, each at its due time: like {@link #interleaved}
   * with one target.
   */
  static Result run(
      Vertx vertx, String name, int rate, int seconds, LongFunction<Future<Integer>> send) {
    return interleaved(vertx, List.of(name), rate, seconds, List.of(send)).get(0);
  }

  /**
   * Sends requests to several targets at a fixed rate each for a while, in turns (request {@code n}
   * goes to target {@code n % targets}), each at its due time: a pacing thread sleeps until the
   * next request is due and hands it to the client's event loop. Each request's latency runs from
   * its due time, not its send time. Taking turns request by request, rather than one target after
   * the other, gives every target the same machine: a noisy second hits all of them alike.
   *
   * <p>{@code sends.get(t)} makes request {@code n} of target {@code t} and completes with its
   * status; only 200 counts. Bounded in count ({@code rate * seconds} per target) and in time: what
   * has not answered a minute after the last request was due counts as an error.
   *
   * <p>A Vert.x timer would send in bursts once per millisecond, adding up to a millisecond of the
   * driver's own delay to every request and bunching them on the server; the pacing thread sends
   * within a few tens of microseconds of the due time.
   */
  static List<Result> interleaved(
      Vertx vertx,
      List<String> names,
      int rate,
      int seconds,
      List<LongFunction<Future<Integer>>> sends) {
    int targets = sends.size();
    List<Histogram> latencies = new ArrayList<>();
    List<AtomicLong> oks = new ArrayList<>();
    List<AtomicLong> errors = new ArrayList<>();
    List<AtomicLongArray> worsts = new ArrayList<>();
    for (int t = 0; t < targets; t++) {
      latencies.add(new SynchronizedHistogram(TimeUnit.SECONDS.toNanos(60), 3));
      oks.add(new AtomicLong());
      errors.add(new AtomicLong());
      worsts.add(new AtomicLongArray(seconds * (1000 / WINDOW_MS) + 1));
    }
    long total = (long) rate * seconds * targets;
    double interval = 1_000_000_000.0 / rate / targets;
    Promise<Void> done = Promise.promise();
    AtomicLong finished = new AtomicLong();
    Context context = vertx.getOrCreateContext();
    long[] cpuBefore = cpuTimes();
    long start = System.nanoTime();
    Thread pacer =
        new Thread(
            () -> {
              for (long n = 0; n < total; n++) {
                long due = start + (long) (n * interval);
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                  LockSupport.parkNanos(wait);
                }
                int target = (int) (n % targets);
                long sequence = n / targets;
                context.runOnContext(
                    v ->
                        sends
                            .get(target)
                            .apply(sequence)
                            .onComplete(
                                result -> {
                                  if (result.succeeded() && result.result() == 200) {
                                    oks.get(target).incrementAndGet();
                                    long took = Math.max(0, System.nanoTime() - due);
                                    latencies.get(target).recordValue(took);
                                    worsts
                                        .get(target)
                                        .accumulateAndGet(
                                            (int) ((due - start) / (WINDOW_MS * 1_000_000L)),
                                            took,
                                            Math::max);
                                  } else {
                                    errors.get(target).incrementAndGet();
                                  }
                                  if (finished.incrementAndGet() == total) {
                                    done.tryComplete();
                                  }
                                }));
              }
            },
            "load-pacer");
    pacer.setDaemon(true);
    pacer.start();
    try {
      done.future().toCompletionStage().toCompletableFuture().get(seconds + 60L, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException stuck) {
      // Bounded in time: what is still out counts as failed, in the first target's errors.
      errors.get(0).addAndGet(total - finished.get());
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long[] cpuAfter = cpuTimes();
    double steal = -1;
    if (cpuBefore != null && cpuAfter != null && cpuAfter[0] > cpuBefore[0]) {
      steal = (double) (cpuAfter[1] - cpuBefore[1]) / (cpuAfter[0] - cpuBefore[0]);
    }
    List<Result> results = new ArrayList<>();
    for (int t = 0; t < targets; t++) {
      AtomicLongArray worst = worsts.get(t);
      long[] worstPerWindow = new long[worst.length()];
      for (int w = 0; w < worstPerWindow.length; w++) {
        worstPerWindow[w] = worst.get(w);
      }
      results.add(
          new Result(
              names.get(t),
              rate,
              total / targets,
              oks.get(t).get(),
              errors.get(t).get(),
              elapsed,
              latencies.get(t),
              steal,
              worstPerWindow));
    }
    return results;
  }

  /**
   * The machine's CPU time so far from {@code /proc/stat}: {total, steal} in clock ticks, or {@code
   * null} off Linux.
   */
  /**
   * @param port where a server listens on loopback, in plain HTTP
   * @param connections the most connections to keep open to it
   * @return a client of it that keeps its connections alive
   */
  static HttpClient localClient(Vertx vertx, int port, int connections) {
    return vertx.createHttpClient(
        new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port).setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
  }

  /**
   * A GET whose body is read whole; at most 10 s.
   *
   * @param authorization the {@code Authorization} header, or {@code null} for none
   * @return its status
   */
  static Future<Integer> get(HttpClient http, String uri, String authorization) {
    RequestOptions options =
        new RequestOptions().setMethod(HttpMethod.GET).setURI(uri).setTimeout(10_000);
    if (authorization != null) {
      options.putHeader("Authorization", authorization);
    }
    return http.request(options)
        .compose(request -> request.send())
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  /**
   * A baseline and what is measured against it, sent in turns by {@link #interleaved}.
   *
   * @param results the baseline's result, then the subject's
   * @param baseline how the report names the baseline
   * @param subject how it names the subject
   * @return the table of both, then what the subject adds to the baseline at p50 and p99
   */
  static String sideBySide(List<Result> results, String baseline, String subject) {
    StringBuilder out = new StringBuilder();
    out.append(
        "| request | target/s | achieved/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms"
            + " | steal % |\n");
    out.append("|---|---|---|---|---|---|---|---|---|---|\n");
    results.forEach(result -> out.append(result.row()).append('\n'));
    out.append('\n');
    for (double percentile : new double[] {50, 99}) {
      double baseMs = results.get(0).latency().getValueAtPercentile(percentile) / 1e6;
      double subjectMs = results.get(1).latency().getValueAtPercentile(percentile) / 1e6;
      out.append(
          String.format(
              Locale.ROOT,
              "p%.0f: %s %.3f ms, %s %.3f ms: added %+.3f ms, ratio %.2f%n",
              percentile,
              subject,
              subjectMs,
              baseline,
              baseMs,
              subjectMs - baseMs,
              subjectMs / baseMs));
    }
    return out.toString();
  }

  private static long[] cpuTimes() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] fields = line.trim().split("\\s+");
      if (!fields[0].equals("cpu") || fields.length < 9) {
        return null;
      }
      long total = 0;
      for (int i = 1; i <= 8; i++) { // user to steal; guest time is already in user
        total += Long.parseLong(fields[i]);
      }
      return new long[] {total, Long.parseLong(fields[8])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Future<Integer> request(HttpClient http, String jwt, boolean check, long n) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(check ? HttpMethod.POST : HttpMethod.GET)
            .setURI(check ? "/api/access/check" : "/health/live")
            .putHeader("Authorization", "Bearer " + jwt)
            .putHeader("Content-Type", "application/json");
    Buffer body =
        check
            ? new JsonObject()
                .put("device_id", "door-" + (n % 50))
                .put("card_uid", n % 10 == 0 ? "01020304" : "BA839D07")
                .toBuffer()
            : null;
    return http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.body().map(b -> response.statusCode()));
  }

  /**
   * Starts the server jar in a process of its own, in {@code dir} (its data and {@code
   * console.log}), on {@code port}, logging warnings only and with rate limits out of the way.
   *
   * @param env further server settings, which win
   */
  static Process startServer(Path jar, Path dir, int port, Map<String, String> env)
      throws IOException {
    return startServer(jar, dir, port, env, List.of());
  }

  /**
   * Like {@link #startServer(Path, Path, int, Map)}, with options for the server's JVM (a heap
   * limit, for example).
   */
  static Process startServer(
      Path jar, Path dir, int port, Map<String, String> env, List<String> jvmOptions)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("console.log").toFile());
    builder.environment().put("PORT", String.valueOf(port));
    builder.environment().put("RATE_LIMIT_PER_MINUTE", "1000000");
    builder.environment().put("LOG_LEVEL", "warn");
    builder.environment().putAll(env);
    return builder.start();
  }

  private static String startAndLogIn(Process server, int port, Path dir) throws Exception {
    String jwt = awaitAndLogIn(server, port, dir);
    post(
        java.net.http.HttpClient.newHttpClient(),
        port,
        "/api/policies/cards",
        jwt,
        new JsonObject().put("uid", "BA839D07").put("holder", "Load"));
    return jwt;
  }

  /**
   * Waits (a minute at most) until the server of {@link #startServer} answers, then logs in as its
   * administrator with the access token it wrote.
   *
   * @return the session token
   */
  static String awaitAndLogIn(Process server, int port, Path dir) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the server did not start:\n" + Files.readString(dir.resolve("console.log")));
      }
      try {
        if (client
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                        .build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          break;
        }
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    String token = Files.readString(dir.resolve("data/access_token")).strip();
    String jwt =
        new JsonObject(
                post(client, port, "/api/auth/login", null, new JsonObject().put("token", token)))
            .getString("jwt");
    return jwt;
  }

  private static String post(
      java.net.http.HttpClient client, int port, String path, String jwt, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (jwt != null) {
      request.header("Authorization", "Bearer " + jwt);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static final String FLOOR_TABLE = "load_floor_access_logs";

  /**
   * The store floor's writer: on SQLite a database file of its own beside the server's, migrated
   * like it and opened like it (WAL, {@code synchronous=FULL}); on PostgreSQL a table with the
   * access log's columns and indexes in the server's database.
   */
  private static GroupCommitFloor storeFloor(String pg, Path dir) throws SQLException {
    if (pg == null) {
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(5_000);
      config.setJournalMode(SQLiteConfig.JournalMode.WAL);
      config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
      SQLiteDataSource source = new SQLiteDataSource(config);
      source.setUrl("jdbc:sqlite:" + dir.resolve("floor.db"));
      Migrations.migrate(source, StorageKind.SQLITE);
      return GroupCommitFloor.onStore(source.getConnection(), "access_logs", true);
    }
    postgres(pg, "DROP TABLE IF EXISTS " + FLOOR_TABLE);
    postgres(pg, "CREATE TABLE " + FLOOR_TABLE + " (LIKE access_logs INCLUDING ALL)");
    return GroupCommitFloor.onStore(PostgresUrl.connect(pg), FLOOR_TABLE, false);
  }

  /** Runs one statement on the server's database, through JDBC, and returns its first value. */
  private static String postgres(String url, String sql) throws SQLException {
    try (Connection connection = PostgresUrl.connect(url);
        Statement statement = connection.createStatement()) {
      if (!statement.execute(sql)) {
        return null;
      }
      try (ResultSet rows = statement.getResultSet()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }

  /** WAL segment files on the server: a rise during a phase counts the segments it created. */
  private static long walSegments(String url) throws SQLException {
    return Long.parseLong(postgres(url, "SELECT count(*) FROM pg_ls_waldir()"));
  }
}
