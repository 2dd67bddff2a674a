package dev.homelab.server.features;

import dev.homelab.core.upstream.aihub.AiHubClient;
import dev.homelab.core.upstream.aihub.AiHubOptions;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.AiRoutes;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AI hub (a Claude Code API): its client, built from the {@code AI_HUB_*} keys and closed on
 * the close-stack, and {@code /api/ai}. Without {@code AI_HUB_URL} the feature is off: nothing is
 * opened, and the routes answer 404 {@code AI_HUB_NOT_CONFIGURED}.
 */
public final class AiFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(AiFeature.class);

  private final ServerContext context;
  private final AuthFeature auth;
  private AiHubClient client;
  private AiRoutes routes;

  /**
   * @param context the server's context
   * @param auth what checks the credentials of open chats again
   */
  public AiFeature(ServerContext context, AuthFeature auth) {
    this.context = context;
    this.auth = auth;
  }

  @Override
  public String name() {
    return "ai";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    AiHubOptions options = context.config().aiHubOptions();
    if (options == null) {
      log.info("The AI hub is not configured (AI_HUB_URL is empty): /api/ai answers 404");
      return Future.succeededFuture();
    }
    client = AiHubClient.create(context.vertx(), options);
    opened.push("ai hub client", client::close);
    log.info("AI hub at {} (timeout {})", options.getBaseUrl(), options.getTimeout());
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    this.routes =
        new AiRoutes(context.vertx(), client, context.config().eventsPing(), auth.authenticator());
    this.routes.register(routes);
  }

  /** Open chats end first at shutdown: they never finish within the grace period on their own. */
  @Override
  public Future<Void> quiesce() {
    if (routes != null) {
      routes.endChats("the server is shutting down");
    }
    return Future.succeededFuture();
  }

  /**
   * @return the client, or {@code null} when the AI hub is not configured
   */
  public AiHubClient client() {
    return client;
  }
}
