package dev.homelab.core.upstream.automation;

import dev.homelab.core.upstream.SharedEventStreamOptions;
import dev.homelab.core.upstream.UpstreamTls;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of an {@link AutomationClient}: where the automation API is, its HTTP Basic credentials,
 * how its certificate is trusted and how long it may take.
 *
 * <p>The password never appears in {@link #toString()} or {@link #toJson()}, nor in any log line or
 * error message of the client.
 */
public class AutomationOptions {

  /** The name used in messages, meters and health: {@value}. */
  public static final String DEFAULT_NAME = "automation";

  /** Past log lines a log stream starts with: {@value} (seed 003). */
  public static final int DEFAULT_LOG_LINES = 100;

  /** The Basic user: {@value}. */
  public static final String DEFAULT_USER = "admin";

  /** The time the automation API may take to answer: 5 s (seed 003). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private String name = DEFAULT_NAME;
  private URI baseUrl;
  private String user = DEFAULT_USER;
  private String password = "";
  private UpstreamTls tls = UpstreamTls.system();
  private Duration timeout = DEFAULT_TIMEOUT;
  private int logLines = DEFAULT_LOG_LINES;
  private SharedEventStreamOptions logStreamOptions = new SharedEventStreamOptions();

  /** Creates options with the defaults and no base URL. */
  public AutomationOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public AutomationOptions(AutomationOptions other) {
    this.name = other.name;
    this.baseUrl = other.baseUrl;
    this.user = other.user;
    this.password = other.password;
    this.tls = other.tls;
    this.timeout = other.timeout;
    this.logLines = other.logLines;
    this.logStreamOptions = new SharedEventStreamOptions(other.logStreamOptions);
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()} plus {@code password}, and the TLS
   * choice as {@code caFile}, {@code pinnedSha256} or {@code insecure}.
   *
   * @param json the options as JSON
   */
  public AutomationOptions(JsonObject json) {
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
    setLogLines(json.getInteger("logLines", DEFAULT_LOG_LINES));
    JsonObject stream = json.getJsonObject("logStream");
    if (stream != null) {
      setLogStreamOptions(new SharedEventStreamOptions(stream));
    }
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
  public AutomationOptions setName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    this.name = name;
    return this;
  }

  /**
   * @return where the API is, such as {@code http://10.0.20.102:8080}; no default
   */
  public URI getBaseUrl() {
    return baseUrl;
  }

  /**
   * Sets where the API is ({@code AUTOMATION_API_URL} in seed 003); requests go below it only.
   *
   * @param baseUrl an http or https URL with a host and no user info
   * @return these options
   * @throws IllegalArgumentException if it is not one
   */
  public AutomationOptions setBaseUrl(URI baseUrl) {
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
  public AutomationOptions setUser(String user) {
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
  public AutomationOptions setPassword(String password) {
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
  public AutomationOptions setTls(UpstreamTls tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    return this;
  }

  /**
   * @return the time a request may take (for a log stream: until its response head); default 5 s
   */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * @param timeout the time a request may take (for a log stream: until its response head), 1 ms to
   *     1 hour
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public AutomationOptions setTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("timeout must be 1 ms to 1 hour");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * @return the past log lines a log stream starts with; default {@value #DEFAULT_LOG_LINES}
   */
  public int getLogLines() {
    return logLines;
  }

  /**
   * Sets the past log lines a log stream asks for when it opens ({@code ?lines=}). The stream is
   * shared: the subscribers present when it opens get them; later ones see new lines only.
   *
   * @param lines 0 to 10,000
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public AutomationOptions setLogLines(int lines) {
    if (lines < 0 || lines > 10_000) {
      throw new IllegalArgumentException("logLines must be 0 to 10000");
    }
    this.logLines = lines;
    return this;
  }

  /**
   * @return how log streams buffer and reconnect; default {@link SharedEventStreamOptions}'s
   */
  public SharedEventStreamOptions getLogStreamOptions() {
    return logStreamOptions;
  }

  /**
   * @param options how log streams buffer and reconnect; copied
   * @return these options
   */
  public AutomationOptions setLogStreamOptions(SharedEventStreamOptions options) {
    this.logStreamOptions =
        new SharedEventStreamOptions(Objects.requireNonNull(options, "options"));
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
    json.put("logLines", logLines).put("logStream", logStreamOptions.toJson());
    return json;
  }

  /**
   * @return the options for logs: the password shown as {@code [hidden]}
   */
  @Override
  public String toString() {
    return "AutomationOptions{name="
        + name
        + ", baseUrl="
        + baseUrl
        + ", user="
        + user
        + ", password=[hidden], tls="
        + tls
        + ", timeout="
        + timeout
        + ", logLines="
        + logLines
        + "}";
  }
}
