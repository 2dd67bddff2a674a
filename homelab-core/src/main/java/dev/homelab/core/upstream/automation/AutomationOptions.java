package dev.homelab.core.upstream.automation;

import dev.homelab.core.upstream.BasicAuthUpstreamOptions;
import dev.homelab.core.upstream.SharedEventStreamOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of an {@link AutomationClient}: where the automation API is ({@code AUTOMATION_API_URL}
 * in seed 003, such as {@code http://10.0.20.102:8080}), its HTTP Basic credentials, how its
 * certificate is trusted, how long it may take (for a log stream: until its response head), and how
 * its log streams start and buffer.
 */
public class AutomationOptions extends BasicAuthUpstreamOptions<AutomationOptions> {

  /** The name used in messages, meters and health: {@value}. */
  public static final String DEFAULT_NAME = "automation";

  /** Past log lines a log stream starts with: {@value} (seed 003). */
  public static final int DEFAULT_LOG_LINES = 100;

  /** The time the automation API may take to answer: 5 s (seed 003). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private int logLines = DEFAULT_LOG_LINES;
  private SharedEventStreamOptions logStreamOptions = new SharedEventStreamOptions();

  /** Creates options with the defaults and no base URL. */
  public AutomationOptions() {
    super(DEFAULT_NAME, DEFAULT_TIMEOUT);
  }

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public AutomationOptions(AutomationOptions other) {
    super(other);
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
    super(json, DEFAULT_NAME, DEFAULT_TIMEOUT);
    setLogLines(json.getInteger("logLines", DEFAULT_LOG_LINES));
    JsonObject stream = json.getJsonObject("logStream");
    if (stream != null) {
      setLogStreamOptions(new SharedEventStreamOptions(stream));
    }
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
  @Override
  public JsonObject toJson() {
    return super.toJson().put("logLines", logLines).put("logStream", logStreamOptions.toJson());
  }

  @Override
  protected String extraToString() {
    return ", logLines=" + logLines;
  }
}
