package dev.homelab.client.audit;

import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.Page;
import dev.homelab.client.Paginator;
import io.vertx.core.Future;

/**
 * The audit log: {@code /api/audit}. Admins only; anyone else is refused with {@link
 * HomelabForbiddenException}.
 */
public interface AuditApi {

  /**
   * Like {@link #list(AuditQuery)} with {@link AuditQuery#create()}: the newest page.
   *
   * @return the first page of entries, newest first
   */
  default Future<Page<AuditEntry>> list() {
    return list(AuditQuery.create());
  }

  /**
   * {@code GET /api/audit}.
   *
   * @param query the filters, page size and cursor
   * @return one page of entries, newest first
   */
  Future<Page<AuditEntry>> list(AuditQuery query);

  /**
   * Every entry the query matches, from its cursor on, read page by page as they are asked for; see
   * {@link Paginator}.
   *
   * @param query the filters, page size and first cursor
   * @return the entries, newest first
   */
  default Paginator<AuditEntry> autoPaging(AuditQuery query) {
    return Paginator.of(query, this::list);
  }
}
