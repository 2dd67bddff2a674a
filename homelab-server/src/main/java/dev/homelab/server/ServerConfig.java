package dev.homelab.server;

import dev.homelab.core.ValidationException;
import dev.homelab.core.access.AccessEngineOptions;
import dev.homelab.core.events.EventHubOptions;
import dev.homelab.core.files.FileStoreOptions;
import dev.homelab.core.leader.LeadershipOptions;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.Tier;
import dev.homelab.core.mqtt.MqttBridgeOptions;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.telemetry.DeviceStateOptions;
import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.core.upstream.aihub.AiHubOptions;
import dev.homelab.core.upstream.automation.AutomationOptions;
import dev.homelab.core.upstream.frigate.FrigateOptions;
import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import dev.homelab.server.mqtt.MqttGatewayOptions;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The server's configuration: built-in defaults, then an optional file named by {@code
 * HOMELAB_CONFIG} (JSON, or YAML for {@code .yaml}/{@code .yml}), then system properties ({@code
 * -Dhomelab.port=8080}), then environment variables ({@code PORT=8080}); later layers win.
 *
 * <p>Keys are the environment names ({@code DATABASE_URL}). A file may also write them in lower
 * case or nested ({@code database: {url: ...}}). {@link #problems()} lists everything wrong at
 * once; the server starts only when it is empty. {@link #toString()} never shows a secret.
 */
public final class ServerConfig {

  /** The keys whose values are secrets: never logged, never sent (from {@link ConfigKeys}). */
  public static final Set<String> SECRET_KEYS = secretKeys();

  private static Set<String> secretKeys() {
    Set<String> secrets = new java.util.LinkedHashSet<>();
    for (ConfigKey key : ConfigKeys.ALL) {
      if (key.type() == ConfigKey.Type.SECRET && !key.isTemplate()) {
        secrets.add(key.name());
      }
    }
    return java.util.Collections.unmodifiableSet(secrets);
  }

  /** Every key, with its default ({@code ""} for none), in the order of the docs. */
  public static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    for (ConfigKey key : ConfigKeys.ALL) {
      if (!key.isTemplate()) {
        d.put(key.name(), key.defaultValue());
      }
    }
    return java.util.Collections.unmodifiableMap(d);
  }

  /** Who may read {@code GET /metrics}. */
  public enum MetricsAccess {
    /** Anyone who can reach the port. */
    OPEN,
    /** Only requests with {@code Authorization: Bearer <METRICS_TOKEN>}. */
    TOKEN,
    /** Nobody: the route answers 404. */
    DISABLED
  }

  private final List<String> problems = new ArrayList<>();

  /** The raw values, every key present; shown only through {@link ConfigKey#display}. */
  private final Map<String, String> values;

  private final String host;
  private final int port;
  private final String env;
  private final String logLevel;
  private final String logDir;
  private final Path dataDir;
  private final StorageOptions storage;
  private final int maxBodySize;
  private final int requestTimeoutSeconds;
  private final int idleTimeoutSeconds;
  private final int requestHeaderTimeoutSeconds;
  private final int maxConnectionsPerClient;
  private final int shutdownTimeoutSeconds;
  private final MetricsAccess metricsAccess;
  private final String metricsToken;
  private final String accessToken;
  private final String jwtSecret;
  private final int jwtLifetimeSeconds;
  private final int authCacheSeconds;
  private final String redisUrl;
  private final String redisKeyPrefix;
  private final int rateLimitPerMinute;
  private final int rateLimitLoginPerMinute;
  private final int rateLimitAiPerMinute;
  private final int loginLockoutFailures;
  private final int loginLockoutMinutes;
  private final List<String> trustedProxies;
  private final List<String> corsOrigins;
  private final int auditRetentionDays;
  private final int accessLogRetentionDays;
  private final int hostMetricsIntervalSeconds;
  private final int serverMetricsIntervalSeconds;
  private final int guestMetricsIntervalSeconds;
  private final int automationMetricsIntervalSeconds;
  private final int eventsPingSeconds;
  private final int eventsMaxPerUser;
  private final int eventsMaxClients;
  private final DownsamplerOptions downsamplerOptions = new DownsamplerOptions();
  private final List<ProxmoxServerOptions> proxmoxServers;
  private final int proxmoxTaskFollowSeconds;
  private final FrigateOptions frigateOptions;
  private final MqttBridgeOptions mqttOptions;
  private final DeviceStateOptions deviceStateOptions;
  private static final long MIB = 1024L * 1024;

  private final Path storagePath;
  private final int filesMaxUploadMb;
  private final int filesQuotaMb;
  private final Duration filesUploadExpiry;
  private final Duration filesSweepInterval;
  private final String mqttAccessTopic;
  private final MqttGatewayOptions mqttGatewayOptions;
  private final AiHubOptions aiHubOptions;
  private final AutomationOptions automationOptions;
  private final boolean demoMode;

  private ServerConfig(Map<String, String> values, List<String> earlier) {
    this(values, earlier, false);
  }

  /**
   * @param simulated whether the upstream keys were filled in by demo mode ({@link
   *     #withDemoUpstreams}), so that their being set is no conflict with {@code ENABLE_MOCK_DATA}
   */
  private ServerConfig(Map<String, String> values, List<String> earlier, boolean simulated) {
    this.values = Map.copyOf(values);
    problems.addAll(earlier);
    host = nonBlank(values, "HOST");
    port = integer(values, "PORT");
    env = oneOf(values, "ENV");
    String level = values.get("LOG_LEVEL");
    logLevel =
        level.isEmpty()
            ? ("development".equals(env) ? "DEBUG" : "INFO")
            : oneOf(values, "LOG_LEVEL").replace("WARNING", "WARN");
    logDir = values.get("LOG_DIR");
    dataDir = Path.of(nonBlank(values, "DATA_DIR"));
    storage = storage(values);
    maxBodySize = integer(values, "MAX_BODY_SIZE");
    requestTimeoutSeconds = integer(values, "REQUEST_TIMEOUT_SECONDS");
    idleTimeoutSeconds = integer(values, "IDLE_TIMEOUT_SECONDS");
    requestHeaderTimeoutSeconds = integer(values, "REQUEST_HEADER_TIMEOUT_SECONDS");
    maxConnectionsPerClient = integer(values, "MAX_CONNECTIONS_PER_CLIENT");
    shutdownTimeoutSeconds = integer(values, "SHUTDOWN_TIMEOUT_SECONDS");
    String access = oneOf(values, "METRICS_ACCESS");
    metricsAccess = MetricsAccess.valueOf(access.toUpperCase(Locale.ROOT));
    metricsToken = values.get("METRICS_TOKEN").isEmpty() ? null : values.get("METRICS_TOKEN");
    if (metricsAccess == MetricsAccess.TOKEN
        && (metricsToken == null || metricsToken.length() < 16)) {
      problems.add("METRICS_TOKEN must be at least 16 characters when METRICS_ACCESS is token");
    }
    accessToken = optional(values, "ACCESS_TOKEN");
    if (accessToken != null && accessToken.length() < 16) {
      problems.add("ACCESS_TOKEN must be at least 16 characters (leave it empty to generate one)");
    }
    jwtSecret = optional(values, "JWT_SECRET");
    if (jwtSecret != null) {
      String weakness = weakJwtSecret(jwtSecret);
      if (weakness != null) {
        problems.add("JWT_SECRET " + weakness + " (leave it empty to generate one)");
      }
    }
    jwtLifetimeSeconds = integer(values, "JWT_LIFETIME_SECONDS");
    authCacheSeconds = integer(values, "AUTH_CACHE_SECONDS");
    redisUrl = optional(values, "REDIS_URL");
    if (redisUrl != null && !redisUrl.matches("(?i)rediss?://.+")) {
      problems.add("REDIS_URL must start with redis:// or rediss://");
    }
    redisKeyPrefix = values.get("REDIS_KEY_PREFIX");
    integer(values, "LEADER_TTL_SECONDS"); // for leadershipOptions()
    rateLimitPerMinute = integer(values, "RATE_LIMIT_PER_MINUTE");
    rateLimitLoginPerMinute = integer(values, "RATE_LIMIT_LOGIN_PER_MINUTE");
    rateLimitAiPerMinute = integer(values, "RATE_LIMIT_AI_PER_MINUTE");
    loginLockoutFailures = integer(values, "LOGIN_LOCKOUT_FAILURES");
    loginLockoutMinutes = integer(values, "LOGIN_LOCKOUT_MINUTES");
    trustedProxies = list(values, "TRUSTED_PROXIES");
    try {
      dev.homelab.server.auth.ClientIp.trusting(trustedProxies);
    } catch (IllegalArgumentException e) {
      problems.add("TRUSTED_PROXIES: " + e.getMessage());
    }
    corsOrigins = list(values, "CORS_ORIGINS");
    for (String origin : corsOrigins) {
      if (!origin.matches("https?://[A-Za-z0-9.\\[\\]:-]+")) {
        problems.add(
            "CORS_ORIGINS: "
                + origin
                + " is not an origin such as https://dash.example.lan:3000 (no '*', path or"
                + " trailing slash)");
      }
    }
    auditRetentionDays = integer(values, "AUDIT_RETENTION_DAYS");
    // Checked here; the access, events and leader features build their core options from their
    // sections (section(name)).
    integer(values, "ACCESS_LOCKOUT_THRESHOLD");
    integer(values, "ACCESS_LOCKOUT_WINDOW_SECONDS");
    integer(values, "ACCESS_LOCKOUT_SECONDS");
    integer(values, "ACCESS_POLICY_REFRESH_SECONDS");
    oneOf(values, "ACCESS_LOG_MODE");
    accessLogRetentionDays = integer(values, "ACCESS_LOG_RETENTION_DAYS");
    hostMetricsIntervalSeconds = integer(values, "METRICS_INTERVAL_HOST");
    serverMetricsIntervalSeconds = integer(values, "METRICS_INTERVAL_SERVERS");
    guestMetricsIntervalSeconds = integer(values, "METRICS_INTERVAL_VMS");
    automationMetricsIntervalSeconds = integer(values, "METRICS_INTERVAL_AUTOMATIONS");
    eventsPingSeconds = integer(values, "EVENTS_PING_SECONDS");
    eventsMaxPerUser = integer(values, "EVENTS_MAX_PER_USER");
    eventsMaxClients = integer(values, "EVENTS_MAX_CLIENTS");
    integer(values, "EVENTS_REPLAY_SIZE"); // for eventHubOptions()
    downsamplerOptions.setLateness(Duration.ofSeconds(integer(values, "METRICS_LATENESS_SECONDS")));
    for (Tier tier : DownsamplerOptions.DEFAULT_TIERS) {
      String key = "METRICS_RETENTION_" + tier.name().toUpperCase(Locale.ROOT);
      Duration retention = duration(values, key);
      if (retention != null) {
        downsamplerOptions.setRetention(tier.name(), retention);
      }
    }
    if (downsamplerOptions.getLateness().compareTo(downsamplerOptions.getTiers().get(0).retention())
        >= 0) {
      problems.add("METRICS_LATENESS_SECONDS must be shorter than METRICS_RETENTION_RAW");
    }
    proxmoxServers = proxmoxServers(values);
    proxmoxTaskFollowSeconds = integer(values, "PROXMOX_TASK_FOLLOW_SECONDS");
    frigateOptions = frigate(values);
    aiHubOptions = aiHub(values);
    automationOptions = automations(values);
    mqttOptions = mqtt(values);
    deviceStateOptions = deviceStates(values);
    storagePath =
        values.get("STORAGE_PATH").isBlank()
            ? dataDir.resolve("files")
            : Path.of(values.get("STORAGE_PATH").strip());
    filesMaxUploadMb = integer(values, "FILES_MAX_UPLOAD_MB");
    filesQuotaMb = integer(values, "FILES_QUOTA_MB");
    filesUploadExpiry = duration(values, "FILES_UPLOAD_EXPIRY");
    filesSweepInterval = duration(values, "FILES_SWEEP_INTERVAL");
    mqttAccessTopic = mqttAccessTopic(values);
    mqttGatewayOptions =
        new MqttGatewayOptions(
            values.get("MQTT_GATEWAY_HOST").isBlank()
                ? host
                : values.get("MQTT_GATEWAY_HOST").strip(),
            integer(values, "MQTT_GATEWAY_PORT"),
            integer(values, "MQTT_GATEWAY_MAX_CONNECTIONS"),
            integer(values, "MQTT_GATEWAY_MAX_MESSAGE_BYTES"),
            integer(values, "MQTT_GATEWAY_MAX_KEEP_ALIVE_SECONDS"),
            integer(values, "MQTT_GATEWAY_CONNECT_TIMEOUT_SECONDS"));
    demoMode = "true".equals(oneOf(values, ConfigKeys.ENABLE_MOCK_DATA));
    if (demoMode && !simulated) {
      List<String> real =
          DEMO_UPSTREAM_KEYS.stream().filter(key -> !values.get(key).isBlank()).toList();
      if (!real.isEmpty()) {
        // Filling in only the other upstreams would mix real and simulated ones behind one
        // dashboard; seed 003's mock mode sends nothing to a real upstream, and neither does this.
        problems.add(
            ConfigKeys.ENABLE_MOCK_DATA
                + "=true simulates every upstream, but "
                + String.join(", ", real)
                + (real.size() == 1 ? " is" : " are")
                + " set: remove "
                + (real.size() == 1 ? "it" : "them")
                + " for demo mode, or set "
                + ConfigKeys.ENABLE_MOCK_DATA
                + "=false to use the real upstreams");
      }
    }
  }

  /** The keys that configure a real upstream, which demo mode fills in itself. */
  private static final List<String> DEMO_UPSTREAM_KEYS =
      List.of(ConfigKeys.PROXMOX_SERVERS, "FRIGATE_URL", "AUTOMATION_API_URL", "AI_HUB_URL");

  /**
   * Checks the {@code AUTOMATION_API_*} keys together: they are read only when {@code
   * AUTOMATION_API_URL} is set, and then must make complete options.
   */
  private AutomationOptions automations(Map<String, String> values) {
    int before = problems.size();
    integer(values, "AUTOMATION_API_TIMEOUT_SECONDS");
    String url = values.get("AUTOMATION_API_URL").strip();
    if (url.isEmpty()) {
      if (!values.get("AUTOMATION_API_PASSWORD").isEmpty()) {
        problems.add(
            "AUTOMATION_API_PASSWORD is set but AUTOMATION_API_URL is empty: set"
                + " AUTOMATION_API_URL or remove AUTOMATION_API_PASSWORD");
      }
      return null;
    }
    if (problems.size() > before) {
      return null;
    }
    try {
      AutomationOptions options = new AutomationOptions(section("automations"));
      if (options.getBaseUrl().getHost() == null) {
        problems.add("AUTOMATION_API_URL: give an http or https url with a host");
        return null;
      }
      return options;
    } catch (RuntimeException e) {
      problems.add("AUTOMATION_API_URL: " + e.getMessage());
      return null;
    }
  }

  /**
   * Checks the {@code AI_HUB_*} keys together: they are read only when {@code AI_HUB_URL} is set,
   * and then must make complete options.
   */
  private AiHubOptions aiHub(Map<String, String> values) {
    int before = problems.size();
    integer(values, "AI_HUB_TIMEOUT_SECONDS");
    String url = values.get("AI_HUB_URL").strip();
    if (url.isEmpty()) {
      for (String key : List.of("AI_HUB_USER", "AI_HUB_PASSWORD")) {
        if (!values.get(key).isEmpty()) {
          problems.add(key + " is set but AI_HUB_URL is empty: set AI_HUB_URL or remove " + key);
        }
      }
      return null;
    }
    if (problems.size() > before) {
      return null;
    }
    try {
      return new AiHubOptions(section("ai"));
    } catch (RuntimeException e) {
      String message = e.getMessage();
      String key =
          message != null && message.startsWith("user")
              ? "AI_HUB_USER"
              : message != null && message.startsWith("timeout")
                  ? "AI_HUB_TIMEOUT_SECONDS"
                  : "AI_HUB_URL";
      problems.add(key + ": " + message);
      return null;
    }
  }

  /**
   * Checks the {@code FRIGATE_*} keys together: they are read only when {@code FRIGATE_URL} is set,
   * and then must make complete options.
   */
  private FrigateOptions frigate(Map<String, String> values) {
    int before = problems.size();
    integer(values, "FRIGATE_TIMEOUT_SECONDS");
    oneOf(values, "FRIGATE_INSECURE_TLS");
    String url = values.get("FRIGATE_URL").strip();
    if (url.isEmpty()) {
      for (String key :
          List.of("FRIGATE_USER", "FRIGATE_PASSWORD", "FRIGATE_FINGERPRINT", "FRIGATE_CA_FILE")) {
        if (!values.get(key).isEmpty()) {
          problems.add(key + " is set but FRIGATE_URL is empty: set FRIGATE_URL or remove " + key);
        }
      }
      return null;
    }
    if (problems.size() > before) {
      return null;
    }
    boolean tls =
        !values.get("FRIGATE_FINGERPRINT").isEmpty()
            || !values.get("FRIGATE_CA_FILE").isEmpty()
            || "true".equalsIgnoreCase(values.get("FRIGATE_INSECURE_TLS"));
    if (tls && !url.regionMatches(true, 0, "https://", 0, 8)) {
      problems.add(
          "FRIGATE_FINGERPRINT, FRIGATE_CA_FILE and FRIGATE_INSECURE_TLS apply to an https"
              + " FRIGATE_URL only");
      return null;
    }
    String caFile = values.get("FRIGATE_CA_FILE").strip();
    if (!caFile.isEmpty() && !java.nio.file.Files.isReadable(Path.of(caFile))) {
      problems.add("FRIGATE_CA_FILE names " + caFile + ", which is not a readable file");
      return null;
    }
    try {
      return new FrigateOptions(section("frigate")).validate();
    } catch (ValidationException e) {
      String key =
          switch (e.field()) {
            case "baseUrl" -> "FRIGATE_URL";
            case "password" -> "FRIGATE_USER and FRIGATE_PASSWORD";
            case "tls.fingerprint" -> "FRIGATE_FINGERPRINT";
            case "tls" -> "FRIGATE_FINGERPRINT, FRIGATE_CA_FILE and FRIGATE_INSECURE_TLS";
            case "timeout" -> "FRIGATE_TIMEOUT_SECONDS";
            default -> "FRIGATE_" + e.field().toUpperCase(Locale.ROOT);
          };
      problems.add(key + ": " + e.getMessage());
      return null;
    } catch (RuntimeException e) {
      problems.add("FRIGATE_URL: " + e.getMessage());
      return null;
    }
  }

  /** Reads the device state history's keys; each base topic must be a topic name. */
  private DeviceStateOptions deviceStates(Map<String, String> values) {
    List<String> bases = list(values, "MQTT_ZIGBEE2MQTT_BASE_TOPICS");
    try {
      return new DeviceStateOptions(
          bases,
          Duration.ofDays(integer(values, "MQTT_STATE_RETENTION_DAYS")),
          DeviceStateOptions.DEFAULT_MAX_PENDING);
    } catch (ValidationException e) {
      problems.add("MQTT_ZIGBEE2MQTT_BASE_TOPICS: " + e.getMessage());
      return null;
    }
  }

  /**
   * Checks the {@code MQTT_*} keys together when {@code MQTT_URL} is set. The account keys are
   * shared with compose's Mosquitto service, so they are not a problem while the bridge is off.
   */
  private MqttBridgeOptions mqtt(Map<String, String> values) {
    oneOf(values, "MQTT_INSECURE_TLS");
    String url = values.get("MQTT_URL").strip();
    if (url.isEmpty()) {
      return null;
    }
    int before = problems.size();
    List<String> filters = list(values, "MQTT_SUBSCRIPTIONS");
    for (String filter : filters) {
      String problem = dev.homelab.core.mqtt.MqttTopics.filterProblem(filter);
      if (problem != null) {
        problems.add("MQTT_SUBSCRIPTIONS: the filter " + filter + " " + problem);
      }
    }
    if (filters.isEmpty()) {
      problems.add("MQTT_SUBSCRIPTIONS: name at least one topic filter");
    }
    boolean tls =
        !values.get("MQTT_FINGERPRINT").isEmpty()
            || !values.get("MQTT_CA_FILE").isEmpty()
            || "true".equalsIgnoreCase(values.get("MQTT_INSECURE_TLS"));
    if (tls && !url.regionMatches(true, 0, "mqtts://", 0, 8)) {
      // A silently ignored pin would look like protection that is not there.
      problems.add(
          "MQTT_FINGERPRINT, MQTT_CA_FILE and MQTT_INSECURE_TLS apply to an mqtts:// MQTT_URL only");
    }
    String caFile = values.get("MQTT_CA_FILE").strip();
    if (!caFile.isEmpty() && !java.nio.file.Files.isReadable(Path.of(caFile))) {
      problems.add("MQTT_CA_FILE names " + caFile + ", which is not a readable file");
    }
    if (problems.size() > before) {
      return null;
    }
    try {
      MqttBridgeOptions options = new MqttBridgeOptions(section("mqtt"));
      String password = values.get("MQTT_PASSWORD");
      if (!password.isEmpty()) {
        options.setCredentials(values.get("MQTT_USERNAME").strip(), password);
      }
      return options.setSubscriptions(filters).validate();
    } catch (ValidationException e) {
      String key =
          switch (e.field()) {
            case "brokerUrl" -> "MQTT_URL";
            case "clientId" -> "MQTT_CLIENT_ID";
            case "username", "password" -> "MQTT_USERNAME and MQTT_PASSWORD";
            case "tls.fingerprint" -> "MQTT_FINGERPRINT";
            case "tls" -> "MQTT_FINGERPRINT, MQTT_CA_FILE and MQTT_INSECURE_TLS";
            default -> "MQTT_" + e.field().toUpperCase(Locale.ROOT);
          };
      problems.add(key + ": " + e.getMessage());
      return null;
    } catch (RuntimeException e) {
      problems.add("MQTT_URL: " + e.getMessage());
      return null;
    }
  }

  private String mqttAccessTopic(Map<String, String> values) {
    String topic = values.get("MQTT_ACCESS_TOPIC").strip();
    try {
      return new dev.homelab.core.access.ReaderMessages(topic).baseTopic();
    } catch (ValidationException e) {
      problems.add("MQTT_ACCESS_TOPIC: " + e.getMessage());
      return dev.homelab.core.access.ReaderMessages.DEFAULT_BASE_TOPIC;
    }
  }

  /** The ids listed in a template's ids key, as listed. */
  private static List<String> ids(Map<String, String> values, ConfigKey template) {
    return list(values, template.idsKey());
  }

  /**
   * The Proxmox servers of {@code PROXMOX_SERVERS}, each from its {@code PROXMOX_<ID>_*} keys; a
   * listed id without its URL or token, a bad value, or a key for an id that is not listed is a
   * problem naming the key.
   */
  private List<ProxmoxServerOptions> proxmoxServers(Map<String, String> values) {
    List<String> ids = list(values, ConfigKeys.PROXMOX_SERVERS);
    Set<String> envIds = new java.util.HashSet<>();
    List<ProxmoxServerOptions> servers = new ArrayList<>();
    for (String id : ids) {
      if (!ProxmoxServerOptions.ID.matcher(id).matches()) {
        problems.add(
            ConfigKeys.PROXMOX_SERVERS
                + ": '"
                + id
                + "' is not a server id (lower-case letters, digits and '-', at most 63)");
        continue;
      }
      if (!envIds.add(ConfigKey.envId(id))) {
        problems.add(ConfigKeys.PROXMOX_SERVERS + " lists " + id + " twice");
        continue;
      }
      ProxmoxServerOptions server = proxmoxServer(values, id);
      if (server != null) {
        servers.add(server);
      }
    }
    for (String name : values.keySet()) {
      ConfigKey template = ConfigKeys.templateOf(name);
      if (template != null && !envIds.contains(template.idIn(name))) {
        problems.add(
            name
                + " is set, but no id listed in "
                + template.idsKey()
                + " is "
                + template.idIn(name).toLowerCase(Locale.ROOT).replace('_', '-'));
      }
    }
    return List.copyOf(servers);
  }

  private ProxmoxServerOptions proxmoxServer(Map<String, String> values, String id) {
    java.util.function.Function<String, String> key =
        suffix -> ConfigKeys.get("PROXMOX_<ID>_" + suffix).expand(id).name();
    java.util.function.Function<String, String> value =
        suffix ->
            values
                .getOrDefault(
                    key.apply(suffix), ConfigKeys.get("PROXMOX_<ID>_" + suffix).defaultValue())
                .strip();
    int before = problems.size();
    for (String required : List.of("URL", "TOKEN_ID", "TOKEN_SECRET")) {
      if (value.apply(required).isEmpty()) {
        problems.add(
            key.apply(required)
                + " must be set: "
                + id
                + " is listed in "
                + ConfigKeys.PROXMOX_SERVERS);
      }
    }
    String insecure = value.apply("INSECURE_TLS").toLowerCase(Locale.ROOT);
    if (!insecure.equals("true") && !insecure.equals("false")) {
      problems.add(key.apply("INSECURE_TLS") + " must be true or false, got '" + insecure + "'");
    }
    String fingerprint = value.apply("FINGERPRINT");
    String caFile = value.apply("CA_FILE");
    int ways =
        (fingerprint.isEmpty() ? 0 : 1)
            + (caFile.isEmpty() ? 0 : 1)
            + (insecure.equals("true") ? 1 : 0);
    if (ways > 1) {
      problems.add(
          key.apply("FINGERPRINT")
              + ", "
              + key.apply("CA_FILE")
              + " and "
              + key.apply("INSECURE_TLS")
              + "=true are exclusive: set one of them");
    }
    if (!caFile.isEmpty() && !Files.isRegularFile(Path.of(caFile))) {
      problems.add(key.apply("CA_FILE") + " names " + caFile + ", which is not a readable file");
    }
    int timeout = 10;
    String timeoutText = value.apply("TIMEOUT_SECONDS");
    try {
      timeout = Integer.parseInt(timeoutText);
      if (timeout < 1 || timeout > 300) {
        problems.add(
            key.apply("TIMEOUT_SECONDS") + " must be between 1 and 300, got " + timeoutText);
      }
    } catch (NumberFormatException e) {
      problems.add(
          key.apply("TIMEOUT_SECONDS") + " must be a whole number, got '" + timeoutText + "'");
    }
    if (problems.size() > before) {
      return null;
    }
    String field = "URL";
    try {
      String name = value.apply("NAME");
      ProxmoxServerOptions options =
          ProxmoxServerOptions.of(
              id,
              name.isEmpty() ? id : name,
              value.apply("URL"),
              value.apply("TOKEN_ID"),
              value.apply("TOKEN_SECRET"));
      field = "NODE";
      if (!value.apply("NODE").isEmpty()) {
        options = options.withNode(value.apply("NODE"));
      }
      field = "FINGERPRINT";
      UpstreamTls tls =
          !fingerprint.isEmpty()
              ? UpstreamTls.pinned(fingerprint)
              : !caFile.isEmpty()
                  ? UpstreamTls.caFile(Path.of(caFile))
                  : insecure.equals("true") ? UpstreamTls.anyCertificate() : UpstreamTls.system();
      return options.withTls(tls).withTimeout(Duration.ofSeconds(timeout));
    } catch (ValidationException e) {
      String suffix =
          switch (e.field() == null ? "" : e.field()) {
            case "name" -> "NAME";
            case "base_url" -> "URL";
            case "node" -> "NODE";
            case "token_id" -> "TOKEN_ID";
            case "token_secret" -> "TOKEN_SECRET";
            default -> field;
          };
      // The message names the key and what it must be; it never echoes a value (a secret).
      problems.add(key.apply(suffix) + ": " + e.getMessage());
      return null;
    }
  }

  /** A duration such as {@code 90s}, {@code 30m}, {@code 24h} or {@code 7d}; null if invalid. */
  private Duration duration(Map<String, String> values, String key) {
    String value = values.get(key).strip().toLowerCase(Locale.ROOT);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([1-9][0-9]{0,5})([smhd])").matcher(value);
    if (!m.matches()) {
      problems.add(
          key + " must be a number and a unit, such as 90m, 24h or 7d (got " + value + ")");
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /** Why a configured JWT secret is unsafe, or {@code null} if it is not. */
  private static String weakJwtSecret(String secret) {
    if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      return "must be at least 32 bytes";
    }
    if (secret.chars().distinct().count() < 8
        || secret
            .toLowerCase(Locale.ROOT)
            .matches(".*(changeme|change-me|change_me|example|your.?secret|placeholder).*")) {
      return "looks like a placeholder, not a random secret";
    }
    return null;
  }

  private static String optional(Map<String, String> values, String key) {
    String value = values.get(key);
    return value.isEmpty() ? null : value;
  }

  private static List<String> list(Map<String, String> values, String key) {
    List<String> items = new ArrayList<>();
    for (String item : values.get(key).split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return List.copyOf(items);
  }

  /**
   * Reads the layers and builds the configuration: a file named by {@code HOMELAB_CONFIG} is read
   * and parsed with vertx-config; without one the layers are flat maps of strings, merged here.
   *
   * @param vertx a Vert.x instance for the config retriever
   * @param environment the environment variables
   * @param systemProperties the system properties
   * @return the configuration, possibly with {@link #problems()}; never a failed future for bad
   *     values
   */
  public static Future<ServerConfig> load(
      Vertx vertx, Map<String, String> environment, Properties systemProperties) {
    Layers layers = Layers.of(environment, systemProperties);
    return layers.file() == null
        ? Future.succeededFuture(layers.merged())
        : layers.readWithFile(vertx);
  }

  /**
   * Like {@link #load}, for the command line, before the server's Vert.x exists: a file is read on
   * a Vert.x instance of its own, closed before returning. Blocking; never call it on an event
   * loop.
   *
   * @param environment the environment variables
   * @param systemProperties the system properties
   * @return the configuration, possibly with {@link #problems()}
   */
  public static ServerConfig loadBlocking(
      Map<String, String> environment, Properties systemProperties) {
    Layers layers = Layers.of(environment, systemProperties);
    if (layers.file() == null) {
      // No Vert.x, no vertx-config: a start without a file (the usual one) is not held up by
      // starting and stopping a Vert.x instance nor by a JSON round trip of every layer.
      return layers.merged();
    }
    Vertx bootstrap = Vertx.vertx();
    try {
      return layers.readWithFile(bootstrap).await();
    } finally {
      bootstrap.close().await();
    }
  }

  /**
   * The layers of a configuration: defaults, then the file of {@code HOMELAB_CONFIG} if any, then
   * {@code homelab.*} system properties, then the environment.
   *
   * @param environment the known keys of the environment
   * @param sys the {@code homelab.*} system properties, their keys normalized
   * @param file the readable file to read, or {@code null}
   * @param problems what is already wrong (a file named but not readable)
   */
  private record Layers(
      Map<String, String> environment,
      Map<String, String> sys,
      String file,
      List<String> problems) {

    static Layers of(Map<String, String> environment, Properties systemProperties) {
      Map<String, String> env = known(environment);
      Map<String, String> sys = new LinkedHashMap<>();
      for (String name : systemProperties.stringPropertyNames()) {
        if (name.startsWith("homelab.")) {
          sys.put(
              normalize(name.substring("homelab.".length())), systemProperties.getProperty(name));
        }
      }
      String file = env.getOrDefault("HOMELAB_CONFIG", sys.get("HOMELAB_CONFIG"));
      List<String> problems = new ArrayList<>();
      if (file != null && file.isBlank()) {
        file = null;
      } else if (file != null && !Files.isRegularFile(Path.of(file))) {
        problems.add("HOMELAB_CONFIG names " + file + ", which is not a readable file");
        file = null;
      }
      return new Layers(env, sys, file, problems);
    }

    /** The layers without a file: later ones win, key by key, as vertx-config merges them. */
    ServerConfig merged() {
      Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
      merged.putAll(sys);
      merged.putAll(environment);
      Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
      merged.forEach((key, value) -> put(values, normalize(key), value, problems));
      return new ServerConfig(values, problems);
    }

    /** The layers with the file, read and merged by vertx-config, which parses JSON and YAML. */
    Future<ServerConfig> readWithFile(Vertx vertx) {
      String format = file.endsWith(".yaml") || file.endsWith(".yml") ? "yaml" : "json";
      ConfigRetrieverOptions layers =
          new ConfigRetrieverOptions()
              .setScanPeriod(0)
              .addStore(json(new JsonObject(new LinkedHashMap<>(DEFAULTS))))
              .addStore(
                  new ConfigStoreOptions()
                      .setType("file")
                      .setFormat(format)
                      .setConfig(new JsonObject().put("path", file)))
              .addStore(json(new JsonObject(new LinkedHashMap<>(sys))))
              .addStore(json(new JsonObject(new LinkedHashMap<>(environment))));
      ConfigRetriever retriever = ConfigRetriever.create(vertx, layers);
      return retriever
          .getConfig()
          .transform(
              merged -> {
                retriever.close();
                if (merged.failed()) {
                  problems.add(
                      "HOMELAB_CONFIG "
                          + file
                          + " cannot be parsed: "
                          + merged.cause().getMessage());
                  return Future.succeededFuture(
                      new ServerConfig(new LinkedHashMap<>(DEFAULTS), problems));
                }
                Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
                flatten("", merged.result(), values, problems);
                return Future.succeededFuture(new ServerConfig(values, problems));
              });
    }
  }

  /**
   * Builds a configuration from explicit values, over the defaults; for tests and embedding.
   *
   * @param values keys as in {@link #DEFAULTS}
   * @return the configuration, possibly with {@link #problems()}
   */
  public static ServerConfig of(Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(DEFAULTS);
    List<String> problems = new ArrayList<>();
    values.forEach((key, value) -> put(all, normalize(key), value, problems));
    return new ServerConfig(all, problems);
  }

  private static ConfigStoreOptions json(JsonObject config) {
    return new ConfigStoreOptions().setType("json").setConfig(config);
  }

  private static Map<String, String> known(Map<String, String> environment) {
    Map<String, String> known = new LinkedHashMap<>();
    environment.forEach(
        (key, value) -> {
          if (DEFAULTS.containsKey(key)
              || "HOMELAB_CONFIG".equals(key)
              || ConfigKeys.templateOf(key) != null) {
            known.put(key, value);
          }
        });
    return known;
  }

  private static void flatten(
      String prefix, JsonObject json, Map<String, String> into, List<String> problems) {
    for (Map.Entry<String, Object> entry : json) {
      String key = normalize(prefix.isEmpty() ? entry.getKey() : prefix + "_" + entry.getKey());
      if (entry.getValue() instanceof JsonObject nested) {
        flatten(key, nested, into, problems);
      } else {
        put(into, key, entry.getValue() == null ? "" : String.valueOf(entry.getValue()), problems);
      }
    }
  }

  private static void put(
      Map<String, String> into, String key, String value, List<String> problems) {
    if (DEFAULTS.containsKey(key) || ConfigKeys.templateOf(key) != null) {
      into.put(key, value.trim());
    } else if (!"HOMELAB_CONFIG".equals(key)) {
      problems.add("unknown configuration key " + key + " (see .env.example for the keys)");
    }
  }

  private static String normalize(String key) {
    return key.trim().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private StorageOptions storage(Map<String, String> values) {
    StorageOptions options = new StorageOptions();
    String path = values.get("DATABASE_PATH");
    if (!path.isEmpty()) {
      options.setSqlitePath(path);
    } else {
      options.setSqlitePath(dataDir.resolve("homelab.db").toString());
    }
    try {
      options.setUrl(values.get("DATABASE_URL").isEmpty() ? null : values.get("DATABASE_URL"));
    } catch (IllegalArgumentException e) {
      problems.add("DATABASE_URL: " + e.getMessage());
    }
    try {
      options.setAdminUrl(
          values.get("DATABASE_ADMIN_URL").isEmpty() ? null : values.get("DATABASE_ADMIN_URL"));
      if (options.getAdminUrl() != null && options.getUrl() == null) {
        problems.add(
            "DATABASE_ADMIN_URL is set but DATABASE_URL is not: an admin url only applies to PostgreSQL");
      }
    } catch (IllegalArgumentException e) {
      problems.add("DATABASE_ADMIN_URL: " + e.getMessage());
    }
    int pool = integer(values, "DATABASE_POOL_SIZE");
    if (pool > 0) {
      options.setMaxPoolSize(pool);
    }
    return options;
  }

  private String nonBlank(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value.isBlank()) {
      problems.add(key + " must not be empty");
      return DEFAULTS.get(key);
    }
    return value;
  }

  /** A whole number within the range its declaration gives. */
  private int integer(Map<String, String> values, String key) {
    ConfigKey declared = ConfigKeys.get(key);
    long min = declared.min();
    long max = declared.max();
    String value = values.get(key);
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        problems.add(key + " must be between " + min + " and " + max + ", got " + value);
        return Integer.parseInt(DEFAULTS.get(key));
      }
      return parsed;
    } catch (NumberFormatException e) {
      problems.add(key + " must be a whole number, got '" + value + "'");
      return Integer.parseInt(DEFAULTS.get(key));
    }
  }

  /** One of the choices its declaration gives, as declared (case-insensitive). */
  private String oneOf(Map<String, String> values, String key) {
    List<String> allowed = ConfigKeys.get(key).choices();
    String value = values.get(key);
    for (String candidate : allowed) {
      if (candidate.equalsIgnoreCase(value)) {
        return candidate;
      }
    }
    problems.add(key + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    return allowed.get(0);
  }

  /**
   * @return every problem found, one sentence each; empty when the configuration is valid
   */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * @return this configuration
   * @throws InvalidConfigException listing every problem, if there is any
   */
  public ServerConfig requireValid() {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return this;
  }

  /**
   * @return the interface to listen on ({@code HOST}); default {@code 127.0.0.1}
   */
  public String host() {
    return host;
  }

  /**
   * @return the port to listen on ({@code PORT}); default 8000, 0 picks a free port
   */
  public int port() {
    return port;
  }

  /**
   * @return {@code development} or {@code production} ({@code ENV}); default {@code production}
   */
  public String env() {
    return env;
  }

  /**
   * @return the root log level ({@code LOG_LEVEL}); default DEBUG in development, else INFO
   */
  public String logLevel() {
    return logLevel;
  }

  /**
   * @return the directory of the rotating log file ({@code LOG_DIR}); empty for console only
   */
  public String logDir() {
    return logDir;
  }

  /**
   * @return the data directory ({@code DATA_DIR}); default {@code data}
   */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * @return where data is stored: {@code DATABASE_URL}, else SQLite at {@code DATABASE_PATH}, else
   *     {@code DATA_DIR/homelab.db}
   */
  public StorageOptions storage() {
    return new StorageOptions(storage);
  }

  /**
   * @return the largest accepted request body in bytes ({@code MAX_BODY_SIZE}); default 1 MiB
   */
  public int maxBodySize() {
    return maxBodySize;
  }

  /**
   * @return the seconds a request may take before it is answered 503 ({@code
   *     REQUEST_TIMEOUT_SECONDS})
   */
  public int requestTimeoutSeconds() {
    return requestTimeoutSeconds;
  }

  /**
   * @return the seconds an idle connection stays open ({@code IDLE_TIMEOUT_SECONDS})
   */
  public int idleTimeoutSeconds() {
    return idleTimeoutSeconds;
  }

  /**
   * @return the seconds a request head may take from its first byte ({@code
   *     REQUEST_HEADER_TIMEOUT_SECONDS})
   */
  public int requestHeaderTimeoutSeconds() {
    return requestHeaderTimeoutSeconds;
  }

  /**
   * @return the most connections one client address may hold open, 0 for no cap ({@code
   *     MAX_CONNECTIONS_PER_CLIENT})
   */
  public int maxConnectionsPerClient() {
    return maxConnectionsPerClient;
  }

  /**
   * @return the seconds in-flight requests get to finish on shutdown ({@code
   *     SHUTDOWN_TIMEOUT_SECONDS})
   */
  public int shutdownTimeoutSeconds() {
    return shutdownTimeoutSeconds;
  }

  /**
   * @return who may read {@code /metrics} ({@code METRICS_ACCESS}); default open
   */
  public MetricsAccess metricsAccess() {
    return metricsAccess;
  }

  /**
   * @return the bearer token {@code /metrics} requires when access is {@code token}, or {@code
   *     null}
   */
  public String metricsToken() {
    return metricsToken;
  }

  /**
   * @return the built-in administrator's access token ({@code ACCESS_TOKEN}), or {@code null} to
   *     use the one generated into the data directory
   */
  public String accessToken() {
    return accessToken;
  }

  /**
   * @return the JWT signing secret ({@code JWT_SECRET}), or {@code null} to use the one generated
   *     into the data directory
   */
  public String jwtSecret() {
    return jwtSecret;
  }

  /**
   * @return how long a session token is valid ({@code JWT_LIFETIME_SECONDS}); default 7 days
   */
  public int jwtLifetimeSeconds() {
    return jwtLifetimeSeconds;
  }

  /**
   * @return how long users, keys and revocations are cached per instance ({@code
   *     AUTH_CACHE_SECONDS}); default 5, 0 reads the store on every request
   */
  public int authCacheSeconds() {
    return authCacheSeconds;
  }

  /**
   * @return the Redis url ({@code REDIS_URL}), or {@code null} to keep counters in memory
   */
  public String redisUrl() {
    return redisUrl;
  }

  /**
   * @return the prefix of every Redis key ({@code REDIS_KEY_PREFIX}); default {@code homelab:}
   */
  public String redisKeyPrefix() {
    return redisKeyPrefix;
  }

  /**
   * @return the timing of the election of the instance that runs the collectors, roll-ups and
   *     retention ({@code LEADER_TTL_SECONDS}, default 15): a follower tries, and the leader
   *     renews, every third of it
   */
  public LeadershipOptions leadershipOptions() {
    return new LeadershipOptions(section("leader"));
  }

  /**
   * @return requests per client IP per minute under {@code /api} ({@code RATE_LIMIT_PER_MINUTE})
   */
  public int rateLimitPerMinute() {
    return rateLimitPerMinute;
  }

  /**
   * @return login attempts per client IP per minute ({@code RATE_LIMIT_LOGIN_PER_MINUTE})
   */
  public int rateLimitLoginPerMinute() {
    return rateLimitLoginPerMinute;
  }

  /**
   * @return requests per client IP per minute to the AI routes ({@code RATE_LIMIT_AI_PER_MINUTE})
   */
  public int rateLimitAiPerMinute() {
    return rateLimitAiPerMinute;
  }

  /**
   * @return failed logins that lock an account ({@code LOGIN_LOCKOUT_FAILURES})
   */
  public int loginLockoutFailures() {
    return loginLockoutFailures;
  }

  /**
   * @return how long an account stays locked, in minutes ({@code LOGIN_LOCKOUT_MINUTES})
   */
  public int loginLockoutMinutes() {
    return loginLockoutMinutes;
  }

  /**
   * @return the proxies whose {@code X-Forwarded-For} is believed ({@code TRUSTED_PROXIES})
   */
  public List<String> trustedProxies() {
    return trustedProxies;
  }

  /**
   * @return the origins allowed by CORS ({@code CORS_ORIGINS}); empty for none
   */
  public List<String> corsOrigins() {
    return corsOrigins;
  }

  /**
   * @return how many days audit entries are kept ({@code AUDIT_RETENTION_DAYS})
   */
  public int auditRetentionDays() {
    return auditRetentionDays;
  }

  /**
   * @return the access engine's options ({@code ACCESS_LOCKOUT_*}, {@code ACCESS_LOG_MODE}, {@code
   *     ACCESS_POLICY_REFRESH_SECONDS}), a copy
   */
  public AccessEngineOptions accessEngineOptions() {
    return new AccessEngineOptions(section("access"));
  }

  /**
   * @return the event hub's options ({@code EVENTS_REPLAY_SIZE}), a copy
   */
  public EventHubOptions eventHubOptions() {
    return new EventHubOptions(section("events"));
  }

  /**
   * A feature's section of the configuration as the JSON its core options class is built from:
   * every key the feature owns that sets an options field ({@link ConfigKey#option()}), converted.
   * Call it on a valid configuration only.
   *
   * @param feature the feature's name, for example {@code access}
   * @return the fields, for example {@code {"lockoutThreshold":5,"durableLog":true,...}}
   */
  public JsonObject section(String feature) {
    JsonObject json = new JsonObject();
    for (ConfigKey key : ConfigKeys.ALL) {
      if (feature.equals(key.section()) && key.option() != null) {
        json.put(
            key.option().field(), key.option().convert().apply(values.get(key.name()).strip()));
      }
    }
    return json;
  }

  /**
   * @return how many days access log rows are kept ({@code ACCESS_LOG_RETENTION_DAYS})
   */
  public int accessLogRetentionDays() {
    return accessLogRetentionDays;
  }

  /**
   * @return how often an idle event stream gets a comment ping ({@code EVENTS_PING_SECONDS})
   */
  public Duration eventsPing() {
    return Duration.ofSeconds(eventsPingSeconds);
  }

  /**
   * @return how many event streams one user may have open at once ({@code EVENTS_MAX_PER_USER})
   */
  public int eventsMaxPerUser() {
    return eventsMaxPerUser;
  }

  /**
   * @return how many event streams may be open at once in all ({@code EVENTS_MAX_CLIENTS})
   */
  public int eventsMaxClients() {
    return eventsMaxClients;
  }

  /**
   * @return how often the host monitor samples ({@code METRICS_INTERVAL_HOST}); zero when it is off
   */
  public Duration hostMetricsInterval() {
    return Duration.ofSeconds(hostMetricsIntervalSeconds);
  }

  /**
   * @return how often each Proxmox node is collected ({@code METRICS_INTERVAL_SERVERS}); zero when
   *     off
   */
  public Duration serverMetricsInterval() {
    return Duration.ofSeconds(serverMetricsIntervalSeconds);
  }

  /**
   * @return how often each Proxmox server's guests are collected ({@code METRICS_INTERVAL_VMS});
   *     zero when off
   */
  public Duration guestMetricsInterval() {
    return Duration.ofSeconds(guestMetricsIntervalSeconds);
  }

  /**
   * @return how often the automations are collected ({@code METRICS_INTERVAL_AUTOMATIONS}); zero
   *     when off
   */
  public Duration automationMetricsInterval() {
    return Duration.ofSeconds(automationMetricsIntervalSeconds);
  }

  /**
   * @return the Proxmox servers ({@code PROXMOX_SERVERS} and each id's {@code PROXMOX_<ID>_*}), in
   *     listed order; empty when none is configured
   */
  public List<ProxmoxServerOptions> proxmoxServers() {
    return proxmoxServers;
  }

  /**
   * @return how long the server follows a power action's task, publishing its progress ({@code
   *     PROXMOX_TASK_FOLLOW_SECONDS})
   */
  public Duration proxmoxTaskFollow() {
    return Duration.ofSeconds(proxmoxTaskFollowSeconds);
  }

  /**
   * @return the downsampler's options ({@code METRICS_LATENESS_SECONDS}, {@code
   *     METRICS_RETENTION_*}), a copy
   */
  public DownsamplerOptions downsamplerOptions() {
    return new DownsamplerOptions(downsamplerOptions);
  }

  /**
   * Describes the configuration for the startup log: secrets are shown as {@code ***} and passwords
   * are removed from urls.
   *
   * @return a description without secrets
   */
  @Override
  public String toString() {
    // Every key through its declaration's display, so that a secret is masked by construction,
    // whoever adds it.
    StringBuilder out = new StringBuilder("ServerConfig{");
    Set<String> expanded = new java.util.HashSet<>();
    for (ConfigKey declared : ConfigKeys.ALL) {
      List<ConfigKey> keys = List.of(declared);
      if (declared.isTemplate()) {
        // Every template of the same ids key at once, grouped by id: PROXMOX_NAS_*, then the next.
        if (!expanded.add(declared.idsKey())) {
          continue;
        }
        List<ConfigKey> templates =
            ConfigKeys.ALL.stream().filter(key -> declared.idsKey().equals(key.idsKey())).toList();
        keys =
            ids(values, declared).stream()
                .filter(id -> ProxmoxServerOptions.ID.matcher(id).matches())
                .distinct()
                .flatMap(id -> templates.stream().map(template -> template.expand(id)))
                .toList();
      }
      for (ConfigKey key : keys) {
        if (out.length() > "ServerConfig{".length()) {
          out.append(", ");
        }
        out.append(key.name()).append('=').append(key.display(values.get(key.name())));
      }
    }
    return out.append('}').toString();
  }

  /**
   * @return whether demo mode is on ({@code ENABLE_MOCK_DATA}); default off
   */
  public boolean demoMode() {
    return demoMode;
  }

  /**
   * This configuration with the upstream keys of demo mode's simulators filled in: the upstream
   * features then build their clients from them as from any configuration. Call it on a valid
   * configuration in demo mode only, whose own upstream keys are therefore empty.
   *
   * @param upstreamKeys the simulators' keys, such as {@code FRIGATE_URL} and {@code
   *     PROXMOX_NAS_TOKEN_SECRET}
   * @return the configuration the server runs with; {@link #problems()} names any key that does not
   *     make a valid upstream
   * @throws IllegalStateException if demo mode is off
   */
  public ServerConfig withDemoUpstreams(Map<String, String> upstreamKeys) {
    if (!demoMode) {
      throw new IllegalStateException(ConfigKeys.ENABLE_MOCK_DATA + " is not true");
    }
    Map<String, String> all = new LinkedHashMap<>(values);
    List<String> found = new ArrayList<>();
    upstreamKeys.forEach((key, value) -> put(all, normalize(key), value, found));
    return new ServerConfig(all, found, true);
  }

  /**
   * @return the Frigate NVR's options ({@code FRIGATE_*}), a copy, or {@code null} when {@code
   *     FRIGATE_URL} is empty (the feature is off)
   */
  public FrigateOptions frigateOptions() {
    return frigateOptions == null ? null : new FrigateOptions(frigateOptions);
  }

  /**
   * @return the AI hub's options ({@code AI_HUB_*}), a copy, or {@code null} when {@code
   *     AI_HUB_URL} is empty (the feature is off)
   */
  public AiHubOptions aiHubOptions() {
    return aiHubOptions == null ? null : new AiHubOptions(aiHubOptions);
  }

  /**
   * @return the automation API's options ({@code AUTOMATION_API_*}), a copy, or {@code null} when
   *     {@code AUTOMATION_API_URL} is empty (the feature is off)
   */
  public AutomationOptions automationOptions() {
    return automationOptions == null ? null : new AutomationOptions(automationOptions);
  }

  /**
   * @return the MQTT bridge's options ({@code MQTT_*}), a copy, or {@code null} when {@code
   *     MQTT_URL} is empty (the bridge is off)
   */
  public MqttBridgeOptions mqttOptions() {
    return mqttOptions == null ? null : new MqttBridgeOptions(mqttOptions);
  }

  /**
   * @return how the file store is set up ({@code STORAGE_PATH}, default {@code DATA_DIR/files};
   *     {@code FILES_MAX_UPLOAD_MB}, {@code FILES_QUOTA_MB}, {@code FILES_UPLOAD_EXPIRY})
   */
  public FileStoreOptions fileStoreOptions() {
    return FileStoreOptions.defaults(storagePath)
        .withMaxFileBytes(filesMaxUploadMb * MIB)
        .withQuotaBytes(filesQuotaMb * MIB)
        .withUploadExpiry(filesUploadExpiry);
  }

  /**
   * @return how often the file store is swept ({@code FILES_SWEEP_INTERVAL})
   */
  public Duration filesSweepInterval() {
    return filesSweepInterval;
  }

  /**
   * @return how the device state history records ({@code MQTT_ZIGBEE2MQTT_BASE_TOPICS}, {@code
   *     MQTT_STATE_RETENTION_DAYS})
   */
  public DeviceStateOptions deviceStateOptions() {
    return deviceStateOptions;
  }

  /**
   * @return the base topic of door readers on the broker ({@code MQTT_ACCESS_TOPIC})
   */
  public String mqttAccessTopic() {
    return mqttAccessTopic;
  }

  /**
   * @return how the MQTT device gateway listens ({@code MQTT_GATEWAY_*}); port 0 when it is off
   */
  public MqttGatewayOptions mqttGatewayOptions() {
    return mqttGatewayOptions;
  }
}
