package dev.homelab.core.testing;

/**
 * The real Redis on loopback for integration tests: {@value #PROPERTY} if set, else the server on
 * this machine. Tests isolate themselves with random key prefixes.
 */
public final class RedisTesting {

  /** The system property that overrides the url. */
  public static final String PROPERTY = "homelab.it.redis.url";

  /** The Redis url the tests use. */
  public static final String URL = System.getProperty(PROPERTY, "redis://127.0.0.1:6379/0");

  private RedisTesting() {}
}
