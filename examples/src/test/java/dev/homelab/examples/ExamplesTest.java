package dev.homelab.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.core.settings.Setting;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.server.HomelabServer;
import dev.homelab.server.ServerConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example, and checks the docs snippets copied from them, so that neither rots unseen.
 */
class ExamplesTest {

  @TempDir Path dir;
  Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void storageExample() {
    var settings =
        StorageExample.run(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("x.db").toString()))
            .await();
    assertThat(settings)
        .extracting(Setting::key)
        .containsExactly("dashboard.layout", "dashboard.title");
  }

  @Test
  void eventHubExample() {
    assertThat(EventHubExample.run(vertx).await().payload().getDouble("temperature"))
        .isEqualTo(21.5);
    assertThat(EventHubExample.resume(vertx).await()).containsExactly(20.5, 21.0);
  }

  @Test
  void accountsExample() {
    assertThat(
            AccountsExample.run(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("accounts.db").toString())))
        .containsExactly(
            "carol logs in: true, with a wrong password: false",
            "carol's key backup (user) starts with hlk_",
            "carol changes a setting: FORBIDDEN",
            "audit: [setting.changed by system, user.updated by system, auth.key_created by carol,"
                + " user.created by system]");
  }

  @Test
  void fileStoreExample() throws IOException {
    assertThat(
            FileStoreExample.run(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("files.db").toString()), dir))
        .containsExactly(
            "alice uploaded report.txt (17 bytes) [2026, docs]",
            "the copy has the same content: true",
            "alice: 2 files, 34 bytes, 17 saved",
            "bob: 1 file, 17 bytes, 0 saved",
            "tagged docs: [copy.txt, report.txt]",
            "bob opens alice's file: FILE_NOT_FOUND",
            "the link opens: quarterly numbers, a second time: SHARE_NOT_FOUND",
            "resumable: 12 of 23 bytes, then big.txt complete: true");
    assertThat(dir.resolve("files/blobs")).isDirectory();
  }

  @Test
  void deviceRegistryExample() {
    assertThat(
            DeviceRegistryExample.run(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("x.db").toString())))
        .containsExactly(
            "bob sees [Rack]",
            "bob gets alice's device: DEVICE_NOT_FOUND",
            "bob renames it: DEVICE_NOT_FOUND",
            "alice renames it: Back door, {\"floor\":0}",
            "alice's door token starts with hld_",
            "audit: [device.token_issued by alice {}, device.updated by alice"
                + " {\"name\":\"Back door\",\"changed\":[\"name\"]}, device.created by alice"
                + " {\"name\":\"Front door\"}]");
  }

  @Test
  void sensorIngestExample() {
    assertThat(
            SensorIngestExample.run(
                vertx,
                new StorageOptions().setSqlitePath(dir.resolve("s.db").toString()),
                java.time.Clock.systemUTC()))
        .containsExactly(
            "sent 3: 3 stored, 0 duplicates",
            "redelivered: 0 stored, 1 duplicate",
            "an hour old: VALIDATION_FAILED on ts",
            "bob sends for it: VALIDATION_FAILED on readings[0].device_id",
            "history (raw): [21.0, 22.0, 23.0]");
  }

  @Test
  void accessEngineExample() {
    assertThat(
            AccessEngineExample.run(
                vertx,
                new StorageOptions().setSqlitePath(dir.resolve("a.db").toString()),
                java.time.Clock.fixed(
                    java.time.Instant.parse("2026-03-04T09:00:00Z"), java.time.ZoneOffset.UTC)))
        .containsExactly(
            "door-1 Ann: GRANTED for Ann",
            "garage Ann: READER_NOT_ALLOWED",
            "door-1 Ann, disabled: DISABLED",
            "door-2 Ann, after 3 denials: LOCKED_OUT",
            "log: door-1 BA839D07 DISABLED",
            "log: door-1 BA839D07 GRANTED");
  }

  @Test
  void downsamplerExample() {
    assertThat(
            DownsamplerExample.run(
                vertx, new DownsamplerExample.ManualClock(Instant.parse("2026-03-04T06:00:00Z"))))
        .containsExactly(
            "again: WriteResult[stored=0, duplicates=1, tooLate=0],"
                + " late: WriteResult[stored=0, duplicates=0, tooLate=1]",
            "rolled up 438 buckets, up to 1m 08:57, 5m 08:55, 30m 08:30, 1h 08:00",
            "room.temperature{room=garage}, 24h: tier 1m, 180 buckets, 12 with max_points 12",
            "  06:00 avg 18.04 min 18.00 max 18.09 count 6",
            "  06:01 avg 18.15 min 18.10 max 18.19 count 6",
            "rack.power 06:00 avg 121.33 min 120.00 max 200.00 count 360",
            "rack.power 07:00 avg 121.33 min 120.00 max 200.00 count 360",
            "rack.power 08:00 avg 121.33 min 120.00 max 200.00 count 360");
  }

  @Test
  void proxmoxExample() {
    List<String> out = ProxmoxExample.run(vertx);
    assertThat(out)
        .startsWith(
            "3 guests, 2 running",
            "  100 qemu home-assistant: running",
            "  101 qemu nextcloud: stopped",
            "  200 lxc pihole: running")
        .contains("  task: running", "  task: stopped")
        .endsWith("start of 101 ended: OK", "101 is running");
  }

  @Test
  void upstreamHistoryExample() throws InterruptedException {
    List<String> out = UpstreamHistoryExample.run(vertx);
    assertThat(out).hasSize(3);
    assertThat(out.get(0))
        .isEqualTo(
            "rack: 1 row, columns [cpu_percent, ram_used, ram_total, ram_percent, net_rx,"
                + " net_tx]");
    // The stopped container is collected too: memory in all, nothing in use.
    assertThat(out.get(1))
        .startsWith("guest 100: {cpu_percent=")
        .endsWith("ram_total=2.147483648E9}");
    assertThat(out.get(2))
        .isEqualTo("guest 200: {cpu_percent=0.0, ram_used=0.0, ram_total=5.36870912E8}");
  }

  @Test
  void automationLogsExample() throws InterruptedException {
    assertThat(AutomationLogsExample.run(vertx))
        .containsExactly(
            "4 automations, 3 running",
            "restart monitor: running",
            "both readers got lines: true",
            "upstream log connections: 1");
  }

  @Test
  void aiHubExample() {
    List<String> out = AiHubExample.run(vertx);
    assertThat(out).hasSizeGreaterThan(3).endsWith("done", "ended");
  }

  @Test
  void frigateExample() throws Exception {
    List<String> out = FrigateExample.run(vertx, dir);
    assertThat(out.get(0)).matches("\\d+ cameras, the first: \\S+");
    assertThat(out.get(1)).matches("image/jpeg, [1-9]\\d+ bytes written");
    assertThat(out).hasSizeGreaterThan(2);
  }

  @Test
  void metricTableExample() {
    assertThat(
            MetricTableExample.run(
                vertx, new DownsamplerExample.ManualClock(Instant.parse("2026-03-04T06:00:00Z"))))
        .containsExactly(
            "tier 1m, 8 rows:",
            "  {\"timestamp\":1772604000,\"power\":112.0,\"hottest\":30.0}",
            "  {\"timestamp\":1772604300,\"power\":52.0,\"hottest\":35.0}",
            "  {\"timestamp\":1772607540,\"power\":52.0,\"hottest\":39.0}",
            "  {\"timestamp\":1772607600,\"power\":112.0,\"hottest\":30.0}",
            "  {\"timestamp\":1772609400,\"power\":52.0,\"hottest\":30.0}",
            "  {\"timestamp\":1772611200,\"power\":112.0,\"hottest\":30.0,\"ups_load\":35.0}",
            "  {\"timestamp\":1772612940,\"power\":52.0,\"hottest\":39.0,\"ups_load\":35.0}",
            "  {\"timestamp\":1772614740,\"power\":52.0,\"hottest\":39.0,\"ups_load\":35.0}",
            "06:00 power 57.00 W, hottest 39 C, UPS null",
            "07:00 power 57.00 W, hottest 39 C, UPS null",
            "08:00 power 57.00 W, hottest 39 C, UPS 35.0");
  }

  @Test
  void lttbOnArraysExample() {
    assertThat(DownsamplerExample.reduceArrays())
        .containsExactly("kept 500 of 86400 points, first 0, last 86399, the spike kept");
  }

  @Test
  void hostMonitorExample() {
    List<String> lines = DownsamplerExample.monitorHost(vertx, Duration.ofMillis(2500));
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0))
        .matches(".*: CPU \\d+\\.\\d % on [1-9]\\d* cores, memory \\d+\\.\\d % of [1-9]\\d* MiB");
    Matcher runs =
        Pattern.compile("collector host: (\\d+) successes, 0 failures, \\d+ retries")
            .matcher(lines.get(1));
    assertThat(runs.matches()).as(lines.get(1)).isTrue();
    assertThat(Long.parseLong(runs.group(1))).isPositive();
    assertThat(lines.get(2)).matches("host\\.cpu\\.percent: tier raw, [1-9]\\d* points");
  }

  @Test
  void mqttBridgeExample() {
    // The Mosquitto of the development machine and of CI, on loopback.
    String topic = "homelab/examples-test/" + java.util.UUID.randomUUID() + "/lamp";
    var state = MqttBridgeExample.run(vertx, "mqtt://127.0.0.1:1883", topic).await();
    assertThat(state.topic()).isEqualTo(topic);
    assertThat(state.payloadAsString()).isEqualTo("{\"state\":\"ON\"}");
    assertThat(state.retained()).isTrue();
  }

  @Test
  void deviceHistoryExample() {
    // The Mosquitto of the development machine and of CI, on loopback.
    String base = "homelab-examples-test/" + java.util.UUID.randomUUID() + "/zigbee2mqtt";
    dev.homelab.core.store.Storage storage =
        dev.homelab.core.store.Storage.open(
                vertx, new StorageOptions().setSqlitePath(dir.resolve("d.db").toString()))
            .await();
    try {
      var history = DeviceHistoryExample.run(vertx, storage, "mqtt://127.0.0.1:1883", base).await();
      assertThat(history.topic()).isEqualTo(base + "/living room/lamp");
      // ON, ON again (no change), OFF: two changes.
      assertThat(history.states())
          .extracting(change -> change.state().getString("state"))
          .containsExactly("ON", "OFF");
      assertThat(history.series().table().columns())
          .extracting(column -> column.name())
          .containsExactly("brightness", "state");
    } finally {
      storage.close().await();
    }
  }

  @Test
  void leadershipExample() {
    List<String> lines =
        LeadershipExample.run(
            vertx,
            new StorageOptions().setSqlitePath(dir.resolve("l.db").toString()),
            Duration.ofMillis(100),
            Duration.ofMillis(1000));
    // Alone on its SQLite file, the instance leads from start to close, ticking meanwhile.
    assertThat(lines.get(0)).isEqualTo("leading: the job starts");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("not leading: the job stops");
    assertThat(lines.subList(1, lines.size() - 1)).isNotEmpty().containsOnly("tick");
  }

  @Test
  void redisLeadershipExample() {
    // The machine's Redis, under a prefix of this run's own.
    List<String> lines =
        RedisLeadershipExample.run(
            vertx,
            "redis://127.0.0.1:6379",
            "homelab-examples-" + UUID.randomUUID() + ":",
            Duration.ofMillis(3500));
    // Alone on its key, the instance leads at once: a tick a second.
    assertThat(lines).hasSizeGreaterThanOrEqualTo(2).containsOnly("tick");
  }

  @Test
  void clientExample() {
    String accessToken = "examples-test-access-token";
    HomelabServer server = startServer(accessToken, Map.of());
    try {
      List<String> lines = ClientExample.run("http://127.0.0.1:" + server.port(), accessToken);
      assertThat(lines).hasSize(5).noneMatch(line -> line.contains("hlk_"));
      assertThat(lines.subList(0, 3))
          .containsExactly("healthy on sqlite", "title = Garage lab", "devices = [Front door]");
      Matcher key =
          Pattern.compile("API key (\\S+) acts as admin \\(admin\\)").matcher(lines.get(3));
      assertThat(key.matches()).as(lines.get(3)).isTrue();
      assertThat(lines.get(4)).isEqualTo("credential = api_key " + key.group(1));
    } finally {
      server.shutdown(Duration.ofSeconds(5)).await();
    }
  }

  @Test
  void filesExample() throws Exception {
    String accessToken = "examples-test-access-token";
    HomelabServer server = startServer(accessToken, Map.of());
    try {
      Path work = Files.createDirectories(dir.resolve("files-example"));
      List<String> lines = FilesExample.run("http://127.0.0.1:" + server.port(), accessToken, work);
      assertThat(lines)
          .containsExactly(
              "report.txt [2026, docs], 18 bytes sent",
              "tagged docs: copy.txt",
              "tagged docs: report.txt",
              "disk.img: 3145728 bytes over tus",
              "downloaded 3145728 bytes, SHA-256 checked",
              "share link: 50 characters, 1 use",
              "3 files, 18 bytes saved by deduplication");
      assertThat(Files.readAllBytes(work.resolve("disk-copy.img"))).isEqualTo(new byte[3 << 20]);
    } finally {
      server.shutdown(Duration.ofSeconds(5)).await();
    }
  }

  @Test
  void clientPagingExample() {
    String accessToken = "examples-test-access-token";
    // 120 creations and the pages in well under a minute: above the default rate limit.
    HomelabServer server = startServer(accessToken, Map.of("RATE_LIMIT_PER_MINUTE", "100000"));
    HomelabClient client =
        HomelabClient.create(
            vertx, new HomelabClientOptions().setBaseUrl("http://127.0.0.1:" + server.port()));
    try {
      client.auth().login(accessToken).await();
      List<String> created = new ArrayList<>();
      for (int i = 0; i < 120; i++) { // three pages of 50
        created.add(client.devices().create(new NewDevice("Device " + i, "sensor")).await().name());
      }
      assertThat(ClientExample.deviceNames(client).await()).isEqualTo(created);
    } finally {
      client.close().await();
      server.shutdown(Duration.ofSeconds(5)).await();
    }
  }

  @Test
  void mqttAccessExample() {
    String base = "hltest-examples-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    var decision =
        MqttAccessExample.run(
            vertx,
            "mqtt://127.0.0.1:1883",
            new StorageOptions().setSqlitePath(dir.resolve("mqtt-access.db").toString()),
            base + "/access");
    assertThat(decision.getBoolean("granted")).isTrue();
    assertThat(decision.getString("reason")).isEqualTo("GRANTED");
    assertThat(decision.getString("card_uid")).isEqualTo("BA839D07");
  }

  @Test
  void rfidReaderExample() throws Exception {
    GatewayServer lab = startWithGateway();
    HomelabClient client = lab.client();
    int gatewayPort = lab.gatewayPort();
    try {
      String reader =
          client.devices().create(new NewDevice("Front door", "rfid_reader")).await().id();
      String token = client.devices().issueToken(reader).await().token();
      client
          .access()
          .createCard(dev.homelab.client.access.NewCardPolicy.of("BA839D07").withHolder("Ada"))
          .await();
      var granted =
          RfidReaderExample.scan(vertx, "127.0.0.1", gatewayPort, reader, token, "ba:83:9d:07")
              .await();
      assertThat(granted.getBoolean("granted")).isTrue();
      assertThat(granted.getString("card_uid")).isEqualTo("BA839D07");
      var denied =
          RfidReaderExample.scan(vertx, "127.0.0.1", gatewayPort, reader, token, "0BADCAFE")
              .await();
      assertThat(denied.getBoolean("granted")).isFalse();
      assertThat(denied.getString("reason")).isEqualTo("UNKNOWN_CARD");
    } finally {
      lab.close();
    }
  }

  @Test
  void sensorGatewayExample() throws Exception {
    GatewayServer lab = startWithGateway();
    HomelabClient client = lab.client();
    int gatewayPort = lab.gatewayPort();
    try {
      String sensor = client.devices().create(new NewDevice("Balcony", "sensor")).await().id();
      String token = client.devices().issueToken(sensor).await().token();
      assertThat(
              SensorGatewayExample.send(vertx, "127.0.0.1", gatewayPort, sensor, token, 5).await())
          .isEqualTo(5);
      // Committed before each PUBACK, the readings reach the history once the collector (every
      // second, on the leader) has fed them to the metric tiers.
      // No event tells when the collector has run: wait, bounded, until the history shows them.
      dev.homelab.client.sensors.SensorHistory history =
          org.awaitility.Awaitility.await()
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () ->
                      client
                          .sensors()
                          .readings(dev.homelab.client.sensors.SensorQuery.last(sensor, "1h"))
                          .await(),
                  found -> !found.data().isEmpty());
      assertThat(history.data()).isNotEmpty();
      assertThat(history.data().get(0).values()).containsKeys("temperature", "humidity");
    } finally {
      lab.close();
    }
  }

  /** A server with its MQTT device gateway on a free port, and a client logged in as admin. */
  private record GatewayServer(HomelabServer server, HomelabClient client, int gatewayPort) {
    void close() {
      client.close().await();
      server.shutdown(Duration.ofSeconds(5)).await();
    }
  }

  private GatewayServer startWithGateway() throws java.io.IOException {
    String accessToken = "examples-test-access-token";
    int gatewayPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      gatewayPort = socket.getLocalPort();
    }
    HomelabServer server = startServer(accessToken, Map.of("MQTT_GATEWAY_PORT", "" + gatewayPort));
    HomelabClient client =
        HomelabClient.create(
            vertx, new HomelabClientOptions().setBaseUrl("http://127.0.0.1:" + server.port()));
    client.auth().login(accessToken).await();
    return new GatewayServer(server, client, gatewayPort);
  }

  private HomelabServer startServer(String accessToken, Map<String, String> settings) {
    // The MQTT gateway is off unless a test asks: 1884 may be taken by another server.
    Map<String, String> values = new TreeMap<>(Map.of("MQTT_GATEWAY_PORT", "0"));
    values.putAll(settings);
    values.putAll(
        Map.of(
            "PORT", "0", "DATA_DIR", dir.toString(), "LOG_DIR", "", "ACCESS_TOKEN", accessToken));
    return HomelabServer.start(vertx, ServerConfig.of(values), null).await();
  }

  /**
   * Every {@code // snippet:name} ... {@code // end:name} region of an example appears verbatim
   * (less its indentation) as a java block in docs/, and every java block that docs/ introduces
   * with "From `examples/.../X.java`" is one of X's regions.
   */
  @Test
  void docsSnippetsMatchTheExamples() throws IOException {
    Path sources = Path.of("src/main/java/dev/homelab/examples");
    Map<String, List<String>> snippets = new TreeMap<>();
    try (Stream<Path> files = Files.list(sources)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        snippets.put(file.getFileName().toString(), snippets(Files.readString(file)));
      }
    }
    assertThat(snippets.values().stream().mapToInt(List::size).sum()).isGreaterThan(0);

    Map<String, String> docs = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of("../docs"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".md")).toList()) {
        docs.put(file.getFileName().toString(), Files.readString(file));
      }
    }
    snippets.forEach(
        (example, regions) ->
            regions.forEach(
                region ->
                    assertThat(
                            docs.values().stream()
                                .anyMatch(doc -> doc.contains("```java\n" + region + "```\n")))
                        .as("a docs/ java block equal to this snippet of %s:%n%s", example, region)
                        .isTrue()));

    Pattern copied =
        Pattern.compile(
            "From\\s+`examples/\\.\\.\\./(\\w+\\.java)`.*?\n\n```java\n(.*?)```\n", Pattern.DOTALL);
    int blocks = 0;
    for (Map.Entry<String, String> doc : docs.entrySet()) {
      Matcher block = copied.matcher(doc.getValue());
      for (; block.find(); blocks++) {
        assertThat(snippets.getOrDefault(block.group(1), List.of()))
            .as("%s: the block copied from %s", doc.getKey(), block.group(1))
            .contains(block.group(2));
      }
    }
    assertThat(blocks)
        .as("java blocks introduced with From `examples/.../X.java`")
        .isEqualTo(snippets.values().stream().mapToInt(List::size).sum());
  }

  /** The marked regions of one source file, each less the indentation of its marker. */
  private static List<String> snippets(String source) {
    List<String> regions = new ArrayList<>();
    Matcher start = Pattern.compile("(?m)^( *)// snippet:(\\S+)\n").matcher(source);
    while (start.find()) {
      String end = start.group(1) + "// end:" + start.group(2) + "\n";
      int to = source.indexOf(end, start.end());
      assertThat(to).as("// end:%s after its // snippet:", start.group(2)).isGreaterThan(0);
      StringBuilder region = new StringBuilder();
      for (String line : source.substring(start.end(), to).split("\n", -1)) {
        if (!line.isEmpty()) {
          assertThat(line).startsWith(start.group(1));
          region.append(line.substring(start.group(1).length()));
        }
        region.append('\n');
      }
      regions.add(region.substring(0, region.length() - 1));
    }
    return regions;
  }
}
