package dev.homelab.server.features;

import dev.homelab.core.upstream.automation.AutomationClient;
import dev.homelab.core.upstream.automation.AutomationCollector;
import dev.homelab.core.upstream.automation.AutomationControl;
import dev.homelab.core.upstream.automation.AutomationHistory;
import dev.homelab.core.upstream.automation.AutomationOptions;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.AutomationRoutes;
import dev.homelab.server.routes.UpstreamMetricsRoutes;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automation-container API: its client, built from the {@code AUTOMATION_API_*} keys and closed
 * on the close-stack, the audited actions, and {@code /api/automations}. Without {@code
 * AUTOMATION_API_URL} the feature is off: nothing is opened, and the routes answer 404 {@code
 * AUTOMATIONS_NOT_CONFIGURED}.
 *
 * <p>The automations' counts are a collector of the metrics feature's scheduler, so it runs only on
 * the leader, as the host monitor does; their history is {@code /api/metrics/automation}.
 */
public final class AutomationsFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(AutomationsFeature.class);

  private final ServerContext context;
  private final StorageFeature storage;
  private final AuthFeature auth;
  private final MetricsFeature metrics;
  private AutomationClient client;
  private AutomationControl control;
  private AutomationRoutes routes;
  private AutomationHistory history;

  /**
   * @param context the server's context
   * @param storage where the actions are audited
   * @param auth builds the actor of a request
   * @param metrics whose scheduler runs the collector and whose downsampler keeps its history
   */
  public AutomationsFeature(
      ServerContext context, StorageFeature storage, AuthFeature auth, MetricsFeature metrics) {
    this.context = context;
    this.storage = storage;
    this.auth = auth;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "automations";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    AutomationOptions options = context.config().automationOptions();
    if (options == null) {
      log.info(
          "The automation API is not configured (AUTOMATION_API_URL is empty): /api/automations"
              + " answers 404");
      return Future.succeededFuture();
    }
    client = AutomationClient.create(context.vertx(), options);
    opened.push("automation client", client::close);
    control = new AutomationControl(client, storage.storage().audit(), context.clock());
    if (!context.config().automationMetricsInterval().isZero()) {
      metrics
          .collectors()
          .add(
              new AutomationCollector(
                  client,
                  context.config().automationMetricsInterval(),
                  options.getTimeout(),
                  context.clock()));
    }
    history = new AutomationHistory(metrics.downsampler());
    log.info("Automation API at {} (timeout {})", options.getBaseUrl(), options.getTimeout());
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    this.routes =
        new AutomationRoutes(
            context.vertx(),
            client,
            control,
            auth.actors(),
            auth.authenticator(),
            context.config().eventsPing(),
            context.registry());
    this.routes.register(routes);
    UpstreamMetricsRoutes.registerAutomations(
        routes, history, context.config().automationMetricsInterval(), context.clock());
  }

  @Override
  public Future<Void> quiesce() {
    if (routes != null) {
      routes.endStreams("the server is shutting down");
    }
    return Future.succeededFuture();
  }

  /**
   * @return the client, or {@code null} when the automation API is not configured
   */
  public AutomationClient client() {
    return client;
  }
}
