package dev.homelab.client.impl;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.Page;
import dev.homelab.client.access.AccessApi;
import dev.homelab.client.access.AccessDecision;
import dev.homelab.client.access.AccessLogEntry;
import dev.homelab.client.access.AccessLogQuery;
import dev.homelab.client.access.CardPolicy;
import dev.homelab.client.access.CardPolicyPatch;
import dev.homelab.client.access.CardQuery;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.access.ReaderGroup;
import dev.homelab.client.audit.AuditApi;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.DevicePatch;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.DeviceToken;
import dev.homelab.client.devices.DevicesApi;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.EventsApi;
import dev.homelab.client.identity.ApiKey;
import dev.homelab.client.identity.AuthApi;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.LoginResult;
import dev.homelab.client.identity.Me;
import dev.homelab.client.identity.User;
import dev.homelab.client.identity.UserPatch;
import dev.homelab.client.identity.UsersApi;
import dev.homelab.client.metrics.HostMetrics;
import dev.homelab.client.metrics.MetricQuery;
import dev.homelab.client.metrics.MetricSeries;
import dev.homelab.client.metrics.MetricsApi;
import dev.homelab.client.system.Dashboard;
import dev.homelab.client.system.Health;
import dev.homelab.client.system.HostSnapshot;
import dev.homelab.client.system.Setting;
import dev.homelab.client.system.SettingsApi;
import dev.homelab.client.system.StorageInfo;
import dev.homelab.client.system.SystemApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * {@link HomelabClient} on a Vert.x {@link WebClient}. The JWT of the last login is kept in {@link
 * #sessionJwt} and takes precedence over the options' token; it is never logged.
 */
public final class HomelabClientImpl implements HomelabClient {

  private final Vertx vertx;
  private final HomelabClientOptions options;
  private final boolean ownsVertx;
  private final WebClient web;
  private final String basePath;
  private final AuthApi auth = new AuthImpl();
  private final UsersApi users = new UsersImpl();
  private final DevicesApi devices = new DevicesImpl();
  private final AuditApi audit = new AuditImpl();
  private final SettingsApi settings = new SettingsImpl();
  private final AccessApi access = new AccessImpl();
  private final SystemApi system = new SystemImpl();
  private final MetricsApi metrics = new MetricsImpl();
  private final EventsApi events = new EventsImpl();

  /** The largest event message a WebSocket subscription accepts. */
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private final HttpClient streams; // a connection per subscription, kept open
  private final WebSocketClient webSockets;
  private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

  /** The JWT of the last successful login, or {@code null}; compare-and-set by logout. */
  private final AtomicReference<String> sessionJwt = new AtomicReference<>();

  private final BlockingHomelabClient blocking;

  public HomelabClientImpl(Vertx vertx, HomelabClientOptions options, boolean ownsVertx) {
    this.vertx = vertx;
    this.options = options;
    this.ownsVertx = ownsVertx;
    URI base = URI.create(options.getBaseUrl());
    boolean https = "https".equals(base.getScheme());
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : https ? 443 : 80)
                .setSsl(https)
                .setUserAgent(options.getUserAgent())
                .setFollowRedirects(false));
    this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
    this.streams =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : https ? 443 : 80)
                .setSsl(https)
                .setIdleTimeout(0),
            new PoolOptions().setHttp1MaxSize(64));
    this.webSockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : https ? 443 : 80)
                .setSsl(https)
                .setMaxConnections(64)
                // An event is one message; the default 256 KB would cut off a large one.
                .setMaxMessageSize(MAX_EVENT_BYTES));
    this.blocking = new BlockingHomelabClient(this, options.getTimeoutMs());
  }

  @Override
  public Future<Health> health() {
    return send(HttpMethod.GET, "/health", null, 200, 503)
        .map(response -> Health.fromJson(response.bodyAsJsonObject()));
  }

  @Override
  public AuthApi auth() {
    return auth;
  }

  @Override
  public UsersApi users() {
    return users;
  }

  @Override
  public DevicesApi devices() {
    return devices;
  }

  @Override
  public AuditApi audit() {
    return audit;
  }

  @Override
  public SettingsApi settings() {
    return settings;
  }

  @Override
  public SystemApi system() {
    return system;
  }

  @Override
  public MetricsApi metrics() {
    return metrics;
  }

  @Override
  public EventsApi events() {
    return events;
  }

  @Override
  public AccessApi access() {
    return access;
  }

  @Override
  public BlockingHomelabClient blocking() {
    return blocking;
  }

  @Override
  public Future<Void> close() {
    subscriptions.forEach(EventSubscription::close);
    subscriptions.clear();
    web.close();
    streams.close();
    webSockets.close();
    return ownsVertx ? vertx.close() : Future.succeededFuture();
  }

  private final class AuthImpl implements AuthApi {
    @Override
    public Future<LoginResult> login(String accessToken) {
      return login(new JsonObject().put("token", accessToken));
    }

    @Override
    public Future<LoginResult> login(String username, String password) {
      return login(new JsonObject().put("username", username).put("password", password));
    }

    /** Logs in without sending any credential header, and keeps the JWT on success. */
    private Future<LoginResult> login(JsonObject body) {
      return sendAs(null, HttpMethod.POST, "/api/auth/login", Map.of(), body, 200)
          .map(
              response -> {
                LoginResult result = LoginResult.fromJson(response.bodyAsJsonObject());
                if (result.jwt() != null) {
                  sessionJwt.set(result.jwt());
                }
                return result;
              });
    }

    @Override
    public Future<Void> logout() {
      String session = sessionJwt.get();
      String credential = session != null ? session : options.getToken();
      return sendAs(credential, HttpMethod.POST, "/api/auth/logout", Map.of(), null, 204)
          .map(
              response -> {
                // Only forget the JWT this request revoked, not one from a login that raced it.
                if (session != null) {
                  sessionJwt.compareAndSet(session, null);
                }
                return null;
              });
    }

    @Override
    public Future<Me> me() {
      return send(HttpMethod.GET, "/api/auth/me", null, 200)
          .map(response -> Me.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<List<ApiKey>> keys() {
      return send(HttpMethod.GET, "/api/auth/keys", null, 200)
          .map(response -> items(response, "keys", ApiKey::fromJson));
    }

    @Override
    public Future<CreatedApiKey> createKey(String name, String scope, Instant expiresAt) {
      JsonObject body = new JsonObject().put("name", name);
      if (scope != null) {
        body.put("scope", scope);
      }
      if (expiresAt != null) {
        body.put("expires_at", expiresAt.toString());
      }
      return send(HttpMethod.POST, "/api/auth/keys", body, 201)
          .map(response -> CreatedApiKey.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Void> revokeKey(String id) {
      return send(HttpMethod.DELETE, "/api/auth/keys/" + segment(id), null, 204).mapEmpty();
    }
  }

  private final class UsersImpl implements UsersApi {
    @Override
    public Future<List<User>> list() {
      return send(HttpMethod.GET, "/api/users", null, 200)
          .map(response -> items(response, "users", User::fromJson));
    }

    @Override
    public Future<User> create(String username, String password, String role) {
      JsonObject body =
          new JsonObject().put("username", username).put("password", password).put("role", role);
      return send(HttpMethod.POST, "/api/users", body, 201)
          .map(response -> User.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<User> get(String id) {
      return send(HttpMethod.GET, "/api/users/" + segment(id), null, 200)
          .map(response -> User.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<User> update(String id, UserPatch patch) {
      return send(HttpMethod.PATCH, "/api/users/" + segment(id), patch.toJson(), 200)
          .map(response -> User.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Void> delete(String id) {
      return send(HttpMethod.DELETE, "/api/users/" + segment(id), null, 204).mapEmpty();
    }
  }

  private final class DevicesImpl implements DevicesApi {
    @Override
    public Future<Page<Device>> list(DeviceQuery query) {
      return send(HttpMethod.GET, "/api/devices", query.toQueryParams(), null, 200)
          .map(response -> Page.fromJson(response.bodyAsJsonObject(), "devices", Device::fromJson));
    }

    @Override
    public Future<Device> create(NewDevice device) {
      return send(HttpMethod.POST, "/api/devices", device.toJson(), 201)
          .map(response -> Device.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Device> get(String id) {
      return send(HttpMethod.GET, "/api/devices/" + segment(id), null, 200)
          .map(response -> Device.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Device> update(String id, DevicePatch patch) {
      return send(HttpMethod.PATCH, "/api/devices/" + segment(id), patch.toJson(), 200)
          .map(response -> Device.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Void> delete(String id) {
      return send(HttpMethod.DELETE, "/api/devices/" + segment(id), null, 204).mapEmpty();
    }

    @Override
    public Future<DeviceToken> issueToken(String id) {
      return send(HttpMethod.POST, "/api/devices/" + segment(id) + "/token", null, 201)
          .map(response -> DeviceToken.fromJson(response.bodyAsJsonObject()));
    }
  }

  private final class AuditImpl implements AuditApi {
    @Override
    public Future<Page<AuditEntry>> list(AuditQuery query) {
      return send(HttpMethod.GET, "/api/audit", query.toQueryParams(), null, 200)
          .map(
              response ->
                  Page.fromJson(response.bodyAsJsonObject(), "entries", AuditEntry::fromJson));
    }
  }

  private final class SettingsImpl implements SettingsApi {
    @Override
    public Future<List<Setting>> list() {
      return send(HttpMethod.GET, "/api/settings", null, 200)
          .map(response -> items(response, "settings", Setting::fromJson));
    }

    @Override
    public Future<Setting> get(String key) {
      return send(HttpMethod.GET, "/api/settings/" + segment(key), null, 200)
          .map(response -> Setting.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Setting> put(String key, Object value) {
      return send(
              HttpMethod.PUT,
              "/api/settings/" + segment(key),
              new JsonObject().put("value", value),
              200)
          .map(response -> Setting.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Void> delete(String key) {
      return send(HttpMethod.DELETE, "/api/settings/" + segment(key), null, 204).mapEmpty();
    }
  }

  private final class EventsImpl implements EventsApi {
    @Override
    public EventSubscription subscribe(
        Collection<String> topics, String lastEventId, EventListener listener) {
      return track(
          new SseSubscription(
              vertx,
              options,
              streams,
              withTopics("/api/events", topics),
              HomelabClientImpl.this::credential,
              lastEventId,
              listener,
              subscriptions::remove));
    }

    @Override
    public EventSubscription subscribeWebSocket(
        Collection<String> topics, String lastEventId, EventListener listener) {
      return track(
          new WebSocketSubscription(
              vertx,
              options,
              webSockets,
              withTopics("/ws", topics),
              HomelabClientImpl.this::credential,
              lastEventId,
              listener,
              subscriptions::remove));
    }

    private String withTopics(String path, Collection<String> topics) {
      StringBuilder uri = new StringBuilder(basePath).append(path);
      if (!topics.isEmpty()) {
        uri.append("?topics=")
            .append(URLEncoder.encode(String.join(",", topics), StandardCharsets.UTF_8));
      }
      return uri.toString();
    }

    private EventSubscription track(StreamSubscription subscription) {
      subscriptions.add(subscription);
      return subscription.start();
    }
  }

  private final class SystemImpl implements SystemApi {
    @Override
    public Future<HostSnapshot> get() {
      return send(HttpMethod.GET, "/api/system", null, 200)
          .map(response -> HostSnapshot.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<StorageInfo> storage() {
      return send(HttpMethod.GET, "/api/system/storage", null, 200)
          .map(response -> StorageInfo.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Dashboard> dashboard() {
      return send(HttpMethod.GET, "/api/dashboard", null, 200)
          .map(response -> Dashboard.fromJson(response.bodyAsJsonObject()));
    }
  }

  private final class MetricsImpl implements MetricsApi {
    @Override
    public Future<HostMetrics> host(MetricQuery query) {
      return send(HttpMethod.GET, "/api/metrics/host", query.toQueryParams(), null, 200)
          .map(response -> HostMetrics.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<List<String>> series() {
      return send(HttpMethod.GET, "/api/metrics/series", null, 200)
          .map(
              response -> {
                List<String> keys = new ArrayList<>();
                response
                    .bodyAsJsonObject()
                    .getJsonArray("series")
                    .forEach(k -> keys.add((String) k));
                return List.copyOf(keys);
              });
    }

    @Override
    public Future<MetricSeries> query(MetricQuery query) {
      return send(HttpMethod.GET, "/api/metrics/query", query.toQueryParams(), null, 200)
          .map(response -> MetricSeries.fromJson(response.bodyAsJsonObject()));
    }
  }

  private final class AccessImpl implements AccessApi {
    @Override
    public Future<AccessDecision> check(String deviceId, String cardUid) {
      return check(new JsonObject().put("device_id", deviceId).put("card_uid", cardUid));
    }

    @Override
    public Future<AccessDecision> check(String deviceId, long cardNumber) {
      return check(new JsonObject().put("device_id", deviceId).put("card_uid", cardNumber));
    }

    private Future<AccessDecision> check(JsonObject body) {
      return send(HttpMethod.POST, "/api/access/check", body, 200)
          .map(response -> AccessDecision.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Page<AccessLogEntry>> logs(AccessLogQuery query) {
      return send(HttpMethod.GET, "/api/access/logs", query.toQueryParams(), null, 200)
          .map(
              response ->
                  Page.fromJson(response.bodyAsJsonObject(), "logs", AccessLogEntry::fromJson));
    }

    @Override
    public Future<Page<CardPolicy>> cards(CardQuery query) {
      return send(HttpMethod.GET, "/api/policies/cards", query.toQueryParams(), null, 200)
          .map(
              response ->
                  Page.fromJson(response.bodyAsJsonObject(), "cards", CardPolicy::fromJson));
    }

    @Override
    public Future<CardPolicy> card(String uid) {
      return send(HttpMethod.GET, "/api/policies/cards/" + segment(uid), null, 200)
          .map(response -> CardPolicy.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<CardPolicy> createCard(NewCardPolicy card) {
      return send(HttpMethod.POST, "/api/policies/cards", card.toJson(), 201)
          .map(response -> CardPolicy.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<CardPolicy> updateCard(String uid, CardPolicyPatch patch) {
      return send(HttpMethod.PATCH, "/api/policies/cards/" + segment(uid), patch.toJson(), 200)
          .map(response -> CardPolicy.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Void> deleteCard(String uid) {
      return send(HttpMethod.DELETE, "/api/policies/cards/" + segment(uid), null, 204).mapEmpty();
    }

    @Override
    public Future<List<ReaderGroup>> readerGroups() {
      return send(HttpMethod.GET, "/api/policies/groups", null, 200)
          .map(response -> items(response, "groups", ReaderGroup::fromJson));
    }

    @Override
    public Future<ReaderGroup> putReaderGroup(String name, Set<String> readers) {
      JsonArray array = new JsonArray();
      readers.stream().sorted().forEach(array::add);
      return send(
              HttpMethod.PUT,
              "/api/policies/groups/" + segment(name),
              new JsonObject().put("readers", array),
              200)
          .map(response -> ReaderGroup.fromJson(response.bodyAsJsonObject()));
    }

    @Override
    public Future<Void> deleteReaderGroup(String name) {
      return send(HttpMethod.DELETE, "/api/policies/groups/" + segment(name), null, 204).mapEmpty();
    }
  }

  /** Like {@link #sendAs} with the current credential and no query parameters. */
  private Future<HttpResponse<Buffer>> send(
      HttpMethod method, String path, JsonObject body, int... accepted) {
    return sendAs(credential(), method, path, Map.of(), body, accepted);
  }

  /** Like {@link #sendAs} with the current credential. */
  private Future<HttpResponse<Buffer>> send(
      HttpMethod method, String path, Map<String, String> query, JsonObject body, int... accepted) {
    return sendAs(credential(), method, path, query, body, accepted);
  }

  /**
   * @return the JWT of the last login, else the options' token, else {@code null}
   */
  private String credential() {
    String session = sessionJwt.get();
    return session != null ? session : options.getToken();
  }

  /**
   * Sends a request and accepts only the listed statuses; any other becomes a {@link
   * HomelabHttpException}, and a transport failure a {@link HomelabConnectionException}.
   *
   * @param token the bearer token to send, or {@code null} for none
   * @param query query parameters, unencoded: the web client encodes them
   */
  private Future<HttpResponse<Buffer>> sendAs(
      String token,
      HttpMethod method,
      String path,
      Map<String, String> query,
      JsonObject body,
      int... accepted) {
    HttpRequest<Buffer> request =
        web.request(method, basePath + path).timeout(options.getTimeoutMs());
    request.putHeader("Accept", "application/json");
    query.forEach(request::addQueryParam);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (options.getRequestHook() != null) {
      options.getRequestHook().accept(request);
    }
    Future<HttpResponse<Buffer>> sent =
        body == null ? request.send() : request.sendJsonObject(body);
    return sent.transform(
        result -> {
          if (result.failed()) {
            return Future.failedFuture(
                new HomelabConnectionException(
                    method
                        + " "
                        + path
                        + " to "
                        + options.getBaseUrl()
                        + " failed: "
                        + result.cause().getMessage(),
                    result.cause()));
          }
          HttpResponse<Buffer> response = result.result();
          if (options.getResponseHook() != null) {
            options.getResponseHook().accept(request, response);
          }
          for (int status : accepted) {
            if (response.statusCode() == status) {
              return Future.succeededFuture(response);
            }
          }
          return Future.failedFuture(
              HomelabHttpException.of(
                  response.statusCode(),
                  response.bodyAsString(),
                  response.getHeader("X-Request-Id"),
                  retryAfter(response.getHeader("Retry-After"))));
        });
  }

  /** Reads {@code {"<key>":[...]}} into an unmodifiable list. */
  private static <T> List<T> items(
      HttpResponse<Buffer> response, String key, Function<JsonObject, T> item) {
    JsonArray array = response.bodyAsJsonObject().getJsonArray(key, new JsonArray());
    List<T> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(item.apply(array.getJsonObject(i)));
    }
    return List.copyOf(items);
  }

  /** {@code Retry-After} in seconds, or -1 when absent or a date. */
  static long retryAfter(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException httpDate) {
      return -1;
    }
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
