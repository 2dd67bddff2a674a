package dev.homelab.client.audit;

import dev.homelab.client.CursorQuery;
import dev.homelab.client.Page;
import dev.homelab.client.internal.QueryParams;
import java.time.Instant;
import java.util.Map;

/**
 * Which entries {@code GET /api/audit} lists: filters, a page size and the cursor of the page.
 * Fields left {@code null} are not sent, so the server's defaults apply. Start from {@link
 * #create()} and narrow it with the {@code with...} methods, each of which returns a new query.
 *
 * @param action only this action, for example {@code auth.login_failed}, or {@code null} for all
 * @param actorId only entries of this user id, or {@code null} for all
 * @param outcome only {@code success} or only {@code failure}, or {@code null} for both
 * @param from the lower bound of the entries' time, or {@code null} for none
 * @param to the upper bound of the entries' time, or {@code null} for none
 * @param limit how many entries per page (the server accepts 1 to 500, default 100), or {@code
 *     null}
 * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
 */
public record AuditQuery(
    String action,
    String actorId,
    String outcome,
    Instant from,
    Instant to,
    Integer limit,
    String cursor)
    implements CursorQuery<AuditQuery> {

  private static final AuditQuery FIRST_PAGE =
      new AuditQuery(null, null, null, null, null, null, null);

  /**
   * Checks the limit.
   *
   * @param action the action, or {@code null}
   * @param actorId the actor's user id, or {@code null}
   * @param outcome the outcome, or {@code null}
   * @param from the lower time bound, or {@code null}
   * @param to the upper time bound, or {@code null}
   * @param limit how many entries per page, or {@code null}
   * @param cursor the cursor, or {@code null}
   * @throws IllegalArgumentException if the limit is below 1
   */
  public AuditQuery {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  /**
   * @return the first page of the whole log, newest first, with the server's page size
   */
  public static AuditQuery create() {
    return FIRST_PAGE;
  }

  /**
   * @param action only this action, or {@code null} for all
   * @return a copy of this query with that filter
   */
  public AuditQuery withAction(String action) {
    return new AuditQuery(action, actorId, outcome, from, to, limit, cursor);
  }

  /**
   * @param actorId only entries of this user id, or {@code null} for all
   * @return a copy of this query with that filter
   */
  public AuditQuery withActorId(String actorId) {
    return new AuditQuery(action, actorId, outcome, from, to, limit, cursor);
  }

  /**
   * @param outcome {@code success} or {@code failure}, or {@code null} for both
   * @return a copy of this query with that filter
   */
  public AuditQuery withOutcome(String outcome) {
    return new AuditQuery(action, actorId, outcome, from, to, limit, cursor);
  }

  /**
   * @param from the lower bound of the entries' time, or {@code null} for none
   * @return a copy of this query with that bound
   */
  public AuditQuery withFrom(Instant from) {
    return new AuditQuery(action, actorId, outcome, from, to, limit, cursor);
  }

  /**
   * @param to the upper bound of the entries' time, or {@code null} for none
   * @return a copy of this query with that bound
   */
  public AuditQuery withTo(Instant to) {
    return new AuditQuery(action, actorId, outcome, from, to, limit, cursor);
  }

  /**
   * @param limit how many entries per page, at least 1
   * @return a copy of this query with that page size
   * @throws IllegalArgumentException if below 1
   */
  public AuditQuery withLimit(int limit) {
    return new AuditQuery(action, actorId, outcome, from, to, limit, cursor);
  }

  /**
   * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
   * @return a copy of this query for that page
   */
  @Override
  public AuditQuery withCursor(String cursor) {
    return new AuditQuery(action, actorId, outcome, from, to, limit, cursor);
  }

  /**
   * @return the query parameters, unencoded, leaving out the fields that are {@code null}; times
   *     are ISO-8601
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams()
        .put("action", action)
        .put("actor_id", actorId)
        .put("outcome", outcome)
        .put("from", from)
        .put("to", to)
        .put("limit", limit)
        .put("cursor", cursor)
        .build();
  }
}
