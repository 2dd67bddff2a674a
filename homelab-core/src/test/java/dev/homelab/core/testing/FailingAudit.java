package dev.homelab.core.testing;

import dev.homelab.core.Page;
import dev.homelab.core.Transactional;
import dev.homelab.core.access.AccessLogRepository;
import dev.homelab.core.access.AccessPolicyRepository;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
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
import dev.homelab.core.store.StorageException;
import dev.homelab.core.telemetry.SensorReadingRepository;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.function.Function;

/**
 * A store whose audit log refuses every append made inside a transaction (as a full disk or a lost
 * connection would), while everything else is the real store: what a service writes beside the
 * audit entry goes to the database for real, so a test sees whether the service rolled it back.
 */
public final class FailingAudit implements Transactional<Repositories> {

  /** The failure every append answers with. */
  public static final String MESSAGE = "append audit entry: injected failure";

  private final Storage storage;

  private FailingAudit(Storage storage) {
    this.storage = storage;
  }

  /**
   * @param storage the real store
   * @return the store with a failing audit log inside transactions
   */
  public static FailingAudit around(Storage storage) {
    return new FailingAudit(storage);
  }

  @Override
  public Repositories repositories() {
    return storage;
  }

  @Override
  public <T> Future<T> inTransaction(Function<? super Repositories, Future<T>> work) {
    return storage.inTransaction(repos -> work.apply(new WithFailingAudit(repos)));
  }

  private record WithFailingAudit(Repositories real) implements Repositories {

    @Override
    public AuditRepository audit() {
      return new AuditRepository() {
        @Override
        public Future<Void> append(AuditEntry entry) {
          return Future.failedFuture(new StorageException(MESSAGE, null));
        }

        @Override
        public Future<Page<AuditEntry>> list(AuditQuery query) {
          return real.audit().list(query);
        }

        @Override
        public Future<Integer> deleteOlderThan(Instant cutoff, int batchSize) {
          return real.audit().deleteOlderThan(cutoff, batchSize);
        }
      };
    }

    @Override
    public SettingsRepository settings() {
      return real.settings();
    }

    @Override
    public UserRepository users() {
      return real.users();
    }

    @Override
    public ApiKeyRepository apiKeys() {
      return real.apiKeys();
    }

    @Override
    public RevokedTokenRepository revokedTokens() {
      return real.revokedTokens();
    }

    @Override
    public DeviceRepository devices() {
      return real.devices();
    }

    @Override
    public AccessPolicyRepository accessPolicies() {
      return real.accessPolicies();
    }

    @Override
    public AccessLogRepository accessLog() {
      return real.accessLog();
    }

    @Override
    public MetricRepository metrics() {
      return real.metrics();
    }

    @Override
    public SensorReadingRepository sensorReadings() {
      return real.sensorReadings();
    }

    @Override
    public FileRepository files() {
      return real.files();
    }

    @Override
    public UploadRepository uploads() {
      return real.uploads();
    }

    @Override
    public ShareRepository shares() {
      return real.shares();
    }
  }
}
