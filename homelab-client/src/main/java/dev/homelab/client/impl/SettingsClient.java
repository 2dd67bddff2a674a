package dev.homelab.client.impl;

import dev.homelab.client.system.Setting;
import dev.homelab.client.system.SettingsApi;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** {@link SettingsApi} over the transport. */
final class SettingsClient implements SettingsApi {

  private final Transport transport;

  SettingsClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<List<Setting>> list() {
    return transport.getList("/api/settings", "settings", Setting::fromJson);
  }

  @Override
  public Future<Setting> get(String key) {
    return transport.get(path(key), Setting::fromJson);
  }

  @Override
  public Future<Setting> put(String key, Object value) {
    return transport.put(path(key), new JsonObject().put("value", value), Setting::fromJson);
  }

  @Override
  public Future<Void> delete(String key) {
    return transport.delete(path(key));
  }

  private static String path(String key) {
    return "/api/settings/" + Transport.segment(key);
  }
}
