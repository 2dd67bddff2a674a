package dev.homelab.server.routes;

import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditLog;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.identity.Role;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** {@code GET /api/audit}: the audit log, newest first, for administrators. */
public final class AuditRoutes {

  private static final Set<String> OUTCOMES = Set.of(AuditEntry.SUCCESS, AuditEntry.FAILURE);

  private final AuditLog audit;

  /**
   * @param audit the audit log
   */
  public AuditRoutes(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/audit", Role.ADMIN, this::list);
  }

  private void list(RoutingContext ctx) {
    AuditQuery query =
        new AuditQuery(
            Params.text(ctx, "action"),
            Params.text(ctx, "actor_id"),
            Params.oneOf(ctx, "outcome", OUTCOMES),
            Params.instant(ctx, "from"),
            Params.instant(ctx, "to"),
            Params.integer(ctx, "limit", AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT),
            Params.text(ctx, "cursor"));
    Responses.json(
        ctx,
        200,
        audit
            .list(query)
            .map(
                page ->
                    new JsonObject()
                        .put(
                            "entries",
                            new JsonArray(page.items().stream().map(AuditEntry::toJson).toList()))
                        .put("next_cursor", page.nextCursor())));
  }
}
