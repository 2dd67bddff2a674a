package dev.homelab.core.identity;

import io.vertx.core.Future;
import java.util.List;

/** The API keys. */
public interface ApiKeyRepository {

  /**
   * Stores a new key.
   *
   * @param key the key, with its id chosen by the caller
   * @return the stored key
   */
  Future<ApiKey> create(ApiKey key);

  /**
   * @param id a key id
   * @return the key, or {@code null} if there is none
   */
  Future<ApiKey> byId(String id);

  /**
   * @param userId an owner
   * @return the owner's keys, newest first
   */
  Future<List<ApiKey>> listByUser(String userId);

  /**
   * @param id a key id
   * @return whether a key was removed
   */
  Future<Boolean> delete(String id);
}
