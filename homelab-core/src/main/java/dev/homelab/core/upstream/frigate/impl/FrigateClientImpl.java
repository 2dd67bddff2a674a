package dev.homelab.core.upstream.frigate.impl;

import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.frigate.EventQuery;
import dev.homelab.core.upstream.frigate.FrigateCamera;
import dev.homelab.core.upstream.frigate.FrigateClient;
import dev.homelab.core.upstream.frigate.FrigateEvent;
import dev.homelab.core.upstream.frigate.FrigateMedia;
import dev.homelab.core.upstream.frigate.FrigateOptions;
import dev.homelab.core.upstream.frigate.FrigateStats;
import dev.homelab.core.upstream.impl.UpstreamHttp;
import dev.homelab.core.upstream.impl.UpstreamHttp.Answer;
import dev.homelab.core.upstream.impl.UpstreamHttp.Attempts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@link FrigateClient} over {@link UpstreamHttp}. With credentials it logs in on first use ({@code
 * POST /api/login}), keeps the JWT of the {@code frigate_token} cookie and sends it as a bearer; a
 * 401 drops it and the request is sent once more after a new login.
 */
public final class FrigateClientImpl implements FrigateClient {

  private static final Pattern CAMERA = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern EVENT_ID =
      Pattern.compile("[0-9]{1,12}\\.[0-9]{1,9}-[A-Za-z0-9]{1,32}");
  private static final Pattern RANGE = Pattern.compile("bytes=([0-9]{1,15})?-([0-9]{1,15})?");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z._+-]{1,64}");
  private static final String COOKIE = "frigate_token=";

  /**
   * What a picture or clip must bring in each timeout while it is read, or it is cut: 1 KiB.
   * Frigate on the home network sends megabytes a second; a trickle below this is a fault, not a
   * slow link.
   */
  static final int MEDIA_PROGRESS_BYTES = 1024;

  private final FrigateOptions options;
  private final UpstreamHttp http;
  private final UpstreamHttp.ReadIdle mediaIdle;
  private volatile Future<String> token;

  /**
   * @param vertx the Vert.x instance to run on
   * @param options validated options, owned by this client
   */
  public FrigateClientImpl(Vertx vertx, FrigateOptions options) {
    this.options = options;
    this.http =
        new UpstreamHttp(
            vertx,
            UpstreamHttp.Settings.of(
                options.getName(), options.getBaseUrl(), options.getTimeout(), options.getTls()),
            this::error);
    // The seed's 5 s is httpx's read timeout, which holds for every read of a body too.
    this.mediaIdle = new UpstreamHttp.ReadIdle(options.getTimeout(), MEDIA_PROGRESS_BYTES);
  }

  /**
   * @return the HTTP side, for tests that tune its retries
   */
  public UpstreamHttp http() {
    return http;
  }

  @Override
  public Future<List<FrigateCamera>> cameras() {
    return get("/api/config", null, Attempts.ONCE)
        .map(answer -> FrigateJson.cameras(http.name(), answer.json()));
  }

  @Override
  public Future<FrigateMedia> snapshot(String camera, int height) {
    String name = camera(camera);
    if (height < 1 || height > 2160) {
      throw new ValidationException("height", "must be between 1 and 2160");
    }
    Map<String, String> query = new LinkedHashMap<>();
    // Frigate 0.14 and older read h, 0.15+ read height and ignore h: send both.
    query.put("h", Integer.toString(height));
    query.put("height", Integer.toString(height));
    return open("/api/" + UpstreamHttp.segment(name) + "/latest.jpg", query, null)
        .compose(media -> expect(media, type -> type.startsWith("image/")));
  }

  @Override
  public Future<List<FrigateEvent>> events(EventQuery query) {
    return get("/api/events", query.toParameters(), Attempts.ONCE)
        .map(answer -> FrigateJson.events(http.name(), answer.jsonArray()));
  }

  @Override
  public Future<FrigateMedia> eventSnapshot(String id) {
    return open("/api/events/" + UpstreamHttp.segment(eventId(id)) + "/snapshot.jpg", null, null)
        .compose(media -> expect(media, type -> type.startsWith("image/")));
  }

  @Override
  public Future<FrigateMedia> eventClip(String id, String range) {
    String checked = eventId(id);
    if (range != null && !validRange(range)) {
      throw new ValidationException("range", "one byte range such as bytes=0-1023");
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (range != null) {
      headers.add("Range", range.strip());
    }
    return open("/api/events/" + UpstreamHttp.segment(checked) + "/clip.mp4", null, headers)
        .compose(
            media ->
                expect(
                    media,
                    type -> type.startsWith("video/") || type.equals("application/octet-stream")));
  }

  @Override
  public Future<FrigateStats> stats() {
    return get("/api/stats", null, Attempts.ONCE)
        .map(answer -> FrigateJson.stats(http.name(), answer.json()));
  }

  @Override
  public Future<FrigateStats> collectStats() {
    return get("/api/stats", null, Attempts.RETRY)
        .map(answer -> FrigateJson.stats(http.name(), answer.json()));
  }

  @Override
  public Future<String> version() {
    return get("/api/version", null, Attempts.ONCE)
        .map(
            answer -> {
              String version = answer.body().toString().strip();
              if (!VERSION.matcher(version).matches()) {
                throw UpstreamException.unavailable(
                    http.name(), "malformed answer (not a version)");
              }
              return version;
            });
  }

  @Override
  public Future<UpstreamStatus> probe() {
    // /api/version is public on both ports: no login needed to know Frigate is there.
    return http.probe("/api/version", null);
  }

  @Override
  public Future<Void> close() {
    http.close();
    return Future.succeededFuture();
  }

  // ---------------------------------------------------------------------------------------------

  private Future<Answer> get(String path, Map<String, String> query, Attempts attempts) {
    return authenticated(
        headers -> http.send(HttpMethod.GET, path, query, headers, null, attempts));
  }

  private Future<FrigateMedia> open(String path, Map<String, String> query, MultiMap extra) {
    return authenticated(
            headers -> {
              MultiMap all = MultiMap.caseInsensitiveMultiMap();
              if (headers != null) {
                all.addAll(headers);
              }
              if (extra != null) {
                all.addAll(extra);
              }
              return http.stream(HttpMethod.GET, path, query, all, null, mediaIdle);
            })
        .map(body -> new FrigateMedia(body.response(), body));
  }

  /** Refuses a 2xx whose type is not what was asked for (a proxy's login page, an error page). */
  private Future<FrigateMedia> expect(FrigateMedia media, Predicate<String> type) {
    String contentType = media.contentType();
    if (contentType != null && !type.test(contentType.strip().toLowerCase(java.util.Locale.ROOT))) {
      media.cancel();
      return Future.failedFuture(
          UpstreamException.unavailable(http.name(), "malformed answer (unexpected content type)"));
    }
    return Future.succeededFuture(media);
  }

  /** Sends a request with the login's bearer, logging in again once if it was refused. */
  private <T> Future<T> authenticated(Function<MultiMap, Future<T>> call) {
    if (options.getUsername() == null) {
      return call.apply(null);
    }
    return bearer()
        .compose(call)
        .recover(
            failure -> {
              if (failure instanceof UpstreamException upstream
                  && upstream.upstreamStatus() == 401) {
                token = null;
                return bearer().compose(call);
              }
              return Future.failedFuture(failure);
            });
  }

  private Future<MultiMap> bearer() {
    Future<String> current = token;
    if (current == null || current.failed()) {
      current = login();
      token = current;
    }
    return current.map(
        jwt -> MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + jwt));
  }

  private Future<String> login() {
    JsonObject body =
        new JsonObject().put("user", options.getUsername()).put("password", options.getPassword());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    return http.send(HttpMethod.POST, "/api/login", null, headers, body.toBuffer(), Attempts.ONCE)
        .map(
            answer -> {
              for (String cookie : answer.headers().getAll("Set-Cookie")) {
                if (cookie.startsWith(COOKIE)) {
                  int end = cookie.indexOf(';');
                  return cookie.substring(COOKIE.length(), end < 0 ? cookie.length() : end);
                }
              }
              throw UpstreamException.unavailable(http.name(), "the login answered no token");
            });
  }

  /** Frigate's error bodies: {"success": false, "message"}, or FastAPI's {"detail"}. */
  private UpstreamException error(Answer answer) {
    String message = answer.statusMessage();
    try {
      Object body = Json.decodeValue(answer.body());
      if (body instanceof JsonObject object) {
        Object detail = object.getValue("detail");
        if (object.getValue("message") instanceof String text) {
          message = text;
        } else if (detail instanceof String text) {
          message = text;
        } else if (detail instanceof JsonArray array
            && !array.isEmpty()
            && array.getValue(0) instanceof JsonObject first
            && first.getValue("msg") instanceof String text) {
          message = text;
        }
      }
    } catch (RuntimeException e) {
      // not JSON (nginx's HTML pages): the reason phrase stays
    }
    if (message != null && message.length() > 200) {
      message = message.substring(0, 200);
    }
    return UpstreamException.answered(http.name(), answer.status(), message);
  }

  private static String camera(String camera) {
    if (camera == null || !CAMERA.matcher(camera).matches()) {
      throw new ValidationException(
          "camera", "a camera name is 1 to 64 letters, digits, '_' or '-'");
    }
    return camera;
  }

  private static String eventId(String id) {
    if (id == null || !EVENT_ID.matcher(id).matches()) {
      throw new ValidationException("id", "an event id looks like 1707479767.784216-y40y02");
    }
    return id;
  }

  private static boolean validRange(String range) {
    var matcher = RANGE.matcher(range.strip());
    if (!matcher.matches() || matcher.group(1) == null && matcher.group(2) == null) {
      return false;
    }
    return matcher.group(1) == null
        || matcher.group(2) == null
        || Long.parseLong(matcher.group(1)) <= Long.parseLong(matcher.group(2));
  }
}
