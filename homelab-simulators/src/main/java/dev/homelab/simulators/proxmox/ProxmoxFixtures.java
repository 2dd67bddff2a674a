package dev.homelab.simulators.proxmox;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The recorded Proxmox answers the simulator starts from, read once from the classpath. Each is
 * copied before use, so that the simulator can change its copy.
 */
final class ProxmoxFixtures {

  /** Where the fixtures are on the classpath. */
  static final String FOLDER = "/dev/homelab/simulators/fixtures/proxmox/";

  final JsonObject nodeEntry;
  final JsonObject nodeStatus;
  final JsonObject qemuStatus;
  final JsonObject lxcStatus;
  final JsonObject nodeRrdRow;

  private ProxmoxFixtures() {
    nodeEntry = data("nodes.json").getJsonArray("data").getJsonObject(0);
    nodeStatus = data("node-status.json").getJsonObject("data");
    qemuStatus = data("qemu-status-current.json").getJsonObject("data");
    lxcStatus = data("lxc-status-current.json").getJsonObject("data");
    // This recording was published without its {"data": ...} envelope.
    nodeRrdRow =
        ((JsonArray) Json.decodeValue(read("node-rrddata-hour.data-array.json"))).getJsonObject(0);
  }

  /** Reads the fixtures: blocking, call it off the event loop. */
  static ProxmoxFixtures load() {
    return new ProxmoxFixtures();
  }

  /**
   * The guests of the recordings, for a simulator with realistic contents: the virtual machines of
   * {@code cluster-resources.json} and the containers of {@code lxc-list-pve7.json} whose vmid no
   * virtual machine has (the recordings come from different nodes).
   */
  static List<SimulatedGuest> guests() {
    List<SimulatedGuest> guests = new ArrayList<>();
    Set<Integer> taken = new HashSet<>();
    for (Object item : data("cluster-resources.json").getJsonArray("data")) {
      JsonObject resource = (JsonObject) item;
      if ("qemu".equals(resource.getString("type"))) {
        SimulatedGuest guest = guest(resource, "qemu", resource.getInteger("maxcpu"));
        guests.add(guest);
        taken.add(guest.vmid());
      }
    }
    for (Object item : data("lxc-list-pve7.json").getJsonArray("data")) {
      JsonObject container = (JsonObject) item;
      SimulatedGuest guest = guest(container, "lxc", container.getInteger("cpus"));
      if (taken.add(guest.vmid())) {
        guests.add(guest);
      }
    }
    return guests;
  }

  private static SimulatedGuest guest(JsonObject json, String type, int cpus) {
    // The container index has the vmid as a string (PVE <= 8.1).
    int vmid = Integer.parseInt(String.valueOf(json.getValue("vmid")));
    return new SimulatedGuest(
        vmid,
        type,
        json.getString("name"),
        "running".equals(json.getString("status")),
        cpus,
        json.getLong("maxmem"),
        json.getLong("maxdisk"),
        json.getInteger("template", 0) == 1,
        null,
        0);
  }

  private static JsonObject data(String name) {
    return new JsonObject(read(name));
  }

  private static String read(String name) {
    try (InputStream in = ProxmoxFixtures.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
