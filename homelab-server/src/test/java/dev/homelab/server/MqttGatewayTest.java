package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.access.AccessLogQuery;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.server.mqtt.MqttGateway;
import dev.homelab.server.mqtt.SensorSink;
import dev.homelab.simulators.rfid.RfidFixtures;
import dev.homelab.simulators.rfid.RfidFixtures.Fixture;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.MqttConnectionException;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT device gateway of a real server, with real MQTT clients (vertx-mqtt's client, and {@code
 * mosquitto_pub}/{@code mosquitto_sub} with {@code -u}/{@code -P}): a reader logged in with its
 * device id and token gets the engine's decision for every RFID fixture format; wrong or no
 * credentials are refused at CONNECT; a device cannot publish or subscribe to another device's
 * topics; an oversize or malformed packet closes its own connection only; keep-alive and the
 * connection limit are enforced. Devices and cards are created through the client.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MqttGatewayTest {

  private static final int MAX_MESSAGE_BYTES = 1024;
  private static final String GRANTED_UID = "A1B2C3D4";

  @TempDir static Path dir;
  @TempDir static Path limitedDir;
  static ServerTesting lab;
  static ServerTesting limited;
  static int port;
  static int limitedPort;
  static Vertx clients;

  /** A device and its token. */
  record Creds(String id, String token) {}

  @BeforeAll
  static void start() throws Exception {
    port = freePort();
    lab =
        ServerTesting.start(
            dir,
            Map.of(
                "MQTT_GATEWAY_PORT", "" + port,
                "MQTT_GATEWAY_MAX_MESSAGE_BYTES", "" + MAX_MESSAGE_BYTES,
                "ACCESS_LOCKOUT_THRESHOLD", "0"));
    limitedPort = freePort();
    limited =
        ServerTesting.start(
            limitedDir,
            Map.of(
                "MQTT_GATEWAY_PORT", "" + limitedPort,
                "MQTT_GATEWAY_MAX_CONNECTIONS", "1",
                "MQTT_GATEWAY_MAX_KEEP_ALIVE_SECONDS", "5"));
    for (String uid : List.of("F9C2F720", "53BB1F05110001", "BA839D07", "763AE8", GRANTED_UID)) {
      await(lab.client.access().createCard(NewCardPolicy.of(uid).withHolder("Holder " + uid)));
    }
    clients = Vertx.vertx();
    // The first MQTT connections load vertx-mqtt's client and the gateway's session classes on
    // event loops: not what the blocked-thread guard is for.
    dev.homelab.core.testing.BlockedThreadGuard.ignoringReports(
        () -> {
          Creds warm = device(lab);
          try (Client client = Client.connect(port, warm)) {
            client.subscribe("homelab/access/" + warm.id() + "/decision");
            client.publishAcknowledged(
                "homelab/access/" + warm.id() + "/scan", "{\"card_uid\":\"0BADCAFE\"}");
            client.nextDecision();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
          }
          connectFailure(port, null, null);
        });
  }

  @AfterAll
  static void stop() {
    if (clients != null) {
      await(clients.close());
    }
    for (ServerTesting server : new ServerTesting[] {lab, limited}) {
      if (server != null) {
        server.close();
      }
    }
  }

  @Test
  void aReaderGetsTheEnginesDecisionForEveryFixtureFormat() throws Exception {
    Creds reader = device(lab);
    try (Client client = Client.connect(port, reader)) {
      assertThat(client.subscribe("homelab/access/" + reader.id() + "/decision"))
          .containsExactly(1);
      for (Fixture fixture : RfidFixtures.all()) {
        String topic = fixture.topic("homelab/access", reader.id());
        if (!fixture.scan()) {
          // Acknowledged, and no decision: the next one that comes is the next scan's.
          client.publishAcknowledged(topic, fixture.payload());
          continue;
        }
        String known = fixture.placeholder() ? fixture.withUid(GRANTED_UID) : fixture.payload();
        client.publishAcknowledged(topic, known);
        JsonObject yes = client.nextDecision();
        assertThat(yes.getBoolean("granted")).as(fixture.name() + " " + yes).isTrue();
        assertThat(yes.getString("reason")).isEqualTo("GRANTED");

        Object unknown = fixture.uid() instanceof Number ? 99_999_999 : "0badcafe";
        client.publishAcknowledged(topic, fixture.withUid(unknown));
        JsonObject no = client.nextDecision();
        assertThat(no.getBoolean("granted")).isFalse();
        assertThat(no.getString("reason")).isEqualTo("UNKNOWN_CARD");
      }
      // Homelab's own scan. Its PUBACK came after the decision was recorded: the log has it now.
      client.publishAcknowledged(
          "homelab/access/" + reader.id() + "/scan", "{\"card_uid\":\"" + GRANTED_UID + "\"}");
      JsonObject own = client.nextDecision();
      assertThat(own.getBoolean("granted")).isTrue();
      List<String> logged =
          await(lab.client.access().logs(AccessLogQuery.newest().withDeviceId(reader.id())))
              .items()
              .stream()
              .map(e -> e.id())
              .toList();
      assertThat(logged).contains(own.getString("decision_id"));
      long scans = RfidFixtures.all().stream().filter(Fixture::scan).count();
      assertThat(logged).hasSize((int) scans * 2 + 1);
    }
  }

  @Test
  void mosquittoClientsLogInWithTheDeviceCredentials() throws Exception {
    Creds reader = device(lab);
    decisionThroughMosquitto(reader, new MosquittoPeers(port, reader.id(), reader.token()));
    decisionThroughMosquitto(reader, new MosquittoPeers(port, reader.id(), reader.token()).mqtt5());
    MosquittoPeers.Outcome wrong5 =
        new MosquittoPeers(port, reader.id(), "hld_wrong")
            .mqtt5()
            .publish("homelab/access/" + reader.id() + "/scan", "{\"card_uid\":\"BA839D07\"}");
    assertThat(wrong5.exitCode()).isNotZero();
    assertThat(wrong5.output()).containsIgnoringCase("not authori");
  }

  private static void decisionThroughMosquitto(Creds reader, MosquittoPeers peers)
      throws Exception {
    try (MosquittoPeers.Subscriber decisions =
        peers.subscribe("homelab/access/" + reader.id() + "/decision")) {
      peers.publishOrFail(
          "homelab/access/" + reader.id() + "/send",
          "{\"type\":\"access\",\"isKnown\":\"true\",\"access\":\"Always\",\"uid\":\"ba839d07\"}");
      String line = decisions.nextLine();
      String topic = "homelab/access/" + reader.id() + "/decision";
      assertThat(line).startsWith(topic + " ");
      JsonObject decision = new JsonObject(line.substring(topic.length() + 1));
      assertThat(decision.getBoolean("granted")).isTrue();
      assertThat(decision.getString("card_uid")).isEqualTo("BA839D07");
    }
  }

  @Test
  void aClientIdConnectingAgainTakesOverOnlyWithinItsDevice() throws Exception {
    Creds reader = device(lab);
    Creds other = device(lab);
    MqttClientOptions same =
        options(reader.id(), reader.token()).setClientId("door-" + reader.id());
    Client first = Client.connect(port, same);
    Client second = Client.connect(port, new MqttClientOptions(same));
    first.awaitClosed();
    assertThat(second.client.isConnected()).isTrue();
    // Another device naming that client id pushes nobody off.
    Client intruder =
        Client.connect(port, options(other.id(), other.token()).setClientId("door-" + reader.id()));
    assertThat(intruder.client.isConnected()).isTrue();
    // A round trip after the intruder's CONNACK: the reader's connection is still served.
    assertThat(second.subscribe("homelab/access/" + reader.id() + "/decision")).containsExactly(1);
    intruder.close();
    second.close();
  }

  @Test
  void wrongOrNoCredentialsAreRefusedAtConnect() {
    Creds reader = device(lab);
    Creds other = device(lab);
    long refusedBefore = lab.server.mqttGateway().refusedCount();
    assertThat(refusal(null, null))
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    assertThat(refusal(reader.id(), "hld_not-a-token"))
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    assertThat(refusal(reader.id(), other.token()))
        .as("another device's token")
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    assertThat(refusal(reader.id(), ServerTesting.ACCESS_TOKEN))
        .as("not a device token")
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    MosquittoPeers.Outcome pub =
        new MosquittoPeers(port, reader.id(), "hld_wrong")
            .publish("homelab/access/" + reader.id() + "/scan", "{\"card_uid\":\"BA839D07\"}");
    assertThat(pub.exitCode()).isNotZero();
    assertThat(pub.output()).containsIgnoringCase("not authori");
    assertThat(lab.server.mqttGateway().refusedCount()).isGreaterThanOrEqualTo(refusedBefore + 5);
    assertThat(lab.registry.get("homelab.mqtt.gateway.refused").functionCounter().count())
        .isGreaterThanOrEqualTo(refusedBefore + 5);
  }

  @Test
  void aDeviceCannotTouchAnotherDevicesTopics() throws Exception {
    Creds mine = device(lab);
    Creds theirs = device(lab);
    try (Client client = Client.connect(port, mine)) {
      assertThat(
              client.subscribe(
                  "homelab/access/" + theirs.id() + "/decision",
                  "homelab/access/+/decision",
                  "#",
                  "homelab/access/" + mine.id() + "/#"))
          .as("SUBACK failure for every filter but its own")
          .containsExactly(0x80, 0x80, 0x80, 1);
      client.client.publish(
          "homelab/access/" + theirs.id() + "/scan",
          Buffer.buffer("{\"card_uid\":\"" + GRANTED_UID + "\"}"),
          MqttQoS.AT_LEAST_ONCE,
          false,
          false);
      client.awaitClosed();
    }
    assertThat(
            await(lab.client.access().logs(AccessLogQuery.newest().withDeviceId(theirs.id())))
                .items())
        .as("nothing was decided for the other reader")
        .isEmpty();
    try (Client client = Client.connect(port, mine)) {
      // Another device's readings: closed like any foreign topic.
      client.client.publish(
          "homelab/sensors/" + theirs.id(),
          Buffer.buffer("{\"temperature\":21.5}"),
          MqttQoS.AT_LEAST_ONCE,
          false,
          false);
      client.awaitClosed();
    }
  }

  @Test
  void telemetryIsAcknowledgedOnlyOnceTheSinkCompleted() throws Exception {
    Creds sensor = device(lab);
    BlockingQueue<Object[]> calls = new LinkedBlockingQueue<>();
    SensorSink wired = lab.server.mqttGateway().sensors();
    lab.server
        .mqttGateway()
        .sensors(
            (actor, deviceId, payload) -> {
              Promise<Void> stored = Promise.promise();
              calls.add(new Object[] {actor, deviceId, payload.toString(), stored});
              return stored.future();
            });
    try (Client client = Client.connect(port, sensor)) {
      String topic = "homelab/sensors/" + sensor.id();
      int id =
          await(
              client.client.publish(
                  topic,
                  Buffer.buffer("{\"temperature\":21.5}"),
                  MqttQoS.AT_LEAST_ONCE,
                  false,
                  false));
      Object[] call = calls.poll(15, TimeUnit.SECONDS);
      assertThat(call).as("the sink was called").isNotNull();
      dev.homelab.core.identity.Actor actor = (dev.homelab.core.identity.Actor) call[0];
      // The owner (an admin here) acting through the device: at most a user's role.
      assertThat(actor.role()).isEqualTo(dev.homelab.core.identity.Role.USER);
      assertThat(call[1]).isEqualTo(sensor.id());
      assertThat(call[2]).isEqualTo("{\"temperature\":21.5}");
      assertThat(client.acked).as("no PUBACK before the readings are stored").isEmpty();
      ((Promise<?>) call[3]).complete();
      assertThat(client.acked.poll(15, TimeUnit.SECONDS)).isEqualTo(id);

      // Readings that can never be stored are acknowledged (MQTT 3.1.1 has no negative PUBACK)...
      int refused =
          await(
              client.client.publish(
                  topic, Buffer.buffer("{}"), MqttQoS.AT_LEAST_ONCE, false, false));
      ((Promise<?>) calls.poll(15, TimeUnit.SECONDS)[3])
          .fail(new dev.homelab.core.ValidationException("temperature", "is missing"));
      assertThat(client.acked.poll(15, TimeUnit.SECONDS)).isEqualTo(refused);
      // ...but a store that failed acknowledges nothing: the connection closes, the device resends.
      await(
          client.client.publish(
              topic, Buffer.buffer("{\"temperature\":22}"), MqttQoS.AT_LEAST_ONCE, false, false));
      ((Promise<?>) calls.poll(15, TimeUnit.SECONDS)[3])
          .fail(new IllegalStateException("the store is down"));
      client.awaitClosed();
      assertThat(client.acked).isEmpty();
    } finally {
      lab.server.mqttGateway().sensors(wired);
    }
  }

  @Test
  void aDeviceFloodingFasterThanItsPublishesAreHandledIsClosed() throws Exception {
    Creds sensor = device(lab);
    SensorSink wired = lab.server.mqttGateway().sensors();
    AtomicInteger calls = new AtomicInteger();
    // A store that never answers: every publish stays in flight.
    lab.server
        .mqttGateway()
        .sensors(
            (actor, deviceId, payload) -> {
              calls.incrementAndGet();
              return Promise.<Void>promise().future();
            });
    try (Client client = Client.connect(port, sensor)) {
      for (int i = 0; i <= MqttGateway.MAX_IN_FLIGHT; i++) {
        client.client.publish(
            "homelab/sensors/" + sensor.id(),
            Buffer.buffer("{\"temperature\":" + i + "}"),
            MqttQoS.AT_MOST_ONCE,
            false,
            false);
      }
      client.awaitClosed();
      assertThat(calls.get()).isEqualTo(MqttGateway.MAX_IN_FLIGHT);
    } finally {
      lab.server.mqttGateway().sensors(wired);
    }
  }

  @Test
  void aSensorsReadingIsCommittedBeforeItsPubackAndStoredOnce() throws Exception {
    Creds sensor = device(lab);
    Instant ts = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    try (Client client = Client.connect(port, sensor)) {
      String topic = "homelab/sensors/" + sensor.id();
      JsonObject reading =
          new JsonObject()
              .put("temperature", 21.5)
              .put("humidity", 48)
              .put("ts", ts.toEpochMilli() / 1000.0) // epoch seconds, as seed 002
              .put("message_id", "m-1");
      int id =
          await(
              client.client.publish(
                  topic, reading.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false));
      assertThat(client.acked.poll(15, TimeUnit.SECONDS)).isEqualTo(id);
      // Sent again, as after a lost PUBACK: acknowledged, not stored twice.
      int again =
          await(
              client.client.publish(
                  topic, reading.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false));
      assertThat(client.acked.poll(15, TimeUnit.SECONDS)).isEqualTo(again);
      // A reading naming another device in its body is refused (acknowledged, nothing stored).
      int foreign =
          await(
              client.client.publish(
                  topic,
                  reading
                      .copy()
                      .put("device_id", "not-" + sensor.id())
                      .put("message_id", "m-2")
                      .toBuffer(),
                  MqttQoS.AT_LEAST_ONCE,
                  false,
                  false));
      assertThat(client.acked.poll(15, TimeUnit.SECONDS)).isEqualTo(foreign);
    }
    // The PUBACK came after the commit: the same reading over HTTP is a duplicate now.
    dev.homelab.client.sensors.IngestResult same =
        await(
            lab.client
                .sensors()
                .ingest(
                    dev.homelab.client.sensors.SensorReading.of(sensor.id())
                        .with("temperature", 21.5)
                        .with("humidity", 48)
                        .withTimestamp(ts)
                        .withMessageId("m-1")));
    assertThat(same.stored()).isZero();
    assertThat(same.duplicates()).isEqualTo(1);
    dev.homelab.client.sensors.IngestResult second =
        await(
            lab.client
                .sensors()
                .ingest(
                    dev.homelab.client.sensors.SensorReading.of(sensor.id())
                        .with("temperature", 21.5)
                        .withTimestamp(ts)
                        .withMessageId("m-2")));
    assertThat(second.stored()).as("the foreign-named reading was not stored").isEqualTo(1);
  }

  @Test
  void anOversizeOrMalformedPacketClosesOnlyItsConnection() throws Exception {
    Creds reader = device(lab);
    try (Client bystander = Client.connect(port, reader);
        Client big = Client.connect(port, reader)) {
      bystander.subscribe("homelab/access/" + reader.id() + "/decision");
      big.client.publish(
          "homelab/access/" + reader.id() + "/scan",
          Buffer.buffer(
              "{\"card_uid\":\""
                  + GRANTED_UID
                  + "\",\"pad\":\""
                  + "x".repeat(2 * MAX_MESSAGE_BYTES)
                  + "\"}"),
          MqttQoS.AT_LEAST_ONCE,
          false,
          false);
      big.awaitClosed();

      // A PUBLISH with QoS 3, which no MQTT version has, after a valid CONNECT.
      NetSocket raw = await(clients.createNetClient().connect(port, "127.0.0.1"));
      Promise<Void> rawClosed = Promise.promise();
      BlockingQueue<Buffer> rawIn = new LinkedBlockingQueue<>();
      raw.handler(rawIn::add);
      raw.closeHandler(v -> rawClosed.tryComplete());
      await(raw.write(connectPacket("raw-" + UUID.randomUUID(), reader.id(), reader.token())));
      Buffer connack = rawIn.poll(10, TimeUnit.SECONDS);
      assertThat(connack).as("a CONNACK").isNotNull();
      assertThat(connack.getBytes(0, 4)).containsExactly(0x20, 0x02, 0x00, 0x00);
      await(raw.write(Buffer.buffer(new byte[] {0x36, 0x02, 0x00, 0x00})));
      await(rawClosed.future());

      // Garbage before any CONNECT.
      NetSocket garbage = await(clients.createNetClient().connect(port, "127.0.0.1"));
      Promise<Void> garbageClosed = Promise.promise();
      garbage.closeHandler(v -> garbageClosed.tryComplete());
      await(
          garbage.write(
              Buffer.buffer(
                  new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff})));
      await(garbageClosed.future());

      // The bystander's connection is untouched.
      bystander.publishAcknowledged(
          "homelab/access/" + reader.id() + "/scan", "{\"card_uid\":\"" + GRANTED_UID + "\"}");
      assertThat(bystander.nextDecision().getBoolean("granted")).isTrue();
    }
  }

  @Test
  void theConnectionLimitAndKeepAliveAreEnforced() throws Exception {
    Creds reader = device(limited);
    try (Client first = Client.connect(limitedPort, reader)) {
      assertThat(first.client.isConnected()).isTrue();
      Throwable refused = connectFailure(limitedPort, reader.id(), reader.token());
      assertThat(((MqttConnectionException) refused).code())
          .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE);
    }
    // Once the first is gone, there is room again.
    Client again =
        Awaitility.await()
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(() -> Client.connect(limitedPort, reader), c -> c != null);
    // It asked for an hour's keep-alive and sends nothing: held to the maximum, 5 s here.
    again.awaitClosed();
    again.close();
  }

  private static MqttConnectReturnCode refusal(String username, String password) {
    return ((MqttConnectionException) connectFailure(port, username, password)).code();
  }

  // MqttConnectionException is a Throwable but no Exception, which Future.await() cannot rethrow.
  private static Throwable connectFailure(int port, String username, String password) {
    Throwable failure =
        await(
            MqttClient.create(clients, options(username, password))
                .connect(port, "127.0.0.1")
                .transform(
                    connected ->
                        io.vertx.core.Future.succeededFuture(
                            connected.succeeded() ? null : connected.cause())));
    assertThat(failure).as("a refused CONNECT").isInstanceOf(MqttConnectionException.class);
    return failure;
  }

  static Creds device(ServerTesting server) {
    Device device =
        await(
            server
                .client
                .devices()
                .create(new NewDevice("Door " + UUID.randomUUID(), "rfid_reader")));
    String token = await(server.client.devices().issueToken(device.id())).token();
    TestSecrets.remember(token);
    return new Creds(device.id(), token);
  }

  static MqttClientOptions options(String username, String password) {
    MqttClientOptions options =
        new MqttClientOptions().setClientId("test-" + UUID.randomUUID()).setCleanSession(true);
    if (username != null) {
      options.setUsername(username).setPassword(password);
    }
    // An hour, and no pings: the gateway holds such a client to its maximum.
    return options.setKeepAliveInterval(3600).setAutoKeepAlive(false);
  }

  static Buffer connectPacket(String clientId, String username, String password) {
    return connectPacket(clientId, username, password, null, null);
  }

  /** A CONNECT of MQTT 3.1.1 with a clean session, credentials and, if a topic is given, a will. */
  static Buffer connectPacket(
      String clientId, String username, String password, String willTopic, String willMessage) {
    int flags = 0xC2 | (willTopic == null ? 0 : 0x04);
    Buffer variable =
        Buffer.buffer()
            .appendBytes(
                new byte[] {0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04, (byte) flags, 0x00, 0x3C})
            .appendBuffer(string(clientId));
    if (willTopic != null) {
      variable.appendBuffer(string(willTopic)).appendBuffer(string(willMessage));
    }
    variable.appendBuffer(string(username)).appendBuffer(string(password));
    return packet(0x10, variable);
  }

  /**
   * @param header the fixed header's first byte: type and flags
   * @param body the variable header and payload
   * @return the packet, its remaining length encoded as the specification says
   */
  static Buffer packet(int header, Buffer body) {
    Buffer packet = Buffer.buffer().appendByte((byte) header);
    int length = body.length();
    do {
      int digit = length % 128;
      length /= 128;
      packet.appendByte((byte) (length > 0 ? digit | 0x80 : digit));
    } while (length > 0);
    return packet.appendBuffer(body);
  }

  static Buffer string(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendUnsignedShort(bytes.length).appendBytes(bytes);
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A vertx-mqtt client logged in as a device, with what it received. */
  static final class Client implements AutoCloseable {
    final MqttClient client;
    final BlockingQueue<MqttPublishMessage> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> acked = new LinkedBlockingQueue<>();
    final BlockingQueue<MqttSubAckMessage> subacks = new LinkedBlockingQueue<>();
    final Promise<Void> closed = Promise.promise();

    private Client(MqttClient client) {
      this.client = client;
    }

    static Client connect(int port, Creds creds) {
      return connect(port, options(creds.id(), creds.token()));
    }

    static Client connect(int port, MqttClientOptions options) {
      return connect(clients, port, options);
    }

    static Client connect(Vertx vertx, int port, MqttClientOptions options) {
      Client c = new Client(MqttClient.create(vertx, options));
      c.client.publishHandler(c.received::add);
      c.client.publishCompletionHandler(c.acked::add);
      c.client.subscribeCompletionHandler(c.subacks::add);
      c.client.closeHandler(v -> c.closed.tryComplete());
      await(c.client.connect(port, "127.0.0.1"));
      return c;
    }

    List<Integer> subscribe(String... filters) throws InterruptedException {
      Map<String, Integer> topics = new java.util.LinkedHashMap<>();
      for (String filter : filters) {
        topics.put(filter, 1);
      }
      int id = await(client.subscribe(topics));
      MqttSubAckMessage suback = subacks.poll(15, TimeUnit.SECONDS);
      assertThat(suback).as("a SUBACK").isNotNull();
      assertThat(suback.messageId()).isEqualTo(id);
      return suback.grantedQoSLevels();
    }

    void publishAcknowledged(String topic, String payload) throws InterruptedException {
      int id =
          await(client.publish(topic, Buffer.buffer(payload), MqttQoS.AT_LEAST_ONCE, false, false));
      Integer ack = acked.poll(15, TimeUnit.SECONDS);
      assertThat(ack).as("the PUBACK of a publish on " + topic).isEqualTo(id);
    }

    JsonObject nextDecision() throws InterruptedException {
      MqttPublishMessage message = received.poll(15, TimeUnit.SECONDS);
      assertThat(message).as("a decision").isNotNull();
      assertThat(message.topicName()).endsWith("/decision");
      return new JsonObject(message.payload());
    }

    void awaitClosed() {
      await(closed.future());
    }

    @Override
    public void close() {
      if (client.isConnected()) {
        await(client.disconnect());
      }
    }
  }
}
