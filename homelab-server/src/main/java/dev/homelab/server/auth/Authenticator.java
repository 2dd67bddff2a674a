package dev.homelab.server.auth;

import dev.homelab.core.devices.Device;
import dev.homelab.core.identity.ApiKey;
import dev.homelab.core.identity.ApiKeySecrets;
import dev.homelab.core.identity.KeyScope;
import dev.homelab.core.identity.Passwords;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.store.Storage;
import dev.homelab.server.auth.impl.TtlCache;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Establishes the {@link Principal} of every request it guards from {@code Authorization: Bearer
 * <jwt or API key>} (or, for a WebSocket upgrade from a browser, the subprotocol {@code
 * homelab.bearer.<jwt or API key>}), or fails it with 401. The user behind the credential is read
 * on every request (through a short cache that local changes clear), so a demoted, disabled or
 * deleted user and a revoked token or key lose their rights on the next request.
 */
public final class Authenticator implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

  private static final int CACHE_ENTRIES = 10_000;

  /** The prefix of the WebSocket subprotocol that carries a browser's credential. */
  public static final String SUBPROTOCOL_BEARER = "homelab.bearer.";

  private final Storage storage;
  private final SessionTokens tokens;
  private final Clock clock;
  private final TtlCache<User> users;
  private final TtlCache<ApiKey> keys;
  private final TtlCache<Boolean> revoked;
  private final TtlCache<Device> devices;
  private final List<Consumer<Predicate<Principal>>> changeListeners = new CopyOnWriteArrayList<>();

  /**
   * @param storage where users, keys and revocations are
   * @param tokens the session token verifier
   * @param cacheTtl how long a lookup is reused; zero reads the store on every request
   * @param clock the clock for key expiry
   */
  public Authenticator(Storage storage, SessionTokens tokens, Duration cacheTtl, Clock clock) {
    this.storage = storage;
    this.tokens = tokens;
    this.clock = clock;
    this.users = new TtlCache<>(cacheTtl, CACHE_ENTRIES);
    this.keys = new TtlCache<>(cacheTtl, CACHE_ENTRIES);
    this.revoked = new TtlCache<>(cacheTtl, CACHE_ENTRIES);
    this.devices = new TtlCache<>(cacheTtl, CACHE_ENTRIES);
  }

  /**
   * @param listener called after every change made on this instance that may take rights away (a
   *     user changed, a key or token revoked) with which principals it may concern, so that
   *     long-lived streams of those check their credentials again
   */
  public void onChange(Consumer<Predicate<Principal>> listener) {
    changeListeners.add(listener);
  }

  /**
   * @param request a request
   * @return its credential: {@code Authorization: Bearer}, or for a WebSocket upgrade the {@code
   *     homelab.bearer.} subprotocol; {@code null} if none
   */
  public static String credentialOf(HttpServerRequest request) {
    String credential = bearer(request.getHeader("Authorization"));
    if (credential == null && request.canUpgradeToWebSocket()) {
      credential = subprotocolBearer(request.getHeader("Sec-WebSocket-Protocol"));
    }
    return credential;
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean upgrade = ctx.request().canUpgradeToWebSocket();
    String credential = credentialOf(ctx.request());
    if (credential == null) {
      ctx.fail(new InvalidCredentialsException());
      return;
    }
    // The lookup is asynchronous: hold the body back until a later body handler can read it.
    ctx.request().pause();
    authenticate(credential)
        .onSuccess(
            principal -> {
              principal.attachTo(ctx);
              if (!upgrade) {
                // A request resumed before its upgrade would be read to its end, and a request
                // that has been read can no longer become a WebSocket.
                ctx.request().resume();
              }
              ctx.next();
            })
        .onFailure(
            failure -> {
              ctx.request().resume();
              ctx.fail(failure);
            });
  }

  /**
   * Checks again the credential a long-lived stream was opened with, after a change or at a ping.
   *
   * @param credential the credential the stream was opened with, or {@code null} for none
   * @param opened the principal it was opened as
   * @return why the stream must end (the credential no longer valid, the role changed), or {@code
   *     null} if it may go on; a store that does not answer now is no reason to end it
   */
  public Future<String> recheck(String credential, Principal opened) {
    if (credential == null) {
      return Future.succeededFuture();
    }
    return authenticate(credential)
        .transform(
            checked -> {
              if (checked.failed()) {
                return Future.succeededFuture(
                    checked.cause() instanceof InvalidCredentialsException
                        ? "the credential is no longer valid"
                        : null);
              }
              Principal now = checked.result();
              return Future.succeededFuture(
                  now.role() != opened.role() || now.accessOnly() != opened.accessOnly()
                      ? "the caller's role changed"
                      : null);
            });
  }

  /**
   * @param credential a JWT or an API key
   * @return the principal, or a failure with {@link InvalidCredentialsException}
   */
  public Future<Principal> authenticate(String credential) {
    if (credential.startsWith(ApiKeySecrets.KEY_PREFIX)) {
      return fromApiKey(credential);
    }
    if (credential.startsWith(ApiKeySecrets.DEVICE_TOKEN_PREFIX)) {
      return fromDeviceToken(credential);
    }
    return tokens
        .verify(credential)
        .compose(
            token ->
                revoked
                    .get(token.id(), () -> storage.revokedTokens().isRevoked(token.id()))
                    .compose(
                        isRevoked ->
                            Boolean.TRUE.equals(isRevoked)
                                ? Future.failedFuture(new InvalidCredentialsException())
                                : activeUser(token.userId()))
                    .map(
                        user ->
                            new Principal(
                                user.id(),
                                user.username(),
                                user.role(),
                                Principal.JWT,
                                token.id(),
                                token.expiresAt())));
  }

  private Future<Principal> fromApiKey(String credential) {
    ApiKeySecrets.Parsed parsed = ApiKeySecrets.parse(credential);
    if (parsed == null) {
      return Future.failedFuture(new InvalidCredentialsException());
    }
    return keys.get(parsed.id(), () -> storage.apiKeys().byId(parsed.id()))
        .compose(
            key -> {
              if (key == null
                  || key.expiredAt(clock.instant())
                  || !Passwords.constantTimeEquals(
                      ApiKeySecrets.hash(parsed.secret()), key.secretHash())) {
                return Future.failedFuture(new InvalidCredentialsException());
              }
              return activeUser(key.userId())
                  .map(
                      user -> {
                        if (key.scope() == KeyScope.ACCESS) {
                          return new Principal(
                              user.id(),
                              user.username(),
                              user.role(),
                              Principal.API_KEY,
                              key.id(),
                              key.expiresAt(),
                              null,
                              true);
                        }
                        Role role = user.role().narrowest(key.scope().role());
                        return new Principal(
                            user.id(),
                            user.username(),
                            role,
                            Principal.API_KEY,
                            key.id(),
                            key.expiresAt());
                      });
            });
  }

  // A device token identifies the device; the device acts only for itself, and only while its
  // owner's account is active.
  private Future<Principal> fromDeviceToken(String credential) {
    String hash = ApiKeySecrets.hash(credential);
    return devices
        .get(hash, () -> storage.devices().byTokenHash(hash))
        .compose(
            device ->
                device == null
                    ? Future.failedFuture(new InvalidCredentialsException())
                    : activeUser(device.ownerId())
                        .map(
                            owner ->
                                new Principal(
                                    owner.id(),
                                    owner.username(),
                                    owner.role(),
                                    Principal.DEVICE,
                                    device.id(),
                                    null,
                                    device.id(),
                                    true)));
  }

  /** Forgets every cached device token, after a device's token or existence changed here. */
  public void devicesChanged() {
    devices.clear();
  }

  private Future<User> activeUser(String userId) {
    return users
        .get(userId, () -> storage.users().byId(userId))
        .compose(
            user ->
                user == null || user.disabled()
                    ? Future.failedFuture(new InvalidCredentialsException())
                    : Future.succeededFuture(user));
  }

  /**
   * Forgets what is cached about a user, after a change made on this instance.
   *
   * @param userId the user
   */
  public void userChanged(String userId) {
    users.invalidate(userId);
    changed(p -> userId.equals(p.userId()));
  }

  /**
   * Forgets what is cached about a key, after it was revoked on this instance.
   *
   * @param keyId the key
   */
  public void keyChanged(String keyId) {
    keys.invalidate(keyId);
    changed(p -> keyId.equals(p.credentialId()));
  }

  /**
   * Forgets what is cached about a token, after it was revoked on this instance.
   *
   * @param tokenId the token's {@code jti}
   */
  public void tokenRevoked(String tokenId) {
    revoked.invalidate(tokenId);
    changed(p -> tokenId.equals(p.credentialId()));
  }

  private void changed(Predicate<Principal> affected) {
    for (Consumer<Predicate<Principal>> listener : changeListeners) {
      try {
        listener.accept(affected);
      } catch (RuntimeException e) {
        // One listener's failure must not keep the change from the others, or from its caller.
        log.error("A listener of credential changes failed", e);
      }
    }
  }

  /**
   * The credential a browser sends as a WebSocket subprotocol, {@code homelab.bearer.<credential>},
   * or {@code null}: a browser's WebSocket cannot send an {@code Authorization} header.
   */
  static String subprotocolBearer(String header) {
    if (header == null) {
      return null;
    }
    for (String protocol : header.split(",")) {
      String p = protocol.strip();
      if (p.startsWith(SUBPROTOCOL_BEARER)) {
        String credential = p.substring(SUBPROTOCOL_BEARER.length());
        return credential.isEmpty() || credential.length() > SessionTokens.MAX_TOKEN_LENGTH
            ? null
            : credential;
      }
    }
    return null;
  }

  /** The credential of {@code Bearer <credential>}, or {@code null}. */
  static String bearer(String header) {
    if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String credential = header.substring(7).strip();
    return credential.isEmpty() || credential.length() > SessionTokens.MAX_TOKEN_LENGTH
        ? null
        : credential;
  }
}
