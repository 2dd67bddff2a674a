package dev.homelab.core.settings;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.Transactional;
import dev.homelab.core.ValidationException;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The settings service: anyone signed in reads settings, only administrators change them, and every
 * change is written with its audit entry ({@code setting.changed}, {@code setting.deleted}, naming
 * the key, never the value, which may be private) in one transaction.
 */
public final class Settings {

  /** The error code of a key that has no value. */
  public static final String NOT_FOUND = "SETTING_NOT_FOUND";

  /** What the service reads and writes: the settings and the audit log, in one database. */
  public interface Repositories {

    /**
     * @return the settings
     */
    SettingsRepository settings();

    /**
     * @return the audit log
     */
    AuditRepository audit();
  }

  private final Transactional<? extends Repositories> store;
  private final Clock clock;

  /**
   * @param store the settings and the audit log, for example an open {@code Storage}
   * @param clock the time of audit entries
   */
  public Settings(Transactional<? extends Repositories> store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param actor who asks
   * @return every setting, by key
   */
  public Future<List<Setting>> list(Actor actor) {
    return store.repositories().settings().list();
  }

  /**
   * @param actor who asks
   * @param key the key
   * @return the setting; failed with a {@link NotFoundException} ({@value #NOT_FOUND}) if the key
   *     has no value
   */
  public Future<Setting> get(Actor actor, String key) {
    return store
        .repositories()
        .settings()
        .get(key)
        .compose(setting -> setting == null ? notFound(key) : Future.succeededFuture(setting));
  }

  /**
   * Stores a value under a key, replacing any earlier one.
   *
   * @param actor who asks; an administrator
   * @param key the key, see {@link Setting#key()}
   * @param value the value, see {@link Setting#value()}
   * @return the stored setting
   */
  public Future<Setting> put(Actor actor, String key, Object value) {
    try {
      // Refused before the transaction, which on SQLite holds the one writer.
      Setting.validateKey(key);
      Setting.validateValue(value);
    } catch (ValidationException invalid) {
      return Future.failedFuture(invalid);
    }
    return admin(actor)
        .compose(
            ok ->
                store.inTransaction(
                    repos ->
                        repos
                            .settings()
                            .put(key, value)
                            .compose(
                                stored ->
                                    repos
                                        .audit()
                                        .append(
                                            actor.succeeded(
                                                clock.instant(),
                                                "setting.changed",
                                                "setting:" + stored.key(),
                                                new JsonObject()))
                                        .map(stored))));
  }

  /**
   * @param actor who asks; an administrator
   * @param key the key
   * @return completes when deleted; failed with {@value #NOT_FOUND} if the key had no value
   */
  public Future<Void> delete(Actor actor, String key) {
    try {
      Setting.validateKey(key);
    } catch (ValidationException invalid) {
      return Future.failedFuture(invalid);
    }
    return admin(actor)
        .compose(
            ok ->
                store.inTransaction(
                    repos ->
                        repos
                            .settings()
                            .delete(key)
                            .compose(
                                removed ->
                                    removed
                                        ? repos
                                            .audit()
                                            .append(
                                                actor.succeeded(
                                                    clock.instant(),
                                                    "setting.deleted",
                                                    "setting:" + key,
                                                    new JsonObject()))
                                        : notFound(key))));
  }

  private static Future<Void> admin(Actor actor) {
    return actor.role() == Role.ADMIN
        ? Future.succeededFuture()
        : Future.failedFuture(
            new ForbiddenException("FORBIDDEN", "only administrators change settings"));
  }

  private static <T> Future<T> notFound(String key) {
    return Future.failedFuture(new NotFoundException(NOT_FOUND, "no setting named " + key));
  }
}
