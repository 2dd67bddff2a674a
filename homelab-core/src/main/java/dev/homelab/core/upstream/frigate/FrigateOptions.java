package dev.homelab.core.upstream.frigate;

import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamTls;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a Frigate NVR is and how to reach it: its base URL ({@code FRIGATE_URL}, such as {@code
 * http://10.0.10.3:5000}; the client appends {@code /api/...}), credentials for the authenticated
 * port 8971, how its certificate is trusted, and the time an answer may take.
 *
 * <p>Mutable and not thread-safe; {@link FrigateClient#create} copies it. The password never
 * appears in {@link #toString()}.
 */
public class FrigateOptions {

  /** The name used in messages and health by default: {@code frigate}. */
  public static final String DEFAULT_NAME = "frigate";

  /** The time an answer may take by default: 5 seconds (seed 003). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private String name = DEFAULT_NAME;
  private URI baseUrl;
  private String username;
  private String password;
  private UpstreamTls tls = UpstreamTls.system();
  private Duration timeout = DEFAULT_TIMEOUT;

  /** Creates options with the defaults and no base URL yet. */
  public FrigateOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public FrigateOptions(FrigateOptions other) {
    this.name = other.name;
    this.baseUrl = other.baseUrl;
    this.username = other.username;
    this.password = other.password;
    this.tls = other.tls;
    this.timeout = other.timeout;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}: {@code name}, {@code baseUrl},
   * {@code username}, {@code password}, {@code timeout} (ISO-8601, {@code PT5S}), {@code caFile},
   * {@code fingerprint}, {@code insecure}.
   *
   * @param json the options as JSON
   */
  public FrigateOptions(JsonObject json) {
    setName(json.getString("name", DEFAULT_NAME));
    if (json.getString("baseUrl") != null) {
      setBaseUrl(json.getString("baseUrl"));
    }
    setCredentials(json.getString("username"), json.getString("password"));
    setTimeout(Duration.parse(json.getString("timeout", DEFAULT_TIMEOUT.toString())));
    String caFile = json.getString("caFile");
    setTls(
        new UpstreamTls(
            caFile == null ? null : java.nio.file.Path.of(caFile),
            json.getString("fingerprint"),
            json.getBoolean("insecure", false)));
  }

  /**
   * @return the name used in messages and health; default {@link #DEFAULT_NAME}
   */
  public String getName() {
    return name;
  }

  /**
   * @param name the name used in messages and health, such as {@code frigate}
   * @return these options
   * @throws ValidationException (field {@code name}) if blank
   */
  public FrigateOptions setName(String name) {
    if (name == null || name.isBlank()) {
      throw new ValidationException("name", "a Frigate needs a name");
    }
    this.name = name.strip();
    return this;
  }

  /**
   * @return the base URL, or {@code null} if not set
   */
  public URI getBaseUrl() {
    return baseUrl;
  }

  /**
   * Sets the base URL: http or https, a host, an optional port and path, no user, query or
   * fragment.
   *
   * @param baseUrl such as {@code http://10.0.10.3:5000}
   * @return these options
   * @throws ValidationException (field {@code baseUrl}) if it is not such a URL
   */
  public FrigateOptions setBaseUrl(String baseUrl) {
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(baseUrl, "baseUrl").strip());
    } catch (java.net.URISyntaxException | NullPointerException e) {
      throw new ValidationException("baseUrl", "not a URL");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new ValidationException("baseUrl", "must start with http:// or https://");
    }
    if (uri.getHost() == null) {
      throw new ValidationException("baseUrl", "has no host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      // A password in the URL would end up in logs; the options hold credentials apart.
      throw new ValidationException("baseUrl", "must not hold a user, a query or a fragment");
    }
    this.baseUrl = uri;
    return this;
  }

  /**
   * @return the user for port 8971, or {@code null} for the open port 5000
   */
  public String getUsername() {
    return username;
  }

  /**
   * @return the password, or {@code null}
   */
  public String getPassword() {
    return password;
  }

  /**
   * Sets the credentials of Frigate's authenticated port 8971; both or neither.
   *
   * @param username the user, or {@code null}
   * @param password the password, or {@code null}
   * @return these options
   * @throws ValidationException (field {@code password}) if only one is given
   */
  public FrigateOptions setCredentials(String username, String password) {
    boolean user = username != null && !username.isBlank();
    boolean secret = password != null && !password.isEmpty();
    if (user != secret) {
      throw new ValidationException("password", "give both a user and a password, or neither");
    }
    this.username = user ? username.strip() : null;
    this.password = secret ? password : null;
    return this;
  }

  /**
   * @return how the certificate is trusted; default {@link UpstreamTls#system()}
   */
  public UpstreamTls getTls() {
    return tls;
  }

  /**
   * @param tls how the certificate is trusted (port 8971 has a self-signed one by default)
   * @return these options
   */
  public FrigateOptions setTls(UpstreamTls tls) {
    this.tls = tls == null ? UpstreamTls.system() : tls;
    return this;
  }

  /**
   * @return the time an answer may take; default {@link #DEFAULT_TIMEOUT}, 5 seconds
   */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * @param timeout between 1 ms and 5 minutes
   * @return these options
   * @throws ValidationException (field {@code timeout}) if out of range
   */
  public FrigateOptions setTimeout(Duration timeout) {
    if (timeout == null || timeout.toMillis() < 1 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
      throw new ValidationException("timeout", "must be between 1 ms and 5 minutes");
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * Checks what the setters cannot: that a base URL is set.
   *
   * @return these options
   * @throws ValidationException (field {@code baseUrl}) if it is missing
   */
  public FrigateOptions validate() {
    if (baseUrl == null) {
      throw new ValidationException(
          "baseUrl", "a Frigate needs a base URL such as http://host:5000");
    }
    return this;
  }

  /**
   * @return these options as JSON, with the keys the JSON constructor reads, the password included
   *     (for storing configuration: never log it, {@link #toString()} masks it)
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("name", name)
            .put("timeout", timeout.toString())
            .put("insecure", tls.insecure());
    if (baseUrl != null) {
      json.put("baseUrl", baseUrl.toString());
    }
    if (username != null) {
      json.put("username", username).put("password", password);
    }
    if (tls.caFile() != null) {
      json.put("caFile", tls.caFile().toString());
    }
    if (tls.pinnedSha256() != null) {
      json.put("fingerprint", tls.pinnedSha256());
    }
    return json;
  }

  @Override
  public String toString() {
    JsonObject json = toJson();
    if (json.containsKey("password")) {
      json.put("password", "[hidden]");
    }
    return "FrigateOptions" + json.encode();
  }
}
