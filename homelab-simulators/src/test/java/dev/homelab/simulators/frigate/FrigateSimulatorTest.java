package dev.homelab.simulators.frigate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulator over real HTTP with a bare Vert.x client: its version decides the stats shape and
 * the height parameter it reads, its filters and ranges work, and its login and faults behave as
 * described.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrigateSimulatorTest {

  private Vertx vertx;
  private HttpClient client;
  private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private FrigateSimulator simulator(FrigateSimulatorOptions options) {
    return await(FrigateSimulator.start(vertx, options.setNewEventEvery(null)));
  }

  private record Reply(int status, String type, String range, Buffer body) {}

  private Reply get(FrigateSimulator simulator, String uri, String... headers) {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(simulator.baseUrl() + uri))
            .timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      java.net.http.HttpResponse<byte[]> response =
          jdk.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(null),
          response.headers().firstValue("Content-Range").orElse(null),
          Buffer.buffer(response.body()));
    } catch (Exception e) {
      throw new AssertionError(uri + " " + simulator.requests(), e);
    }
  }

  private static BufferedImage decode(Buffer body) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(body.getBytes()));
  }

  @Test
  void newVersionsNestCamerasInStatsAndReadHeight() throws Exception {
    FrigateSimulator simulator =
        simulator(new FrigateSimulatorOptions().setVersion("0.16.0-abc1234"));
    JsonObject stats = get(simulator, "/api/stats").body().toJsonObject();
    assertThat(stats.getJsonObject("cameras").fieldNames())
        .containsExactlyInAnyOrder("front_door", "backyard", "garage");
    assertThat(stats.getJsonObject("service").getString("version")).isEqualTo("0.16.0-abc1234");
    assertThat(get(simulator, "/api/version").body().toString()).isEqualTo("0.16.0-abc1234");

    Reply frame = get(simulator, "/api/garage/latest.jpg?h=100&height=240");
    assertThat(frame.type()).isEqualTo("image/jpeg");
    assertThat(decode(frame.body()).getHeight()).isEqualTo(240);
    assertThat(simulator.lastSnapshotQuery())
        .containsEntry("h", "100")
        .containsEntry("height", "240");
  }

  @Test
  void oldVersionsPutCamerasAtTheTopAndReadH() throws Exception {
    FrigateSimulator simulator =
        simulator(new FrigateSimulatorOptions().setVersion("0.12.1-367d724"));
    JsonObject stats = get(simulator, "/api/stats").body().toJsonObject();
    assertThat(stats.containsKey("cameras")).isFalse();
    assertThat(stats.getJsonObject("front_door").getDouble("camera_fps")).isPositive();
    assertThat(stats.getJsonObject("cpu_usages").containsKey("%Cpu(s):")).isTrue();
    Reply frame = get(simulator, "/api/garage/latest.jpg?h=100&height=240");
    assertThat(decode(frame.body()).getHeight()).isEqualTo(100);
    JsonObject event = get(simulator, "/api/events?limit=1").body().toJsonArray().getJsonObject(0);
    assertThat(event.containsKey("data")).isFalse();
    assertThat(event.getDouble("top_score")).isBetween(0.5, 1.0);
  }

  @Test
  void eventsAreFilteredAndClipsServeRanges() {
    FrigateSimulator simulator = simulator(new FrigateSimulatorOptions().setEventCount(80));
    JsonArray events =
        get(simulator, "/api/events?camera=garage&label=person&limit=5&include_thumbnails=0")
            .body()
            .toJsonArray();
    assertThat(events.size()).isBetween(1, 5);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.getJsonObject(i).getString("camera")).isEqualTo("garage");
      assertThat(events.getJsonObject(i).getString("label")).isEqualTo("person");
      assertThat(events.getJsonObject(i).containsKey("thumbnail")).isFalse();
    }
    assertThat(get(simulator, "/api/events?limit=x").status()).isEqualTo(422);
    assertThat(get(simulator, "/api/events?camera=nope").body().toJsonArray()).isEmpty();

    JsonObject withClip =
        get(simulator, "/api/events?has_clip=1&limit=1").body().toJsonArray().getJsonObject(0);
    String clip = "/api/events/" + withClip.getString("id") + "/clip.mp4";
    Reply whole = get(simulator, clip);
    assertThat(whole.type()).isEqualTo("video/mp4");
    assertThat(whole.body().getString(4, 8)).isEqualTo("ftyp");
    Reply part = get(simulator, clip, "Range", "bytes=4-7");
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.range()).isEqualTo("bytes 4-7/" + whole.body().length());
    assertThat(part.body().toString()).isEqualTo("ftyp");
    assertThat(get(simulator, clip, "Range", "bytes=99999999-").status()).isEqualTo(416);
    assertThat(get(simulator, "/api/events/1.0-nope/clip.mp4").status()).isEqualTo(404);
  }

  @Test
  void unknownCameraLoginAndFaults() throws Exception {
    FrigateSimulator simulator =
        simulator(
            new FrigateSimulatorOptions()
                .setCredentials("admin", "secret")
                .setSnapshotPaddingBytes(3 << 20));
    assertThat(get(simulator, "/api/config").status()).isEqualTo(401);
    Reply login =
        await(
            client
                .request(HttpMethod.POST, simulator.port(), "127.0.0.1", "/api/login")
                .compose(
                    r ->
                        r.send(
                            new JsonObject()
                                .put("user", "admin")
                                .put("password", "secret")
                                .toBuffer()))
                .compose(
                    r ->
                        r.body()
                            .map(
                                b ->
                                    new Reply(
                                        r.statusCode(), r.getHeader("Set-Cookie"), null, b))));
    assertThat(login.status()).isEqualTo(200);
    String token = login.type().substring("frigate_token=".length(), login.type().indexOf(';'));
    String[] bearer = {"Authorization", "Bearer " + token};
    assertThat(
            get(simulator, "/api/config", bearer)
                .body()
                .toJsonObject()
                .getJsonObject("cameras")
                .fieldNames())
        .hasSize(3);
    Reply missing = get(simulator, "/api/nope/latest.jpg", bearer);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().toJsonObject().getString("message")).isEqualTo("Camera not found");
    Reply large = get(simulator, "/api/front_door/latest.jpg?h=120&height=120", bearer);
    assertThat(large.body().length()).isGreaterThan(3 << 20);
    assertThat(decode(large.body()).getHeight()).isEqualTo(120);

    simulator.failNext(1);
    assertThat(get(simulator, "/api/version").status()).isEqualTo(500);
    simulator.garbleNext(1);
    assertThat(get(simulator, "/api/version").body().toString()).startsWith("<html>");
    simulator.delay(Duration.ofMillis(50));
    assertThat(get(simulator, "/api/version").status()).isEqualTo(200);
    simulator.clearFaults().resetNext(1);
    Throwable reset =
        client
            .request(HttpMethod.GET, simulator.port(), "127.0.0.1", "/api/version")
            .compose(r -> r.send())
            .compose(HttpClientResponse::body)
            .transform(done -> Future.succeededFuture(done.cause()))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    assertThat(reset).isNotNull();
    assertThat(simulator.requestCount()).isEqualTo(9);
  }
}
