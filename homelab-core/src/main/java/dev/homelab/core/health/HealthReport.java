package dev.homelab.core.health;

import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.upstream.UpstreamStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SystemHealth#check()} found. Names and error texts only: never a URL, a host, a
 * credential or a stack trace.
 *
 * @param status {@code healthy} (everything configured answers, no breaker open), {@code degraded}
 *     (the database answers but Redis, the MQTT broker or an upstream does not, or an upstream's
 *     breaker is open) or {@code unhealthy} (the database does not answer)
 * @param checkedAt when the check started
 * @param database the database's ping
 * @param redis Redis's ping, or {@code null} when Redis is not configured
 * @param mqtt the bridge to the MQTT broker, or {@code null} when no broker is configured
 * @param upstreams every upstream kind, each configured one by id: Proxmox servers in configured
 *     order, then Frigate, the automation API and the AI hub; a kind with nothing configured is one
 *     entry that says so
 */
public record HealthReport(
    String status,
    Instant checkedAt,
    Ping database,
    Ping redis,
    Mqtt mqtt,
    List<Upstream> upstreams) {

  /** The database is up and everything configured answers. */
  public static final String HEALTHY = "healthy";

  /** The database is up; Redis or an upstream is not, or an upstream's breaker is open. */
  public static final String DEGRADED = "degraded";

  /** The database does not answer. */
  public static final String UNHEALTHY = "unhealthy";

  /** Checks the components. */
  public HealthReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkedAt, "checkedAt");
    Objects.requireNonNull(database, "database");
    upstreams = List.copyOf(upstreams);
  }

  /**
   * A ping of the database or of Redis.
   *
   * @param kind what answered, such as {@code sqlite}, {@code postgresql} or {@code redis}
   * @param reachable whether it answered within its bound
   * @param latencyMillis how long the answer took, or -1 without one
   * @param error why it did not answer (a fixed text, never the driver's), or {@code null}
   */
  public record Ping(String kind, boolean reachable, long latencyMillis, String error) {

    /**
     * @return the ping as the API sends it
     */
    public JsonObject toJson() {
      return new JsonObject()
          .put("kind", kind)
          .put("reachable", reachable)
          .put("latency_ms", reachable ? latencyMillis : null)
          .put("error", error);
    }
  }

  /**
   * The bridge's connection to the MQTT broker, read from the bridge itself (it keeps the
   * connection up and knows whether it is), not from a probe of its own.
   *
   * @param connected whether the connection is up now
   * @param connections the connections made since start; more than one means it reconnected
   * @param outbox the messages waiting for the connection
   * @param dropped the messages dropped from a full outbox since start
   */
  public record Mqtt(boolean connected, long connections, int outbox, long dropped) {

    /**
     * @param bridge the bridge
     * @return what it says of itself now
     */
    public static Mqtt of(MqttBridge bridge) {
      return new Mqtt(
          bridge.isConnected(),
          bridge.connectionCount(),
          bridge.outboxSize(),
          bridge.droppedCount());
    }

    /**
     * @return the bridge as the API sends it
     */
    public JsonObject toJson() {
      return new JsonObject()
          .put("connected", connected)
          .put("connections", connections)
          .put("outbox", outbox)
          .put("dropped", dropped)
          .put("error", connected ? null : "not connected to the broker");
    }
  }

  /**
   * One upstream.
   *
   * @param kind {@code proxmox}, {@code frigate}, {@code automations} or {@code ai_hub}
   * @param id the Proxmox server's configured id; {@code null} for the other kinds
   * @param status its probe, or {@code null} when nothing of this kind is configured
   */
  public record Upstream(String kind, String id, UpstreamStatus status) {

    /**
     * @return whether it is configured
     */
    public boolean configured() {
      return status != null;
    }

    /**
     * @return whether it answered and its breaker is not open
     */
    public boolean fine() {
      return status == null || status.reachable() && !"OPEN".equals(status.breaker());
    }

    /**
     * @return the upstream as the API sends it
     */
    public JsonObject toJson() {
      JsonObject json =
          new JsonObject().put("kind", kind).put("id", id).put("configured", configured());
      if (status != null) {
        json.put("name", status.name())
            .put("reachable", status.reachable())
            .put("latency_ms", status.reachable() ? status.latencyMillis() : null)
            .put("breaker", status.breaker())
            .put("checked_at", status.checkedAt().toString())
            .put("error", status.error());
      }
      return json;
    }
  }

  /**
   * @return the report as {@code GET /api/health/detailed} sends it
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("status", status)
        .put("checked_at", checkedAt.toString())
        .put("database", database.toJson())
        .put("redis", redis == null ? null : redis.toJson())
        .put("mqtt", mqtt == null ? null : mqtt.toJson())
        .put("upstreams", new JsonArray(upstreams.stream().map(Upstream::toJson).toList()));
  }
}
