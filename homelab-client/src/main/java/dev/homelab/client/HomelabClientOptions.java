package dev.homelab.client;

import dev.homelab.client.identity.AuthApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Where the server is and how to talk to it. Setters check their argument and throw {@link
 * IllegalArgumentException}; {@link HomelabClient#create} copies the options.
 */
public class HomelabClientOptions {

  /** The default server: {@value}, the server's embedded default. */
  public static final String DEFAULT_BASE_URL = "http://127.0.0.1:8000";

  /** The default time one call may take, in milliseconds: {@value}. */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  /** The default {@code User-Agent}: {@value}. */
  public static final String DEFAULT_USER_AGENT = "homelab-client-java";

  /**
   * The default wait before an event subscription's first reconnection, in milliseconds: {@value}.
   */
  public static final long DEFAULT_RECONNECT_DELAY_MS = 500;

  /**
   * The default longest wait between an event subscription's reconnections, in milliseconds:
   * {@value}.
   */
  public static final long DEFAULT_MAX_RECONNECT_DELAY_MS = 30_000;

  private String baseUrl = DEFAULT_BASE_URL;
  private String token;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private String userAgent = DEFAULT_USER_AGENT;
  private Consumer<HttpRequest<Buffer>> requestHook;
  private BiConsumer<HttpRequest<Buffer>, HttpResponse<Buffer>> responseHook;
  private long reconnectDelayMs = DEFAULT_RECONNECT_DELAY_MS;
  private long maxReconnectDelayMs = DEFAULT_MAX_RECONNECT_DELAY_MS;

  /** Creates options with the defaults. */
  public HomelabClientOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public HomelabClientOptions(HomelabClientOptions other) {
    this.baseUrl = other.baseUrl;
    this.token = other.token;
    this.timeoutMs = other.timeoutMs;
    this.userAgent = other.userAgent;
    this.requestHook = other.requestHook;
    this.responseHook = other.responseHook;
    this.reconnectDelayMs = other.reconnectDelayMs;
    this.maxReconnectDelayMs = other.maxReconnectDelayMs;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}. The request hook cannot be set from
   * JSON.
   *
   * @param json the options
   */
  public HomelabClientOptions(JsonObject json) {
    setBaseUrl(json.getString("baseUrl", DEFAULT_BASE_URL));
    setToken(json.getString("token"));
    setTimeoutMs(json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS));
    setUserAgent(json.getString("userAgent", DEFAULT_USER_AGENT));
    setReconnectDelayMs(json.getLong("reconnectDelayMs", DEFAULT_RECONNECT_DELAY_MS));
    setMaxReconnectDelayMs(json.getLong("maxReconnectDelayMs", DEFAULT_MAX_RECONNECT_DELAY_MS));
  }

  /**
   * @return the server's base url; default {@value #DEFAULT_BASE_URL}
   */
  public String getBaseUrl() {
    return baseUrl;
  }

  /**
   * Sets the server's base url.
   *
   * @param baseUrl an {@code http://} or {@code https://} url with a host, for example {@code
   *     http://homelab.lan:8000}
   * @return these options
   * @throws IllegalArgumentException if it is not such a url
   */
  public HomelabClientOptions setBaseUrl(String baseUrl) {
    try {
      URI uri = new URI(baseUrl);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "baseUrl must be an http:// or https:// url with a host: " + baseUrl);
      }
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("baseUrl is not a valid url: " + baseUrl, e);
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return this;
  }

  /**
   * @return the bearer token sent with every request, or {@code null}
   */
  public String getToken() {
    return token;
  }

  /**
   * Sets the bearer token (a JWT or an API key) sent as {@code Authorization: Bearer}. After a
   * successful {@link AuthApi#login}, the client sends the login's JWT instead, until {@link
   * AuthApi#logout()}.
   *
   * @param token the token, or {@code null} for none
   * @return these options
   */
  public HomelabClientOptions setToken(String token) {
    this.token = token;
    return this;
  }

  /**
   * @return the time one call may take, in milliseconds; default {@value #DEFAULT_TIMEOUT_MS}
   */
  public long getTimeoutMs() {
    return timeoutMs;
  }

  /**
   * Sets the time one call may take; past it the call fails with a {@link
   * HomelabConnectionException}. A call whose body is streamed (an upload or a download) may take
   * longer in all: it fails when nothing moves on its connection for this long.
   *
   * @param timeoutMs at least 1
   * @return these options
   * @throws IllegalArgumentException if below 1
   */
  public HomelabClientOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be at least 1");
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  /**
   * @return the {@code User-Agent}; default {@value #DEFAULT_USER_AGENT}
   */
  public String getUserAgent() {
    return userAgent;
  }

  /**
   * @param userAgent the {@code User-Agent} header, not blank
   * @return these options
   * @throws IllegalArgumentException if blank
   */
  public HomelabClientOptions setUserAgent(String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      throw new IllegalArgumentException("userAgent must not be blank");
    }
    this.userAgent = userAgent;
    return this;
  }

  /**
   * @return the wait before an event subscription's first reconnection, in milliseconds; default
   *     {@value #DEFAULT_RECONNECT_DELAY_MS}
   */
  public long getReconnectDelayMs() {
    return reconnectDelayMs;
  }

  /**
   * Sets the wait before an event subscription (SSE or WebSocket) reconnects after a loss; each
   * further failed attempt doubles it, up to {@link #getMaxReconnectDelayMs()}, and a connection
   * that opens starts again from it. A server's {@code Retry-After} can make one wait longer.
   *
   * @param reconnectDelayMs at least 1; used as at most the maximum delay
   * @return these options
   * @throws IllegalArgumentException if below 1
   */
  public HomelabClientOptions setReconnectDelayMs(long reconnectDelayMs) {
    if (reconnectDelayMs < 1) {
      throw new IllegalArgumentException("reconnectDelayMs must be at least 1");
    }
    this.reconnectDelayMs = reconnectDelayMs;
    return this;
  }

  /**
   * @return the longest wait between an event subscription's reconnections, in milliseconds;
   *     default {@value #DEFAULT_MAX_RECONNECT_DELAY_MS}
   */
  public long getMaxReconnectDelayMs() {
    return maxReconnectDelayMs;
  }

  /**
   * Sets the longest wait between an event subscription's reconnections, also the cap on a server's
   * {@code Retry-After}.
   *
   * @param maxReconnectDelayMs at least 1
   * @return these options
   * @throws IllegalArgumentException if below 1
   */
  public HomelabClientOptions setMaxReconnectDelayMs(long maxReconnectDelayMs) {
    if (maxReconnectDelayMs < 1) {
      throw new IllegalArgumentException("maxReconnectDelayMs must be at least 1");
    }
    this.maxReconnectDelayMs = maxReconnectDelayMs;
    return this;
  }

  /**
   * @return the hook called with every request before it is sent, or {@code null}
   */
  public Consumer<HttpRequest<Buffer>> getRequestHook() {
    return requestHook;
  }

  /**
   * Sets a hook called with every request before it is sent, for example to add a request id.
   *
   * @param requestHook the hook, or {@code null}
   * @return these options
   */
  public HomelabClientOptions setRequestHook(Consumer<HttpRequest<Buffer>> requestHook) {
    this.requestHook = requestHook;
    return this;
  }

  /**
   * @return the hook called with every answer of the REST API, or {@code null}
   */
  public BiConsumer<HttpRequest<Buffer>, HttpResponse<Buffer>> getResponseHook() {
    return responseHook;
  }

  /**
   * Sets a hook called with every answer of the REST API and its request, before the client reads
   * it, for example to log or to check answers against {@code /openapi.json}. An exception it
   * throws fails the call with that exception. Event streams do not go through it; the answer of a
   * call whose body is streamed to the caller is seen without it ({@code body()} is {@code null}).
   *
   * @param responseHook the hook, or {@code null}
   * @return these options
   */
  public HomelabClientOptions setResponseHook(
      BiConsumer<HttpRequest<Buffer>, HttpResponse<Buffer>> responseHook) {
    this.responseHook = responseHook;
    return this;
  }

  /**
   * @return these options as JSON; the token is left out, so the JSON is safe to log
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("baseUrl", baseUrl)
        .put("timeoutMs", timeoutMs)
        .put("userAgent", userAgent)
        .put("reconnectDelayMs", reconnectDelayMs)
        .put("maxReconnectDelayMs", maxReconnectDelayMs);
  }

  @Override
  public String toString() {
    return "HomelabClientOptions" + toJson().encode();
  }
}
