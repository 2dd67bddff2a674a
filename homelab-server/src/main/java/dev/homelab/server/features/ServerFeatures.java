package dev.homelab.server.features;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server as its ordered list of features. {@link #start} starts them one after the other on one
 * close-stack, then starts every feature's leader jobs; a failure at any step closes what the steps
 * before it opened, in reverse, and {@link #shutdown} closes the same stack. The store alone begins
 * opening when the start begins (see {@link StorageFeature}). Adding a capability is adding a
 * feature here.
 */
public final class ServerFeatures {

  private static final Logger log = LoggerFactory.getLogger(ServerFeatures.class);

  /** The last step: the leader jobs of every feature start once the server listens. */
  public static final String LEADER_JOBS = "leader-jobs";

  /** The start steps, in order: every feature's name, then {@value #LEADER_JOBS}. */
  public static final List<String> STEPS =
      List.of(
          "secrets",
          "storage",
          "redis",
          "leader",
          "events",
          "auth",
          "devices",
          "access",
          "metrics",
          "sensors",
          "proxmox",
          "frigate",
          "ai",
          "automations",
          "mqtt",
          "mqtt-gateway",
          "files",
          "ops",
          "web",
          "http",
          LEADER_JOBS);

  /** The server's secrets and API document. */
  public final SecretsFeature secrets;

  /** The store. */
  public final StorageFeature storage;

  /** The collectors role. */
  public final LeaderFeature leader;

  /** The event hub and its streams. */
  public final EventsFeature events;

  /** The access engine. */
  public final AccessFeature access;

  /** The metrics machinery. */
  public final MetricsFeature metrics;

  /** Sensor ingestion and history. */
  public final SensorsFeature sensors;

  /** The Frigate NVR's client, when configured. */
  public final FrigateFeature frigate;

  /** The AI hub's client, when configured. */
  public final AiFeature ai;

  /** The MQTT bridge, the device state history and the readers on the broker. */
  public final MqttFeature mqtt;

  /** The MQTT device gateway. */
  public final MqttGatewayFeature mqttGateway;

  /** The HTTP server. */
  public final HttpFeature http;

  private final List<Feature> ordered;
  private final CloseStack opened = new CloseStack();

  /**
   * Builds the features, opening nothing yet.
   *
   * @param context what every feature may use
   */
  public ServerFeatures(ServerContext context) {
    secrets = new SecretsFeature(context);
    storage = new StorageFeature(context);
    RedisFeature redis = new RedisFeature(context);
    leader = new LeaderFeature(context, storage, redis);
    AuthFeature auth = new AuthFeature(context, secrets, storage, redis);
    events = new EventsFeature(context, auth);
    DevicesFeature devices = new DevicesFeature(context, storage, events, auth);
    access = new AccessFeature(context, storage, events, auth);
    metrics = new MetricsFeature(context, storage, leader, events);
    sensors = new SensorsFeature(context, storage, events, auth, metrics);
    ProxmoxFeature proxmox = new ProxmoxFeature(context, storage, auth, events, metrics);
    frigate = new FrigateFeature(context);
    ai = new AiFeature(context, auth);
    AutomationsFeature automations = new AutomationsFeature(context, storage, auth, metrics);
    mqtt = new MqttFeature(context, storage, auth, metrics, events, access, leader);
    mqttGateway = new MqttGatewayFeature(context, auth, access, sensors);
    FilesFeature files = new FilesFeature(context, storage, events, auth);
    OpsFeature ops =
        new OpsFeature(
            context,
            secrets,
            storage,
            leader,
            metrics,
            auth,
            new HealthSources(redis, mqtt, proxmox, frigate, automations, ai));
    WebFeature web = new WebFeature(context);
    List<Feature> features =
        List.of(
            secrets,
            storage,
            redis,
            leader,
            events,
            auth,
            devices,
            access,
            metrics,
            sensors,
            proxmox,
            frigate,
            ai,
            automations,
            mqtt,
            mqttGateway,
            files,
            ops,
            web);
    http = new HttpFeature(context, auth, storage, features);
    List<Feature> all = new ArrayList<>(features);
    all.add(http);
    ordered = List.copyOf(all);
    List<String> names = new ArrayList<>(ordered.stream().map(Feature::name).toList());
    names.add(LEADER_JOBS);
    if (!names.equals(STEPS)) {
      throw new IllegalStateException("STEPS " + STEPS + " disagree with the features " + names);
    }
  }

  /**
   * Starts every feature in order, then the leader jobs.
   *
   * @param failAt a step at which to fail on purpose, after the steps before it opened their parts
   *     (for the test that a failed start leaves nothing open), or {@code null}
   * @return completes when the server is up; failed, with everything closed, if a step failed
   */
  public Future<Void> start(String failAt) {
    // The longest step, on a worker: under way while the steps before it run.
    storage.begin();
    Future<Void> chain = Future.succeededFuture();
    for (Feature feature : ordered) {
      chain = chain.compose(done -> step(feature.name(), failAt, () -> feature.start(opened)));
    }
    chain =
        chain.compose(done -> step(LEADER_JOBS, failAt, () -> leader.startJobs(ordered, opened)));
    return chain.recover(
        failure ->
            opened
                .closeAll()
                .transform(closed -> storage.abandon())
                .transform(closed -> Future.failedFuture(failure)));
  }

  private static Future<Void> step(
      String name, String failAt, java.util.function.Supplier<Future<Void>> start) {
    if (name.equals(failAt)) {
      return Future.failedFuture(new IllegalStateException("failed on purpose: " + name));
    }
    log.debug("Starting {}", name);
    return start.get();
  }

  /**
   * Stops gracefully. The role goes first, so that another instance collects and rolls up while
   * this one drains. What never ends on its own (event streams) ends next, so that the grace period
   * is spent on requests that do. Then everything the start opened closes, in reverse: the access
   * engine commits its pending rows before the store goes.
   *
   * @param timeout how long in-flight requests may take
   * @return completes when everything is closed
   */
  public Future<Void> shutdown(Duration timeout) {
    Future<Void> quiet = leader.stepDown();
    for (Feature feature : ordered) {
      quiet = quiet.transform(v -> feature.quiesce());
    }
    return quiet.transform(v -> http.drain(timeout)).transform(v -> opened.closeAll());
  }
}
