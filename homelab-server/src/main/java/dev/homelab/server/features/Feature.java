package dev.homelab.server.features;

import dev.homelab.core.leader.LeaderJob;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import java.util.Map;

/**
 * One capability of the server (its storage, events, auth, devices, access, metrics, ops, HTTP;
 * later proxmox, frigate, mqtt, files, web). A feature reads its own configuration keys, opens its
 * parts, registers their meters, and contributes its routes and its leader-scoped jobs.
 *
 * <p>The server is the ordered list of its features: it starts them one after the other, each
 * registering what it opens on one {@link CloseStack} as soon as it is open, so that a failure at
 * any step closes everything opened before it, in reverse, and a shutdown closes the same stack. A
 * feature gets the features it builds on in its constructor and uses their parts once they have
 * started.
 */
public interface Feature {

  /**
   * @return the feature's name, which is also the name of its start step
   */
  String name();

  /**
   * Opens the feature's parts. Everything opened is pushed on {@code opened} at once, before the
   * next part is opened, so a failure later in this start or in a later feature closes it.
   *
   * @param opened the server's close-stack
   * @return completes when the feature is ready for its routes
   */
  Future<Void> start(CloseStack opened);

  /**
   * Registers the feature's routes. Called once every feature has started, in feature order, after
   * the authenticator: every route here needs a principal unless the feature says otherwise.
   *
   * @param routes where to register
   */
  default void routes(Routes routes) {}

  /**
   * @return jobs that run on one instance only, while it holds the collectors role, by name; they
   *     start once the server listens
   */
  default Map<String, LeaderJob> leaderJobs() {
    return Map.of();
  }

  /**
   * Ends, at shutdown, what never ends on its own (event streams), before in-flight requests are
   * given their grace period.
   *
   * @return completes when ended
   */
  default Future<Void> quiesce() {
    return Future.succeededFuture();
  }
}
