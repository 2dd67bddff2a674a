package dev.homelab.server.features;

import dev.homelab.core.upstream.frigate.FrigateClient;
import dev.homelab.core.upstream.frigate.FrigateOptions;
import dev.homelab.server.http.Routes;
import dev.homelab.server.routes.FrigateRoutes;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Frigate NVR: its client, built from the {@code FRIGATE_*} keys and closed on the close-stack,
 * and {@code /api/frigate}. Without {@code FRIGATE_URL} the feature is off: nothing is opened, and
 * the routes answer 404 {@code FRIGATE_NOT_CONFIGURED}.
 */
public final class FrigateFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(FrigateFeature.class);

  private final ServerContext context;
  private FrigateClient client;

  /**
   * @param context the server's context
   */
  public FrigateFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public String name() {
    return "frigate";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    FrigateOptions options = context.config().frigateOptions();
    if (options == null) {
      log.info("Frigate is not configured (FRIGATE_URL is empty): /api/frigate answers 404");
      return Future.succeededFuture();
    }
    client = FrigateClient.create(context.vertx(), options);
    opened.push("frigate client", client::close);
    log.info("Frigate at {} (timeout {})", options.getBaseUrl(), options.getTimeout());
    return Future.succeededFuture();
  }

  @Override
  public void routes(Routes routes) {
    new FrigateRoutes(client).register(routes);
  }

  /**
   * @return the client, or {@code null} when Frigate is not configured
   */
  public FrigateClient client() {
    return client;
  }
}
