package dev.homelab.core.identity;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A long-lived credential for scripts and bots. The key itself is shown once, to its creator; the
 * store keeps only a hash of its secret part.
 *
 * @param id the public id, part of the key
 * @param userId the owner
 * @param name what the owner calls it
 * @param scope the most it may do; requests run with the narrower of this and the owner's role, and
 *     an {@link KeyScope#ACCESS} key may only ask for access decisions
 * @param secretHash the hash of the key's secret part
 * @param createdAt when it was created
 * @param expiresAt when it stops working, or {@code null} for never
 */
public record ApiKey(
    String id,
    String userId,
    String name,
    KeyScope scope,
    String secretHash,
    Instant createdAt,
    Instant expiresAt) {

  /** The longest accepted name. */
  public static final int MAX_NAME_LENGTH = 100;

  /** Checks the components that are never optional. */
  public ApiKey {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(secretHash, "secretHash");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * @param now the current time
   * @return whether the key has expired at {@code now}
   */
  public boolean expiredAt(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  /**
   * @return the public form: every component but the secret hash and the owner
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("scope", scope.label())
        .put("created_at", createdAt.toString())
        .put("expires_at", expiresAt == null ? null : expiresAt.toString());
  }

  @Override
  public String toString() {
    return "ApiKey{id=" + id + ", userId=" + userId + ", scope=" + scope.label() + "}";
  }
}
