package dev.homelab.server.auth;

import dev.homelab.core.identity.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;

/**
 * Who is making the request, as established by the {@link Authenticator}.
 *
 * @param userId the user's id
 * @param username the user's login name
 * @param role the effective role: the user's current role, narrowed by an API key's scope
 * @param credentialType {@link #JWT}, {@link #API_KEY} or {@link #DEVICE}
 * @param credentialId the JWT's {@code jti}, the API key's id or the device's id
 * @param expiresAt when the credential expires, or {@code null} for never
 * @param deviceId the device presenting its token, or {@code null}
 * @param accessOnly whether the credential may only ask for access decisions (a device token or an
 *     API key with the {@code access} scope); such a principal has no role on other routes
 */
public record Principal(
    String userId,
    String username,
    Role role,
    String credentialType,
    String credentialId,
    Instant expiresAt,
    String deviceId,
    boolean accessOnly) {

  /**
   * A user's principal, with full use of its role.
   *
   * @param userId the user's id
   * @param username the user's login name
   * @param role the effective role
   * @param credentialType {@link #JWT} or {@link #API_KEY}
   * @param credentialId the credential's id
   * @param expiresAt when the credential expires, or {@code null}
   */
  public Principal(
      String userId,
      String username,
      Role role,
      String credentialType,
      String credentialId,
      Instant expiresAt) {
    this(userId, username, role, credentialType, credentialId, expiresAt, null, false);
  }

  /** A session token from login. */
  public static final String JWT = "jwt";

  /** A long-lived API key. */
  public static final String API_KEY = "api_key";

  /** A device's token. */
  public static final String DEVICE = "device";

  private static final String KEY = "homelab.principal";

  /**
   * @param ctx an authenticated request
   * @return its principal
   * @throws IllegalStateException if the request was not authenticated, which is a routing bug
   */
  public static Principal of(RoutingContext ctx) {
    Principal principal = ctx.get(KEY);
    if (principal == null) {
      throw new IllegalStateException("route reached without authentication");
    }
    return principal;
  }

  /**
   * @param ctx a request
   * @return its principal, or {@code null} when it has none (yet)
   */
  public static Principal orNull(RoutingContext ctx) {
    return ctx.get(KEY);
  }

  void attachTo(RoutingContext ctx) {
    ctx.put(KEY, this);
  }

  /**
   * @return whether this principal acts with the administrator role
   */
  public boolean isAdmin() {
    return !accessOnly && role == Role.ADMIN;
  }

  /**
   * @return whether this principal may ask for access decisions: administrators, devices (for
   *     themselves), and {@code access} keys while their owner is an administrator
   */
  public boolean mayCheckAccess() {
    return accessOnly ? DEVICE.equals(credentialType) || role == Role.ADMIN : isAdmin();
  }

  /**
   * @return the wire form of {@code GET /api/auth/me}
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", userId)
        .put("username", username)
        .put("role", role.label())
        .put("credential_type", credentialType)
        .put("credential_id", credentialId)
        .put("expires_at", expiresAt == null ? null : expiresAt.toString());
  }
}
