package dev.homelab.core.upstream.frigate;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.ValidationException;
import dev.homelab.core.testing.StallingUpstream;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.simulators.frigate.FrigateSimulator;
import dev.homelab.simulators.frigate.FrigateSimulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FrigateClient} against the Frigate simulator over real HTTP on loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrigateClientTest {

  private Vertx vertx;
  private FrigateClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(VertxTesting.options());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      await(client.close());
    }
    await(vertx.close());
  }

  private FrigateSimulator simulator(FrigateSimulatorOptions options) {
    return await(FrigateSimulator.start(vertx, options.setNewEventEvery(null)));
  }

  private FrigateClient client(FrigateSimulator simulator, Duration timeout) {
    return client(simulator.baseUrl(), timeout);
  }

  private FrigateClient client(String baseUrl, Duration timeout) {
    client =
        FrigateClient.create(vertx, new FrigateOptions().setBaseUrl(baseUrl).setTimeout(timeout));
    return client;
  }

  private static UpstreamException upstream(Throwable failure, ErrorKind kind) {
    assertThat(failure).isInstanceOf(UpstreamException.class);
    UpstreamException e = (UpstreamException) failure;
    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e.getMessage()).startsWith("frigate ").doesNotContain("127.0.0.1");
    return e;
  }

  /** Counts what is written, keeping no bytes. */
  private static final class Counting implements WriteStream<Buffer> {
    final AtomicInteger chunks = new AtomicInteger();
    long bytes;
    int largest;
    final Buffer head = Buffer.buffer();

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      chunks.incrementAndGet();
      bytes += data.length();
      largest = Math.max(largest, data.length());
      if (head.length() < 4) {
        head.appendBuffer(data.slice(0, Math.min(4, data.length())));
      }
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

  private static Buffer read(FrigateMedia media) {
    Buffer all = Buffer.buffer();
    Promise<Buffer> done = Promise.promise();
    media.body().handler(all::appendBuffer);
    media.body().exceptionHandler(done::tryFail);
    media.body().endHandler(v -> done.tryComplete(all));
    media.body().resume();
    return await(done.future());
  }

  @Test
  void camerasComeFromTheConfig() {
    FrigateSimulator simulator = simulator(new FrigateSimulatorOptions());
    List<FrigateCamera> cameras = await(client(simulator, Duration.ofSeconds(5)).cameras());
    assertThat(cameras)
        .extracting(FrigateCamera::name)
        .containsExactly("front_door", "backyard", "garage");
    assertThat(cameras.get(0).height()).isEqualTo(720);
    assertThat(await(client.version())).isEqualTo(simulator.version());
    assertThat(await(client.probe()).reachable()).isTrue();
  }

  @Test
  void aSnapshotIsAJpegOfTheRequestedHeightForOldAndNewVersions() throws Exception {
    for (String version : List.of("0.14.1-f4f3cfa", "0.16.0-abc1234")) {
      FrigateSimulator simulator = simulator(new FrigateSimulatorOptions().setVersion(version));
      FrigateClient frigate = client(simulator, Duration.ofSeconds(5));
      FrigateMedia media = await(frigate.snapshot("garage", 180));
      assertThat(media.contentType()).isEqualTo("image/jpeg");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(read(media).getBytes()));
      assertThat(image.getHeight()).isEqualTo(180);
      assertThat(image.getWidth()).isEqualTo(320);
      assertThat(simulator.lastSnapshotQuery())
          .containsEntry("h", "180")
          .containsEntry("height", "180");
      await(frigate.close());
      client = null;
    }
  }

  @Test
  void aLargeSnapshotIsPipedInChunksNeverWhole() {
    FrigateSimulator simulator =
        simulator(new FrigateSimulatorOptions().setSnapshotPaddingBytes(6 << 20));
    FrigateMedia media =
        await(client(simulator, Duration.ofSeconds(10)).snapshot("front_door", 240));
    assertThat(media.contentLength()).isGreaterThan(6 << 20);
    Counting sink = new Counting();
    await(media.pipeTo(sink));
    assertThat(sink.bytes).isEqualTo(media.contentLength());
    assertThat(sink.chunks.get()).isGreaterThan(20);
    assertThat(sink.largest).isLessThan(1 << 20);
    assertThat(sink.head.getUnsignedByte(0)).isEqualTo((short) 0xFF);
    assertThat(sink.head.getUnsignedByte(1)).isEqualTo((short) 0xD8);
  }

  @Test
  void eventsAreFilteredAndTheirMediaStreamed() {
    FrigateSimulator simulator = simulator(new FrigateSimulatorOptions().setEventCount(120));
    FrigateClient frigate = client(simulator, Duration.ofSeconds(5));
    List<FrigateEvent> events =
        await(frigate.events(EventQuery.create().cameras("garage").labels("person").limit(3)));
    assertThat(events).isNotEmpty().hasSizeLessThanOrEqualTo(3);
    assertThat(events).allMatch(e -> e.camera().equals("garage") && e.label().equals("person"));
    assertThat(events.get(0).startTime())
        .isAfterOrEqualTo(events.get(events.size() - 1).startTime());

    FrigateEvent withSnapshot =
        await(frigate.events(EventQuery.create().hasSnapshot(true).limit(1))).get(0);
    FrigateMedia snapshot = await(frigate.eventSnapshot(withSnapshot.id()));
    assertThat(snapshot.contentType()).isEqualTo("image/jpeg");
    assertThat(read(snapshot).getUnsignedByte(0)).isEqualTo((short) 0xFF);

    FrigateEvent withClip =
        await(frigate.events(EventQuery.create().hasClip(true).limit(1))).get(0);
    FrigateMedia clip = await(frigate.eventClip(withClip.id()));
    assertThat(clip.contentType()).isEqualTo("video/mp4");
    long length = clip.contentLength();
    assertThat(read(clip).getString(4, 8)).isEqualTo("ftyp");
    FrigateMedia part = await(frigate.eventClip(withClip.id(), "bytes=4-7"));
    assertThat(part.status()).isEqualTo(206);
    assertThat(part.contentRange()).isEqualTo("bytes 4-7/" + length);
    assertThat(read(part).toString()).isEqualTo("ftyp");
  }

  @Test
  void statsOfALegacyAndANewVersionAreNormalised() {
    for (String version : List.of("0.12.1-367d724", "0.14.1-f4f3cfa")) {
      FrigateSimulator simulator = simulator(new FrigateSimulatorOptions().setVersion(version));
      FrigateClient frigate = client(simulator, Duration.ofSeconds(5));
      FrigateStats stats = await(frigate.stats());
      assertThat(stats.legacyShape()).isEqualTo(version.startsWith("0.12"));
      assertThat(stats.version()).isEqualTo(version);
      assertThat(stats.cameras().keySet()).containsExactly("front_door", "backyard", "garage");
      assertThat(stats.cameras().get("garage").cameraFps()).isBetween(4.0, 6.0);
      assertThat(stats.detectors()).isNotEmpty();
      assertThat(stats.detectors().values()).allMatch(d -> d.inferenceSpeedMillis() > 0);
      // 0.12's garbage cpu_usages line is dropped, the real ones kept.
      assertThat(stats.cpuUsages()).isNotEmpty().doesNotContainKey("%Cpu(s):");
      await(frigate.close());
      client = null;
    }
  }

  @Test
  void anUnknownCameraKeepsFrigatesStatusAndMessage() {
    FrigateSimulator simulator = simulator(new FrigateSimulatorOptions());
    Throwable failure =
        awaitFailure(client(simulator, Duration.ofSeconds(5)).snapshot("attic", 100));
    UpstreamException e = upstream(failure, ErrorKind.UPSTREAM_ERROR);
    assertThat(e.upstreamStatus()).isEqualTo(404);
    assertThat(e.getMessage()).contains("Camera not found");
  }

  @Test
  void aSlowFrigateTimesOutWithinItsTimeout() {
    FrigateSimulator simulator = simulator(new FrigateSimulatorOptions());
    FrigateClient frigate = client(simulator, Duration.ofMillis(300));
    simulator.delay(Duration.ofSeconds(3));
    long started = System.nanoTime();
    Throwable failure = awaitFailure(frigate.cameras());
    long millis = (System.nanoTime() - started) / 1_000_000;
    upstream(failure, ErrorKind.UPSTREAM_TIMEOUT);
    assertThat(millis).isLessThan(300 + 250);
  }

  @Test
  void aClipThatFallsSilentAfterItsHeadFailsAfterTheTimeoutAndItsConnectionCloses() {
    StallingUpstream frigate = StallingUpstream.start(vertx);
    frigate.answer(request -> StallingUpstream.silentAfter(request, "video/mp4", "\0\0\0\030ftyp"));
    FrigateClient stalled = client(frigate.baseUrl(), Duration.ofMillis(300));
    FrigateMedia clip = await(stalled.eventClip("1707479767.784216-y40y02"));
    Counting sink = new Counting();
    long started = System.nanoTime();
    Throwable failure = awaitFailure(clip.pipeTo(sink).timeout(5, TimeUnit.SECONDS));
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(upstream(failure, ErrorKind.UPSTREAM_TIMEOUT).getMessage())
        .isEqualTo("frigate sent less than 1024 bytes in 300 ms");
    assertThat(millis).isGreaterThanOrEqualTo(300);
    assertThat(sink.bytes).as("what came before the silence was passed on").isEqualTo(8);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(frigate.closed()).isEqualTo(frigate.accepted()));
    frigate.close();
  }

  @Test
  void aSnapshotDribbledAByteAtATimeFailsAfterTheTimeout() {
    StallingUpstream frigate = StallingUpstream.start(vertx);
    frigate.answer(request -> frigate.dribble(request, "image/jpeg", Duration.ofMillis(20), 3000));
    FrigateClient dribbled = client(frigate.baseUrl(), Duration.ofMillis(300));
    FrigateMedia snapshot = await(dribbled.snapshot("front_door", 360));
    Counting sink = new Counting();
    Throwable failure = awaitFailure(snapshot.pipeTo(sink).timeout(5, TimeUnit.SECONDS));
    upstream(failure, ErrorKind.UPSTREAM_TIMEOUT);
    assertThat(sink.bytes).isPositive().isLessThan(1024);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(frigate.closed()).isEqualTo(frigate.accepted()));
    frigate.close();
  }

  @Test
  void aResetOrGarbageIsUnavailable() {
    FrigateSimulator simulator = simulator(new FrigateSimulatorOptions());
    FrigateClient frigate = client(simulator, Duration.ofSeconds(5));
    simulator.resetNext(1);
    upstream(awaitFailure(frigate.cameras()), ErrorKind.UPSTREAM_UNAVAILABLE);
    simulator.garbleNext(1);
    upstream(awaitFailure(frigate.stats()), ErrorKind.UPSTREAM_UNAVAILABLE);
    simulator.failNext(1);
    UpstreamException failed = upstream(awaitFailure(frigate.stats()), ErrorKind.UPSTREAM_ERROR);
    assertThat(failed.upstreamStatus()).isEqualTo(500);
  }

  @Test
  void badNamesAreRefusedBeforeAnyRequest() {
    FrigateSimulator simulator = simulator(new FrigateSimulatorOptions());
    FrigateClient frigate = client(simulator, Duration.ofSeconds(5));
    int before = simulator.requestCount();
    assertThatThrownBy(() -> frigate.snapshot("../api/config", 100))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("camera");
    assertThatThrownBy(() -> frigate.eventClip("../../config"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> frigate.eventClip("1707479767.784216-y40y02", "bytes=9-1"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> EventQuery.create().cameras("a,b"))
        .isInstanceOf(ValidationException.class);
    assertThat(simulator.requestCount()).isEqualTo(before);
  }

  @Test
  void credentialsLogInAndNeverShow() {
    FrigateSimulator simulator =
        simulator(new FrigateSimulatorOptions().setCredentials("admin", "s3cret-pass"));
    FrigateOptions options =
        new FrigateOptions().setBaseUrl(simulator.baseUrl()).setCredentials("admin", "s3cret-pass");
    assertThat(options.toString()).doesNotContain("s3cret-pass");
    client = FrigateClient.create(vertx, options);
    assertThat(await(client.cameras())).hasSize(3);
    simulator.expireTokens();
    assertThat(await(client.stats()).cameras()).hasSize(3);
    assertThatThrownBy(() -> new FrigateOptions().setBaseUrl("ftp://x"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> FrigateClient.create(vertx, new FrigateOptions()))
        .isInstanceOf(ValidationException.class);
  }
}
