package dev.homelab.core.upstream.proxmox.impl;

import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.impl.UpstreamHttp.Answer;
import dev.homelab.core.upstream.proxmox.Guest;
import dev.homelab.core.upstream.proxmox.GuestType;
import dev.homelab.core.upstream.proxmox.NodeStatus;
import dev.homelab.core.upstream.proxmox.NodeStatus.Usage;
import dev.homelab.core.upstream.proxmox.RrdPoint;
import dev.homelab.core.upstream.proxmox.TaskState;
import dev.homelab.core.upstream.proxmox.Upid;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Proxmox answers into records, leniently: a number may come as a JSON number or a string, a
 * boolean as 0/1, {@code true}/{@code false} or a string of those, and a missing key is 0 (or
 * {@code null} for text and for values whose absence means something). Only an answer of the wrong
 * shape altogether (no {@code data}, an object where a list belongs) is an error: {@link
 * UpstreamException#unavailable} with "malformed answer".
 */
public final class ProxmoxJson {

  private static final Pattern WARNINGS = Pattern.compile("WARNINGS: (\\d+)");
  private static final int MAX_MESSAGE = 300;

  private ProxmoxJson() {}

  /**
   * A node of {@code GET /nodes}.
   *
   * @param node its name
   * @param status {@code online}, {@code offline} or {@code unknown}
   * @param sslFingerprint its certificate's SHA-256 fingerprint, or {@code null}
   */
  public record NodeEntry(String node, String status, String sslFingerprint) {}

  // ---------------------------------------------------------------- envelope and errors

  /**
   * @param upstream the upstream's name, for errors
   * @param envelope an answer's body
   * @return its {@code data} object
   */
  public static JsonObject dataObject(String upstream, JsonObject envelope) {
    if (envelope.getValue("data") instanceof JsonObject data) {
      return data;
    }
    throw malformed(upstream, "no data object");
  }

  /**
   * @param upstream the upstream's name, for errors
   * @param envelope an answer's body
   * @return its {@code data} list
   */
  public static JsonArray dataArray(String upstream, JsonObject envelope) {
    if (envelope.getValue("data") instanceof JsonArray data) {
      return data;
    }
    throw malformed(upstream, "no data list");
  }

  /**
   * @param upstream the upstream's name, for errors
   * @param envelope the answer to a power action
   * @return its UPID, checked
   */
  public static Upid upid(String upstream, JsonObject envelope) {
    if (envelope.getValue("data") instanceof String upid) {
      try {
        return Upid.parse(upid);
      } catch (RuntimeException e) {
        throw malformed(upstream, "not a task id");
      }
    }
    throw malformed(upstream, "no task id");
  }

  /**
   * Proxmox's text for an error answer: the body's {@code message} (PVE 8.3 and later), else the
   * reason phrase, where every version puts it; then the parameter errors of a 400, if any.
   *
   * @param reason the reason phrase
   * @param body the body, JSON or not
   * @return the text, one line, at most 300 characters, or {@code null}
   */
  public static String errorMessage(String reason, Buffer body) {
    String message = null;
    JsonObject errors = null;
    try {
      if (body != null && body.length() > 0 && Json.decodeValue(body) instanceof JsonObject json) {
        if (json.getValue("message") instanceof String text && !text.isBlank()) {
          message = text;
        }
        if (json.getValue("errors") instanceof JsonObject parameters && !parameters.isEmpty()) {
          errors = parameters;
        }
      }
    } catch (DecodeException e) {
      // not JSON: the reason phrase says it
    }
    if (message == null) {
      message = reason;
    }
    StringBuilder text = new StringBuilder(message == null ? "" : message.strip());
    if (errors != null) {
      text.append(" (");
      String separator = "";
      for (Map.Entry<String, Object> error : errors) {
        text.append(separator).append(error.getKey()).append(": ").append(error.getValue());
        separator = "; ";
      }
      text.append(')');
    }
    String line = text.toString().replaceAll("\\s+", " ").strip();
    if (line.isEmpty()) {
      return null;
    }
    return line.length() > MAX_MESSAGE ? line.substring(0, MAX_MESSAGE) + "..." : line;
  }

  /**
   * The failure for an answer of 400 or more: 595, 596 and 599, which pveproxy answers when it
   * could not reach the node it proxies to, are {@link UpstreamException#unavailable}; any other
   * status is {@link UpstreamException#answered} with Proxmox's text.
   *
   * @param answer the answer
   * @return its failure
   */
  public static UpstreamException error(Answer answer) {
    String message = errorMessage(answer.statusMessage(), answer.body());
    int status = answer.status();
    if (status == 595 || status == 596 || status == 599) {
      return UpstreamException.unavailable(
          answer.upstream(), message == null ? "its node is not reachable" : message);
    }
    return UpstreamException.answered(answer.upstream(), status, message);
  }

  // ---------------------------------------------------------------- answers

  /**
   * @param data the list of {@code GET /nodes}
   * @return its nodes
   */
  public static List<NodeEntry> nodes(JsonArray data) {
    List<NodeEntry> nodes = new ArrayList<>();
    for (Object item : data) {
      if (item instanceof JsonObject node && text(node, "node") != null) {
        nodes.add(
            new NodeEntry(text(node, "node"), text(node, "status"), text(node, "ssl_fingerprint")));
      }
    }
    return nodes;
  }

  /**
   * @param data the object of {@code GET /version} or {@code GET /nodes/{node}/version}
   * @return the version, such as {@code 8.3.2}, or {@code null}
   */
  public static String version(JsonObject data) {
    return text(data, "version");
  }

  /**
   * @param pveversion a node status's {@code pveversion}, such as {@code
   *     pve-manager/7.4-16/0f39f621}
   * @return its version part, such as {@code 7.4-16}, or {@code null}
   */
  public static String versionOf(String pveversion) {
    if (pveversion == null) {
      return null;
    }
    String[] parts = pveversion.split("/");
    return parts.length >= 2 && !parts[1].isBlank() ? parts[1] : null;
  }

  /**
   * @param serverId the configured server id
   * @param node the node's name
   * @param data the object of {@code GET /nodes/{node}/status}
   * @return the status
   */
  public static NodeStatus nodeStatus(String serverId, String node, JsonObject data) {
    JsonObject cpuinfo = object(data, "cpuinfo");
    JsonObject memory = object(data, "memory");
    JsonObject swap = object(data, "swap");
    JsonObject rootfs = object(data, "rootfs");
    List<Double> loadavg = new ArrayList<>();
    if (data.getValue("loadavg") instanceof JsonArray loads) {
      for (Object load : loads) {
        Double value = toDouble(load);
        loadavg.add(value == null ? 0 : value);
      }
    }
    JsonObject kernel = object(data, "current-kernel");
    String kernelText = text(kernel, "release");
    return new NodeStatus(
        serverId,
        node,
        number(data, "uptime"),
        loadavg,
        (int) number(cpuinfo, "cpus"),
        fraction(data, "cpu"),
        text(cpuinfo, "model"),
        fraction(data, "wait"),
        usage(memory, "free"),
        usage(swap, "free"),
        // "avail" leaves out the blocks reserved for root: what users can still write.
        usage(rootfs, rootfs.containsKey("avail") ? "avail" : "free"),
        versionOf(text(data, "pveversion")),
        kernelText != null ? kernelText : text(data, "kversion"));
  }

  private static Usage usage(JsonObject json, String freeKey) {
    long total = number(json, "total");
    long used = number(json, "used");
    Long free = wholeOrNull(json.getValue(freeKey));
    return Usage.of(total, used, free != null ? free : Math.max(0, total - used));
  }

  /**
   * One entry of a guest index ({@code GET /nodes/{node}/qemu} or {@code /lxc}), a guest's current
   * status, or a {@code qemu}/{@code lxc} entry of {@code GET /cluster/resources}.
   *
   * @param json the entry
   * @param type the type when the entry does not say ({@code /qemu} entries do not)
   * @param node the node, when the entry does not say
   * @return the guest
   */
  public static Guest guest(JsonObject json, GuestType type, String node) {
    GuestType said = GuestType.fromApiName(text(json, "type"));
    String status = text(json, "status");
    Long pid = wholeOrNull(json.getValue("pid"));
    String nodeSaid = text(json, "node");
    // The index says "cpus", the cluster resources "maxcpu".
    long cpus = json.containsKey("cpus") ? number(json, "cpus") : number(json, "maxcpu");
    List<String> tags = new ArrayList<>();
    String tagText = text(json, "tags");
    if (tagText != null) {
      for (String tag : tagText.split("[;, ]+")) {
        if (!tag.isBlank()) {
          tags.add(tag);
        }
      }
    }
    return new Guest(
        number(json, "vmid"),
        said != null ? said : type,
        text(json, "name"),
        nodeSaid != null ? nodeSaid : node,
        status,
        "running".equals(status),
        flag(json, "template"),
        number(json, "uptime"),
        fraction(json, "cpu"),
        (int) cpus,
        number(json, "mem"),
        number(json, "maxmem"),
        number(json, "disk"),
        number(json, "maxdisk"),
        number(json, "netin"),
        number(json, "netout"),
        number(json, "diskread"),
        number(json, "diskwrite"),
        pid,
        text(json, "lock"),
        tags);
  }

  /**
   * @param data the list of a guest index
   * @param type the index's type
   * @param node the node
   * @return its guests
   */
  public static List<Guest> guests(JsonArray data, GuestType type, String node) {
    List<Guest> guests = new ArrayList<>();
    for (Object item : data) {
      if (item instanceof JsonObject entry) {
        guests.add(guest(entry, type, node));
      }
    }
    return guests;
  }

  /**
   * @param data the object of {@code GET /nodes/{node}/tasks/{upid}/status}
   * @param log the last lines of its log
   * @return the state
   */
  public static TaskState task(JsonObject data, List<String> log) {
    String status = text(data, "status");
    String exit = text(data, "exitstatus");
    // A stopped task without an exit status is one whose worker vanished: not a success.
    boolean ended = "stopped".equals(status);
    int warnings = 0;
    boolean succeeded = false;
    if (ended && exit != null) {
      Matcher matcher = WARNINGS.matcher(exit);
      if (matcher.matches()) {
        warnings = Integer.parseInt(matcher.group(1));
        succeeded = true;
      } else {
        succeeded = exit.equals("OK");
      }
    }
    Long start = wholeOrNull(data.getValue("starttime"));
    return new TaskState(
        text(data, "upid"),
        text(data, "node"),
        text(data, "type"),
        text(data, "id"),
        text(data, "user"),
        status,
        ended ? exit : null,
        ended,
        succeeded,
        warnings,
        start == null ? null : Instant.ofEpochSecond(start),
        log);
  }

  /**
   * @param data the list of {@code GET /nodes/{node}/tasks/{upid}/log}: {@code {n, t}} entries
   * @return the lines in order
   */
  public static List<String> taskLog(JsonArray data) {
    List<JsonObject> entries = new ArrayList<>();
    for (Object item : data) {
      if (item instanceof JsonObject entry) {
        entries.add(entry);
      }
    }
    entries.sort(Comparator.comparingLong(entry -> number(entry, "n")));
    List<String> lines = new ArrayList<>();
    for (JsonObject entry : entries) {
      String line = text(entry, "t");
      lines.add(line == null ? "" : line);
    }
    return lines;
  }

  /**
   * @param data an rrddata list
   * @return its rows with a time, oldest first; a column without a sample is left out
   */
  public static List<RrdPoint> rrd(JsonArray data) {
    List<RrdPoint> points = new ArrayList<>();
    for (Object item : data) {
      if (item instanceof JsonObject row) {
        Long time = wholeOrNull(row.getValue("time"));
        if (time == null) {
          continue;
        }
        Map<String, Double> values = new HashMap<>();
        for (Map.Entry<String, Object> column : row) {
          Double value = toDouble(column.getValue());
          if (!column.getKey().equals("time") && value != null && !value.isNaN()) {
            values.put(column.getKey(), value);
          }
        }
        points.add(new RrdPoint(Instant.ofEpochSecond(time), values));
      }
    }
    points.sort(Comparator.comparing(RrdPoint::time));
    return points;
  }

  // ---------------------------------------------------------------- lenient values

  private static JsonObject object(JsonObject json, String key) {
    return json != null && json.getValue(key) instanceof JsonObject object
        ? object
        : new JsonObject();
  }

  private static String text(JsonObject json, String key) {
    Object value = json == null ? null : json.getValue(key);
    if (value instanceof String text) {
      return text;
    }
    return value instanceof Number ? value.toString() : null;
  }

  private static long number(JsonObject json, String key) {
    Long value = wholeOrNull(json.getValue(key));
    return value == null ? 0 : value;
  }

  private static double fraction(JsonObject json, String key) {
    Double value = toDouble(json.getValue(key));
    return value == null || value.isNaN() ? 0 : value;
  }

  private static boolean flag(JsonObject json, String key) {
    Object value = json.getValue(key);
    if (value instanceof Boolean bool) {
      return bool;
    }
    if (value instanceof String text) {
      return text.equals("1") || text.equalsIgnoreCase("true");
    }
    return value instanceof Number number && number.doubleValue() != 0;
  }

  /** A whole number from a number (averages are truncated) or a numeric string. */
  private static Long wholeOrNull(Object value) {
    if (value instanceof Number number) {
      return number.longValue();
    }
    Double parsed = value instanceof String ? toDouble(value) : null;
    return parsed == null || parsed.isNaN() ? null : parsed.longValue();
  }

  private static Double toDouble(Object value) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    if (value instanceof String text) {
      try {
        return Double.parseDouble(text.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (value instanceof Boolean bool) {
      return bool ? 1.0 : 0.0;
    }
    return null;
  }

  private static UpstreamException malformed(String upstream, String what) {
    return UpstreamException.unavailable(upstream, "malformed answer (" + what + ")");
  }
}
