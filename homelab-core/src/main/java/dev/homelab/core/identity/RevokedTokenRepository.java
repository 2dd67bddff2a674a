package dev.homelab.core.identity;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * Session tokens revoked before they expire, by token id ({@code jti}). An entry is needed only
 * until the token would have expired anyway, so {@link #purgeExpired} may drop it then.
 */
public interface RevokedTokenRepository {

  /**
   * Revokes a token; revoking it twice is harmless.
   *
   * @param tokenId the token's id
   * @param expiresAt when the token expires
   * @return completes once the revocation is stored
   */
  Future<Void> revoke(String tokenId, Instant expiresAt);

  /**
   * @param tokenId a token id
   * @return whether it is revoked
   */
  Future<Boolean> isRevoked(String tokenId);

  /**
   * Drops revocations of tokens that have expired by {@code now}.
   *
   * @param now the current time
   * @return how many were dropped
   */
  Future<Integer> purgeExpired(Instant now);
}
