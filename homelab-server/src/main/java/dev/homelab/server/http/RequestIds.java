package dev.homelab.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id, sent back as {@code X-Request-Id} and written in the access log and
 * error bodies. A sane incoming id (1 to 64 letters, digits, dots, dashes or underscores, as a
 * proxy would set) is kept; anything else is replaced, so that a header cannot forge log lines.
 */
public final class RequestIds implements Handler<RoutingContext> {

  /** The header carrying the id, both ways. */
  public static final String HEADER = "X-Request-Id";

  private static final String KEY = "homelab.requestId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Override
  public void handle(RoutingContext ctx) {
    String incoming = ctx.request().getHeader(HEADER);
    String id =
        incoming != null && SANE.matcher(incoming).matches()
            ? incoming
            : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  /**
   * Gives a request its id now if this handler has not run for it: the router refuses some requests
   * (an invalid authority, a target that is not a path) before any handler runs, and their error
   * answers need an id and the standard headers all the same.
   *
   * @param ctx the request
   * @return the request's id
   */
  public static String ensure(RoutingContext ctx) {
    String id = of(ctx);
    if (id == null) {
      id = UUID.randomUUID().toString();
      ctx.put(KEY, id);
      if (!ctx.response().headWritten()) {
        ctx.response().putHeader(HEADER, id);
        SecurityHeaders.STANDARD.forEach(ctx.response().headers()::set);
      }
    }
    return id;
  }

  /**
   * @param ctx the request
   * @return the request's id, or {@code null} before this handler ran
   */
  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
