package dev.homelab.server.features;

import dev.homelab.core.access.ReaderMessages;
import dev.homelab.core.mqtt.MqttAccess;
import dev.homelab.server.mqtt.MqttGateway;
import dev.homelab.server.mqtt.MqttGatewayOptions;
import dev.homelab.server.mqtt.SensorIngestSink;
import dev.homelab.server.mqtt.SensorSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT device gateway ({@link MqttGateway}) on {@code MQTT_GATEWAY_PORT}, off at 0: readers and
 * sensors log in with their device id and token and publish under their own topics. Its close is on
 * the close-stack, before the access engine's, so that every scan it acknowledged is recorded.
 *
 * <p>A port that cannot be bound (taken by another process) is logged as an error and the server
 * runs without the gateway, as it runs without an unreachable broker: HTTP is the server's
 * contract, MQTT an extra.
 */
public final class MqttGatewayFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(MqttGatewayFeature.class);

  private final ServerContext context;
  private final AuthFeature auth;
  private final AccessFeature access;
  private final SensorsFeature telemetry;
  private SensorSink sensors;
  private MqttGateway gateway;
  private int port;

  /**
   * @param context the server's context
   * @param auth checks device tokens
   * @param access decides the scans
   * @param telemetry stores what sensors publish
   */
  public MqttGatewayFeature(
      ServerContext context, AuthFeature auth, AccessFeature access, SensorsFeature telemetry) {
    this.context = context;
    this.auth = auth;
    this.access = access;
    this.telemetry = telemetry;
  }

  @Override
  public String name() {
    return "mqtt-gateway";
  }

  /**
   * Sets where {@code homelab/sensors/<device id>} goes; until set, those publishes are refused.
   * Call it before the start.
   *
   * @param sink the telemetry's ingestion
   * @return this feature
   */
  public MqttGatewayFeature sensors(SensorSink sink) {
    this.sensors = sink;
    if (gateway != null) {
      gateway.sensors(sink);
    }
    return this;
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    MqttGatewayOptions options = context.config().mqttGatewayOptions();
    if (!options.enabled()) {
      log.info("The MQTT device gateway is off (MQTT_GATEWAY_PORT=0)");
      return Future.succeededFuture();
    }
    MqttGateway created =
        new MqttGateway(
            context.vertx(),
            options,
            auth.authenticator()::authenticate,
            new MqttAccess(access.engine(), new ReaderMessages(ReaderMessages.DEFAULT_BASE_TOPIC)));
    if (sensors == null && telemetry.ingest() != null) {
      sensors = new SensorIngestSink(telemetry.ingest());
    }
    created.sensors(sensors);
    return created
        .start()
        .transform(
            started -> {
              if (started.failed()) {
                log.error(
                    "The MQTT device gateway cannot listen on {}:{} ({}); the server runs without"
                        + " it",
                    options.host(),
                    options.port(),
                    started.cause().toString());
                return created.close().transform(closed -> Future.succeededFuture());
              }
              gateway = created;
              port = started.result();
              opened.push("the MQTT device gateway", created::close);
              MeterRegistry registry = context.registry();
              if (registry != null) {
                Gauge.builder("homelab.mqtt.gateway.connections", created, MqttGateway::connections)
                    .description("Devices connected to the MQTT device gateway")
                    .register(registry);
                FunctionCounter.builder(
                        "homelab.mqtt.gateway.refused", created, MqttGateway::refusedCount)
                    .description("Connections the MQTT device gateway refused at CONNECT")
                    .register(registry);
                FunctionCounter.builder(
                        "homelab.mqtt.gateway.rejected.payloads",
                        created,
                        MqttGateway::rejectedPayloadCount)
                    .description("Device publishes whose payload could not be handled")
                    .register(registry);
              }
              return Future.succeededFuture();
            });
  }

  /**
   * @return the gateway, or {@code null} when it is off or could not listen
   */
  public MqttGateway gateway() {
    return gateway;
  }

  /**
   * @return the port the gateway listens on, or 0 when it does not
   */
  public int port() {
    return gateway == null ? 0 : port;
  }
}
