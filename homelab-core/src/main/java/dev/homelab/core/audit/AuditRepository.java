package dev.homelab.core.audit;

import dev.homelab.core.Page;
import io.vertx.core.Future;
import java.time.Instant;

/** The audit log: append, read, and retention. There is no way to change an entry. */
public interface AuditRepository {

  /**
   * Appends an entry; its {@code id} is ignored and assigned by the store.
   *
   * @param entry the entry
   * @return completes once the entry is durable
   */
  Future<Void> append(AuditEntry entry);

  /**
   * @param query the filter and page
   * @return one page of entries, newest first
   */
  Future<Page<AuditEntry>> list(AuditQuery query);

  /**
   * Deletes at most {@code batchSize} of the oldest entries older than {@code cutoff}; call again
   * while it returns {@code batchSize}.
   *
   * @param cutoff entries before this time are expired
   * @param batchSize the most to delete in this call
   * @return how many were deleted
   */
  Future<Integer> deleteOlderThan(Instant cutoff, int batchSize);
}
