package dev.homelab.server.features;

import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.mqtt.MqttPublishing;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.MqttRoutes;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge to the MQTT broker, built from the {@code MQTT_*} keys and closed on the close-stack,
 * and {@code /api/mqtt}. Without {@code MQTT_URL} the feature is off: nothing connects, and the
 * routes answer 404 {@code MQTT_NOT_CONFIGURED}.
 *
 * <p>An unreachable broker does not fail the server's start: the bridge keeps reconnecting in the
 * background, and a publish meanwhile waits in its outbox. MQTT is an extra, not a dependency.
 */
public final class MqttFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(MqttFeature.class);

  private final ServerContext context;
  private final StorageFeature storage;
  private final AuthFeature auth;
  private MqttBridge bridge;
  private MqttPublishing publishing;
  private MqttRoutes routes;

  /**
   * @param context the server's context
   * @param storage where publishes are audited
   * @param auth builds the actor of a request
   */
  public MqttFeature(ServerContext context, StorageFeature storage, AuthFeature auth) {
    this.context = context;
    this.storage = storage;
    this.auth = auth;
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
   * @return the bridge, or {@code null} when no broker is configured
   */
  public MqttBridge bridge() {
    return bridge;
  }
}
