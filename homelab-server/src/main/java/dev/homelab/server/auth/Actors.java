package dev.homelab.server.auth;

import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.server.http.RequestIds;
import io.vertx.ext.web.RoutingContext;

/**
 * Builds the transport-neutral {@link Actor} that core services take from an HTTP request: the
 * principal's user and role, the client address (through trusted proxies) and the request id, so
 * that audit entries tie back to the request's log lines.
 */
public final class Actors {

  private final ClientIp clientIp;

  /**
   * @param clientIp resolves client addresses
   */
  public Actors(ClientIp clientIp) {
    this.clientIp = clientIp;
  }

  /**
   * @param ctx an authenticated request
   * @return its principal as an actor
   */
  public Actor of(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    return new Actor(
        principal.userId(),
        principal.username(),
        // A device token or an access-scoped key may only ask for decisions: whatever its owner's
        // role, it changes nothing through a service.
        principal.accessOnly() ? Role.VIEWER : principal.role(),
        clientIp.of(ctx),
        RequestIds.of(ctx));
  }

  /**
   * The actor of a device writing its own data with its device token: its owner, with at most the
   * user role. The caller checks that the request touches only that device.
   *
   * @param ctx a request authenticated with a device token
   * @return the device's owner as an actor
   */
  public Actor ofDevice(RoutingContext ctx) {
    Principal principal = Principal.of(ctx);
    if (principal.deviceId() == null) {
      throw new IllegalStateException("not a device's request");
    }
    return new Actor(
        principal.userId(),
        principal.username(),
        principal.role().narrowest(Role.USER),
        clientIp.of(ctx),
        RequestIds.of(ctx));
  }

  /**
   * @param ctx a request that just proved to be this user's (a login)
   * @param user the user
   * @return the user as an actor
   */
  public Actor of(RoutingContext ctx, User user) {
    return new Actor(user.id(), user.username(), user.role(), clientIp.of(ctx), RequestIds.of(ctx));
  }

  /**
   * @param ctx a request without credentials (a failed login)
   * @param name the name it gave; kept only if it could be a username
   * @return an actor with no user and the least role
   */
  public Actor unauthenticated(RoutingContext ctx, String name) {
    // People type passwords into the username field: a name that cannot be a username is not
    // kept anywhere, not even in the actor.
    String username;
    try {
      username = User.validateUsername(name);
    } catch (ValidationException notAName) {
      username = null;
    }
    return new Actor(null, username, Role.VIEWER, clientIp.of(ctx), RequestIds.of(ctx));
  }
}
