package dev.homelab.client.impl;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.Health;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.Setting;
import dev.homelab.client.SettingsApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@link HomelabClient} on a Vert.x {@link WebClient}. */
public final class HomelabClientImpl implements HomelabClient {

  private final Vertx vertx;
  private final HomelabClientOptions options;
  private final boolean ownsVertx;
  private final WebClient web;
  private final String basePath;
  private final SettingsApi settings = new SettingsImpl();
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
    this.blocking = new BlockingHomelabClient(this, options.getTimeoutMs());
  }

  @Override
  public Future<Health> health() {
    return send(HttpMethod.GET, "/health", null, 200, 503)
        .map(response -> Health.fromJson(response.bodyAsJsonObject()));
  }

  @Override
  public SettingsApi settings() {
    return settings;
  }

  @Override
  public BlockingHomelabClient blocking() {
    return blocking;
  }

  @Override
  public Future<Void> close() {
    web.close();
    return ownsVertx ? vertx.close() : Future.succeededFuture();
  }

  private final class SettingsImpl implements SettingsApi {
    @Override
    public Future<List<Setting>> list() {
      return send(HttpMethod.GET, "/api/settings", null, 200)
          .map(
              response -> {
                JsonArray items =
                    response.bodyAsJsonObject().getJsonArray("settings", new JsonArray());
                List<Setting> settings = new ArrayList<>(items.size());
                for (int i = 0; i < items.size(); i++) {
                  settings.add(Setting.fromJson(items.getJsonObject(i)));
                }
                return List.copyOf(settings);
              });
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

  /**
   * Sends a request and accepts only the listed statuses; any other becomes a {@link
   * HomelabHttpException}, and a transport failure a {@link HomelabConnectionException}.
   */
  private Future<HttpResponse<Buffer>> send(
      HttpMethod method, String path, JsonObject body, int... accepted) {
    HttpRequest<Buffer> request =
        web.request(method, basePath + path).timeout(options.getTimeoutMs());
    request.putHeader("Accept", "application/json");
    if (options.getToken() != null) {
      request.bearerTokenAuthentication(options.getToken());
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

  private static long retryAfter(String header) {
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
