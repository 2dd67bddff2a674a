package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttMessage;
import dev.homelab.core.mqtt.MqttPublishing;
import dev.homelab.core.mqtt.MqttSubscription;
import dev.homelab.core.mqtt.MqttTopics;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import dev.homelab.server.http.SseCallers;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * {@code /api/mqtt}: the newest message of every topic the server's one broker connection heard
 * (viewers and up), and audited publishing (administrators only, {@link MqttPublishing}). Without a
 * bridge (no {@code MQTT_URL}) every route answers 404 {@value #NOT_CONFIGURED}.
 *
 * <p>{@code GET /api/mqtt/stream} follows the messages live as Server-Sent Events ({@code event:
 * mqtt}, seed 003's shape), fed from the bridge's one broker connection whatever the number of
 * callers, with a {@code : ping} comment every {@code EVENTS_PING_SECONDS}. A caller that stops
 * reading is dropped (its connection closed) once its response's write queue is full, so that it
 * neither slows the others nor holds the server's memory.
 *
 * <p>A payload is shown as text when it is valid UTF-8 ({@code "encoding": "utf-8"}), else as
 * base64 ({@code "encoding": "base64"}): zigbee2mqtt and most devices send JSON or plain text, and
 * a binary payload must not be mangled into replacement characters.
 */
public final class MqttRoutes {

  /** The error code of every route when no broker is configured. */
  public static final String NOT_CONFIGURED = "MQTT_NOT_CONFIGURED";

  private static final Set<String> PUBLISH_FIELDS = Set.of("topic", "payload", "qos", "retain");

  private final Vertx vertx;
  private final MqttBridge bridge;
  private final MqttPublishing publishing;
  private final Actors actors;
  private final SseCallers callers;
  private final Predicate<String> adminOnly;

  /**
   * @param vertx the Vert.x instance
   * @param bridge the bridge, or {@code null} when no broker is configured
   * @param publishing the audited publishing, or {@code null} with the bridge
   * @param actors builds the actor of a request
   * @param authenticator checks the credentials of open streams again
   * @param ping how often a stream gets a comment ping
   * @param adminOnly the topics only administrators see (Homelab's own: card scans and decisions)
   */
  public MqttRoutes(
      Vertx vertx,
      MqttBridge bridge,
      MqttPublishing publishing,
      Actors actors,
      Authenticator authenticator,
      Duration ping,
      Predicate<String> adminOnly) {
    this.vertx = vertx;
    this.bridge = bridge;
    this.publishing = publishing;
    this.actors = actors;
    this.callers = new SseCallers(vertx, ping, authenticator);
    this.adminOnly = adminOnly;
  }

  /** Whether the caller may see a topic: administrators all, others all but {@code adminOnly}. */
  private Predicate<String> visibleTo(RoutingContext ctx) {
    return Principal.of(ctx).role().atLeast(Role.ADMIN) ? topic -> true : adminOnly.negate();
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/mqtt/topics", Role.VIEWER, configured(this::topics));
    // The rule (admins only) is MqttPublishing's: any principal reaches it and is told 403.
    routes.jsonRoute(HttpMethod.POST, "/api/mqtt/publish", Role.VIEWER, configured(this::publish));
    routes.route(HttpMethod.GET, "/api/mqtt/stream", Role.VIEWER, configured(this::stream));
  }

  /**
   * Ends every open stream with a last {@code event: close} saying why.
   *
   * @param reason why
   */
  public void endStreams(String reason) {
    callers.endAll(reason);
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
    Predicate<String> visible = visibleTo(ctx);
    List<MqttMessage> messages =
        bridge.lastMessages().stream()
            .filter(m -> visible.test(m.topic()))
            .sorted(Comparator.comparing(MqttMessage::topic))
            .toList();
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

  private void stream(RoutingContext ctx) {
    String filter = Params.text(ctx, "filter");
    if (filter == null) {
      filter = "#";
    }
    String problem = MqttTopics.filterProblem(filter);
    if (problem != null) {
      throw new ValidationException("filter", problem);
    }
    SseCallers.Caller caller = callers.prepare(ctx);
    AtomicReference<MqttSubscription> subscription = new AtomicReference<>();
    boolean started =
        caller.start(
            () -> {
              MqttSubscription current = subscription.get();
              if (current != null) {
                current.cancel();
              }
            });
    if (started) {
      // Registered last: the bridge's handler runs on its own event loop from now on. A caller
      // that stops reading is dropped rather than buffered for without bound.
      Predicate<String> visible = visibleTo(ctx);
      subscription.set(
          bridge.onMessage(
              filter,
              message -> {
                if (visible.test(message.topic())) {
                  caller.sendFromAnyThread(frame(message));
                }
              }));
    }
  }

  /** A message as seed 003's {@code event: mqtt} frame. */
  static Buffer frame(MqttMessage message) {
    return Buffer.buffer("event: mqtt\ndata: " + data(message).encode() + "\n\n");
  }

  /**
   * A message as seed 003's stream shows it, and as the {@code mqtt.message} event carries it:
   * topic, payload (a JSON object or array as JSON, {@code "encoding": "json"}; other UTF-8 text as
   * text; anything else base64), encoding, qos, retained, timestamp.
   *
   * @param message a received message
   * @return its JSON form
   */
  public static JsonObject data(MqttMessage message) {
    JsonObject data = json(message);
    // Seed 003 shows a JSON payload as JSON: zigbee2mqtt's state objects stay objects.
    if ("utf-8".equals(data.getString("encoding"))) {
      Object parsed = jsonValue(data.getString("payload"));
      if (parsed != null) {
        data.put("payload", parsed).put("encoding", "json");
      }
    }
    data.put("timestamp", data.remove("received_at"));
    return data;
  }

  /** The text as a JSON object or array, or {@code null} if it is not one. */
  private static Object jsonValue(String text) {
    String trimmed = text.strip();
    try {
      if (trimmed.startsWith("{")) {
        return new JsonObject(trimmed);
      }
      if (trimmed.startsWith("[")) {
        return new JsonArray(trimmed);
      }
    } catch (RuntimeException e) {
      // Not JSON: shown as the text it is.
    }
    return null;
  }
}
