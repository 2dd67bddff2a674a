package dev.homelab.core.upstream.aihub;

import dev.homelab.core.upstream.BasicAuthUpstreamOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Options of an {@link AiHubClient}: where the AI hub is ({@code AI_HUB_URL} in seed 003, such as
 * {@code http://10.99.10.106:9876}), its HTTP Basic credentials, how its certificate is trusted and
 * how long it may take (for a chat: until the hub starts streaming).
 */
public class AiHubOptions extends BasicAuthUpstreamOptions<AiHubOptions> {

  /** The name used in messages, meters and health: {@value}. */
  public static final String DEFAULT_NAME = "ai hub";

  /** The time the AI hub may take to answer: 300 s (seed 003). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

  /** Creates options with the defaults and no base URL. */
  public AiHubOptions() {
    super(DEFAULT_NAME, DEFAULT_TIMEOUT);
  }

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public AiHubOptions(AiHubOptions other) {
    super(other);
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()} plus {@code password}, and the TLS
   * choice as {@code caFile}, {@code pinnedSha256} or {@code insecure}.
   *
   * @param json the options as JSON
   */
  public AiHubOptions(JsonObject json) {
    super(json, DEFAULT_NAME, DEFAULT_TIMEOUT);
  }
}
