package dev.homelab.core.store.impl;

import dev.homelab.core.access.AccessLogRepository;
import dev.homelab.core.access.AccessPolicyRepository;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.files.FileRepository;
import dev.homelab.core.files.ShareRepository;
import dev.homelab.core.files.UploadRepository;
import dev.homelab.core.identity.ApiKeyRepository;
import dev.homelab.core.identity.RevokedTokenRepository;
import dev.homelab.core.identity.UserRepository;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.settings.SettingsRepository;
import dev.homelab.core.store.Repositories;
import dev.homelab.core.telemetry.SensorReadingRepository;

/**
 * Every repository of a SQL store, built over its pools once, and over the connection of each
 * transaction, so that each adapter only chooses pools and a dialect.
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
 * @param sensorReadings the sensor readings
 * @param files the files and blobs
 * @param uploads the resumable uploads
 * @param shares the share links
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
    MetricRepository metrics,
    SensorReadingRepository sensorReadings,
    FileRepository files,
    UploadRepository uploads,
    ShareRepository shares)
    implements Repositories {

  /**
   * @param db where the statements go: the adapter's pools, or one transaction
   * @param bulk reads of many rows that bypass the pool's row mapping, or {@code null}
   * @param bulkWriter batches of rows written past the writer pool, or {@code null}
   * @return the repositories
   */
  static SqlRepositories over(SqlTarget db, BulkReader bulk, BulkWriter bulkWriter) {
    return new SqlRepositories(
        new SqlSettingsRepository(db),
        new SqlUserRepository(db),
        new SqlApiKeyRepository(db),
        new SqlRevokedTokenRepository(db),
        new SqlDeviceRepository(db),
        new SqlAuditRepository(db),
        new SqlAccessPolicyRepository(db),
        new SqlAccessLogRepository(db, bulkWriter),
        new SqlMetricRepository(db, bulk),
        new SqlSensorReadingRepository(db, bulkWriter),
        new SqlFileRepository(db),
        new SqlUploadRepository(db),
        new SqlShareRepository(db));
  }
}
