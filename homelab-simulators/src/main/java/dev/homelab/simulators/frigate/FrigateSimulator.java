package dev.homelab.simulators.frigate;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Frigate NVR HTTP API on loopback, built from the recorded answers under {@code
 * fixtures/frigate}: the three cameras of the recorded config, {@code /api/version} as plain text,
 * {@code /api/stats} in the shape of the version played (cameras at the top level before 0.13,
 * under {@code cameras} since), {@code /api/events} with Frigate's filters over generated events
 * that keep arriving, event snapshots and clips (with byte ranges), and camera snapshots that are
 * real JPEGs scaled to the requested height, read from {@code h} before 0.15 and from {@code
 * height} since, as Frigate does.
 *
 * <p>Plain HTTP like Frigate's internal port 5000; with {@link
 * FrigateSimulatorOptions#setCredentials} it requires a login like port 8971 ({@code POST
 * /api/login}, then the {@code frigate_token} cookie or a bearer token).
 *
 * <p>For tests it counts and records requests and can misbehave on demand: {@link #delay}, {@link
 * #resetNext}, {@link #garbleNext}, {@link #failNext}. Pictures are encoded on a worker thread,
 * never on the event loop. The fault and observation methods may be called from any thread.
 */
public final class FrigateSimulator {

  private static final String FIXTURES = "/dev/homelab/simulators/fixtures/frigate/";
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:[.\\-].*)?");
  private static final Pattern LATEST = Pattern.compile("/api/([^/]+)/latest\\.(jpg|jpeg)");
  private static final Pattern EVENT_MEDIA =
      Pattern.compile("/api/events/([^/]+)/(snapshot\\.jpg|clip\\.mp4)");
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
  private static final int CLIP_BYTES = 512 * 1024;
  private static final int MAX_RECORDED = 500;
  private static final String COOKIE = "frigate_token";

  private final Vertx vertx;
  private final FrigateSimulatorOptions options;
  private final int major;
  private final int minor;
  private final JsonObject config;
  private final Map<String, JsonObject> cameras;
  private final JsonObject legacyStats;
  private final JsonObject newStats;
  private final FrigateEvents events;
  private final String thumbnail;
  private final long startedAt = System.currentTimeMillis();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final Deque<String> recorded = new ArrayDeque<>();
  private volatile Map<String, String> lastSnapshotQuery = Map.of();
  private final AtomicLong delayMillis = new AtomicLong();
  private final AtomicInteger resets = new AtomicInteger();
  private final AtomicInteger garbles = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private HttpServer server;
  private long eventTimer = -1;

  private FrigateSimulator(Vertx vertx, FrigateSimulatorOptions options, String thumbnail) {
    this.vertx = vertx;
    this.options = options;
    int[] version = parseVersion(options.getVersion());
    this.major = version[0];
    this.minor = version[1];
    this.config = withoutNulls(readJson("config-model-dump-e2e.json"));
    // The real API adds this; the recorded model dump does not have it.
    config.put("plus", new JsonObject().put("enabled", false));
    this.cameras = new LinkedHashMap<>();
    JsonObject section = config.getJsonObject("cameras");
    for (String name : section.fieldNames()) {
      cameras.put(name, section.getJsonObject(name));
    }
    this.legacyStats = readJson("stats-0.9.4-legacy.json");
    this.newStats = readJson("stats-docs-0.14.json");
    JsonObject template =
        new JsonArray(readText("events-0.13-one-event.json")).getJsonObject(0).copy();
    this.events =
        new FrigateEvents(
            template, List.copyOf(cameras.keySet()), !atLeast(0, 13), options.getSeed());
    this.thumbnail = thumbnail;
    events.generate(options.getEventCount(), now());
  }

  /**
   * Like {@link #start(Vertx, FrigateSimulatorOptions)} with the default options: version {@code
   * 0.14.1}, no login.
   *
   * @param vertx the Vert.x instance to run on
   * @return the started simulator
   */
  public static Future<FrigateSimulator> start(Vertx vertx) {
    return start(vertx, new FrigateSimulatorOptions());
  }

  /**
   * Starts a simulator on {@code 127.0.0.1} and a free port.
   *
   * @param vertx the Vert.x instance to run on
   * @param options how it behaves (copied)
   * @return the started simulator
   */
  public static Future<FrigateSimulator> start(Vertx vertx, FrigateSimulatorOptions options) {
    FrigateSimulatorOptions copy = new FrigateSimulatorOptions(options);
    // Reading the fixtures and encoding the thumbnail are blocking: a worker does them.
    return vertx
        .executeBlocking(
            () -> {
              byte[] jpeg = FrigateImages.frame(175, 175, "thumb", Instant.now(), 0);
              return new FrigateSimulator(vertx, copy, Base64.getEncoder().encodeToString(jpeg));
            })
        .compose(FrigateSimulator::listen);
  }

  private Future<FrigateSimulator> listen() {
    return vertx
        .createHttpServer()
        .requestHandler(this::handle)
        .listen(0, "127.0.0.1")
        .map(
            listening -> {
              server = listening;
              Duration every = options.getNewEventEvery();
              if (every != null) {
                eventTimer = vertx.setPeriodic(every.toMillis(), id -> events.next(now()));
              }
              return this;
            });
  }

  /**
   * @return the port it listens on
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * @return its base URL, such as {@code http://127.0.0.1:41234} (Frigate's paths start with {@code
   *     /api})
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * @return the version it plays
   */
  public String version() {
    return options.getVersion();
  }

  /**
   * @return the names of its cameras, in the config's order
   */
  public List<String> cameras() {
    return List.copyOf(cameras.keySet());
  }

  /**
   * @return its events as {@code /api/events} serves them (without thumbnails), oldest first
   */
  public List<JsonObject> events() {
    return events.all();
  }

  /**
   * Adds one finished event now, for a test that needs a known one.
   *
   * @param camera its camera
   * @param label its label
   * @return the event as served
   */
  public JsonObject addEvent(String camera, String label) {
    double now = now();
    return events.add(camera, label, now - 10, now - 1);
  }

  /**
   * @return how many requests arrived, faulty answers included
   */
  public int requestCount() {
    return requestCount.get();
  }

  /**
   * @return the last 500 requests as {@code METHOD uri}, oldest first
   */
  public List<String> requests() {
    synchronized (recorded) {
      return new ArrayList<>(recorded);
    }
  }

  /**
   * @return the query parameters of the last camera snapshot request ({@code h}, {@code height},
   *     ...), to check which height parameters a client sends
   */
  public Map<String, String> lastSnapshotQuery() {
    return lastSnapshotQuery;
  }

  /**
   * Delays every answer until told otherwise.
   *
   * @param delay how long each request waits before it is handled; zero for none
   * @return this simulator
   */
  public FrigateSimulator delay(Duration delay) {
    delayMillis.set(delay.toMillis());
    return this;
  }

  /**
   * Closes the connection of the next requests without an answer.
   *
   * @param count how many requests
   * @return this simulator
   */
  public FrigateSimulator resetNext(int count) {
    resets.set(count);
    return this;
  }

  /**
   * Answers the next requests with 200, a JSON content type and a body that is no JSON.
   *
   * @param count how many requests
   * @return this simulator
   */
  public FrigateSimulator garbleNext(int count) {
    garbles.set(count);
    return this;
  }

  /**
   * Answers the next requests with 500 and Frigate's error body.
   *
   * @param count how many requests
   * @return this simulator
   */
  public FrigateSimulator failNext(int count) {
    failures.set(count);
    return this;
  }

  /**
   * Forgets every login token, as a restarted Frigate or an expired session would.
   *
   * @return this simulator
   */
  public FrigateSimulator expireTokens() {
    tokens.clear();
    return this;
  }

  /**
   * Ends every fault: no delay, no reset, garbage or failure to come.
   *
   * @return this simulator
   */
  public FrigateSimulator clearFaults() {
    delayMillis.set(0);
    resets.set(0);
    garbles.set(0);
    failures.set(0);
    return this;
  }

  /**
   * Stops listening and stops adding events.
   *
   * @return when it is closed
   */
  public Future<Void> close() {
    if (eventTimer >= 0) {
      vertx.cancelTimer(eventTimer);
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  // ---------------------------------------------------------------------------------------------

  private void handle(HttpServerRequest request) {
    requestCount.incrementAndGet();
    synchronized (recorded) {
      recorded.addLast(request.method() + " " + request.uri());
      while (recorded.size() > MAX_RECORDED) {
        recorded.removeFirst();
      }
    }
    // A login's body is read first, so that a delayed answer waits on a timer only. A GET's body
    // is not read: the request may have ended before this handler ran.
    Future<Buffer> body =
        request.method() == HttpMethod.POST
            ? request.body().otherwise(failure -> Buffer.buffer())
            : Future.succeededFuture(Buffer.buffer());
    body.onSuccess(
        read -> {
          long delay = delayMillis.get();
          if (delay > 0) {
            vertx.setTimer(delay, id -> misbehaveOrServe(request, read));
          } else {
            misbehaveOrServe(request, read);
          }
        });
  }

  private void misbehaveOrServe(HttpServerRequest request, Buffer body) {
    if (takeOne(resets)) {
      request.connection().close();
    } else if (takeOne(garbles)) {
      send(request, 200, "application/json", Buffer.buffer("<html>{\"cameras\": garbage"));
    } else if (takeOne(failures)) {
      json(request, 500, error("Internal server error"));
    } else {
      try {
        serve(request, body);
      } catch (RuntimeException e) {
        json(request, 500, error("Internal server error"));
      }
    }
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
  }

  private void serve(HttpServerRequest request, Buffer body) {
    String path = request.path();
    if (path.equals("/api/login") && request.method() == HttpMethod.POST) {
      login(request, body);
      return;
    }
    if (path.equals("/api/version") && request.method() == HttpMethod.GET) {
      send(request, 200, "text/plain; charset=utf-8", Buffer.buffer(options.getVersion()));
      return;
    }
    if (options.getUsername() != null && !authenticated(request)) {
      // nginx's auth_request answers for the API when there is no valid token.
      send(request, 401, "text/html", Buffer.buffer("<html><body>401 Unauthorized</body></html>"));
      return;
    }
    if (request.method() != HttpMethod.GET) {
      json(request, 405, new JsonObject().put("detail", "Method Not Allowed"));
      return;
    }
    Matcher latest = LATEST.matcher(path);
    Matcher media = EVENT_MEDIA.matcher(path);
    if (path.equals("/api/config")) {
      json(request, 200, config);
    } else if (path.equals("/api/stats")) {
      json(request, 200, atLeast(0, 13) ? newStats() : legacyStats());
    } else if (path.equals("/api/events")) {
      events(request);
    } else if (latest.matches()) {
      latest(request, latest.group(1));
    } else if (media.matches()) {
      JsonObject event = events.find(media.group(1));
      if (event == null) {
        json(request, 404, error("Event not found"));
      } else if (media.group(2).startsWith("snapshot")) {
        eventSnapshot(request, event);
      } else {
        clip(request, event);
      }
    } else {
      json(request, 404, new JsonObject().put("detail", "Not Found"));
    }
  }

  private void login(HttpServerRequest request, Buffer body) {
    if (options.getUsername() == null) {
      json(request, 404, new JsonObject().put("message", "Authentication is disabled"));
      return;
    }
    JsonObject credentials;
    try {
      credentials = body.toJsonObject();
    } catch (RuntimeException e) {
      credentials = new JsonObject();
    }
    if (!options.getUsername().equals(credentials.getString("user"))
        || !options.getPassword().equals(credentials.getString("password"))) {
      json(request, 401, new JsonObject().put("message", "Login failed"));
      return;
    }
    String token = jwtLike(options.getUsername());
    tokens.add(token);
    request
        .response()
        .putHeader("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=lax")
        .end();
  }

  private boolean authenticated(HttpServerRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null
        && authorization.startsWith("Bearer ")
        && tokens.contains(authorization.substring(7).strip())) {
      return true;
    }
    io.vertx.core.http.Cookie cookie = request.getCookie(COOKIE);
    return cookie != null && tokens.contains(cookie.getValue());
  }

  /**
   * A token shaped like Frigate's HS256 JWT (the signature is random: only this simulator checks
   * it).
   */
  private static String jwtLike(String user) {
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    byte[] signature = new byte[32];
    new SecureRandom().nextBytes(signature);
    long exp = Instant.now().getEpochSecond() + 86_400;
    return url.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(
            new JsonObject()
                .put("sub", user)
                .put("role", "admin")
                .put("exp", exp)
                .encode()
                .getBytes(StandardCharsets.UTF_8))
        + "."
        + url.encodeToString(signature);
  }

  private void events(HttpServerRequest request) {
    MultiMap query = request.params();
    List<JsonObject> found;
    try {
      found = events.query(query);
    } catch (IllegalArgumentException e) {
      json(request, 422, validationError(e.getMessage(), query.get(e.getMessage())));
      return;
    }
    boolean thumbnails = !"0".equals(query.get("include_thumbnails"));
    JsonArray answer = new JsonArray();
    for (JsonObject event : found) {
      answer.add(thumbnails ? event.copy().put("thumbnail", thumbnail) : event);
    }
    send(request, 200, "application/json", answer.toBuffer());
  }

  private void latest(HttpServerRequest request, String camera) {
    Map<String, String> query = new HashMap<>();
    request.params().forEach(entry -> query.put(entry.getKey(), entry.getValue()));
    lastSnapshotQuery = Map.copyOf(query);
    JsonObject settings = cameras.get(camera);
    if (settings == null) {
      json(request, 404, error("Camera not found"));
      return;
    }
    JsonObject detect = settings.getJsonObject("detect", new JsonObject());
    int frameWidth = detect.getInteger("width", 1280);
    int frameHeight = detect.getInteger("height", 720);
    // Flask (0.14 and older) read ?h=, FastAPI (0.15+) reads ?height= and ignores h.
    String requested = atLeast(0, 15) ? query.get("height") : query.get("h");
    int height = frameHeight;
    if (requested != null) {
      try {
        height = Integer.parseInt(requested);
      } catch (NumberFormatException e) {
        height = -1;
      }
      if (height < 1 || height > 2160) {
        json(request, 400, error("Invalid height"));
        return;
      }
    }
    int width = Math.max(1, Math.round((float) height * frameWidth / frameHeight));
    int h = height;
    int padding = options.getSnapshotPaddingBytes();
    vertx
        .executeBlocking(() -> FrigateImages.frame(width, h, camera, Instant.now(), padding))
        .onComplete(
            done -> {
              if (done.failed()) {
                json(request, 500, error("Unable to encode frame"));
                return;
              }
              request.response().putHeader("Cache-Control", "no-store");
              send(request, 200, "image/jpeg", Buffer.buffer(done.result()));
            });
  }

  private void eventSnapshot(HttpServerRequest request, JsonObject event) {
    if (!event.getBoolean("has_snapshot")) {
      json(request, 404, error("Snapshot not available"));
      return;
    }
    String title = event.getString("camera") + ": " + event.getString("label");
    Instant at = Instant.ofEpochMilli((long) (event.getDouble("start_time") * 1000));
    vertx
        .executeBlocking(() -> FrigateImages.frame(640, 360, title, at, 0))
        .onComplete(
            done -> {
              if (done.failed()) {
                json(request, 500, error("Unable to encode snapshot"));
              } else {
                send(request, 200, "image/jpeg", Buffer.buffer(done.result()));
              }
            });
  }

  /** A clip: an MP4 file type box, then filler derived from the event id; byte ranges served. */
  private void clip(HttpServerRequest request, JsonObject event) {
    if (!event.getBoolean("has_clip")) {
      json(request, 404, error("Clip not available"));
      return;
    }
    byte[] bytes = new byte[CLIP_BYTES];
    new Random(event.getString("id").hashCode()).nextBytes(bytes);
    byte[] ftyp = {
      0, 0, 0, 24, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p',
      '4', '1'
    };
    System.arraycopy(ftyp, 0, bytes, 0, ftyp.length);
    HttpServerResponse response = request.response().putHeader("Accept-Ranges", "bytes");
    String range = request.getHeader("Range");
    if (range == null) {
      send(request, 200, "video/mp4", Buffer.buffer(bytes));
      return;
    }
    Matcher matcher = RANGE.matcher(range.strip());
    long start;
    long end;
    if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
      start = -1;
      end = -1;
    } else if (matcher.group(1).isEmpty()) {
      long suffix = Long.parseLong(matcher.group(2));
      start = Math.max(0, CLIP_BYTES - suffix);
      end = CLIP_BYTES - 1;
    } else {
      start = Long.parseLong(matcher.group(1));
      end =
          matcher.group(2).isEmpty()
              ? CLIP_BYTES - 1
              : Math.min(CLIP_BYTES - 1, Long.parseLong(matcher.group(2)));
    }
    if (start < 0 || start >= CLIP_BYTES || end < start) {
      response.putHeader("Content-Range", "bytes */" + CLIP_BYTES);
      send(request, 416, "text/plain", Buffer.buffer("Requested Range Not Satisfiable"));
      return;
    }
    response.putHeader("Content-Range", "bytes " + start + "-" + end + "/" + CLIP_BYTES);
    send(request, 206, "video/mp4", Buffer.buffer(bytes).slice((int) start, (int) end + 1).copy());
  }

  // ---------------------------------------------------------------------------------------------
  // Stats

  private JsonObject newStats() {
    JsonObject stats = newStats.copy();
    JsonObject cameraStats = new JsonObject();
    JsonObject cpu = new JsonObject();
    double detectionSum = 0;
    double cameraSum = 0;
    int pid = 100;
    for (Map.Entry<String, JsonObject> camera : cameras.entrySet()) {
      int fps = camera.getValue().getJsonObject("detect", new JsonObject()).getInteger("fps", 5);
      double cameraFps = jitter(fps);
      double detectionFps = jitter(fps * 0.3);
      detectionSum += detectionFps;
      cameraSum += cameraFps;
      cameraStats.put(
          camera.getKey(),
          new JsonObject()
              .put("camera_fps", cameraFps)
              .put("process_fps", cameraFps)
              .put("skipped_fps", 0.0)
              .put("detection_fps", detectionFps)
              .put("detection_enabled", true)
              .put("pid", pid)
              .put("capture_pid", pid + 1)
              .put("ffmpeg_pid", pid + 2)
              .put("audio_rms", 0.0)
              .put("audio_dBFS", 0.0));
      // cpu_usages: keyed by pid as a string, every value a string, as psutil/top give them.
      cpu.put(
          String.valueOf(pid + 2),
          new JsonObject()
              .put("cmdline", "ffmpeg -hide_banner -i rtsp://*:*@camera/" + camera.getKey())
              .put("cpu", String.format(java.util.Locale.ROOT, "%.1f", jitter(6)))
              .put("cpu_average", "5.2")
              .put("mem", "0.8"));
      pid += 10;
    }
    stats.put("cameras", cameraStats);
    stats.put("detection_fps", round(detectionSum));
    stats.put("camera_fps", round(cameraSum));
    stats.put("process_fps", round(cameraSum));
    stats.put("skipped_fps", 0.0);
    stats.getJsonObject("detectors").getJsonObject("coral").put("inference_speed", jitter(10.48));
    stats.put("cpu_usages", cpu);
    JsonObject service = stats.getJsonObject("service");
    service
        .put("uptime", uptime())
        .put("version", options.getVersion())
        .put("latest_version", options.getVersion().replaceFirst("-.*", ""))
        .put("last_updated", Instant.now().getEpochSecond());
    // The docs example says mnt_type; the code and real answers say mount_type.
    JsonObject storage = service.getJsonObject("storage");
    for (String mount : storage.fieldNames()) {
      JsonObject entry = storage.getJsonObject(mount);
      entry.put("mount_type", entry.remove("mnt_type"));
    }
    return stats;
  }

  private JsonObject legacyStats() {
    JsonObject stats = new JsonObject();
    double detectionSum = 0;
    int pid = 224;
    for (Map.Entry<String, JsonObject> camera : cameras.entrySet()) {
      int fps = camera.getValue().getJsonObject("detect", new JsonObject()).getInteger("fps", 5);
      double detectionFps = jitter(fps * 0.3);
      detectionSum += detectionFps;
      double cameraFps = jitter(fps);
      // Before 0.13 the camera objects sit at the top level beside detectors and service.
      stats.put(
          camera.getKey(),
          new JsonObject()
              .put("camera_fps", cameraFps)
              .put("capture_pid", pid + 1)
              .put("detection_fps", detectionFps)
              .put("pid", pid)
              .put("process_fps", cameraFps)
              .put("skipped_fps", 0.0));
      pid += 2;
    }
    JsonObject detectors = legacyStats.getJsonObject("detectors").copy();
    for (String name : detectors.fieldNames()) {
      JsonObject detector = detectors.getJsonObject(name);
      detector.put("inference_speed", jitter(detector.getDouble("inference_speed")));
    }
    stats.put("detection_fps", round(detectionSum));
    stats.put("detectors", detectors);
    JsonObject service = legacyStats.getJsonObject("service").copy();
    service.put("uptime", uptime()).put("version", options.getVersion());
    stats.put("service", service);
    if (atLeast(0, 11)) {
      JsonObject cpu =
          new JsonObject()
              .put(
                  "226",
                  new JsonObject()
                      .put("cmdline", "ffmpeg -hide_banner")
                      .put("cpu", "4.3")
                      .put("cpu_average", "4.0")
                      .put("mem", "0.6"));
      if (major == 0 && minor == 12) {
        // A real 0.12 quirk (frigate issues #6110, #6125): a header line of top parsed as a
        // process.
        cpu.put("%Cpu(s):", new JsonObject().put("cpu", "id,").put("mem", "0.0"));
      }
      stats.put("cpu_usages", cpu);
    }
    return stats;
  }

  private static double jitter(double value) {
    return round(value * (0.95 + ThreadLocalRandom.current().nextDouble() * 0.1));
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private long uptime() {
    return (System.currentTimeMillis() - startedAt) / 1000;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private boolean atLeast(int wantedMajor, int wantedMinor) {
    return major > wantedMajor || major == wantedMajor && minor >= wantedMinor;
  }

  static int[] parseVersion(String version) {
    Matcher matcher = VERSION.matcher(version);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "not a Frigate version such as 0.14.1-f4f3cfa: " + version);
    }
    return new int[] {Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))};
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("success", false).put("message", message);
  }

  /** FastAPI's answer to a query parameter of the wrong type. */
  private static JsonObject validationError(String parameter, String input) {
    return new JsonObject()
        .put(
            "detail",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("type", "float_parsing")
                        .put("loc", new JsonArray().add("query").add(parameter))
                        .put(
                            "msg",
                            "Input should be a valid number, unable to parse string as a number")
                        .put("input", input)));
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    send(request, status, "application/json", body.toBuffer());
  }

  private static void send(HttpServerRequest request, int status, String type, Buffer body) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return; // the client gave up (a test's timeout) before a delayed answer
    }
    response.setStatusCode(status).putHeader("Content-Type", type).end(body);
  }

  private static JsonObject readJson(String name) {
    return new JsonObject(readText(name));
  }

  private static String readText(String name) {
    try (InputStream in = FrigateSimulator.class.getResourceAsStream(FIXTURES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What {@code model_dump(exclude_none=True)} leaves: the recorded dump still has its nulls. */
  private static JsonObject withoutNulls(JsonObject object) {
    JsonObject copy = new JsonObject();
    for (Map.Entry<String, Object> entry : object) {
      Object value = entry.getValue();
      if (value instanceof JsonObject nested) {
        copy.put(entry.getKey(), withoutNulls(nested));
      } else if (value != null) {
        copy.put(entry.getKey(), value);
      }
    }
    return copy;
  }
}
