package dev.homelab.server.features;

import dev.homelab.core.access.ReaderMessages;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.mqtt.MqttAccess;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.mqtt.MqttMessage;
import dev.homelab.core.mqtt.MqttPublishing;
import dev.homelab.core.mqtt.MqttSubscription;
import dev.homelab.core.mqtt.MqttTopics;
import dev.homelab.core.telemetry.DeviceStateHistory;
import dev.homelab.core.telemetry.DeviceStateOptions;
import dev.homelab.core.telemetry.DeviceStateRecorder;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.DeviceStateRoutes;
import dev.homelab.server.routes.MqttRoutes;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.Future;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge to the MQTT broker, built from the {@code MQTT_*} keys and closed on the close-stack,
 * and {@code /api/mqtt}. Without {@code MQTT_URL} the feature is off: nothing connects, and the
 * routes answer 404 {@code MQTT_NOT_CONFIGURED}.
 *
 * <p>Door readers on the broker are answered here ({@link MqttAccess}, base topic {@code
 * MQTT_ACCESS_TOPIC}): a scan goes to the access engine and its decision back to the reader. With
 * several servers on one broker only the holder of the collectors role answers, so each scan is
 * decided and recorded once.
 *
 * <p>An unreachable broker does not fail the server's start: the bridge keeps reconnecting in the
 * background, and a publish meanwhile waits in its outbox. MQTT is an extra, not a dependency.
 *
 * <p>Every message the bridge hears is published on this instance's event hub as {@value
 * #MESSAGE_TOPIC}, and zigbee2mqtt's device states feed the {@link DeviceStateRecorder}, which
 * records only on the instance that leads (its leader job); {@code /api/metrics/device/{topic}}
 * reads the history from the store on any instance, bridge or not.
 */
public final class MqttFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(MqttFeature.class);

  /** The event hub topic of every message the bridge hears: {@value}. */
  public static final String MESSAGE_TOPIC = "mqtt.message";

  /** The topics of Homelab's own devices, whose messages only administrators see as events. */
  private static final String HOMELAB_TOPICS = "homelab/#";

  private final ServerContext context;
  private final StorageFeature storage;
  private final AuthFeature auth;
  private final MetricsFeature metrics;
  private final EventsFeature events;
  private final AccessFeature access;
  private final LeaderFeature leader;
  private MqttBridge bridge;
  private MqttAccess readers;
  private MqttPublishing publishing;
  private MqttRoutes routes;
  private DeviceStateRecorder recorder;
  private DeviceStateHistory history;

  /**
   * @param context the server's context
   * @param storage where publishes are audited and device states recorded
   * @param auth builds the actor of a request
   * @param metrics whose downsampler keeps the devices' numeric series
   * @param events where the messages heard are published
   * @param access decides the scans of readers on the broker
   * @param leader the collectors role: only its holder answers readers
   */
  public MqttFeature(
      ServerContext context,
      StorageFeature storage,
      AuthFeature auth,
      MetricsFeature metrics,
      EventsFeature events,
      AccessFeature access,
      LeaderFeature leader) {
    this.context = context;
    this.storage = storage;
    this.auth = auth;
    this.metrics = metrics;
    this.events = events;
    this.access = access;
    this.leader = leader;
  }

  @Override
  public String name() {
    return "mqtt";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    MqttBridgeOptions options = context.config().mqttOptions();
    if (options == null) {
      history =
          new DeviceStateHistory(storage.storage().deviceStates(), metrics.downsampler(), null);
      log.info("No MQTT broker is configured (MQTT_URL is empty): /api/mqtt answers 404");
      return Future.succeededFuture();
    }
    bridge = MqttBridge.create(context.vertx(), options);
    opened.push("mqtt bridge", bridge::close);
    publishing = new MqttPublishing(bridge, storage.storage().audit(), context.clock());
    DeviceStateOptions states = context.config().deviceStateOptions();
    recorder =
        new DeviceStateRecorder(
            context.vertx(),
            storage.storage().deviceStates(),
            metrics.downsampler(),
            states,
            context.clock());
    history =
        new DeviceStateHistory(storage.storage().deviceStates(), metrics.downsampler(), recorder);
    if (context.registry() != null) {
      DeviceStateRecorder counted = recorder;
      FunctionCounter.builder(
              "homelab.mqtt.device.states", counted, DeviceStateRecorder::recordedCount)
          .description("Device state changes recorded (on the leader)")
          .tag("outcome", "recorded")
          .register(context.registry());
      FunctionCounter.builder(
              "homelab.mqtt.device.states", counted, DeviceStateRecorder::droppedCount)
          .description("Device state messages dropped from the recorder's full queue")
          .tag("outcome", "dropped")
          .register(context.registry());
      FunctionCounter.builder(
              "homelab.mqtt.device.states", counted, DeviceStateRecorder::failedCount)
          .description("Device state messages whose write failed")
          .tag("outcome", "failed")
          .register(context.registry());
    }
    MqttSubscription recording = recorder.attach(bridge);
    MqttSubscription published = bridge.onMessage("#", this::publishEvent);
    opened.push(
        "device state recorder",
        () -> {
          recording.cancel();
          published.cancel();
          return recorder.flush();
        });
    for (String base : states.baseTopics()) {
      if (options.getSubscriptions().stream()
          .noneMatch(filter -> MqttTopics.matches(filter, base + "/a/b/availability"))) {
        log.warn(
            "MQTT_SUBSCRIPTIONS {} does not cover {}/#: its device states are not recorded",
            options.getSubscriptions(),
            base);
      }
    }
    readers =
        new MqttAccess(access.engine(), new ReaderMessages(context.config().mqttAccessTopic()));
    // Registered before the bridge starts, so that no scan is heard unanswered; the role is read
    // per message, as it moves between instances.
    readers.attach(bridge, () -> leader.leadership().isLeader());
    if (context.registry() != null) {
      FunctionCounter.builder("homelab.mqtt.access.scans", readers, MqttAccess::answeredCount)
          .description("RFID scans heard on the broker, decided and answered")
          .register(context.registry());
      FunctionCounter.builder("homelab.mqtt.access.malformed", readers, MqttAccess::malformedCount)
          .description("RFID scans heard on the broker that could not be read")
          .register(context.registry());
    }
    log.info(
        "MQTT broker at {}:{} as client {}, subscribed to {}; device states of {} recorded by the"
            + " leader",
        options.getHost(),
        options.getPort(),
        options.getClientId(),
        options.getSubscriptions(),
        states.baseTopics());
    bridge
        .start()
        .onFailure(
            e ->
                log.warn(
                    "The MQTT broker did not accept the first connection ({}); retrying in the"
                        + " background",
                    e.getMessage()));
    return Future.succeededFuture();
  }

  /**
   * Each instance publishes what its own bridge hears on its own hub, so a stream on any instance
   * carries every message once. Homelab's own device topics (card scans, sensor readings of one
   * user's devices) go to administrators only; everything else (zigbee2mqtt...) to every signed-in
   * user, as {@code /api/mqtt/stream} shows it.
   */
  /**
   * Homelab's own topics and the door readers' (card scans and decisions name cards): shown to
   * administrators only, in the events, {@code /api/mqtt/topics} and {@code /api/mqtt/stream}.
   */
  private boolean adminOnly(String topic) {
    return MqttTopics.matches(HOMELAB_TOPICS, topic)
        || MqttTopics.matches(context.config().mqttAccessTopic() + "/#", topic);
  }

  private void publishEvent(MqttMessage message) {
    Visibility visibility =
        adminOnly(message.topic()) ? Visibility.role(Visibility.ADMIN_ROLE) : Visibility.everyone();
    EventHub hub = events.hub();
    hub.publish(MESSAGE_TOPIC, MqttRoutes.data(message), visibility)
        .onFailure(e -> log.debug("Could not publish an MQTT message: {}", e.toString()));
  }

  @Override
  public void routes(Routes routes) {
    this.routes =
        new MqttRoutes(
            context.vertx(),
            bridge,
            publishing,
            auth.actors(),
            auth.authenticator(),
            context.config().eventsPing(),
            this::adminOnly);
    this.routes.register(routes);
    DeviceStateRoutes.register(routes, history, context.clock());
  }

  @Override
  public Map<String, LeaderJob> leaderJobs() {
    return recorder == null
        ? Map.of()
        : Map.of("device state history", recorder.leaderJob(bridge::lastMessages));
  }

  @Override
  public Future<Void> quiesce() {
    if (routes != null) {
      routes.endStreams("the server is shutting down");
    }
    return Future.succeededFuture();
  }

  /**
   * @return the readers' answering on the broker, or {@code null} when no broker is configured
   */
  public MqttAccess readers() {
    return readers;
  }

  /**
   * @return the bridge, or {@code null} when no broker is configured
   */
  public MqttBridge bridge() {
    return bridge;
  }

  /**
   * @return the device state recorder, or {@code null} when no broker is configured
   */
  public DeviceStateRecorder deviceStates() {
    return recorder;
  }
}
