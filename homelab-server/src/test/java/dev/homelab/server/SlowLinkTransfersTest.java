package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import dev.homelab.client.files.StoredFile;
import dev.homelab.core.testing.SlowLink;
import io.vertx.core.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability row F16: a slow link during uploads, downloads and an event stream. The client
 * reaches the server through a {@link SlowLink} of 256 KiB/s each way (a phone on a weak uplink, a
 * VPN over DSL), and each transfer takes about one and a quarter {@code REQUEST_TIMEOUT_SECONDS}:
 * uploads (multipart and tus) and downloads arrive whole, an event stream sharing the link with a
 * download gets every event in order on one connection, and a client on a fast path is served
 * meanwhile.
 */
@Timeout(90)
class SlowLinkTransfersTest {

  private static final int RATE = 256 * 1024;
  private static final int SIZE = 640 * 1024;

  @TempDir static Path dir;
  static ServerTesting lab;
  static SlowLink link;
  static HomelabClient slow;
  static Path source;

  @BeforeAll
  static void start() throws Exception {
    lab = ServerTesting.start(dir.resolve("server"), Map.of("REQUEST_TIMEOUT_SECONDS", "2"));
    link = SlowLink.start(lab.vertx, lab.server.port(), RATE, RATE);
    slow =
        HomelabClient.create(
            lab.vertx,
            ServerTesting.quickReconnects(new HomelabClientOptions())
                .setBaseUrl("http://127.0.0.1:" + link.port())
                .setToken(lab.adminJwt)
                .setResponseHook(ServerTesting::matchesTheDocument));
    byte[] bytes = new byte[SIZE];
    new Random(16).nextBytes(bytes);
    source = Files.write(dir.resolve("slow.bin"), bytes);
  }

  @AfterAll
  static void stop() {
    if (link != null) {
      link.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void aMultipartUploadAndADownloadLongerThanTheRequestTimeoutArriveWhole() throws Exception {
    long upBefore = link.carriedUp();
    Future<StoredFile> uploading = slow.files().upload(source);
    // The slow upload holds no event loop: a client on the fast path is answered before it ends.
    assertThat(await(lab.client.health()).status()).isEqualTo("healthy");
    assertThat(uploading.isComplete()).as("still uploading over the slow link").isFalse();
    StoredFile stored = await(uploading);
    assertThat(stored.size()).isEqualTo(SIZE);
    assertThat(stored.sha256()).isEqualTo(sha256(source));
    assertThat(link.carriedUp() - upBefore).isGreaterThan(SIZE);

    long downBefore = link.carriedDown();
    Path target = dir.resolve("down-" + stored.id());
    await(slow.files().download(stored.id(), target));
    assertThat(Files.mismatch(source, target)).isEqualTo(-1);
    assertThat(link.carriedDown() - downBefore).isGreaterThan(SIZE);
  }

  @Test
  void aResumableUploadLongerThanTheRequestTimeoutCompletes() throws Exception {
    StoredFile stored = await(slow.files().uploadResumable(source));
    assertThat(stored.size()).isEqualTo(SIZE);
    assertThat(stored.sha256()).isEqualTo(sha256(source));
  }

  @Test
  void anEventStreamSharingTheLinkWithADownloadGetsEveryEventInOrder() throws Exception {
    StoredFile stored = await(lab.client.files().upload(source));
    List<String> names = new CopyOnWriteArrayList<>();
    AtomicInteger opens = new AtomicInteger();
    AtomicInteger reconnects = new AtomicInteger();
    EventSubscription stream =
        slow.events()
            .subscribe(
                List.of("device.changed"),
                new EventListener() {
                  @Override
                  public void onOpen() {
                    opens.incrementAndGet();
                  }

                  @Override
                  public void onEvent(StreamEvent event) {
                    JsonNames.of(event).forEach(names::add);
                  }

                  @Override
                  public void onReconnecting(Throwable cause, long delayMillis) {
                    reconnects.incrementAndGet();
                  }
                });
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> opens.get() == 1);
      Path target = dir.resolve("shared-" + stored.id());
      Future<StoredFile> downloading = slow.files().download(stored.id(), target);
      List<String> created = List.of("slow-1", "slow-2", "slow-3");
      for (String name : created) {
        await(lab.client.devices().create(new NewDevice(name, "sensor")));
      }
      await(downloading);
      assertThat(Files.mismatch(source, target)).isEqualTo(-1);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> names.size() >= 3);
      assertThat(names).containsExactlyElementsOf(created);
      assertThat(opens).as("one connection throughout").hasValue(1);
      assertThat(reconnects).hasValue(0);
    } finally {
      stream.close();
    }
  }

  /** The device names a {@code device.changed} event carries. */
  private static final class JsonNames {
    static List<String> of(StreamEvent event) {
      Object device = event.payload().getValue("device");
      if (device instanceof io.vertx.core.json.JsonObject json && json.containsKey("name")) {
        return List.of(json.getString("name"));
      }
      return List.of();
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
