package dev.homelab.core.store;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.AccessLogRepository;
import dev.homelab.core.access.AccessPolicyRepository;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.files.FileRepository;
import dev.homelab.core.files.FileStore;
import dev.homelab.core.files.ShareRepository;
import dev.homelab.core.files.UploadRepository;
import dev.homelab.core.identity.Accounts;
import dev.homelab.core.identity.ApiKeyRepository;
import dev.homelab.core.identity.RevokedTokenRepository;
import dev.homelab.core.identity.UserRepository;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.settings.Settings;
import dev.homelab.core.settings.SettingsRepository;
import dev.homelab.core.telemetry.SensorIngest;
import dev.homelab.core.telemetry.SensorReadingRepository;

/**
 * Every repository of one database: what an open {@link Storage} offers, and what a transaction
 * hands its work. It extends each core service's own {@code Repositories}, so a {@code Storage} can
 * be given to any service.
 */
public interface Repositories
    extends DeviceRegistry.Repositories,
        Accounts.Repositories,
        AccessEngine.Repositories,
        Settings.Repositories,
        SensorIngest.Repositories,
        FileStore.Repositories {

  /**
   * @return the settings repository
   */
  @Override
  SettingsRepository settings();

  /**
   * @return the user accounts
   */
  @Override
  UserRepository users();

  /**
   * @return the API keys
   */
  @Override
  ApiKeyRepository apiKeys();

  /**
   * @return the revoked session tokens
   */
  @Override
  RevokedTokenRepository revokedTokens();

  /**
   * @return the device registry's devices
   */
  @Override
  DeviceRepository devices();

  /**
   * @return the audit log
   */
  @Override
  AuditRepository audit();

  /**
   * @return the card policies and reader groups of the access engine
   */
  @Override
  AccessPolicyRepository accessPolicies();

  /**
   * @return the access log
   */
  @Override
  AccessLogRepository accessLog();

  /**
   * @return the metric points, buckets and roll-up watermarks, for a {@code Downsampler}
   */
  MetricRepository metrics();

  /**
   * @return the sensor readings
   */
  @Override
  SensorReadingRepository sensorReadings();

  /**
   * @return the files and the blobs they point to
   */
  @Override
  FileRepository files();

  /**
   * @return the resumable uploads
   */
  @Override
  UploadRepository uploads();

  /**
   * @return the share links
   */
  @Override
  ShareRepository shares();
}
