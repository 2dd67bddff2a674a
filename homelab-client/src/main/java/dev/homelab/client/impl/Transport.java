package dev.homelab.client.impl;

import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.Page;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * What every resource client shares: the connections to the server, the base url, the credential
 * each request carries, the options' hooks, and the mapping of error answers to the client's
 * exceptions. Thread-safe; the resource clients hold one each and only describe their endpoints.
 *
 * <p>Requests carry {@code Authorization: Bearer} with the JWT of the last login ({@link
 * #startSession}), else with the options' token, else nothing. The credential is never logged.
 *
 * <p>JSON calls go through the web client and are bounded by the options' timeout. Bodies too large
 * to hold go through the core client instead, streamed both ways with back-pressure: {@link
 * #upload} sends a body from a {@code ReadStream}, {@link #open} hands an answer's body over as a
 * {@code ReadStream} (a {@link ByteRange} asks for part of it, answered 206), {@link #download}
 * pipes it into a {@code WriteStream}. Such a transfer takes as long as it needs and fails only
 * when nothing moves on its connection for the options' timeout. They see the same request hook
 * (applied to a web-client request that is then copied), response hook (without the streamed body)
 * and error mapping as the JSON calls. Frigate snapshots stream through {@link #open} and {@link
 * #download}, and so do the files' uploads (multipart and tus) and downloads.
 */
final class Transport {

  /** The largest event message a WebSocket subscription accepts. */
  static final int MAX_EVENT_BYTES = 16 * 1024 * 1024;

  /** The most of an error body of a streamed request that is read; the rest is dropped. */
  static final int MAX_ERROR_BODY = 64 * 1024;

  private static final Map<String, String> JSON = Map.of("Accept", "application/json");

  private final Vertx vertx;
  private final HomelabClientOptions options;
  private final WebClient web;
  private final String basePath;
  private final HttpClient streams; // a connection per event subscription, kept open
  private final HttpClient bodies; // streamed uploads and downloads
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
    this.bodies =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setDefaultHost(host)
                .setDefaultPort(port)
                .setSsl(https)
                // A transfer takes as long as its body needs; what fails it is a connection on
                // which nothing moves, either way, for the options' timeout.
                .setIdleTimeout((int) Math.min(options.getTimeoutMs(), Integer.MAX_VALUE))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
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
    bodies.close();
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
    HttpRequest<Buffer> request = prepare(token, method, path, query, JSON);
    Future<HttpResponse<Buffer>> sent =
        body == null ? request.send() : request.sendJsonObject(body);
    return answer(request, path, sent, accepted);
  }

  /**
   * Sends a request without a body, with the credential and these headers besides {@code Accept:
   * application/json}: the requests of a protocol that speaks in headers (tus). Fails as {@link
   * #send} does.
   *
   * @param method the method
   * @param path the path below the base url
   * @param headers the headers to add
   * @param accepted the statuses that are an answer rather than a failure
   * @return the answer
   */
  Future<HttpResponse<Buffer>> sendHeaders(
      HttpMethod method, String path, Map<String, String> headers, int... accepted) {
    Map<String, String> all = new LinkedHashMap<>(JSON);
    all.putAll(headers);
    HttpRequest<Buffer> request = prepare(credential(), method, path, Map.of(), all);
    return answer(request, path, request.send(), accepted);
  }

  /**
   * A request with its headers, query, the credential and the request hook's changes. The JSON
   * calls send it; streamed ones copy it into a request of the core client.
   */
  private HttpRequest<Buffer> prepare(
      String token,
      HttpMethod method,
      String path,
      Map<String, String> query,
      Map<String, String> headers) {
    HttpRequest<Buffer> request = web.request(method, uri(path)).timeout(options.getTimeoutMs());
    headers.forEach(request::putHeader);
    query.forEach(request::addQueryParam);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (options.getRequestHook() != null) {
      options.getRequestHook().accept(request);
    }
    return request;
  }

  /**
   * Sends a request whose body is streamed from {@code body.stream()} as the connection takes it,
   * never held whole; the answer, JSON, is read whole. A transfer fails when nothing moves on its
   * connection for the options' timeout, however long it takes in all. If the body's stream fails,
   * the request is reset rather than ended, so the server never sees a truncated body as whole.
   *
   * @param method the method
   * @param path the path below the base url
   * @param query query parameters, unencoded
   * @param body the body, its length and media type
   * @param accepted the statuses that are an answer rather than a failure
   * @return the answer; an error status fails as {@link #send} does
   */
  Future<HttpResponse<Buffer>> upload(
      HttpMethod method, String path, Map<String, String> query, UploadBody body, int... accepted) {
    return upload(method, path, query, Map.of(), body, accepted);
  }

  /**
   * Like {@link #upload(HttpMethod, String, Map, UploadBody, int...)} with more headers.
   *
   * @param method the method
   * @param path the path below the base url
   * @param query query parameters, unencoded
   * @param extraHeaders headers to send besides those of the body
   * @param body the body, its length and media type
   * @param accepted the statuses that are an answer rather than a failure
   * @return the answer
   */
  Future<HttpResponse<Buffer>> upload(
      HttpMethod method,
      String path,
      Map<String, String> query,
      Map<String, String> extraHeaders,
      UploadBody body,
      int... accepted) {
    Map<String, String> headers = new LinkedHashMap<>(JSON);
    headers.putAll(extraHeaders);
    if (body.contentType() != null) {
      headers.put("Content-Type", body.contentType());
    }
    if (body.length() >= 0) {
      headers.put("Content-Length", Long.toString(body.length()));
    }
    HttpRequest<Buffer> prepared = prepare(credential(), method, path, query, headers);
    Pipe<Buffer> pipe = body.stream().pipe(); // paused now: nothing is read before it can be sent
    pipe.endOnFailure(false);
    Future<HttpResponse<Buffer>> answered =
        bodies
            .request(coreRequest(prepared))
            .onFailure(notConnected -> pipe.close())
            .compose(
                request -> {
                  request.setChunked(body.length() < 0);
                  Future<Void> sent = pipe.to(request).onFailure(cause -> request.reset(0, cause));
                  return request
                      .response()
                      .compose(
                          response ->
                              response
                                  .body()
                                  .map(
                                      read -> {
                                        if (!sent.isComplete()
                                            && !isAccepted(response.statusCode(), accepted)) {
                                          // Refused before the whole body was sent: let go of the
                                          // source and close the connection, which a body cut
                                          // short leaves unusable. A reset alone does not close
                                          // it once the response is complete (Vert.x 5 only
                                          // removes the request then), and streaming on after
                                          // the call has failed would hold the source.
                                          pipe.close();
                                          request.connection().close();
                                        }
                                        return (HttpResponse<Buffer>)
                                            new BufferedAnswer(response, read);
                                      }));
                });
    return answer(prepared, path, answered, accepted);
  }

  /**
   * Sends a request and hands its body over as a stream, once the status and headers are in. An
   * error status is read (its first {@link #MAX_ERROR_BODY} bytes) and fails the call as {@link
   * #send} does. The response hook sees the answer without its body.
   *
   * @param method the method
   * @param path the path below the base url
   * @param query query parameters, unencoded
   * @param range the part of the body to ask for, or {@code null} for all of it
   * @param accepted the statuses whose body is handed over (200; 206 for a range)
   * @return the answer, its body paused
   */
  Future<Download> open(
      HttpMethod method, String path, Map<String, String> query, ByteRange range, int... accepted) {
    return open(method, path, query, range, Map.of(), accepted);
  }

  /**
   * Like {@link #open(HttpMethod, String, Map, ByteRange, int...)} with more headers, such as an
   * {@code If-Range} that makes the range conditional.
   *
   * @param method the method
   * @param path the path below the base url
   * @param query query parameters, unencoded
   * @param range the part of the body to ask for, or {@code null} for all of it
   * @param extraHeaders headers to send besides {@code Accept} and {@code Range}
   * @param accepted the statuses whose body is handed over
   * @return the answer, its body paused
   */
  Future<Download> open(
      HttpMethod method,
      String path,
      Map<String, String> query,
      ByteRange range,
      Map<String, String> extraHeaders,
      int... accepted) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "*/*");
    headers.putAll(extraHeaders);
    if (range != null) {
      headers.put("Range", range.header());
    }
    HttpRequest<Buffer> prepared = prepare(credential(), method, path, query, headers);
    return handOver(
        prepared,
        method,
        path,
        bodies
            .request(coreRequest(prepared))
            // Paused as soon as its head arrives, in the same turn, so that no byte of the body is
            // dropped before its reader is set (as in SseSubscription).
            .compose(request -> request.send().andThen(Transport::pauseIfSent)),
        accepted);
  }

  /**
   * Sends a JSON body and hands the answer's event stream over as {@link #open} hands over a body,
   * on a connection of the event streams' client (no idle timeout: a stream may be quiet for long).
   * Sent once, never repeated.
   *
   * @param method the method
   * @param path the path below the base url
   * @param body the JSON body
   * @param accepted the statuses whose body is handed over
   * @return the answer, its body paused
   */
  Future<Download> openStream(HttpMethod method, String path, JsonObject body, int... accepted) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "text/event-stream");
    headers.put("Content-Type", "application/json");
    HttpRequest<Buffer> prepared = prepare(credential(), method, path, Map.of(), headers);
    Buffer sent = body.toBuffer();
    return handOver(
        prepared,
        method,
        path,
        streams
            .request(coreRequest(prepared))
            .compose(request -> request.send(sent).andThen(Transport::pauseIfSent)),
        accepted);
  }

  private Future<Download> handOver(
      HttpRequest<Buffer> prepared,
      HttpMethod method,
      String path,
      Future<HttpClientResponse> answered,
      int... accepted) {
    return answered.transform(
        sent -> {
          if (sent.failed()) {
            return Future.failedFuture(connectionFailure(method, path, sent.cause()));
          }
          HttpClientResponse response = sent.result();
          if (!isAccepted(response.statusCode(), accepted)) {
            return answer(prepared, path, readAtMost(response, MAX_ERROR_BODY), accepted)
                .map(never -> handedOver(response));
          }
          return answer(
                  prepared,
                  path,
                  Future.succeededFuture(new BufferedAnswer(response, null)),
                  accepted)
              .onFailure(hookFailed -> response.request().reset())
              .map(ok -> handedOver(response));
        });
  }

  /**
   * Like {@link #open}, then pipes the body into {@code to}, with its back-pressure. {@code to} is
   * ended in every case, as {@link io.vertx.core.streams.ReadStream#pipeTo} ends it: after the
   * body, or when the call fails.
   *
   * @param method the method
   * @param path the path below the base url
   * @param query query parameters, unencoded
   * @param range the part of the body to ask for, or {@code null} for all of it
   * @param to where the body goes
   * @param accepted the statuses whose body is written
   * @return the answer's status and headers once the whole body is written; fails with a {@link
   *     HomelabConnectionException} (whose cause says why) if the body could not be read or written
   */
  Future<Download> download(
      HttpMethod method,
      String path,
      Map<String, String> query,
      ByteRange range,
      WriteStream<Buffer> to,
      int... accepted) {
    return open(method, path, query, range, accepted)
        .transform(
            opened -> {
              if (opened.failed()) {
                to.end();
                return Future.failedFuture(opened.cause());
              }
              Download answer = opened.result();
              return answer
                  .body()
                  .pipeTo(to)
                  .transform(
                      piped ->
                          piped.succeeded()
                              ? Future.succeededFuture(
                                  new Download(answer.status(), answer.headers(), null))
                              : Future.failedFuture(
                                  connectionFailure(method, path, piped.cause())));
            });
  }

  private static Download handedOver(HttpClientResponse response) {
    return new Download(response.statusCode(), response.headers(), response);
  }

  private static void pauseIfSent(AsyncResult<HttpClientResponse> sent) {
    if (sent.succeeded()) {
      sent.result().pause();
    }
  }

  /**
   * Reads a body, keeping its first {@code limit} bytes, as the answer the hook and mapping see.
   */
  private static Future<HttpResponse<Buffer>> readAtMost(HttpClientResponse response, int limit) {
    Buffer kept = Buffer.buffer();
    Promise<HttpResponse<Buffer>> read = Promise.promise();
    response.handler(
        chunk -> {
          if (kept.length() < limit) {
            kept.appendBuffer(chunk, 0, Math.min(chunk.length(), limit - kept.length()));
          }
        });
    response.exceptionHandler(read::tryFail);
    response.endHandler(end -> read.tryComplete(new BufferedAnswer(response, kept)));
    response.resume();
    return read.future();
  }

  /** The prepared request as one of the core client: same method, uri, query and headers. */
  private RequestOptions coreRequest(HttpRequest<Buffer> prepared) {
    StringBuilder uri = new StringBuilder(prepared.uri());
    char separator = prepared.uri().indexOf('?') < 0 ? '?' : '&';
    for (Map.Entry<String, String> param : prepared.queryParams()) {
      uri.append(separator)
          .append(segment(param.getKey()))
          .append('=')
          .append(segment(param.getValue()));
      separator = '&';
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(prepared.headers());
    if (!headers.contains("User-Agent")) {
      headers.set("User-Agent", options.getUserAgent());
    }
    return new RequestOptions()
        .setMethod(prepared.method())
        .setURI(uri.toString())
        .setHeaders(headers);
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

  /** Encodes one path segment or query value, a space as {@code %20}. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
