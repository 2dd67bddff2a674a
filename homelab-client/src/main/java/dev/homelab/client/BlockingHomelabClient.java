package dev.homelab.client;

import dev.homelab.client.access.AccessApi;
import dev.homelab.client.access.AccessDecision;
import dev.homelab.client.access.AccessLogEntry;
import dev.homelab.client.access.AccessLogQuery;
import dev.homelab.client.access.CardPolicy;
import dev.homelab.client.access.CardPolicyPatch;
import dev.homelab.client.access.CardQuery;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.access.ReaderGroup;
import dev.homelab.client.audit.AuditApi;
import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.DevicePatch;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.DeviceToken;
import dev.homelab.client.devices.DevicesApi;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.events.EventsApi;
import dev.homelab.client.identity.ApiKey;
import dev.homelab.client.identity.AuthApi;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.LoginResult;
import dev.homelab.client.identity.Me;
import dev.homelab.client.identity.User;
import dev.homelab.client.identity.UserPatch;
import dev.homelab.client.identity.UsersApi;
import dev.homelab.client.metrics.HostMetrics;
import dev.homelab.client.metrics.MetricQuery;
import dev.homelab.client.metrics.MetricSeries;
import dev.homelab.client.metrics.MetricsApi;
import dev.homelab.client.system.Dashboard;
import dev.homelab.client.system.Health;
import dev.homelab.client.system.HostSnapshot;
import dev.homelab.client.system.Setting;
import dev.homelab.client.system.SettingsApi;
import dev.homelab.client.system.StorageInfo;
import dev.homelab.client.system.SystemApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@link HomelabClient} for code that waits: each method calls the asynchronous one and waits
 * for its answer, at most the client's timeout (plus a second of grace).
 *
 * <p>Failures are thrown as copies whose cause is the asynchronous failure, so the stack trace
 * shows both the caller and the I/O. An interrupted wait restores the thread's interrupt flag and
 * throws a {@link HomelabConnectionException}. Calling it on a Vert.x event loop is refused: it
 * would block the loop the answer has to arrive on.
 *
 * <p>Lists that come in pages also have an {@code autoPagingIterable}, which reads the next page
 * only when the previous one is used up.
 */
public final class BlockingHomelabClient {

  private final HomelabClient client;
  private final long timeoutMs;
  private final Auth auth = new Auth();
  private final Users users = new Users();
  private final Devices devices = new Devices();
  private final Audit audit = new Audit();
  private final Settings settings = new Settings();
  private final Access access = new Access();
  private final SystemInfo system = new SystemInfo();
  private final Metrics metrics = new Metrics();

  /**
   * @param client the asynchronous client to wrap
   * @param timeoutMs how long one call may take, in milliseconds
   */
  public BlockingHomelabClient(HomelabClient client, long timeoutMs) {
    this.client = client;
    this.timeoutMs = timeoutMs + 1_000;
  }

  /**
   * Like {@link HomelabClient#health()}.
   *
   * @return the health
   */
  public Health health() {
    return await(client.health());
  }

  /**
   * @return the login, identity and API key endpoints, waiting for each answer
   */
  public Auth auth() {
    return auth;
  }

  /**
   * @return the user account endpoints (admins only), waiting for each answer
   */
  public Users users() {
    return users;
  }

  /**
   * @return the device endpoints, waiting for each answer
   */
  public Devices devices() {
    return devices;
  }

  /**
   * @return the audit log endpoints (admins only), waiting for each answer
   */
  public Audit audit() {
    return audit;
  }

  /**
   * @return the settings endpoints, waiting for each answer
   */
  public Settings settings() {
    return settings;
  }

  /**
   * @return the access decision, access log, card policy and reader group endpoints, waiting for
   *     each answer
   */
  public Access access() {
    return access;
  }

  /**
   * @return the host state, storage and dashboard endpoints, waiting for each answer
   */
  public SystemInfo system() {
    return system;
  }

  /**
   * @return the event stream; subscribing never blocks, so this is the asynchronous API itself
   */
  public EventsApi events() {
    return client.events();
  }

  /**
   * @return the metric history endpoints, waiting for each answer
   */
  public Metrics metrics() {
    return metrics;
  }

  /** Like {@link HomelabClient#close()}. */
  public void close() {
    await(client.close());
  }

  /** Like {@link AuthApi}, waiting for each answer. */
  public final class Auth {
    private Auth() {}

    /**
     * Like {@link AuthApi#login(String)}.
     *
     * @param accessToken the server's {@code ACCESS_TOKEN}
     * @return the session, whose JWT the client now uses
     */
    public LoginResult login(String accessToken) {
      return await(client.auth().login(accessToken));
    }

    /**
     * Like {@link AuthApi#login(String, String)}.
     *
     * @param username the user's name
     * @param password the user's password
     * @return the session, whose JWT the client now uses
     */
    public LoginResult login(String username, String password) {
      return await(client.auth().login(username, password));
    }

    /** Like {@link AuthApi#logout()}. */
    public void logout() {
      await(client.auth().logout());
    }

    /**
     * Like {@link AuthApi#me()}.
     *
     * @return who the client is
     */
    public Me me() {
      return await(client.auth().me());
    }

    /**
     * Like {@link AuthApi#keys()}.
     *
     * @return the caller's own API keys, newest first
     */
    public List<ApiKey> keys() {
      return await(client.auth().keys());
    }

    /**
     * Like {@link AuthApi#createKey(String)}.
     *
     * @param name the key's name
     * @return the new key, with its secret
     */
    public CreatedApiKey createKey(String name) {
      return await(client.auth().createKey(name));
    }

    /**
     * Like {@link AuthApi#createKey(String, String, Instant)}.
     *
     * @param name the key's name
     * @param scope the highest role the key may act with, or {@code null} for the caller's role
     * @param expiresAt when the key stops working, or {@code null} for never
     * @return the new key, with its secret
     */
    public CreatedApiKey createKey(String name, String scope, Instant expiresAt) {
      return await(client.auth().createKey(name, scope, expiresAt));
    }

    /**
     * Like {@link AuthApi#revokeKey(String)}.
     *
     * @param id the key's id
     */
    public void revokeKey(String id) {
      await(client.auth().revokeKey(id));
    }
  }

  /** Like {@link UsersApi}, waiting for each answer. */
  public final class Users {
    private Users() {}

    /**
     * Like {@link UsersApi#list()}.
     *
     * @return every user, ordered by username
     */
    public List<User> list() {
      return await(client.users().list());
    }

    /**
     * Like {@link UsersApi#create(String, String, String)}.
     *
     * @param username the login name
     * @param password the password
     * @param role {@code admin}, {@code user} or {@code viewer}
     * @return the new user
     */
    public User create(String username, String password, String role) {
      return await(client.users().create(username, password, role));
    }

    /**
     * Like {@link UsersApi#get(String)}.
     *
     * @param id the user's id
     * @return the user
     */
    public User get(String id) {
      return await(client.users().get(id));
    }

    /**
     * Like {@link UsersApi#update(String, UserPatch)}.
     *
     * @param id the user's id
     * @param patch the changes
     * @return the changed user
     */
    public User update(String id, UserPatch patch) {
      return await(client.users().update(id, patch));
    }

    /**
     * Like {@link UsersApi#delete(String)}.
     *
     * @param id the user's id
     */
    public void delete(String id) {
      await(client.users().delete(id));
    }
  }

  /** Like {@link DevicesApi}, waiting for each answer. */
  public final class Devices {
    private Devices() {}

    /**
     * Like {@link DevicesApi#list()}.
     *
     * @return the first page of devices
     */
    public Page<Device> list() {
      return await(client.devices().list());
    }

    /**
     * Like {@link DevicesApi#list(DeviceQuery)}.
     *
     * @param query the filter, page size and cursor
     * @return one page of devices
     */
    public Page<Device> list(DeviceQuery query) {
      return await(client.devices().list(query));
    }

    /**
     * Every device the query matches, from its cursor on, reading each page only when the previous
     * one is used up. Each iterator starts again from the query; {@code hasNext()} may wait for the
     * server and throw what {@link #list(DeviceQuery)} throws.
     *
     * @param query the filter, page size and first cursor
     * @return the devices, oldest first
     */
    public Iterable<Device> autoPagingIterable(DeviceQuery query) {
      return autoPaging(query, client.devices()::list, DeviceQuery::withCursor);
    }

    /**
     * Like {@link DevicesApi#create(NewDevice)}.
     *
     * @param device the new device
     * @return the created device
     */
    public Device create(NewDevice device) {
      return await(client.devices().create(device));
    }

    /**
     * Like {@link DevicesApi#get(String)}.
     *
     * @param id the device's id
     * @return the device
     */
    public Device get(String id) {
      return await(client.devices().get(id));
    }

    /**
     * Like {@link DevicesApi#update(String, DevicePatch)}.
     *
     * @param id the device's id
     * @param patch the changes
     * @return the changed device
     */
    public Device update(String id, DevicePatch patch) {
      return await(client.devices().update(id, patch));
    }

    /**
     * Like {@link DevicesApi#delete(String)}.
     *
     * @param id the device's id
     */
    public void delete(String id) {
      await(client.devices().delete(id));
    }

    /**
     * Like {@link DevicesApi#issueToken(String)}.
     *
     * @param id the device's id
     * @return the token
     */
    public DeviceToken issueToken(String id) {
      return await(client.devices().issueToken(id));
    }
  }

  /** Like {@link AuditApi}, waiting for each answer. */
  public final class Audit {
    private Audit() {}

    /**
     * Like {@link AuditApi#list()}.
     *
     * @return the newest page of entries
     */
    public Page<AuditEntry> list() {
      return await(client.audit().list());
    }

    /**
     * Like {@link AuditApi#list(AuditQuery)}.
     *
     * @param query the filters, page size and cursor
     * @return one page of entries
     */
    public Page<AuditEntry> list(AuditQuery query) {
      return await(client.audit().list(query));
    }

    /**
     * Every entry the query matches, from its cursor on, reading each page only when the previous
     * one is used up. Each iterator starts again from the query; {@code hasNext()} may wait for the
     * server and throw what {@link #list(AuditQuery)} throws.
     *
     * @param query the filters, page size and first cursor
     * @return the entries, newest first
     */
    public Iterable<AuditEntry> autoPagingIterable(AuditQuery query) {
      return autoPaging(query, client.audit()::list, AuditQuery::withCursor);
    }
  }

  /** Like {@link SettingsApi}, waiting for each answer. */
  public final class Settings {
    private Settings() {}

    /**
     * Like {@link SettingsApi#list()}.
     *
     * @return every setting, ordered by key
     */
    public List<Setting> list() {
      return await(client.settings().list());
    }

    /**
     * Like {@link SettingsApi#get(String)}.
     *
     * @param key the key
     * @return the setting
     */
    public Setting get(String key) {
      return await(client.settings().get(key));
    }

    /**
     * Like {@link SettingsApi#put(String, Object)}.
     *
     * @param key the key
     * @param value a JSON value
     * @return the stored setting
     */
    public Setting put(String key, Object value) {
      return await(client.settings().put(key, value));
    }

    /**
     * Like {@link SettingsApi#delete(String)}.
     *
     * @param key the key
     */
    public void delete(String key) {
      await(client.settings().delete(key));
    }
  }

  /** Like {@link SystemApi}, waiting for each answer. */
  public final class SystemInfo {
    private SystemInfo() {}

    /**
     * Like {@link SystemApi#get()}.
     *
     * @return the host's state now
     */
    public HostSnapshot get() {
      return await(client.system().get());
    }

    /**
     * Like {@link SystemApi#storage()}.
     *
     * @return the storage figures
     */
    public StorageInfo storage() {
      return await(client.system().storage());
    }

    /**
     * Like {@link SystemApi#dashboard()}.
     *
     * @return the dashboard
     */
    public Dashboard dashboard() {
      return await(client.system().dashboard());
    }
  }

  /** Like {@link MetricsApi}, waiting for each answer. */
  public final class Metrics {
    private Metrics() {}

    /**
     * Like {@link MetricsApi#host(String)}.
     *
     * @param period {@code 1h}, {@code 6h}, {@code 24h}, {@code 7d} or {@code 30d}
     * @return the host's metrics
     */
    public HostMetrics host(String period) {
      return await(client.metrics().host(period));
    }

    /**
     * Like {@link MetricsApi#host(MetricQuery)}.
     *
     * @param query the period or range and the point limit
     * @return the host's metrics
     */
    public HostMetrics host(MetricQuery query) {
      return await(client.metrics().host(query));
    }

    /**
     * Like {@link MetricsApi#series()}.
     *
     * @return every series' key
     */
    public java.util.List<String> series() {
      return await(client.metrics().series());
    }

    /**
     * Like {@link MetricsApi#query(MetricQuery)}.
     *
     * @param query the series and the period or range
     * @return the buckets
     */
    public MetricSeries query(MetricQuery query) {
      return await(client.metrics().query(query));
    }
  }

  /** Like {@link AccessApi}, waiting for each answer. */
  public final class Access {
    private Access() {}

    /**
     * Like {@link AccessApi#check(String, String)}.
     *
     * @param deviceId the reader
     * @param cardUid the card, in any form the server reads
     * @return the decision
     */
    public AccessDecision check(String deviceId, String cardUid) {
      return await(client.access().check(deviceId, cardUid));
    }

    /**
     * Like {@link AccessApi#check(String, long)}.
     *
     * @param deviceId the reader
     * @param cardNumber the decimal card number
     * @return the decision
     */
    public AccessDecision check(String deviceId, long cardNumber) {
      return await(client.access().check(deviceId, cardNumber));
    }

    /**
     * Like {@link AccessApi#logs()}.
     *
     * @return the newest page of decisions
     */
    public Page<AccessLogEntry> logs() {
      return await(client.access().logs());
    }

    /**
     * Like {@link AccessApi#logs(AccessLogQuery)}.
     *
     * @param query the filters, page size and cursor
     * @return one page of decisions, newest first
     */
    public Page<AccessLogEntry> logs(AccessLogQuery query) {
      return await(client.access().logs(query));
    }

    /**
     * Every decision the query matches, from its cursor on, reading each page only when the
     * previous one is used up. Each iterator starts again from the query; {@code hasNext()} may
     * wait for the server and throw what {@link #logs(AccessLogQuery)} throws.
     *
     * @param query the filters, page size and first cursor
     * @return the decisions, newest first
     */
    public Iterable<AccessLogEntry> autoPagingIterable(AccessLogQuery query) {
      return autoPaging(query, client.access()::logs, AccessLogQuery::withCursor);
    }

    /**
     * Like {@link AccessApi#cards()}.
     *
     * @return the first page of card policies
     */
    public Page<CardPolicy> cards() {
      return await(client.access().cards());
    }

    /**
     * Like {@link AccessApi#cards(CardQuery)}.
     *
     * @param query the page size and cursor
     * @return one page of card policies, ordered by uid
     */
    public Page<CardPolicy> cards(CardQuery query) {
      return await(client.access().cards(query));
    }

    /**
     * Every card policy from the query's cursor on, reading each page only when the previous one is
     * used up. Each iterator starts again from the query; {@code hasNext()} may wait for the server
     * and throw what {@link #cards(CardQuery)} throws.
     *
     * @param query the page size and first cursor
     * @return the card policies, ordered by uid
     */
    public Iterable<CardPolicy> autoPagingIterable(CardQuery query) {
      return autoPaging(query, client.access()::cards, CardQuery::withCursor);
    }

    /**
     * Like {@link AccessApi#card(String)}.
     *
     * @param uid the card, in any form
     * @return the policy
     */
    public CardPolicy card(String uid) {
      return await(client.access().card(uid));
    }

    /**
     * Like {@link AccessApi#createCard(NewCardPolicy)}.
     *
     * @param card the new card policy
     * @return the stored policy
     */
    public CardPolicy createCard(NewCardPolicy card) {
      return await(client.access().createCard(card));
    }

    /**
     * Like {@link AccessApi#updateCard(String, CardPolicyPatch)}.
     *
     * @param uid the card, in any form
     * @param patch the changes
     * @return the changed policy
     */
    public CardPolicy updateCard(String uid, CardPolicyPatch patch) {
      return await(client.access().updateCard(uid, patch));
    }

    /**
     * Like {@link AccessApi#deleteCard(String)}.
     *
     * @param uid the card, in any form
     */
    public void deleteCard(String uid) {
      await(client.access().deleteCard(uid));
    }

    /**
     * Like {@link AccessApi#readerGroups()}.
     *
     * @return every reader group, ordered by name
     */
    public List<ReaderGroup> readerGroups() {
      return await(client.access().readerGroups());
    }

    /**
     * Like {@link AccessApi#putReaderGroup(String, Set)}.
     *
     * @param name the group's name
     * @param readers the reader ids in it
     * @return the stored group
     */
    public ReaderGroup putReaderGroup(String name, Set<String> readers) {
      return await(client.access().putReaderGroup(name, readers));
    }

    /**
     * Like {@link AccessApi#deleteReaderGroup(String)}.
     *
     * @param name the group's name
     */
    public void deleteReaderGroup(String name) {
      await(client.access().deleteReaderGroup(name));
    }
  }

  /** Pages through a list lazily; each iterator starts from {@code first}. */
  private <Q, T> Iterable<T> autoPaging(
      Q first, Function<Q, Future<Page<T>>> list, BiFunction<Q, String, Q> withCursor) {
    return () ->
        new Iterator<T>() {
          private Q next = first;
          private Iterator<T> items = Collections.emptyIterator();

          @Override
          public boolean hasNext() {
            while (!items.hasNext() && next != null) {
              Page<T> page = await(list.apply(next));
              items = page.items().iterator();
              next = page.hasNext() ? withCursor.apply(next, page.nextCursor()) : null;
            }
            return items.hasNext();
          }

          @Override
          public T next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return items.next();
          }
        };
  }

  private <T> T await(Future<T> future) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "the blocking Homelab client cannot wait on a Vert.x event loop: use HomelabClient's futures there");
    }
    CountDownLatch done = new CountDownLatch(1);
    future.onComplete(result -> done.countDown());
    try {
      if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new HomelabConnectionException("no answer within " + timeoutMs + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HomelabConnectionException("interrupted while waiting for the server", e);
    }
    if (future.succeeded()) {
      return future.result();
    }
    Throwable failure = future.cause();
    if (failure instanceof HomelabClientException clientFailure) {
      throw clientFailure.copyAsCause();
    }
    throw new HomelabConnectionException(String.valueOf(failure.getMessage()), failure);
  }
}
