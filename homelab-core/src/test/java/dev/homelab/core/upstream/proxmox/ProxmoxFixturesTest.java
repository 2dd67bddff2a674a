package dev.homelab.core.upstream.proxmox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.impl.UpstreamHttp.Answer;
import dev.homelab.core.upstream.proxmox.impl.ProxmoxJson;
import dev.homelab.core.upstream.proxmox.impl.ProxmoxJson.NodeEntry;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded Proxmox answer (the simulators' fixtures, on this module's test classpath) goes
 * through the client's parser for its kind, and the values that come out are the ones recorded:
 * strings read as numbers, 0/1 as booleans, absent keys as absent, errors with their text.
 */
class ProxmoxFixturesTest {

  private static final String FOLDER = "dev/homelab/simulators/fixtures/proxmox";
  private static final int EXPECTED = 14;

  /** Lists the fixture folder, whether the simulators module is a directory or a jar. */
  static Stream<String> fixtures() throws Exception {
    URL url = ProxmoxFixturesTest.class.getClassLoader().getResource(FOLDER);
    assertThat(url).as("the Proxmox fixtures on the classpath").isNotNull();
    List<String> names = new ArrayList<>();
    URI uri = url.toURI();
    if (uri.getScheme().equals("jar")) {
      FileSystem jar;
      try {
        jar = FileSystems.newFileSystem(uri, Map.of());
      } catch (FileSystemAlreadyExistsException e) {
        jar = FileSystems.getFileSystem(uri);
      }
      list(jar.getPath(FOLDER), names);
    } else {
      list(Path.of(uri), names);
    }
    assertThat(names).as("the Proxmox fixtures").hasSizeGreaterThanOrEqualTo(EXPECTED);
    return names.stream().sorted();
  }

  private static void list(Path folder, List<String> names) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(".json"))
          .forEach(names::add);
    }
  }

  private static String read(String name) throws IOException {
    try (InputStream in =
        ProxmoxFixturesTest.class.getClassLoader().getResourceAsStream(FOLDER + "/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void eachRecordedAnswerParsesToItsValues(String name) throws IOException {
    String text = read(name);
    switch (name) {
      case "cluster-resources.json" -> clusterResources(new JsonObject(text));
      case "error-501-not-implemented.json" -> notImplemented(text);
      case "lxc-list-pve7.json" -> containerIndex(new JsonObject(text));
      case "lxc-status-current.json" -> containerStatus(new JsonObject(text));
      case "node-rrddata-hour.data-array.json" -> nodeRrd(new JsonArray(text));
      case "node-status.json" -> nodeStatus(new JsonObject(text));
      case "node-version-pve7.json" ->
          assertThat(ProxmoxJson.version(data(new JsonObject(text)))).isEqualTo("7.4-16");
      case "nodes.json" -> nodes(new JsonObject(text));
      case "post-action-returns-upid.json" -> upid(new JsonObject(text));
      case "qemu-rrddata-hour-stopped-vm.json" -> stoppedGuestRrd(new JsonObject(text));
      case "qemu-status-current.json" -> vmStatus(new JsonObject(text));
      case "task-status-running.json" -> runningTask(new JsonObject(text));
      case "task-status-stopped-warnings.json" -> taskWithWarnings(new JsonObject(text));
      case "version.json" ->
          assertThat(ProxmoxJson.version(data(new JsonObject(text)))).isEqualTo("7.2-3");
      default -> throw new AssertionError("a new Proxmox fixture without a check: " + name);
    }
  }

  private static JsonObject data(JsonObject envelope) {
    return ProxmoxJson.dataObject("proxmox test", envelope);
  }

  private static void clusterResources(JsonObject envelope) {
    List<Guest> guests = new ArrayList<>();
    for (Object item : ProxmoxJson.dataArray("proxmox test", envelope)) {
      JsonObject resource = (JsonObject) item;
      GuestType type = GuestType.fromApiName(resource.getString("type"));
      if (type != null) {
        guests.add(ProxmoxJson.guest(resource, type, null));
      }
    }
    GuestList list = GuestList.of("test", guests);
    assertThat(list.guests()).extracting(Guest::vmid).containsExactly(100L, 101L, 102L, 200L);
    assertThat(list.total()).isEqualTo(4);
    assertThat(list.running()).isEqualTo(1);
    assertThat(list.stopped()).isEqualTo(3);
    assertThat(list.vms()).isEqualTo(4);
    assertThat(list.containers()).isZero();
    Guest server1 = list.guests().get(0);
    assertThat(server1.name()).isEqualTo("server1");
    assertThat(server1.node()).isEqualTo("node2");
    assertThat(server1.cpus()).isEqualTo(1); // "maxcpu" in the cluster resources
    assertThat(server1.mem()).isEqualTo(842_551_296L);
    assertThat(server1.netin()).isEqualTo(2_456_116_121L);
    assertThat(list.guests().get(1).template()).isTrue();
  }

  private static void notImplemented(String body) {
    String recorded = "Method 'GET /nodes/proxmox-my-s001//2/config' not implemented";
    // The body's message wins over the reason phrase, which older servers alone carry.
    assertThat(ProxmoxJson.errorMessage("Not Implemented", Buffer.buffer(body)))
        .isEqualTo(recorded);
    assertThat(ProxmoxJson.errorMessage(recorded, Buffer.buffer("{\"data\":null}")))
        .isEqualTo(recorded);
    UpstreamException failure =
        ProxmoxJson.error(
            new Answer(
                "proxmox test",
                501,
                "Not Implemented",
                MultiMap.caseInsensitiveMultiMap(),
                Buffer.buffer(body)));
    assertThat(failure.kind()).isEqualTo(ErrorKind.UPSTREAM_ERROR);
    assertThat(failure.upstreamStatus()).isEqualTo(501);
    assertThat(failure.getMessage()).isEqualTo("proxmox test answered 501: " + recorded);
  }

  private static void containerIndex(JsonObject envelope) {
    List<Guest> containers =
        ProxmoxJson.guests(ProxmoxJson.dataArray("proxmox test", envelope), GuestType.LXC, "n1");
    GuestList list = GuestList.of("test", containers);
    // The vmids are strings in this recording (PVE <= 8.1).
    assertThat(list.guests()).extracting(Guest::vmid).containsExactly(101L, 105L, 106L);
    assertThat(list.containers()).isEqualTo(3);
    assertThat(list.containersRunning()).isEqualTo(2);
    assertThat(list.stopped()).isEqualTo(1);
    Guest template = list.guests().get(0);
    assertThat(template.template()).isTrue();
    assertThat(template.running()).isFalse();
    assertThat(template.pid()).isNull();
    Guest test = list.guests().get(2);
    assertThat(test.name()).isEqualTo("test");
    assertThat(test.type()).isEqualTo(GuestType.LXC);
    assertThat(test.pid()).isEqualTo(248_173L);
    assertThat(test.uptime()).isEqualTo(919_760L);
    assertThat(test.node()).isEqualTo("n1");
  }

  private static void containerStatus(JsonObject envelope) {
    Guest guest = ProxmoxJson.guest(data(envelope), GuestType.LXC, "node1");
    assertThat(guest.vmid()).isEqualTo(101);
    assertThat(guest.name()).isEqualTo("test-container");
    assertThat(guest.status()).isEqualTo("stopped");
    assertThat(guest.template()).isTrue();
    assertThat(guest.cpus()).isEqualTo(2);
    assertThat(guest.maxmem()).isEqualTo(536_870_912L);
    assertThat(guest.maxdisk()).isEqualTo(8_589_934_592L);
  }

  private static void nodeRrd(JsonArray rows) {
    List<RrdPoint> points = ProxmoxJson.rrd(rows);
    assertThat(points).hasSize(1);
    RrdPoint point = points.get(0);
    assertThat(point.time()).isEqualTo(Instant.ofEpochSecond(1_766_014_200L));
    assertThat(point.value("cpu")).isCloseTo(0.0277346455515237, within(1e-12));
    assertThat(point.value("memused")).isCloseTo(57_576_897_877.3333, within(1e-3));
    assertThat(point.value("maxcpu")).isEqualTo(72.0);
    assertThat(point.value("pressurecpusome")).isNotNull(); // a PVE 9 column
    assertThat(point.values()).doesNotContainKey("time");
  }

  private static void nodeStatus(JsonObject envelope) {
    NodeStatus status = ProxmoxJson.nodeStatus("nas", "node1", data(envelope));
    assertThat(status.cpuCount()).isEqualTo(8);
    assertThat(status.cpuUsage()).isCloseTo(0.00260552371026576, within(1e-12));
    assertThat(status.cpuModel()).isEqualTo("Intel(R) Core(TM) i7-6700 CPU @ 3.40GHz");
    assertThat(status.uptime()).isEqualTo(2_501_631L);
    assertThat(status.loadavg()).containsExactly(0.0, 0.0, 0.0); // strings on the wire
    assertThat(status.memory().total()).isEqualTo(65_919_459_328L);
    assertThat(status.memory().used()).isEqualTo(8_095_399_936L);
    assertThat(status.memory().free()).isEqualTo(57_824_059_392L);
    assertThat(status.memory().percent()).isEqualTo(12.3);
    assertThat(status.swap().total()).isZero();
    assertThat(status.swap().percent()).isZero();
    assertThat(status.rootfs().free()).isEqualTo(937_851_224_064L);
    assertThat(status.version()).isEqualTo("7.4-16");
    assertThat(status.kernel()).startsWith("Linux 5.15.108-1-pve");
  }

  private static void nodes(JsonObject envelope) {
    List<NodeEntry> nodes = ProxmoxJson.nodes(ProxmoxJson.dataArray("proxmox test", envelope));
    assertThat(nodes)
        .extracting(NodeEntry::node)
        .containsExactly("node1", "node2", "node3", "node4");
    assertThat(nodes.get(0).status()).isEqualTo("online");
    assertThat(nodes.get(0).sslFingerprint())
        .isEqualTo(
            "80:D4:F2:DF:64:95:CD:8D:A0:82:82:AC:48:BA:C0:7A:1B:6B:87:8B:FE:B9:83:1C:95:4E:79:58:77:99:69:F5");
  }

  private static void upid(JsonObject envelope) {
    // This recording's UPID was cut short by its reporter: no trailing colon, no realm.
    Upid upid = ProxmoxJson.upid("proxmox test", envelope);
    assertThat(upid.node()).isEqualTo("prd-pve-node-01");
    assertThat(upid.pid()).isEqualTo(0x00354EC5L);
    assertThat(upid.startTime()).isEqualTo(Instant.ofEpochSecond(0x6853C531L));
    assertThat(upid.type()).isEqualTo("hamigrate");
    assertThat(upid.id()).isEqualTo("227");
    assertThat(upid.user()).isEqualTo("terraform");
  }

  private static void stoppedGuestRrd(JsonObject envelope) {
    List<RrdPoint> points = ProxmoxJson.rrd(ProxmoxJson.dataArray("proxmox test", envelope));
    assertThat(points).hasSizeGreaterThan(60);
    assertThat(points).isSortedAccordingTo(java.util.Comparator.comparing(RrdPoint::time));
    assertThat(points.get(0).time()).isEqualTo(Instant.ofEpochSecond(1_693_110_660L));
    for (RrdPoint point : points) {
      // A stopped guest has no samples: the columns are absent, not 0.
      assertThat(point.value("cpu")).isNull();
      assertThat(point.value("maxcpu")).isEqualTo(4.0);
      assertThat(point.value("maxmem")).isEqualTo(16_777_216_000.0);
    }
  }

  private static void vmStatus(JsonObject envelope) {
    Guest vm = ProxmoxJson.guest(data(envelope), GuestType.QEMU, "node1");
    assertThat(vm.vmid()).isEqualTo(101);
    assertThat(vm.type()).isEqualTo(GuestType.QEMU);
    assertThat(vm.name()).isEqualTo("matt");
    assertThat(vm.node()).isEqualTo("node1");
    assertThat(vm.running()).isTrue();
    assertThat(vm.pid()).isEqualTo(1_563_102L);
    assertThat(vm.cpus()).isEqualTo(8);
    assertThat(vm.cpu()).isCloseTo(0.0112815646165076, within(1e-12));
    assertThat(vm.mem()).isEqualTo(1_127_792_640L);
    assertThat(vm.maxmem()).isEqualTo(2_097_152_000L);
    assertThat(vm.netin()).isEqualTo(547_369_168L);
    assertThat(vm.uptime()).isEqualTo(170_815L);
  }

  private static void runningTask(JsonObject envelope) {
    TaskState task = ProxmoxJson.task(data(envelope), List.of());
    assertThat(task.status()).isEqualTo("running");
    assertThat(task.ended()).isFalse();
    assertThat(task.succeeded()).isFalse();
    assertThat(task.failed()).isFalse();
    assertThat(task.exitStatus()).isNull();
    assertThat(task.id()).isEqualTo("113");
    assertThat(task.type()).isEqualTo("qmconfig");
    assertThat(task.startTime()).isEqualTo(Instant.ofEpochSecond(1_637_159_089L));
    Upid upid = Upid.parse(task.upid());
    assertThat(upid.node()).isEqualTo("x");
    assertThat(upid.user()).isEqualTo("terraform-prov@pve");
  }

  private static void taskWithWarnings(JsonObject envelope) {
    TaskState task =
        ProxmoxJson.task(
            data(envelope),
            ProxmoxJson.taskLog(
                new JsonArray()
                    .add(new JsonObject().put("n", 2).put("t", "TASK WARNINGS: 1"))
                    .add(new JsonObject().put("n", 1).put("t", "WARN: a warning"))));
    assertThat(task.ended()).isTrue();
    assertThat(task.exitStatus()).isEqualTo("WARNINGS: 1");
    // A start with warnings succeeded: the VM runs.
    assertThat(task.succeeded()).isTrue();
    assertThat(task.warnings()).isEqualTo(1);
    assertThat(task.log()).containsExactly("WARN: a warning", "TASK WARNINGS: 1");
    assertThat(Upid.parse(task.upid()).type()).isEqualTo("qmstart");
  }
}
