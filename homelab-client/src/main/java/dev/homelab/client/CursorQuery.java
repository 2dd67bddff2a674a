package dev.homelab.client;

/**
 * A query of a list that the server sends in pages: it names the page to read by the cursor the
 * previous page handed out. Every paged query of the client is one ({@code DeviceQuery}, {@code
 * AuditQuery}, {@code AccessLogQuery}, {@code CardQuery}), so that one {@link Paginator} reads all
 * of them.
 *
 * <p>Queries are immutable values: {@link #withCursor} returns a copy.
 *
 * @param <Q> the query's own type
 */
public interface CursorQuery<Q extends CursorQuery<Q>> {

  /**
   * @return the cursor of the page this query reads, {@code null} for the first page
   */
  String cursor();

  /**
   * @param cursor the {@link Page#nextCursor()} of the previous page, or {@code null} for the first
   * @return a copy of this query, its filters and page size kept, that reads that page
   */
  Q withCursor(String cursor);
}
