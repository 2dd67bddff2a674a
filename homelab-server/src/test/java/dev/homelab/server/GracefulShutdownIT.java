package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under a steady load (reliability matrix row F20): the server jar takes sensor readings on
 * eight lanes and holds an event stream open when it is sent SIGTERM, and the lanes keep sending
 * until it is gone. Every request answered 2xx is stored; during the drain a request is answered
 * 2xx or 503, or its connection is refused (the listener is closed) or closed unanswered, never
 * anything else; the event stream is ended by the server, with a last frame saying why, before the
 * process exits; the process exits 0 within its grace period. Sensors on the MQTT device gateway
 * publish at QoS 1 throughout: their sessions end with the server, and every reading it
 * acknowledged is stored once.
 */
@Timeout(120)
class GracefulShutdownIT {

  static final int GRACE_SECONDS = 10;
  static final int LANES = 8;
  static final int BATCH = 10;
  static final int MQTT_SENSORS = 4;

  private final ServerJar jars = new ServerJar();
  private final Vertx mqtt = Vertx.vertx();
  @TempDir Path dir;

  @AfterEach
  void killLeftovers() throws Exception {
    jars.close();
    mqtt.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void sigtermUnderLoadDrainsStoresEveryAcknowledgedReadingAndExitsZero() throws Exception {
    int gateway = ServerJar.freePort();
    ServerJar.Started started =
        jars.start(
            dir,
            Map.of(
                "SHUTDOWN_TIMEOUT_SECONDS",
                Integer.toString(GRACE_SECONDS),
                "RATE_LIMIT_PER_MINUTE",
                "1000000",
                "MQTT_GATEWAY_PORT",
                Integer.toString(gateway)));
    Process server = started.process();
    int port = started.port();
    String jwt = started.jwt();
    String device = jars.createDevice(started, "draining sensor", "sensor");

    // Sensors on the MQTT device gateway, publishing at QoS 1 through the drain.
    List<MqttSensor> sensors = new ArrayList<>();
    for (int i = 0; i < MQTT_SENSORS; i++) {
      String id = jars.createDevice(started, "mqtt sensor " + i, "sensor");
      HttpResponse<String> token =
          jars.http.send(
              ServerJar.post(port, "/api/devices/" + id + "/token", jwt, new JsonObject()),
              HttpResponse.BodyHandlers.ofString());
      assertThat(token.statusCode() / 100).as(token.body()).isEqualTo(2);
      String secret = new JsonObject(token.body()).getString("token");
      sensors.add(MqttSensor.connect(mqtt, gateway, id, secret, "drain-" + i, "q" + i + "-"));
    }
    for (MqttSensor sensor : sensors) {
      sensor.timer = mqtt.setPeriodic(50, timer -> sensor.publishNext());
    }

    // An event stream that the shutdown must end, with its lines as they come.
    List<String> streamLines = new ArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        jars.http.sendAsync(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/api/events?topics=sensor.reading"))
                .header("Authorization", "Bearer " + jwt)
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    CompletableFuture<Void> streamEnded =
        stream.thenAccept(
            response ->
                response
                    .body()
                    .forEach(
                        line -> {
                          synchronized (streamLines) {
                            streamLines.add(line);
                          }
                        }));

    Load load = new Load(port, jwt, device);
    Thread sender = new Thread(load::run, "f20-load");
    sender.start();
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                load.acknowledged.size() >= 500
                    && sensors.stream().allMatch(sensor -> sensor.acked.size() >= 10));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(stream::isDone); // its head came

    long signalled = System.nanoTime();
    load.signalled = true;
    server.destroy(); // SIGTERM
    boolean exited = server.waitFor(GRACE_SECONDS + 10, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - signalled);
    load.stop = true;
    sender.join(30_000);
    sensors.forEach(sensor -> mqtt.cancelTimer(sensor.timer));

    assertThat(exited).as("exited within the grace period").isTrue();
    assertThat(server.exitValue()).isZero();
    assertThat(took).isLessThan(Duration.ofSeconds(GRACE_SECONDS + 5));
    streamEnded.get(5, TimeUnit.SECONDS); // ended by the server, cleanly
    synchronized (streamLines) {
      assertThat(String.join("\n", streamLines)).contains("shutting down");
    }

    assertThat(load.afterSignal.keySet())
        .as("answers after SIGTERM (0: refused connection, -1: closed unanswered)")
        .isSubsetOf(0, -1, 201, 503);
    // Counted by when a request was handed to the client, which may send it after the signal.
    assertThat(load.beforeSignal.keySet()).as("answers before SIGTERM").contains(201);
    assertThat(load.beforeSignal.keySet()).isSubsetOf(0, -1, 201, 503);
    assertThat(load.afterSignal.values().stream().mapToInt(Integer::intValue).sum())
        .as("requests sent after SIGTERM")
        .isPositive();

    List<String> stored =
        SensorDurabilityIT.storedMessageIds(
            new StorageOptions().setSqlitePath(dir.resolve("data/homelab.db").toString()));
    Set<String> distinct = new HashSet<>(stored);
    assertThat(stored).as("no reading stored twice").hasSameSizeAs(distinct);
    Set<String> missing = new HashSet<>(load.acknowledged);
    missing.removeAll(distinct);
    assertThat(missing).as("acknowledged readings not stored").isEmpty();

    // The gateway's sessions: each ended (the gateway closes them as the drain starts, or the exit
    // does; a device cannot tell the two apart), and every reading the gateway acknowledged
    // (PUBACK), before or during the drain, stored once.
    assertThat(sensors).allSatisfy(sensor -> assertThat(sensor.closed).isTrue());
    Set<String> pubacked = new HashSet<>();
    sensors.forEach(sensor -> pubacked.addAll(sensor.acked));
    assertThat(pubacked).as("PUBACKed readings").hasSizeGreaterThanOrEqualTo(MQTT_SENSORS * 10);
    Set<String> lost = new HashSet<>(pubacked);
    lost.removeAll(distinct);
    assertThat(lost).as("PUBACKed readings not stored").isEmpty();
  }

  /**
   * Batches of readings on {@link #LANES} lanes at once, until told to stop or (bounded) 50,000
   * batches; answers counted apart before and after the signal.
   */
  private final class Load {
    final int port;
    final String jwt;
    final String device;
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Map<Integer, Integer> beforeSignal = new TreeMap<>();
    final Map<Integer, Integer> afterSignal = new TreeMap<>();
    final AtomicLong batches = new AtomicLong();
    volatile boolean signalled;
    volatile boolean stop;

    Load(int port, String jwt, String device) {
      this.port = port;
      this.jwt = jwt;
      this.device = device;
    }

    void run() {
      Semaphore lanes = new Semaphore(LANES);
      AtomicInteger refusedInARow = new AtomicInteger();
      try {
        for (int b = 0; b < 50_000 && !stop && refusedInARow.get() < 20; b++) {
          List<String> ids = new ArrayList<>();
          JsonArray readings = new JsonArray();
          for (int i = 0; i < BATCH; i++) {
            String id = "b" + b + "-" + i;
            ids.add(id);
            readings.add(
                new JsonObject()
                    .put("device_id", device)
                    .put("timestamp", Instant.now().toString())
                    .put("message_id", id)
                    .put("temperature", 20 + i % 5));
          }
          lanes.acquire();
          boolean afterSignal = signalled;
          batches.incrementAndGet();
          jars.http
              .sendAsync(
                  ServerJar.post(
                      port, "/api/sensors/ingest", jwt, new JsonObject().put("readings", readings)),
                  HttpResponse.BodyHandlers.ofString())
              .whenComplete(
                  (response, failure) -> {
                    int outcome;
                    if (failure == null) {
                      outcome = response.statusCode();
                      if (outcome / 100 == 2) {
                        acknowledged.addAll(ids);
                      }
                      refusedInARow.set(0);
                    } else if (causedBy(failure, ConnectException.class)) {
                      outcome = 0;
                      refusedInARow.incrementAndGet();
                    } else {
                      outcome = -1;
                    }
                    Map<Integer, Integer> counts = afterSignal ? this.afterSignal : beforeSignal;
                    synchronized (counts) {
                      counts.merge(outcome, 1, Integer::sum);
                    }
                    lanes.release();
                  });
        }
        lanes.acquire(LANES); // the last answers
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
