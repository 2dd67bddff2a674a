package dev.homelab.examples;

import dev.homelab.core.HomelabException;
import dev.homelab.core.audit.AuditLog;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.identity.Accounts;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.NewApiKey;
import dev.homelab.core.identity.NewUser;
import dev.homelab.core.identity.Passwords;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.identity.UserPatch;
import dev.homelab.core.settings.Settings;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * Uses the accounts and settings services without a server: an app, acting as the system, creates a
 * user; the user checks their password, creates an API key (its secret shown once) and may not
 * change settings; every change is in the audit log, written in the change's own transaction.
 *
 * <p>Pass a {@code postgres://} url as the first argument to use PostgreSQL instead.
 */
public final class AccountsExample {

  private AccountsExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx, ExampleStorage.fromArgs(args)).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /** Waits with {@code await()}: call it from a plain thread, never from an event loop. */
  static List<String> run(Vertx vertx, StorageOptions options) {
    Storage storage = Storage.open(vertx, options).await();
    Passwords passwords = Passwords.create(vertx).await();
    try {
      Actor app = Actor.system("accounts-example");
      Accounts accounts = new Accounts(storage, passwords, Clock.systemUTC());
      Settings settings = new Settings(storage, Clock.systemUTC());

      User carol =
          accounts.createUser(app, new NewUser("carol", "a-long-password", Role.USER)).await();
      User checked = accounts.checkPassword("carol", "a-long-password").await();
      User wrong = accounts.checkPassword("carol", "not-her-password").await();
      Actor asCarol = new Actor(carol.id(), carol.username(), carol.role(), "example", null);

      Accounts.CreatedKey key =
          accounts.createKey(asCarol, new NewApiKey("backup", null, null)).await();
      String refused = failure(() -> settings.put(asCarol, "theme", "dark").await());
      accounts.updateUser(app, carol.id(), new UserPatch(null, null, true)).await();
      settings.put(app, "theme", "dark").await();

      List<String> audit =
          new AuditLog(storage.audit())
              .list(AuditQuery.newest()).await().items().stream()
                  .map(entry -> entry.action() + " by " + entry.actor())
                  .toList();
      return List.of(
          "carol logs in: " + (checked != null) + ", with a wrong password: " + (wrong != null),
          "carol's key "
              + key.key().name()
              + " ("
              + key.key().scope().label()
              + ") starts with "
              + key.secret().substring(0, 4),
          "carol changes a setting: " + refused,
          "audit: " + audit);
    } finally {
      passwords.close().await();
      storage.close().await();
    }
  }

  /** The error code a refused call failed with. */
  private static String failure(Runnable call) {
    try {
      call.run();
      return "allowed";
    } catch (HomelabException refused) {
      return refused.errorCode();
    }
  }
}
