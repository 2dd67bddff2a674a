package dev.homelab.client.audit;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.Page;
import dev.homelab.client.internal.Waiter;

/**
 * The audit log endpoints (admins only) of {@link AuditApi} for code that waits: each method calls
 * the asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes.
 * Thread-safe.
 */
public final class BlockingAudit {

  private final AuditApi audit;
  private final Waiter waiter;

  /**
   * @param audit the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingAudit(AuditApi audit, long timeoutMs) {
    this.audit = audit;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link AuditApi#list()}.
   *
   * @return the newest page of entries
   */
  public Page<AuditEntry> list() {
    return waiter.await(audit.list());
  }

  /**
   * Like {@link AuditApi#list(AuditQuery)}.
   *
   * @param query the filters, page size and cursor
   * @return one page of entries
   */
  public Page<AuditEntry> list(AuditQuery query) {
    return waiter.await(audit.list(query));
  }

  /**
   * Like {@link AuditApi#autoPaging(AuditQuery)}, as an iterable. Every entry the query matches,
   * from its cursor on, reading each page only when the previous one is used up. Each iterator
   * starts again from the query; {@code hasNext()} may wait for the server and throw what {@link
   * #list(AuditQuery)} throws.
   *
   * @param query the filters, page size and first cursor
   * @return the entries, newest first
   */
  public Iterable<AuditEntry> autoPagingIterable(AuditQuery query) {
    return waiter.iterable(audit.autoPaging(query));
  }
}
