package dev.homelab.core.upstream.aihub;

import dev.homelab.core.upstream.UpstreamTls;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of an {@link AiHubClient}: where the AI hub is, its HTTP Basic credentials, how its
 * certificate is trusted and how long it may take.
 *
 * <p>The password never appears in {@link #toString()} or {@link #toJson()}, nor in any log line or
 * error message of the client.
 */
public class AiHubOptions {

  /** The name used in messages, meters and health: {@value}. */
  public static final String DEFAULT_NAME = "ai hub";

  /** The Basic user: {@value}. */
  public static final String DEFAULT_USER = "admin";

  /** The time the AI hub may take to answer: 300 s (seed 003). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  private String name = DEFAULT_NAME;
  private URI baseUrl;
  private String user = DEFAULT_USER;
  private String password = "";
  private UpstreamTls tls = UpstreamTls.system();
  private Duration timeout = DEFAULT_TIMEOUT;

  /** Creates options with the defaults and no base URL. */
  public AiHubOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public AiHubOptions(AiHubOptions other) {
    this.name = other.name;
    this.baseUrl = other.baseUrl;
    this.user = other.user;
    this.password = other.password;
    this.tls = other.tls;
    this.timeout = other.timeout;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()} plus {@code password}, and the TLS
   * choice as {@code caFile}, {@code pinnedSha256} or {@code insecure}.
   *
   * @param json the options as JSON
   */
  public AiHubOptions(JsonObject json) {
    setName(json.getString("name", DEFAULT_NAME));
    if (json.getString("baseUrl") != null) {
      setBaseUrl(URI.create(json.getString("baseUrl")));
    }
    setUser(json.getString("user", DEFAULT_USER));
    setPassword(json.getString("password", ""));
    String caFile = json.getString("caFile");
    setTls(
        new UpstreamTls(
            caFile == null ? null : Path.of(caFile),
            json.getString("pinnedSha256"),
            json.getBoolean("insecure", false)));
    setTimeout(Duration.ofMillis(json.getLong("timeoutMs", DEFAULT_TIMEOUT.toMillis())));
  }

  /**
   * @return the name used in messages, meters and health; default {@value #DEFAULT_NAME}
   */
  public String getName() {
    return name;
  }

  /**
   * @param name the name used in messages, meters and health, never a URL
   * @return these options
   * @throws IllegalArgumentException if blank
   */
  public AiHubOptions setName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    this.name = name;
    return this;
  }

  /**
   * @return where the API is, such as {@code http://10.99.10.106:9876}; no default
   */
  public URI getBaseUrl() {
    return baseUrl;
  }

  /**
   * Sets where the API is ({@code AI_HUB_URL} in seed 003); requests go below it only.
   *
   * @param baseUrl an http or https URL with a host and no user info
   * @return these options
   * @throws IllegalArgumentException if it is not one
   */
  public AiHubOptions setBaseUrl(URI baseUrl) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    String scheme = baseUrl.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an http or https URL with a host");
    }
    if (baseUrl.getRawUserInfo() != null) {
      // Credentials in a URL end up in logs: they belong in user and password.
      throw new IllegalArgumentException("baseUrl must not hold credentials");
    }
    this.baseUrl = baseUrl;
    return this;
  }

  /**
   * @return the Basic user; default {@value #DEFAULT_USER}
   */
  public String getUser() {
    return user;
  }

  /**
   * @param user the Basic user, without {@code :}
   * @return these options
   * @throws IllegalArgumentException if null or holding {@code :}
   */
  public AiHubOptions setUser(String user) {
    if (user == null || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("user must be given and hold no ':'");
    }
    this.user = user;
    return this;
  }

  /**
   * @return the Basic password; default empty
   */
  public String getPassword() {
    return password;
  }

  /**
   * @param password the Basic password
   * @return these options
   */
  public AiHubOptions setPassword(String password) {
    this.password = Objects.requireNonNull(password, "password");
    return this;
  }

  /**
   * @return how an https API's certificate is trusted; default {@link UpstreamTls#system()}
   */
  public UpstreamTls getTls() {
    return tls;
  }

  /**
   * @param tls how an https API's certificate is trusted
   * @return these options
   */
  public AiHubOptions setTls(UpstreamTls tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  /**
   * @return the time a request may take (for a chat: until the hub starts streaming); default 300 s
   */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * @param timeout the time a request may take (for a chat: until the hub starts streaming), 1 ms
   *     to 1 hour
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public AiHubOptions setTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("timeout must be 1 ms to 1 hour");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * @return these options as JSON, without the password
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("name", name)
            .put("baseUrl", baseUrl == null ? null : baseUrl.toString())
            .put("user", user)
            .put("timeoutMs", timeout.toMillis());
    if (tls.caFile() != null) {
      json.put("caFile", tls.caFile().toString());
    }
    if (tls.pinnedSha256() != null) {
      json.put("pinnedSha256", tls.pinnedSha256());
    }
    if (tls.insecure()) {
      json.put("insecure", true);
    }
    return json;
  }

  /**
   * @return the options for logs: the password shown as {@code [hidden]}
   */
  @Override
  public String toString() {
    return "AiHubOptions{name="
        + name
        + ", baseUrl="
        + baseUrl
        + ", user="
        + user
        + ", password=[hidden], tls="
        + tls
        + ", timeout="
        + timeout
        + "}";
  }
}
