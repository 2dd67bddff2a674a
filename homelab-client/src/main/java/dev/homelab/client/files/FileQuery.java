package dev.homelab.client.files;

import dev.homelab.client.CursorQuery;
import dev.homelab.client.Page;
import dev.homelab.client.internal.QueryParams;
import java.util.Map;

/**
 * Which files {@code GET /api/files} lists: a tag, a name search, a page size and the cursor of the
 * page. Fields left {@code null} are not sent, so the server's defaults apply. Start from {@link
 * #create()} and narrow it with the {@code with...} methods, each of which returns a new query.
 *
 * @param limit how many files per page (the server accepts 1 to 200, default 50), or {@code null}
 * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
 * @param tag only files with this tag, or {@code null} for all
 * @param search only files whose name contains this, ignoring case (the {@code q} parameter), or
 *     {@code null} for all
 */
public record FileQuery(Integer limit, String cursor, String tag, String search)
    implements CursorQuery<FileQuery> {

  private static final FileQuery FIRST_PAGE = new FileQuery(null, null, null, null);

  /**
   * Checks the limit.
   *
   * @param limit how many files per page, or {@code null}
   * @param cursor the cursor, or {@code null}
   * @param tag the tag, or {@code null}
   * @param search the name search, or {@code null}
   * @throws IllegalArgumentException if the limit is below 1
   */
  public FileQuery {
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
  }

  /**
   * @return the first page of every file the caller may see, with the server's page size
   */
  public static FileQuery create() {
    return FIRST_PAGE;
  }

  /**
   * @param limit how many files per page, at least 1
   * @return a copy of this query with that page size
   * @throws IllegalArgumentException if below 1
   */
  public FileQuery withLimit(int limit) {
    return new FileQuery(limit, cursor, tag, search);
  }

  /**
   * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
   * @return a copy of this query for that page
   */
  @Override
  public FileQuery withCursor(String cursor) {
    return new FileQuery(limit, cursor, tag, search);
  }

  /**
   * @param tag only files with this tag, or {@code null} for all
   * @return a copy of this query with that filter
   */
  public FileQuery withTag(String tag) {
    return new FileQuery(limit, cursor, tag, search);
  }

  /**
   * @param search only files whose name contains this, ignoring case, or {@code null} for all
   * @return a copy of this query with that filter
   */
  public FileQuery withSearch(String search) {
    return new FileQuery(limit, cursor, tag, search);
  }

  /**
   * @return the query parameters, unencoded, leaving out the fields that are {@code null}
   */
  public Map<String, String> toQueryParams() {
    return new QueryParams()
        .put("limit", limit)
        .put("cursor", cursor)
        .put("tag", tag)
        .put("q", search)
        .build();
  }
}
