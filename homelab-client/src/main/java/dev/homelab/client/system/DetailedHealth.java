package dev.homelab.client.system;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code GET /api/health/detailed} answers: the database, Redis and every upstream, each with
 * whether it answered, how fast and, for an upstream, its circuit breaker.
 *
 * @param status {@code healthy}, {@code degraded} (the database answers, something else does not or
 *     an upstream's breaker is open) or {@code unhealthy} (the database does not answer)
 * @param checkedAt when the server checked
 * @param database the database's ping
 * @param redis Redis's ping, or {@code null} when the server has no Redis
 * @param mqtt the bridge to the MQTT broker, or {@code null} when the server has no {@code
 *     MQTT_URL}
 * @param upstreams every upstream kind: each Proxmox server by id, then Frigate, the automation API
 *     and the AI hub; a kind with nothing configured is one entry with {@code configured} false
 */
public record DetailedHealth(
    String status,
    Instant checkedAt,
    Ping database,
    Ping redis,
    Mqtt mqtt,
    List<Upstream> upstreams) {

  /** Keeps the list unmodifiable. */
  public DetailedHealth {
    upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
  }

  /**
   * @param kind {@code sqlite}, {@code postgresql} or {@code redis}
   * @param reachable whether it answered in time
   * @param latencyMs how long it took, or {@code null} without an answer
   * @param error why it did not answer, or {@code null}
   */
  public record Ping(String kind, boolean reachable, Long latencyMs, String error) {

    static Ping fromJson(JsonObject json) {
      return json == null
          ? null
          : new Ping(
              json.getString("kind"),
              json.getBoolean("reachable", false),
              json.getLong("latency_ms"),
              json.getString("error"));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("kind", kind)
          .put("reachable", reachable)
          .put("latency_ms", latencyMs)
          .put("error", error);
    }
  }

  /**
   * The server's connection to the MQTT broker.
   *
   * @param connected whether it is up now
   * @param connections the connections made since the server started; more than one means it
   *     reconnected
   * @param outbox the messages waiting for the connection
   * @param dropped the messages dropped from a full outbox since the server started
   * @param error why it is not connected, or {@code null}
   */
  public record Mqtt(boolean connected, long connections, int outbox, long dropped, String error) {

    static Mqtt fromJson(JsonObject json) {
      return json == null
          ? null
          : new Mqtt(
              json.getBoolean("connected", false),
              json.getLong("connections", 0L),
              json.getInteger("outbox", 0),
              json.getLong("dropped", 0L),
              json.getString("error"));
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("connected", connected)
          .put("connections", connections)
          .put("outbox", outbox)
          .put("dropped", dropped)
          .put("error", error);
    }
  }

  /**
   * @param kind {@code proxmox}, {@code frigate}, {@code automations} or {@code ai_hub}
   * @param id the Proxmox server's id, else {@code null}
   * @param configured whether it is configured; when not, every field below is {@code null}
   * @param name its name in errors and logs, such as {@code proxmox nas}
   * @param reachable whether it answered (any HTTP status counts)
   * @param latencyMs how long it took, or {@code null} without an answer
   * @param breaker its circuit breaker: {@code CLOSED}, {@code OPEN} or {@code HALF_OPEN}
   * @param checkedAt when it was probed
   * @param error why it did not answer, or {@code null}
   */
  public record Upstream(
      String kind,
      String id,
      boolean configured,
      String name,
      Boolean reachable,
      Long latencyMs,
      String breaker,
      Instant checkedAt,
      String error) {

    static Upstream fromJson(JsonObject json) {
      return new Upstream(
          json.getString("kind"),
          json.getString("id"),
          json.getBoolean("configured", false),
          json.getString("name"),
          json.getBoolean("reachable"),
          json.getLong("latency_ms"),
          json.getString("breaker"),
          JsonFields.instant(json, "checked_at"),
          json.getString("error"));
    }

    JsonObject toJson() {
      JsonObject json =
          new JsonObject().put("kind", kind).put("id", id).put("configured", configured);
      if (configured) {
        json.put("name", name)
            .put("reachable", reachable)
            .put("latency_ms", latencyMs)
            .put("breaker", breaker)
            .put("checked_at", JsonFields.instant(checkedAt))
            .put("error", error);
      }
      return json;
    }
  }

  /**
   * @param kind an upstream kind
   * @param id a Proxmox server's id, or {@code null} for the other kinds
   * @return its entry, or {@code null} if there is none
   */
  public Upstream upstream(String kind, String id) {
    return upstreams.stream()
        .filter(u -> u.kind().equals(kind) && java.util.Objects.equals(u.id(), id))
        .findFirst()
        .orElse(null);
  }

  /**
   * @param json the server's JSON
   * @return the report
   */
  public static DetailedHealth fromJson(JsonObject json) {
    List<Upstream> upstreams = new ArrayList<>();
    for (Object o : json.getJsonArray("upstreams", new JsonArray())) {
      upstreams.add(Upstream.fromJson((JsonObject) o));
    }
    return new DetailedHealth(
        json.getString("status"),
        JsonFields.instant(json, "checked_at"),
        Ping.fromJson(json.getJsonObject("database")),
        Ping.fromJson(json.getJsonObject("redis")),
        Mqtt.fromJson(json.getJsonObject("mqtt")),
        upstreams);
  }

  /**
   * @return the report as the server sends it
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("status", status)
        .put("checked_at", JsonFields.instant(checkedAt))
        .put("database", database == null ? null : database.toJson())
        .put("redis", redis == null ? null : redis.toJson())
        .put("mqtt", mqtt == null ? null : mqtt.toJson())
        .put("upstreams", new JsonArray(upstreams.stream().map(Upstream::toJson).toList()));
  }
}
