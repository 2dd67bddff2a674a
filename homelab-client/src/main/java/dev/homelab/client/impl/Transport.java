package dev.homelab.client.impl;

import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What every resource client shares: the connections to the server, the base url, the credential
 * each request carries, the options' hooks, and the mapping of error answers to the client's
 * exceptions. Thread-safe; the resource clients hold one each and only describe their endpoints.
 *
 * <p>Requests carry {@code Authorization: Bearer} with the JWT of the last login ({@link
 * #startSession}), else with the options' token, else nothing. The credential is never logged.
 */
final class Transport {

  /** The largest event message a WebSocket subscription accepts. */
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  private final Vertx vertx;
  private final HomelabClientOptions options;
  private final WebClient web;
  private final String basePath;
  private final HttpClient streams; // a connection per event subscription, kept open
  private final WebSocketClient webSockets;

  /** The JWT of the last successful login, or {@code null}; compare-and-set by logout. */
  private final AtomicReference<String> sessionJwt = new AtomicReference<>();

  Transport(Vertx vertx, HomelabClientOptions options) {
    this.vertx = vertx;
    this.options = options;
    URI base = URI.create(options.getBaseUrl());
    boolean https = "https".equals(base.getScheme());
    String host = base.getHost();
    int port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
    this.basePath = base.getRawPath() == null ? "" : base.getRawPath();
    this.web =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost(host)
                .setDefaultPort(port)
                .setSsl(https)
                .setUserAgent(options.getUserAgent())
                .setFollowRedirects(false));
    this.streams =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(host)
                .setDefaultPort(port)
                .setSsl(https)
                .setIdleTimeout(0),
            new PoolOptions().setHttp1MaxSize(64));
    this.webSockets =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setDefaultHost(host)
                .setDefaultPort(port)
                .setSsl(https)
                .setMaxConnections(64)
                // An event is one message; the default 256 KB would cut off a large one.
                .setMaxMessageSize(MAX_EVENT_BYTES));
  }

  Vertx vertx() {
    return vertx;
  }

  HomelabClientOptions options() {
    return options;
  }

  /** The client for event streams: no idle timeout, a connection per subscription. */
  HttpClient eventStreams() {
    return streams;
  }

  WebSocketClient webSockets() {
    return webSockets;
  }

  /**
   * @param path a path below the base url, starting with {@code /}
   * @return the request uri of that path
   */
  String uri(String path) {
    return basePath + path;
  }

  /**
   * @return the JWT of the last login, else the options' token, else {@code null}
   */
  String credential() {
    String session = sessionJwt.get();
    return session != null ? session : options.getToken();
  }

  /**
   * @return the JWT of the last login, or {@code null}
   */
  String session() {
    return sessionJwt.get();
  }

  /** Sends this JWT from now on, in place of the options' token. */
  void startSession(String jwt) {
    sessionJwt.set(jwt);
  }

  /** Forgets this JWT, unless a later login replaced it meanwhile. */
  void endSession(String jwt) {
    sessionJwt.compareAndSet(jwt, null);
  }

  /** Closes the connections; the Vert.x instance is the caller's. */
  void close() {
    web.close();
    streams.close();
    webSockets.close();
  }

  /** {@code GET} answering 200 with a JSON object, read by {@code reader}. */
  <T> Future<T> get(String path, Function<JsonObject, T> reader) {
    return get(path, Map.of(), reader);
  }

  /** Like {@link #get(String, Function)} with query parameters. */
  <T> Future<T> get(String path, Map<String, String> query, Function<JsonObject, T> reader) {
    return json(HttpMethod.GET, path, query, null, 200, reader);
  }

  /** {@code GET} answering 200 with {@code {"<key>":[...]}}, read into an unmodifiable list. */
  <T> Future<List<T>> getList(String path, String key, Function<JsonObject, T> item) {
    return get(path, json -> Page.fromJson(json, key, item).items());
  }

  /** {@code GET} answering 200 with one page, {@code {"<key>":[...],"next_cursor":...}}. */
  <T> Future<Page<T>> getPage(
      String path, Map<String, String> query, String key, Function<JsonObject, T> item) {
    return get(path, query, json -> Page.fromJson(json, key, item));
  }

  /** {@code POST} of a JSON body (or none), answering {@code status} with a JSON object. */
  <T> Future<T> post(String path, JsonObject body, int status, Function<JsonObject, T> reader) {
    return json(HttpMethod.POST, path, Map.of(), body, status, reader);
  }

  /** {@code PUT} of a JSON body, answering 200 with a JSON object. */
  <T> Future<T> put(String path, JsonObject body, Function<JsonObject, T> reader) {
    return json(HttpMethod.PUT, path, Map.of(), body, 200, reader);
  }

  /** {@code PATCH} of a JSON body, answering 200 with a JSON object. */
  <T> Future<T> patch(String path, JsonObject body, Function<JsonObject, T> reader) {
    return json(HttpMethod.PATCH, path, Map.of(), body, 200, reader);
  }

  /** {@code DELETE}, answering 204. */
  Future<Void> delete(String path) {
    return send(credential(), HttpMethod.DELETE, path, Map.of(), null, 204).mapEmpty();
  }

  private <T> Future<T> json(
      HttpMethod method,
      String path,
      Map<String, String> query,
      JsonObject body,
      int status,
      Function<JsonObject, T> reader) {
    return send(credential(), method, path, query, body, status)
        .map(response -> reader.apply(response.bodyAsJsonObject()));
  }

  /**
   * Sends a request and accepts only the listed statuses; any other becomes a {@link
   * HomelabHttpException}, and a transport failure a {@link HomelabConnectionException}.
   *
   * @param token the bearer token to send, or {@code null} for none
   * @param method the method
   * @param path the path below the base url
   * @param query query parameters, unencoded: the web client encodes them
   * @param body the JSON body, or {@code null} for none
   * @param accepted the statuses that are an answer rather than a failure
   * @return the answer
   */
  Future<HttpResponse<Buffer>> send(
      String token,
      HttpMethod method,
      String path,
      Map<String, String> query,
      JsonObject body,
      int... accepted) {
    HttpRequest<Buffer> request = request(token, method, path, query);
    Future<HttpResponse<Buffer>> sent =
        body == null ? request.send() : request.sendJsonObject(body);
    return answer(request, path, sent, accepted);
  }

  /** A request with the credential, {@code Accept: application/json} and the request hook. */
  private HttpRequest<Buffer> request(
      String token, HttpMethod method, String path, Map<String, String> query) {
    HttpRequest<Buffer> request = web.request(method, uri(path)).timeout(options.getTimeoutMs());
    request.putHeader("Accept", "application/json");
    query.forEach(request::addQueryParam);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (options.getRequestHook() != null) {
      options.getRequestHook().accept(request);
    }
    return request;
  }

  /** Passes an answer to the response hook and maps a refused or failed request. */
  private Future<HttpResponse<Buffer>> answer(
      HttpRequest<Buffer> request,
      String path,
      Future<HttpResponse<Buffer>> sent,
      int... accepted) {
    return sent.transform(
        result -> {
          if (result.failed()) {
            return Future.failedFuture(connectionFailure(request.method(), path, result.cause()));
          }
          HttpResponse<Buffer> response = result.result();
          if (options.getResponseHook() != null) {
            options.getResponseHook().accept(request, response);
          }
          if (isAccepted(response.statusCode(), accepted)) {
            return Future.succeededFuture(response);
          }
          return Future.failedFuture(
              HomelabHttpException.of(
                  response.statusCode(),
                  response.bodyAsString(),
                  response.getHeader("X-Request-Id"),
                  retryAfter(response.getHeader("Retry-After"))));
        });
  }

  private HomelabConnectionException connectionFailure(
      HttpMethod method, String path, Throwable cause) {
    return new HomelabConnectionException(
        method + " " + path + " to " + options.getBaseUrl() + " failed: " + cause.getMessage(),
        cause);
  }

  private static boolean isAccepted(int status, int... accepted) {
    for (int candidate : accepted) {
      if (status == candidate) {
        return true;
      }
    }
    return false;
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

  /** Encodes one path segment, a space as {@code %20}. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
