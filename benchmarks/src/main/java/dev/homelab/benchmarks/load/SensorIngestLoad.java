package dev.homelab.benchmarks.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sensor ingestion into PostgreSQL (issue 19, acceptance 4), three phases in one run:
 *
 * <ol>
 *   <li><b>server</b>: {@code --clients} closed-loop HTTP clients each send {@code POST
 *       /api/sensors/ingest} batches of {@code --batch} readings (temperature, humidity, pressure,
 *       each with a message id) to the server jar, started in a process of its own on the given
 *       database, for {@code --seconds}; counted are the readings acknowledged (each answer comes
 *       after its commit);
 *   <li><b>raw ceiling</b>: as many vertx-pg-client connections each run {@code INSERT INTO
 *       sensor_readings ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING} of batches of the same
 *       rows for the same time, from this process, with no server in between;
 *   <li><b>ack latency</b>: single readings at {@code --rate} per second (open loop, latency from
 *       each request's due time) for {@code --seconds}.
 * </ol>
 *
 * <p>It prints readings per second of both, their ratio (the acceptance asks for at least 40%), and
 * the percentiles of the single-reading answers (seed 002 asks for under 100 ms).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.SensorIngestLoad \
 *     --jar homelab-server/target/homelab-server.jar \
 *     --pg postgres://postgres@127.0.0.1:5432/ingest_load --clients 8 --batch 500 --seconds 15 \
 *     --rate 50
 * </pre>
 *
 * The database must exist and be empty (the server migrates it).
 */
public final class SensorIngestLoad {

  private SensorIngestLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path jar = Args.jar(options);
    String pg = options.get("pg");
    if (pg == null) {
      throw new IllegalArgumentException("--pg postgres://... (an empty database) is required");
    }
    int clients = Args.integer(options, "clients", 8);
    int batch = Args.integer(options, "batch", 500);
    int seconds = Args.integer(options, "seconds", 15);
    int rate = Args.integer(options, "rate", 50);

    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("homelab-ingest-load");
    int port = Args.freePort();
    Process server = AccessCheckLoad.startServer(jar, dir, port, Map.of("DATABASE_URL", pg));
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(Math.max(clients, 8)));
    Pool raw =
        PgBuilder.pool()
            .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(clients))
            .connectingTo(
                PgConnectOptions.fromUri(pg.replaceFirst("^postgres://", "postgresql://")))
            .using(vertx)
            .build();
    try {
      String jwt = AccessCheckLoad.awaitAndLogIn(server, port, dir);
      String device =
          send(
                  http,
                  HttpMethod.POST,
                  "/api/devices",
                  jwt,
                  new JsonObject().put("name", "load sensor").put("device_type", "sensor"))
              .map(body -> new JsonObject(body).getString("id"))
              .await();
      System.out.printf(
          Locale.ROOT,
          "%d clients, batches of %d, %d s each phase; then single readings at %d/s%n",
          clients,
          batch,
          seconds,
          rate);
      // Warm-up: a few seconds of each, not counted.
      throughput(vertx, clients, 3, w -> serverBatch(http, jwt, device, batch, "warm-s" + w));
      throughput(vertx, clients, 3, w -> rawBatch(raw, device, batch, "warm-r" + w));

      long serverReadings =
          throughput(vertx, clients, seconds, w -> serverBatch(http, jwt, device, batch, "s" + w));
      long rawReadings =
          throughput(vertx, clients, seconds, w -> rawBatch(raw, device, batch, "r" + w));
      double serverRate = serverReadings / (double) seconds;
      double rawRate = rawReadings / (double) seconds;

      // The latency phase is the steady state at a moderate rate: first let the leader's collector
      // bring the burst above into the metric tiers (at most two minutes).
      long caughtUp = caughtUp(pg, Duration.ofMinutes(2));
      AtomicLong single = new AtomicLong();
      AccessCheckLoad.Result ack =
          AccessCheckLoad.run(
              vertx,
              "single reading, POST /api/sensors/ingest",
              rate,
              seconds,
              n ->
                  send(
                          http,
                          HttpMethod.POST,
                          "/api/sensors/ingest",
                          jwt,
                          reading(device, "a" + single.incrementAndGet()))
                      .map(body -> 200)
                      .otherwise(500));

      System.out.println();
      System.out.printf(
          Locale.ROOT,
          "server: %.0f readings/s (HTTP batches of %d, %d clients, durable answers)%n",
          serverRate,
          batch,
          clients);
      System.out.printf(
          Locale.ROOT,
          "raw ceiling: %.0f readings/s (vertx-pg-client INSERT ... SELECT unnest(...), %d"
              + " connections)%n",
          rawRate,
          clients);
      System.out.printf(
          Locale.ROOT, "ratio: %.1f%% of the raw ceiling%n", 100 * serverRate / rawRate);
      System.out.printf(
          Locale.ROOT,
          "the collector had the burst in the metric tiers %.1f s after the raw phase%n",
          caughtUp / 1000.0);
      System.out.println();
      System.out.println(
          "| request | target/s | achieved/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms"
              + " | steal % |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      System.out.println(ack.row());
      System.out.printf(Locale.ROOT, "rows in sensor_readings: %d%n", count(pg));
    } finally {
      server.destroy();
      server.waitFor(15, TimeUnit.SECONDS);
      raw.close().await();
      vertx.close().await();
    }
  }

  /** One batch through the server; completes with the readings acknowledged. */
  private static Future<Integer> serverBatch(
      HttpClient http, String jwt, String device, int size, String prefix) {
    JsonArray readings = new JsonArray();
    String stamp = prefix + "-" + System.nanoTime();
    for (int i = 0; i < size; i++) {
      readings.add(reading(device, stamp + "-" + i));
    }
    return send(
            http,
            HttpMethod.POST,
            "/api/sensors/ingest",
            jwt,
            new JsonObject().put("readings", readings))
        .map(body -> new JsonObject(body).getInteger("stored"));
  }

  private static JsonObject reading(String device, String messageId) {
    return new JsonObject()
        .put("device_id", device)
        .put("timestamp", Instant.now().toString())
        .put("message_id", messageId)
        .put("temperature", 21.5)
        .put("humidity", 45.0)
        .put("pressure", 1013.2);
  }

  /** The same rows straight into the table, as the server's PostgreSQL adapter writes them. */
  private static Future<Integer> rawBatch(Pool pool, String device, int size, String prefix) {
    String[] devices = new String[size];
    Long[] times = new Long[size];
    String[] messages = new String[size];
    String[] fields = new String[size];
    String stamp = prefix + "-" + System.nanoTime();
    long now = System.currentTimeMillis();
    String values =
        new JsonObject()
            .put("temperature", 21.5)
            .put("humidity", 45.0)
            .put("pressure", 1013.2)
            .encode();
    for (int i = 0; i < size; i++) {
      devices[i] = device;
      times[i] = now;
      messages[i] = stamp + "-" + i;
      fields[i] = values;
    }
    return pool.preparedQuery(
            "INSERT INTO sensor_readings (device_id, time, message_id, fields, stored_at)"
                + " SELECT r.d, r.t, r.m, r.f, $5"
                + " FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[]) AS r (d, t, m, f)"
                + " ON CONFLICT (device_id, time, message_id) DO NOTHING")
        .execute(Tuple.of(devices, times, messages, fields, now))
        .map(rows -> rows.rowCount());
  }

  /** A closed loop per worker for a while; the rows written by requests that ended in time. */
  private static long throughput(
      Vertx vertx,
      int workers,
      int seconds,
      java.util.function.IntFunction<Future<Integer>> request) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong rows = new AtomicLong();
    List<Future<Void>> loops = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> loop(request, worker, end, rows, done));
      loops.add(done.future());
    }
    Future.all(loops).await();
    return rows.get();
  }

  private static void loop(
      java.util.function.IntFunction<Future<Integer>> request,
      int worker,
      long end,
      AtomicLong rows,
      Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    request
        .apply(worker)
        .onComplete(
            result -> {
              if (result.failed()) {
                done.fail(result.cause());
                return;
              }
              if (System.nanoTime() <= end) {
                rows.addAndGet(result.result());
              }
              loop(request, worker, end, rows, done);
            });
  }

  private static Future<String> send(
      HttpClient http, HttpMethod method, String path, String jwt, JsonObject body) {
    return http.request(
            new RequestOptions()
                .setMethod(method)
                .setURI(path)
                .putHeader("Authorization", "Bearer " + jwt)
                .putHeader("Content-Type", "application/json")
                .setTimeout(30_000))
        .compose(request -> request.send(Buffer.buffer(body.encode())))
        .compose(
            response ->
                response
                    .body()
                    .compose(
                        answer ->
                            response.statusCode() / 100 == 2
                                ? Future.succeededFuture(answer.toString())
                                : Future.failedFuture(
                                    path + " answered " + response.statusCode() + ": " + answer)));
  }

  /**
   * Waits until the metric points stop growing for two seconds in a row (the collector has caught
   * up), at most {@code limit}.
   *
   * @return how long it took, in milliseconds
   */
  private static long caughtUp(String pg, Duration limit) throws Exception {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long last = -1;
    int steady = 0;
    while (steady < 2 && System.nanoTime() < deadline) {
      long points = points(pg);
      steady = points == last ? steady + 1 : 0;
      last = points;
      Thread.sleep(1_000);
    }
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static long points(String pg) throws Exception {
    try (Connection connection = PostgresUrl.connect(pg);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM metric_points")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static long count(String pg) throws Exception {
    try (Connection connection = PostgresUrl.connect(pg);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM sensor_readings")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
