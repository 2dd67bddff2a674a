package dev.homelab.core.health;

import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.aihub.AiHubClient;
import dev.homelab.core.upstream.automation.AutomationClient;
import dev.homelab.core.upstream.frigate.FrigateClient;
import dev.homelab.core.upstream.proxmox.ProxmoxClient;
import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The detailed health: pings the database and Redis and probes every configured upstream, all at
 * once, each within its own bound, so that one slow part delays the report by its bound at most.
 *
 * <p>The database and Redis get {@link #PING_TIMEOUT}; the MQTT bridge reports its own connection
 * state, without a round trip; an upstream its client's probe bound (its timeout, at most {@code
 * UpstreamHttp.PROBE_TIMEOUT}, 5 s), and its probe reports its circuit breaker's state. Describe
 * the parts once, at start, then call {@link #check()} from any thread:
 *
 * <pre>{@code
 * SystemHealth health = new SystemHealth(vertx, clock)
 *     .database("postgresql", storage::ping)
 *     .proxmox(proxmox)
 *     .frigate(frigate);      // null: reported as not configured
 * health.check().onSuccess(report -> log.info("{}", report.status()));
 * }</pre>
 */
public final class SystemHealth {

  /** How long the database and Redis may take to answer a ping. */
  public static final Duration PING_TIMEOUT = Duration.ofSeconds(3);

  /** Every upstream kind, in the report's order. */
  public static final List<String> UPSTREAM_KINDS =
      List.of("proxmox", "frigate", "automations", "ai_hub");

  private final Vertx vertx;
  private final Clock clock;
  private String databaseKind = "unknown";
  private Supplier<Future<?>> database = () -> Future.failedFuture("no database");
  private Supplier<Future<?>> redis;
  private MqttBridge mqtt;
  private ProxmoxClient proxmox;
  private FrigateClient frigate;
  private AutomationClient automations;
  private AiHubClient aiHub;

  /**
   * @param vertx runs the bounds' timers
   * @param clock the time of the report
   */
  public SystemHealth(Vertx vertx, Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param kind the database's kind, such as {@code sqlite}
   * @param ping a cheap round trip to it
   * @return this
   */
  public SystemHealth database(String kind, Supplier<Future<?>> ping) {
    this.databaseKind = Objects.requireNonNull(kind, "kind");
    this.database = Objects.requireNonNull(ping, "ping");
    return this;
  }

  /**
   * @param ping a cheap round trip to Redis, or {@code null} when Redis is not configured
   * @return this
   */
  public SystemHealth redis(Supplier<Future<?>> ping) {
    this.redis = ping;
    return this;
  }

  /**
   * @param bridge the bridge to the MQTT broker, or {@code null} when no broker is configured
   * @return this
   */
  public SystemHealth mqtt(MqttBridge bridge) {
    this.mqtt = bridge;
    return this;
  }

  /**
   * @param client the Proxmox servers (each configured one is probed), or {@code null} for none
   * @return this
   */
  public SystemHealth proxmox(ProxmoxClient client) {
    this.proxmox = client;
    return this;
  }

  /**
   * @param client Frigate's client, or {@code null} when Frigate is not configured
   * @return this
   */
  public SystemHealth frigate(FrigateClient client) {
    this.frigate = client;
    return this;
  }

  /**
   * @param client the automation API's client, or {@code null} when it is not configured
   * @return this
   */
  public SystemHealth automations(AutomationClient client) {
    this.automations = client;
    return this;
  }

  /**
   * @param client the AI hub's client, or {@code null} when it is not configured
   * @return this
   */
  public SystemHealth aiHub(AiHubClient client) {
    this.aiHub = client;
    return this;
  }

  /**
   * Checks everything at once.
   *
   * @return the report; never fails
   */
  public Future<HealthReport> check() {
    Instant started = clock.instant();
    Future<HealthReport.Ping> db = ping(databaseKind, database);
    Future<HealthReport.Ping> cache = redis == null ? null : ping("redis", redis);
    List<Future<HealthReport.Upstream>> upstreams = new ArrayList<>();
    List<ProxmoxServerOptions> servers = proxmox == null ? List.of() : proxmox.configured();
    if (servers.isEmpty()) {
      upstreams.add(notConfigured("proxmox"));
    }
    for (ProxmoxServerOptions server : servers) {
      upstreams.add(probe("proxmox", server.id(), () -> proxmox.probe(server.id())));
    }
    upstreams.add(frigate == null ? notConfigured("frigate") : probe("frigate", frigate::probe));
    upstreams.add(
        automations == null
            ? notConfigured("automations")
            : probe("automations", automations::probe));
    upstreams.add(aiHub == null ? notConfigured("ai_hub") : probe("ai_hub", aiHub::probe));
    List<Future<?>> all = new ArrayList<>(upstreams);
    all.add(db);
    if (cache != null) {
      all.add(cache);
    }
    // Every future here succeeds: join only waits for the slowest, within its bound.
    return Future.join(all)
        .map(
            done -> {
              List<HealthReport.Upstream> found = upstreams.stream().map(Future::result).toList();
              HealthReport.Ping dbPing = db.result();
              HealthReport.Ping redisPing = cache == null ? null : cache.result();
              HealthReport.Mqtt broker = mqtt == null ? null : HealthReport.Mqtt.of(mqtt);
              String status;
              if (!dbPing.reachable()) {
                status = HealthReport.UNHEALTHY;
              } else if (redisPing != null && !redisPing.reachable()
                  || broker != null && !broker.connected()
                  || !found.stream().allMatch(HealthReport.Upstream::fine)) {
                status = HealthReport.DEGRADED;
              } else {
                status = HealthReport.HEALTHY;
              }
              return new HealthReport(status, started, dbPing, redisPing, broker, found);
            });
  }

  private static Future<HealthReport.Upstream> notConfigured(String kind) {
    return Future.succeededFuture(new HealthReport.Upstream(kind, null, null));
  }

  private Future<HealthReport.Upstream> probe(String kind, Supplier<Future<UpstreamStatus>> probe) {
    return probe(kind, null, probe);
  }

  /**
   * The client bounds its probe and reports an upstream's failure in the status; a probe that fails
   * all the same (a bug, not the upstream) is reported unreachable rather than failing the report.
   */
  private Future<HealthReport.Upstream> probe(
      String kind, String id, Supplier<Future<UpstreamStatus>> probe) {
    Future<UpstreamStatus> status;
    try {
      status = probe.get();
    } catch (RuntimeException e) {
      status = Future.failedFuture(e);
    }
    return status
        .recover(
            failure ->
                Future.succeededFuture(
                    new UpstreamStatus(
                        id == null ? kind : kind + " " + id,
                        false,
                        -1,
                        "UNKNOWN",
                        clock.instant(),
                        "the probe failed")))
        .map(s -> new HealthReport.Upstream(kind, id, s));
  }

  /**
   * Pings within {@link #PING_TIMEOUT}. The driver's message is not kept: it may name the host or
   * the user.
   */
  private Future<HealthReport.Ping> ping(String kind, Supplier<Future<?>> ping) {
    Promise<HealthReport.Ping> result = Promise.promise();
    long started = System.nanoTime();
    long timer =
        vertx.setTimer(
            PING_TIMEOUT.toMillis(),
            id ->
                result.tryComplete(
                    new HealthReport.Ping(
                        kind, false, -1, "no answer within " + PING_TIMEOUT.toSeconds() + " s")));
    Future<?> answer;
    try {
      answer = ping.get();
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(
        done -> {
          vertx.cancelTimer(timer);
          long millis = (System.nanoTime() - started) / 1_000_000;
          result.tryComplete(
              done.succeeded()
                  ? new HealthReport.Ping(kind, true, millis, null)
                  : new HealthReport.Ping(kind, false, -1, "the ping failed"));
        });
    return result.future();
  }
}
