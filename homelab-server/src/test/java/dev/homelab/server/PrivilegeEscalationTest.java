package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabUnauthorizedException;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.files.NewShare;
import dev.homelab.client.files.Share;
import dev.homelab.client.files.StoredFile;
import dev.homelab.client.files.UploadOptions;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.UserPatch;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.Mosquitto;
import dev.homelab.server.features.WebFeature;
import dev.homelab.server.routes.FileRoutes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function-level authorization, privilege changes and data exposure over the whole router
 * (reliability-matrix rows A13 and A14, and A16's route inventory for signed-in callers).
 *
 * <p>Every route the router serves is classified below as admin-only, open to users or open to
 * every signed-in role; a route added without a class fails {@link
 * #everyRouteIsClassifiedAndEachRoleGetsWhatItsClassSays} with its name. Admin-only routes answer a
 * user (session and API key) and a viewer 403 {@code FORBIDDEN} in the standard error body, with
 * real objects in the path and a body the OpenAPI document accepts, so the refusal is the
 * authorization one and not a 404 or a 422, and change nothing; routes that write for users answer
 * a viewer the same. A user cannot promote anyone, write settings, revoke another's API key or set
 * fields the server owns (those are refused with 422). A demotion reaches a session token, an API
 * key and an open stream on the very next request. No response to any GET holds a password hash, a
 * signing key, a token, a key or an upstream's secret.
 *
 * <p>One demo-mode server for the class (every upstream a simulator, so that the upstream routes
 * reach their rules), bridged with a password to the Mosquitto on 127.0.0.1:1883.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PrivilegeEscalationTest {

  private static final String PREFIX = Mosquitto.uniquePrefix("privilege");
  private static final String MQTT_PASSWORD = "mqtt-" + UUID.randomUUID();
  private static final String METRICS_TOKEN = "metrics-" + UUID.randomUUID();
  private static final String FAKE_ID = "01234567-89ab-7def-8123-456789abcdef";
  private static final String SETTING = "privilege.probe";
  private static final String CARD = "04A1B2C3D4";
  private static final String GROUP = "privilege-doors";
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** How long a probe reads an event stream before it leaves. */
  private static final long STREAM_PEEK_MS = 300;

  @TempDir static Path dir;

  static ServerTesting lab;
  static Caller user;
  static Caller viewer;
  static Caller other;
  static String userKey;
  static String otherKey;
  static String otherKeyId;
  static String deviceId;
  static String otherDeviceId;
  static String fileId;
  static String shareId;
  static String uploadId;
  static String automation;

  /** Every secret of this server; none may appear in a response. */
  static final List<String> secrets = new ArrayList<>();

  @RegisterExtension final LogCapture logs = new LogCapture();

  /** A signed-in test user. */
  record Caller(String id, String name, String password, String jwt, HomelabClient client) {}

  /** What a route lets a signed-in caller do; the reason is beside each route below. */
  enum Access {
    /** Administrators only: a user or a viewer gets 403. */
    ADMIN,
    /** Users and administrators: a viewer gets 403, a user is let in. */
    USER,
    /** Every signed-in role is let in (what it sees is its own, or filtered by role). */
    VIEWER,
    /** Its own credential (the metrics token): a session or API key gets 401. */
    OWN_CREDENTIAL
  }

  @BeforeAll
  static void start() throws Exception {
    BlockedThreadGuard.ignoringReports(
        () -> {
          lab =
              ServerTesting.start(
                  dir,
                  Map.of(
                      "ENABLE_MOCK_DATA",
                      "true",
                      "MQTT_URL",
                      "mqtt://127.0.0.1:1883",
                      "MQTT_PASSWORD",
                      MQTT_PASSWORD,
                      "MQTT_SUBSCRIPTIONS",
                      PREFIX + "/#",
                      "MQTT_ACCESS_TOPIC",
                      PREFIX + "/doors",
                      "METRICS_ACCESS",
                      "token",
                      "METRICS_TOKEN",
                      METRICS_TOKEN));
          // The first TLS handshakes warm the JDK's TLS stack: not what is tested here.
          await(lab.client.proxmox().servers());
        });
    TestSecrets.remember(MQTT_PASSWORD);
    TestSecrets.remember(METRICS_TOKEN);
    secrets.add(ServerTesting.ACCESS_TOKEN);
    secrets.add(Files.readString(dir.resolve("jwt_secret")).strip());
    secrets.add(lab.adminJwt);
    secrets.add(MQTT_PASSWORD);
    secrets.add(METRICS_TOKEN);
    lab.server
        .demoUpstreams()
        .configurationKeys()
        .forEach(
            (key, value) -> {
              if (key.endsWith("_PASSWORD") || key.endsWith("_SECRET")) {
                secrets.add(value);
              }
            });
    Awaitility.await().atMost(WAIT).until(() -> await(lab.client.mqtt().topics()).connected());

    user = signUp("pe-user", "user");
    viewer = signUp("pe-viewer", "viewer");
    other = signUp("pe-other", "user");
    userKey = remember(await(user.client.auth().createKey("user-script"))).secret();
    CreatedApiKey created = remember(await(other.client.auth().createKey("other-script")));
    otherKey = created.secret();
    otherKeyId = created.key().id();

    deviceId = await(user.client.devices().create(new NewDevice("pe-lamp", "iot"))).id();
    otherDeviceId = await(other.client.devices().create(new NewDevice("pe-other", "iot"))).id();
    secrets.add(await(user.client.devices().issueToken(deviceId)).token());
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "the user's notes");
    fileId = await(user.client.files().upload(text)).id();
    shareId = await(user.client.files().createShare(fileId, NewShare.create())).id();
    uploadId = await(user.client.files().createUpload(text, UploadOptions.create())).id();

    await(lab.client.settings().put(SETTING, 1));
    await(lab.client.access().createCard(NewCardPolicy.of(CARD).withHolder("Ada")));
    await(lab.client.access().putReaderGroup(GROUP, Set.of("front-door")));
    automation = await(lab.client.automations().list()).automations().get(0).containerName();
    // Rows in the access log and the audit log, for the exposure walk to read.
    await(lab.client.access().check(deviceId, CARD));
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  static Caller signUp(String name, String role) {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    secrets.add(password);
    String id = await(lab.client.users().create(name, password, role)).id();
    String jwt = login(name, password);
    return new Caller(id, name, password, jwt, lab.newClient(jwt));
  }

  static String login(String name, String password) {
    HomelabClient session = lab.newClient(null);
    String jwt = await(session.auth().login(name, password)).jwt();
    await(session.close());
    TestSecrets.remember(jwt);
    secrets.add(jwt);
    return jwt;
  }

  static CreatedApiKey remember(CreatedApiKey key) {
    TestSecrets.remember(key.secret());
    secrets.add(key.secret());
    return key;
  }

  /**
   * Every route of the router but the public ones, with what it lets a signed-in caller do. A new
   * route must be added here, with the reason a user or a viewer may call it.
   */
  static Map<String, Access> classification() {
    Map<String, Access> routes = new LinkedHashMap<>();
    // Administrators only: accounts, audit, settings writes, door policies and decisions, power and
    // automation control, publishing on the home's MQTT broker.
    classify(
        routes,
        Access.ADMIN,
        "GET /api/users",
        "POST /api/users",
        "GET /api/users/:id",
        "PATCH /api/users/:id",
        "DELETE /api/users/:id",
        "PUT /api/settings/:key",
        "DELETE /api/settings/:key",
        "GET /api/audit",
        "POST /api/access/check", // decisions: administrators and the readers' device tokens
        "GET /api/access/logs",
        "GET /api/policies/cards",
        "POST /api/policies/cards",
        "GET /api/policies/cards/:uid",
        "PATCH /api/policies/cards/:uid",
        "DELETE /api/policies/cards/:uid",
        "GET /api/policies/groups",
        "PUT /api/policies/groups/:name",
        "DELETE /api/policies/groups/:name",
        "POST /api/proxmox/:server_id/vm/:vmid/start",
        "POST /api/proxmox/:server_id/vm/:vmid/stop",
        "POST /api/proxmox/:server_id/vm/:vmid/restart",
        "POST /api/automations/:name/start",
        "POST /api/automations/:name/stop",
        "POST /api/automations/:name/restart",
        "POST /api/mqtt/publish");
    // Open to users: each user manages their own devices, files, shares and uploads (others' are
    // 404, see DeviceIsolationTest and FilesHttpTest), sends its own devices' readings, and talks
    // to the AI hub; a viewer writes nothing.
    classify(
        routes,
        Access.USER,
        "POST /api/devices",
        "PATCH /api/devices/:id",
        "DELETE /api/devices/:id",
        "POST /api/devices/:id/token",
        "POST /api/files/upload",
        "PATCH /api/files/:id",
        "DELETE /api/files/:id",
        "POST /api/files/:id/shares",
        "DELETE /api/files/:id/shares/:share_id",
        // tus: an upload in progress is a write, so even its reads are the uploader's
        "OPTIONS /api/files/uploads",
        "POST /api/files/uploads",
        "GET /api/files/uploads/:id",
        "HEAD /api/files/uploads/:id",
        "PATCH /api/files/uploads/:id",
        "DELETE /api/files/uploads/:id",
        "POST /api/sensors/ingest",
        // the AI hub runs commands for its caller: not for viewers
        "POST /api/ai/chat",
        "DELETE /api/ai/chat/:process_id",
        "GET /api/ai/processes");
    // Open to every signed-in role: its own session and API keys (a key's scope never exceeds the
    // role), and reads: its own devices and files, the home's metrics, upstream status and
    // streams, with what only administrators may see filtered out (MQTT door topics, events).
    classify(
        routes,
        Access.VIEWER,
        "POST /api/auth/logout",
        "GET /api/auth/me",
        "GET /api/auth/keys",
        "POST /api/auth/keys",
        "DELETE /api/auth/keys/:id",
        "GET /api/settings",
        "GET /api/settings/:key",
        "GET /api/health/detailed",
        "GET /api/devices",
        "GET /api/devices/:id",
        "GET /api/files",
        "GET /api/files/stats",
        "GET /api/files/:id",
        "GET /api/files/:id/download",
        "HEAD /api/files/:id/download",
        "GET /api/files/:id/shares",
        "GET /api/system",
        "GET /api/system/storage",
        "GET /api/dashboard",
        "GET /api/metrics/host",
        "GET /api/metrics/series",
        "GET /api/metrics/query",
        "GET /api/metrics/server/:server_id",
        "GET /api/metrics/vm/:server_id/:vmid",
        "GET /api/metrics/automation/:name",
        "GET /api/metrics/device/:topic",
        "GET /api/events",
        "GET /ws",
        "GET /api/proxmox/servers",
        "GET /api/proxmox/:server_id/status",
        "GET /api/proxmox/:server_id/vms",
        "GET /api/proxmox/:server_id/vm/:vmid",
        "GET /api/proxmox/:server_id/tasks/:upid",
        "GET /api/frigate/cameras",
        "GET /api/frigate/camera/:name/snapshot",
        "GET /api/frigate/events",
        "GET /api/frigate/stats",
        "GET /api/frigate/events/:id/snapshot",
        "GET /api/frigate/events/:id/clip",
        "GET /api/automations",
        "GET /api/automations/:name",
        "GET /api/automations/:name/logs",
        "GET /api/mqtt/topics",
        "GET /api/mqtt/stream",
        "GET /api/sensors/readings");
    // Prometheus scrapes with its own token (METRICS_ACCESS=token): no session or key opens it.
    routes.put("GET /metrics", Access.OWN_CREDENTIAL);
    return routes;
  }

  private static void classify(Map<String, Access> routes, Access access, String... names) {
    for (String name : names) {
      routes.put(name, access);
    }
  }

  /** Routes without credentials, as AuthApiTest's walk leaves them out. */
  static boolean isPublic(String template, String name) {
    return template.startsWith("/health")
        || name.equals("POST /api/auth/login")
        || name.equals("GET /openapi.json")
        || WebFeature.isWebRoute(template)
        || template.startsWith(FileRoutes.SHARE_PATH);
  }

  /**
   * A body the OpenAPI document accepts for each route that takes JSON, so that no validation can
   * answer before the authorization is judged.
   */
  static JsonObject bodyOf(String name) {
    return switch (name) {
      case "POST /api/users" ->
          new JsonObject()
              .put("username", "mallory")
              .put("password", "mallory-password-1")
              .put("role", "admin");
      case "PATCH /api/users/:id" -> new JsonObject().put("role", "admin");
      case "PUT /api/settings/:key" -> new JsonObject().put("value", 42);
      case "POST /api/access/check" ->
          new JsonObject().put("device_id", deviceId).put("card_uid", CARD);
      case "POST /api/policies/cards" ->
          new JsonObject().put("uid", "04FFEEDDCC").put("holder", "Mallory").put("enabled", true);
      case "PATCH /api/policies/cards/:uid" -> new JsonObject().put("holder", "Mallory");
      case "PUT /api/policies/groups/:name" ->
          new JsonObject().put("readers", new JsonArray().add("back-door"));
      case "POST /api/mqtt/publish" ->
          new JsonObject().put("topic", PREFIX + "/doors/front").put("payload", "open");
      case "POST /api/devices" -> new JsonObject().put("name", "probe").put("device_type", "iot");
      case "PATCH /api/devices/:id" -> new JsonObject().put("name", "renamed");
      case "PATCH /api/files/:id" -> new JsonObject().put("filename", "renamed.txt");
      case "POST /api/files/:id/shares" -> new JsonObject().put("max_downloads", 1);
      case "POST /api/sensors/ingest" ->
          new JsonObject().put("device_id", deviceId).put("temperature", 21.5);
      case "POST /api/ai/chat" -> new JsonObject().put("message", "hello");
      case "POST /api/auth/keys" -> new JsonObject().put("name", "probe");
      default -> null;
    };
  }

  /** A route's path with real objects for its parameters, so that a 404 cannot come first. */
  static String concrete(String template) {
    String path = template;
    if (template.startsWith("/api/users/")) {
      path = path.replace(":id", other.id());
    } else if (template.startsWith("/api/devices/")) {
      path = path.replace(":id", deviceId);
    } else if (template.startsWith("/api/files/uploads/")) {
      path = path.replace(":id", uploadId);
    } else if (template.startsWith("/api/files/")) {
      path = path.replace(":id", fileId).replace(":share_id", shareId);
    } else if (template.startsWith("/api/auth/keys/")) {
      path = path.replace(":id", otherKeyId);
    } else if (template.startsWith("/api/policies/groups/")) {
      path = path.replace(":name", GROUP);
    } else if (template.startsWith("/api/automations/")
        || template.startsWith("/api/metrics/automation/")) {
      path = path.replace(":name", automation);
    }
    path =
        path.replace(":key", SETTING)
            .replace(":uid", CARD)
            .replace(":server_id", "nas")
            .replace(":vmid", "101");
    return path.replaceAll(":[A-Za-z0-9_]+", FAKE_ID);
  }

  /** What a route answered: for an event stream, what it sent in its first moments. */
  record Answer(int status, String contentType, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }

    @Override
    public String toString() {
      return status + " " + (body.length() > 200 ? body.substring(0, 200) + "..." : body);
    }
  }

  /**
   * A raw client of its own, closed with its connection after the call: a probe of a stream leaves
   * the stream halfway, and no call inherits a connection another left in any state.
   */
  static HttpClient rawClient() {
    return lab.vertx.createHttpClient(
        new HttpClientOptions()
            .setDefaultHost("127.0.0.1")
            .setDefaultPort(lab.server.port())
            .setKeepAlive(false));
  }

  /** The routes that answer with an event stream, which a probe reads only for a moment. */
  static boolean isStream(String path) {
    return path.equals("/api/events")
        || path.startsWith("/api/mqtt/stream")
        || path.matches("/api/automations/[^/]+/logs")
        || path.equals("/api/ai/chat");
  }

  static Answer call(HttpMethod method, String path, String token, JsonObject body) {
    if (!isStream(path)) {
      HttpRequest<Buffer> request = lab.web.request(method, path).timeout(15_000);
      if (token != null) {
        request.bearerTokenAuthentication(token);
      }
      HttpResponse<Buffer> response =
          await(body == null ? request.send() : request.sendJsonObject(body));
      String text = response.bodyAsString();
      return new Answer(
          response.statusCode(), response.getHeader("Content-Type"), text == null ? "" : text);
    }
    HttpClient http = rawClient();
    return await(
        http.request(method, path)
            .compose(
                request -> {
                  if (token != null) {
                    request.putHeader("Authorization", "Bearer " + token);
                  }
                  if (body == null) {
                    return request.send();
                  }
                  request.putHeader("Content-Type", "application/json");
                  return request.send(body.toBuffer());
                })
            .compose(PrivilegeEscalationTest::read)
            .eventually(http::close));
  }

  private static Future<Answer> read(HttpClientResponse response) {
    String type = response.getHeader("Content-Type");
    if (type == null || !type.startsWith("text/event-stream")) {
      return response.body().map(b -> new Answer(response.statusCode(), type, b.toString()));
    }
    Promise<Answer> done = Promise.promise();
    StringBuffer seen = new StringBuffer();
    response.handler(b -> seen.append(b.toString()));
    response.endHandler(v -> done.tryComplete(new Answer(response.statusCode(), type, seen + "")));
    // The stream is left open: closing the call's client ends it.
    lab.vertx.setTimer(
        STREAM_PEEK_MS,
        id -> done.tryComplete(new Answer(response.statusCode(), type, seen.toString())));
    return done.future();
  }

  /** The state that an admin-only route could change: it must be the same after the refusals. */
  static JsonObject adminState() {
    return new JsonObject()
        .put("users", call(HttpMethod.GET, "/api/users", lab.adminJwt, null).body())
        .put("settings", call(HttpMethod.GET, "/api/settings", lab.adminJwt, null).body())
        .put("cards", call(HttpMethod.GET, "/api/policies/cards", lab.adminJwt, null).body())
        .put("groups", call(HttpMethod.GET, "/api/policies/groups", lab.adminJwt, null).body())
        .put("vm 101", await(lab.client.proxmox().vm("nas", 101)).status())
        .put("automation", await(lab.client.automations().get(automation)).status())
        .put(
            "access decisions",
            await(lab.client.access().logs()).items().size()); // a refused check decides nothing
  }

  /**
   * Acceptance of rows A13 and A16: the route inventory is the router's, every route is classified,
   * and each role gets exactly what its class says.
   */
  @Test
  void everyRouteIsClassifiedAndEachRoleGetsWhatItsClassSays() {
    Map<String, Access> classes = classification();
    String userProbeKey = userKey;
    List<String> unclassified = new ArrayList<>();
    Map<String, String> wrong = new TreeMap<>();
    Set<String> walked = new TreeSet<>();
    JsonObject before = adminState();
    for (Route route : lab.server.router().getRoutes()) {
      if (route.getPath() == null || route.methods() == null) {
        continue; // global handlers (request id, access log, timeout, failure) and 405s
      }
      String template = route.getPath();
      for (HttpMethod method : route.methods()) {
        String name = method + " " + template;
        if (isPublic(template, name)) {
          continue;
        }
        Access access = classes.get(name);
        if (access == null) {
          unclassified.add(name);
          continue;
        }
        walked.add(name);
        JsonObject body = bodyOf(name);
        String path = concrete(template);
        if (body != null) {
          assertThat(validRequestBody(method, path, body)).as(name + " body").isNull();
        }
        switch (access) {
          case ADMIN -> {
            forbidden(wrong, name + " as user", call(method, path, user.jwt(), body), method);
            forbidden(
                wrong, name + " as user's key", call(method, path, userProbeKey, body), method);
            forbidden(wrong, name + " as viewer", call(method, path, viewer.jwt(), body), method);
          }
          case USER -> {
            forbidden(wrong, name + " as viewer", call(method, path, viewer.jwt(), body), method);
            // The user is let in: with unknown ids nothing of theirs changes (a 404), a create
            // makes a new object.
            String unknown = template.replaceAll(":[A-Za-z0-9_]+", FAKE_ID);
            letIn(wrong, name + " as user", call(method, unknown, user.jwt(), body));
          }
          case VIEWER -> {
            String token =
                name.equals("POST /api/auth/logout")
                    ? login(viewer.name(), viewer.password()) // not the session the test uses
                    : viewer.jwt();
            letIn(wrong, name + " as viewer", call(method, path, token, body));
          }
          case OWN_CREDENTIAL -> {
            for (String token : List.of(user.jwt(), viewer.jwt(), lab.adminJwt)) {
              int status = call(method, path, token, body).status();
              if (status != 401) {
                wrong.put(name + " with a session", String.valueOf(status));
              }
            }
          }
        }
      }
    }
    assertThat(unclassified)
        .as("routes PrivilegeEscalationTest does not classify: add each with who may call it")
        .isEmpty();
    assertThat(classes.keySet())
        .as("classified routes the router does not serve")
        .containsExactlyInAnyOrderElementsOf(walked);
    assertThat(wrong).as("answers that disagree with the classification").isEmpty();
    assertThat(adminState()).as("what the refused calls could have changed").isEqualTo(before);
    // The other user's key survived a viewer's DELETE of it.
    assertThat(await(lab.newClient(otherKey).auth().me()).id()).isEqualTo(other.id());
  }

  /**
   * A11, generated from the router: every route whose path names one user's object (a device, a
   * file with its download and shares, an upload, an API key) answers another user exactly as it
   * answers an id that does not exist (status and error code), never 2xx, and changes nothing.
   * Every other route with a path parameter must be listed as naming something shared, or the test
   * fails naming it: a new object route is picked up.
   */
  @Test
  void everyRouteToAnotherUsersObjectAnswersAsForOneThatDoesNotExist() {
    // Path prefixes whose parameters name a user's own object, and the owner of the object that
    // concrete() puts there.
    Map<String, Caller> ownedBy = new LinkedHashMap<>();
    ownedBy.put("/api/devices/", user);
    ownedBy.put("/api/files/", user);
    ownedBy.put("/api/auth/keys/", other);
    // Parameters that name what every signed-in caller shares, or only administrators manage. An AI
    // hub process is a user's through its session, which only a running chat gives it: checked by
    // AiApiTest#aUserSeesStopsAndContinuesOnlyTheSessionsOfTheirOwnChats.
    List<String> shared =
        List.of(
            "/api/users/",
            "/api/settings/",
            "/api/policies/",
            "/api/proxmox/",
            "/api/frigate/",
            "/api/automations/",
            "/api/metrics/",
            "/api/ai/chat/");
    List<String> unlisted = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    Map<String, String> wrong = new TreeMap<>();
    JsonObject before = adminState();
    for (Route route : lab.server.router().getRoutes()) {
      String template = route.getPath();
      if (template == null || route.methods() == null || !template.contains(":")) {
        continue;
      }
      Caller owner =
          ownedBy.entrySet().stream()
              .filter(entry -> template.startsWith(entry.getKey()))
              .map(Map.Entry::getValue)
              .findFirst()
              .orElse(null);
      for (HttpMethod method : route.methods()) {
        String name = method + " " + template;
        if (isPublic(template, name)) {
          continue;
        }
        if (owner == null) {
          if (shared.stream().noneMatch(template::startsWith)) {
            unlisted.add(name);
          }
          continue;
        }
        Caller stranger = owner == user ? other : user;
        checked.add(name);
        JsonObject body = bodyOf(name);
        Answer theirs = call(method, concrete(template), stranger.jwt(), body);
        Answer missing =
            call(method, template.replaceAll(":[A-Za-z0-9_]+", FAKE_ID), stranger.jwt(), body);
        if (theirs.status() / 100 == 2
            || theirs.status() != missing.status()
            || !errorCode(theirs).equals(errorCode(missing))) {
          wrong.put(name + " as another user", theirs + " where a missing id got " + missing);
        }
      }
    }
    assertThat(unlisted)
        .as("routes with a path parameter this test lists neither as a user's object nor shared")
        .isEmpty();
    assertThat(checked)
        .contains(
            "GET /api/devices/:id",
            "POST /api/devices/:id/token",
            "GET /api/files/:id/download",
            "DELETE /api/files/:id/shares/:share_id",
            "PATCH /api/files/uploads/:id",
            "DELETE /api/auth/keys/:id");
    assertThat(wrong).as("another user's object told apart from a missing one").isEmpty();
    assertThat(adminState()).isEqualTo(before);
    // The owners' objects are all there.
    assertThat(await(user.client.devices().get(deviceId)).id()).isEqualTo(deviceId);
    assertThat(await(user.client.files().get(fileId)).id()).isEqualTo(fileId);
    assertThat(await(user.client.files().shares(fileId))).extracting(Share::id).contains(shareId);
    assertThat(await(lab.newClient(otherKey).auth().me()).id()).isEqualTo(other.id());
  }

  private static String errorCode(Answer answer) {
    try {
      return answer.json().getString("error_code", "");
    } catch (RuntimeException notJson) {
      return ""; // a HEAD answer, or one without a body
    }
  }

  /** 403 with the standard error body, {@code FORBIDDEN}. */
  private static void forbidden(
      Map<String, String> wrong, String what, Answer answer, HttpMethod method) {
    if (answer.status() != 403) {
      wrong.put(what, answer.toString());
      return;
    }
    if (method == HttpMethod.HEAD) {
      return; // a HEAD answer has no body
    }
    JsonObject error;
    try {
      error = answer.json();
    } catch (RuntimeException notJson) {
      wrong.put(what, "403 without a JSON body: " + answer);
      return;
    }
    if (!"FORBIDDEN".equals(error.getString("error_code"))
        || error.getString("detail", "").isBlank()
        || !parses(error.getString("timestamp"))) {
      wrong.put(what, "403 without the standard error body: " + answer);
    }
  }

  private static boolean parses(String timestamp) {
    try {
      Instant.parse(timestamp);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void letIn(Map<String, String> wrong, String what, Answer answer) {
    if (answer.status() == 401 || answer.status() == 403) {
      wrong.put(what, answer.toString());
    }
  }

  /** {@code null} if the document's request schema accepts the body, else why not. */
  private static String validRequestBody(HttpMethod method, String path, JsonObject body) {
    JsonObject operation = OpenApiDocument.SERVED.operation(method.name(), path);
    if (operation == null) {
      return "not documented";
    }
    JsonObject schema =
        operation
            .getJsonObject("requestBody")
            .getJsonObject("content")
            .getJsonObject("application/json")
            .getJsonObject("schema");
    var unit = OpenApiDocument.SERVED.validator(schema).validate(body);
    return unit.getValid() ? null : OpenApiDocument.firstError(unit);
  }

  /** A14 and A13: a user can change no one's role, its own included. */
  @Test
  void aUserCannotPromoteItselfOrAnyone() {
    for (String target : List.of(user.id(), other.id())) {
      HomelabHttpException refused =
          (HomelabHttpException)
              awaitFailure(
                  user.client().users().update(target, UserPatch.empty().withRole("admin")));
      assertThat(refused).isInstanceOf(HomelabForbiddenException.class);
      assertThat(refused.errorCode()).isEqualTo("FORBIDDEN");
      // Nor with the fields of a user object slipped in beside the role.
      Answer raw =
          call(
              HttpMethod.PATCH,
              "/api/users/" + target,
              user.jwt(),
              new JsonObject().put("role", "admin").put("id", target).put("builtin", true));
      assertThat(raw.status()).isEqualTo(403);
    }
    assertThat(await(lab.client.users().get(user.id())).role()).isEqualTo("user");
    assertThat(await(lab.client.users().get(other.id())).role()).isEqualTo("user");
    assertThat(await(user.client().auth().me()).role()).isEqualTo("user");
    // There is no /api/users/me: the path is an admin route's, and it answers a user 403.
    assertThat(call(HttpMethod.GET, "/api/users/me", user.jwt(), null).status()).isEqualTo(403);
    assertThat(
            call(
                    HttpMethod.PATCH,
                    "/api/users/me",
                    user.jwt(),
                    new JsonObject().put("role", "admin"))
                .status())
        .isEqualTo(403);
    // A key cannot carry more than its owner's role either.
    HomelabHttpException key =
        (HomelabHttpException) awaitFailure(user.client().auth().createKey("root", "admin", null));
    assertThat(key.status()).isEqualTo(422);
  }

  /** A13: settings are an administrator's. */
  @Test
  void aUserCannotWriteSettings() {
    for (Caller caller : List.of(user, viewer)) {
      assertThat(awaitFailure(caller.client().settings().put(SETTING, 7)))
          .isInstanceOf(HomelabForbiddenException.class);
      assertThat(awaitFailure(caller.client().settings().put("brand.new", 7)))
          .isInstanceOf(HomelabForbiddenException.class);
      assertThat(awaitFailure(caller.client().settings().delete(SETTING)))
          .isInstanceOf(HomelabForbiddenException.class);
    }
    assertThat(await(lab.client.settings().get(SETTING)).value()).isEqualTo(1);
    assertThat(awaitFailure(lab.client.settings().get("brand.new")))
        .isInstanceOf(HomelabNotFoundException.class);
  }

  /** A14: another user's API key is a foreign object: 404, and it keeps working. */
  @Test
  void aUserCannotRevokeAnotherUsersApiKey() {
    for (Caller caller : List.of(user, viewer)) {
      HomelabHttpException refused =
          (HomelabHttpException) awaitFailure(caller.client().auth().revokeKey(otherKeyId));
      // The same answer as for a key that does not exist: nothing tells the two apart.
      HomelabHttpException unknown =
          (HomelabHttpException) awaitFailure(caller.client().auth().revokeKey("0123456789abcdef"));
      assertThat(refused).isInstanceOf(HomelabNotFoundException.class);
      assertThat(refused.errorCode()).isEqualTo("API_KEY_NOT_FOUND").isEqualTo(unknown.errorCode());
    }
    assertThat(await(other.client().auth().keys())).extracting(k -> k.id()).contains(otherKeyId);
    HomelabClient bot = lab.newClient(otherKey);
    assertThat(await(bot.auth().me()).id()).isEqualTo(other.id());
    await(bot.close());
  }

  /**
   * A14: the fields the server owns (ids, owners, times, roles, hashes) cannot be set through a
   * create or a patch: every request schema is closed, so they are refused with 422 naming the
   * field, and the stored object is unchanged and its caller's.
   */
  @Test
  void serverOwnedFieldsAreRefusedOnEveryCreateAndPatch() throws Exception {
    Map<String, Object> owned = new LinkedHashMap<>();
    owned.put("id", FAKE_ID);
    owned.put("owner", other.id());
    owned.put("owner_id", other.id());
    owned.put("ownerId", other.id());
    owned.put("user_id", other.id());
    owned.put("created_at", "2000-01-01T00:00:00Z");
    owned.put("updated_at", "2000-01-01T00:00:00Z");
    owned.put("has_token", true);
    owned.put("role", "admin");
    Device device = await(user.client().devices().get(deviceId));
    StoredFile file = await(user.client().files().get(fileId));
    int keys = await(user.client().auth().keys()).size();
    Map<String, Answer> answers = new LinkedHashMap<>();
    for (Map.Entry<String, Object> field : owned.entrySet()) {
      String f = field.getKey();
      Object v = field.getValue();
      answers.put(
          "POST /api/devices " + f,
          call(
              HttpMethod.POST,
              "/api/devices",
              user.jwt(),
              new JsonObject().put("name", "sneaky").put("device_type", "iot").put(f, v)));
      answers.put(
          "PATCH /api/devices/:id " + f,
          call(
              HttpMethod.PATCH,
              "/api/devices/" + deviceId,
              user.jwt(),
              new JsonObject().put("name", "sneaky").put(f, v)));
      answers.put(
          "POST /api/auth/keys " + f,
          call(
              HttpMethod.POST,
              "/api/auth/keys",
              user.jwt(),
              new JsonObject().put("name", "sneaky").put(f, v)));
      answers.put(
          "PATCH /api/files/:id " + f,
          call(
              HttpMethod.PATCH,
              "/api/files/" + fileId,
              user.jwt(),
              new JsonObject().put("filename", "sneaky.txt").put(f, v)));
      // Administrators cannot set them either.
      answers.put(
          "POST /api/users " + f,
          call(
              HttpMethod.POST,
              "/api/users",
              lab.adminJwt,
              new JsonObject()
                  .put("username", "sneaky")
                  .put("password", "sneaky-password-1")
                  .put("role", "user")
                  .put(f.equals("role") ? "builtin" : f, f.equals("role") ? true : v)));
      answers.put(
          "PATCH /api/users/:id " + f,
          call(
              HttpMethod.PATCH,
              "/api/users/" + user.id(),
              lab.adminJwt,
              new JsonObject()
                  .put("disabled", false)
                  .put(f.equals("role") ? "username" : f, f.equals("role") ? "renamed" : v)));
    }
    Map<String, String> accepted = new TreeMap<>();
    answers.forEach(
        (what, answer) -> {
          if (answer.status() != 422
              || !"VALIDATION_FAILED".equals(answer.json().getString("error_code"))) {
            accepted.put(what, answer.toString());
          }
        });
    assertThat(accepted).as("server-owned fields that were not refused with 422").isEmpty();

    // An upload's form takes no owner either.
    var form =
        MultipartForm.create()
            .attribute("owner_id", other.id())
            .textFileUpload("file", "sneaky.txt", Buffer.buffer("x"), "text/plain");
    var upload =
        await(
            lab.web
                .post("/api/files/upload")
                .bearerTokenAuthentication(user.jwt())
                .sendMultipartForm(form));
    assertThat(upload.statusCode()).isEqualTo(422);

    assertThat(await(user.client().devices().get(deviceId))).isEqualTo(device);
    assertThat(await(user.client().devices().list()).items())
        .allSatisfy(d -> assertThat(d.owner()).isEqualTo(user.id()))
        .extracting(Device::name)
        .doesNotContain("sneaky");
    assertThat(await(other.client().devices().list()).items())
        .extracting(Device::id)
        .containsExactly(otherDeviceId);
    assertThat(await(user.client().files().get(fileId))).isEqualTo(file);
    assertThat(await(user.client().auth().keys())).hasSize(keys);
    assertThat(await(lab.client.users().list()))
        .extracting(u -> u.username())
        .doesNotContain("sneaky");
    assertThat(await(lab.client.users().get(user.id())).username()).isEqualTo(user.name());
  }

  /**
   * A13: a demotion reaches an API key on the very next request (AuthApiTest shows it for a session
   * token), and an administrator's session loses the admin routes at once.
   */
  @Test
  void aDemotionReachesSessionsAndApiKeysOnTheNextRequest() {
    Caller dana = signUp("pe-dana", "user");
    HomelabClient bot =
        lab.newClient(remember(await(dana.client().auth().createKey("bot"))).secret());
    await(bot.devices().create(new NewDevice("before", "iot")));
    await(lab.client.users().update(dana.id(), UserPatch.empty().withRole("viewer")));
    assertThat(awaitFailure(bot.devices().create(new NewDevice("after", "iot"))))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(await(bot.auth().me()).role()).isEqualTo("viewer");
    await(lab.client.users().update(dana.id(), UserPatch.empty().withRole("user")));
    assertThat(await(bot.auth().me()).role()).isEqualTo("user");
    await(lab.client.users().delete(dana.id()));
    assertThat(awaitFailure(bot.auth().me())).isInstanceOf(HomelabUnauthorizedException.class);
    await(bot.close());

    Caller ops = signUp("pe-ops", "admin");
    assertThat(await(ops.client().users().list())).isNotEmpty();
    await(lab.client.users().update(ops.id(), UserPatch.empty().withRole("user")));
    assertThat(awaitFailure(ops.client().users().list()))
        .isInstanceOf(HomelabForbiddenException.class);
    assertThat(awaitFailure(ops.client().settings().put(SETTING, 3)))
        .isInstanceOf(HomelabForbiddenException.class);
  }

  /** An event stream read raw: what it sent, and whether it ended. */
  static final class Stream {
    final StringBuffer text = new StringBuffer();
    final HttpClient http = rawClient();
    volatile boolean ended;
    volatile int status;

    void close() {
      await(http.close());
    }
  }

  static Stream open(String path, String token) {
    Stream stream = new Stream();
    await(
        stream
            .http
            .request(HttpMethod.GET, path)
            .compose(
                request -> {
                  request.putHeader("Authorization", "Bearer " + token);
                  return request.send();
                })
            .map(
                response -> {
                  stream.status = response.statusCode();
                  response.handler(b -> stream.text.append(b.toString()));
                  response.endHandler(v -> stream.ended = true);
                  response.exceptionHandler(e -> stream.ended = true);
                  return response;
                }));
    assertThat(stream.status).as(path).isEqualTo(200);
    Awaitility.await().atMost(WAIT).until(() -> stream.text.indexOf(": connected") >= 0);
    return stream;
  }

  /**
   * A13: the streams that pass on an upstream's feed (MQTT messages, an automation's log) end at
   * once when their caller is demoted or deleted, as {@code /api/events} does
   * (EventStreamContract): a demoted administrator no longer reads the door topics, a deleted user
   * nothing at all.
   */
  @Test
  void openStreamsOfADemotedOrDeletedCallerEnd() {
    Caller ops = signUp("pe-stream-admin", "admin");
    Stream mqtt = open("/api/mqtt/stream?filter=" + PREFIX + "/%23", ops.jwt());
    try {
      Mosquitto.publish(PREFIX + "/doors/front", "card 04A1B2C3D4 scanned", false);
      Awaitility.await().atMost(WAIT).until(() -> mqtt.text.indexOf("card 04A1B2C3D4") >= 0);
      await(lab.client.users().update(ops.id(), UserPatch.empty().withRole("user")));
      Awaitility.await().atMost(WAIT).until(() -> mqtt.ended);
      assertThat(mqtt.text.toString()).contains("event: close").contains("role changed");
    } finally {
      mqtt.close();
    }

    Caller eve = signUp("pe-stream-user", "user");
    Stream log = open("/api/automations/" + automation + "/logs", eve.jwt());
    Stream events = open("/api/events", eve.jwt());
    try {
      await(lab.client.users().delete(eve.id()));
      Awaitility.await().atMost(WAIT).until(() -> log.ended && events.ended);
      assertThat(log.text.toString()).contains("event: close").contains("no longer valid");
    } finally {
      log.close();
      events.close();
    }
  }

  /**
   * A14: no answer to any GET the router serves, to an administrator or a viewer, holds a password
   * hash, the signing key, a session token, an API key or device token, the MQTT password or an
   * upstream's secret; and no JSON answer has a field named for a password or a secret.
   */
  @Test
  void noAnswerHoldsASecret() {
    // The stored forms (Passwords writes pbkdf2-sha256$...), not the word: the document names it.
    Pattern hashes =
        Pattern.compile("\\$argon2|\\$2[aby]\\$|pbkdf2[a-z0-9-]*\\$|\\$s0\\$|scrypt\\$");
    Pattern secretField = Pattern.compile("(?i).*(password|secret|hash).*");
    List<String> stored = new ArrayList<>(secrets);
    for (Caller caller : List.of(user, viewer, other)) {
      String hash =
          await(lab.server.storage().repositories().users().byId(caller.id())).passwordHash();
      assertThat(hashes.matcher(hash).find()).as("the stored form the walk looks for").isTrue();
      stored.add(hash.substring(hash.lastIndexOf('$') + 1)); // the hash itself, without its salt
    }
    Map<String, String> leaks = new TreeMap<>();
    int read = 0;
    for (Route route : lab.server.router().getRoutes()) {
      if (route.getPath() == null
          || route.methods() == null
          || !route.methods().contains(HttpMethod.GET)) {
        continue;
      }
      String template = route.getPath();
      String path = concrete(template);
      if (template.equals("/api/audit") || template.equals("/api/access/logs")) {
        path += "?limit=500";
      }
      Map<String, String> tokens = new LinkedHashMap<>();
      if (template.equals("/metrics")) {
        tokens.put("metrics token", METRICS_TOKEN);
      } else {
        tokens.put("admin", lab.adminJwt);
        tokens.put("viewer", viewer.jwt()); // what a user sees lies between the two
      }
      for (Map.Entry<String, String> caller : tokens.entrySet()) {
        Answer answer = call(HttpMethod.GET, path, caller.getValue(), null);
        read++;
        String what = "GET " + template + " as " + caller.getKey();
        String body = answer.body();
        if (hashes.matcher(body.toLowerCase(Locale.ROOT)).find()) {
          leaks.put(what, "a password hash");
        }
        for (String secret : stored) {
          if (body.contains(secret)) {
            leaks.put(what, "a secret of " + secret.length() + " characters");
          }
        }
        if (answer.contentType() != null
            && answer.contentType().startsWith("application/json")
            && !template.equals("/openapi.json")) { // it names the request fields that take them
          Object json = io.vertx.core.json.Json.decodeValue(body);
          List<String> fields = new ArrayList<>();
          fieldNames(json, fields);
          for (String field : fields) {
            if (secretField.matcher(field).matches()) {
              leaks.put(what, "a field named " + field);
            }
          }
        }
      }
    }
    assertThat(read).isGreaterThan(100);
    assertThat(leaks).as("answers that hold a secret").isEmpty();
    // The one answer that shows a key is the one that creates it.
    Answer created =
        call(HttpMethod.POST, "/api/auth/keys", viewer.jwt(), new JsonObject().put("name", "once"));
    String secret = created.json().getString("key");
    TestSecrets.remember(secret);
    assertThat(call(HttpMethod.GET, "/api/auth/keys", viewer.jwt(), null).body())
        .doesNotContain(secret);
  }

  private static void fieldNames(Object json, List<String> into) {
    if (json instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        into.add(entry.getKey());
        fieldNames(entry.getValue(), into);
      }
    } else if (json instanceof JsonArray array) {
      for (Object item : array) {
        fieldNames(item, into);
      }
    }
  }
}
