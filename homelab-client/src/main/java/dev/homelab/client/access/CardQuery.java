package dev.homelab.client.access;

import dev.homelab.client.CursorQuery;
import dev.homelab.client.Page;
import dev.homelab.client.internal.QueryParams;
import java.util.Map;

/**
 * Which card policies {@code GET /api/policies/cards} lists: a page size and the cursor of the
 * page. Fields left {@code null} are not sent, so the server's defaults apply. Start from {@link
 * #create()} and change it with the {@code with...} methods, each of which returns a new query.
 *
 * @param limit how many cards per page (the server accepts 1 to 1000, default 100), or {@code null}
 * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
 */
public record CardQuery(Integer limit, String cursor) implements CursorQuery<CardQuery> {

  private static final CardQuery FIRST_PAGE = new CardQuery(null, null);

  /**
   * Checks the limit.
   *
   * @param limit how many cards per page, or {@code null}
   * @param cursor the cursor, or {@code null}
   * @throws IllegalArgumentException if the limit is below 1
   */
  public CardQuery {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  /**
   * @return the first page of every card, ordered by uid, with the server's page size
   */
  public static CardQuery create() {
    return FIRST_PAGE;
  }

  /**
   * @param limit how many cards per page, at least 1
   * @return a copy of this query with that page size
   * @throws IllegalArgumentException if below 1
   */
  public CardQuery withLimit(int limit) {
    return new CardQuery(limit, cursor);
  }

  /**
   * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
   * @return a copy of this query for that page
   */
  @Override
  public CardQuery withCursor(String cursor) {
    return new CardQuery(limit, cursor);
  }

  /**
   * @return the query parameters, unencoded, leaving out the fields that are {@code null}
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams().put("limit", limit).put("cursor", cursor).build();
  }
}
