package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.server.MqttGatewayTest.connectPacket;
import static dev.homelab.server.MqttGatewayTest.device;
import static dev.homelab.server.MqttGatewayTest.options;
import static dev.homelab.server.MqttGatewayTest.packet;
import static dev.homelab.server.MqttGatewayTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.sensors.SensorReading;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.metrics.Bucket;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.telemetry.SensorCollector;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.ConnectionCutter;
import dev.homelab.server.MqttGatewayTest.Client;
import dev.homelab.server.MqttGatewayTest.Creds;
import dev.homelab.server.mqtt.MqttGateway;
import dev.homelab.server.mqtt.SensorSink;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttClientOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT device gateway under faults a device or a network makes: malformed packets written as
 * raw bytes (and a seeded fuzz of the decoder), a connection reset mid-session, and a QoS 1 publish
 * sent again with the DUP flag after its PUBACK was lost. Each fault ends its own connection only,
 * logs no ERROR, leaves no session behind and stores nothing twice.
 *
 * <p>The fuzz runs {@value #FUZZ_CASES} cases (-Dhomelab.mqtt.fuzz.cases for more) from a new seed
 * each run, printed; -Dhomelab.mqtt.fuzz.seed replays one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MqttGatewayFaultsTest {

  private static final int FUZZ_CASES = 150;
  private static final String CONNECTIONS_GAUGE = "homelab.mqtt.gateway.connections";

  @RegisterExtension final LogCapture logs = new LogCapture();

  @TempDir static Path dir;
  static ServerTesting lab;
  static int port;
  static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    port = MqttGatewayTest.freePort();
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "MQTT_GATEWAY_PORT",
                "" + port,
                "MQTT_GATEWAY_MAX_MESSAGE_BYTES",
                "4096",
                "MQTT_GATEWAY_CONNECT_TIMEOUT_SECONDS",
                "3"));
    clients = Vertx.vertx();
    // The first connections load vertx-mqtt's and the gateway's classes on event loops.
    BlockedThreadGuard.ignoringReports(
        () -> {
          Creds warm = device(lab);
          Client client = Client.connect(clients, port, options(warm.id(), warm.token()));
          client.close();
        });
  }

  @AfterAll
  static void stop() {
    if (clients != null) {
      await(clients.close());
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void malformedPacketsCloseOnlyTheirOwnConnection() throws Exception {
    Creds sensor = device(lab);
    Creds raw = device(lab);
    Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<Instant> sent = new ArrayList<>();
    NetClient net = clients.createNetClient();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 0);
    try (Client bystander = Client.connect(clients, port, options(sensor.id(), sensor.token()))) {
      assertThat(gauge()).isEqualTo(1);
      Runnable bystanderPublishes =
          () -> {
            Instant ts = start.plusMillis(sent.size());
            JsonObject reading =
                new JsonObject()
                    .put("temperature", 20)
                    .put("ts", ts.toEpochMilli() / 1000.0)
                    .put("message_id", "b-" + ts.toEpochMilli());
            sent.add(ts);
            try {
              bystander.publishAcknowledged("homelab/sensors/" + sensor.id(), reading.encode());
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new AssertionError(e);
            }
          };

      // Half a CONNECT, then silence: held until the CONNECT timeout (3 s here), checked at the
      // end.
      Raw silent = Raw.open(net);
      Buffer connect = connectPacket("silent-" + UUID.randomUUID(), raw.id(), raw.token());
      silent.write(connect.slice(0, connect.length() / 2));

      // Half a CONNECT, then the device hangs up.
      Raw hangsUp = Raw.open(net);
      hangsUp.write(connect.slice(0, connect.length() / 2));
      await(hangsUp.socket.close());
      bystanderPublishes.run();

      // A remaining length of five bytes (at most four are allowed), before and after CONNECT.
      byte[] fiveByteLength = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01};
      Raw.open(net)
          .write(Buffer.buffer().appendByte((byte) 0x10).appendBytes(fiveByteLength))
          .awaitClosedBy("a five-byte remaining length before CONNECT");
      Raw.connected(net, raw)
          .write(Buffer.buffer().appendByte((byte) 0x32).appendBytes(fiveByteLength))
          .awaitClosedBy("a five-byte remaining length after CONNECT");
      bystanderPublishes.run();

      // Topics that are no topic names: ill-formed UTF-8, and wildcards, under the device's own.
      String scan = "{\"card_uid\":\"A1B2C3D4\"}";
      byte[] own = ("homelab/access/" + raw.id() + "/sc").getBytes(StandardCharsets.UTF_8);
      for (byte[] suffix :
          List.of(
              new byte[] {(byte) 0xc3, 0x28},
              new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
              new byte[] {(byte) 0xff},
              new byte[] {0x00},
              "/+".getBytes(StandardCharsets.UTF_8),
              "/#".getBytes(StandardCharsets.UTF_8))) {
        byte[] topic = Arrays.copyOf(own, own.length + suffix.length);
        System.arraycopy(suffix, 0, topic, own.length, suffix.length);
        Raw publisher = Raw.connected(net, raw);
        publisher
            .write(publish(topic, 1, 7, false, scan))
            .awaitClosedBy("a PUBLISH on " + new String(topic, StandardCharsets.ISO_8859_1));
        assertThat(publisher.received()).as("no PUBACK for an invalid topic").isEmpty();
      }
      bystanderPublishes.run();

      // A PUBLISH before any CONNECT, and a second CONNECT on a connected connection.
      Raw.open(net)
          .write(
              publish(
                  ("homelab/sensors/" + raw.id()).getBytes(StandardCharsets.UTF_8),
                  0,
                  0,
                  false,
                  "{}"))
          .awaitClosedBy("a PUBLISH before CONNECT");
      Raw.connected(net, raw)
          .write(connectPacket("again-" + UUID.randomUUID(), raw.id(), raw.token()))
          .awaitClosedBy("a second CONNECT");
      bystanderPublishes.run();

      fuzz(net, raw);
      bystanderPublishes.run();

      silent.awaitClosedBy("half a CONNECT and silence");
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 1);
      assertThat(lab.server.mqttGateway().sessionsOf(raw.id())).isZero();
      assertThat(bystander.client.isConnected()).isTrue();
      bystanderPublishes.run();
    } finally {
      await(net.close());
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 0);
    // Every PUBACK of the bystander meant stored: sent again over HTTP, each is a duplicate.
    List<SensorReading> again = new ArrayList<>();
    for (Instant ts : sent) {
      again.add(
          SensorReading.of(sensor.id())
              .with("temperature", 20)
              .withTimestamp(ts)
              .withMessageId("b-" + ts.toEpochMilli()));
    }
    assertThat(await(lab.client.sensors().ingest(again)).duplicates()).isEqualTo(sent.size());
  }

  /**
   * Mutated valid packets (after a CONNECT, or a mutated CONNECT itself) and plain random bytes,
   * each on its own connection, which the test then closes.
   */
  private void fuzz(NetClient net, Creds raw) throws InterruptedException {
    long seed = Long.getLong("homelab.mqtt.fuzz.seed", System.nanoTime());
    int cases = Integer.getInteger("homelab.mqtt.fuzz.cases", FUZZ_CASES);
    System.out.println(
        "MQTT gateway fuzz: " + cases + " cases, replay with -Dhomelab.mqtt.fuzz.seed=" + seed);
    Random random = new Random(seed);
    String ownTopic = "homelab/sensors/" + raw.id();
    List<Buffer> valid =
        List.of(
            publish(
                ownTopic.getBytes(StandardCharsets.UTF_8), 1, 3, false, "{\"temperature\":21.5}"),
            publish(
                ("homelab/access/" + raw.id() + "/scan").getBytes(StandardCharsets.UTF_8),
                0,
                0,
                false,
                "{}"),
            packet(
                0x82,
                Buffer.buffer()
                    .appendUnsignedShort(5)
                    .appendBuffer(string("homelab/access/" + raw.id() + "/#"))
                    .appendByte((byte) 1)),
            packet(
                0xa2,
                Buffer.buffer()
                    .appendUnsignedShort(6)
                    .appendBuffer(string("homelab/access/" + raw.id() + "/#"))),
            packet(0x40, Buffer.buffer().appendUnsignedShort(1)),
            packet(0x62, Buffer.buffer().appendUnsignedShort(2)),
            packet(0xc0, Buffer.buffer()));
    for (int i = 0; i < cases; i++) {
      int kind = random.nextInt(3);
      Raw connection;
      Buffer bytes;
      if (kind == 0) {
        connection = Raw.open(net);
        byte[] noise = new byte[1 + random.nextInt(48)];
        random.nextBytes(noise);
        bytes = Buffer.buffer(noise);
      } else if (kind == 1) {
        connection = Raw.open(net);
        bytes = mutate(random, connectPacket("fuzz-" + i, raw.id(), raw.token()));
      } else {
        connection = Raw.connected(net, raw);
        bytes = mutate(random, valid.get(random.nextInt(valid.size())));
      }
      connection.write(bytes);
      await(connection.socket.close());
    }
  }

  private static Buffer mutate(Random random, Buffer packet) {
    byte[] bytes = packet.getBytes();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && bytes.length > 0; e++) {
      int at = random.nextInt(bytes.length);
      switch (random.nextInt(4)) {
        case 0 -> bytes[at] = (byte) random.nextInt(256);
        case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
        case 2 -> bytes = Arrays.copyOf(bytes, at);
        default -> {
          byte[] longer = new byte[bytes.length + 1 + random.nextInt(8)];
          System.arraycopy(bytes, 0, longer, 0, at);
          for (int k = at; k < at + longer.length - bytes.length; k++) {
            longer[k] = (byte) random.nextInt(256);
          }
          System.arraycopy(bytes, at, longer, at + longer.length - bytes.length, bytes.length - at);
          bytes = longer;
        }
      }
    }
    return Buffer.buffer(bytes);
  }

  @Test
  void aDeviceCutWithAResetIsFreedAndConnectsAgainAtOnce() throws Exception {
    Creds sensor = device(lab);
    String clientId = "sensor-" + sensor.id();
    String logger = MqttGateway.class.getName();
    HeldSink held = HeldSink.install();
    NetClient resetting = clients.createNetClient(new NetClientOptions().setSoLinger(0));
    try {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 0);
      // A will: accepted, but the gateway keeps no session and publishes no will (see mqtt.md).
      Raw device =
          Raw.connected(
              resetting,
              connectPacket(clientId, sensor.id(), sensor.token(), "homelab/sensors/x", "gone"));
      device.write(
          packet(
              0x82,
              Buffer.buffer()
                  .appendUnsignedShort(1)
                  .appendBuffer(string("homelab/access/" + sensor.id() + "/#"))
                  .appendByte((byte) 1)));
      device.write(
          publish(
              ("homelab/sensors/" + sensor.id()).getBytes(StandardCharsets.UTF_8),
              1,
              2,
              false,
              "{\"temperature\":19.5}"));
      held.awaitCalls(1);
      assertThat(gauge()).isEqualTo(1);
      assertThat(lab.server.mqttGateway().sessionsOf(sensor.id())).isEqualTo(1);

      // SO_LINGER 0: the close is a TCP reset, mid-session, with a publish being handled.
      await(device.socket.close());
      assertThat(
              logs.awaitLine(
                  logger, line -> line.contains("Connection reset"), Duration.ofSeconds(10)))
          .as("the gateway saw a reset")
          .isPresent();
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 0);
      assertThat(lab.server.mqttGateway().sessionsOf(sensor.id())).isZero();
      held.releaseAll();

      // The same client id connects again at once and is served.
      held.passThrough();
      try (Client again =
          Client.connect(
              clients, port, options(sensor.id(), sensor.token()).setClientId(clientId))) {
        again.publishAcknowledged("homelab/sensors/" + sensor.id(), "{\"temperature\":20}");
        assertThat(lab.server.mqttGateway().sessionsOf(sensor.id())).isEqualTo(1);
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 0);
      assertThat(lab.server.mqttGateway().sessionsOf(sensor.id())).isZero();
    } finally {
      held.uninstall();
      await(resetting.close());
    }
  }

  @Test
  void aQos1PublishSentAgainWithDupAfterALostPubackIsStoredOnce() throws Exception {
    Creds sensor = device(lab);
    String topic = "homelab/sensors/" + sensor.id();
    // No ts: the time of receipt is the reading's, so only the gateway can tell a resend.
    Buffer reading = Buffer.buffer("{\"temperature\":21.5}");
    MqttClientOptions session =
        options(sensor.id(), sensor.token())
            .setClientId("sensor-" + sensor.id())
            .setCleanSession(false);
    HeldSink held = HeldSink.install();
    ConnectionCutter cutter = ConnectionCutter.start(clients, port);
    Instant from = Instant.now().minusSeconds(1);
    try {
      Client first = Client.connect(clients, cutter.port(), new MqttClientOptions(session));
      int packetId =
          await(first.client.publish(topic, reading, MqttQoS.AT_LEAST_ONCE, false, false));
      // Stored, and the network goes before the PUBACK.
      held.awaitCalls(1);
      cutter.cut();
      first.awaitClosed();
      held.releaseAll();
      assertThat(first.acked).as("the PUBACK was lost").isEmpty();

      held.passThrough();
      try (Client second = Client.connect(clients, port, new MqttClientOptions(session))) {
        int resent =
            await(second.client.publish(topic, reading, MqttQoS.AT_LEAST_ONCE, true, false));
        assertThat(resent).as("the same packet id").isEqualTo(packetId);
        assertThat(second.acked.poll(15, TimeUnit.SECONDS)).isEqualTo(resent);
        second.publishAcknowledged(topic, "{\"temperature\":30}");
      }
    } finally {
      held.uninstall();
      cutter.close();
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gauge() == 0);
    // The roll-ups of the collector: the reading counted once, next to the one after it.
    MetricQuery query =
        MetricQuery.range(
                SensorCollector.series("temperature", sensor.id()),
                from,
                Instant.now().plusSeconds(1))
            .onTier("1m");
    Bucket total =
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    await(lab.server.downsampler().query(query)).buckets().stream()
                        .reduce(Bucket::merge)
                        .orElse(null),
                bucket -> bucket != null && bucket.max() == 30);
    assertThat(total.count()).as("readings rolled up").isEqualTo(2);
    assertThat(total.sum()).isEqualTo(51.5);
  }

  private static double gauge() {
    return lab.registry.get(CONNECTIONS_GAUGE).gauge().value();
  }

  /** A PUBLISH of MQTT 3.1.1 with whatever topic bytes. */
  private static Buffer publish(byte[] topic, int qos, int packetId, boolean dup, String payload) {
    Buffer body = Buffer.buffer().appendUnsignedShort(topic.length).appendBytes(topic);
    if (qos > 0) {
      body.appendUnsignedShort(packetId);
    }
    return packet(0x30 | (dup ? 0x08 : 0) | qos << 1, body.appendString(payload));
  }

  /**
   * The server's sensor sink, wrapped: a reading goes to the real sink (it is stored), but its
   * answer, and so its PUBACK, waits until the test releases it, so that the test can cut the
   * connection between the two.
   */
  private static final class HeldSink implements SensorSink {
    private final SensorSink real;
    private final BlockingQueue<Promise<Void>> stored = new LinkedBlockingQueue<>();
    private volatile boolean holding = true;

    private HeldSink(SensorSink real) {
      this.real = real;
    }

    static HeldSink install() {
      HeldSink held = new HeldSink(lab.server.mqttGateway().sensors());
      lab.server.mqttGateway().sensors(held);
      return held;
    }

    @Override
    public Future<Void> ingest(Actor actor, String deviceId, Buffer payload) {
      if (!holding) {
        return real.ingest(actor, deviceId, payload);
      }
      Promise<Void> release = Promise.promise();
      return real.ingest(actor, deviceId, payload)
          .compose(
              done -> {
                stored.add(release);
                return release.future();
              });
    }

    void awaitCalls(int count) {
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> stored.size() >= count);
    }

    void releaseAll() {
      for (Promise<Void> release = stored.poll(); release != null; release = stored.poll()) {
        release.complete();
      }
    }

    void passThrough() {
      holding = false;
    }

    void uninstall() {
      releaseAll();
      lab.server.mqttGateway().sensors(real);
    }
  }

  /** A raw TCP connection to the gateway, for bytes no MQTT client sends. */
  private static final class Raw {
    final NetSocket socket;
    private final BlockingQueue<Buffer> in = new LinkedBlockingQueue<>();
    private final Promise<Void> closed = Promise.promise();

    private Raw(NetSocket socket) {
      this.socket = socket;
      socket.handler(in::add);
      socket.closeHandler(v -> closed.tryComplete());
    }

    static Raw open(NetClient net) {
      return new Raw(await(net.connect(port, "127.0.0.1")));
    }

    /** Connected and accepted with a random client id. */
    static Raw connected(NetClient net, Creds creds) throws InterruptedException {
      return connected(net, connectPacket("raw-" + UUID.randomUUID(), creds.id(), creds.token()));
    }

    static Raw connected(NetClient net, Buffer connect) throws InterruptedException {
      Raw raw = open(net);
      raw.write(connect);
      Buffer connack = Buffer.buffer();
      while (connack.length() < 4) {
        Buffer next = raw.in.poll(15, TimeUnit.SECONDS);
        assertThat(next).as("a CONNACK").isNotNull();
        connack.appendBuffer(next);
      }
      assertThat(connack.getBytes(0, 4)).as("CONNACK, accepted").containsExactly(0x20, 2, 0, 0);
      return raw;
    }

    Raw write(Buffer bytes) {
      await(socket.write(bytes));
      return this;
    }

    void awaitClosedBy(String what) {
      try {
        closed.future().await(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("the gateway did not close the connection after " + what, e);
      }
    }

    List<Buffer> received() {
      return List.copyOf(in);
    }
  }
}
