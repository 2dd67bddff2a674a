package dev.homelab.benchmarks.load;

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
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * An open-loop load driver for {@code POST /api/access/check}: starts the server jar in a process
 * of its own (on SQLite, or on PostgreSQL with {@code --pg <url>}), sends checks at a fixed rate
 * over loopback and reports latency percentiles, measured from when each request was due, so that a
 * stalled server is not hidden by a stalled client (no coordinated omission).
 *
 * <p>In the same run and at the same rate it measures {@code GET /health/live}, an HTTP round trip
 * that touches neither auth nor storage, as the baseline the checks are reported against.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.AccessCheckLoad \
 *     --jar homelab-server/target/homelab-server.jar --rate 5000 --seconds 30 \
 *     [--pg postgres://postgres@127.0.0.1:5432/loadtest]
 * </pre>
 */
public final class AccessCheckLoad {

  private static final int CONNECTIONS = Integer.getInteger("connections", 64);

  private AccessCheckLoad() {}

  /** One measured phase. */
  record Result(
      String name, int rate, long sent, long ok, long errors, double seconds, Histogram latency) {
    String row() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %.0f | %d | %.3f | %.3f | %.3f | %.3f | %.3f |",
          name,
          rate,
          ok / seconds,
          errors,
          ms(latency.getValueAtPercentile(50)),
          ms(latency.getValueAtPercentile(90)),
          ms(latency.getValueAtPercentile(99)),
          ms(latency.getValueAtPercentile(99.9)),
          ms(latency.getMaxValue()));
    }

    private static double ms(long nanos) {
      return nanos / 1_000_000.0;
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Path jar = Path.of(options.getOrDefault("jar", "homelab-server/target/homelab-server.jar"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "5000"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "10"));
    String pg = options.get("pg");

    Path dir = Files.createTempDirectory("homelab-load");
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toAbsolutePath().toString())
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("console.log").toFile());
    builder.environment().put("PORT", String.valueOf(port));
    builder.environment().put("RATE_LIMIT_PER_MINUTE", "1000000");
    builder.environment().put("ACCESS_LOCKOUT_THRESHOLD", "0");
    builder.environment().put("LOG_LEVEL", "warn");
    if (pg != null) {
      builder.environment().put("DATABASE_URL", pg);
    }
    // Extra server settings, KEY=VALUE;KEY=VALUE, for comparing configurations.
    for (String setting : options.getOrDefault("env", "").split(";")) {
      if (setting.contains("=")) {
        builder
            .environment()
            .put(
                setting.substring(0, setting.indexOf('=')),
                setting.substring(setting.indexOf('=') + 1));
      }
    }
    Process server = builder.start();
    Vertx vertx = Vertx.vertx();
    try {
      String jwt = startAndLogIn(server, port, dir);
      HttpClient http =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setDefaultHost("127.0.0.1")
                  .setDefaultPort(port)
                  .setKeepAlive(true),
              new PoolOptions().setHttp1MaxSize(CONNECTIONS));
      String storage = pg == null ? "sqlite" : "postgresql";
      System.out.printf(
          "Warming up %d s at %d req/s against %s (data in %s)%n", warmup, rate, storage, dir);
      run(vertx, http, jwt, "warm-up", rate, warmup, true);
      run(vertx, http, jwt, "warm-up", rate, warmup, false);
      List<Result> results = new ArrayList<>();
      results.add(run(vertx, http, jwt, "GET /health/live (baseline)", rate, seconds, false));
      results.add(
          run(vertx, http, jwt, "POST /api/access/check (" + storage + ")", rate, seconds, true));
      System.out.println();
      System.out.println(
          "| request | target/s | achieved/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max"
              + " ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      results.forEach(r -> System.out.println(r.row()));
      double ratio =
          (double) results.get(1).latency.getValueAtPercentile(99)
              / results.get(0).latency.getValueAtPercentile(99);
      System.out.printf(Locale.ROOT, "%ncheck p99 / baseline p99 = %.2f%n", ratio);
    } finally {
      server.destroy();
      server.waitFor(15, TimeUnit.SECONDS);
      vertx.close().await();
    }
  }

  /**
   * Sends requests at a fixed rate for a while, each at its due time: a pacing thread sleeps until
   * the next request is due and hands it to the client's event loop. Each request's latency runs
   * from its due time, not its send time.
   *
   * <p>A Vert.x timer would send in bursts once per millisecond, adding up to a millisecond of the
   * driver's own delay to every request and bunching them on the server; the pacing thread sends
   * within a few tens of microseconds of the due time.
   */
  static Result run(
      Vertx vertx, HttpClient http, String jwt, String name, int rate, int seconds, boolean check) {
    Histogram latency = new SynchronizedHistogram(TimeUnit.SECONDS.toNanos(60), 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long total = (long) rate * seconds;
    double interval = 1_000_000_000.0 / rate;
    Promise<Void> done = Promise.promise();
    AtomicLong finished = new AtomicLong();
    Context context = vertx.getOrCreateContext();
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
                long sequence = n;
                context.runOnContext(
                    v ->
                        request(http, jwt, check, sequence)
                            .onComplete(
                                result -> {
                                  if (result.succeeded() && result.result() == 200) {
                                    ok.incrementAndGet();
                                    latency.recordValue(Math.max(0, System.nanoTime() - due));
                                  } else {
                                    errors.incrementAndGet();
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
    done.future().await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    return new Result(name, rate, total, ok.get(), errors.get(), elapsed, latency);
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

  private static String startAndLogIn(Process server, int port, Path dir) throws Exception {
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
    post(
        client,
        port,
        "/api/policies/cards",
        jwt,
        new JsonObject().put("uid", "BA839D07").put("holder", "Load"));
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
