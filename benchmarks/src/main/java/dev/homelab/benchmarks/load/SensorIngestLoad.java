package dev.homelab.benchmarks.load;

import io.netty.handler.codec.mqtt.MqttQoS;
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
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Sensor ingestion into PostgreSQL (issue 19, acceptance 4), three phases in one run:
 *
 * <ol>
 *   <li><b>server</b>: {@code --clients} closed-loop HTTP clients each send {@code POST
 *       /api/sensors/ingest} batches of {@code --batch} readings (temperature, humidity, pressure,
 *       each with a message id) to the server jar, started in a process of its own on the given
 *       database, for {@code --seconds}; counted are the readings acknowledged (each answer comes
 *       after its commit);
 *   <li><b>raw ceiling</b>, measured first: as many vertx-pg-client connections each run {@code
 *       INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING} of batches of the same rows for
 *       the same time, from this process, with no server in between, into a table made {@code LIKE
 *       sensor_readings INCLUDING ALL} with its foreign key (in the server's own table its rows
 *       would be the server collector's work too);
 *   <li><b>mqtt</b> (unless {@code --mqtt-publishers 0}): that many sensors registered with their
 *       tokens on the server's device gateway, each keeping {@code --mqtt-window} QoS 1 readings in
 *       flight, one reading per message, counted at their PUBACK (sent once committed);
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
 * The database must exist and be empty (the server migrates it). Without {@code --pg} the server
 * runs on SQLite, its embedded default, in a new data directory, and the ceiling is skipped.
 */
public final class SensorIngestLoad {

  /** The ceiling's table, a copy of {@code sensor_readings}'s definition. */
  private static final String CEILING_TABLE = "ingest_ceiling";

  private SensorIngestLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path jar = Args.jar(options);
    // Without --pg the server runs on SQLite, its embedded default, and there is no ceiling.
    String pg = options.get("pg");
    int clients = Args.integer(options, "clients", 8);
    int batch = Args.integer(options, "batch", 500);
    int seconds = Args.integer(options, "seconds", 15);
    int rate = Args.integer(options, "rate", 50);
    // 0: every reading of a batch at the time it was made (most share a millisecond, as readings
    // with whole-second timestamps do); N: readings spread over N sensors, each reading at a
    // millisecond of its own, so the history has a point for every field of every reading.
    int sensors = Args.integer(options, "distinct-sensors", 0);
    // MQTT sensors on the device gateway, each with this many QoS 1 readings in flight; 0: no
    // MQTT phase.
    int publishers = Args.integer(options, "mqtt-publishers", 50);
    int window = Args.integer(options, "mqtt-window", 8);

    Vertx vertx = Vertx.vertx();
    Path dir = Files.createTempDirectory("homelab-ingest-load");
    int port = Args.freePort();
    int gateway = Args.freePort();
    Map<String, String> env = new java.util.HashMap<>(Map.of("MQTT_GATEWAY_PORT", "" + gateway));
    if (pg != null) {
      env.put("DATABASE_URL", pg);
    }
    Process server = AccessCheckLoad.startServer(jar, dir, port, env);
    Database database =
        pg != null
            ? () -> PostgresUrl.connect(pg)
            : () ->
                java.sql.DriverManager.getConnection(
                    "jdbc:sqlite:" + dir.resolve("data/homelab.db"));
    HttpClient http =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(port)
                .setKeepAlive(true),
            new PoolOptions().setHttp1MaxSize(Math.max(clients, 8)));
    Pool raw =
        pg == null
            ? null
            : PgBuilder.pool()
                .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(clients))
                .connectingTo(
                    PgConnectOptions.fromUri(pg.replaceFirst("^postgres://", "postgresql://")))
                .using(vertx)
                .build();
    try {
      String jwt = AccessCheckLoad.awaitAndLogIn(server, port, dir);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < Math.max(1, sensors); i++) {
        ids.add(
            send(
                    http,
                    HttpMethod.POST,
                    "/api/devices",
                    jwt,
                    new JsonObject().put("name", "load sensor " + i).put("device_type", "sensor"))
                .map(body -> new JsonObject(body).getString("id"))
                .await());
      }
      Stamps stamps = new Stamps(ids, sensors > 0);
      String device = ids.get(0);
      System.out.printf(
          Locale.ROOT,
          "%d clients, batches of %d, %d s each phase; then single readings at %d/s%n",
          clients,
          batch,
          seconds,
          rate);
      // The ceiling writes a table of its own with the readings' columns, indexes, constraints
      // and foreign key: in the server's table its rows would be the collector's work too.
      if (raw != null) {
        raw.query("CREATE TABLE " + CEILING_TABLE + " (LIKE sensor_readings INCLUDING ALL)")
            .execute()
            .await();
        raw.query(
                "ALTER TABLE "
                    + CEILING_TABLE
                    + " ADD FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE")
            .execute()
            .await();
        // Warm-up: a few seconds of each, not counted.
        throughput(vertx, clients, 3, w -> rawBatch(raw, stamps, batch, "warm-r" + w));
      }
      throughput(vertx, clients, 3, w -> serverBatch(http, jwt, stamps, batch, "warm-s" + w));
      caughtUp(database, Duration.ofMinutes(2));

      // The ceiling first: the server's deferred work (its collector brings the burst into the
      // metric tiers after it, see docs/sensors.md) must not land on the ceiling's phase.
      long rawReadings =
          raw == null
              ? 0
              : throughput(vertx, clients, seconds, w -> rawBatch(raw, stamps, batch, "r" + w));
      long serverReadings =
          throughput(vertx, clients, seconds, w -> serverBatch(http, jwt, stamps, batch, "s" + w));
      double serverRate = serverReadings / (double) seconds;
      double rawRate = rawReadings / (double) seconds;
      double mqttRate = 0;
      if (publishers > 0) {
        caughtUp(database, Duration.ofMinutes(2));
        List<MqttSensor> mqtt = MqttSensor.connect(vertx, http, jwt, gateway, publishers);
        try {
          throughput(vertx, publishers * window, 3, w -> mqtt.get(w % publishers).publish());
          mqttRate =
              throughput(
                      vertx, publishers * window, seconds, w -> mqtt.get(w % publishers).publish())
                  / (double) seconds;
        } finally {
          mqtt.forEach(MqttSensor::close);
        }
      }

      // The latency phase is the steady state at a moderate rate: first let the leader's collector
      // bring the burst above into the metric tiers (at most two minutes).
      long caughtUp = caughtUp(database, Duration.ofMinutes(2));
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
      if (raw != null) {
        System.out.printf(
            Locale.ROOT,
            "raw ceiling: %.0f readings/s (vertx-pg-client INSERT ... SELECT unnest(...), %d"
                + " connections)%n",
            rawRate,
            clients);
        System.out.printf(
            Locale.ROOT, "ratio: %.1f%% of the raw ceiling%n", 100 * serverRate / rawRate);
      }
      if (publishers > 0) {
        System.out.printf(
            Locale.ROOT,
            "mqtt: %.0f readings/s (%d sensors on the gateway, QoS 1, %d in flight each, one"
                + " reading per message, each PUBACKed once committed)%s%n",
            mqttRate,
            publishers,
            window,
            raw == null
                ? ""
                : String.format(
                    Locale.ROOT, ": %.1f%% of the raw ceiling", 100 * mqttRate / rawRate));
      }
      System.out.printf(
          Locale.ROOT,
          "the history of the last burst was complete %.1f s after it%n",
          caughtUp / 1000.0);
      System.out.println();
      System.out.println(
          "| request | target/s | achieved/s | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms"
              + " | steal % |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|");
      System.out.println(ack.row());
      System.out.printf(Locale.ROOT, "rows in sensor_readings: %d%n", count(database));
    } finally {
      server.destroy();
      server.waitFor(15, TimeUnit.SECONDS);
      if (raw != null) {
        raw.close().await();
      }
      vertx.close().await();
    }
  }

  /** A sensor on the gateway: its device, its connection, and its readings waiting for a PUBACK. */
  private static final class MqttSensor {
    private final String deviceId;
    private final MqttClient client;
    private final Map<Integer, Promise<Integer>> unacknowledged = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();

    private MqttSensor(String deviceId, MqttClient client) {
      this.deviceId = deviceId;
      this.client = client;
      client.publishCompletionHandler(
          packetId -> {
            Promise<Integer> acked = unacknowledged.remove(packetId);
            if (acked != null) {
              acked.complete(1);
            }
          });
    }

    /** Registers {@code count} sensors with their tokens and connects each to the gateway. */
    static List<MqttSensor> connect(Vertx vertx, HttpClient http, String jwt, int port, int count) {
      List<MqttSensor> sensors = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String id =
            send(
                    http,
                    HttpMethod.POST,
                    "/api/devices",
                    jwt,
                    new JsonObject().put("name", "mqtt sensor " + i).put("device_type", "sensor"))
                .map(body -> new JsonObject(body).getString("id"))
                .await();
        String token =
            send(http, HttpMethod.POST, "/api/devices/" + id + "/token", jwt, new JsonObject())
                .map(body -> new JsonObject(body).getString("token"))
                .await();
        MqttClient client =
            MqttClient.create(
                vertx,
                new MqttClientOptions().setUsername(id).setPassword(token).setMaxInflightQueue(64));
        client.connect(port, "127.0.0.1").await();
        sensors.add(new MqttSensor(id, client));
      }
      return sensors;
    }

    /** Publishes one reading at QoS 1; completes with 1 at its PUBACK. */
    Future<Integer> publish() {
      Promise<Integer> acked = Promise.promise();
      JsonObject reading =
          new JsonObject()
              .put("temperature", 21.5)
              .put("humidity", 45.0)
              .put("pressure", 1013.2)
              .put("ts", System.currentTimeMillis() / 1000.0)
              .put("message_id", "m" + sent.incrementAndGet());
      client
          .publish(
              "homelab/sensors/" + deviceId,
              reading.toBuffer(),
              MqttQoS.AT_LEAST_ONCE,
              false,
              false)
          .onSuccess(packetId -> unacknowledged.put(packetId, acked))
          .onFailure(acked::tryFail);
      return acked.future();
    }

    void close() {
      client.disconnect();
    }
  }

  /**
   * Which sensor a reading is of and its time: one sensor, now (readings made in one millisecond
   * share it); or round robin over the sensors, each reading a millisecond after its sensor's last
   * one (never before now), so that every reading is a point of its own in the history.
   */
  private static final class Stamps {
    private final List<String> devices;
    private final boolean distinct;
    private final AtomicLong next = new AtomicLong();
    private final AtomicLongArray last;

    Stamps(List<String> devices, boolean distinct) {
      this.devices = List.copyOf(devices);
      this.distinct = distinct;
      this.last = new AtomicLongArray(devices.size());
    }

    int sensor() {
      return distinct ? (int) (next.getAndIncrement() % devices.size()) : 0;
    }

    String device(int sensor) {
      return devices.get(sensor);
    }

    long time(int sensor) {
      long now = System.currentTimeMillis();
      return distinct
          ? last.accumulateAndGet(sensor, now, (prev, t) -> Math.max(prev + 1, t))
          : now;
    }
  }

  /** One batch through the server; completes with the readings acknowledged. */
  private static Future<Integer> serverBatch(
      HttpClient http, String jwt, Stamps stamps, int size, String prefix) {
    JsonArray readings = new JsonArray();
    String stamp = prefix + "-" + System.nanoTime();
    for (int i = 0; i < size; i++) {
      int sensor = stamps.sensor();
      readings.add(reading(stamps.device(sensor), stamps.time(sensor), stamp + "-" + i));
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
    return reading(device, System.currentTimeMillis(), messageId);
  }

  private static JsonObject reading(String device, long time, String messageId) {
    return new JsonObject()
        .put("device_id", device)
        .put("timestamp", Instant.ofEpochMilli(time).toString())
        .put("message_id", messageId)
        .put("temperature", 21.5)
        .put("humidity", 45.0)
        .put("pressure", 1013.2);
  }

  /** The same rows straight into the table, as the server's PostgreSQL adapter writes them. */
  private static Future<Integer> rawBatch(Pool pool, Stamps stamps, int size, String prefix) {
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
      int sensor = stamps.sensor();
      devices[i] = stamps.device(sensor);
      times[i] = stamps.time(sensor);
      messages[i] = stamp + "-" + i;
      fields[i] = values;
    }
    return pool.preparedQuery(
            "INSERT INTO "
                + CEILING_TABLE
                + " (device_id, time, message_id, fields, stored_at)"
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
   * Waits (at most {@code limit}) until the history holds every reading stored: one point of {@code
   * sensor.temperature} per distinct reading time (the tiers keep one point per millisecond), and
   * says how far it got.
   *
   * @return how long it took, in milliseconds
   */
  /** The server's database, opened through JDBC. */
  private interface Database {
    Connection open() throws java.sql.SQLException;
  }

  private static long caughtUp(Database database, Duration limit) throws Exception {
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    long[] done;
    while ((done = history(database))[0] < done[1] && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    System.out.printf(
        Locale.ROOT,
        "history: %d of %d (sensor, reading time) points in sensor.temperature after %.1f s%n",
        done[0],
        done[1],
        took / 1000.0);
    return took;
  }

  /** {points of sensor.temperature, distinct reading times}. */
  private static long[] history(Database database) throws Exception {
    try (Connection connection = database.open();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT (SELECT count(*) FROM metric_points p JOIN metric_series s"
                    + " ON s.id = p.series_id WHERE s.name = 'sensor.temperature'),"
                    + " (SELECT count(*) FROM (SELECT DISTINCT device_id, time FROM sensor_readings)"
                    + " AS d)")) {
      rows.next();
      return new long[] {rows.getLong(1), rows.getLong(2)};
    }
  }

  private static long count(Database database) throws Exception {
    try (Connection connection = database.open();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM sensor_readings")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
