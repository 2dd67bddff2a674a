package dev.homelab.core.audit;

import dev.homelab.core.Page;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * Reading the audit log. The entries are written by the services, each in the transaction of the
 * change it records; this is the one way to read them back, newest first, so that who may see which
 * entries is decided here as the log grows (today: whoever the caller lets through).
 */
public final class AuditLog {

  private final AuditRepository audit;

  /**
   * @param audit the audit log
   */
  public AuditLog(AuditRepository audit) {
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * @param query the filters and page
   * @return one page of entries, newest first
   */
  public Future<Page<AuditEntry>> list(AuditQuery query) {
    return audit.list(query);
  }
}
