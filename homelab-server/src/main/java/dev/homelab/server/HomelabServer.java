package dev.homelab.server;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.metrics.CollectorScheduler;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.mqtt.MqttAccess;
import dev.homelab.core.store.Storage;
import dev.homelab.server.demo.DemoUpstreams;
import dev.homelab.server.features.ServerContext;
import dev.homelab.server.features.ServerFeatures;
import dev.homelab.server.mqtt.MqttGateway;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference server: the ordered list of its {@linkplain ServerFeatures features} (secrets,
 * storage, Redis, the collectors role, events, auth, devices, access, metrics, ops, HTTP), started
 * one after the other on one close-stack. It holds no business rule: routes call into core.
 *
 * <p>{@link #start} can be called on any Vert.x instance (the tests run it in-process); {@link
 * Main} adds configuration loading, logging, metrics and signal handling around it.
 */
public final class HomelabServer {

  private static final Logger log = LoggerFactory.getLogger(HomelabServer.class);

  /** The server's version, from the build. */
  public static final String VERSION = readVersion();

  /** The steps a start runs, in order: one per feature, then the leader jobs. */
  static final List<String> START_STEPS = ServerFeatures.STEPS;

  private final ServerFeatures features;

  /** The simulated upstreams in demo mode, else {@code null}. */
  private final DemoUpstreams demo;

  private HomelabServer(ServerFeatures features, DemoUpstreams demo) {
    this.features = features;
    this.demo = demo;
  }

  /**
   * Starts a server.
   *
   * @param vertx the Vert.x instance to run on; not closed by {@link #shutdown}
   * @param config a valid configuration
   * @param registry the registry {@code /metrics} scrapes, or {@code null} for no {@code /metrics}
   * @return the listening server; a failed future if the configuration is invalid, the store cannot
   *     be opened or the port cannot be bound (nothing is left open then)
   */
  public static Future<HomelabServer> start(
      Vertx vertx, ServerConfig config, PrometheusMeterRegistry registry) {
    return start(vertx, config, registry, null);
  }

  /**
   * Like {@link #start(Vertx, ServerConfig, PrometheusMeterRegistry)}, failing on purpose when the
   * named step is reached, after the steps before it opened their parts: for the test that every
   * failed start closes all it opened.
   *
   * @param failAt one of {@link #START_STEPS}, or {@code null}
   */
  static Future<HomelabServer> start(
      Vertx vertx, ServerConfig config, PrometheusMeterRegistry registry, String failAt) {
    return start(vertx, config, registry, failAt, Clock.systemUTC());
  }

  /**
   * Like {@link #start(Vertx, ServerConfig, PrometheusMeterRegistry, String)} on the given clock,
   * which every feature then takes "now" from (token expiry, retention cut-offs, audit times): for
   * the tests that step the clock (reliability row F19).
   *
   * @param clock the clock
   */
  static Future<HomelabServer> start(
      Vertx vertx,
      ServerConfig config,
      PrometheusMeterRegistry registry,
      String failAt,
      Clock clock) {
    try {
      config.requireValid();
    } catch (InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    log.info("Starting Homelab {} with {}", VERSION, config);
    if (!config.demoMode()) {
      return start(vertx, config, registry, failAt, null, clock);
    }
    return DemoUpstreams.start(vertx)
        .compose(
            demo -> {
              ServerConfig simulated = config.withDemoUpstreams(demo.configurationKeys());
              if (!simulated.problems().isEmpty()) {
                // The simulators' own keys are wrong: a bug here, not the operator's.
                return demo.close()
                    .transform(
                        closed ->
                            Future.failedFuture(
                                new IllegalStateException("demo mode: " + simulated.problems())));
              }
              return start(vertx, simulated, registry, failAt, demo, clock);
            });
  }

  private static Future<HomelabServer> start(
      Vertx vertx,
      ServerConfig config,
      PrometheusMeterRegistry registry,
      String failAt,
      DemoUpstreams demo,
      Clock clock) {
    ServerFeatures features = new ServerFeatures(new ServerContext(vertx, config, registry, clock));
    Future<HomelabServer> started =
        features.start(failAt).map(done -> new HomelabServer(features, demo));
    // A failed start has closed every feature; the simulators go after them.
    return demo == null
        ? started
        : started.recover(
            failure -> demo.close().transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * @return the port the server listens on
   */
  public int port() {
    return features.http.port();
  }

  /**
   * @return the store the server uses
   */
  public Storage storage() {
    return features.storage.storage();
  }

  /**
   * @return the server's event hub
   */
  public EventHub events() {
    return features.events.hub();
  }

  /**
   * @return the server's access engine
   */
  public AccessEngine accessEngine() {
    return features.access.engine();
  }

  /**
   * @return the server's metrics downsampler
   */
  public Downsampler downsampler() {
    return features.metrics.downsampler();
  }

  /**
   * @return the scheduler of the collectors (the host monitor, each Proxmox server's node and
   *     guests, the automations), paused while this instance does not lead; {@link
   *     CollectorScheduler#runNow} collects at once
   */
  public CollectorScheduler collectors() {
    return features.metrics.collectors();
  }

  /**
   * @return the port the MQTT device gateway listens on, or 0 when it does not
   */
  public int mqttGatewayPort() {
    return features.mqttGateway.port();
  }

  /**
   * @return the MQTT device gateway, or {@code null} when it does not listen
   */
  public MqttGateway mqttGateway() {
    return features.mqttGateway.gateway();
  }

  /**
   * @return what answers the door readers on the MQTT broker, or {@code null} without a broker
   */
  public MqttAccess mqttReaders() {
    return features.mqtt.readers();
  }

  /**
   * @return the simulated upstreams in demo mode, else {@code null}; for tests
   */
  DemoUpstreams demoUpstreams() {
    return demo;
  }

  /**
   * @return the router, for embedding apps that add routes of their own
   */
  public Router router() {
    return features.http.router();
  }

  /**
   * Stops gracefully: gives up the collectors role, ends the event streams, stops accepting
   * connections and lets in-flight requests finish (at most the timeout, then closes what is left),
   * then closes everything the start opened, in reverse.
   *
   * @param timeout how long in-flight requests may take
   * @return a future completed when everything is closed
   */
  public Future<Void> shutdown(Duration timeout) {
    log.info("Shutting down: finishing in-flight requests (at most {} s)", timeout.toSeconds());
    // The simulators of demo mode close last: the clients that use them have closed by then.
    Future<Void> closed = features.shutdown(timeout);
    if (demo != null) {
      closed = closed.transform(done -> demo.close());
    }
    return closed.onComplete(done -> log.info("Homelab stopped"));
  }

  private static String readVersion() {
    try (InputStream in = HomelabServer.class.getResourceAsStream("version.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "dev");
    } catch (IOException e) {
      return "dev";
    }
  }
}
