package dev.homelab.core.mqtt.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.mqtt.MqttMessage;
import dev.homelab.core.mqtt.MqttSubscription;
import dev.homelab.core.mqtt.MqttTopics;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.core.upstream.impl.Backoff;
import dev.homelab.core.upstream.impl.PinnedTrustManager;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.MqttSubAckMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's machinery. Every field but the cache, the handlers and the counters is touched only
 * on {@link #context}, so public methods hop onto it; that keeps the outbox, the in-flight map and
 * the current client free of locks.
 */
public final class MqttBridgeImpl implements MqttBridge {

  private static final Logger log = LoggerFactory.getLogger(MqttBridgeImpl.class);

  /** QoS 1/2 messages sent and not yet acknowledged at most; more wait in the outbox. */
  private static final int MAX_IN_FLIGHT = 100;

  /** Seconds the broker has to acknowledge a QoS 1/2 message before its future fails. */
  private static final int ACK_TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final Context context;
  private final MqttBridgeOptions options;
  private final Backoff backoff;
  private final Promise<Void> started = Promise.promise();

  // Context-confined state.
  private final ArrayDeque<Outgoing> outbox = new ArrayDeque<>();
  private final LinkedHashMap<Integer, Outgoing> inFlight = new LinkedHashMap<>();
  private MqttClient client;
  private boolean connected;
  private boolean closed;
  private boolean startRequested;
  private int failures;
  private long reconnectTimer = -1;
  private int subscribePacketId = -1;

  // Read from any thread.
  private final LinkedHashMap<String, MqttMessage> lastByTopic = new LinkedHashMap<>();
  private final List<Registration> handlers = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();
  private volatile boolean connectedView;
  private volatile int outboxView;

  /**
   * @param vertx the Vert.x instance
   * @param options validated options, not shared with the caller
   */
  public MqttBridgeImpl(Vertx vertx, MqttBridgeOptions options) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.backoff =
        new Backoff(
            options.getReconnectInitial(),
            options.getReconnectMax(),
            0.5,
            ThreadLocalRandom.current());
  }

  @Override
  public Future<Void> start() {
    context.runOnContext(
        v -> {
          if (!startRequested && !closed) {
            startRequested = true;
            connect();
          }
        });
    return started.future();
  }

  @Override
  public boolean isConnected() {
    return connectedView;
  }

  @Override
  public Future<Void> publish(String topic, Buffer payload, int qos, boolean retain) {
    MqttTopics.requireTopicName(topic);
    if (qos < 0 || qos > 2) {
      throw new ValidationException("qos", "must be 0, 1 or 2");
    }
    Outgoing message = new Outgoing(topic, payload.copy(), qos, retain, Promise.promise());
    context.runOnContext(
        v -> {
          if (closed) {
            message.promise.fail(closedFailure());
            return;
          }
          enqueue(message);
          drain();
        });
    return message.promise.future();
  }

  @Override
  public MqttSubscription onMessage(String filter, Handler<MqttMessage> handler) {
    String problem = MqttTopics.filterProblem(filter);
    if (problem != null) {
      throw new ValidationException("filter", "'" + filter + "' " + problem);
    }
    Registration registration = new Registration(filter, handler);
    handlers.add(registration);
    return () -> handlers.remove(registration);
  }

  @Override
  public Optional<MqttMessage> lastMessage(String topic) {
    synchronized (lastByTopic) {
      return Optional.ofNullable(lastByTopic.get(topic));
    }
  }

  @Override
  public List<MqttMessage> lastMessages() {
    synchronized (lastByTopic) {
      return List.copyOf(lastByTopic.values());
    }
  }

  @Override
  public int outboxSize() {
    return outboxView;
  }

  @Override
  public long droppedCount() {
    return dropped.get();
  }

  @Override
  public long connectionCount() {
    return connections.get();
  }

  @Override
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          if (closed) {
            done.complete();
            return;
          }
          closed = true;
          if (reconnectTimer >= 0) {
            vertx.cancelTimer(reconnectTimer);
          }
          started.tryFail(closedFailure());
          List<Outgoing> unsent = new ArrayList<>(inFlight.values());
          unsent.addAll(outbox);
          inFlight.clear();
          outbox.clear();
          outboxView = 0;
          unsent.forEach(m -> m.promise.tryFail(closedFailure()));
          MqttClient current = client;
          client = null;
          setConnected(false);
          if (current != null && current.isConnected()) {
            current.disconnect().onComplete(ar -> done.complete());
          } else {
            done.complete();
          }
        });
    return done.future();
  }

  private void connect() {
    reconnectTimer = -1;
    if (closed) {
      return;
    }
    MqttClient attempt = MqttClient.create(vertx, clientOptions());
    client = attempt;
    attempt.publishHandler(message -> received(attempt, message));
    attempt.publishCompletionHandler(id -> acknowledged(attempt, id));
    attempt.publishCompletionExpirationHandler(id -> expired(attempt, id));
    attempt.subscribeCompletionHandler(ack -> subscribed(attempt, ack));
    attempt.closeHandler(v -> lost(attempt, null));
    attempt.exceptionHandler(e -> log.debug("mqtt bridge: connection error", e));
    attempt
        .connect(options.getPort(), options.getHost())
        .onSuccess(
            ack -> {
              if (client != attempt) {
                return;
              }
              failures = 0;
              connections.incrementAndGet();
              setConnected(true);
              log.info(
                  "mqtt bridge: connected to {}:{} as {}",
                  options.getHost(),
                  options.getPort(),
                  options.getClientId());
              Map<String, Integer> filters = new LinkedHashMap<>();
              options.getSubscriptions().forEach(f -> filters.put(f, 1));
              attempt
                  .subscribe(filters)
                  .onSuccess(id -> subscribePacketId = id)
                  .onFailure(e -> lost(attempt, e));
              drain();
            })
        .onFailure(e -> lost(attempt, e));
  }

  private MqttClientOptions clientOptions() {
    MqttClientOptions o = new MqttClientOptions();
    o.setClientId(options.getClientId())
        .setCleanSession(true)
        .setKeepAliveInterval((int) options.getKeepAlive().getSeconds())
        .setMaxInflightQueue(MAX_IN_FLIGHT)
        .setAckTimeout(ACK_TIMEOUT_SECONDS)
        .setMaxMessageSize(options.getMaxMessageBytes());
    o.setConnectTimeout(
        (int)
            Math.min(Duration.ofSeconds(10).toMillis(), options.getReconnectMax().toMillis() * 2));
    if (options.getUsername() != null) {
      o.setUsername(options.getUsername());
      o.setPassword(options.getPassword());
    }
    if (options.isTls()) {
      o.setSsl(true);
      UpstreamTls tls = options.getTls();
      if (tls.insecure()) {
        log.warn(
            "mqtt bridge: TLS certificate verification is OFF (insecure opt-in): anyone on the path"
                + " can read and change this traffic");
        o.setTrustAll(true);
        o.setHostnameVerificationAlgorithm("");
      } else if (tls.pinnedSha256() != null) {
        // The pin names the one certificate to accept: its issuer and names do not matter.
        o.setTrustOptions(TrustOptions.wrap(new PinnedTrustManager(tls.pinnedBytes())));
        o.setHostnameVerificationAlgorithm("");
      } else {
        if (tls.caFile() != null) {
          o.setTrustOptions(new PemTrustOptions().addCertPath(tls.caFile().toString()));
        }
        o.setHostnameVerificationAlgorithm("HTTPS");
      }
    }
    return o;
  }

  private void subscribed(MqttClient from, MqttSubAckMessage ack) {
    if (from != client || ack.messageId() != subscribePacketId) {
      return;
    }
    List<Integer> granted = ack.grantedQoSLevels();
    List<String> filters = options.getSubscriptions();
    List<String> refused = new ArrayList<>();
    for (int i = 0; i < filters.size() && i < granted.size(); i++) {
      if (granted.get(i) > 2) {
        refused.add(filters.get(i));
      }
    }
    if (!refused.isEmpty()) {
      // A broker ACL refusing a filter will refuse it again: retrying would only loop.
      log.warn("mqtt bridge: the broker refused the subscriptions {}", refused);
    }
    started.tryComplete();
  }

  private void received(MqttClient from, MqttPublishMessage message) {
    if (from != client) {
      return;
    }
    MqttMessage received =
        new MqttMessage(
            message.topicName(),
            message.payload().copy(),
            message.qosLevel().value(),
            message.isRetain(),
            Instant.now());
    synchronized (lastByTopic) {
      // Re-inserting keeps the map ordered by last update, so the eldest is the stalest topic.
      lastByTopic.remove(received.topic());
      lastByTopic.put(received.topic(), received);
      if (lastByTopic.size() > options.getMaxTopics()) {
        Iterator<String> eldest = lastByTopic.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    for (Registration registration : handlers) {
      if (MqttTopics.matches(registration.filter, received.topic())) {
        try {
          registration.handler.handle(received);
        } catch (RuntimeException e) {
          log.warn("mqtt bridge: a handler for {} failed", registration.filter, e);
        }
      }
    }
  }

  private void acknowledged(MqttClient from, int packetId) {
    if (from != client) {
      return;
    }
    Outgoing message = inFlight.remove(packetId);
    if (message != null) {
      message.promise.tryComplete();
    }
    drain();
  }

  private void expired(MqttClient from, int packetId) {
    if (from != client) {
      return;
    }
    Outgoing message = inFlight.remove(packetId);
    if (message != null) {
      message.promise.tryFail(
          new HomelabException(
              ErrorKind.UNAVAILABLE,
              "MQTT_NOT_ACKNOWLEDGED",
              "the broker did not acknowledge the message within " + ACK_TIMEOUT_SECONDS + " s"));
    }
    drain();
  }

  private void lost(MqttClient from, Throwable cause) {
    if (from != client || closed) {
      return;
    }
    client = null;
    subscribePacketId = -1;
    boolean wasConnected = connected;
    setConnected(false);
    if (from.isConnected()) {
      from.disconnect();
    }
    // Unacknowledged messages go back first, in the order they were sent: the clean session
    // forgets them on the broker side, so only sending them again delivers them.
    List<Outgoing> unacknowledged = new ArrayList<>(inFlight.values());
    inFlight.clear();
    for (int i = unacknowledged.size() - 1; i >= 0; i--) {
      outbox.addFirst(unacknowledged.get(i));
    }
    trimOutbox();
    long delay = backoff.delayMillis(failures);
    failures++;
    if (wasConnected) {
      log.warn("mqtt bridge: connection to the broker lost; reconnecting in {} ms", delay);
    } else {
      log.warn(
          "mqtt bridge: cannot connect to {}:{} ({}); retrying in {} ms",
          options.getHost(),
          options.getPort(),
          cause == null ? "closed" : cause.getMessage(),
          delay);
      if (cause != null) {
        started.tryFail(
            new HomelabException(
                ErrorKind.UNAVAILABLE,
                "MQTT_UNAVAILABLE",
                "cannot connect to the MQTT broker; retrying in the background"));
      }
    }
    reconnectTimer = vertx.setTimer(delay, t -> connect());
  }

  private void enqueue(Outgoing message) {
    outbox.addLast(message);
    trimOutbox();
  }

  private void trimOutbox() {
    while (outbox.size() > options.getOutboxSize()) {
      Outgoing oldest = outbox.pollFirst();
      dropped.incrementAndGet();
      oldest.promise.tryFail(
          new HomelabException(
              ErrorKind.UNAVAILABLE,
              "MQTT_OUTBOX_FULL",
              "dropped: the MQTT outbox was full while the broker was unreachable"));
    }
    outboxView = outbox.size();
  }

  private void drain() {
    while (connected && client != null && !outbox.isEmpty()) {
      Outgoing next = outbox.peekFirst();
      if (next.qos > 0 && inFlight.size() >= MAX_IN_FLIGHT) {
        break;
      }
      outbox.pollFirst();
      send(client, next);
    }
    outboxView = outbox.size();
  }

  private void send(MqttClient via, Outgoing message) {
    via.publish(message.topic, message.payload, MqttQoS.valueOf(message.qos), false, message.retain)
        .onSuccess(
            packetId -> {
              if (message.qos == 0) {
                message.promise.tryComplete();
              } else if (via == client) {
                inFlight.put(packetId, message);
              } else {
                // The connection dropped between the write and now: send it again later.
                outbox.addFirst(message);
                trimOutbox();
              }
            })
        .onFailure(
            e -> {
              if (closed) {
                message.promise.tryFail(closedFailure());
              } else if (via == client && connected) {
                message.promise.tryFail(e);
              } else {
                outbox.addFirst(message);
                trimOutbox();
              }
            });
  }

  private void setConnected(boolean up) {
    connected = up;
    connectedView = up;
  }

  private static HomelabException closedFailure() {
    return new HomelabException(ErrorKind.UNAVAILABLE, "MQTT_CLOSED", "the MQTT bridge is closed");
  }

  private record Outgoing(
      String topic, Buffer payload, int qos, boolean retain, Promise<Void> promise) {}

  private record Registration(String filter, Handler<MqttMessage> handler) {}
}
