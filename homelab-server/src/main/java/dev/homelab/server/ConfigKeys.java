package dev.homelab.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every configuration key of the server, in the order of {@code .env.example} and {@code
 * docs/configuration.md}: the one place a key is declared. Adding a key here adds it to the
 * defaults, to the masking of secrets, and (through {@code ConfigKeysTest}) to what {@code
 * .env.example} and the docs must say.
 */
public final class ConfigKeys {

  private ConfigKeys() {}

  /** The lines that open {@code .env.example}, before the keys. */
  static final List<String> ENV_EXAMPLE_HEADER =
      List.of(
          "Homelab server configuration: every key with its default. Copy to .env and edit, or export them.",
          "Layers: defaults < HOMELAB_CONFIG file (JSON/YAML) < -Dhomelab.<key> < environment. See docs/configuration.md.");

  /** The optional configuration file's key, read before the others and not a setting itself. */
  public static final String CONFIG_FILE_KEY = "HOMELAB_CONFIG";

  /** The ids of the Proxmox servers; the {@code PROXMOX_<ID>_*} templates are expanded for each. */
  public static final String PROXMOX_SERVERS = "PROXMOX_SERVERS";

  /** Demo mode: every upstream is a simulator on loopback ({@code dev.homelab.server.demo}). */
  public static final String ENABLE_MOCK_DATA = "ENABLE_MOCK_DATA";

  /**
   * Every key, in documentation order. A template ({@link ConfigKey#isTemplate()}, a name with
   * {@code <ID>}) stands for one key per id listed in its {@link ConfigKey#idsKey()}.
   */
  public static final List<ConfigKey> ALL =
      List.of(
          ConfigKey.text(
                  "HOST",
                  "127.0.0.1",
                  "Interface to listen on. 0.0.0.0 to listen on every interface (put a reverse proxy or Tailscale in front).")
              .in("http"),
          ConfigKey.integer("PORT", "8000", 0, 65535, "TCP port, 1-65535; 0 picks a free port.")
              .in("http"),
          ConfigKey.choice(
                  "ENV",
                  "production",
                  List.of("development", "production"),
                  "development or production. Development makes DEBUG the default log level.")
              .in("main"),
          ConfigKey.choice(
                  "LOG_LEVEL",
                  "",
                  List.of("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR"),
                  "TRACE, DEBUG, INFO, WARN (or WARNING), ERROR.")
              .in("main"),
          ConfigKey.text(
                  "LOG_DIR",
                  "logs",
                  "Directory of the rotating log file homelab.log (10 MB x 5 files). Empty: console only.")
              .in("main"),
          ConfigKey.text(
                  "DATA_DIR",
                  "data",
                  "Directory for the server's data; created at start. The default SQLite file lives here.")
              .in("main"),
          ConfigKey.url(
                  "DATABASE_URL",
                  "",
                  "postgres://user:password@host:port/db to use PostgreSQL, or sqlite:path/to/file.db. Empty: SQLite at DATABASE_PATH. A missing database name defaults to the user name, as with libpq.")
              .in("storage"),
          ConfigKey.url(
                  "DATABASE_ADMIN_URL",
                  "",
                  "PostgreSQL only: a role that runs the migrations. The runtime role of DATABASE_URL then only gets SELECT, INSERT, UPDATE, DELETE on the tables (least privilege).")
              .in("storage"),
          ConfigKey.text(
                  "DATABASE_PATH",
                  "",
                  "The SQLite file when DATABASE_URL is empty; missing directories are created.")
              .in("storage"),
          ConfigKey.integer(
                  "DATABASE_POOL_SIZE",
                  "8",
                  1,
                  256,
                  "Largest number of database connections, 1-256 (SQLite: readers; it always writes through one connection).")
              .in("storage"),
          ConfigKey.integer(
                  "MAX_BODY_SIZE",
                  "1048576",
                  1024,
                  1 << 30,
                  "Largest request body in bytes, 1024 to 1 GiB; larger bodies get 413.")
              .in("http"),
          ConfigKey.integer(
                  "REQUEST_TIMEOUT_SECONDS",
                  "30",
                  1,
                  3600,
                  "A request whose answer has not begun after this long is answered 503 (streams, once begun, are\nnot cut by it).")
              .in("http"),
          ConfigKey.integer(
                  "IDLE_TIMEOUT_SECONDS",
                  "120",
                  1,
                  86_400,
                  "An idle connection is closed after this long.")
              .in("http"),
          ConfigKey.integer(
                  "REQUEST_HEADER_TIMEOUT_SECONDS",
                  "20",
                  1,
                  3600,
                  "A request head (request line and headers) must arrive within this many seconds of its first byte, 1-3600; a slower one is answered 408 and its connection closed. Open event streams are not affected.")
              .in("http"),
          ConfigKey.integer(
                  "MAX_CONNECTIONS_PER_CLIENT",
                  "128",
                  0,
                  1_000_000,
                  "The most connections one client address (IPv6: one /64) may hold open at once, 0 for no cap; more are answered 429 and closed. TRUSTED_PROXIES are exempt.")
              .in("http"),
          ConfigKey.integer(
                  "SHUTDOWN_TIMEOUT_SECONDS",
                  "8",
                  1,
                  300,
                  "On SIGTERM, how long in-flight requests get to finish before the rest are closed.")
              .in("main"),
          ConfigKey.choice(
                  "METRICS_ACCESS",
                  "open",
                  List.of("open", "token", "disabled"),
                  "Who may read /metrics: open, token (requires Authorization: Bearer $METRICS_TOKEN) or disabled (404).")
              .in("ops"),
          ConfigKey.secret(
                  "METRICS_TOKEN",
                  "",
                  "Secret. The bearer token for /metrics when METRICS_ACCESS=token; at least 16 characters. Never logged.")
              .in("ops"),
          ConfigKey.secret(
                  "ACCESS_TOKEN",
                  "",
                  "Secret. The built-in admin logs in with it (POST /api/auth/login {\"token\": ...}); at least 16 characters. Empty: generated into DATA_DIR/access_token (mode 0600) on first start. Never logged.")
              .in("secrets"),
          ConfigKey.secret(
                  "JWT_SECRET",
                  "",
                  "Secret. The key that signs session JWTs (HS256); at least 32 bytes, placeholders such as \"changeme\" are refused. Empty: generated into DATA_DIR/jwt_secret (mode 0600) on first start. Changing it logs everyone out. Never logged.")
              .in("secrets"),
          ConfigKey.integer(
                  "JWT_LIFETIME_SECONDS",
                  "604800",
                  60,
                  31_536_000,
                  "How long a login session (JWT) is valid, 60-31536000 seconds; the default is 7 days.")
              .in("secrets"),
          ConfigKey.integer(
                  "AUTH_CACHE_SECONDS",
                  "5",
                  0,
                  300,
                  "How long each instance reuses a user, API key or revocation lookup, 0-300 seconds. Changes made on the same instance apply at once, on other instances within this many seconds.")
              .in("auth"),
          ConfigKey.secret(
                  "REDIS_URL",
                  "",
                  "Secret. A redis:// or rediss:// url, which may hold a password. When set, rate-limit and lockout counters live in Redis, shared by every instance and kept across restarts. Empty: in memory. Never logged.")
              .in("redis"),
          ConfigKey.text(
                  "REDIS_KEY_PREFIX", "homelab:", "Prefix of every key the server writes to Redis.")
              .in("redis"),
          ConfigKey.integer(
                  "LEADER_TTL_SECONDS",
                  "15",
                  1,
                  3600,
                  "Several instances sharing a database (or Redis) elect one to run the collectors, metric roll-ups and retention: with REDIS_URL through a Redis key, else with PostgreSQL through an advisory lock; alone on SQLite, always this one. How long, 1-3600 seconds, a leader's claim lasts: followers try, and the leader renews, every third of it; a leader that cannot renew steps down, and another takes over within about this long.")
              .in("leader")
              .option("ttl", seconds -> Duration.ofSeconds(Long.parseLong(seconds)).toString()),
          ConfigKey.integer(
                  "RATE_LIMIT_PER_MINUTE",
                  "100",
                  1,
                  1_000_000,
                  "Requests per client IP per minute, across all of /api; more get 429 with Retry-After.")
              .in("auth"),
          ConfigKey.integer(
                  "RATE_LIMIT_LOGIN_PER_MINUTE",
                  "5",
                  1,
                  1_000_000,
                  "Login attempts per client IP per minute.")
              .in("auth"),
          ConfigKey.integer(
                  "RATE_LIMIT_AI_PER_MINUTE",
                  "10",
                  1,
                  1_000_000,
                  "Requests per client IP per minute to /api/ai/* (reads of the process list excepted).")
              .in("auth"),
          ConfigKey.integer(
                  "LOGIN_LOCKOUT_FAILURES",
                  "5",
                  1,
                  1_000_000,
                  "Failed logins after which an account is locked (429, whether it exists or not).")
              .in("auth"),
          ConfigKey.integer(
                  "LOGIN_LOCKOUT_MINUTES",
                  "15",
                  1,
                  10_080,
                  "How long a locked account stays locked, in minutes.")
              .in("auth"),
          ConfigKey.list(
                  "TRUSTED_PROXIES",
                  "",
                  "Comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is believed. Empty: the connection's address is the client IP.")
              .in("auth"),
          ConfigKey.list(
                  "CORS_ORIGINS",
                  "",
                  "Comma-separated origins allowed by CORS, like https://dash.example.lan:3000; '*' is refused. Empty: no CORS.")
              .in("http"),
          ConfigKey.integer(
                  "AUDIT_RETENTION_DAYS",
                  "90",
                  1,
                  36_500,
                  "Audit log entries older than this many days are deleted.")
              .in("ops"),
          ConfigKey.integer(
                  "ACCESS_LOCKOUT_THRESHOLD",
                  "5",
                  0,
                  1000,
                  "Denied card scans on one reader, within ACCESS_LOCKOUT_WINDOW_SECONDS, that lock the reader out; 0 disables lockout.")
              .in("access")
              .option("lockoutThreshold"),
          ConfigKey.integer(
                  "ACCESS_LOCKOUT_WINDOW_SECONDS",
                  "60",
                  1,
                  86_400,
                  "The window, in seconds, in which denied scans are counted for a lockout.")
              .in("access")
              .option("lockoutWindowSeconds"),
          ConfigKey.integer(
                  "ACCESS_LOCKOUT_SECONDS",
                  "300",
                  1,
                  86_400,
                  "How long, in seconds, a locked-out reader denies every scan (reason LOCKED_OUT).")
              .in("access")
              .option("lockoutSeconds"),
          ConfigKey.choice(
                  "ACCESS_LOG_MODE",
                  "durable",
                  List.of("durable", "async"),
                  "durable: an access check is answered after its log row is committed. async: answered at once, the row committed right after (a crash can lose the last rows).")
              .in("access")
              .option("durableLog", "durable"::equalsIgnoreCase),
          ConfigKey.integer(
                  "ACCESS_POLICY_REFRESH_SECONDS",
                  "10",
                  0,
                  86_400,
                  "How often, in seconds, card policy changes made by other instances are picked up; 0 never (changes made on this instance apply at once).")
              .in("access")
              .option("policyRefreshSeconds"),
          ConfigKey.integer(
                  "ACCESS_LOG_RETENTION_DAYS",
                  "365",
                  1,
                  36_500,
                  "Access log rows older than this many days are deleted.")
              .in("ops"),
          ConfigKey.integer(
                  "EVENTS_PING_SECONDS",
                  "15",
                  1,
                  3600,
                  "How often, in seconds, an idle event stream (GET /api/events, GET /ws) gets a ping. Open streams\nalso check their credentials this often: a demoted, disabled or revoked caller's stream closes.")
              .in("events"),
          ConfigKey.integer(
                  "EVENTS_MAX_PER_USER",
                  "20",
                  1,
                  100_000,
                  "How many event streams one user may have open at once (more get 429), and how many in all (503).")
              .in("events"),
          ConfigKey.integer("EVENTS_MAX_CLIENTS", "1000", 1, 1_000_000, null).in("events"),
          ConfigKey.integer(
                  "EVENTS_REPLAY_SIZE",
                  "1000",
                  0,
                  1_000_000,
                  "How many recent events of each topic are kept, so that a stream resumes after a disconnection\n(Last-Event-ID) without losing what was published meanwhile.")
              .in("events")
              .option("replayBufferSize"),
          ConfigKey.integer(
                  "METRICS_INTERVAL_HOST",
                  "2",
                  0,
                  3600,
                  "How often, in seconds, the host monitor samples CPU, memory, disks and network (0 turns it off).")
              .in("metrics"),
          ConfigKey.integer(
                  "METRICS_INTERVAL_SERVERS",
                  "10",
                  0,
                  3600,
                  "How often, in seconds, each Proxmox server's node is collected for /api/metrics/server (0 turns it off).")
              .in("metrics"),
          ConfigKey.integer(
                  "METRICS_INTERVAL_VMS",
                  "30",
                  0,
                  3600,
                  "How often, in seconds, each Proxmox server's guests are collected for /api/metrics/vm (0 turns it off).")
              .in("metrics"),
          ConfigKey.integer(
                  "METRICS_INTERVAL_AUTOMATIONS",
                  "5",
                  0,
                  3600,
                  "How often, in seconds, the automations' trigger and error counts are collected for /api/metrics/automation (0 turns it off).")
              .in("metrics"),
          ConfigKey.integer(
                  "METRICS_LATENESS_SECONDS",
                  "120",
                  0,
                  86_400,
                  "How late, in seconds, a metric point may arrive and still be folded into its buckets.")
              .in("metrics"),
          ConfigKey.duration(
                  "METRICS_RETENTION_RAW",
                  "1h",
                  "How long each metrics tier is kept: a number and a unit (s, m, h, d).")
              .in("metrics"),
          ConfigKey.duration("METRICS_RETENTION_1M", "24h", null).in("metrics"),
          ConfigKey.duration("METRICS_RETENTION_5M", "7d", null).in("metrics"),
          ConfigKey.duration("METRICS_RETENTION_30M", "30d", null).in("metrics"),
          ConfigKey.duration("METRICS_RETENTION_1H", "365d", null).in("metrics"),
          ConfigKey.list(
                  PROXMOX_SERVERS,
                  "",
                  "Comma-separated ids of the Proxmox VE servers to reach, such as nas,smart-home (lower-case letters, digits\nand '-'). Each id is configured by the PROXMOX_<ID>_* keys below. Empty: no Proxmox server, and /api/proxmox/{server_id}/* answer 404.")
              .in("proxmox"),
          ConfigKey.url(
                  "PROXMOX_<ID>_URL",
                  "",
                  "Per server listed in PROXMOX_SERVERS, <ID> being its id in upper case with '-' as '_' (smart-home:\nPROXMOX_SMART_HOME_URL). Required: where pveproxy listens, https://host:port.")
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.text("PROXMOX_<ID>_NAME", "", "Display name. Empty: the id.")
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.text(
                  "PROXMOX_<ID>_NODE",
                  "",
                  "The node to address. Empty: discovered (the only node, or the one whose certificate is pinned).")
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.text(
                  "PROXMOX_<ID>_TOKEN_ID",
                  "",
                  "Required: the API token id, USER@REALM!TOKENID (give the token only the privileges it needs, such as\nVM.PowerMgmt and Sys.Audit).")
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.secret(
                  "PROXMOX_<ID>_TOKEN_SECRET",
                  "",
                  "Secret. Required: the token's secret. Never logged.")
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.text(
                  "PROXMOX_<ID>_FINGERPRINT",
                  "",
                  "How the server's certificate is trusted, at most one of these three: the SHA-256 fingerprint of its\ncertificate (pinned; pvenode cert info), a CA file (PEM) that signed it, or INSECURE_TLS=true to\naccept any certificate (explicit opt-in, never the default). None: the system's trusted CAs.")
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.text("PROXMOX_<ID>_CA_FILE", "", null).in("proxmox").perId(PROXMOX_SERVERS),
          ConfigKey.choice("PROXMOX_<ID>_INSECURE_TLS", "false", List.of("false", "true"), null)
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.integer(
                  "PROXMOX_<ID>_TIMEOUT_SECONDS",
                  "10",
                  1,
                  300,
                  "How long, 1-300 seconds, one answer of the server may take; a slower one is answered 504.")
              .in("proxmox")
              .perId(PROXMOX_SERVERS),
          ConfigKey.integer(
                  "PROXMOX_TASK_FOLLOW_SECONDS",
                  "600",
                  1,
                  86_400,
                  "How long, in seconds, the server follows the task of a start, stop or restart it sent, publishing its\nprogress as proxmox.task events; a task still running then is no longer followed.")
              .in("proxmox"),
          ConfigKey.url(
                  "FRIGATE_URL",
                  "",
                  "Base url of the Frigate NVR, such as http://10.0.10.3:5000 (open port) or https://10.0.10.3:8971\n(authenticated port, with FRIGATE_USER and FRIGATE_PASSWORD). Empty: the /api/frigate routes answer 404\nFRIGATE_NOT_CONFIGURED.")
              .in("frigate")
              .option("baseUrl", ConfigKeys::orNull),
          ConfigKey.text(
                  "FRIGATE_USER",
                  "",
                  "User of Frigate's authenticated port 8971; give FRIGATE_PASSWORD too, or neither.")
              .in("frigate")
              .option("username", ConfigKeys::orNull),
          ConfigKey.secret(
                  "FRIGATE_PASSWORD", "", "Secret. Password of FRIGATE_USER. Never logged.")
              .in("frigate")
              .option("password", ConfigKeys::orNull),
          ConfigKey.text(
                  "FRIGATE_FINGERPRINT",
                  "",
                  "https only, at most one of these three: the SHA-256 fingerprint of Frigate's certificate to pin (hex,\nwith or without colons), a PEM file of CAs to trust, or true to accept any certificate (an explicit\nopt-in, logged as a warning). None: the JVM's trusted CAs.")
              .in("frigate")
              .option("fingerprint", ConfigKeys::orNull),
          ConfigKey.text("FRIGATE_CA_FILE", "", null)
              .in("frigate")
              .option("caFile", ConfigKeys::orNull),
          ConfigKey.choice("FRIGATE_INSECURE_TLS", "false", List.of("false", "true"), null)
              .in("frigate")
              .option("insecure", Boolean::parseBoolean),
          ConfigKey.integer(
                  "FRIGATE_TIMEOUT_SECONDS",
                  "5",
                  1,
                  300,
                  "How long, 1-300 seconds, Frigate may take to answer; slower answers are 504 UPSTREAM_TIMEOUT. A\npicture or clip that brings less than 1 KiB in this time while it is read is cut.")
              .in("frigate")
              .option("timeout", seconds -> Duration.ofSeconds(Long.parseLong(seconds)).toString()),
          ConfigKey.url(
                  "AI_HUB_URL",
                  "",
                  "Base url of the AI hub (a Claude Code API), such as http://10.99.10.106:9876. Empty: the /api/ai\nroutes answer 404 AI_HUB_NOT_CONFIGURED.")
              .in("ai")
              .option("baseUrl", ConfigKeys::orNull),
          ConfigKey.text("AI_HUB_USER", "", "HTTP Basic user of the AI hub (admin when empty).")
              .in("ai")
              .option("user", user -> user.isEmpty() ? "admin" : user),
          ConfigKey.secret("AI_HUB_PASSWORD", "", "Secret. Password of AI_HUB_USER. Never logged.")
              .in("ai")
              .option("password", password -> password),
          ConfigKey.integer(
                  "AI_HUB_TIMEOUT_SECONDS",
                  "300",
                  1,
                  3600,
                  "How long, 1-3600 seconds, the AI hub may take to answer (for a chat: to start streaming, then\nbetween two of its bytes); slower answers are 504 UPSTREAM_TIMEOUT, a chat gone silent is cut.")
              .in("ai")
              .option("timeoutMs", seconds -> Long.parseLong(seconds) * 1000),
          ConfigKey.url(
                  "AUTOMATION_API_URL",
                  "",
                  "Base url of the automation-container API, such as http://10.0.20.102:8080. Empty: the\n/api/automations routes answer 404 AUTOMATIONS_NOT_CONFIGURED.")
              .in("automations")
              .option("baseUrl", ConfigKeys::orNull),
          ConfigKey.text(
                  "AUTOMATION_API_USER",
                  "admin",
                  "HTTP Basic user of the automation API; give AUTOMATION_API_PASSWORD too.")
              .in("automations")
              .option("user"),
          ConfigKey.secret(
                  "AUTOMATION_API_PASSWORD",
                  "",
                  "Secret. HTTP Basic password of AUTOMATION_API_USER. Never logged.")
              .in("automations")
              .option("password"),
          ConfigKey.integer(
                  "AUTOMATION_API_TIMEOUT_SECONDS",
                  "5",
                  1,
                  300,
                  "How long, 1-300 seconds, the automation API may take to answer (a log stream: its head); slower\nanswers are 504 UPSTREAM_TIMEOUT.")
              .in("automations")
              .option("timeoutMs", seconds -> Long.parseLong(seconds) * 1000),
          ConfigKey.text(
                  "MQTT_URL",
                  "",
                  "The MQTT broker the server bridges to, mqtt://host:1883 or mqtts://host:8883 (compose:\nmqtt://mosquitto:1883). Empty: no broker connection, and the /api/mqtt routes answer 404\nMQTT_NOT_CONFIGURED.")
              .in("mqtt")
              .option("brokerUrl", ConfigKeys::orNull),
          ConfigKey.text(
                  "MQTT_USERNAME",
                  "homelab",
                  "User name of the one Mosquitto account (devices, zigbee2mqtt, and the server's bridge). The\nbridge logs in anonymously when MQTT_PASSWORD is empty.")
              .in("mqtt"),
          ConfigKey.secret(
                  "MQTT_PASSWORD",
                  "",
                  "Secret. Password of that Mosquitto account. Required by compose. Never logged.")
              .in("mqtt"),
          ConfigKey.text(
                  "MQTT_CLIENT_ID",
                  "",
                  "The bridge's MQTT client id, 1-64 characters. Empty: homelab- and 8 random hex digits, new at every\nstart, so that two servers (or a restarting one) never share an id: a broker disconnects the\nolder of two clients with the same id.")
              .in("mqtt")
              .option("clientId", ConfigKeys::orNull),
          ConfigKey.list(
                  "MQTT_SUBSCRIPTIONS",
                  "zigbee2mqtt/#,homelab/#",
                  "Comma-separated topic filters the bridge subscribes to; /api/mqtt/topics shows what they cover.")
              .in("mqtt"),
          ConfigKey.text(
                  "MQTT_FINGERPRINT",
                  "",
                  "mqtts only, at most one of these three: the SHA-256 fingerprint of the broker's certificate to pin\n(hex, with or without colons), a PEM file of CAs to trust, or true to accept any certificate (an\nexplicit opt-in, logged as a warning). None: the JVM's trusted CAs.")
              .in("mqtt")
              .option("fingerprint", ConfigKeys::orNull),
          ConfigKey.text("MQTT_CA_FILE", "", null).in("mqtt").option("caFile", ConfigKeys::orNull),
          ConfigKey.choice("MQTT_INSECURE_TLS", "false", List.of("false", "true"), null)
              .in("mqtt")
              .option("insecure", Boolean::parseBoolean),
          ConfigKey.list(
                  "MQTT_ZIGBEE2MQTT_BASE_TOPICS",
                  "zigbee2mqtt",
                  "Comma-separated base topics of zigbee2mqtt (its mqtt.base_topic) whose devices' state changes are\nrecorded (GET /api/metrics/device/{topic}); MQTT_SUBSCRIPTIONS must cover them.")
              .in("mqtt"),
          ConfigKey.integer(
                  "MQTT_STATE_RETENTION_DAYS",
                  "30",
                  1,
                  36_500,
                  "Device state changes older than this many days are deleted, except each device's newest.")
              .in("mqtt"),
          ConfigKey.text(
                  "MQTT_ACCESS_TOPIC",
                  "homelab/access",
                  "Base topic of door readers on the broker: the bridge answers each scan on <base>/<reader>/scan\n(and esp-rfid's send and tag, Tasmota's tele/SENSOR) on <base>/<reader>/decision. With several\nservers only the elected leader answers.")
              .in("mqtt"),
          ConfigKey.text(
                  "MQTT_GATEWAY_HOST",
                  "",
                  "Interface the MQTT device gateway listens on. Empty: HOST's.")
              .in("mqtt-gateway"),
          ConfigKey.integer(
                  "MQTT_GATEWAY_PORT",
                  "1884",
                  0,
                  65535,
                  "TCP port of the MQTT device gateway, where readers and sensors log in with their device id and\ndevice token; 0: off. A port already taken is logged and the server runs without the gateway.")
              .in("mqtt-gateway"),
          ConfigKey.integer(
                  "MQTT_GATEWAY_MAX_CONNECTIONS",
                  "1000",
                  1,
                  100_000,
                  "Most devices connected to the gateway at once, 1-100000; the next CONNECT is refused.")
              .in("mqtt-gateway"),
          ConfigKey.integer(
                  "MQTT_GATEWAY_MAX_MESSAGE_BYTES",
                  "65536",
                  256,
                  16_777_216,
                  "Largest MQTT packet the gateway reads, 256 bytes to 16 MiB; a larger one closes its connection.")
              .in("mqtt-gateway"),
          ConfigKey.integer(
                  "MQTT_GATEWAY_MAX_KEEP_ALIVE_SECONDS",
                  "300",
                  5,
                  3600,
                  "Longest keep-alive a device may ask for, 5-3600 seconds: one asking for none or more is closed\nafter one and a half of this without a packet.")
              .in("mqtt-gateway"),
          ConfigKey.integer(
                  "MQTT_GATEWAY_CONNECT_TIMEOUT_SECONDS",
                  "10",
                  1,
                  300,
                  "Seconds, 1-300, a new connection to the gateway has to send its whole CONNECT; one that has not is\nclosed, so that silent connections do not hold slots.")
              .in("mqtt-gateway"),
          ConfigKey.text(
                  "STORAGE_PATH",
                  "",
                  "Directory of the file store: blobs named by their SHA-256, uploads in progress. Empty: DATA_DIR/files.\nPut it on the disk that should hold the files (an SSD or a NAS mount); back it up with the database.")
              .in("files"),
          ConfigKey.integer(
                  "FILES_MAX_UPLOAD_MB",
                  "10240",
                  1,
                  10_485_760,
                  "Largest file accepted, in MiB (multipart and resumable uploads alike); a larger one gets 413 FILE_TOO_LARGE.")
              .in("files"),
          ConfigKey.integer(
                  "FILES_QUOTA_MB",
                  "0",
                  0,
                  1_000_000_000,
                  "Most MiB each user's files may hold together (their full sizes, even when deduplicated); 0: no quota.\nAn upload that does not fit gets 413 QUOTA_EXCEEDED and stores nothing.")
              .in("files"),
          ConfigKey.duration(
                  "FILES_UPLOAD_EXPIRY",
                  "24h",
                  "How long an unfinished resumable (tus) upload is kept after its last chunk: a number and a unit (s, m, h, d).")
              .in("files"),
          ConfigKey.duration(
                  "FILES_SWEEP_INTERVAL",
                  "1h",
                  "How often the file store removes expired uploads, leftover temporary files and unreferenced blobs\n(also once at start; on the leader only when several servers share the store).")
              .in("files"),
          ConfigKey.choice(
                  ENABLE_MOCK_DATA,
                  "false",
                  List.of("false", "true"),
                  "Demo mode (seed 003's mock mode): true starts simulators of two Proxmox VE servers (nas, smart-home),\nFrigate, the automation API and the AI hub on 127.0.0.1 and points the real clients at them, so the\ndashboard and the API work without any upstream. It refuses to start if PROXMOX_SERVERS, FRIGATE_URL,\nAUTOMATION_API_URL or AI_HUB_URL is set: demo mode never replaces a real upstream.")
              .in("main"));

  /**
   * Example values of the template keys, rendered in {@code .env.example} as comments for the id
   * {@value #EXAMPLE_ID}.
   */
  static final Map<String, String> TEMPLATE_EXAMPLES =
      Map.of(
          "PROXMOX_<ID>_URL", "https://10.0.10.10:8006",
          "PROXMOX_<ID>_NAME", "NAS Server",
          "PROXMOX_<ID>_NODE", "nas",
          "PROXMOX_<ID>_TOKEN_ID", "root@pam!homelab",
          "PROXMOX_<ID>_FINGERPRINT",
              "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89");

  /** The id the template keys' example in {@code .env.example} is written for. */
  static final String EXAMPLE_ID = "nas";

  /** An empty value as {@code null}, for options that are absent rather than empty. */
  private static Object orNull(String value) {
    return value.isEmpty() ? null : value;
  }

  /** The lines that open the compose section of {@code .env.example}. */
  static final List<String> COMPOSE_HEADER =
      List.of(
          "docker compose (compose.yaml, docs/deployment.md): the variables below are read by compose (and the three",
          "role passwords by the bootstrap-db command), never by the running server. Of the server keys above, compose",
          "passes ENV, LOG_LEVEL, ACCESS_TOKEN, JWT_SECRET, METRICS_TOKEN (required there: Prometheus scrapes /metrics",
          "with it), TRUSTED_PROXIES and CORS_ORIGINS; it sets HOST, PORT, DATA_DIR, LOG_DIR, DATABASE_URL,",
          "DATABASE_ADMIN_URL, REDIS_URL and METRICS_ACCESS itself.");

  /**
   * The variables that only {@code compose.yaml} reads (published ports, image bases, the passwords
   * of its PostgreSQL, Redis, Mosquitto and Grafana), rendered after the server keys in {@code
   * .env.example}. They are not server keys: the server never reads them, and they are not in
   * {@link #ALL}. A secret among them has no default, and compose refuses to start without it.
   */
  public static final List<ConfigKey> COMPOSE =
      List.of(
          ConfigKey.text(
                  "BIND_ADDRESS",
                  "127.0.0.1",
                  "Host address every published port binds to. Keep 127.0.0.1, or use this host's Tailscale or WireGuard\naddress (100.x.y.z) to reach the stack from your tailnet; never 0.0.0.0 on a host with a public address.")
              .in("compose"),
          ConfigKey.integer("HOMELAB_PORT", "8000", 1, 65535, "Host port of the server's HTTP API.")
              .in("compose"),
          ConfigKey.text(
                  "BUILD_IMAGE",
                  "eclipse-temurin:17-jdk",
                  "Base images of the server's Dockerfile: a JDK 17+ to build the jar, a JRE 17+ with bash to run it.")
              .in("compose"),
          ConfigKey.text("RUNTIME_IMAGE", "eclipse-temurin:17-jre", null).in("compose"),
          ConfigKey.secret(
                  "POSTGRES_PASSWORD",
                  "",
                  "Secret. Password of PostgreSQL's superuser postgres, used only by the one-shot db-bootstrap service.\nLetters and digits only here and in the three below, as they go into urls (openssl rand -hex 24).\nRequired. Never logged.")
              .in("compose"),
          ConfigKey.secret(
                  "DB_ADMIN_PASSWORD",
                  "",
                  "Secret. Passwords of the roles db-bootstrap creates (bootstrap-db reads them too): db_admin runs the\nmigrations (DATABASE_ADMIN_URL), app_writer serves requests (DATABASE_URL), app_reader may only read\n(reports, exports). Each required, 16 characters or more. Never logged.")
              .in("compose"),
          ConfigKey.secret("APP_WRITER_PASSWORD", "", null).in("compose"),
          ConfigKey.secret("APP_READER_PASSWORD", "", null).in("compose"),
          ConfigKey.secret(
                  "REDIS_PASSWORD",
                  "",
                  "Secret. Password Redis requires (requirepass); letters and digits only, as it goes into REDIS_URL. Required. Never logged.")
              .in("compose"),
          ConfigKey.integer("MQTT_PORT", "1883", 1, 65535, "Host port of Mosquitto (MQTT).")
              .in("compose"),
          ConfigKey.integer(
                  "PROMETHEUS_PORT",
                  "9090",
                  1,
                  65535,
                  "Profile observability: host ports of Prometheus and Grafana, and Grafana's admin password (user admin).")
              .in("compose"),
          ConfigKey.integer("GRAFANA_PORT", "3000", 1, 65535, null).in("compose"),
          ConfigKey.secret(
                  "GRAFANA_ADMIN_PASSWORD",
                  "",
                  "Secret. Required, even without the profile: compose reads the whole file. Never logged.")
              .in("compose"),
          ConfigKey.text(
                  "PROXY_DOMAIN",
                  "homelab.lan",
                  "Profile proxy: the name Caddy serves the server under, with a certificate from its own local CA\n(tls internal), and the host ports it listens on (its redirect from http to https assumes 443).")
              .in("compose"),
          ConfigKey.integer("PROXY_HTTPS_PORT", "443", 1, 65535, null).in("compose"),
          ConfigKey.integer("PROXY_HTTP_PORT", "80", 1, 65535, null).in("compose"));

  private static final Map<String, ConfigKey> BY_NAME = byName();

  private static Map<String, ConfigKey> byName() {
    Map<String, ConfigKey> map = new LinkedHashMap<>();
    for (ConfigKey key : ALL) {
      if (map.put(key.name(), key) != null) {
        throw new IllegalStateException(key.name() + " is declared twice");
      }
    }
    return map;
  }

  /**
   * @param name an environment name
   * @return its declaration
   * @throws IllegalArgumentException if no key has that name
   */
  public static ConfigKey get(String name) {
    ConfigKey key = BY_NAME.get(name);
    if (key == null) {
      throw new IllegalArgumentException("no configuration key " + name);
    }
    return key;
  }

  /**
   * @param name an environment name
   * @return whether a key has that name
   */
  public static boolean has(String name) {
    return BY_NAME.containsKey(name);
  }

  /**
   * @return {@code .env.example} as the declarations render it: the header, then each key's
   *     documentation as comments and its default, then the {@link #COMPOSE} section
   */
  public static String envExample() {
    StringBuilder out = new StringBuilder();
    ENV_EXAMPLE_HEADER.forEach(line -> out.append("# ").append(line).append('\n'));
    appendKeys(out, ALL);
    out.append("\n# Optional configuration file, JSON or YAML.\n")
        .append(CONFIG_FILE_KEY)
        .append("=\n");
    out.append("\n");
    COMPOSE_HEADER.forEach(line -> out.append("# ").append(line).append('\n'));
    appendKeys(out, COMPOSE);
    return out.toString();
  }

  private static void appendKeys(StringBuilder out, List<ConfigKey> keys) {
    for (ConfigKey key : keys) {
      if (key.doc() != null) {
        out.append('\n');
        for (String line : key.doc().split("\n")) {
          out.append("# ").append(line).append('\n');
        }
      }
      if (key.isTemplate()) {
        // A template is no key of its own: shown as a commented example for one id.
        out.append("# ")
            .append(key.expand(EXAMPLE_ID).name())
            .append('=')
            .append(TEMPLATE_EXAMPLES.getOrDefault(key.name(), key.defaultValue()))
            .append('\n');
      } else {
        out.append(key.name()).append('=').append(key.defaultValue()).append('\n');
      }
    }
  }

  /**
   * @param envName an environment name
   * @return the template that {@code envName} expands, such as {@code PROXMOX_<ID>_URL} for {@code
   *     PROXMOX_NAS_URL}, or {@code null}
   */
  public static ConfigKey templateOf(String envName) {
    if (BY_NAME.containsKey(envName)) {
      return null;
    }
    for (ConfigKey key : ALL) {
      if (key.idIn(envName) != null) {
        return key;
      }
    }
    return null;
  }
}
