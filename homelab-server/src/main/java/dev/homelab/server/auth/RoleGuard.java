package dev.homelab.server.auth;

import dev.homelab.core.identity.Role;
import dev.homelab.server.http.ErrorHandler.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Route guards on the authenticated principal's role. */
public final class RoleGuard {

  private RoleGuard() {}

  /**
   * @param minimum the least role the route needs
   * @return a handler that lets the request through only with at least that role, else 403
   */
  public static Handler<RoutingContext> atLeast(Role minimum) {
    return ctx -> {
      Principal principal = Principal.of(ctx);
      if (principal.accessOnly()) {
        ctx.fail(
            new ApiException(
                403, "FORBIDDEN", "this credential may only ask for access decisions"));
      } else if (principal.role().atLeast(minimum)) {
        ctx.next();
      } else {
        ctx.fail(forbidden(minimum));
      }
    };
  }

  static ApiException forbidden(Role minimum) {
    return new ApiException(
        403,
        "FORBIDDEN",
        switch (minimum) {
          case ADMIN -> "this operation needs the admin role";
          case USER -> "this operation changes data, which the viewer role may not do";
          case VIEWER -> "this operation is not allowed";
        });
  }
}
