package dev.homelab.core.mqtt;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.upstream.UpstreamActionAudit;
import dev.homelab.core.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages a user publishes through the {@link MqttBridge}: only an administrator may publish, the
 * message is checked before anything is sent, and each publish is audited ({@code mqtt.publish},
 * target {@code mqtt:<topic>}) with its QoS, retain flag and size, never its payload (it may hold a
 * device's secret).
 *
 * <p>When the bridge is connected the answer waits for the broker's acknowledgement (QoS 1, 2) or
 * the write (QoS 0). When it is not, the message waits in the bridge's outbox, the answer says
 * {@code queued} at once, and a later failure (outbox overflow, close) is only logged: the caller
 * cannot wait for a reconnection.
 */
public final class MqttPublishing {

  /** The longest topic accepted, in UTF-8 bytes: far below MQTT's 65535, above any real topic. */
  public static final int MAX_TOPIC_BYTES = 1024;

  /** The largest payload accepted, in bytes. */
  public static final int MAX_PAYLOAD_BYTES = 256 * 1024;

  private static final Logger log = LoggerFactory.getLogger(MqttPublishing.class);

  private final MqttBridge bridge;
  private final UpstreamActionAudit audit;

  /**
   * @param bridge the one broker connection
   * @param audit where the publishes are audited
   * @param clock the time of audit entries
   */
  public MqttPublishing(MqttBridge bridge, AuditRepository audit, Clock clock) {
    this.bridge = Objects.requireNonNull(bridge, "bridge");
    this.audit = new UpstreamActionAudit(audit, clock);
  }

  /** What became of a publish: sent (acknowledged or written) or queued in the outbox. */
  public record Outcome(String topic, int qos, boolean retain, int bytes, boolean queued) {

    /**
     * @return {@code {"topic","qos","retain","bytes","queued"}}
     */
    public JsonObject json() {
      return new JsonObject()
          .put("topic", topic)
          .put("qos", qos)
          .put("retain", retain)
          .put("bytes", bytes)
          .put("queued", queued);
    }
  }

  /**
   * Publishes a message once.
   *
   * @param actor who asks; must be an administrator
   * @param topic the topic: no wildcard, at most {@value #MAX_TOPIC_BYTES} bytes
   * @param payload the UTF-8 text to send, at most {@value #MAX_PAYLOAD_BYTES} bytes; {@code null}
   *     is empty (with retain: clears the topic's retained state)
   * @param qos 0, 1 or 2
   * @param retain whether the broker keeps it as the topic's state
   * @return what happened; failed with a {@link ForbiddenException} for anyone but an administrator
   *     or a {@link ValidationException} naming the field (nothing sent either way), or an {@link
   *     UpstreamException} if the connected broker did not take it
   */
  public Future<Outcome> publish(
      Actor actor, String topic, String payload, int qos, boolean retain) {
    if (!actor.isAdmin()) {
      return Future.failedFuture(
          new ForbiddenException("FORBIDDEN", "only an administrator may publish MQTT messages"));
    }
    Buffer bytes;
    try {
      MqttTopics.requireTopicName(topic);
      if (topic.getBytes(StandardCharsets.UTF_8).length > MAX_TOPIC_BYTES) {
        throw new ValidationException("topic", "is longer than " + MAX_TOPIC_BYTES + " bytes");
      }
      if (qos < 0 || qos > 2) {
        throw new ValidationException("qos", "must be 0, 1 or 2");
      }
      bytes = Buffer.buffer(payload == null ? "" : payload);
      if (bytes.length() > MAX_PAYLOAD_BYTES) {
        throw new ValidationException(
            "payload", "is longer than " + MAX_PAYLOAD_BYTES + " bytes in UTF-8");
      }
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    boolean queued = !bridge.isConnected();
    Future<Void> published = bridge.publish(topic, bytes, qos, retain);
    Outcome outcome = new Outcome(topic, qos, retain, bytes.length(), queued);
    Future<Outcome> sent;
    if (queued) {
      published.onFailure(
          e -> log.warn("A queued MQTT message to {} was not sent: {}", topic, e.getMessage()));
      sent = Future.succeededFuture(outcome);
    } else {
      sent =
          published.transform(
              result ->
                  result.succeeded()
                      ? Future.succeededFuture(outcome)
                      : Future.failedFuture(
                          UpstreamException.unavailable(
                              "the MQTT broker", String.valueOf(result.cause().getMessage()))));
    }
    return audit.record(
        actor,
        "mqtt.publish",
        "mqtt:" + topic,
        new JsonObject().put("topic", topic).put("qos", qos).put("retain", retain),
        sent,
        done -> new JsonObject().put("bytes", done.bytes()).put("queued", done.queued()),
        UpstreamActionAudit::fromUpstream);
  }
}
