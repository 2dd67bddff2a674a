package dev.homelab.client.system;

import dev.homelab.client.HomelabNotFoundException;
import io.vertx.core.Future;
import java.util.List;

/** The server's settings: {@code /api/settings}. */
public interface SettingsApi {

  /**
   * {@code GET /api/settings}.
   *
   * @return every setting, ordered by key
   */
  Future<List<Setting>> list();

  /**
   * {@code GET /api/settings/{key}}.
   *
   * @param key the key
   * @return the setting; fails with {@link HomelabNotFoundException} if there is none
   */
  Future<Setting> get(String key);

  /**
   * {@code PUT /api/settings/{key}}: creates or replaces a setting.
   *
   * @param key the key: lower-case letters, digits, dots, dashes and underscores
   * @param value a JSON value (not null)
   * @return the stored setting
   */
  Future<Setting> put(String key, Object value);

  /**
   * {@code DELETE /api/settings/{key}}.
   *
   * @param key the key
   * @return completes when removed; fails with {@link HomelabNotFoundException} if there was none
   */
  Future<Void> delete(String key);
}
