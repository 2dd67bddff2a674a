package dev.homelab.core.settings;

import io.vertx.core.Future;
import java.util.List;

/**
 * Server settings: small JSON values under a key, shared by every instance that uses the same
 * database.
 *
 * <p>Writes are atomic per key; the last write wins. Every method may be called from any thread.
 */
public interface SettingsRepository {

  /**
   * Reads one setting.
   *
   * @param key the key, see {@link Setting#key()}
   * @return the setting, or a future completed with {@code null} if the key has no value
   */
  Future<Setting> get(String key);

  /**
   * Lists every setting ordered by key.
   *
   * @return the settings, possibly empty
   */
  Future<List<Setting>> list();

  /**
   * Creates or replaces a setting. The value is validated before anything is written.
   *
   * @param key the key, see {@link Setting#key()}
   * @param value the JSON value, see {@link Setting#value()}
   * @return the stored setting, with the time it was written
   */
  Future<Setting> put(String key, Object value);

  /**
   * Removes a setting.
   *
   * @param key the key, see {@link Setting#key()}
   * @return {@code true} if a value was removed, {@code false} if there was none
   */
  Future<Boolean> delete(String key);
}
