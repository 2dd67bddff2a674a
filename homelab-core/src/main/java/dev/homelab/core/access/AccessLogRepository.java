package dev.homelab.core.access;

import dev.homelab.core.Page;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** The access log: one row per decision, append-only apart from retention. */
public interface AccessLogRepository {

  /**
   * Appends rows in one transaction: all of them are durable when the future succeeds, none when it
   * fails.
   *
   * @param entries the rows, at most a few thousand
   * @return completion
   */
  Future<Void> append(List<AccessLogEntry> entries);

  /**
   * @param query filters and page
   * @return one page, newest first; its cursor is the last row's id
   */
  Future<Page<AccessLogEntry>> list(AccessLogQuery query);

  /**
   * @param id a decision id
   * @return the row, or {@code null}
   */
  Future<AccessLogEntry> byId(String id);

  /**
   * Deletes the oldest rows older than the cutoff, at most {@code batchSize} of them.
   *
   * @param cutoff rows before this time go
   * @param batchSize the most rows to delete
   * @return how many were deleted
   */
  Future<Integer> deleteOlderThan(Instant cutoff, int batchSize);
}
