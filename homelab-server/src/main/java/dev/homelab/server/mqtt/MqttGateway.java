package dev.homelab.server.mqtt;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.access.ReaderIds;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.ApiKeySecrets;
import dev.homelab.core.identity.Role;
import dev.homelab.core.mqtt.MqttAccess;
import dev.homelab.core.mqtt.MqttTopics;
import dev.homelab.server.MqttConnectionNoise;
import dev.homelab.server.auth.Principal;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.MqttTopicSubscription;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubscribeMessage;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import io.vertx.mqtt.messages.codes.MqttSubAckReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small MQTT server (MQTT 3.1.1 and 5, vertx-mqtt) for door readers and sensors, when there is no
 * broker or they should not share one. It is not a general broker: devices never see each other's
 * messages.
 *
 * <ul>
 *   <li><b>Login.</b> A device connects with its device id as user name and its device token (from
 *       the devices API, {@code hld_...}) as password. Anonymous, unknown or mismatched credentials
 *       are refused in the CONNACK (not authorized) and the connection is closed. The token is
 *       checked again (through the authenticator's short cache) at every publish, so a revoked
 *       token or a disabled owner stops a connected device too.
 *   <li><b>Own topics only.</b> A device publishes under {@code homelab/access/<its id>/} and on
 *       {@code homelab/sensors/<its id>}, and subscribes under {@code homelab/access/<its id>/}. A
 *       publish anywhere else closes the connection (MQTT 3.1.1 has no negative PUBACK); a
 *       subscription anywhere else gets a SUBACK failure for that filter.
 *   <li><b>Scans.</b> What a reader publishes under its own topics goes to {@link MqttAccess}: the
 *       access engine decides and records the scan, and the decision is published on {@code
 *       homelab/access/<id>/decision} to the device's sessions that subscribed to it. Every
 *       instance answers the readers connected to it: unlike the bridge, nothing is shared.
 *   <li><b>Acknowledged once handled.</b> A QoS 1 PUBACK (QoS 2 PUBREC) goes out only after the
 *       handler's future completed (the decision is in the access log, the readings are committed),
 *       in the order the publishes came. A payload that can never be handled (an unreadable scan)
 *       is logged, counted and acknowledged, with reason {@code PAYLOAD_FORMAT_INVALID} under MQTT
 *       5. Any other failure (the store down) acknowledges nothing and closes the connection, so
 *       the device sends again. A QoS 1 or 2 publish sent again with the DUP flag, the same packet
 *       id, topic and payload, by the same device and client id (on this connection or a later
 *       one), is answered as the first was and not handled again.
 *   <li><b>Limits.</b> At most {@link MqttGatewayOptions#maxConnections()} connections (the next
 *       CONNECT is refused, server unavailable); a packet over {@link
 *       MqttGatewayOptions#maxMessageBytes()} or one that does not decode closes its connection
 *       only; keep-alive is enforced (one and a half keep-alives without a packet close the
 *       connection), and a device asking for none or more than {@link
 *       MqttGatewayOptions#maxKeepAliveSeconds()} is held to that maximum. Sessions are not kept
 *       after a disconnection; a device connecting again with the same client id takes over from
 *       its older connection. Wills are not published.
 * </ul>
 */
public final class MqttGateway {

  private static final Logger log = LoggerFactory.getLogger(MqttGateway.class);

  /** The topics of door readers: {@value}{@code <device id>/...}. */
  public static final String ACCESS_ROOT = "homelab/access/";

  /** The topic of a sensor's telemetry: {@value}{@code <device id>}. */
  public static final String SENSORS_ROOT = "homelab/sensors/";

  private static final long SWEEP_MILLIS = 1000;

  /**
   * The most publishes of one connection being handled at once: a device flooding scans or readings
   * faster than they are recorded is closed rather than served without bound (a reader scans a card
   * a second; a sensor's QoS 1 client keeps a few in flight).
   */
  public static final int MAX_IN_FLIGHT = 64;

  /**
   * How many of a client's latest QoS 1 and 2 publishes are remembered for a resend with the DUP
   * flag: more than the in-flight window of common device clients (10 to 20).
   */
  static final int REMEMBERED_PUBLISHES = 32;

  /**
   * How long after a publish a resend of it (DUP flag, same packet id, topic and payload) is taken
   * for the same message: a device reconnects after a lost acknowledgement within seconds, and a
   * packet id reused for a new message much later must not be taken for a resend.
   */
  static final Duration REDELIVERY_WINDOW = Duration.ofMinutes(2);

  /** How many clients' latest publishes are remembered, the least recently seen forgotten first. */
  static final int REMEMBERED_CLIENTS = 4096;

  private final Vertx vertx;
  private final MqttGatewayOptions options;
  private final Function<String, Future<Principal>> authenticate;
  private final MqttAccess access;
  private volatile SensorSink sensors;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<Session>> byDevice = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  // By device id and client id, so that a device can reach only its own clients' memory.
  private final Map<String, Redeliveries> recent =
      Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Redeliveries> eldest) {
              return size() > REMEMBERED_CLIENTS;
            }
          });
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong rejectedPayloads = new AtomicLong();
  private MqttServer server;
  private long sweeper = -1;
  private String deployment;

  /**
   * @param vertx the Vert.x instance
   * @param options where and how to listen
   * @param authenticate checks a device token; fails for one that is not valid
   * @param access answers scans; its readers' base topic must be {@code homelab/access}
   */
  public MqttGateway(
      Vertx vertx,
      MqttGatewayOptions options,
      Function<String, Future<Principal>> authenticate,
      MqttAccess access) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.authenticate = Objects.requireNonNull(authenticate, "authenticate");
    this.access = Objects.requireNonNull(access, "access");
    if (!(access.readers().baseTopic() + "/").equals(ACCESS_ROOT)) {
      throw new IllegalArgumentException("the gateway's readers live under " + ACCESS_ROOT);
    }
  }

  /**
   * Sets where telemetry goes; until then {@code homelab/sensors/<id>} is refused.
   *
   * @param sink the sink, or {@code null} to refuse telemetry again
   * @return this gateway
   */
  public MqttGateway sensors(SensorSink sink) {
    this.sensors = sink;
    return this;
  }

  /**
   * @return where telemetry goes now, or {@code null} if it is refused
   */
  public SensorSink sensors() {
    return sensors;
  }

  /**
   * Listens.
   *
   * @return the port listened on
   */
  public Future<Integer> start() {
    MqttServerOptions serverOptions =
        new MqttServerOptions()
            .setHost(options.host())
            .setPort(options.port())
            .setMaxMessageSize(options.maxMessageBytes())
            // A client that opens a connection and says nothing holds a slot until this.
            .setTimeoutOnConnect(options.connectTimeoutSeconds());
    server = MqttServer.create(vertx, serverOptions);
    server.endpointHandler(this::connect);
    server.exceptionHandler(
        e -> log.debug("An MQTT gateway connection failed before its CONNECT: {}", e.toString()));
    // vertx-mqtt throws out of its own handler for a packet that comes before the CONNECT was
    // accepted (a PUBLISH first, or one sent during the token check), after closing the
    // connection; Vert.x reports that on the context the server listens from, as an ERROR with a
    // stack unless that context has an exception handler. A verticle gives the gateway a context
    // of its own, whose handler sees nothing of the rest of the server.
    VerticleBase listener =
        new VerticleBase() {
          @Override
          public Future<?> start() {
            context.exceptionHandler(MqttGateway::unhandled);
            return server.listen();
          }
        };
    return vertx
        .deployVerticle(
            listener,
            new DeploymentOptions()
                .setConfig(new JsonObject().put(MqttConnectionNoise.GATEWAY_CONTEXT, true)))
        .map(
            id -> {
              deployment = id;
              return server;
            })
        .map(
            listening -> {
              sweeper = vertx.setPeriodic(SWEEP_MILLIS, id -> sweep());
              log.info(
                  "MQTT device gateway on {}:{} (at most {} devices, {} bytes a packet)",
                  options.host(),
                  listening.actualPort(),
                  options.maxConnections(),
                  options.maxMessageBytes());
              return listening.actualPort();
            });
  }

  /**
   * @return the devices connected now
   */
  public int connections() {
    return connections.get();
  }

  /**
   * @param deviceId a device
   * @return the sessions of that device the gateway still holds, in any of its tables: 0 once all
   *     its connections are gone, whichever way they ended
   */
  public int sessionsOf(String deviceId) {
    Set<Session> held = new HashSet<>(byDevice.getOrDefault(deviceId, Set.of()));
    for (Session session : sessions) {
      if (session.deviceId.equals(deviceId)) {
        held.add(session);
      }
    }
    return held.size();
  }

  /**
   * @return the connections refused since the start (bad credentials, the limit)
   */
  public long refusedCount() {
    return refused.get();
  }

  /**
   * @return publishes whose payload could not be handled (an unreadable scan, refused readings)
   */
  public long rejectedPayloadCount() {
    return rejectedPayloads.get();
  }

  /**
   * Closes every connection and stops listening.
   *
   * @return completion
   */
  public Future<Void> close() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    for (Session session : sessions) {
      closeQuietly(session.endpoint);
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return deployment == null
        ? closed
        : closed.eventually(
            () -> vertx.undeploy(deployment).recover(e -> Future.succeededFuture()));
  }

  private void connect(MqttEndpoint endpoint) {
    boolean v5 = endpoint.protocolVersion() == 5;
    if (connections.incrementAndGet() > options.maxConnections()) {
      connections.decrementAndGet();
      refuse(
          endpoint,
          v5
              ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5
              : MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
          "the gateway has " + options.maxConnections() + " connections already");
      return;
    }
    MqttConnectReturnCode notAuthorized =
        v5
            ? MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5
            : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED;
    String deviceId = endpoint.auth() == null ? null : endpoint.auth().getUsername();
    String token = endpoint.auth() == null ? null : endpoint.auth().getPassword();
    if (deviceId == null
        || token == null
        || !token.startsWith(ApiKeySecrets.DEVICE_TOKEN_PREFIX)
        || !isDeviceId(deviceId)) {
      connections.decrementAndGet();
      refuse(endpoint, notAuthorized, "no device id and token");
      return;
    }
    Context context = vertx.getOrCreateContext();
    // A device that hangs up while its token is checked must give its slot back.
    java.util.concurrent.atomic.AtomicBoolean gone =
        new java.util.concurrent.atomic.AtomicBoolean();
    endpoint.closeHandler(v -> gone.set(true));
    authenticate
        .apply(token)
        .onComplete(
            result ->
                context.runOnContext(
                    v -> {
                      if (gone.get()) {
                        connections.decrementAndGet();
                        return;
                      }
                      Principal principal = result.succeeded() ? result.result() : null;
                      if (principal == null || !deviceId.equals(principal.deviceId())) {
                        connections.decrementAndGet();
                        refuse(endpoint, notAuthorized, "wrong credentials for " + deviceId);
                        return;
                      }
                      accept(endpoint, context, principal, token);
                    }));
  }

  // What vertx-mqtt throws out of its handlers while it reads a client's packet (a packet before
  // the CONNECT was accepted, an unknown reason code) is that client's fault; anything else on the
  // gateway's context is a failure of the gateway.
  private static void unhandled(Throwable failure) {
    if (failure instanceof IllegalArgumentException && thrownReadingAPacket(failure)) {
      log.info("MQTT gateway: vertx-mqtt refused a packet: {}", failure.getMessage());
    } else {
      log.error("MQTT gateway: unexpected failure", failure);
    }
  }

  private static boolean thrownReadingAPacket(Throwable failure) {
    StackTraceElement[] stack = failure.getStackTrace();
    for (int i = 0; i < Math.min(stack.length, 4); i++) {
      String thrower = stack[i].getClassName();
      if (thrower.startsWith("dev.homelab.")) {
        return false;
      }
      if (thrower.equals("io.vertx.mqtt.impl.MqttServerConnection")) {
        return true;
      }
    }
    return false;
  }

  private void refuse(MqttEndpoint endpoint, MqttConnectReturnCode code, String why) {
    refused.incrementAndGet();
    // Never the password: the id and why, for someone wondering why a reader is offline.
    log.info("MQTT gateway refused a connection from {}: {}", endpoint.remoteAddress(), why);
    // reject() closes the connection itself.
    endpoint.reject(code);
  }

  // vertx-mqtt throws when an endpoint is closed twice; both sides may close, in any order.
  private static void closeQuietly(MqttEndpoint endpoint) {
    try {
      endpoint.close();
    } catch (IllegalArgumentException | IllegalStateException alreadyClosed) {
      // closed already: nothing to do
    }
  }

  private static boolean isDeviceId(String id) {
    // It becomes a topic level: no wildcard, separator or NUL can be in it.
    try {
      ReaderIds.check("username", id);
      return true;
    } catch (ValidationException e) {
      return false;
    }
  }

  private void accept(MqttEndpoint endpoint, Context context, Principal principal, String token) {
    Redeliveries redeliveries =
        recent.computeIfAbsent(
            principal.deviceId() + "\n" + endpoint.clientIdentifier(), key -> new Redeliveries());
    Session session = new Session(endpoint, context, principal, token, redeliveries);
    endpoint.publishAutoAck(false);
    endpoint.subscriptionAutoAck(false);
    endpoint.publishHandler(message -> session.touch().publish(message));
    endpoint.publishReleaseHandler(id -> session.touch().endpoint.publishComplete(id));
    endpoint.subscribeHandler(message -> session.touch().subscribe(message));
    endpoint.unsubscribeHandler(
        message -> {
          session.touch();
          session.filters.removeAll(message.topics());
          message.topics().forEach(session.qos::remove);
          endpoint.unsubscribeAcknowledge(message.messageId());
        });
    endpoint.pingHandler(v -> session.touch());
    endpoint.publishAcknowledgeHandler(id -> session.touch());
    endpoint.exceptionHandler(
        e -> {
          // A packet that does not decode, or one over the size limit: this connection only.
          log.info(
              "MQTT gateway closes the connection of {}: {}", principal.deviceId(), e.toString());
          closeQuietly(endpoint);
        });
    endpoint.closeHandler(v -> session.closed());
    sessions.add(session);
    // Added atomically with the set's creation: an older connection closing on another event
    // loop removes the set when it empties, and a session added to a removed set would never get
    // its decisions.
    Set<Session> mine =
        byDevice.compute(
            principal.deviceId(),
            (id, set) -> {
              Set<Session> live = set == null ? new CopyOnWriteArraySet<>() : set;
              live.add(session);
              return live;
            });
    // A client id connecting again takes over (MQTT 3.1.1 3.1.4): the old connection of a reader
    // that lost its network would otherwise hold a slot until its keep-alive ran out. Only among
    // one device's connections, so that no device can push another off by naming its client id.
    for (Session older : mine) {
      if (older == session) {
        continue;
      }
      if (older.endpoint.clientIdentifier().equals(endpoint.clientIdentifier())) {
        log.info(
            "MQTT gateway: {} connected again as {}; its older connection is closed",
            principal.deviceId(),
            endpoint.clientIdentifier());
        closeQuietly(older.endpoint);
      }
    }
    endpoint.accept(false);
    log.debug("MQTT gateway: device {} connected", principal.deviceId());
  }

  // Closes the connections of devices that went quiet: the client's own keep-alive is enforced by
  // vertx-mqtt; this holds those that asked for none or a longer one to the maximum.
  private void sweep() {
    long now = System.nanoTime();
    long limit = options.maxKeepAliveSeconds() * 1_500_000_000L;
    for (Session session : sessions) {
      if (now - session.lastPacket > limit) {
        log.info(
            "MQTT gateway closes the connection of {}: silent for more than 1.5 x {} s",
            session.principal.deviceId(),
            options.maxKeepAliveSeconds());
        closeQuietly(session.endpoint);
      }
    }
  }

  private final class Session {
    final MqttEndpoint endpoint;
    final Context context;
    final Principal principal;
    final String token;
    final String deviceId;
    final Set<String> filters = ConcurrentHashMap.newKeySet();
    final Redeliveries redeliveries;
    volatile long lastPacket = System.nanoTime();
    // PUBACKs go out in the order the publishes came (MQTT 3.1.1 4.6), whatever order the handlers
    // finish in; touched on the connection's context only.
    Future<Void> acks = Future.succeededFuture();
    int inFlight; // publishes whose handling has not finished, on the connection's context
    boolean closed;

    Session(
        MqttEndpoint endpoint,
        Context context,
        Principal principal,
        String token,
        Redeliveries redeliveries) {
      this.endpoint = endpoint;
      this.redeliveries = redeliveries;
      this.context = context;
      this.principal = principal;
      this.token = token;
      this.deviceId = principal.deviceId();
    }

    Session touch() {
      lastPacket = System.nanoTime();
      return this;
    }

    void closed() {
      if (!closed) {
        closed = true;
        connections.decrementAndGet();
        sessions.remove(this);
        byDevice.computeIfPresent(
            deviceId,
            (id, set) -> {
              set.remove(this);
              return set.isEmpty() ? null : set;
            });
        log.debug("MQTT gateway: device {} disconnected", deviceId);
      }
    }

    void publish(MqttPublishMessage message) {
      String topic = message.topicName();
      if (inFlight >= MAX_IN_FLIGHT) {
        log.info(
            "MQTT gateway closes the connection of {}: more than {} publishes in flight",
            deviceId,
            MAX_IN_FLIGHT);
        closeQuietly(endpoint);
        return;
      }
      // The decoder replaces ill-formed UTF-8 with U+FFFD and lets NUL through; a topic name may
      // hold neither (MQTT 3.1.1 1.5.3), and no topic of a device does.
      if (topic.indexOf('\uFFFD') >= 0 || topic.indexOf('\0') >= 0) {
        log.info(
            "MQTT gateway closes the connection of {}: a topic name with ill-formed UTF-8 or NUL",
            deviceId);
        closeQuietly(endpoint);
        return;
      }
      Supplier<Future<Void>> handler;
      if (topic.startsWith(ACCESS_ROOT + deviceId + "/")) {
        handler = () -> authorized().compose(principal -> scan(topic, message.payload()));
      } else if (topic.equals(SENSORS_ROOT + deviceId) && sensors != null) {
        SensorSink sink = sensors;
        handler = () -> authorized().compose(principal -> ingest(sink, principal, message));
      } else {
        log.info(
            "MQTT gateway closes the connection of {}: it published on {}, not one of its topics",
            deviceId,
            topic);
        closeQuietly(endpoint);
        return;
      }
      MqttQoS qos = message.qosLevel();
      Integer messageId = qos == MqttQoS.AT_MOST_ONCE ? null : message.messageId();
      Future<Void> handled;
      if (messageId == null) {
        handled = handler.get();
      } else {
        long fingerprint = fingerprint(topic, message.payload());
        Future<Void> earlier =
            message.isDup() ? redeliveries.earlier(messageId, fingerprint) : null;
        // Sent again after a lost acknowledgement: answered as the first was, handled again only
        // if the first failed in a way that sending again can change (the store was down).
        handled =
            earlier == null
                ? handler.get()
                : earlier.recover(
                    failure ->
                        isFinal(failure)
                            ? Future.failedFuture(failure)
                            : Future.<Void>future(
                                retried ->
                                    context.runOnContext(v -> handler.get().onComplete(retried))));
        redeliveries.remember(messageId, fingerprint, handled);
      }
      inFlight++;
      acks =
          acks.transform(previous -> handled)
              .transform(
                  result -> {
                    context.runOnContext(v -> acknowledge(qos, messageId, result.cause()));
                    return Future.succeededFuture();
                  });
    }

    private Future<Void> ingest(SensorSink sink, Principal principal, MqttPublishMessage message) {
      return sink.ingest(
          new Actor(
              principal.userId(),
              principal.username(),
              // A device writes its own data only, with at most a user's role whatever its
              // owner's (as a device token over HTTP).
              principal.role().narrowest(Role.USER),
              endpoint.remoteAddress() == null ? null : endpoint.remoteAddress().hostAddress(),
              null),
          deviceId,
          message.payload());
    }

    private void acknowledge(MqttQoS qos, Integer messageId, Throwable failure) {
      inFlight--;
      if (closed) {
        return;
      }
      // Refusals that sending again cannot change (bad readings, a device whose owner may not
      // write) are acknowledged and counted; anything else (the store down) closes the connection
      // unacknowledged, so that the device sends again.
      if (failure != null && !isFinal(failure)) {
        log.warn(
            "MQTT gateway: a publish of {} was not handled ({}); closing without an"
                + " acknowledgement so that it is sent again",
            deviceId,
            failure.toString());
        closeQuietly(endpoint);
        return;
      }
      if (failure != null) {
        rejectedPayloads.incrementAndGet();
      }
      if (messageId == null) {
        return;
      }
      // Closed a moment ago (a malformed packet after this publish) and its close handler not run
      // yet: vertx-mqtt throws on a write to a closed endpoint.
      try {
        boolean v5 = endpoint.protocolVersion() == 5;
        if (qos == MqttQoS.AT_LEAST_ONCE) {
          if (v5 && failure != null) {
            endpoint.publishAcknowledge(
                messageId,
                failure instanceof ForbiddenException
                    ? MqttPubAckReasonCode.NOT_AUTHORIZED
                    : MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID,
                MqttProperties.NO_PROPERTIES);
          } else {
            endpoint.publishAcknowledge(messageId);
          }
        } else {
          endpoint.publishReceived(messageId);
        }
      } catch (IllegalArgumentException | IllegalStateException gone) {
        // closed already: the device sends again
      }
    }

    // The token again, through the authenticator's cache: a revoked token or a disabled owner
    // stops a connected device at its next publish.
    private Future<Principal> authorized() {
      return authenticate
          .apply(token)
          .transform(
              result -> {
                if (result.succeeded() && deviceId.equals(result.result().deviceId())) {
                  return Future.succeededFuture(result.result());
                }
                context.runOnContext(
                    v -> {
                      log.info(
                          "MQTT gateway closes the connection of {}: its token is no longer valid",
                          deviceId);
                      closeQuietly(endpoint);
                    });
                return Future.failedFuture(new IllegalStateException("the token is not valid"));
              });
    }

    private Future<Void> scan(String topic, Buffer payload) {
      return access
          .answer(topic, payload)
          .compose(
              answer -> {
                if (answer != null) {
                  deliver(answer.scan().readerId(), answer.topic(), answer.payload());
                }
                return Future.<Void>succeededFuture();
              });
    }

    void subscribe(MqttSubscribeMessage message) {
      List<MqttSubAckReasonCode> codes = new ArrayList<>();
      for (MqttTopicSubscription subscription : message.topicSubscriptions()) {
        String filter = subscription.topicName();
        if (MqttTopics.filterProblem(filter) == null
            && filter.startsWith(ACCESS_ROOT + deviceId + "/")) {
          filters.add(filter);
          codes.add(
              subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE
                  ? MqttSubAckReasonCode.GRANTED_QOS0
                  : MqttSubAckReasonCode.GRANTED_QOS1);
          qos.put(filter, subscription.qualityOfService() == MqttQoS.AT_MOST_ONCE ? 0 : 1);
        } else {
          log.info(
              "MQTT gateway: {} may not subscribe to {}, not one of its topics", deviceId, filter);
          codes.add(
              endpoint.protocolVersion() == 5
                  ? MqttSubAckReasonCode.NOT_AUTHORIZED
                  : MqttSubAckReasonCode.UNSPECIFIED_ERROR);
        }
      }
      endpoint.subscribeAcknowledge(message.messageId(), codes, MqttProperties.NO_PROPERTIES);
    }

    final Map<String, Integer> qos = new ConcurrentHashMap<>();

    void send(String topic, Buffer payload) {
      int granted = -1;
      for (String filter : filters) {
        if (MqttTopics.matches(filter, topic)) {
          granted = Math.max(granted, qos.getOrDefault(filter, 0));
        }
      }
      if (granted < 0 || closed) {
        return;
      }
      try {
        endpoint.publish(topic, payload, MqttQoS.valueOf(granted), false, false);
      } catch (IllegalArgumentException | IllegalStateException gone) {
        // closed between the check and the write: the decision is recorded, the device gone
      }
    }
  }

  private void deliver(String deviceId, String topic, Buffer payload) {
    Set<Session> targets = byDevice.get(deviceId);
    if (targets == null) {
      return;
    }
    for (Session session : targets) {
      session.context.runOnContext(v -> session.send(topic, payload));
    }
  }

  // Refusals that sending again cannot change: bad readings, a device whose owner may not write.
  private static boolean isFinal(Throwable failure) {
    return failure instanceof ValidationException || failure instanceof ForbiddenException;
  }

  /** The first 8 bytes of the SHA-256 of a publish's topic and payload. */
  private static long fingerprint(String topic, Buffer payload) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(topic.getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(payload.getBytes());
      return ByteBuffer.wrap(digest.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A client's latest QoS 1 and 2 publishes by packet id: what each was (a fingerprint of its topic
   * and payload), when it came and how its handling went. A publish sent again with the DUP flag
   * and the same packet id and fingerprint within {@link #REDELIVERY_WINDOW}, on the same
   * connection or a later one of the same client id, is the same message: a lost PUBACK must not
   * store a reading twice, even one without a {@code ts} of its own. Later, the packet id may have
   * been used again for a new message (MQTT lets a client reuse it once acknowledged), which is
   * then handled, at the cost of a duplicate if it really was a very late resend. Called from the
   * event loops of that client's connections.
   */
  private static final class Redeliveries {
    private record Sent(long fingerprint, long atNanos, Future<Void> handled) {}

    private final Map<Integer, Sent> byPacketId =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Integer, Sent> eldest) {
            return size() > REMEMBERED_PUBLISHES;
          }
        };

    synchronized Future<Void> earlier(int packetId, long fingerprint) {
      Sent sent = byPacketId.get(packetId);
      return sent != null
              && sent.fingerprint() == fingerprint
              && System.nanoTime() - sent.atNanos() < REDELIVERY_WINDOW.toNanos()
          ? sent.handled()
          : null;
    }

    synchronized void remember(int packetId, long fingerprint, Future<Void> handled) {
      // Removed first: a packet id used again goes to the end, the newest.
      byPacketId.remove(packetId);
      byPacketId.put(packetId, new Sent(fingerprint, System.nanoTime(), handled));
    }
  }
}
