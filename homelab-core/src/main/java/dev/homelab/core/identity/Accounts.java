package dev.homelab.core.identity;

import dev.homelab.core.ConflictException;
import dev.homelab.core.ForbiddenException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.Transactional;
import dev.homelab.core.ValidationException;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * User accounts, API keys and login sessions: the rules for changing them, the same for HTTP, the
 * MQTT gateway and an embedding app.
 *
 * <ul>
 *   <li>Only administrators manage users; the built-in administrator cannot be changed or deleted.
 *   <li>A user manages their own API keys (administrators anyone's); a key's scope may not exceed
 *       its creator's role, and only administrators create access keys.
 *   <li>Passwords are stored only as {@link Passwords} hashes; secrets are shown once and never
 *       audited.
 * </ul>
 *
 * <p>Every change is written with its audit entry in one transaction, then the listeners are told
 * (before the call's future completes), so a credential cache never serves a changed account.
 */
public final class Accounts {

  /** What the accounts read and write: users, keys, revoked sessions and the audit log. */
  public interface Repositories {

    /**
     * @return the user accounts
     */
    UserRepository users();

    /**
     * @return the API keys
     */
    ApiKeyRepository apiKeys();

    /**
     * @return the revoked session tokens
     */
    RevokedTokenRepository revokedTokens();

    /**
     * @return the audit log
     */
    AuditRepository audit();
  }

  /** Told after a committed change, so that cached credentials are dropped at once. */
  public interface Listener {

    /**
     * @param userId a user that was changed or deleted
     */
    default void userChanged(String userId) {}

    /**
     * @param keyId an API key that was revoked
     */
    default void keyRevoked(String keyId) {}

    /**
     * @param tokenId a session token that was ended
     */
    default void sessionEnded(String tokenId) {}
  }

  /**
   * A created API key with its secret, shown once.
   *
   * @param key the stored key (without its secret)
   * @param secret the whole key as the client presents it
   */
  public record CreatedKey(ApiKey key, String secret) {

    /** Keeps the secret out of logs that print the record. */
    @Override
    public String toString() {
      return "CreatedKey[key=" + key + ", secret=***]";
    }
  }

  private final Transactional<? extends Repositories> store;
  private final Passwords passwords;
  private final Clock clock;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param store the accounts and the audit log, for example an open {@code Storage}
   * @param passwords the password hasher
   * @param clock the time of audit entries and key expiry
   */
  public Accounts(Transactional<? extends Repositories> store, Passwords passwords, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param listener told after every committed change to a user, key or session
   */
  public void onChange(Listener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  // ---- users ----

  /**
   * @param actor who asks; an administrator
   * @return every user, oldest first
   */
  public Future<List<User>> users(Actor actor) {
    return admin(actor).compose(ok -> store.repositories().users().list());
  }

  /**
   * @param actor who asks; an administrator
   * @param id the user's id
   * @return the user; failed with {@code USER_NOT_FOUND} if there is none
   */
  public Future<User> user(Actor actor, String id) {
    return admin(actor).compose(ok -> existing(store.repositories(), id));
  }

  /**
   * @param actor who asks; an administrator
   * @param user the account
   * @return the created user; failed with {@code USERNAME_TAKEN} if the name is in use
   */
  public Future<User> createUser(Actor actor, NewUser user) {
    // The store refuses a taken name too (USERNAME_TAKEN); asking first only spares the
    // deliberately slow password hash for a request that cannot succeed.
    return admin(actor)
        .compose(ok -> store.repositories().users().byUsername(user.username()))
        .compose(
            existing -> existing != null ? Future.failedFuture(taken(user.username())) : hash(user))
        .compose(
            hash ->
                store.inTransaction(
                    repos ->
                        repos
                            .users()
                            .create(user.username(), user.role(), hash)
                            .compose(
                                created ->
                                    repos
                                        .audit()
                                        .append(
                                            audit(
                                                actor,
                                                "user.created",
                                                "user:" + created.id(),
                                                new JsonObject()
                                                    .put("username", created.username())
                                                    .put("role", created.role().label())))
                                        .map(created))));
  }

  /**
   * @param actor who asks; an administrator
   * @param id the user's id
   * @param patch the changes
   * @return the changed user
   */
  public Future<User> updateUser(Actor actor, String id, UserPatch patch) {
    return admin(actor)
        .compose(ok -> existing(store.repositories(), id))
        .compose(Accounts::changeable)
        .compose(
            user ->
                patch.password() == null
                    ? Future.<String>succeededFuture()
                    : passwords.hash(patch.password()))
        .compose(
            hash ->
                store.inTransaction(
                    repos ->
                        repos
                            .users()
                            .update(id, new UserUpdate(patch.role(), hash, patch.disabled()))
                            .compose(user -> user == null ? notFound(id) : changeable(user))
                            .compose(
                                user ->
                                    repos
                                        .audit()
                                        .append(
                                            audit(
                                                actor,
                                                "user.updated",
                                                "user:" + id,
                                                new JsonObject()
                                                    .put("username", user.username())
                                                    .put("changed", new JsonArray(patch.fields()))
                                                    .put("role", user.role().label())
                                                    .put("disabled", user.disabled())))
                                        .map(user))))
        .onSuccess(user -> listeners.forEach(l -> l.userChanged(id)));
  }

  /**
   * Deletes a user, with their API keys and devices.
   *
   * @param actor who asks; an administrator
   * @param id the user's id
   * @return the deleted user
   */
  public Future<User> deleteUser(Actor actor, String id) {
    return admin(actor)
        .compose(
            ok ->
                store.inTransaction(
                    repos ->
                        existing(repos, id)
                            .compose(Accounts::changeable)
                            .compose(
                                user ->
                                    repos
                                        .users()
                                        .delete(id)
                                        // Another request may have deleted it since the read.
                                        .compose(removed -> removed ? found(user) : notFound(id)))
                            .compose(
                                user ->
                                    repos
                                        .audit()
                                        .append(
                                            audit(
                                                actor,
                                                "user.deleted",
                                                "user:" + id,
                                                new JsonObject().put("username", user.username())))
                                        .map(user))))
        .onSuccess(user -> listeners.forEach(l -> l.userChanged(id)));
  }

  // ---- API keys ----

  /**
   * @param actor who asks
   * @return the actor's own API keys
   */
  public Future<List<ApiKey>> keys(Actor actor) {
    return store.repositories().apiKeys().listByUser(actor.userId());
  }

  /**
   * Creates an API key for the actor. Its scope defaults to the actor's role and may not exceed it;
   * only administrators create access keys.
   *
   * @param actor who asks; the key's owner, so it must be a user (not {@link Actor#system})
   * @param key the key to create
   * @return the key with its secret, shown this once
   */
  public Future<CreatedKey> createKey(Actor actor, NewApiKey key) {
    if (actor.userId() == null) {
      return Future.failedFuture(
          new ForbiddenException(
              "FORBIDDEN", "an API key belongs to a user: create it as that user's actor"));
    }
    KeyScope scope = key.scope() == null ? KeyScope.of(actor.role()) : key.scope();
    if (!actor.role().atLeast(scope.requiredToCreate())) {
      return Future.failedFuture(
          new ValidationException(
              "scope",
              scope == KeyScope.ACCESS
                  ? "only administrators may create access keys"
                  : "scope may not exceed your own role, " + actor.role().label()));
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (key.expiresAt() != null && !key.expiresAt().isAfter(now)) {
      return Future.failedFuture(
          new ValidationException("expires_at", "expires_at must be in the future"));
    }
    String id = ApiKeySecrets.newId();
    String secret = ApiKeySecrets.newSecret();
    ApiKey stored =
        new ApiKey(
            id,
            actor.userId(),
            key.name(),
            scope,
            ApiKeySecrets.hash(secret),
            now,
            key.expiresAt() == null ? null : key.expiresAt().truncatedTo(ChronoUnit.MILLIS));
    return store
        .inTransaction(
            repos ->
                repos
                    .apiKeys()
                    .create(stored)
                    .compose(
                        created ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "auth.key_created",
                                        "api_key:" + id,
                                        new JsonObject()
                                            .put("name", created.name())
                                            .put("scope", scope.label())))
                                .map(created)))
        .map(created -> new CreatedKey(created, ApiKeySecrets.format(id, secret)));
  }

  /**
   * Revokes an API key: the actor's own, or anyone's for an administrator. Another user's key is
   * not found exactly like a missing one.
   *
   * @param actor who asks
   * @param id the key's id
   * @return the revoked key
   */
  public Future<ApiKey> revokeKey(Actor actor, String id) {
    return store
        .inTransaction(
            repos ->
                repos
                    .apiKeys()
                    .byId(id)
                    .compose(
                        key ->
                            key == null || !(actor.isAdmin() || key.userId().equals(actor.userId()))
                                ? Future.<ApiKey>failedFuture(
                                    new NotFoundException(
                                        "API_KEY_NOT_FOUND", "no API key with id " + id))
                                : repos
                                    .apiKeys()
                                    .delete(id)
                                    // Another request may have revoked it since the read.
                                    .compose(
                                        removed ->
                                            removed
                                                ? Future.succeededFuture(key)
                                                : Future.<ApiKey>failedFuture(
                                                    new NotFoundException(
                                                        "API_KEY_NOT_FOUND",
                                                        "no API key with id " + id))))
                    .compose(
                        key ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "auth.key_revoked",
                                        "api_key:" + id,
                                        new JsonObject()
                                            .put("name", key.name())
                                            .put("owner", key.userId())))
                                .map(key)))
        .onSuccess(key -> listeners.forEach(l -> l.keyRevoked(id)));
  }

  // ---- sessions ----

  /**
   * Ends a login session: its token is refused from now on, until it would have expired anyway.
   *
   * @param actor who asks; the session's user
   * @param tokenId the session token's id
   * @param expiresAt when the token expires
   * @return completes when the revocation is durable
   */
  public Future<Void> endSession(Actor actor, String tokenId, Instant expiresAt) {
    return store
        .<Void>inTransaction(
            repos ->
                repos
                    .revokedTokens()
                    .revoke(tokenId, expiresAt)
                    .compose(
                        revoked ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "auth.logout",
                                        "session:" + tokenId,
                                        new JsonObject()))))
        .onSuccess(done -> listeners.forEach(l -> l.sessionEnded(tokenId)));
  }

  /**
   * Checks a username and password. An unknown user costs the same time as a wrong password.
   *
   * @param username the name given
   * @param password the password given
   * @return the user, or {@code null} if the name is unknown, the password wrong or the account
   *     disabled
   */
  public Future<User> checkPassword(String username, String password) {
    return store
        .repositories()
        .users()
        .byUsername(username)
        .compose(
            user ->
                passwords
                    .verify(password, user == null ? null : user.passwordHash())
                    .map(ok -> ok && !user.disabled() ? user : null));
  }

  /**
   * @return the built-in administrator, created on first use
   */
  public Future<User> builtinAdmin() {
    return store.repositories().users().ensureBuiltinAdmin();
  }

  /**
   * Records a login's outcome. A failed login's name is recorded only if it could be a username:
   * people type passwords into the username field.
   *
   * @param actor the user who logged in, or for a failure an actor with the name as given
   * @param succeeded whether the login succeeded
   * @param sessionId the new session's token id, or {@code null} for a failure
   * @param method how the user logged in, for example {@code password}
   * @return completes when the entry is durable
   */
  public Future<Void> recordLogin(Actor actor, boolean succeeded, String sessionId, String method) {
    JsonObject detail = new JsonObject().put("method", method);
    if (succeeded) {
      return store
          .repositories()
          .audit()
          .append(
              actor.entry(
                  clock.instant(),
                  "auth.login",
                  AuditEntry.SUCCESS,
                  "session:" + sessionId,
                  detail));
    }
    String name = validUsernameOrNull(actor.username());
    Actor named = new Actor(null, name, actor.role(), actor.source(), actor.requestId());
    return store
        .repositories()
        .audit()
        .append(
            named.entry(
                clock.instant(),
                "auth.login_failed",
                AuditEntry.FAILURE,
                null,
                detail.put("username_valid", name != null)));
  }

  private static String validUsernameOrNull(String name) {
    try {
      return User.validateUsername(name);
    } catch (ValidationException notAName) {
      return null;
    }
  }

  private Future<String> hash(NewUser user) {
    return passwords.hash(user.password());
  }

  private AuditEntry audit(Actor actor, String action, String target, JsonObject detail) {
    return actor.succeeded(clock.instant(), action, target, detail);
  }

  private static Future<Void> admin(Actor actor) {
    return actor.isAdmin()
        ? Future.succeededFuture()
        : Future.failedFuture(
            new ForbiddenException("FORBIDDEN", "only administrators manage users"));
  }

  private static Future<User> existing(Repositories repos, String id) {
    return repos.users().byId(id).compose(user -> user == null ? notFound(id) : found(user));
  }

  private static Future<User> changeable(User user) {
    return user.builtin()
        ? Future.failedFuture(
            new ConflictException(
                "BUILTIN_USER", "the built-in administrator cannot be changed or deleted"))
        : found(user);
  }

  private static Future<User> found(User user) {
    return Future.succeededFuture(user);
  }

  private static <T> Future<T> notFound(String id) {
    return Future.failedFuture(new NotFoundException("USER_NOT_FOUND", "no user with id " + id));
  }

  private static ConflictException taken(String username) {
    return new ConflictException("USERNAME_TAKEN", "the username " + username + " is taken");
  }
}
