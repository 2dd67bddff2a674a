package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttMessage;
import dev.homelab.core.mqtt.MqttPublishing;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code /api/mqtt}: the newest message of every topic the server's one broker connection heard
 * (viewers and up), and audited publishing (administrators only, {@link MqttPublishing}). Without a
 * bridge (no {@code MQTT_URL}) every route answers 404 {@value #NOT_CONFIGURED}.
 *
 * <p>A payload is shown as text when it is valid UTF-8 ({@code "encoding": "utf-8"}), else as
 * base64 ({@code "encoding": "base64"}): zigbee2mqtt and most devices send JSON or plain text, and
 * a binary payload must not be mangled into replacement characters.
 */
public final class MqttRoutes {

  /** The error code of every route when no broker is configured. */
  public static final String NOT_CONFIGURED = "MQTT_NOT_CONFIGURED";

  private static final Set<String> PUBLISH_FIELDS = Set.of("topic", "payload", "qos", "retain");

  private final MqttBridge bridge;
  private final MqttPublishing publishing;
  private final Actors actors;

  /**
   * @param bridge the bridge, or {@code null} when no broker is configured
   * @param publishing the audited publishing, or {@code null} with the bridge
   * @param actors builds the actor of a request
   */
  public MqttRoutes(MqttBridge bridge, MqttPublishing publishing, Actors actors) {
    this.bridge = bridge;
    this.publishing = publishing;
    this.actors = actors;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/mqtt/topics", Role.VIEWER, configured(this::topics));
    // The rule (admins only) is MqttPublishing's: any principal reaches it and is told 403.
    routes.jsonRoute(HttpMethod.POST, "/api/mqtt/publish", Role.VIEWER, configured(this::publish));
  }

  private Handler<RoutingContext> configured(Handler<RoutingContext> handler) {
    if (bridge != null) {
      return handler;
    }
    return ctx ->
        ctx.fail(
            new ErrorHandler.ApiException(
                404, NOT_CONFIGURED, "No MQTT broker is configured on this server (MQTT_URL)"));
  }

  private void topics(RoutingContext ctx) {
    List<MqttMessage> messages =
        bridge.lastMessages().stream().sorted(Comparator.comparing(MqttMessage::topic)).toList();
    JsonArray topics = new JsonArray();
    for (MqttMessage message : messages) {
      topics.add(json(message));
    }
    Responses.json(
        ctx,
        200,
        new JsonObject()
            .put("connected", bridge.isConnected())
            .put("outbox", bridge.outboxSize())
            .put("topics", topics));
  }

  /**
   * @param message a received message
   * @return its JSON form: topic, payload, encoding, qos, retained, received_at
   */
  static JsonObject json(MqttMessage message) {
    byte[] bytes = message.payload().getBytes();
    String text = utf8(bytes);
    return new JsonObject()
        .put("topic", message.topic())
        .put("payload", text != null ? text : Base64.getEncoder().encodeToString(bytes))
        .put("encoding", text != null ? "utf-8" : "base64")
        .put("qos", message.qos())
        .put("retained", message.retained())
        .put("received_at", message.receivedAt().toString());
  }

  /** The bytes as text if they are valid UTF-8, else {@code null}. */
  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private void publish(RoutingContext ctx) {
    JsonObject body = Routes.body(ctx);
    Params.onlyFields(body, PUBLISH_FIELDS);
    if (!(body.getValue("topic") instanceof String topic)) {
      throw new ValidationException("topic", "is required, as a string");
    }
    Object payload = body.getValue("payload");
    if (payload != null && !(payload instanceof String)) {
      throw new ValidationException("payload", "must be a string (UTF-8 text)");
    }
    Object qos = body.getValue("qos");
    if (qos != null && !(qos instanceof Integer || qos instanceof Long)) {
      throw new ValidationException("qos", "must be 0, 1 or 2");
    }
    Object retain = body.getValue("retain");
    if (retain != null && !(retain instanceof Boolean)) {
      throw new ValidationException("retain", "must be true or false");
    }
    long level = qos == null ? 0 : ((Number) qos).longValue();
    if (level < 0 || level > 2) {
      throw new ValidationException("qos", "must be 0, 1 or 2");
    }
    Responses.json(
        ctx,
        200,
        publishing
            .publish(
                actors.of(ctx), topic, (String) payload, (int) level, Boolean.TRUE.equals(retain))
            .map(MqttPublishing.Outcome::json));
  }
}
