package dev.homelab.core.store.impl;

import dev.homelab.core.access.AccessLogRepository;
import dev.homelab.core.access.AccessPolicyRepository;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.identity.ApiKeyRepository;
import dev.homelab.core.identity.RevokedTokenRepository;
import dev.homelab.core.identity.UserRepository;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.store.SettingsRepository;
import io.vertx.sqlclient.Pool;

/**
 * Every repository of a SQL store, built once over its pools, so that each adapter only chooses
 * pools and a dialect.
 *
 * @param settings the settings
 * @param users the users
 * @param apiKeys the API keys
 * @param revokedTokens the revoked tokens
 * @param devices the devices
 * @param audit the audit log
 * @param accessPolicies the access engine's policies
 * @param accessLog the access log
 * @param metrics the metric points, buckets and watermarks
 */
public record SqlRepositories(
    SettingsRepository settings,
    UserRepository users,
    ApiKeyRepository apiKeys,
    RevokedTokenRepository revokedTokens,
    DeviceRepository devices,
    AuditRepository audit,
    AccessPolicyRepository accessPolicies,
    AccessLogRepository accessLog,
    MetricRepository metrics) {

  /**
   * @param reader the pool for reads
   * @param writer the pool for writes (the same as reader where the engine allows)
   * @param dialect the adapter's SQL differences
   * @param bulk reads of many rows that bypass the pool's row mapping, or {@code null}
   * @param bulkWriter batches of rows written past the writer pool, or {@code null}
   * @return the repositories
   */
  public static SqlRepositories over(
      Pool reader, Pool writer, SqlDialect dialect, BulkReader bulk, BulkWriter bulkWriter) {
    return new SqlRepositories(
        new SqlSettingsRepository(reader, writer, dialect),
        new SqlUserRepository(reader, writer, dialect),
        new SqlApiKeyRepository(reader, writer, dialect),
        new SqlRevokedTokenRepository(reader, writer, dialect),
        new SqlDeviceRepository(reader, writer, dialect),
        new SqlAuditRepository(reader, writer, dialect),
        new SqlAccessPolicyRepository(reader, writer, dialect),
        new SqlAccessLogRepository(reader, writer, dialect, bulkWriter),
        new SqlMetricRepository(reader, writer, dialect, bulk));
  }
}
