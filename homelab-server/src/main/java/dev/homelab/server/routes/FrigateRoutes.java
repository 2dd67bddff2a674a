package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.upstream.frigate.EventQuery;
import dev.homelab.core.upstream.frigate.FrigateCamera;
import dev.homelab.core.upstream.frigate.FrigateClient;
import dev.homelab.core.upstream.frigate.FrigateEvent;
import dev.homelab.core.upstream.frigate.FrigateMedia;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * {@code /api/frigate}: the Frigate NVR's cameras, camera snapshots, detection events (with their
 * snapshots and clips) and stats in the shapes of seed 003. Core's {@link FrigateClient} talks to
 * Frigate and normalises its versions; these handlers read the parameters and stream pictures
 * through with back-pressure, never holding one whole. Upstream failures reach the error handler as
 * core's {@code UpstreamException}s (502, 504, or Frigate's own 4xx). Without a client (no {@code
 * FRIGATE_URL}) every route answers 404 {@code FRIGATE_NOT_CONFIGURED}.
 */
public final class FrigateRoutes {

  /** The error code of every route when Frigate is not configured. */
  public static final String NOT_CONFIGURED = "FRIGATE_NOT_CONFIGURED";

  /** The snapshot height when {@code h} is absent: 360 pixels (seed 003). */
  static final int DEFAULT_HEIGHT = 360;

  /** The largest snapshot height: 2160 pixels. */
  static final int MAX_HEIGHT = 2160;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final FrigateClient frigate;

  /**
   * @param frigate the client, or {@code null} when Frigate is not configured
   */
  public FrigateRoutes(FrigateClient frigate) {
    this.frigate = frigate;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/frigate/cameras", Role.VIEWER, configured(this::cameras));
    routes.route(
        HttpMethod.GET,
        "/api/frigate/camera/:name/snapshot",
        Role.VIEWER,
        configured(this::snapshot));
    routes.route(HttpMethod.GET, "/api/frigate/events", Role.VIEWER, configured(this::events));
    routes.route(HttpMethod.GET, "/api/frigate/stats", Role.VIEWER, configured(this::stats));
    routes.route(
        HttpMethod.GET,
        "/api/frigate/events/:id/snapshot",
        Role.VIEWER,
        configured(this::eventSnapshot));
    routes.route(
        HttpMethod.GET, "/api/frigate/events/:id/clip", Role.VIEWER, configured(this::eventClip));
  }

  private Handler<RoutingContext> configured(Handler<RoutingContext> handler) {
    if (frigate != null) {
      return handler;
    }
    return ctx ->
        ctx.fail(
            new ErrorHandler.ApiException(
                404, NOT_CONFIGURED, "Frigate is not configured on this server (FRIGATE_URL)"));
  }

  private void cameras(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        frigate
            .cameras()
            .map(
                cameras ->
                    new JsonObject()
                        .put(
                            "cameras",
                            new JsonArray(cameras.stream().map(FrigateCamera::toJson).toList()))));
  }

  private void snapshot(RoutingContext ctx) {
    String camera = name(ctx.pathParam("name"), "name");
    int height = Params.integer(ctx, "h", DEFAULT_HEIGHT, 1, MAX_HEIGHT);
    stream(ctx, frigate.snapshot(camera, height), "image/jpeg");
  }

  private void events(RoutingContext ctx) {
    EventQuery query = EventQuery.create();
    String cameras = Params.text(ctx, "camera");
    if (cameras != null) {
      query.cameras(names(cameras, "camera"));
    }
    String labels = Params.text(ctx, "label");
    if (labels != null) {
      query.labels(names(labels, "label"));
    }
    String zones = Params.text(ctx, "zone");
    if (zones != null) {
      query.zones(names(zones, "zone"));
    }
    Instant after = Params.instant(ctx, "after");
    Instant before = Params.instant(ctx, "before");
    query.between(after, before);
    query.hasClip(bool(ctx, "has_clip"));
    query.hasSnapshot(bool(ctx, "has_snapshot"));
    query.limit(Params.integer(ctx, "limit", EventQuery.DEFAULT_LIMIT, 1, EventQuery.MAX_LIMIT));
    Responses.json(
        ctx,
        200,
        frigate
            .events(query)
            .map(
                events ->
                    new JsonObject()
                        .put(
                            "events",
                            new JsonArray(events.stream().map(FrigateEvent::toJson).toList()))));
  }

  private void stats(RoutingContext ctx) {
    Responses.json(ctx, 200, frigate.stats().map(stats -> stats.toJson()));
  }

  private void eventSnapshot(RoutingContext ctx) {
    stream(ctx, frigate.eventSnapshot(ctx.pathParam("id")), "image/jpeg");
  }

  /** The clip, or the one byte range of it the {@code Range} header asks for (206). */
  private void eventClip(RoutingContext ctx) {
    String range = ctx.request().getHeader("Range");
    ctx.response().putHeader("Accept-Ranges", "bytes");
    stream(ctx, frigate.eventClip(ctx.pathParam("id"), range), "video/mp4");
  }

  /**
   * Streams a picture or clip: the status and headers once Frigate's are in, then the body piped
   * with back-pressure. A failure before the head is sent goes to the error handler; one after it
   * (Frigate or the caller gone mid-body) resets the response, and the request to Frigate with it.
   */
  static void stream(RoutingContext ctx, Future<FrigateMedia> opened, String fallbackType) {
    opened
        .onFailure(ctx::fail)
        .onSuccess(
            media -> {
              HttpServerResponse response = ctx.response();
              if (response.closed()) {
                media.cancel();
                return;
              }
              String type = media.contentType();
              response
                  .setStatusCode(media.status())
                  .putHeader("Content-Type", type == null ? fallbackType : type)
                  .putHeader("Cache-Control", "no-store")
                  .putHeader("X-Content-Type-Options", "nosniff");
              long length = media.contentLength();
              if (length >= 0) {
                response.putHeader("Content-Length", Long.toString(length));
              } else {
                response.setChunked(true);
              }
              if (media.contentRange() != null) {
                response.putHeader("Content-Range", media.contentRange());
              }
              // Not ended on a failure: see Responses.cut.
              media
                  .body()
                  .pipe()
                  .endOnFailure(false)
                  .to(response)
                  .onFailure(
                      failure -> {
                        media.cancel();
                        if (!response.headWritten()) {
                          ctx.fail(failure);
                        } else if (!response.closed()) {
                          Responses.cut(ctx, failure);
                        }
                      });
            });
  }

  private static String name(String value, String field) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new ValidationException(field, "use 1 to 64 letters, digits, '_' or '-'");
    }
    return value;
  }

  private static String[] names(String list, String field) {
    String[] names = list.split(",", -1);
    for (String name : names) {
      name(name, field);
    }
    return names;
  }

  private static Boolean bool(RoutingContext ctx, String name) {
    String value = Params.oneOf(ctx, name, java.util.Set.of("true", "false", "1", "0"));
    return value == null ? null : value.equals("true") || value.equals("1");
  }
}
