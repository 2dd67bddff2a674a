package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.server.ComposeFiles.Reference;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code compose.yaml} is a valid Compose file (against the Compose specification's JSON schema,
 * before and after interpolation), every variable it reads is declared and documented in {@code
 * .env.example}, no secret has a working default, and what it says about the server (port, health
 * path, configuration keys) is what the server does.
 */
class ComposeFileTest {

  /**
   * The Compose specification's schema as shipped in the npm package dclint 3.1.0
   * (schemas/compose.schema.json); see compose-spec/README.md beside it.
   */
  private static final String SCHEMA = "/compose-spec/compose.schema.json";

  private static final String TEXT = ComposeFiles.read("compose.yaml");

  private static Validator validator() throws Exception {
    String schema;
    try (var in = ComposeFileTest.class.getResourceAsStream(SCHEMA)) {
      assertThat(in).as(SCHEMA).isNotNull();
      schema = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    JsonObject json = new JsonObject(schema);
    // Its "$schema" (https://json-schema.org/draft-07/schema, without the "#") is not an identifier
    // vertx-json-schema knows; the draft is named below instead.
    json.remove("$schema");
    return Validator.create(
        JsonSchema.of(json),
        new JsonSchemaOptions()
            .setDraft(Draft.DRAFT7)
            .setBaseUri("https://homelab.invalid/")
            .setOutputFormat(OutputFormat.Basic));
  }

  /**
   * .env.example's values, with a stand-in for every secret that has no default and that compose
   * requires ({@code :?}); an optional one (an upstream's password) stays empty, as a user leaves
   * it.
   */
  private static Map<String, String> filledIn() {
    Set<String> required =
        ComposeFiles.references(TEXT).stream()
            .filter(Reference::required)
            .map(Reference::name)
            .collect(Collectors.toSet());
    Map<String, String> values = new HashMap<>(ComposeFiles.envExample());
    values.replaceAll(
        (name, value) ->
            value.isEmpty() && isSecret(name) && required.contains(name)
                ? "s3cr3t-0123456789abcdef-0123456789abcdef"
                : value);
    return values;
  }

  private static boolean isSecret(String name) {
    return ConfigKeys.COMPOSE.stream()
            .anyMatch(k -> k.name().equals(name) && k.type() == ConfigKey.Type.SECRET)
        || (ConfigKeys.has(name) && ConfigKeys.get(name).type() == ConfigKey.Type.SECRET);
  }

  private static JsonObject interpolated() {
    return (JsonObject) ComposeFiles.interpolate(ComposeFiles.yaml(TEXT), filledIn());
  }

  private static String errors(OutputUnit unit) {
    if (unit.getErrors() == null) {
      return String.valueOf(unit.getError());
    }
    return unit.getErrors().stream()
        .map(e -> e.getInstanceLocation() + ": " + e.getError())
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theComposeFileFollowsTheComposeSpecification() throws Exception {
    Validator validator = validator();
    OutputUnit raw = validator.validate(ComposeFiles.yaml(TEXT));
    assertThat(raw.getValid()).as(errors(raw)).isTrue();
    OutputUnit filled = validator.validate(interpolated());
    assertThat(filled.getValid()).as(errors(filled)).isTrue();
  }

  @Test
  void theSchemaCatchesMistakes() throws Exception {
    Validator validator = validator();
    JsonObject typo = interpolated();
    typo.getJsonObject("services").getJsonObject("server").put("helthcheck", new JsonObject());
    assertThat(validator.validate(typo).getValid()).as("an unknown service key").isFalse();
    JsonObject condition = interpolated();
    condition
        .getJsonObject("services")
        .getJsonObject("server")
        .getJsonObject("depends_on")
        .getJsonObject("postgres")
        .put("condition", 42);
    assertThat(validator.validate(condition).getValid())
        .as("a condition that is a number")
        .isFalse();
  }

  @Test
  void everyVariableIsDeclaredAndInTheEnvExample() {
    Map<String, String> example = ComposeFiles.envExample();
    Set<String> composeKeys =
        ConfigKeys.COMPOSE.stream().map(ConfigKey::name).collect(Collectors.toSet());
    Set<String> referenced = new LinkedHashSet<>();
    for (Reference ref : ComposeFiles.references(TEXT)) {
      referenced.add(ref.name());
      assertThat(example).as(".env.example").containsKey(ref.name());
      assertThat(ConfigKeys.has(ref.name()) || composeKeys.contains(ref.name()))
          .as(
              ref.name()
                  + " is a server key (ConfigKeys.ALL) or a compose one (ConfigKeys.COMPOSE)")
          .isTrue();
      String declared =
          ConfigKeys.has(ref.name())
              ? ConfigKeys.get(ref.name()).defaultValue()
              : ConfigKeys.COMPOSE.stream()
                  .filter(k -> k.name().equals(ref.name()))
                  .findFirst()
                  .orElseThrow()
                  .defaultValue();
      if (ref.fallback() != null) {
        assertThat(ref.fallback()).as("the fallback of " + ref.name()).isEqualTo(declared);
      }
    }
    assertThat(referenced).as("every compose variable is used").containsAll(composeKeys);
    for (ConfigKey key : ConfigKeys.COMPOSE) {
      assertThat(ConfigKeys.has(key.name())).as(key.name() + " is also a server key").isFalse();
      assertThat(
              key.doc() == null
                  || key.type() != ConfigKey.Type.SECRET
                  || key.doc().startsWith("Secret."))
          .as(key.name())
          .isTrue();
    }
  }

  @Test
  void noSecretHasAWorkingDefault() {
    for (Reference ref : ComposeFiles.references(TEXT)) {
      if (isSecret(ref.name())) {
        assertThat(ref.required() || "".equals(ref.fallback()))
            .as(ref.name() + " is required (:?) or empty by default (the server then generates it)")
            .isTrue();
      }
    }
    for (ConfigKey key : ConfigKeys.COMPOSE) {
      if (key.type() == ConfigKey.Type.SECRET) {
        assertThat(key.defaultValue()).as(key.name()).isEmpty();
        Map<String, String> without = filledIn();
        without.put(key.name(), "");
        assertThatThrownBy(() -> ComposeFiles.interpolate(TEXT, without))
            .as("compose refuses to start without " + key.name())
            .hasMessageContaining("set " + key.name() + " in .env");
      }
    }
  }

  @Test
  void theServerServiceSpeaksTheServersLanguage() {
    JsonObject server = interpolated().getJsonObject("services").getJsonObject("server");
    JsonObject environment = server.getJsonObject("environment");
    for (String name : environment.fieldNames()) {
      assertThat(ConfigKeys.has(name)).as(name + " is a server key").isTrue();
    }
    Map<String, String> values = new HashMap<>();
    environment.forEach(e -> values.put(e.getKey(), String.valueOf(e.getValue())));
    values.put("DATA_DIR", "/data");
    assertThat(ServerConfig.of(values).problems())
        .as("the server accepts the compose settings")
        .isEmpty();
    assertThat(environment.getString("METRICS_ACCESS")).isEqualTo("token");

    String port = ConfigKeys.get("PORT").defaultValue();
    JsonArray ports = server.getJsonArray("ports");
    assertThat(ports.getString(0)).isEqualTo("127.0.0.1:" + port + ":" + port);
    String probe =
        String.join(
            " ",
            server.getJsonObject("healthcheck").getJsonArray("test").stream()
                .map(String::valueOf)
                .toList());
    assertThat(probe).contains("/dev/tcp/127.0.0.1/" + port).contains("GET /health/live ");
    assertThat(DockerfileTest.healthcheck())
        .as("the Dockerfile's probe")
        .contains("GET /health/live ");
    assertThat(server.getJsonObject("depends_on").getJsonObject("postgres").getString("condition"))
        .isEqualTo("service_healthy");
  }

  @Test
  void theServerMigratesAsTheAdminRoleAndServesAsTheWriterThatBootstrapCreates() {
    JsonObject services = interpolated().getJsonObject("services");
    JsonObject server = services.getJsonObject("server");
    JsonObject bootstrap = services.getJsonObject("db-bootstrap");
    assertThat(server.getJsonObject("environment").getString("DATABASE_URL"))
        .startsWith("postgres://app_writer:")
        .endsWith("@postgres:5432/homelab");
    assertThat(server.getJsonObject("environment").getString("DATABASE_ADMIN_URL"))
        .startsWith("postgres://db_admin:")
        .endsWith("@postgres:5432/homelab");
    assertThat(
            server.getJsonObject("depends_on").getJsonObject("db-bootstrap").getString("condition"))
        .isEqualTo("service_completed_successfully");
    assertThat(bootstrap.getString("image")).isEqualTo(server.getString("image"));
    assertThat(bootstrap.getJsonArray("command").getList())
        .containsExactly("bootstrap-db", "--database", "homelab");
    assertThat(bootstrap.getJsonObject("environment").fieldNames())
        .containsExactlyInAnyOrder(
            "DATABASE_SUPERUSER_URL",
            "DB_ADMIN_PASSWORD",
            "APP_WRITER_PASSWORD",
            "APP_READER_PASSWORD");
    assertThat(bootstrap.getJsonObject("environment").getString("DATABASE_SUPERUSER_URL"))
        .startsWith("postgres://postgres:");
    assertThat(
            services
                .getJsonObject("postgres")
                .getJsonObject("environment")
                .getString("POSTGRES_USER"))
        .isEqualTo("postgres");
  }

  @Test
  void everyPortIsOnLoopbackByDefault() {
    JsonObject services = interpolated().getJsonObject("services");
    for (String name : services.fieldNames()) {
      JsonArray ports = services.getJsonObject(name).getJsonArray("ports");
      if (ports != null) {
        ports.forEach(p -> assertThat(String.valueOf(p)).as(name).startsWith("127.0.0.1:"));
      }
    }
    for (Reference ref : ComposeFiles.references(TEXT)) {
      if (ref.name().equals("BIND_ADDRESS")) {
        assertThat(ref.fallback()).isEqualTo("127.0.0.1");
      }
    }
  }

  @Test
  void everyDependencyIsHealthCheckedAndEveryMountedFileExists() {
    JsonObject services = interpolated().getJsonObject("services");
    for (String name : services.fieldNames()) {
      JsonObject service = services.getJsonObject(name);
      assertThat(service.getJsonObject("healthcheck")).as(name + " has a health check").isNotNull();
      if (service.getJsonObject("healthcheck").getBoolean("disable", false)) {
        assertThat(service.getString("restart"))
            .as(name + " has no health check, so it must be a one-shot")
            .isEqualTo("no");
      }
      JsonObject dependsOn = service.getJsonObject("depends_on");
      if (dependsOn != null) {
        for (String dependency : dependsOn.fieldNames()) {
          boolean oneShot = "no".equals(services.getJsonObject(dependency).getString("restart"));
          assertThat(dependsOn.getJsonObject(dependency).getString("condition"))
              .as(name + " waits for " + dependency)
              .isEqualTo(oneShot ? "service_completed_successfully" : "service_healthy");
          List<String> profiles =
              services.getJsonObject(dependency).getJsonArray("profiles", new JsonArray()).stream()
                  .map(String::valueOf)
                  .toList();
          List<String> own =
              service.getJsonArray("profiles", new JsonArray()).stream()
                  .map(String::valueOf)
                  .toList();
          assertThat(own).as(name + " runs whenever " + dependency + " does").containsAll(profiles);
        }
      }
      JsonArray volumes = service.getJsonArray("volumes", new JsonArray());
      for (Object volume : volumes) {
        String source = String.valueOf(volume).split(":")[0];
        if (source.startsWith("./")) {
          assertThat(Files.exists(ComposeFiles.ROOT.resolve(source))).as(source).isTrue();
        }
      }
    }
    assertThat(services.getJsonObject("prometheus").getJsonArray("profiles"))
        .containsExactly("observability");
    assertThat(services.getJsonObject("grafana").getJsonArray("profiles"))
        .containsExactly("observability");
    assertThat(services.getJsonObject("caddy").getJsonArray("profiles")).containsExactly("proxy");
  }

  @Test
  void prometheusScrapesTheServerWithTheMetricsTokenFromAFile() {
    JsonObject compose = interpolated();
    assertThat(
            compose
                .getJsonObject("secrets")
                .getJsonObject("metrics_token")
                .getString("environment"))
        .isEqualTo("METRICS_TOKEN");
    JsonObject prometheus =
        ComposeFiles.yaml(ComposeFiles.read("deploy/prometheus/prometheus.yml"));
    JsonObject job = prometheus.getJsonArray("scrape_configs").getJsonObject(0);
    assertThat(job.getString("metrics_path")).isEqualTo("/metrics");
    assertThat(job.getJsonObject("authorization").getString("credentials_file"))
        .isEqualTo("/run/secrets/metrics_token");
    assertThat(job.getJsonArray("static_configs").getJsonObject(0).getJsonArray("targets"))
        .containsExactly("server:" + ConfigKeys.get("PORT").defaultValue());
    Matcher caddy =
        Pattern.compile("reverse_proxy server:(\\d+)")
            .matcher(ComposeFiles.read("deploy/caddy/Caddyfile"));
    assertThat(caddy.find()).isTrue();
    assertThat(caddy.group(1)).isEqualTo(ConfigKeys.get("PORT").defaultValue());
  }

  @Test
  void everyServiceVolumeAndProfileTheDocsNameExists() throws Exception {
    String docs =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("..").toAbsolutePath().normalize().resolve("docs/deployment.md"));
    JsonObject compose = interpolated();
    java.util.Set<String> services = compose.getJsonObject("services").fieldNames();
    java.util.Set<String> volumes = compose.getJsonObject("volumes").fieldNames();
    java.util.Set<String> profiles = new java.util.TreeSet<>();
    services.forEach(
        name -> {
          var listed =
              compose.getJsonObject("services").getJsonObject(name).getJsonArray("profiles");
          if (listed != null) {
            listed.forEach(p -> profiles.add((String) p));
          }
        });
    java.util.function.BiConsumer<String, java.util.Set<String>> named =
        (regex, known) -> {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(docs);
          int found = 0;
          while (m.find()) {
            found++;
            assertThat(known).as("named in docs/deployment.md: " + m.group()).contains(m.group(1));
          }
          assertThat(found).as("the docs name some: " + regex).isPositive();
        };
    named.accept("--profile ([a-z][a-z0-9-]*)", profiles);
    named.accept("docker compose (?:exec|logs|restart|stop|start) ([a-z][a-z0-9-]*)", services);
    named.accept("`([a-z][a-z0-9]*-(?:data|config))`", volumes);
  }
}
