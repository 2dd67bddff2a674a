package dev.homelab.client.system;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.internal.Waiter;
import java.util.List;

/**
 * The settings endpoints of {@link SettingsApi} for code that waits: each method calls the
 * asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes.
 * Thread-safe.
 */
public final class BlockingSettings {

  private final SettingsApi settings;
  private final Waiter waiter;

  /**
   * @param settings the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingSettings(SettingsApi settings, long timeoutMs) {
    this.settings = settings;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link SettingsApi#list()}.
   *
   * @return every setting, ordered by key
   */
  public List<Setting> list() {
    return waiter.await(settings.list());
  }

  /**
   * Like {@link SettingsApi#get(String)}.
   *
   * @param key the key
   * @return the setting
   */
  public Setting get(String key) {
    return waiter.await(settings.get(key));
  }

  /**
   * Like {@link SettingsApi#put(String, Object)}.
   *
   * @param key the key
   * @param value a JSON value
   * @return the stored setting
   */
  public Setting put(String key, Object value) {
    return waiter.await(settings.put(key, value));
  }

  /**
   * Like {@link SettingsApi#delete(String)}.
   *
   * @param key the key
   */
  public void delete(String key) {
    waiter.await(settings.delete(key));
  }
}
