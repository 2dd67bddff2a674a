package dev.homelab.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@link HomelabClient} for code that waits: each method calls the asynchronous one and waits
 * for its answer, at most the client's timeout (plus a second of grace).
 *
 * <p>Failures are thrown as copies whose cause is the asynchronous failure, so the stack trace
 * shows both the caller and the I/O. An interrupted wait restores the thread's interrupt flag and
 * throws a {@link HomelabConnectionException}. Calling it on a Vert.x event loop is refused: it
 * would block the loop the answer has to arrive on.
 */
public final class BlockingHomelabClient {

  private final HomelabClient client;
  private final long timeoutMs;
  private final Settings settings = new Settings();

  /**
   * @param client the asynchronous client to wrap
   * @param timeoutMs how long one call may take, in milliseconds
   */
  public BlockingHomelabClient(HomelabClient client, long timeoutMs) {
    this.client = client;
    this.timeoutMs = timeoutMs + 1_000;
  }

  /**
   * Like {@link HomelabClient#health()}.
   *
   * @return the health
   */
  public Health health() {
    return await(client.health());
  }

  /**
   * @return the settings endpoints, waiting for each answer
   */
  public Settings settings() {
    return settings;
  }

  /** Like {@link HomelabClient#close()}. */
  public void close() {
    await(client.close());
  }

  /** Like {@link SettingsApi}, waiting for each answer. */
  public final class Settings {
    private Settings() {}

    /**
     * Like {@link SettingsApi#list()}.
     *
     * @return every setting, ordered by key
     */
    public List<Setting> list() {
      return await(client.settings().list());
    }

    /**
     * Like {@link SettingsApi#get(String)}.
     *
     * @param key the key
     * @return the setting
     */
    public Setting get(String key) {
      return await(client.settings().get(key));
    }

    /**
     * Like {@link SettingsApi#put(String, Object)}.
     *
     * @param key the key
     * @param value a JSON value
     * @return the stored setting
     */
    public Setting put(String key, Object value) {
      return await(client.settings().put(key, value));
    }

    /**
     * Like {@link SettingsApi#delete(String)}.
     *
     * @param key the key
     */
    public void delete(String key) {
      await(client.settings().delete(key));
    }
  }

  private <T> T await(Future<T> future) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "the blocking Homelab client cannot wait on a Vert.x event loop: use HomelabClient's futures there");
    }
    CountDownLatch done = new CountDownLatch(1);
    future.onComplete(result -> done.countDown());
    try {
      if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new HomelabConnectionException("no answer within " + timeoutMs + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HomelabConnectionException("interrupted while waiting for the server", e);
    }
    if (future.succeeded()) {
      return future.result();
    }
    Throwable failure = future.cause();
    if (failure instanceof HomelabClientException clientFailure) {
      throw clientFailure.copyAsCause();
    }
    throw new HomelabConnectionException(String.valueOf(failure.getMessage()), failure);
  }
}
