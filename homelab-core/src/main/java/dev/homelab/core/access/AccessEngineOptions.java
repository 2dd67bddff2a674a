package dev.homelab.core.access;

import io.vertx.core.json.JsonObject;

/** Options of an {@link AccessEngine}: lockout, how the access log is written, policy refresh. */
public class AccessEngineOptions {

  /** Denied scans on one reader, within the window, that lock it out: {@value}; 0 disables. */
  public static final int DEFAULT_LOCKOUT_THRESHOLD = 5;

  /** The window denied scans are counted in: {@value} seconds. */
  public static final int DEFAULT_LOCKOUT_WINDOW_SECONDS = 60;

  /** How long a reader stays locked out: {@value} seconds. */
  public static final int DEFAULT_LOCKOUT_SECONDS = 300;

  /** Whether a checked decision is answered only once its log row is committed: {@value}. */
  public static final boolean DEFAULT_DURABLE_LOG = true;

  /** The most log rows committed in one transaction: {@value}. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 500;

  /**
   * The most rows waiting for their commit: {@value}. Past it, checks are refused (a storage error,
   * 503 over HTTP) until the log catches up: a decision that cannot be recorded is not answered,
   * and nothing acknowledged is ever dropped.
   */
  public static final int DEFAULT_MAX_PENDING_LOG_ENTRIES = 100_000;

  /**
   * How often the engine asks the store whether another instance changed the policies: {@value}
   * seconds; 0 never asks.
   */
  public static final int DEFAULT_POLICY_REFRESH_SECONDS = 10;

  /**
   * How many log commits may be in flight at once: {@value}. A store with one writer (SQLite) gains
   * nothing from more; a server database (PostgreSQL) answers sooner with a few.
   */
  public static final int DEFAULT_MAX_CONCURRENT_COMMITS = 1;

  private int lockoutThreshold = DEFAULT_LOCKOUT_THRESHOLD;
  private int lockoutWindowSeconds = DEFAULT_LOCKOUT_WINDOW_SECONDS;
  private int lockoutSeconds = DEFAULT_LOCKOUT_SECONDS;
  private boolean durableLog = DEFAULT_DURABLE_LOG;
  private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  private int maxPendingLogEntries = DEFAULT_MAX_PENDING_LOG_ENTRIES;
  private int maxConcurrentCommits = DEFAULT_MAX_CONCURRENT_COMMITS;
  private int policyRefreshSeconds = DEFAULT_POLICY_REFRESH_SECONDS;

  /** Creates options with the defaults. */
  public AccessEngineOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public AccessEngineOptions(AccessEngineOptions other) {
    this(other.toJson());
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}; missing keys keep their defaults.
   *
   * @param json the options as JSON
   */
  public AccessEngineOptions(JsonObject json) {
    setLockoutThreshold(json.getInteger("lockoutThreshold", DEFAULT_LOCKOUT_THRESHOLD));
    setLockoutWindowSeconds(
        json.getInteger("lockoutWindowSeconds", DEFAULT_LOCKOUT_WINDOW_SECONDS));
    setLockoutSeconds(json.getInteger("lockoutSeconds", DEFAULT_LOCKOUT_SECONDS));
    setDurableLog(json.getBoolean("durableLog", DEFAULT_DURABLE_LOG));
    setMaxBatchSize(json.getInteger("maxBatchSize", DEFAULT_MAX_BATCH_SIZE));
    setMaxPendingLogEntries(
        json.getInteger("maxPendingLogEntries", DEFAULT_MAX_PENDING_LOG_ENTRIES));
    setPolicyRefreshSeconds(
        json.getInteger("policyRefreshSeconds", DEFAULT_POLICY_REFRESH_SECONDS));
    setMaxConcurrentCommits(
        json.getInteger("maxConcurrentCommits", DEFAULT_MAX_CONCURRENT_COMMITS));
  }

  /**
   * @return denied scans that lock a reader out; default {@value #DEFAULT_LOCKOUT_THRESHOLD}
   */
  public int getLockoutThreshold() {
    return lockoutThreshold;
  }

  /**
   * @param lockoutThreshold 0 (no lockout) to 1000
   * @return these options
   */
  public AccessEngineOptions setLockoutThreshold(int lockoutThreshold) {
    this.lockoutThreshold = check("lockoutThreshold", lockoutThreshold, 0, 1000);
    return this;
  }

  /**
   * @return the counting window in seconds; default {@value #DEFAULT_LOCKOUT_WINDOW_SECONDS}
   */
  public int getLockoutWindowSeconds() {
    return lockoutWindowSeconds;
  }

  /**
   * @param lockoutWindowSeconds 1 to 86400
   * @return these options
   */
  public AccessEngineOptions setLockoutWindowSeconds(int lockoutWindowSeconds) {
    this.lockoutWindowSeconds = check("lockoutWindowSeconds", lockoutWindowSeconds, 1, 86_400);
    return this;
  }

  /**
   * @return how long a lockout lasts in seconds; default {@value #DEFAULT_LOCKOUT_SECONDS}
   */
  public int getLockoutSeconds() {
    return lockoutSeconds;
  }

  /**
   * @param lockoutSeconds 1 to 86400
   * @return these options
   */
  public AccessEngineOptions setLockoutSeconds(int lockoutSeconds) {
    this.lockoutSeconds = check("lockoutSeconds", lockoutSeconds, 1, 86_400);
    return this;
  }

  /**
   * @return whether checks wait for their log row's commit; default {@value #DEFAULT_DURABLE_LOG}
   */
  public boolean isDurableLog() {
    return durableLog;
  }

  /**
   * Chooses between answering a check after its log row is committed ({@code true}) and at once,
   * with the row committed shortly after ({@code false}, the asynchronous mode). Either way rows
   * are batched and none is dropped on a clean shutdown; only the asynchronous mode can lose the
   * last rows to a crash.
   *
   * @param durableLog the mode
   * @return these options
   */
  public AccessEngineOptions setDurableLog(boolean durableLog) {
    this.durableLog = durableLog;
    return this;
  }

  /**
   * @return the most rows per commit; default {@value #DEFAULT_MAX_BATCH_SIZE}
   */
  public int getMaxBatchSize() {
    return maxBatchSize;
  }

  /**
   * @param maxBatchSize 1 to 4000
   * @return these options
   */
  public AccessEngineOptions setMaxBatchSize(int maxBatchSize) {
    this.maxBatchSize = check("maxBatchSize", maxBatchSize, 1, 4000);
    return this;
  }

  /**
   * @return the most rows waiting for their commit; default {@value
   *     #DEFAULT_MAX_PENDING_LOG_ENTRIES}
   */
  public int getMaxPendingLogEntries() {
    return maxPendingLogEntries;
  }

  /**
   * @param maxPendingLogEntries 1 to 10,000,000
   * @return these options
   */
  public AccessEngineOptions setMaxPendingLogEntries(int maxPendingLogEntries) {
    this.maxPendingLogEntries = check("maxPendingLogEntries", maxPendingLogEntries, 1, 10_000_000);
    return this;
  }

  /**
   * @return seconds between policy revision checks; default {@value
   *     #DEFAULT_POLICY_REFRESH_SECONDS}
   */
  public int getPolicyRefreshSeconds() {
    return policyRefreshSeconds;
  }

  /**
   * @param policyRefreshSeconds 0 (never) to 86400
   * @return these options
   */
  public AccessEngineOptions setPolicyRefreshSeconds(int policyRefreshSeconds) {
    this.policyRefreshSeconds = check("policyRefreshSeconds", policyRefreshSeconds, 0, 86_400);
    return this;
  }

  /**
   * @return log commits in flight at once; default {@value #DEFAULT_MAX_CONCURRENT_COMMITS}
   */
  public int getMaxConcurrentCommits() {
    return maxConcurrentCommits;
  }

  /**
   * @param maxConcurrentCommits 1 to 64
   * @return these options
   */
  public AccessEngineOptions setMaxConcurrentCommits(int maxConcurrentCommits) {
    this.maxConcurrentCommits = check("maxConcurrentCommits", maxConcurrentCommits, 1, 64);
    return this;
  }

  /**
   * @return these options as JSON
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("lockoutThreshold", lockoutThreshold)
        .put("lockoutWindowSeconds", lockoutWindowSeconds)
        .put("lockoutSeconds", lockoutSeconds)
        .put("durableLog", durableLog)
        .put("maxBatchSize", maxBatchSize)
        .put("maxPendingLogEntries", maxPendingLogEntries)
        .put("policyRefreshSeconds", policyRefreshSeconds)
        .put("maxConcurrentCommits", maxConcurrentCommits);
  }

  private static int check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
    }
    return value;
  }
}
