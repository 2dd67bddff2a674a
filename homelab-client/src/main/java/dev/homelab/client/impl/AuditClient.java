package dev.homelab.client.impl;

import dev.homelab.client.Page;
import dev.homelab.client.audit.AuditApi;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import io.vertx.core.Future;

/** {@link AuditApi} over the transport. */
final class AuditClient implements AuditApi {

  private final Transport transport;

  AuditClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<Page<AuditEntry>> list(AuditQuery query) {
    return transport.getPage("/api/audit", query.toQueryParams(), "entries", AuditEntry::fromJson);
  }
}
