package dev.homelab.client.identity;

import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.HomelabRateLimitedException;
import dev.homelab.client.HomelabUnauthorizedException;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * Logging in and out, the caller's identity and their API keys: {@code /api/auth}.
 *
 * <p>A successful {@link #login} keeps the JWT in the client, which sends it with every later
 * request in place of {@link HomelabClientOptions#getToken()}; a successful {@link #logout()} drops
 * it again, so later requests use the options' token (if any).
 */
public interface AuthApi {

  /**
   * {@code POST /api/auth/login} with the server's access token: logs in as the built-in {@code
   * admin}, and the client uses the new JWT from then on.
   *
   * @param accessToken the server's {@code ACCESS_TOKEN}
   * @return the session; fails with {@link HomelabUnauthorizedException} ({@code
   *     INVALID_CREDENTIALS}) if the token is wrong, or {@link HomelabRateLimitedException} after
   *     too many attempts
   */
  Future<LoginResult> login(String accessToken);

  /**
   * {@code POST /api/auth/login} with a user's name and password; the client uses the new JWT from
   * then on.
   *
   * @param username the user's name
   * @param password the user's password
   * @return the session; fails with {@link HomelabUnauthorizedException} ({@code
   *     INVALID_CREDENTIALS}) if the credentials are wrong, or {@link HomelabRateLimitedException}
   *     after too many attempts or while the account is locked
   */
  Future<LoginResult> login(String username, String password);

  /**
   * {@code POST /api/auth/logout}: revokes the JWT the request is sent with; on success the client
   * forgets the JWT of its last {@link #login}.
   *
   * @return completes when revoked; fails with {@link HomelabHttpException} ({@code NOT_A_SESSION},
   *     400) if the client authenticates with an API key
   */
  Future<Void> logout();

  /**
   * {@code GET /api/auth/me}.
   *
   * @return who the client is, with the effective role
   */
  Future<Me> me();

  /**
   * {@code GET /api/auth/keys}.
   *
   * @return the caller's own API keys, newest first, without their secrets
   */
  Future<List<ApiKey>> keys();

  /**
   * Like {@link #createKey(String, String, Instant)} with the caller's role as scope and no expiry.
   *
   * @param name the key's name
   * @return the new key, with its secret
   */
  default Future<CreatedApiKey> createKey(String name) {
    return createKey(name, null, null);
  }

  /**
   * {@code POST /api/auth/keys}: creates an API key. Needs a JWT session: a client authenticated by
   * an API key is refused with {@link HomelabForbiddenException}.
   *
   * @param name the key's name
   * @param scope the highest role the key may act with, not above the caller's, or {@code null} for
   *     the caller's role
   * @param expiresAt when the key stops working, in the future, or {@code null} for never
   * @return the new key, with its secret: the only time the server shows it
   */
  Future<CreatedApiKey> createKey(String name, String scope, Instant expiresAt);

  /**
   * {@code DELETE /api/auth/keys/{id}}: the key stops working on its next request.
   *
   * @param id the key's id
   * @return completes when revoked; fails with {@link HomelabNotFoundException} for an unknown key
   *     or another user's (admins may revoke any)
   */
  Future<Void> revokeKey(String id);
}
