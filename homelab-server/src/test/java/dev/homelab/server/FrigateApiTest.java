package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.frigate.FrigateCamera;
import dev.homelab.client.frigate.FrigateClip;
import dev.homelab.client.frigate.FrigateEvent;
import dev.homelab.client.frigate.FrigateEventQuery;
import dev.homelab.client.frigate.FrigateSnapshot;
import dev.homelab.client.frigate.FrigateStats;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.frigate.FrigateSimulator;
import dev.homelab.simulators.frigate.FrigateSimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpResponse;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/frigate} through the client, against a real server whose {@code FRIGATE_URL} points
 * at a Frigate simulator: one of the current shape with multi-megabyte snapshots, and one of the
 * legacy stats shape behind a login, with a one-second timeout.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FrigateApiTest {

  private static final int PADDING = 4 << 20;
  private static final String FRIGATE_PASSWORD = "frigate-Pa55-" + System.nanoTime();

  @TempDir static Path dir;
  @TempDir static Path legacyDir;

  static Vertx simulators;
  static FrigateSimulator frigate;
  static FrigateSimulator legacy;
  static ServerTesting lab;
  static ServerTesting legacyLab;

  @BeforeAll
  static void start() {
    simulators = Vertx.vertx(VertxTesting.options());
    frigate =
        await(
            FrigateSimulator.start(
                simulators,
                new FrigateSimulatorOptions()
                    .setEventCount(120)
                    .setNewEventEvery(null)
                    .setSnapshotPaddingBytes(PADDING)));
    legacy =
        await(
            FrigateSimulator.start(
                simulators,
                new FrigateSimulatorOptions()
                    .setVersion("0.12.1-367d724")
                    .setNewEventEvery(null)
                    .setCredentials("admin", FRIGATE_PASSWORD)));
    TestSecrets.remember(FRIGATE_PASSWORD);
    lab = ServerTesting.start(dir, Map.of("FRIGATE_URL", frigate.baseUrl()));
    legacyLab =
        ServerTesting.start(
            legacyDir,
            Map.of(
                "FRIGATE_URL",
                legacy.baseUrl(),
                "FRIGATE_USER",
                "admin",
                "FRIGATE_PASSWORD",
                FRIGATE_PASSWORD,
                "FRIGATE_TIMEOUT_SECONDS",
                "1"));
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    if (legacyLab != null) {
      legacyLab.close();
    }
    if (simulators != null) {
      await(simulators.close());
    }
  }

  @Test
  void camerasAreListedInFrigatesOrder() {
    List<FrigateCamera> cameras = await(lab.client.frigate().cameras());
    assertThat(cameras)
        .extracting(FrigateCamera::name)
        .containsExactly("front_door", "backyard", "garage");
    assertThat(cameras).allMatch(c -> c.width() > 0 && c.height() > 0 && c.fps() > 0);
    assertThat(lab.client.blocking().frigate().cameras()).isEqualTo(cameras);
  }

  @Test
  void aSnapshotIsADecodableJpegOfTheRequestedHeightStreamedInChunks() throws Exception {
    FrigateSnapshot snapshot = await(lab.client.frigate().snapshot("garage", 180));
    assertThat(snapshot.contentType()).isEqualTo("image/jpeg");
    assertThat(snapshot.contentLength()).isGreaterThan(PADDING);
    Collecting sink = new Collecting();
    await(snapshot.pipeTo(sink));
    assertThat(sink.bytes.length()).isEqualTo((int) snapshot.contentLength());
    assertThat(sink.chunks).isGreaterThan(20);
    assertThat(sink.largest).isLessThan(1 << 20);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(sink.bytes.getBytes()));
    assertThat(image.getHeight()).isEqualTo(180);
    assertThat(frigate.lastSnapshotQuery()).containsEntry("h", "180");

    Path file = Files.createTempFile(dir, "garage", ".jpg");
    long written = await(lab.client.frigate().snapshotToFile("garage", 240, file));
    assertThat(written).isEqualTo(Files.size(file)).isGreaterThan(PADDING);
    assertThat(ImageIO.read(file.toFile()).getHeight()).isEqualTo(240);
    Path blocking = Files.createTempFile(dir, "front", ".jpg");
    assertThat(lab.client.blocking().frigate().snapshotToFile("front_door", 120, blocking))
        .isGreaterThan(PADDING);
    assertThat(ImageIO.read(blocking.toFile()).getHeight()).isEqualTo(120);

    HttpResponse<Buffer> raw =
        await(lab.webAdmin.get("/api/frigate/camera/backyard/snapshot").send());
    assertThat(raw.statusCode()).isEqualTo(200);
    assertThat(raw.getHeader("Content-Type")).isEqualTo("image/jpeg");
    assertThat(raw.getHeader("Content-Length")).isEqualTo(String.valueOf(raw.body().length()));
    assertThat(raw.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(raw.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(frigate.lastSnapshotQuery()).containsEntry("h", "360"); // the default height
  }

  @Test
  void eventsAreFilteredAndBadFiltersNamed() {
    List<FrigateEvent> events =
        await(
            lab.client
                .frigate()
                .events(
                    FrigateEventQuery.create()
                        .withCameras("garage")
                        .withLabels("person")
                        .withLimit(3)));
    assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(3);
    assertThat(events).allMatch(e -> e.camera().equals("garage") && e.label().equals("person"));
    assertThat(events.get(0).startTime())
        .isGreaterThanOrEqualTo(events.get(events.size() - 1).startTime());
    assertThat(
            lab.client
                .blocking()
                .frigate()
                .events(FrigateEventQuery.create().withHasClip(true).withLimit(5)))
        .hasSize(5)
        .allMatch(FrigateEvent::hasClip);
    FrigateEvent newest = await(lab.client.frigate().events()).get(0);
    Instant after = newest.start().minusSeconds(1);
    assertThat(
            await(
                lab.client
                    .frigate()
                    .events(FrigateEventQuery.create().withWindow(after, null).withLimit(100))))
        .isNotEmpty()
        .allMatch(e -> e.startTime() > after.getEpochSecond());

    int before = frigate.requestCount();
    assertInvalid(lab.client.frigate().events(FrigateEventQuery.create().withLimit(1001)), "limit");
    assertInvalid(
        lab.client.frigate().events(FrigateEventQuery.create().withCameras("no such")), "camera");
    assertInvalid(
        lab.client
            .frigate()
            .events(FrigateEventQuery.create().withWindow(after, after.minusSeconds(60))),
        "before");
    for (String query :
        List.of("has_clip=yes", "has_snapshot=", "after=yesterday", "zone=a,,b", "label=a%2Fb")) {
      HttpResponse<Buffer> answer = await(lab.webAdmin.get("/api/frigate/events?" + query).send());
      assertThat(answer.statusCode()).as(query).isEqualTo(422);
      assertThat(answer.bodyAsJsonObject().getString("field"))
          .as(query)
          .isEqualTo(query.substring(0, query.indexOf('=')));
    }
    assertThat(frigate.requestCount()).isEqualTo(before);
  }

  @Test
  void anEventsSnapshotAndClipAreStreamedWithRanges() throws Exception {
    FrigateEvent withSnapshot =
        await(
                lab.client
                    .frigate()
                    .events(FrigateEventQuery.create().withHasSnapshot(true).withLimit(1)))
            .get(0);
    FrigateSnapshot snapshot = await(lab.client.frigate().eventSnapshot(withSnapshot.id()));
    assertThat(snapshot.contentType()).isEqualTo("image/jpeg");
    Collecting picture = new Collecting();
    await(snapshot.pipeTo(picture));
    assertThat(ImageIO.read(new ByteArrayInputStream(picture.bytes.getBytes())).getHeight())
        .isEqualTo(360);

    FrigateEvent withClip =
        await(
                lab.client
                    .frigate()
                    .events(FrigateEventQuery.create().withHasClip(true).withLimit(1)))
            .get(0);
    FrigateClip clip = await(lab.client.frigate().eventClip(withClip.id()));
    assertThat(clip.status()).isEqualTo(200);
    assertThat(clip.contentType()).isEqualTo("video/mp4");
    Collecting whole = new Collecting();
    await(clip.pipeTo(whole));
    assertThat(whole.bytes.length()).isEqualTo((int) clip.contentLength());
    assertThat(whole.bytes.getString(4, 8)).isEqualTo("ftyp");
    FrigateClip part = lab.client.blocking().frigate().eventClip(withClip.id(), 4, 7);
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.contentRange()).isEqualTo("bytes 4-7/" + clip.contentLength());
    Collecting four = new Collecting();
    await(part.pipeTo(four));
    assertThat(four.bytes.toString()).isEqualTo("ftyp");

    HttpResponse<Buffer> raw =
        await(
            lab.webAdmin
                .get("/api/frigate/events/" + withClip.id() + "/clip")
                .putHeader("Range", "bytes=-8")
                .send());
    assertThat(raw.statusCode()).isEqualTo(206);
    assertThat(raw.getHeader("Accept-Ranges")).isEqualTo("bytes");
    assertThat(raw.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(raw.body().length()).isEqualTo(8);
    HttpResponse<Buffer> outside =
        await(
            lab.webAdmin
                .get("/api/frigate/events/" + withClip.id() + "/clip")
                .putHeader("Range", "bytes=999999999-")
                .send());
    assertThat(outside.statusCode()).isEqualTo(416);

    int before = frigate.requestCount();
    assertInvalid(lab.client.frigate().eventSnapshot("not an id"), "id");
    assertInvalid(lab.client.frigate().eventClip("../config"), "id");
    HttpResponse<Buffer> badRange =
        await(
            lab.webAdmin
                .get("/api/frigate/events/" + withClip.id() + "/clip")
                .putHeader("Range", "bytes=9-1")
                .send());
    assertThat(badRange.statusCode()).isEqualTo(422);
    assertThat(badRange.bodyAsJsonObject().getString("field")).isEqualTo("range");
    assertThat(frigate.requestCount()).isEqualTo(before);
    Throwable unknown = awaitFailure(lab.client.frigate().eventClip("1707479767.784216-zzzzzz"));
    assertThat(unknown).isInstanceOf(HomelabNotFoundException.class);
  }

  @Test
  void statsOfALegacyAndANewVersionHaveOneShape() {
    FrigateStats current = await(lab.client.frigate().stats());
    FrigateStats old = legacyLab.client.blocking().frigate().stats();
    assertThat(current.version()).isEqualTo(frigate.version());
    assertThat(old.version()).isEqualTo("0.12.1-367d724");
    for (FrigateStats stats : List.of(current, old)) {
      assertThat(stats.cameras().keySet()).containsExactly("front_door", "backyard", "garage");
      assertThat(stats.cameras().get("garage").fps()).isBetween(4.0, 6.0);
      assertThat(stats.detectors()).isNotEmpty();
      assertThat(stats.detectors().values()).allMatch(d -> d.inferenceSpeedMillis() > 0);
      assertThat(stats.cpuUsages()).isNotEmpty().doesNotContainKey("%Cpu(s):");
      assertThat(stats.uptimeSeconds()).isNotNegative();
    }
  }

  @Test
  void aBadCameraNameIsRefusedWithoutAskingFrigate() {
    int before = frigate.requestCount();
    for (String name : List.of("bad name", "a.b", "x".repeat(65), "caméra")) {
      Throwable failure = awaitFailure(lab.client.frigate().snapshot(name, 100));
      assertThat(failure).as(name).isInstanceOf(HomelabValidationException.class);
      assertThat(((HomelabValidationException) failure).field()).isEqualTo("name");
    }
    assertInvalid(lab.client.frigate().snapshot("garage", 0), "h");
    assertInvalid(lab.client.frigate().snapshot("garage", 2161), "h");
    assertThat(frigate.requestCount()).isEqualTo(before);
  }

  @Test
  void anUnknownCameraIsFrigates404() {
    Throwable failure = awaitFailure(lab.client.frigate().snapshot("attic", 100));
    assertThat(failure).isInstanceOf(HomelabNotFoundException.class);
    HomelabHttpException e = (HomelabHttpException) failure;
    assertThat(e.errorCode()).isEqualTo("UPSTREAM_ERROR");
    assertThat(e.detail()).contains("Camera not found").doesNotContain("127.0.0.1");
  }

  @Test
  void aSlowFrigateIs504WithinItsTimeoutAndTellsNothingAboutIt() {
    legacy.delay(Duration.ofSeconds(3));
    try {
      long started = System.nanoTime();
      Throwable failure = awaitFailure(legacyLab.client.frigate().cameras());
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(failure).isInstanceOf(HomelabHttpException.class);
      HomelabHttpException e = (HomelabHttpException) failure;
      assertThat(e.status()).isEqualTo(504);
      assertThat(e.errorCode()).isEqualTo("UPSTREAM_TIMEOUT");
      assertThat(millis).isLessThan(1000 + 250);
      HttpResponse<Buffer> raw = await(legacyLab.webAdmin.get("/api/frigate/stats").send());
      assertThat(raw.statusCode()).isEqualTo(504);
      assertThat(raw.bodyAsString())
          .doesNotContain("127.0.0.1")
          .doesNotContain(":" + legacy.port())
          .doesNotContain("http")
          .doesNotContain("admin")
          .doesNotContain(FRIGATE_PASSWORD)
          .doesNotContain("Exception")
          .doesNotContain("at dev.");
    } finally {
      legacy.clearFaults();
    }
    // Recovered: the next call is answered.
    assertThat(await(legacyLab.client.frigate().cameras())).hasSize(3);
  }

  @Test
  void withoutFrigateUrlEveryRouteAnswersNotConfigured(@TempDir Path off) {
    try (ServerTesting plain = ServerTesting.start(off)) {
      for (Future<?> call :
          List.<Future<?>>of(
              plain.client.frigate().cameras(),
              plain.client.frigate().snapshot("garage", 100),
              plain.client.frigate().events(),
              plain.client.frigate().stats(),
              plain.client.frigate().eventSnapshot("1707479767.784216-y40y02"),
              plain.client.frigate().eventClip("1707479767.784216-y40y02", 0, 9))) {
        Throwable failure = awaitFailure(call);
        assertThat(failure).isInstanceOf(HomelabNotFoundException.class);
        assertThat(((HomelabHttpException) failure).errorCode())
            .isEqualTo("FRIGATE_NOT_CONFIGURED");
      }
    }
  }

  private static void assertInvalid(Future<?> call, String field) {
    Throwable failure = awaitFailure(call);
    assertThat(failure).as(field).isInstanceOf(HomelabValidationException.class);
    assertThat(((HomelabValidationException) failure).field()).isEqualTo(field);
  }

  /** Keeps what is written, counting its chunks. */
  private static final class Collecting implements WriteStream<Buffer> {
    final Buffer bytes = Buffer.buffer();
    int chunks;
    int largest;

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      chunks++;
      largest = Math.max(largest, data.length());
      bytes.appendBuffer(data);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }
}
