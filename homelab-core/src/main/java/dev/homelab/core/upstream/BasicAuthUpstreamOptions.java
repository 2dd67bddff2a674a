package dev.homelab.core.upstream;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What every upstream reached with HTTP Basic credentials is configured with (the automation API,
 * the AI hub): a name for messages, meters and health, where its API is, the user and password, how
 * its certificate is trusted, and how long it may take. Each client's options extend it with their
 * own defaults and settings.
 *
 * <p>The password never appears in {@link #toString()} or {@link #toJson()}, nor in any log line or
 * error message of the clients.
 *
 * @param <T> the concrete options, returned by the setters
 */
public abstract class BasicAuthUpstreamOptions<T extends BasicAuthUpstreamOptions<T>> {

  /** The Basic user unless set: {@value}. */
  public static final String DEFAULT_USER = "admin";

  private String name;
  private URI baseUrl;
  private String user = DEFAULT_USER;
  private String password = "";
  private UpstreamTls tls = UpstreamTls.system();
  private Duration timeout;

  /**
   * @param name the default name
   * @param timeout the default timeout
   */
  protected BasicAuthUpstreamOptions(String name, Duration timeout) {
    this.name = name;
    this.timeout = timeout;
  }

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  protected BasicAuthUpstreamOptions(BasicAuthUpstreamOptions<?> other) {
    this.name = other.name;
    this.baseUrl = other.baseUrl;
    this.user = other.user;
    this.password = other.password;
    this.tls = other.tls;
    this.timeout = other.timeout;
  }

  /**
   * Reads the shared settings from JSON with the keys of {@link #toJson()} plus {@code password},
   * and the TLS choice as {@code caFile}, {@code pinnedSha256} or {@code insecure}.
   *
   * @param json the options as JSON
   * @param name the default name
   * @param timeout the default timeout
   */
  protected BasicAuthUpstreamOptions(JsonObject json, String name, Duration timeout) {
    this(name, timeout);
    setName(json.getString("name", name));
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
    setTimeout(Duration.ofMillis(json.getLong("timeoutMs", timeout.toMillis())));
  }

  @SuppressWarnings("unchecked")
  private T self() {
    return (T) this;
  }

  /**
   * @return the name used in messages, meters and health
   */
  public String getName() {
    return name;
  }

  /**
   * @param name the name used in messages, meters and health, never a URL
   * @return these options
   * @throws IllegalArgumentException if blank
   */
  public T setName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    this.name = name;
    return self();
  }

  /**
   * @return where the API is; no default
   */
  public URI getBaseUrl() {
    return baseUrl;
  }

  /**
   * Sets where the API is; requests go below it only.
   *
   * @param baseUrl an http or https URL with a host and no user info
   * @return these options
   * @throws IllegalArgumentException if it is not one
   */
  public T setBaseUrl(URI baseUrl) {
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
    return self();
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
  public T setUser(String user) {
    if (user == null || user.indexOf(':') >= 0) {
      throw new IllegalArgumentException("user must be given and hold no ':'");
    }
    this.user = user;
    return self();
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
  public T setPassword(String password) {
    this.password = Objects.requireNonNull(password, "password");
    return self();
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
  public T setTls(UpstreamTls tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return self();
  }

  /**
   * @return the time a request may take (for a stream: until its response head)
   */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * @param timeout the time a request may take (for a stream: until its response head), 1 ms to 1
   *     hour
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public T setTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("timeout must be 1 ms to 1 hour");
    }
    this.timeout = timeout;
    return self();
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
    return getClass().getSimpleName()
        + "{name="
        + name
        + ", baseUrl="
        + baseUrl
        + ", user="
        + user
        + ", password=[hidden], tls="
        + tls
        + ", timeout="
        + timeout
        + extraToString()
        + "}";
  }

  /**
   * @return what a subclass adds to {@link #toString()}, starting with {@code ", "}; never a secret
   */
  protected String extraToString() {
    return "";
  }
}
