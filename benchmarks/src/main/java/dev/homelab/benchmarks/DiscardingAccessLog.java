package dev.homelab.benchmarks;

import dev.homelab.core.Page;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogQuery;
import dev.homelab.core.access.AccessLogRepository;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * An {@link AccessLogRepository} that keeps nothing. {@code decide()} never writes the log, so the
 * access-decision benchmark needs one only to build an engine. Thread-safe.
 */
final class DiscardingAccessLog implements AccessLogRepository {

  @Override
  public Future<Void> append(List<AccessLogEntry> entries) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Page<AccessLogEntry>> list(AccessLogQuery query) {
    return Future.succeededFuture(new Page<>(List.of(), null));
  }

  @Override
  public Future<AccessLogEntry> byId(String id) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Integer> deleteOlderThan(Instant cutoff, int batchSize) {
    return Future.succeededFuture(0);
  }
}
