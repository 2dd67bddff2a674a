package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The task of a power action, followed by the server and published as {@code proxmox.task} events,
 * read through the client's event stream: a start goes from running to stopped/OK in order, a start
 * that fails ends with its error and log.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProxmoxTaskEventsApiTest {

  private static final String QEMU_ERROR = "start failed: QEMU exited with code 1";

  private static Vertx vertx;
  private static ProxmoxSimulator nas;
  private static ServerTesting lab;

  @BeforeAll
  static void start() throws Exception {
    vertx = VertxTesting.vertx();
    // Tasks run over several polls (every 0.5 s), so that running is seen before the end.
    nas =
        await(
            ProxmoxSimulator.start(
                vertx,
                ProxmoxSimulator.Setup.of(
                        "nas",
                        "8.3.2",
                        List.of(
                            SimulatedGuest.qemu(101, "win11", false),
                            SimulatedGuest.qemu(102, "broken", false).failingStart(QEMU_ERROR),
                            SimulatedGuest.lxc(103, "pihole", true)))
                    .withTaskDuration(Duration.ofMillis(1_200))));
    TestSecrets.remember(nas.setup().tokenSecret());
    Map<String, String> settings = new HashMap<>();
    settings.put("PROXMOX_SERVERS", "nas");
    ProxmoxApiTest.put(settings, "NAS", "NAS Server", nas, "5");
    java.nio.file.Path dir = Files.createTempDirectory("proxmox-tasks");
    BlockedThreadGuard.ignoringReports(
        () -> {
          lab = ServerTesting.start(dir, settings);
          await(lab.client.proxmox().servers());
        });
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    await(vertx.close());
  }

  /** The task events of one UPID as the stream delivers them, after the stream opened. */
  private static final class TaskEvents implements EventListener {
    final List<StreamEvent> events = new CopyOnWriteArrayList<>();
    final Promise<Void> open = Promise.promise();

    @Override
    public void onOpen() {
      open.tryComplete();
    }

    @Override
    public void onEvent(StreamEvent event) {
      events.add(event);
    }

    List<JsonObject> of(String upid) {
      return events.stream()
          .filter(e -> e.topic().equals("proxmox.task"))
          .map(StreamEvent::payload)
          .filter(p -> upid.equals(p.getString("upid")))
          .toList();
    }

    List<JsonObject> untilTheLast(String upid) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> of(upid).stream().anyMatch(p -> !p.getBoolean("following")));
      return of(upid);
    }
  }

  private static EventSubscription subscribe(TaskEvents listener) {
    EventSubscription subscription =
        lab.client.events().subscribe(List.of("proxmox.task"), listener);
    await(listener.open.future());
    return subscription;
  }

  @Test
  void aStartIsPublishedRunningThenStoppedOkInOrderWithTheLogAtTheEnd() {
    TaskEvents listener = new TaskEvents();
    EventSubscription subscription = subscribe(listener);
    try {
      String upid = await(lab.client.proxmox().start("nas", 101));
      List<JsonObject> events = listener.untilTheLast(upid);

      assertThat(events)
          .extracting(p -> p.getString("status"))
          .containsExactly("running", "stopped");
      JsonObject running = events.get(0);
      assertThat(running.getString("server_id")).isEqualTo("nas");
      assertThat(running.getLong("vmid")).isEqualTo(101L);
      assertThat(running.getString("action")).isEqualTo("start");
      assertThat(running.getBoolean("ended")).isFalse();
      assertThat(running.getBoolean("following")).isTrue();
      assertThat(running.getString("exit_status")).isNull();
      JsonObject end = events.get(1);
      assertThat(end.getBoolean("ended")).isTrue();
      assertThat(end.getBoolean("succeeded")).isTrue();
      assertThat(end.getString("exit_status")).isEqualTo("OK");
      assertThat(end.getBoolean("following")).isFalse();
      assertThat(end.getJsonArray("log").getList()).isNotEmpty().last().isEqualTo("TASK OK");
      assertThat(end.containsKey("reason")).isFalse();
      assertThat(await(lab.client.proxmox().vm("nas", 101)).status()).isEqualTo("running");
    } finally {
      subscription.close();
    }
  }

  @Test
  void aFailingStartEndsWithItsErrorAndTheTaskErrorInTheLog() {
    TaskEvents listener = new TaskEvents();
    EventSubscription subscription = subscribe(listener);
    try {
      String upid = await(lab.client.proxmox().start("nas", 102));
      List<JsonObject> events = listener.untilTheLast(upid);

      assertThat(events.get(0).getString("status")).isEqualTo("running");
      JsonObject end = events.get(events.size() - 1);
      assertThat(end.getString("status")).isEqualTo("stopped");
      assertThat(end.getBoolean("ended")).isTrue();
      assertThat(end.getBoolean("succeeded")).isFalse();
      assertThat(end.getString("exit_status")).isEqualTo(QEMU_ERROR);
      assertThat(end.getJsonArray("log").getList()).contains("TASK ERROR: " + QEMU_ERROR);
      assertThat(await(lab.client.proxmox().vm("nas", 102)).status()).isEqualTo("stopped");
    } finally {
      subscription.close();
    }
  }
}
