package dev.homelab.client.identity;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.internal.Waiter;
import java.time.Instant;
import java.util.List;

/**
 * The login, identity and API key endpoints of {@link AuthApi} for code that waits: each method
 * calls the asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes.
 * Thread-safe.
 */
public final class BlockingAuth {

  private final AuthApi auth;
  private final Waiter waiter;

  /**
   * @param auth the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingAuth(AuthApi auth, long timeoutMs) {
    this.auth = auth;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link AuthApi#login(String)}.
   *
   * @param accessToken the server's {@code ACCESS_TOKEN}
   * @return the session, whose JWT the client now uses
   */
  public LoginResult login(String accessToken) {
    return waiter.await(auth.login(accessToken));
  }

  /**
   * Like {@link AuthApi#login(String, String)}.
   *
   * @param username the user's name
   * @param password the user's password
   * @return the session, whose JWT the client now uses
   */
  public LoginResult login(String username, String password) {
    return waiter.await(auth.login(username, password));
  }

  /** Like {@link AuthApi#logout()}. */
  public void logout() {
    waiter.await(auth.logout());
  }

  /**
   * Like {@link AuthApi#me()}.
   *
   * @return who the client is
   */
  public Me me() {
    return waiter.await(auth.me());
  }

  /**
   * Like {@link AuthApi#keys()}.
   *
   * @return the caller's own API keys, newest first
   */
  public List<ApiKey> keys() {
    return waiter.await(auth.keys());
  }

  /**
   * Like {@link AuthApi#createKey(String)}.
   *
   * @param name the key's name
   * @return the new key, with its secret
   */
  public CreatedApiKey createKey(String name) {
    return waiter.await(auth.createKey(name));
  }

  /**
   * Like {@link AuthApi#createKey(String, String, Instant)}.
   *
   * @param name the key's name
   * @param scope the highest role the key may act with, or {@code null} for the caller's role
   * @param expiresAt when the key stops working, or {@code null} for never
   * @return the new key, with its secret
   */
  public CreatedApiKey createKey(String name, String scope, Instant expiresAt) {
    return waiter.await(auth.createKey(name, scope, expiresAt));
  }

  /**
   * Like {@link AuthApi#revokeKey(String)}.
   *
   * @param id the key's id
   */
  public void revokeKey(String id) {
    waiter.await(auth.revokeKey(id));
  }
}
