package dev.homelab.core.access.impl;

import dev.homelab.core.ConflictException;
import dev.homelab.core.ForbiddenException;
import dev.homelab.core.HomelabException;
import dev.homelab.core.Page;
import dev.homelab.core.Transactional;
import dev.homelab.core.ValidationException;
import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.AccessEngine.Repositories;
import dev.homelab.core.access.AccessEngineOptions;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogQuery;
import dev.homelab.core.access.AccessLogRepository;
import dev.homelab.core.access.AccessPolicyRepository;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.CardPolicyPatch;
import dev.homelab.core.access.CardUid;
import dev.homelab.core.access.Decision;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.ReaderIds;
import dev.homelab.core.access.Reason;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.internal.TimeOrderedIds;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link AccessEngine}: a swapped snapshot, per-reader lockouts and a group-commit log. */
public final class AccessEngineImpl implements AccessEngine {

  private static final Logger LOG = LoggerFactory.getLogger(AccessEngineImpl.class);
  private static final Visibility ADMINS = Visibility.role(Visibility.ADMIN_ROLE);

  private final Vertx vertx;
  private final Context context;
  private final AccessPolicyRepository policies;
  private final AccessLogRepository log;
  private final Transactional<? extends Repositories> store;
  private final EventHub events;
  private final Clock clock;
  private final AccessEngineOptions options;
  private final AtomicReference<PolicySnapshot> snapshot = new AtomicReference<>();
  private final ReaderLockouts lockouts;
  private final AccessLogWriter writer;
  private long refreshTimer = -1;
  private volatile boolean closed;

  private AccessEngineImpl(
      Vertx vertx,
      AccessPolicyRepository policies,
      AccessLogRepository log,
      Transactional<? extends Repositories> store,
      EventHub events,
      Clock clock,
      AccessEngineOptions options) {
    this.vertx = vertx;
    this.store = store;
    this.context = vertx.getOrCreateContext();
    this.policies = policies;
    this.log = log;
    this.events = events;
    this.clock = clock;
    this.options = options;
    this.lockouts =
        new ReaderLockouts(
            options.getLockoutThreshold(),
            options.getLockoutWindowSeconds() * 1000L,
            options.getLockoutSeconds() * 1000L);
    this.writer =
        new AccessLogWriter(
            vertx,
            context,
            log,
            options.isDurableLog(),
            options.getMaxBatchSize(),
            options.getMaxPendingLogEntries(),
            options.getMaxConcurrentCommits());
  }

  /**
   * Creates an engine and loads its policies.
   *
   * @param vertx the Vert.x
   * @param policies the policy store
   * @param log the access log
   * @param store where policy changes are written with their audit entries, or {@code null} to
   *     write them to {@code policies} unaudited
   * @param events where to publish, or {@code null}
   * @param clock the clock
   * @param options the options (already copied)
   * @return the engine, once loaded
   */
  public static Future<AccessEngine> start(
      Vertx vertx,
      AccessPolicyRepository policies,
      AccessLogRepository log,
      Transactional<? extends Repositories> store,
      EventHub events,
      Clock clock,
      AccessEngineOptions options) {
    AccessEngineImpl engine =
        new AccessEngineImpl(vertx, policies, log, store, events, clock, options);
    return engine
        .refresh()
        .map(
            v -> {
              engine.startRefreshing();
              return engine;
            });
  }

  private void startRefreshing() {
    int seconds = options.getPolicyRefreshSeconds();
    if (seconds > 0) {
      refreshTimer =
          vertx.setPeriodic(
              seconds * 1000L,
              id ->
                  policies
                      .revision()
                      .compose(
                          revision ->
                              revision == snapshot.get().revision
                                  ? Future.succeededFuture()
                                  : refresh())
                      .onFailure(
                          e ->
                              LOG.warn("Could not refresh the access policies: {}", e.toString())));
    }
  }

  @Override
  public Decision decide(String readerId, String cardUid) {
    long started = System.nanoTime();
    PolicySnapshot current = snapshot.get();
    int reader = current.readers.of(readerId);
    if (reader < 0) {
      ReaderIds.check("device_id", readerId); // a reader no policy names: still a valid id?
    }
    // A scan equal to a key with a hex letter is that canonical uid in every reading, so most
    // scans skip normalising. A key of digits only could also be a decimal number: normalise.
    CompiledCard card = current.card(cardUid);
    String uid = cardUid;
    if (card == null || !card.unambiguous) {
      uid = CardUid.normalize(cardUid);
      card = uid.equals(cardUid) && card != null ? card : current.card(uid);
    }
    long now = clock.millis();
    Reason reason;
    if (lockouts.lockedUntil(readerId, now) != 0) {
      reason = Reason.LOCKED_OUT;
    } else {
      reason = card == null ? Reason.UNKNOWN_CARD : card.evaluate(reader, now);
      if (reason != Reason.GRANTED) {
        long until = lockouts.denied(readerId, now);
        if (until != 0) {
          lockedOut(readerId, now, until);
        }
      }
    }
    return new Decision(
        TimeOrderedIds.next(now, ThreadLocalRandom.current().nextLong()),
        Instant.ofEpochMilli(now),
        readerId,
        uid,
        reason,
        card == null ? null : card.holder,
        System.nanoTime() - started);
  }

  private void lockedOut(String readerId, long now, long until) {
    if (events != null) {
      JsonObject payload =
          new JsonObject()
              .put("device_id", readerId)
              .put("since", Instant.ofEpochMilli(now).toString())
              .put("until", Instant.ofEpochMilli(until).toString())
              .put("denied_scans", options.getLockoutThreshold())
              .put("window_seconds", options.getLockoutWindowSeconds());
      events
          .publish(LOCKOUT_TOPIC, payload, ADMINS)
          .onFailure(e -> LOG.debug("Could not publish a lockout: {}", e.toString()));
    }
  }

  @Override
  public Future<Decision> check(String readerId, String cardUid) {
    if (closed) {
      return Future.failedFuture(new HomelabException("the access engine is closed", true));
    }
    Decision decision;
    try {
      decision = decide(readerId, cardUid);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return writer
        .append(decision.toLogEntry())
        .map(
            v -> {
              if (events != null) {
                events
                    .publish(DECISION_TOPIC, decision.toJson(), ADMINS)
                    .onFailure(e -> LOG.debug("Could not publish a decision: {}", e.toString()));
              }
              return decision;
            });
  }

  @Override
  public List<CardPolicy> cards() {
    return snapshot.get().cards();
  }

  @Override
  public CardPolicy card(String uid) {
    PolicySnapshot current = snapshot.get();
    CompiledCard card = current.card(resolve(current, uid));
    return card == null ? null : card.policy;
  }

  /** A client's name for a card: its exact canonical uid if a policy has it, else normalised. */
  private static String resolve(PolicySnapshot current, String uid) {
    return uid != null && current.card(uid) != null ? uid : CardUid.normalize("uid", uid);
  }

  @Override
  public Future<CardPolicy> addCard(Actor actor, NewCardPolicy card) {
    return change(
            actor,
            repo -> repo.createCard(card),
            stored -> audit(actor, "policy.card_created", "card:" + stored.uid(), summary(stored)))
        .map(stored -> applied(stored, s -> s.withCard(stored)));
  }

  @Override
  public Future<CardPolicy> updateCard(Actor actor, String uid, CardPolicyPatch patch) {
    return canonical(uid)
        .compose(
            canonical ->
                change(
                    actor,
                    repo -> updateCard(repo, canonical, patch, 1),
                    stored ->
                        stored == null || patch.isEmpty()
                            ? null
                            : audit(
                                actor,
                                "policy.card_updated",
                                "card:" + canonical,
                                summary(stored).put("fields", new JsonArray(patch.fields())))))
        .map(stored -> stored == null ? null : applied(stored, s -> s.withCard(stored)));
  }

  private static final int MAX_UPDATE_ATTEMPTS = 5;

  /** Reads, patches and writes back; if another change landed in between, does it again. */
  private Future<CardPolicy> updateCard(
      AccessPolicyRepository repo, String uid, CardPolicyPatch patch, int attempt) {
    return repo.card(uid)
        .compose(
            current -> {
              if (current == null || patch.isEmpty()) {
                return Future.succeededFuture(current);
              }
              CardPolicy changed = patch.applyTo(current, clock.instant());
              CardPolicy basedOn =
                  new CardPolicy(
                      changed.uid(),
                      changed.holder(),
                      changed.enabled(),
                      changed.validFrom(),
                      changed.validUntil(),
                      changed.readers(),
                      changed.readerGroups(),
                      changed.schedule(),
                      changed.createdAt(),
                      current.updatedAt());
              return repo.updateCard(basedOn)
                  .compose(
                      stored -> {
                        if (stored != null) {
                          return Future.succeededFuture(stored);
                        }
                        if (attempt >= MAX_UPDATE_ATTEMPTS) {
                          return Future.failedFuture(
                              new ConflictException(
                                  "CARD_CHANGED",
                                  "the card kept changing while this change was applied; retry"));
                        }
                        return updateCard(repo, uid, patch, attempt + 1);
                      });
            });
  }

  @Override
  public Future<Boolean> removeCard(Actor actor, String uid) {
    return canonical(uid)
        .compose(
            canonical ->
                change(
                        actor,
                        repo -> repo.deleteCard(canonical),
                        removed ->
                            removed
                                ? audit(
                                    actor,
                                    "policy.card_deleted",
                                    "card:" + canonical,
                                    new JsonObject())
                                : null)
                    .map(removed -> applied(removed, s -> s.withoutCard(canonical))));
  }

  @Override
  public List<ReaderGroup> readerGroups() {
    return snapshot.get().groups();
  }

  @Override
  public Future<ReaderGroup> putReaderGroup(Actor actor, String name, Set<String> readers) {
    try {
      ReaderIds.checkGroup("name", name);
      readers.forEach(r -> ReaderIds.check("readers", r));
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return change(
            actor,
            repo -> repo.putGroup(name, readers),
            stored ->
                audit(
                    actor,
                    "policy.group_stored",
                    "reader_group:" + name,
                    new JsonObject().put("readers", stored.readers().size())))
        .map(stored -> applied(stored, s -> s.withGroup(stored)));
  }

  @Override
  public Future<Boolean> removeReaderGroup(Actor actor, String name) {
    return change(
            actor,
            repo -> repo.deleteGroup(name),
            removed ->
                removed
                    ? audit(actor, "policy.group_deleted", "reader_group:" + name, new JsonObject())
                    : null)
        .map(removed -> applied(removed, s -> s.withoutGroup(name)));
  }

  /**
   * Writes a policy change and its audit entry in one transaction (when the engine has a store), so
   * that a change is never stored unaudited nor audited unstored; the caller swaps in the new
   * snapshot only after the commit.
   *
   * @param work the change, on the repository to write it through
   * @param entry the change's audit entry, or {@code null} when nothing changed
   */
  private <T> Future<T> change(
      Actor actor,
      Function<AccessPolicyRepository, Future<T>> work,
      Function<T, AuditEntry> entry) {
    if (actor == null || actor.role() != Role.ADMIN) {
      return Future.failedFuture(
          new ForbiddenException("FORBIDDEN", "only administrators change access policies"));
    }
    if (store == null) {
      return work.apply(policies);
    }
    return store.inTransaction(
        repos ->
            work.apply(repos.accessPolicies())
                .compose(
                    result -> {
                      AuditEntry audit = entry.apply(result);
                      return audit == null
                          ? Future.succeededFuture(result)
                          : repos.audit().append(audit).map(result);
                    }));
  }

  private AuditEntry audit(Actor actor, String action, String target, JsonObject detail) {
    return actor.succeeded(clock.instant(), action, target, detail);
  }

  private static JsonObject summary(CardPolicy card) {
    return new JsonObject().put("enabled", card.enabled()).put("holder", card.holder());
  }

  /** A client's name for a card, resolved as {@link #card} does, or a failure naming it. */
  private Future<String> canonical(String uid) {
    try {
      return Future.succeededFuture(resolve(snapshot.get(), uid));
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
  }

  /** Swaps in the snapshot a stored change makes, then passes the store's answer on. */
  private <T> T applied(T result, UnaryOperator<PolicySnapshot> change) {
    snapshot.updateAndGet(change);
    return result;
  }

  @Override
  public Future<Void> refresh() {
    PolicySnapshot before = snapshot.get();
    // The revision is read before the data, so the data is at least as new as the revision and a
    // change committed in between is seen at the next refresh.
    return policies
        .revision()
        .compose(
            revision ->
                Future.all(policies.cards(), policies.groups())
                    .compose(
                        all -> {
                          PolicySnapshot loaded =
                              PolicySnapshot.of(revision, all.resultAt(0), all.resultAt(1));
                          // Every local change swaps the snapshot: if one raced this load, what
                          // was read may miss it, so read again rather than install older state.
                          return snapshot.compareAndSet(before, loaded)
                              ? Future.<Void>succeededFuture()
                              : refresh();
                        }));
  }

  @Override
  public Future<Page<AccessLogEntry>> logs(AccessLogQuery query) {
    return log.list(query);
  }

  @Override
  public int pendingLogEntries() {
    return writer.pending();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    if (refreshTimer >= 0) {
      vertx.cancelTimer(refreshTimer);
    }
    return writer.close();
  }
}
