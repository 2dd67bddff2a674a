package dev.homelab.core.services;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.AccessEngineOptions;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.ReaderMessages;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.mqtt.MqttAccess;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MqttAccess} on a real bridge to the Mosquitto on 127.0.0.1:1883, with a real engine on
 * SQLite and a second bridge as the reader publishing scans (here, beside the other tests over a
 * real store, rather than in the mqtt package: domain packages do not use the store): only while it
 * answers (the leader of several instances) does it decide, retained scans are never answered, and
 * an unreadable scan is counted without stopping the next one.
 */
class MqttAccessTest {

  private static final String PREFIX =
      "hltest-access-" + java.util.UUID.randomUUID().toString().substring(0, 8);
  private static final String BASE = PREFIX + "/access";
  private static final String KNOWN = "BA839D07";

  @TempDir Path dir;
  private Vertx vertx;
  private Storage storage;
  private AccessEngine engine;
  private final List<MqttBridge> bridges = new ArrayList<>();
  private final List<String> retained = new ArrayList<>();

  @org.junit.jupiter.api.BeforeAll
  static void warmUp(@TempDir Path scratch) {
    // The first store, engine and MQTT connection of a JVM load their classes (SQLite, logging,
    // netty, vertx-mqtt) on the event loop: not what the blocked-thread guard is for.
    dev.homelab.core.testing.BlockedThreadGuard.ignoringReports(
        () -> {
          Vertx cold = Vertx.vertx();
          Storage store =
              await(
                  Storage.open(
                      cold,
                      new StorageOptions().setSqlitePath(scratch.resolve("warm.db").toString())));
          await(await(AccessEngine.builder(cold).storage(store).start()).close());
          await(store.close());
          MqttBridge bridge = bridge(cold, PREFIX + "/warm-up");
          await(bridge.start());
          await(bridge.publish(PREFIX + "/warm-up", "{}", 1, false));
          await(bridge.close());
          await(cold.close());
        });
  }

  @BeforeEach
  void open() {
    vertx = VertxTesting.vertx();
    storage =
        await(
            Storage.open(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("access.db").toString())));
    engine =
        await(
            AccessEngine.builder(vertx)
                .storage(storage)
                .options(new AccessEngineOptions().setLockoutThreshold(0))
                .start());
    await(
        engine.addCard(
            Actor.system("test"),
            new NewCardPolicy(KNOWN, "Ann", true, null, null, null, null, null)));
  }

  @AfterEach
  void close() {
    bridges.forEach(b -> await(b.close()));
    if (!retained.isEmpty()) {
      // Left as found: an empty retained message clears a topic's state.
      MqttBridge cleaner = peer();
      retained.forEach(topic -> await(cleaner.publish(topic, "", 1, true)));
      await(cleaner.close());
    }
    await(engine.close());
    await(storage.close());
    await(vertx.close());
  }

  private static MqttBridge bridge(Vertx vertx, String filter) {
    return MqttBridge.create(
        vertx,
        new MqttBridgeOptions()
            .setBrokerUrl("mqtt://127.0.0.1:1883")
            .setSubscriptions(List.of(filter)));
  }

  private MqttBridge bridge() {
    MqttBridge bridge = bridge(vertx, PREFIX + "/#");
    bridges.add(bridge);
    return bridge;
  }

  // Another client of the broker, as a reader would be: it subscribes to nothing of ours.
  private MqttBridge peer() {
    MqttBridge peer = bridge(vertx, PREFIX + "/nothing");
    await(peer.start());
    return peer;
  }

  // QoS 1, one at a time: each is at the broker, in order, before the next is sent.
  private static void publish(MqttBridge peer, String topic, String payload, boolean retain) {
    await(peer.publish(topic, payload, 1, retain));
  }

  private static BlockingQueue<JsonObject> decisions(MqttBridge bridge) {
    BlockingQueue<JsonObject> decisions = new LinkedBlockingQueue<>();
    bridge.onMessage(BASE + "/+/decision", m -> decisions.add(new JsonObject(m.payloadAsString())));
    return decisions;
  }

  private static JsonObject next(BlockingQueue<JsonObject> decisions) throws InterruptedException {
    JsonObject decision = decisions.poll(15, TimeUnit.SECONDS);
    assertThat(decision).as("a decision").isNotNull();
    return decision;
  }

  @Test
  void onlyWhileAnsweringAreScansDecided() throws Exception {
    MqttBridge bridge = bridge();
    MqttAccess access = new MqttAccess(engine, new ReaderMessages(BASE));
    AtomicBoolean leader = new AtomicBoolean(false);
    access.attach(bridge, leader::get);
    BlockingQueue<JsonObject> decisions = decisions(bridge);
    await(bridge.start());

    // A follower hears the scan and leaves it to the leader; the broker delivers in order, so the
    // first decision to come is the one of the scan made once this instance leads.
    MqttBridge reader = peer();
    bridges.add(reader);
    publish(reader, BASE + "/door/scan", "{\"card_uid\":\"0BADCAFE\"}", false);
    publish(reader, BASE + "/door/scan", "{\"card_uid\":\"zz\"}", false);
    publish(reader, PREFIX + "/marker", "m", false);
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(() -> bridge.lastMessage(PREFIX + "/marker").isPresent());
    leader.set(true);
    publish(reader, BASE + "/door/scan", "{\"card_uid\":\"zz\"}", false);
    publish(reader, BASE + "/door/scan", "{\"card_uid\":\"ba:83:9d:07\"}", false);

    JsonObject decision = next(decisions);
    assertThat(decision.getString("card_uid")).isEqualTo(KNOWN);
    assertThat(decision.getBoolean("granted")).isTrue();
    assertThat(decision.getString("reason")).isEqualTo("GRANTED");
    assertThat(access.answeredCount()).isEqualTo(1);
    assertThat(access.malformedCount()).as("only the scan heard while answering").isEqualTo(1);
    assertThat(await(engine.logs(dev.homelab.core.access.AccessLogQuery.newest())).items())
        .hasSize(1);
  }

  @Test
  void retainedScansAreNeverAnswered() throws Exception {
    // An old scan the broker keeps and replays to every new subscriber.
    MqttBridge reader = peer();
    bridges.add(reader);
    publish(reader, BASE + "/gate/scan", "{\"card_uid\":\"0BADCAFE\"}", true);
    retained.add(BASE + "/gate/scan");
    MqttBridge bridge = bridge();
    MqttAccess access = new MqttAccess(engine, new ReaderMessages(BASE));
    access.attach(bridge, () -> true);
    BlockingQueue<JsonObject> decisions = decisions(bridge);
    await(bridge.start());
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .until(() -> bridge.lastMessage(BASE + "/gate/scan").isPresent());

    publish(reader, BASE + "/gate/scan", "{\"card_uid\":\"" + KNOWN + "\"}", false);
    assertThat(next(decisions).getString("card_uid")).isEqualTo(KNOWN);
    assertThat(access.answeredCount()).isEqualTo(1);
  }
}
