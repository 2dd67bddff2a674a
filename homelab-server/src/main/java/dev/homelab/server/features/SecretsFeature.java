package dev.homelab.server.features;

import dev.homelab.server.HomelabServer;
import dev.homelab.server.ServerConfig;
import dev.homelab.server.auth.SecretFiles;
import dev.homelab.server.auth.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is read from disk before anything opens: the data directory, the JWT secret and the access
 * token (generated into the data directory, mode 0600, when not configured) and the API document
 * (read at start, parsed at its first request).
 */
public final class SecretsFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(SecretsFeature.class);

  private final ServerContext context;
  private byte[] openApiBytes;
  private Future<String> openApi;
  private SessionTokens tokens;
  private String accessToken;

  /**
   * @param context the server's context
   */
  public SecretsFeature(ServerContext context) {
    this.context = context;
  }

  @Override
  public String name() {
    return "secrets";
  }

  @Override
  public Future<Void> start(CloseStack opened) {
    return context.vertx().executeBlocking(() -> prepare(context.config()), false);
  }

  private Void prepare(ServerConfig config) throws IOException {
    Files.createDirectories(config.dataDir());
    String jwtSecret =
        config.jwtSecret() != null
            ? config.jwtSecret()
            : SecretFiles.readOrCreate(config.dataDir().resolve("jwt_secret"), 48);
    String token = config.accessToken();
    if (token == null) {
      Path file = config.dataDir().resolve("access_token");
      boolean created = !Files.exists(file);
      token = SecretFiles.readOrCreate(file, 24);
      if (created) {
        log.warn(
            "No ACCESS_TOKEN configured: generated one into {} (mode 0600); log in as admin with"
                + " it",
            file.toAbsolutePath());
      }
    }
    if (jwtSecret.getBytes(StandardCharsets.UTF_8).length < 32 || token.length() < 16) {
      throw new IllegalStateException(
          "the secret files in " + config.dataDir() + " are too short; delete them to regenerate");
    }
    // Built here, on a worker, so that the first use of the JCA providers, the JSON codec and
    // SecureRandom (hundreds of milliseconds cold) never happens on an event loop.
    SessionTokens issued =
        new SessionTokens(context.vertx(), jwtSecret, config.jwtLifetimeSeconds(), context.clock());
    issued.warmUp();
    this.openApiBytes = readOpenApi();
    this.tokens = issued;
    this.accessToken = token;
    return null;
  }

  private static byte[] readOpenApi() throws IOException {
    try (InputStream in = HomelabServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the server jar");
      }
      return in.readAllBytes();
    }
  }

  /**
   * The API document with the server's version, built on a worker at the first call and kept.
   * Parsing and re-encoding its quarter megabyte at start delayed every start for a request that
   * may never come (only {@code /openapi.json}, which {@code /docs} reads, needs it).
   *
   * @return the document as JSON text
   */
  public synchronized Future<String> openApi() {
    if (openApi == null) {
      byte[] bytes = openApiBytes;
      openApi =
          context
              .vertx()
              .executeBlocking(
                  () -> {
                    JsonObject doc = new JsonObject(Buffer.buffer(bytes));
                    doc.getJsonObject("info").put("version", HomelabServer.VERSION);
                    return doc.encode();
                  },
                  false);
    }
    return openApi;
  }

  /**
   * @return issues and checks session tokens
   */
  public SessionTokens tokens() {
    return tokens;
  }

  /**
   * @return the built-in administrator's access token
   */
  public String accessToken() {
    return accessToken;
  }
}
