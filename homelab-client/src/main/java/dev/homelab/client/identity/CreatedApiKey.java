package dev.homelab.client.identity;

import dev.homelab.client.HomelabClientOptions;
import io.vertx.core.json.JsonObject;

/**
 * A new API key, as {@code POST /api/auth/keys} answers it: the only time the server shows the
 * secret. {@link #toString()} leaves the secret out, so the value is safe to log.
 *
 * @param key the key's description
 * @param secret the key itself ({@code hlk_...}), to send as {@code Authorization: Bearer}, for
 *     example through {@link HomelabClientOptions#setToken(String)}
 */
public record CreatedApiKey(ApiKey key, String secret) {

  /**
   * Reads the JSON the server sends: the key's fields plus {@code key}, the secret. Unknown fields
   * are ignored.
   *
   * @param json the response body
   * @return the new key
   */
  public static CreatedApiKey fromJson(JsonObject json) {
    return new CreatedApiKey(ApiKey.fromJson(json), json.getString("key"));
  }

  /**
   * @return the JSON the server sends, secret included: do not log it
   */
  public JsonObject toJson() {
    return key.toJson().put("key", secret);
  }

  /**
   * @return the key's description with the secret masked as {@code ***}
   */
  @Override
  public String toString() {
    return "CreatedApiKey[key=" + key + ", secret=***]";
  }
}
