package dev.homelab.core.mqtt;

import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamTls;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Where the external MQTT broker is and how the {@link MqttBridge} talks to it: the broker URL
 * ({@code MQTT_URL}, {@code mqtt://host:1883} or {@code mqtts://host:8883}), the client id,
 * credentials, how a TLS broker's certificate is trusted, the topic filters subscribed to, and the
 * bounds of the outbox, the last-value cache and the reconnection backoff.
 *
 * <p>Mutable and not thread-safe; {@link MqttBridge#create} copies it. The password never appears
 * in {@link #toString()}.
 */
public class MqttBridgeOptions {

  /** The filters subscribed to by default: zigbee2mqtt's devices and Homelab's own topics. */
  public static final List<String> DEFAULT_SUBSCRIPTIONS = List.of("zigbee2mqtt/#", "homelab/#");

  /** Messages kept while disconnected by default before the oldest is dropped. */
  public static final int DEFAULT_OUTBOX_SIZE = 1000;

  /** Topics whose last payload is kept by default. */
  public static final int DEFAULT_MAX_TOPICS = 10_000;

  /** The largest message accepted from the broker by default: 1 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;

  /** The first wait before reconnecting by default. */
  public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofMillis(500);

  /** The longest wait before reconnecting by default. */
  public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(30);

  /** The MQTT keep-alive by default: the broker drops a client silent for 1.5 times this. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);

  private URI brokerUrl;
  private String clientId = "homelab-" + UUID.randomUUID().toString().substring(0, 8);
  private String username;
  private String password;
  private UpstreamTls tls = UpstreamTls.system();
  private List<String> subscriptions = DEFAULT_SUBSCRIPTIONS;
  private int outboxSize = DEFAULT_OUTBOX_SIZE;
  private int maxTopics = DEFAULT_MAX_TOPICS;
  private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
  private Duration reconnectInitial = DEFAULT_RECONNECT_INITIAL;
  private Duration reconnectMax = DEFAULT_RECONNECT_MAX;
  private Duration keepAlive = DEFAULT_KEEP_ALIVE;

  /** Creates options with the defaults and no broker URL yet. */
  public MqttBridgeOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public MqttBridgeOptions(MqttBridgeOptions other) {
    this.brokerUrl = other.brokerUrl;
    this.clientId = other.clientId;
    this.username = other.username;
    this.password = other.password;
    this.tls = other.tls;
    this.subscriptions = other.subscriptions;
    this.outboxSize = other.outboxSize;
    this.maxTopics = other.maxTopics;
    this.maxMessageBytes = other.maxMessageBytes;
    this.reconnectInitial = other.reconnectInitial;
    this.reconnectMax = other.reconnectMax;
    this.keepAlive = other.keepAlive;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}: {@code brokerUrl}, {@code
   * clientId}, {@code username}, {@code password}, {@code caFile}, {@code fingerprint}, {@code
   * insecure}, {@code subscriptions} (an array of filters), {@code outboxSize}, {@code maxTopics},
   * {@code maxMessageBytes}, {@code reconnectInitial}, {@code reconnectMax} and {@code keepAlive}
   * (ISO-8601 durations such as {@code PT30S}).
   *
   * @param json the options as JSON
   */
  public MqttBridgeOptions(JsonObject json) {
    if (json.getString("brokerUrl") != null) {
      setBrokerUrl(json.getString("brokerUrl"));
    }
    if (json.getString("clientId") != null) {
      setClientId(json.getString("clientId"));
    }
    setCredentials(json.getString("username"), json.getString("password"));
    String caFile = json.getString("caFile");
    setTls(
        new UpstreamTls(
            caFile == null ? null : Path.of(caFile),
            json.getString("fingerprint"),
            json.getBoolean("insecure", false)));
    JsonArray filters = json.getJsonArray("subscriptions");
    if (filters != null) {
      List<String> list = new ArrayList<>();
      filters.forEach(f -> list.add(String.valueOf(f)));
      setSubscriptions(list);
    }
    setOutboxSize(json.getInteger("outboxSize", DEFAULT_OUTBOX_SIZE));
    setMaxTopics(json.getInteger("maxTopics", DEFAULT_MAX_TOPICS));
    setMaxMessageBytes(json.getInteger("maxMessageBytes", DEFAULT_MAX_MESSAGE_BYTES));
    setReconnectBackoff(
        Duration.parse(json.getString("reconnectInitial", DEFAULT_RECONNECT_INITIAL.toString())),
        Duration.parse(json.getString("reconnectMax", DEFAULT_RECONNECT_MAX.toString())));
    setKeepAlive(Duration.parse(json.getString("keepAlive", DEFAULT_KEEP_ALIVE.toString())));
  }

  /**
   * @return the broker URL, or {@code null} if not set
   */
  public URI getBrokerUrl() {
    return brokerUrl;
  }

  /**
   * Sets the broker: {@code mqtt://host[:port]} (port 1883 by default) or {@code
   * mqtts://host[:port]} (TLS, port 8883 by default); no user, path, query or fragment.
   *
   * @param brokerUrl such as {@code mqtt://127.0.0.1:1883}
   * @return these options
   * @throws ValidationException (field {@code brokerUrl}) if it is not such a URL
   */
  public MqttBridgeOptions setBrokerUrl(String brokerUrl) {
    URI uri;
    try {
      uri = new URI(brokerUrl == null ? "" : brokerUrl.strip());
    } catch (URISyntaxException e) {
      throw new ValidationException("brokerUrl", "not a URL");
    }
    if (!"mqtt".equals(uri.getScheme()) && !"mqtts".equals(uri.getScheme())) {
      throw new ValidationException("brokerUrl", "must start with mqtt:// or mqtts://");
    }
    if (uri.getHost() == null) {
      throw new ValidationException("brokerUrl", "has no host");
    }
    if (uri.getRawUserInfo() != null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || (uri.getRawPath() != null
            && !uri.getRawPath().isEmpty()
            && !"/".equals(uri.getRawPath()))) {
      // A password in the URL would end up in logs; the options hold credentials apart.
      throw new ValidationException(
          "brokerUrl", "must not hold a user, a path, a query or a fragment");
    }
    this.brokerUrl = uri;
    return this;
  }

  /**
   * @return whether the broker is reached over TLS ({@code mqtts://})
   */
  public boolean isTls() {
    return brokerUrl != null && "mqtts".equals(brokerUrl.getScheme());
  }

  /**
   * @return the broker's host, or {@code null} without a broker URL
   */
  public String getHost() {
    return brokerUrl == null ? null : brokerUrl.getHost();
  }

  /**
   * @return the broker's port: the URL's, else 1883 ({@code mqtt}) or 8883 ({@code mqtts})
   */
  public int getPort() {
    if (brokerUrl != null && brokerUrl.getPort() > 0) {
      return brokerUrl.getPort();
    }
    return isTls() ? 8883 : 1883;
  }

  /**
   * @return the MQTT client id; default {@code homelab-} and 8 random hex digits
   */
  public String getClientId() {
    return clientId;
  }

  /**
   * @param clientId the MQTT client id, unique on the broker (a second client with the same id
   *     disconnects the first), 1 to 64 characters
   * @return these options
   * @throws ValidationException (field {@code clientId}) if blank or too long
   */
  public MqttBridgeOptions setClientId(String clientId) {
    if (clientId == null || clientId.isBlank() || clientId.strip().length() > 64) {
      throw new ValidationException("clientId", "must be 1 to 64 characters");
    }
    this.clientId = clientId.strip();
    return this;
  }

  /**
   * @return the broker user, or {@code null} for an anonymous connection
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
   * Sets the broker credentials; a user without a password is allowed (MQTT permits it), a password
   * without a user is not.
   *
   * @param username the user, or {@code null}
   * @param password the password, or {@code null}
   * @return these options
   * @throws ValidationException (field {@code password}) if a password comes without a user
   */
  public MqttBridgeOptions setCredentials(String username, String password) {
    boolean user = username != null && !username.isBlank();
    boolean secret = password != null && !password.isEmpty();
    if (secret && !user) {
      throw new ValidationException("password", "a password needs a user");
    }
    this.username = user ? username.strip() : null;
    this.password = secret ? password : null;
    return this;
  }

  /**
   * @return how a TLS broker's certificate is trusted; default {@link UpstreamTls#system()}
   */
  public UpstreamTls getTls() {
    return tls;
  }

  /**
   * @param tls how the certificate of an {@code mqtts://} broker is trusted (ignored for {@code
   *     mqtt://})
   * @return these options
   */
  public MqttBridgeOptions setTls(UpstreamTls tls) {
    this.tls = tls == null ? UpstreamTls.system() : tls;
    return this;
  }

  /**
   * @return the topic filters subscribed to; default {@link #DEFAULT_SUBSCRIPTIONS}
   */
  public List<String> getSubscriptions() {
    return subscriptions;
  }

  /**
   * @param subscriptions the topic filters subscribed to on every connection, such as {@code
   *     zigbee2mqtt/#}; at least one, at most 100
   * @return these options
   * @throws ValidationException (field {@code subscriptions}) if empty, too many or one is not a
   *     valid filter
   */
  public MqttBridgeOptions setSubscriptions(List<String> subscriptions) {
    if (subscriptions == null || subscriptions.isEmpty() || subscriptions.size() > 100) {
      throw new ValidationException("subscriptions", "give 1 to 100 topic filters");
    }
    List<String> checked = new ArrayList<>();
    for (String filter : subscriptions) {
      String problem = MqttTopics.filterProblem(filter);
      if (problem != null) {
        throw new ValidationException("subscriptions", "'" + filter + "' " + problem);
      }
      if (!checked.contains(filter)) {
        checked.add(filter);
      }
    }
    this.subscriptions = List.copyOf(checked);
    return this;
  }

  /**
   * @return the messages kept while disconnected; default {@link #DEFAULT_OUTBOX_SIZE}
   */
  public int getOutboxSize() {
    return outboxSize;
  }

  /**
   * @param outboxSize the messages kept while disconnected (or waiting for the broker's in-flight
   *     window) before the oldest is dropped, 1 to 1,000,000
   * @return these options
   * @throws ValidationException (field {@code outboxSize}) if out of range
   */
  public MqttBridgeOptions setOutboxSize(int outboxSize) {
    if (outboxSize < 1 || outboxSize > 1_000_000) {
      throw new ValidationException("outboxSize", "must be between 1 and 1000000");
    }
    this.outboxSize = outboxSize;
    return this;
  }

  /**
   * @return the topics whose last payload is kept; default {@link #DEFAULT_MAX_TOPICS}
   */
  public int getMaxTopics() {
    return maxTopics;
  }

  /**
   * @param maxTopics the topics whose last payload is kept, 1 to 1,000,000; past it the topic
   *     updated longest ago is forgotten
   * @return these options
   * @throws ValidationException (field {@code maxTopics}) if out of range
   */
  public MqttBridgeOptions setMaxTopics(int maxTopics) {
    if (maxTopics < 1 || maxTopics > 1_000_000) {
      throw new ValidationException("maxTopics", "must be between 1 and 1000000");
    }
    this.maxTopics = maxTopics;
    return this;
  }

  /**
   * @return the largest message accepted from the broker; default {@link
   *     #DEFAULT_MAX_MESSAGE_BYTES}
   */
  public int getMaxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * @param maxMessageBytes the largest message accepted from the broker, 1 KiB to 256 MiB
   *     (zigbee2mqtt's {@code bridge/devices} runs to hundreds of KiB on a big network)
   * @return these options
   * @throws ValidationException (field {@code maxMessageBytes}) if out of range
   */
  public MqttBridgeOptions setMaxMessageBytes(int maxMessageBytes) {
    if (maxMessageBytes < 1024 || maxMessageBytes > 256 << 20) {
      throw new ValidationException("maxMessageBytes", "must be between 1 KiB and 256 MiB");
    }
    this.maxMessageBytes = maxMessageBytes;
    return this;
  }

  /**
   * @return the first wait before reconnecting
   */
  public Duration getReconnectInitial() {
    return reconnectInitial;
  }

  /**
   * @return the longest wait before reconnecting
   */
  public Duration getReconnectMax() {
    return reconnectMax;
  }

  /**
   * Sets the reconnection backoff: the wait doubles from {@code initial} after each failed attempt
   * up to {@code max}, less a random part of up to half, so that many clients of a restarted broker
   * do not all come back at once.
   *
   * @param initial the first wait, 1 ms to 1 minute
   * @param max the longest wait, at least {@code initial}, at most 1 hour
   * @return these options
   * @throws ValidationException (field {@code reconnect}) if out of range
   */
  public MqttBridgeOptions setReconnectBackoff(Duration initial, Duration max) {
    if (initial == null
        || max == null
        || initial.toMillis() < 1
        || initial.compareTo(Duration.ofMinutes(1)) > 0
        || max.compareTo(initial) < 0
        || max.compareTo(Duration.ofHours(1)) > 0) {
      throw new ValidationException(
          "reconnect", "initial between 1 ms and 1 minute, max between it and 1 hour");
    }
    this.reconnectInitial = initial;
    this.reconnectMax = max;
    return this;
  }

  /**
   * @return the MQTT keep-alive; default {@link #DEFAULT_KEEP_ALIVE}
   */
  public Duration getKeepAlive() {
    return keepAlive;
  }

  /**
   * @param keepAlive the MQTT keep-alive, 1 second to 18 hours (whole seconds on the wire)
   * @return these options
   * @throws ValidationException (field {@code keepAlive}) if out of range
   */
  public MqttBridgeOptions setKeepAlive(Duration keepAlive) {
    if (keepAlive == null
        || keepAlive.getSeconds() < 1
        || keepAlive.compareTo(Duration.ofHours(18)) > 0) {
      throw new ValidationException("keepAlive", "must be between 1 second and 18 hours");
    }
    this.keepAlive = keepAlive;
    return this;
  }

  /**
   * Checks what the setters cannot: that a broker URL is set.
   *
   * @return these options
   * @throws ValidationException (field {@code brokerUrl}) if it is missing
   */
  public MqttBridgeOptions validate() {
    if (brokerUrl == null) {
      throw new ValidationException(
          "brokerUrl", "the bridge needs a broker such as mqtt://host:1883");
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
            .put("clientId", clientId)
            .put("insecure", tls.insecure())
            .put("subscriptions", new JsonArray(new ArrayList<>(subscriptions)))
            .put("outboxSize", outboxSize)
            .put("maxTopics", maxTopics)
            .put("maxMessageBytes", maxMessageBytes)
            .put("reconnectInitial", reconnectInitial.toString())
            .put("reconnectMax", reconnectMax.toString())
            .put("keepAlive", keepAlive.toString());
    if (brokerUrl != null) {
      json.put("brokerUrl", brokerUrl.toString());
    }
    if (username != null) {
      json.put("username", username);
    }
    if (password != null) {
      json.put("password", password);
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
    return "MqttBridgeOptions" + json.encode();
  }
}
