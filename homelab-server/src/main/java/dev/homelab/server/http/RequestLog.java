package dev.homelab.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per request when its response ends: method, route template, status, duration and
 * request id. The raw path, the query string and headers are never logged, so tokens and secrets in
 * them cannot reach the log.
 */
public final class RequestLog implements Handler<RoutingContext> {

  /**
   * The logger the lines go to, so that they can be routed or silenced on their own. It is not
   * {@code ...access}: that word is the door-access domain, whose decisions have a log of their
   * own.
   */
  public static final String LOGGER = "dev.homelab.server.requests";

  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ended ->
            log.info(
                "{} {} {} {}ms request_id={}{}",
                ctx.request().method(),
                RouteTemplates.of(ctx),
                // A response cut short before its head was sent has no status to claim.
                ctx.response().headWritten() ? ctx.response().getStatusCode() : "-",
                (System.nanoTime() - start) / 1_000_000,
                RequestIds.of(ctx),
                ended.succeeded() ? "" : " (connection closed before the response ended)"));
    ctx.next();
  }
}
