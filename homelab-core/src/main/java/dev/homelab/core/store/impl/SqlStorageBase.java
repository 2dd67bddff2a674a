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
import dev.homelab.core.store.Storage;
import dev.homelab.core.telemetry.DeviceStateRepository;
import dev.homelab.core.telemetry.SensorReadingRepository;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.function.Function;

/**
 * What both SQL adapters share: the repositories, built once over the adapter's pools and dialect,
 * and transactions over them. An adapter adds how it opens, pings and closes its engine.
 */
public abstract class SqlStorageBase implements Storage {

  private final SqlTarget pools;
  private final SqlRepositories repositories;
  private final SqlDeviceStateRepository deviceStates;

  /**
   * @param reader the pool for reads
   * @param writer the pool for writes (the same as reader where the engine allows)
   * @param dialect the adapter's SQL differences
   */
  protected SqlStorageBase(Pool reader, Pool writer, SqlDialect dialect) {
    this(reader, writer, dialect, null, null);
  }

  /**
   * @param reader the pool for reads
   * @param writer the pool for writes (the same as reader where the engine allows)
   * @param dialect the adapter's SQL differences
   * @param bulk reads of many rows that bypass the pool's row mapping, or {@code null}
   * @param bulkWriter batches of rows written past the writer pool, or {@code null}
   */
  protected SqlStorageBase(
      Pool reader, Pool writer, SqlDialect dialect, BulkReader bulk, BulkWriter bulkWriter) {
    this.pools = SqlTarget.pools(reader, writer, dialect);
    this.repositories = SqlRepositories.over(pools, bulk, bulkWriter);
    this.deviceStates = new SqlDeviceStateRepository(pools);
  }

  // The transaction's repositories run every statement on its one connection: the bulk paths,
  // which go past the pools, would write outside it.
  @Override
  public <T> Future<T> inTransaction(Function<? super Repositories, Future<T>> work) {
    return pools
        .inTransaction(
            connection ->
                work.apply(
                    SqlRepositories.over(
                        SqlTarget.transaction(connection, pools.dialect()), null, null)))
        .recover(
            failure ->
                // What the driver or the pool threw (a database that is away refuses the
                // connection, a commit fails) is a storage failure, a 503, not a 500; the work's
                // own failures, refusals and bugs alike, pass as they are.
                Future.failedFuture(
                    SqlErrors.fromDriver(failure)
                        ? SqlErrors.wrap("transaction", failure)
                        : failure));
  }

  @Override
  public SettingsRepository settings() {
    return repositories.settings();
  }

  @Override
  public UserRepository users() {
    return repositories.users();
  }

  @Override
  public ApiKeyRepository apiKeys() {
    return repositories.apiKeys();
  }

  @Override
  public RevokedTokenRepository revokedTokens() {
    return repositories.revokedTokens();
  }

  @Override
  public DeviceRepository devices() {
    return repositories.devices();
  }

  @Override
  public AuditRepository audit() {
    return repositories.audit();
  }

  @Override
  public AccessPolicyRepository accessPolicies() {
    return repositories.accessPolicies();
  }

  @Override
  public AccessLogRepository accessLog() {
    return repositories.accessLog();
  }

  @Override
  public MetricRepository metrics() {
    return repositories.metrics();
  }

  @Override
  public DeviceStateRepository deviceStates() {
    return deviceStates;
  }

  @Override
  public SensorReadingRepository sensorReadings() {
    return repositories.sensorReadings();
  }

  @Override
  public FileRepository files() {
    return repositories.files();
  }

  @Override
  public UploadRepository uploads() {
    return repositories.uploads();
  }

  @Override
  public ShareRepository shares() {
    return repositories.shares();
  }
}
