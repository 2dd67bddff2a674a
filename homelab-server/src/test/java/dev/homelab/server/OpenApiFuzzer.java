package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;

import dev.homelab.server.features.WebFeature;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A property test of the server against its own /openapi.json: for every operation it sends seeded
 * random requests, valid ones built from the document's schemas and broken ones (a field missing,
 * of the wrong type, out of range, too long, empty, exotic Unicode, control characters, null,
 * unknown; malformed JSON; odd path and query values; no or a lesser credential), and checks every
 * answer:
 *
 * <ul>
 *   <li>no 5xx;
 *   <li>the status is one the document lists for the operation (404 and 405 also where a broken
 *       path no longer names the operation);
 *   <li>a request the document allows is not refused with 422 (except for the few rules it states
 *       in words only, listed in {@link #SEMANTIC_RULES}), and one it refuses is not accepted;
 *   <li>the {@code Content-Type}, the body against the documented schema (errors against the
 *       standard error body, with exactly its four fields, and {@code field} on a 422), {@code
 *       WWW-Authenticate} on 401 and {@code Retry-After} on 429.
 * </ul>
 *
 * <p>It is written for the server as it should be: lenient JSON (duplicate keys, {@code 1e400},
 * lone surrogates, comments) is expected to be 400, other media types 415, U+0000 in a string 422,
 * and the HTTP layer's refusals (414, 431) to carry the standard error body. Every disagreement is
 * collected and reported at once, each with the operation, the request, the status and the reason.
 * The run is bounded by a number of requests per operation and a wall-clock budget.
 */
final class OpenApiFuzzer {

  /** The seed of a run: {@code -Dhomelab.fuzz.seed}, else random (and printed). */
  static final String SEED_PROPERTY = "homelab.fuzz.seed";

  /** Requests per operation: {@code -Dhomelab.fuzz.requests}, default 80. */
  static final String REQUESTS_PROPERTY = "homelab.fuzz.requests";

  /**
   * Wall-clock budget in seconds: {@code -Dhomelab.fuzz.seconds}, else the test's default (15 s on
   * SQLite, 10 s on PostgreSQL: the round robin still reaches every operation several times, each
   * run draws a new seed, and the suite must stay under 15 minutes; a longer hunt is {@code
   * -Dhomelab.fuzz.seconds=600}).
   */
  static final String SECONDS_PROPERTY = "homelab.fuzz.seconds";

  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  /**
   * Rules the document states in words, not in a schema: a request valid by the schemas may still
   * be refused with 422 naming one of these fields (from before to, an expiry in the future, a
   * known time zone, a schedule window that is not empty, an API key scope within the caller's
   * role, a decimal card number within 16 bytes, distinct tag keys).
   */
  static final Map<String, Set<String>> SEMANTIC_RULES =
      Map.ofEntries(
          Map.entry("GET /api/metrics/host", Set.of("from", "to", "period")),
          // Tags inside a multipart field or base64 tus metadata, which no schema reaches; and the
          // files' lengths of q and of a tag, which core counts in UTF-16 units where the document
          // counts code points (an emoji is one to the document, two to the server).
          Map.entry("POST /api/files/upload", Set.of("tags")),
          Map.entry("POST /api/files/uploads", Set.of("tags")),
          Map.entry("GET /api/files", Set.of("q", "tag")),
          Map.entry("PATCH /api/files/{id}", Set.of("tags")),
          Map.entry("GET /api/metrics/query", Set.of("from", "to", "period", "series", "tier")),
          Map.entry("GET /api/audit", Set.of("to")),
          Map.entry("GET /api/access/logs", Set.of("from", "to", "card_uid")),
          Map.entry("POST /api/auth/keys", Set.of("expires_at", "scope")),
          Map.entry(
              "POST /api/policies/cards",
              Set.of("uid", "valid_until", "schedule.time_zone", "schedule.windows.end")),
          Map.entry(
              "PATCH /api/policies/cards/{uid}",
              Set.of("uid", "valid_until", "schedule.time_zone", "schedule.windows.end")),
          Map.entry("GET /api/policies/cards/{uid}", Set.of("uid")),
          Map.entry("DELETE /api/policies/cards/{uid}", Set.of("uid")),
          Map.entry("POST /api/access/check", Set.of("card_uid")),
          // A device must exist and be the caller's; a time must be within the metrics lateness; a
          // field name must suit a series; a batch names the reading (readings[].<field>).
          Map.entry(
              "GET /api/sensors/readings", Set.of("from", "to", "period", "device_id", "fields")),
          Map.entry(
              "POST /api/sensors/ingest",
              Set.of(
                  "device_id",
                  "ts",
                  "timestamp",
                  "values",
                  "readings",
                  "readings[].device_id",
                  "readings[].ts",
                  "readings[].timestamp",
                  "readings[]")));

  /** Operations whose answer is a stream: only the status and the head are checked on success. */
  private static final Set<String> STREAMS = Set.of("GET /api/events", "GET /ws");

  /** Slow operations (a password hash each): fewer requests. */
  private static final Map<String, Integer> FEWER =
      Map.of("POST /api/auth/login", 12, "POST /api/users", 12, "PATCH /api/users/{id}", 12);

  private static final String[] UNICODE = {
    "\uD83D\uDE00\uD83D\uDC4D", // emoji
    "\u05E9\u05DC\u05D5\u05DD \u0645\u0631\u062D\u0628\u0627", // Hebrew and Arabic (RTL)
    "e\u0301\u0301\u0301", // combining marks
    "\u202Eevil\u202C", // RTL override
    "\u4E2D\u6587", // CJK
    "\uFEFFbom",
    "a\u00A0b",
  };

  private static final String[] CONTROL = {
    "a\u0000b", "\u0000", "a\u0007b", "a\u001Bb", "a\u007Fb"
  };

  private final ServerTesting lab;
  private final String store;
  private final JsonObject doc;
  private final long seed;
  private final Random random;
  private final PatternSamples patterns;
  private final int perOperation;
  private final Duration budget;
  private final List<Finding> findings = new ArrayList<>();
  private final Map<String, List<String>> pools = new HashMap<>();
  private final HttpClient http;
  private String viewerJwt;
  private String viewerPassword;
  private int sent;
  private final Map<String, Integer> tally = new TreeMap<>();

  /** One disagreement. */
  record Finding(String operation, String request, int status, String reason) {}

  /** A request about to be sent, and what the document says of it. */
  private static final class Attempt {
    String operation;
    String label;
    HttpMethod method;
    String uri;
    final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    Buffer body;

    /** null: the document allows the request; else why it refuses it. */
    String invalid;

    /** The path no longer names the operation for sure: 404 and 405 are fine. */
    boolean pathBroken;

    /** The body's JSON is malformed in a way the server must answer 400. */
    boolean expect400;

    /** The body's media type is one the server must answer 415. */
    boolean expect415;

    /** A string holds U+0000, which the server must refuse with 422 (or 400). */
    boolean nul;

    /** A string holds another control character, which the server may refuse with 422. */
    boolean control;

    String credential = "admin";

    String describe() {
      String text =
          "["
              + label
              + "] "
              + method
              + " "
              + uri
              + (credential.equals("admin") ? "" : " as " + credential)
              + (body == null ? "" : " body " + body.toString(StandardCharsets.UTF_8));
      text = escape(text);
      return text.length() > 240
          ? text.substring(0, 160)
              + "...("
              + text.length()
              + " chars)..."
              + text.substring(text.length() - 60)
          : text;
    }
  }

  private record Answer(int status, MultiMap headers, Buffer body) {}

  OpenApiFuzzer(ServerTesting lab, String store, int defaultSeconds) {
    this.lab = lab;
    this.store = store;
    this.doc = OpenApiDocument.SERVED.json();
    String given = System.getProperty(SEED_PROPERTY);
    this.seed = given == null || given.isBlank() ? new Random().nextLong() : Long.parseLong(given);
    this.random = new Random(seed);
    this.patterns = new PatternSamples(random);
    this.perOperation = Integer.getInteger(REQUESTS_PROPERTY, 80);
    this.budget = Duration.ofSeconds(Integer.getInteger(SECONDS_PROPERTY, defaultSeconds));
    this.http =
        lab.vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(lab.server.port())
                .setMaxInitialLineLength(1 << 20)
                .setKeepAlive(false));
  }

  long seed() {
    return seed;
  }

  int sent() {
    return sent;
  }

  /**
   * @return how many requests of each kind (valid, allowed by the document though broken, refused
   *     by it) got which class of status
   */
  Map<String, Integer> tally() {
    return tally;
  }

  /**
   * Runs the whole fuzz.
   *
   * @return every disagreement found
   */
  List<Finding> run() {
    long deadline = System.nanoTime() + budget.toNanos();
    setUp();
    List<String[]> operations = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (METHODS.contains(method)) {
          operations.add(new String[] {method, path});
        }
      }
    }
    // Round robin, so that a budget running out still leaves every operation exercised.
    int rounds = perOperation;
    for (int round = 0; round < rounds && System.nanoTime() < deadline; round++) {
      for (String[] op : operations) {
        String key = op[0].toUpperCase(Locale.ROOT) + " " + op[1];
        if (round >= FEWER.getOrDefault(key, rounds)) {
          continue;
        }
        if (System.nanoTime() >= deadline) {
          break;
        }
        JsonObject operation = paths.getJsonObject(op[1]).getJsonObject(op[0]);
        Attempt attempt = build(key, op[0], op[1], operation, round);
        send(attempt, operation);
      }
    }
    http.close();
    return findings;
  }

  /** Creates a viewer and one object of each kind, so that valid paths name existing objects. */
  private void setUp() {
    String password = "pw-" + UUID.randomUUID();
    viewerPassword = password;
    TestSecrets.remember(password);
    await(lab.client.users().create("fuzz-viewer", password, "viewer"));
    viewerJwt = await(lab.newClient(null).auth().login("fuzz-viewer", password)).jwt();
    TestSecrets.remember(viewerJwt);
    pool("/api/devices")
        .add(
            await(
                    lab.client
                        .devices()
                        .create(
                            new dev.homelab.client.devices.NewDevice("fuzz", "iot", null, null)))
                .id());
    pool("/api/users").add(await(lab.client.auth().me()).id()); // the built-in admin: 409
    pool("/api/auth/keys").add(await(lab.client.auth().createKey("fuzz")).key().id());
    pool("/api/policies/cards")
        .add(
            await(
                    lab.client
                        .access()
                        .createCard(dev.homelab.client.access.NewCardPolicy.of("0A0B0C0D")))
                .uid());
    await(lab.client.access().putReaderGroup("fuzz-group", Set.of("door-1")));
    pool("/api/policies/groups").add("fuzz-group");
    await(lab.client.settings().put("fuzz.setting", new JsonObject().put("a", 1)));
    pool("/api/settings").add("fuzz.setting");
  }

  private List<String> pool(String collection) {
    return pools.computeIfAbsent(collection, c -> new ArrayList<>());
  }

  private static String collection(String path) {
    int brace = path.indexOf("/{");
    return brace < 0 ? path : path.substring(0, brace);
  }

  // ---------------------------------------------------------------------------------------------
  // Building requests

  private Attempt build(String key, String method, String path, JsonObject operation, int round) {
    Attempt a = new Attempt();
    a.operation = key;
    a.method = HttpMethod.valueOf(method.toUpperCase(Locale.ROOT));
    a.label = "valid";
    boolean secured =
        !operation.containsKey("security") || !operation.getJsonArray("security").isEmpty();
    // The mix: a few without a credential and as a viewer, about a third valid, the rest broken.
    int roll = round < 2 ? 100 : random.nextInt(100);
    boolean mutate = roll < 65;
    if (round == 0 && secured) {
      a.credential = "none";
      a.label = "no credential";
      mutate = false;
    } else if (round == 1 && secured) {
      a.credential = "viewer";
      a.label = "viewer";
      mutate = false;
    }

    JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
    Map<String, String> pathValues = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      JsonObject p = parameters.getJsonObject(i);
      String name = p.getString("name");
      String in = p.getString("in");
      JsonObject schema = p.getJsonObject("schema", new JsonObject());
      boolean required = p.getBoolean("required", false);
      if (in.equals("path")) {
        pathValues.put(name, pathValue(path, name, schema));
      } else if (required || random.nextInt(3) == 0) {
        String value = paramValue(key, name, schema);
        if (value == null) {
          continue;
        }
        if (in.equals("query")) {
          query.put(name, value);
        } else if (in.equals("header")) {
          a.headers.set(name, value);
        }
      }
    }
    fixQuery(key, query);

    Object body = null;
    JsonObject bodySchema = null;
    Buffer raw = null;
    if (operation.containsKey("requestBody")) {
      JsonObject content = operation.getJsonObject("requestBody").getJsonObject("content");
      if (content.containsKey("application/json")) {
        bodySchema = content.getJsonObject("application/json").getJsonObject("schema");
        body = fixBody(key, value(bodySchema, "", 0));
      } else {
        raw = rawBody(a, content); // not JSON: a small valid body, not mutated
      }
    }

    String bodyText = body == null ? null : encode(body);
    if (mutate) {
      int kind = random.nextInt(10);
      if (kind < 4 && body != null) {
        bodyText = mutateBody(a, bodySchema, body);
      } else if (kind < 6 && !pathValues.isEmpty()) {
        mutatePath(a, pathValues);
      } else if (kind < 9) {
        mutateQuery(a, key, operation, query);
      } else {
        mutateCredential(a);
      }
    }

    if (path.equals("/api/auth/logout")) {
      // Never log out a session the run itself goes on using.
      if (a.credential.equals("admin")) {
        a.credential = "fresh-admin";
      } else if (a.credential.equals("viewer")) {
        a.credential = "fresh-viewer";
      }
    }

    // The document's verdict on what is about to be sent.
    if (a.invalid == null) {
      a.invalid = checkParameters(parameters, pathValues, query, a.headers);
    }
    if (a.invalid == null && bodyText != null && !a.expect400 && !a.expect415) {
      Object parsed = io.vertx.core.json.Json.decodeValue(bodyText);
      OutputUnit unit = OpenApiDocument.SERVED.validator(bodySchema).validate(parsed);
      if (!unit.getValid()) {
        a.invalid = "body: " + OpenApiDocument.firstError(unit);
      }
    }

    String uri = path;
    for (Map.Entry<String, String> e : pathValues.entrySet()) {
      uri = uri.replace("{" + e.getKey() + "}", e.getValue());
    }
    StringBuilder q = new StringBuilder();
    query.forEach(
        (name, value) ->
            q.append(q.length() == 0 ? "?" : "&")
                .append(urlEncode(name))
                .append('=')
                .append(urlEncode(value)));
    a.uri = uri + q;
    if (bodyText != null) {
      a.body = Buffer.buffer(bodyText, "UTF-8");
      if (!a.headers.contains("Content-Type")) {
        a.headers.set("Content-Type", "application/json");
      }
    } else if (raw != null) {
      a.body = raw;
    }
    return a;
  }

  /** A path with its {@code .} and {@code ..} segments (also percent-encoded) resolved. */
  static String withoutDotSegments(String path) {
    List<String> out = new ArrayList<>();
    String[] segments = path.split("/", -1);
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i].replace("%2e", ".").replace("%2E", ".");
      boolean last = i == segments.length - 1;
      if (segment.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
        if (last) {
          out.add("");
        }
      } else if (segment.equals(".")) {
        if (last) {
          out.add("");
        }
      } else {
        out.add(segments[i]);
      }
    }
    String resolved = "/" + String.join("/", out);
    // The router takes a trailing slash as the same path.
    return resolved.length() > 1 && resolved.endsWith("/")
        ? resolved.substring(0, resolved.length() - 1)
        : resolved;
  }

  /**
   * A body of an operation that takes no JSON, of its first media type, with its Content-Type: a
   * multipart form with a file part and a tags field (file uploads), else a few random bytes (a tus
   * chunk).
   */
  private Buffer rawBody(Attempt a, JsonObject content) {
    String media = content.fieldNames().iterator().next();
    if (media.equals("multipart/form-data")) {
      String boundary = "fuzz" + UUID.randomUUID().toString().replace("-", "");
      a.headers.set("Content-Type", "multipart/form-data; boundary=" + boundary);
      String filename =
          pick("a.txt", "../../x", "C:\\temp\\b.bin", "\u4E2D\u6587.pdf", "", "x".repeat(300));
      return Buffer.buffer(
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\n"
              + pick("", "docs", "a,b", "Fuzz 1")
              + "\r\n--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
              + filename
              + "\"\r\nContent-Type: application/octet-stream\r\n\r\n"
              + "x".repeat(random.nextInt(64))
              + "\r\n--"
              + boundary
              + "--\r\n",
          "UTF-8");
    }
    a.headers.set("Content-Type", media);
    byte[] bytes = new byte[random.nextInt(64)];
    random.nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  private String pathValue(String path, String name, JsonObject schema) {
    List<String> known = pool(collection(path));
    if (!known.isEmpty() && random.nextInt(10) < 7) {
      return urlEncode(known.get(random.nextInt(known.size())));
    }
    Object value = value(schema, name, 0);
    String text = String.valueOf(value);
    return urlEncode(text.isEmpty() ? "x" : text); // an empty segment names another route
  }

  /** A query or header value from its schema, or hand-picked where the schema cannot tell. */
  private String paramValue(String key, String name, JsonObject schema) {
    switch (name) {
      case "cursor", "Last-Event-ID", "last_event_id" -> {
        return null; // opaque: only values the server handed out
      }
      case "series" -> {
        return pick("host.cpu.percent", "host.load{minutes=1}", "room.temperature{room=garage}");
      }
      case "card_uid" -> {
        return cardUid().toString();
      }
      default -> {
        Object value = value(schema, name, 0);
        return value == null ? null : String.valueOf(value);
      }
    }
  }

  /** Cross-field rules of the query a valid request keeps: period or from and to, in order. */
  private void fixQuery(String key, Map<String, String> query) {
    if (query.containsKey("from") || query.containsKey("to")) {
      Instant to = Instant.now().minus(random.nextInt(48), ChronoUnit.HOURS);
      Instant from = to.minus(1 + random.nextInt(72), ChronoUnit.HOURS);
      if (key.startsWith("GET /api/metrics")) {
        query.remove("period");
        query.put("from", from.toString());
        query.put("to", to.toString());
      } else {
        if (query.containsKey("from")) {
          query.put("from", from.toString());
        }
        if (query.containsKey("to")) {
          query.put("to", to.toString());
        }
      }
    }
    if (key.startsWith("GET /api/metrics") && query.containsKey("tier")) {
      query.remove("tier"); // a tier must cover the range: a rule in words
    }
  }

  /** Cross-field rules of a body a valid request keeps. */
  private Object fixBody(String key, Object body) {
    if (!(body instanceof JsonObject json)) {
      return body;
    }
    if (json.containsKey("valid_from") || json.containsKey("valid_until")) {
      Instant from = Instant.now().minus(1 + random.nextInt(30), ChronoUnit.DAYS);
      if (json.getValue("valid_from") != null) {
        json.put("valid_from", from.toString());
      }
      if (json.getValue("valid_until") != null) {
        json.put("valid_until", from.plus(60 + random.nextInt(30), ChronoUnit.DAYS).toString());
      }
    }
    if (key.equals("POST /api/auth/login")) {
      if (json.containsKey("token") && random.nextBoolean()) {
        json.put("token", ServerTesting.ACCESS_TOKEN);
      }
    }
    return json;
  }

  private Object cardUid() {
    return switch (random.nextInt(7)) {
      case 0 -> "BA839D07";
      case 1 -> "ba:83:9d:07";
      case 2 -> "74-10-37-94";
      case 3 -> "763AE8h";
      case 4 -> "0x" + Long.toHexString(1 + random.nextInt(1 << 30));
      case 5 -> (long) (1 + random.nextInt(Integer.MAX_VALUE));
      default -> hex(1 + random.nextInt(16));
    };
  }

  private String hex(int bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bytes; i++) {
      out.append(String.format(Locale.ROOT, "%02X", random.nextInt(256)));
    }
    return out.toString();
  }

  /** A value valid for {@code schema}; {@code field} steers the few values schemas cannot tell. */
  private Object value(JsonObject schema, String field, int depth) {
    if (schema.containsKey("const")) {
      return schema.getValue("const");
    }
    if (schema.containsKey("enum")) {
      JsonArray values = schema.getJsonArray("enum");
      return values.getValue(random.nextInt(values.size()));
    }
    switch (field) {
      case "time_zone" -> {
        return pick("UTC", "Europe/Rome", "America/New_York", "Asia/Tokyo");
      }
      case "expires_at" -> {
        return random.nextInt(4) == 0
            ? null
            : Instant.now().plus(1 + random.nextInt(90), ChronoUnit.DAYS).toString();
      }
      case "uid", "card_uid" -> {
        if (!schema.containsKey("pattern") || schema.containsKey("anyOf")) {
          return cardUid();
        }
      }
      case "scope" -> {
        return pick("viewer", "user", "admin", "access");
      }
      default -> {}
    }
    for (String choice : new String[] {"anyOf", "oneOf"}) {
      if (schema.containsKey(choice)) {
        JsonArray branches = schema.getJsonArray(choice);
        JsonObject branch = branches.getJsonObject(random.nextInt(branches.size()));
        JsonObject merged = schema.copy();
        merged.remove(choice);
        merged.mergeIn(branch);
        return value(merged, field, depth);
      }
    }
    if (schema.containsKey("allOf")) {
      JsonObject merged = new JsonObject();
      for (Object part : schema.getJsonArray("allOf")) {
        deepMerge(merged, (JsonObject) part);
      }
      return value(merged, field, depth);
    }
    Object type = schema.getValue("type");
    String chosen;
    if (type instanceof JsonArray types) {
      List<String> options = new ArrayList<>();
      for (Object t : types) {
        if (!"null".equals(t) || random.nextInt(3) == 0) {
          options.add((String) t);
        }
      }
      chosen = options.isEmpty() ? "null" : options.get(random.nextInt(options.size()));
    } else if (type instanceof String t) {
      chosen = t;
    } else if (schema.containsKey("properties")) {
      chosen = "object";
    } else {
      chosen = pick("string", "object");
    }
    return switch (chosen) {
      case "null" -> null;
      case "boolean" -> random.nextBoolean();
      case "integer" -> integer(schema);
      case "number" -> random.nextInt(2000) / 8.0 - 50;
      case "array" -> array(schema, field, depth);
      case "object" -> object(schema, depth);
      default -> string(schema);
    };
  }

  private long integer(JsonObject schema) {
    long min = schema.getLong("minimum", schema.containsKey("maximum") ? 0L : -1000L);
    long max = schema.getLong("maximum", min + 1000);
    int roll = random.nextInt(8);
    if (roll == 0) {
      return min;
    }
    if (roll == 1) {
      return max;
    }
    return min + (long) (random.nextDouble() * (max - min + 1));
  }

  private JsonArray array(JsonObject schema, String field, int depth) {
    JsonArray out = new JsonArray();
    int min = schema.getInteger("minItems", 0);
    int max = Math.min(schema.getInteger("maxItems", min + 3), min + 3);
    int count = min + random.nextInt(max - min + 1);
    JsonObject items = schema.getJsonObject("items", new JsonObject().put("type", "string"));
    for (int i = 0; i < count; i++) {
      out.add(value(items, field, depth + 1));
    }
    return out;
  }

  private JsonObject object(JsonObject schema, int depth) {
    JsonObject out = new JsonObject();
    JsonObject properties = schema.getJsonObject("properties");
    if (properties == null) {
      if (depth < 2 && random.nextBoolean()) {
        out.put("k" + random.nextInt(100), random.nextInt(100));
        out.put("tags", new JsonArray().add("a").add(random.nextBoolean()));
      }
      return out;
    }
    Set<String> required = new LinkedHashSet<>();
    schema.getJsonArray("required", new JsonArray()).forEach(r -> required.add((String) r));
    for (String name : properties.fieldNames()) {
      if (required.contains(name) || random.nextInt(3) > 0) {
        out.put(name, value(properties.getJsonObject(name), name, depth + 1));
      }
    }
    int minProperties = schema.getInteger("minProperties", 0);
    List<String> names = new ArrayList<>(properties.fieldNames());
    while (out.size() < minProperties && !names.isEmpty()) {
      String name = names.remove(random.nextInt(names.size()));
      out.put(name, value(properties.getJsonObject(name), name, depth + 1));
    }
    if (schema.containsKey("properties")
        && schema.getJsonObject("properties").containsKey("start")
        && out.getValue("start") instanceof String start
        && start.equals(out.getValue("end"))) {
      out.put("end", start.equals("23:59") ? "24:00" : "23:59"); // a window is never empty
    }
    return out;
  }

  private String string(JsonObject schema) {
    String format = schema.getString("format");
    if ("date-time".equals(format)) {
      return Instant.now()
          .minus(random.nextInt(48 * 60), ChronoUnit.MINUTES)
          .truncatedTo(ChronoUnit.SECONDS)
          .toString();
    }
    if ("uuid".equals(format)) {
      return UUID.randomUUID().toString();
    }
    int min = schema.getInteger("minLength", 0);
    int max = schema.getInteger("maxLength", Math.max(min, 24));
    String pattern = schema.getString("pattern");
    for (int attempt = 0; attempt < 20; attempt++) {
      String text;
      if (pattern != null) {
        text = patterns.sample(pattern);
        if (text == null) {
          continue;
        }
      } else {
        int length =
            random.nextInt(8) == 0 ? max : min + random.nextInt(Math.min(max - min, 24) + 1);
        StringBuilder out = new StringBuilder();
        while (out.codePointCount(0, out.length()) < length) {
          if (random.nextInt(6) == 0) {
            out.append(UNICODE[random.nextInt(UNICODE.length)], 0, 2);
          } else {
            out.append((char) ('a' + random.nextInt(26)));
          }
        }
        text = out.toString();
        while (text.codePointCount(0, text.length()) > length) {
          text = text.substring(0, text.offsetByCodePoints(0, length));
        }
      }
      int count = text.codePointCount(0, text.length());
      if (count >= min && count <= max) {
        return text;
      }
    }
    return "x".repeat(Math.max(min, 1));
  }

  // ---------------------------------------------------------------------------------------------
  // Mutations

  private String mutateBody(Attempt a, JsonObject schema, Object body) {
    JsonObject json = body instanceof JsonObject o ? o.copy() : new JsonObject();
    List<String> fields = new ArrayList<>(json.fieldNames());
    String field = fields.isEmpty() ? "name" : fields.get(random.nextInt(fields.size()));
    switch (random.nextInt(19)) {
      case 0 -> {
        a.label = "missing field " + field;
        json.remove(field);
      }
      case 1 -> {
        a.label = "wrong type " + field;
        json.put(field, wrongType(json.getValue(field)));
      }
      case 2 -> {
        a.label = "null " + field;
        json.putNull(field);
      }
      case 3 -> {
        a.label = "unknown field";
        json.put("unknown_" + random.nextInt(100), "x");
      }
      case 4 -> {
        a.label = "long string " + field;
        json.put(field, "x".repeat(random.nextBoolean() ? 300 : 20_000));
      }
      case 5 -> {
        a.label = "empty string " + field;
        json.put(field, "");
      }
      case 6 -> {
        a.label = "unicode " + field;
        json.put(field, UNICODE[random.nextInt(UNICODE.length)]);
      }
      case 7 -> {
        String text = CONTROL[random.nextInt(CONTROL.length)];
        a.label = "control character " + field;
        a.nul = text.indexOf('\u0000') >= 0;
        a.control = !a.nul;
        json.put(field, text);
      }
      case 8 -> {
        a.label = "out of range " + field;
        json.put(field, pick(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, 1e300));
      }
      case 9 -> {
        a.label = "duplicate key (lenient JSON, point 6)";
        a.expect400 = true;
        String encoded = json.encode();
        String inner = encoded.length() > 2 ? encoded.substring(1, encoded.length() - 1) + "," : "";
        return "{" + inner + "\"" + field + "\":\"dup\",\"" + field + "\":\"dup2\"}";
      }
      case 10 -> {
        a.label = "huge number 1e400 (lenient JSON, point 6)";
        a.expect400 = true;
        return json.copy().put(field, "@@").encode().replace("\"@@\"", "1e400");
      }
      case 11 -> {
        a.label = "lone surrogate (lenient JSON, point 6)";
        a.expect400 = true;
        return json.copy().put(field, "@@").encode().replace("\"@@\"", "\"a\\ud800b\"");
      }
      case 12 -> {
        a.label = "comment (lenient JSON, point 6)";
        a.expect400 = true;
        return "/* c */" + json.encode();
      }
      case 13 -> {
        a.label = "malformed JSON";
        a.expect400 = true;
        return pick("{", "{\"a\":", "not json", "{}}", "");
      }
      case 14 -> {
        a.label = "not an object";
        a.expect400 = true;
        return pick("[]", "\"text\"", "42", "null", "true");
      }
      case 15 -> {
        a.label = "media type";
        a.expect415 = true;
        a.headers.set(
            "Content-Type",
            pick(
                "text/plain",
                "application/jsonx",
                "application/json; charset=utf-16",
                "application/x-www-form-urlencoded"));
        return json.encode();
      }
      case 16 -> {
        a.label = "no content type";
        a.expect415 = true;
        a.headers.set("Content-Type", "");
        return json.encode();
      }
      case 17 -> {
        a.label = "deep nesting";
        Object nested = "x";
        for (int i = 0; i < 200; i++) {
          nested = new JsonArray().add(nested);
        }
        json.put(field, nested);
      }
      default -> {
        a.label = "field-level value " + field;
        json.put(field, pick("", " ", "0", "-1", "true", "null", "..", "%00", "\t"));
      }
    }
    return json.encode();
  }

  private Object wrongType(Object value) {
    if (value instanceof String) {
      return pick(42, true, new JsonArray(), new JsonObject());
    }
    if (value instanceof Number || value instanceof Boolean) {
      return pick("42", new JsonArray().add(1), new JsonObject());
    }
    return pick("text", 7, false);
  }

  private void mutatePath(Attempt a, Map<String, String> pathValues) {
    String name = new ArrayList<>(pathValues.keySet()).get(random.nextInt(pathValues.size()));
    String value =
        pick(
            "%00",
            "..",
            "%2e%2e",
            "a%2Fb",
            "x".repeat(300),
            "x".repeat(10_000),
            "%F0%9F%98%80",
            "%E2%80%AE",
            "%FF",
            "-",
            "0",
            UUID.randomUUID().toString(),
            "%20",
            "a%0Ab");
    a.label = "path " + name + "=" + (value.length() > 20 ? value.length() + " chars" : value);
    pathValues.put(name, value);
    a.pathBroken = true;
    if (value.contains("%00")) {
      a.nul = true;
    }
  }

  private void mutateQuery(Attempt a, String key, JsonObject operation, Map<String, String> query) {
    JsonArray parameters = operation.getJsonArray("parameters", new JsonArray());
    List<String> names = new ArrayList<>();
    for (int i = 0; i < parameters.size(); i++) {
      if (parameters.getJsonObject(i).getString("in").equals("query")) {
        names.add(parameters.getJsonObject(i).getString("name"));
      }
    }
    if (names.isEmpty() || random.nextInt(4) == 0) {
      String name = pick("x", "limit", "__proto__", "a[b]", "%00", "q");
      a.label = "extra query " + name;
      query.put(name, pick("1", "", "%00", "x".repeat(5000)));
      if (names.contains(name)) {
        a.invalid = null; // judged below from the parameter's schema
      }
      return;
    }
    String name = names.get(random.nextInt(names.size()));
    String value =
        pick(
            "",
            " ",
            "-1",
            "0",
            "1e400",
            "99999999999999999999",
            "true",
            "AAA",
            "null",
            "\u0000",
            "\uD83D\uDE00",
            "x".repeat(2000),
            "2026-13-45T99:99:99Z",
            "..",
            "1h,6h");
    a.label =
        "query " + name + "=" + (value.length() > 20 ? value.length() + " chars" : escape(value));
    if (value.indexOf('\u0000') >= 0) {
      a.nul = true;
    }
    query.put(name, value);
  }

  private void mutateCredential(Attempt a) {
    a.label = "credential";
    a.credential =
        pick("garbage", "expired-looking", "viewer", "none", "basic", "bearer-empty", "admin");
  }

  // ---------------------------------------------------------------------------------------------
  // What the document says of a request

  private String checkParameters(
      JsonArray parameters,
      Map<String, String> pathValues,
      Map<String, String> query,
      MultiMap headers) {
    Set<String> known = new LinkedHashSet<>();
    for (int i = 0; i < parameters.size(); i++) {
      JsonObject p = parameters.getJsonObject(i);
      String name = p.getString("name");
      known.add(name);
      String in = p.getString("in");
      String raw =
          switch (in) {
            case "path" -> decodePath(pathValues.get(name));
            case "query" -> query.get(name);
            default -> headers.get(name);
          };
      if (raw == null) {
        if (p.getBoolean("required", false)) {
          return name + " is required";
        }
        continue;
      }
      if (raw.indexOf('\u0000') >= 0) {
        return name + " holds U+0000";
      }
      JsonObject schema = p.getJsonObject("schema", new JsonObject());
      Object typed = typed(schema, raw);
      if (typed == null) {
        return name + " is not of its type";
      }
      OutputUnit unit = OpenApiDocument.SERVED.validator(schema).validate(typed);
      if (!unit.getValid()) {
        return name + ": " + OpenApiDocument.firstError(unit);
      }
    }
    return null;
  }

  /** A parameter's text as its schema's type, or null if it is not of that type. */
  private static Object typed(JsonObject schema, String raw) {
    Object type = schema.getValue("type");
    if ("integer".equals(type)) {
      try {
        return Long.parseLong(raw);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if ("boolean".equals(type)) {
      return raw.equals("true") ? Boolean.TRUE : raw.equals("false") ? Boolean.FALSE : null;
    }
    return raw;
  }

  private static String decodePath(String encoded) {
    if (encoded == null) {
      return null;
    }
    try {
      return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return encoded;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Sending and checking

  private void send(Attempt a, JsonObject operation) {
    sent++;
    RequestOptions options =
        new RequestOptions().setMethod(a.method).setURI(a.uri).setIdleTimeout(15_000);
    options.setHeaders(MultiMap.caseInsensitiveMultiMap().addAll(a.headers));
    switch (a.credential) {
      case "admin" -> options.putHeader("Authorization", "Bearer " + lab.adminJwt);
      case "fresh-admin" ->
          options.putHeader(
              "Authorization",
              "Bearer "
                  + await(lab.newClient(null).auth().login(ServerTesting.ACCESS_TOKEN)).jwt());
      case "viewer" -> options.putHeader("Authorization", "Bearer " + viewerJwt);
      case "fresh-viewer" ->
          options.putHeader(
              "Authorization",
              "Bearer "
                  + await(lab.newClient(null).auth().login("fuzz-viewer", viewerPassword)).jwt());
      case "garbage" -> options.putHeader("Authorization", "Bearer not-a-token");
      case "expired-looking" ->
          options.putHeader("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x");
      case "basic" -> options.putHeader("Authorization", "Basic YWRtaW46YWRtaW4=");
      case "bearer-empty" -> options.putHeader("Authorization", "Bearer ");
      default -> {}
    }
    if ("".equals(options.getHeaders().get("Content-Type"))) {
      options.getHeaders().remove("Content-Type");
    }
    boolean stream = STREAMS.contains(a.operation);
    Answer answer;
    try {
      answer =
          await(
              http.request(options)
                  .compose(
                      request -> {
                        Future<io.vertx.core.http.HttpClientResponse> response =
                            a.body == null ? request.send() : request.send(a.body);
                        return response.compose(
                            r -> {
                              String type = r.getHeader("Content-Type");
                              if (stream
                                  && r.statusCode() < 300
                                  && type != null
                                  && type.startsWith("text/event-stream")) {
                                // An open stream: the head is all we check. The reset fails the
                                // response, which would log an ERROR without a handler of its own.
                                r.exceptionHandler(reset -> {});
                                request.reset();
                                return Future.succeededFuture(
                                    new Answer(r.statusCode(), r.headers(), null));
                              }
                              return r.body().map(b -> new Answer(r.statusCode(), r.headers(), b));
                            });
                      }));
    } catch (RuntimeException | AssertionError e) {
      findings.add(new Finding(a.operation, a.describe(), 0, "no answer: " + e.getMessage()));
      return;
    }
    check(a, operation, answer);
    learn(a, answer);
    String kind =
        a.label.equals("valid")
            ? "valid"
            : a.invalid == null && !a.expect400 && !a.expect415 && !a.nul ? "allowed" : "refused";
    tally.merge(kind + " " + answer.status() / 100 + "xx", 1, Integer::sum);
  }

  private void check(Attempt a, JsonObject operation, Answer answer) {
    int status = answer.status();
    String reason = verdict(a, operation, answer);
    if (reason != null) {
      findings.add(new Finding(a.operation, a.describe(), status, reason));
    }
  }

  /** Why the answer disagrees with the document, or null. */
  private String verdict(Attempt a, JsonObject operation, Answer answer) {
    int status = answer.status();
    if (status >= 500) {
      return (a.nul ? "(point 1) " : "") + "server error " + status + body(answer);
    }
    String path = a.uri.contains("?") ? a.uri.substring(0, a.uri.indexOf('?')) : a.uri;
    String target = withoutDotSegments(path);
    if (a.pathBroken && status < 400 && !target.equals(path.replaceAll("(.)/$", "$1"))) {
      // A ".." segment names another path (RFC 3986, 5.2.4), which the server answered: judge the
      // answer as that path's.
      if (WebFeature.isWebRoute(target)) {
        return null; // the dashboard's pages are not in the document
      }
      return OpenApiDocument.SERVED.disagreement(
          a.method.name(),
          target,
          status,
          answer.headers().get("Content-Type"),
          answer.body() == null ? "" : answer.body().toString(StandardCharsets.UTF_8));
    }
    JsonObject responses = operation.getJsonObject("responses");
    String code = Integer.toString(status);
    boolean secured =
        !operation.containsKey("security") || !operation.getJsonArray("security").isEmpty();
    JsonObject response = responses.getJsonObject(code);
    if (response == null) {
      if (a.pathBroken && (status == 404 || status == 405 || status == 400)) {
        response =
            doc.getJsonObject("components").getJsonObject("responses").getJsonObject("Error");
      } else {
        return (status == 405 ? "(point 5?) " : "")
            + "status "
            + code
            + " is not documented for "
            + a.operation
            + body(answer);
      }
    }

    // What the request deserved.
    if (status == 401
        && (a.credential.equals("admin") || a.credential.equals("viewer"))
        && !a.operation.equals("POST /api/auth/login")) { // its 401 is about the body's credentials
      return "the run's own valid " + a.credential + " session was refused" + body(answer);
    }
    if (secured
        && (a.credential.equals("none")
            || a.credential.equals("garbage")
            || a.credential.equals("expired-looking")
            || a.credential.equals("basic")
            || a.credential.equals("bearer-empty"))) {
      if (status != 401 && !(a.pathBroken && status == 404)) {
        return "expected 401 without a valid credential, got " + status + body(answer);
      }
    } else if (a.expect400) {
      if (status != 400 && status != 401 && status != 403 && status != 413) {
        return "(point 6) expected 400 for a malformed body, got " + status + body(answer);
      }
    } else if (a.expect415) {
      if (status != 415 && status != 401 && status != 403) {
        return "(point 6) expected 415 for this media type, got " + status + body(answer);
      }
    } else if (a.nul) {
      if (status < 400) {
        return "U+0000 accepted (point 1 expects 422), got " + status + body(answer);
      }
    } else if (a.invalid != null) {
      if (status < 400) {
        return "the document refuses this request ("
            + a.invalid
            + ") but the server answered "
            + status;
      }
    } else if (status == 422 && !a.control) {
      String field = field(answer);
      Set<String> allowed = SEMANTIC_RULES.getOrDefault(a.operation, Set.of());
      String general = field == null ? null : field.replaceAll("^readings\\[\\d+\\]", "readings[]");
      if (field == null || !allowed.contains(general)) {
        return "the document allows this request but the server refused it" + body(answer);
      }
    } else if (status == 400
        && !a.pathBroken
        && a.body == null
        && !a.operation.equals("GET /ws")
        && !a.operation.equals("POST /api/auth/logout")) {
      return "400 for a request the document allows" + body(answer);
    }

    // The answer's form.
    String type = answer.headers().get("Content-Type");
    JsonObject content = response.getJsonObject("content");
    JsonObject documentedHeaders = response.getJsonObject("headers", new JsonObject());
    if (documentedHeaders.containsKey("WWW-Authenticate")
        && !"Bearer".equals(answer.headers().get("WWW-Authenticate"))) {
      return status + " without WWW-Authenticate: Bearer";
    }
    if (documentedHeaders.containsKey("Retry-After")) {
      String retry = answer.headers().get("Retry-After");
      if (retry == null || !retry.matches("[0-9]+")) {
        return "429 without a Retry-After of whole seconds";
      }
    }
    if (content == null) {
      if (answer.body() != null && answer.body().length() > 0) {
        return "status " + code + " documents no body but one came" + body(answer);
      }
      return null;
    }
    if (answer.body() == null) {
      return STREAMS.contains(a.operation) ? null : "no body";
    }
    String media = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (content.containsKey("*/*") && !content.containsKey(media)) {
      return null; // any type: a file's bytes, sent with the type it was stored with
    }
    if (!content.containsKey(media)) {
      return (status == 414 || status == 431 ? "(point 2) " : "")
          + "Content-Type "
          + type
          + " is not the documented "
          + content.fieldNames()
          + body(answer);
    }
    JsonObject schema = content.getJsonObject(media).getJsonObject("schema");
    if (schema == null || !media.equals("application/json")) {
      return null;
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(answer.body());
    } catch (RuntimeException e) {
      return "the body is not JSON" + body(answer);
    }
    OutputUnit unit = OpenApiDocument.SERVED.validator(schema).validate(parsed);
    if (!unit.getValid()) {
      return "the body does not match the documented schema: "
          + OpenApiDocument.firstError(unit)
          + body(answer);
    }
    if (status >= 400 && parsed instanceof JsonObject error) {
      Set<String> standard = Set.of("detail", "error_code", "timestamp", "request_id");
      Set<String> expected = new java.util.HashSet<>(standard);
      if (status == 422) {
        expected.add("field");
      }
      if (!error.fieldNames().equals(expected)) {
        return "the error body has fields " + error.fieldNames() + body(answer);
      }
      if (status == 422
          && !error.getString("detail", "").startsWith(error.getString("field") + ":")) {
        return "a 422 whose field is not the one its detail names" + body(answer);
      }
    }
    return null;
  }

  /** The field a 422's detail starts with. */
  private static String field(Answer answer) {
    try {
      String detail = answer.body().toJsonObject().getString("detail", "");
      int colon = detail.indexOf(':');
      String field = colon > 0 ? detail.substring(0, colon) : null;
      return field != null && field.matches("[A-Za-z0-9_.\\-\\[\\]]+") ? field : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Remembers what a successful request created, so that later paths can name it. */
  private void learn(Attempt a, Answer answer) {
    if (answer.status() >= 300 || answer.body() == null || answer.body().length() == 0) {
      return;
    }
    if (!(a.method == HttpMethod.POST || a.method == HttpMethod.PUT)) {
      return;
    }
    String path = a.operation.substring(a.operation.indexOf(' ') + 1);
    if (path.endsWith("/token")
        || path.startsWith("/api/auth/login")
        || path.equals("/api/access/check")) {
      return;
    }
    try {
      JsonObject body = answer.body().toJsonObject();
      for (String idField : new String[] {"id", "uid", "key", "name"}) {
        if (body.getValue(idField) instanceof String id) {
          List<String> known = pool(collection(path));
          if (known.size() < 50) {
            known.add(id);
          }
          return;
        }
      }
    } catch (RuntimeException e) {
      // not an object: nothing to learn
    }
  }

  private static String body(Answer answer) {
    if (answer.body() == null) {
      return "";
    }
    String text = escape(answer.body().toString(StandardCharsets.UTF_8));
    return ": " + (text.length() > 240 ? text.substring(0, 240) + "..." : text);
  }

  // ---------------------------------------------------------------------------------------------
  // The document

  private static void deepMerge(JsonObject into, JsonObject from) {
    for (String key : from.fieldNames()) {
      Object value = from.getValue(key);
      if (value instanceof JsonObject o && into.getValue(key) instanceof JsonObject existing) {
        deepMerge(existing, o);
      } else if (value instanceof JsonArray list
          && into.getValue(key) instanceof JsonArray existing) {
        list.forEach(existing::add);
      } else {
        into.put(key, value);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Small helpers

  @SafeVarargs
  private <T> T pick(T... values) {
    return values[random.nextInt(values.length)];
  }

  private static String encode(Object value) {
    return io.vertx.core.json.Json.encode(value);
  }

  private static String urlEncode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Control characters and lone surrogates made visible, for the report. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !isPair(text, i)) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isPair(String text, int i) {
    char c = text.charAt(i);
    return Character.isHighSurrogate(c)
        ? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
        : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
  }

  /**
   * Keeps a report next to the surefire reports, for reading in full.
   *
   * @param name the file's name under target
   * @param report the text
   */
  static void write(String name, String report) {
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", name), report);
    } catch (IOException e) {
      // the failure message has it anyway
    }
  }

  /**
   * Formats the findings for a failure message: grouped by operation and reason, with a count and
   * the first request of each group, so that one defect hit a hundred times reads as one line.
   */
  String report(List<Finding> all) {
    Map<String, List<Finding>> groups = new TreeMap<>();
    for (Finding f : all) {
      String reason =
          f.reason().replaceAll(": \\{.*", "").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<uuid>");
      groups
          .computeIfAbsent(
              f.operation() + " | " + f.status() + " | " + reason, k -> new ArrayList<>())
          .add(f);
    }
    StringBuilder out =
        new StringBuilder()
            .append(all.size())
            .append(" disagreements with /openapi.json on ")
            .append(store)
            .append(" in ")
            .append(sent)
            .append(" requests (")
            .append(groups.size())
            .append(" kinds); replay with -D")
            .append(SEED_PROPERTY)
            .append('=')
            .append(seed)
            .append('\n');
    groups.forEach(
        (group, list) -> {
          Finding first = list.get(0);
          out.append("- ")
              .append(first.operation())
              .append(" -> ")
              .append(first.status())
              .append(" (x")
              .append(list.size())
              .append("): ")
              .append(first.reason())
              .append("\n    e.g. ")
              .append(first.request())
              .append('\n');
        });
    return out.toString();
  }
}
