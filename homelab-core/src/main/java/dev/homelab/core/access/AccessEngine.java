package dev.homelab.core.access;

import dev.homelab.core.Page;
import dev.homelab.core.Transactional;
import dev.homelab.core.access.impl.AccessEngineImpl;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Actor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a card opens a reader, in microseconds, from an immutable in-memory snapshot of
 * the policies, and records every checked decision in the access log.
 *
 * <p>{@link #decide} does no I/O: it reads the current snapshot and the reader's lockout state.
 * {@link #check} decides, records the decision (answering after the row is committed unless the
 * options choose the asynchronous mode) and publishes {@code access.decision} and, when a reader
 * locks out, {@code access.lockout}. Policy changes go through the engine, which writes them to the
 * store and then swaps in a new snapshot, so the next decision enforces them; changes made by other
 * instances are picked up within {@link AccessEngineOptions#getPolicyRefreshSeconds()}.
 *
 * <p>Thread-safe: every method may be called from any thread. Futures complete on the engine's
 * context.
 */
public interface AccessEngine {

  /**
   * What the engine reads and writes: the policies, the access log, and the audit log its policy
   * changes are recorded in, in the same transaction as the change.
   */
  interface Repositories {

    /**
     * @return the card policies and reader groups
     */
    AccessPolicyRepository accessPolicies();

    /**
     * @return the access log
     */
    AccessLogRepository accessLog();

    /**
     * @return the audit log
     */
    AuditRepository audit();
  }

  /** The topic of every checked decision. */
  String DECISION_TOPIC = "access.decision";

  /** The topic published when a reader locks out. */
  String LOCKOUT_TOPIC = "access.lockout";

  /**
   * @param vertx the Vert.x the engine runs on
   * @return a builder
   */
  static Builder builder(Vertx vertx) {
    return new Builder(vertx);
  }

  /**
   * Decides a scan without recording it.
   *
   * @param readerId the reader (the API's {@code device_id})
   * @param cardUid the card, in any {@link CardUid} form
   * @return the decision
   * @throws dev.homelab.core.ValidationException if the reader id or card uid is malformed
   */
  Decision decide(String readerId, String cardUid);

  /**
   * Decides a scan, records it in the access log and publishes it.
   *
   * @param readerId the reader
   * @param cardUid the card, in any {@link CardUid} form
   * @return the decision, once it is recorded (or queued, in the asynchronous mode); a failed
   *     future with a {@link dev.homelab.core.ValidationException} for malformed input, which is
   *     not recorded
   */
  Future<Decision> check(String readerId, String cardUid);

  /**
   * @return every card policy in the current snapshot, by uid
   */
  List<CardPolicy> cards();

  /**
   * Finds a policy by the uid a client names it with: its canonical form (as this API returns it)
   * or, when no policy has that exact canonical uid, any {@link CardUid} form.
   *
   * @param uid a card
   * @return its policy in the current snapshot, or {@code null}
   */
  CardPolicy card(String uid);

  /**
   * @param actor who asks; recorded in the audit entry
   * @param card the new policy
   * @return the stored policy, enforced from the next decision on
   */
  Future<CardPolicy> addCard(Actor actor, NewCardPolicy card);

  /**
   * @param actor who asks; recorded in the audit entry
   * @param uid a card, in any form
   * @param patch the change; an empty patch changes nothing and is not audited
   * @return the changed policy, or {@code null} if the card has none
   */
  Future<CardPolicy> updateCard(Actor actor, String uid, CardPolicyPatch patch);

  /**
   * @param actor who asks; recorded in the audit entry
   * @param uid a card, in any form
   * @return whether a policy was removed
   */
  Future<Boolean> removeCard(Actor actor, String uid);

  /**
   * @return every reader group in the current snapshot, by name
   */
  List<ReaderGroup> readerGroups();

  /**
   * @param actor who asks; recorded in the audit entry
   * @param name the group
   * @param readers its readers
   * @return the stored group
   */
  Future<ReaderGroup> putReaderGroup(Actor actor, String name, Set<String> readers);

  /**
   * @param actor who asks; recorded in the audit entry
   * @param name the group
   * @return whether it was removed
   */
  Future<Boolean> removeReaderGroup(Actor actor, String name);

  /**
   * Reloads the snapshot from the store now.
   *
   * @return completion
   */
  Future<Void> refresh();

  /**
   * @param query filters and page
   * @return a page of the access log
   */
  Future<Page<AccessLogEntry>> logs(AccessLogQuery query);

  /**
   * @return decisions waiting for their log row's commit
   */
  int pendingLogEntries();

  /**
   * Stops refreshing, refuses new checks and commits every pending log row.
   *
   * @return completion, once every accepted decision is recorded
   */
  Future<Void> close();

  /** Collects an engine's collaborators; {@link #start()} loads the policies. */
  final class Builder {
    private final Vertx vertx;
    private AccessPolicyRepository policies;
    private AccessLogRepository log;
    private Transactional<? extends Repositories> store;
    private EventHub events;
    private Clock clock = Clock.systemUTC();
    private AccessEngineOptions options = new AccessEngineOptions();

    private Builder(Vertx vertx) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
    }

    /**
     * Uses a store's policy and log repositories, and writes every policy change with its audit
     * entry in one transaction. An open {@code Storage} is such a store.
     *
     * @param storage the store
     * @return this builder
     */
    public Builder storage(Transactional<? extends Repositories> storage) {
      this.store = Objects.requireNonNull(storage, "storage");
      return policies(storage.repositories().accessPolicies())
          .log(storage.repositories().accessLog());
    }

    /**
     * @param policies where policies are kept
     * @return this builder
     */
    public Builder policies(AccessPolicyRepository policies) {
      // Without storage() there is no audit log to write to: changes are then not audited.
      this.policies = Objects.requireNonNull(policies, "policies");
      return this;
    }

    /**
     * @param log where decisions are recorded
     * @return this builder
     */
    public Builder log(AccessLogRepository log) {
      this.log = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * @param events where decisions and lockouts are published; none by default
     * @return this builder
     */
    public Builder events(EventHub events) {
      this.events = events;
      return this;
    }

    /**
     * @param clock the time of decisions, validity, schedules and lockouts; UTC system clock by
     *     default
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param options the options, copied
     * @return this builder
     */
    public Builder options(AccessEngineOptions options) {
      this.options = new AccessEngineOptions(options);
      return this;
    }

    /**
     * @return the engine, once the policies are loaded
     */
    public Future<AccessEngine> start() {
      if (policies == null || log == null) {
        return Future.failedFuture(
            new IllegalStateException("an access engine needs policies and a log (see storage())"));
      }
      return AccessEngineImpl.start(vertx, policies, log, store, events, clock, options);
    }
  }
}
