package dev.homelab.server.features;

import dev.homelab.core.access.ReaderMessages;
import dev.homelab.core.mqtt.MqttAccess;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.mqtt.MqttPublishing;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.MqttRoutes;
import io.micrometer.core.instrument.FunctionCounter;
import io.vertx.core.Future;
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
 */
public final class MqttFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(MqttFeature.class);

  private final ServerContext context;
  private final StorageFeature storage;
  private final AuthFeature auth;
  private final AccessFeature access;
  private final LeaderFeature leader;
  private MqttBridge bridge;
  private MqttAccess readers;
  private MqttPublishing publishing;
  private MqttRoutes routes;

  /**
   * @param context the server's context
   * @param storage where publishes are audited
   * @param auth builds the actor of a request
   * @param access decides the scans of readers on the broker
   * @param leader the collectors role: only its holder answers readers
   */
  public MqttFeature(
      ServerContext context,
      StorageFeature storage,
      AuthFeature auth,
      AccessFeature access,
      LeaderFeature leader) {
    this.context = context;
    this.storage = storage;
    this.auth = auth;
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
      log.info("No MQTT broker is configured (MQTT_URL is empty): /api/mqtt answers 404");
      return Future.succeededFuture();
    }
    bridge = MqttBridge.create(context.vertx(), options);
    opened.push("mqtt bridge", bridge::close);
    publishing = new MqttPublishing(bridge, storage.storage().audit(), context.clock());
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
        "MQTT broker at {}:{} as client {}, subscribed to {}",
        options.getHost(),
        options.getPort(),
        options.getClientId(),
        options.getSubscriptions());
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

  @Override
  public void routes(Routes routes) {
    this.routes =
        new MqttRoutes(
            context.vertx(), bridge, publishing, auth.actors(), context.config().eventsPing());
    this.routes.register(routes);
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
}
