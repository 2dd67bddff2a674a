package dev.homelab.client.access;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.Page;
import dev.homelab.client.internal.Waiter;
import java.util.List;
import java.util.Set;

/**
 * The access decision, access log, card policy and reader group endpoints of {@link AccessApi} for
 * code that waits: each method calls the asynchronous one and waits for its answer, as {@link
 * BlockingHomelabClient} describes. Thread-safe.
 */
public final class BlockingAccess {

  private final AccessApi access;
  private final Waiter waiter;

  /**
   * @param access the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingAccess(AccessApi access, long timeoutMs) {
    this.access = access;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link AccessApi#check(String, String)}.
   *
   * @param deviceId the reader
   * @param cardUid the card, in any form the server reads
   * @return the decision
   */
  public AccessDecision check(String deviceId, String cardUid) {
    return waiter.await(access.check(deviceId, cardUid));
  }

  /**
   * Like {@link AccessApi#check(String, long)}.
   *
   * @param deviceId the reader
   * @param cardNumber the decimal card number
   * @return the decision
   */
  public AccessDecision check(String deviceId, long cardNumber) {
    return waiter.await(access.check(deviceId, cardNumber));
  }

  /**
   * Like {@link AccessApi#logs()}.
   *
   * @return the newest page of decisions
   */
  public Page<AccessLogEntry> logs() {
    return waiter.await(access.logs());
  }

  /**
   * Like {@link AccessApi#logs(AccessLogQuery)}.
   *
   * @param query the filters, page size and cursor
   * @return one page of decisions, newest first
   */
  public Page<AccessLogEntry> logs(AccessLogQuery query) {
    return waiter.await(access.logs(query));
  }

  /**
   * Like {@link AccessApi#autoPaging(AccessLogQuery)}, as an iterable. Every decision the query
   * matches, from its cursor on, reading each page only when the previous one is used up. Each
   * iterator starts again from the query; {@code hasNext()} may wait for the server and throw what
   * {@link #logs(AccessLogQuery)} throws.
   *
   * @param query the filters, page size and first cursor
   * @return the decisions, newest first
   */
  public Iterable<AccessLogEntry> autoPagingIterable(AccessLogQuery query) {
    return waiter.iterable(access.autoPaging(query));
  }

  /**
   * Like {@link AccessApi#cards()}.
   *
   * @return the first page of card policies
   */
  public Page<CardPolicy> cards() {
    return waiter.await(access.cards());
  }

  /**
   * Like {@link AccessApi#cards(CardQuery)}.
   *
   * @param query the page size and cursor
   * @return one page of card policies, ordered by uid
   */
  public Page<CardPolicy> cards(CardQuery query) {
    return waiter.await(access.cards(query));
  }

  /**
   * Like {@link AccessApi#autoPaging(CardQuery)}, as an iterable. Every card policy from the
   * query's cursor on, reading each page only when the previous one is used up. Each iterator
   * starts again from the query; {@code hasNext()} may wait for the server and throw what {@link
   * #cards(CardQuery)} throws.
   *
   * @param query the page size and first cursor
   * @return the card policies, ordered by uid
   */
  public Iterable<CardPolicy> autoPagingIterable(CardQuery query) {
    return waiter.iterable(access.autoPaging(query));
  }

  /**
   * Like {@link AccessApi#card(String)}.
   *
   * @param uid the card, in any form
   * @return the policy
   */
  public CardPolicy card(String uid) {
    return waiter.await(access.card(uid));
  }

  /**
   * Like {@link AccessApi#createCard(NewCardPolicy)}.
   *
   * @param card the new card policy
   * @return the stored policy
   */
  public CardPolicy createCard(NewCardPolicy card) {
    return waiter.await(access.createCard(card));
  }

  /**
   * Like {@link AccessApi#updateCard(String, CardPolicyPatch)}.
   *
   * @param uid the card, in any form
   * @param patch the changes
   * @return the changed policy
   */
  public CardPolicy updateCard(String uid, CardPolicyPatch patch) {
    return waiter.await(access.updateCard(uid, patch));
  }

  /**
   * Like {@link AccessApi#deleteCard(String)}.
   *
   * @param uid the card, in any form
   */
  public void deleteCard(String uid) {
    waiter.await(access.deleteCard(uid));
  }

  /**
   * Like {@link AccessApi#readerGroups()}.
   *
   * @return every reader group, ordered by name
   */
  public List<ReaderGroup> readerGroups() {
    return waiter.await(access.readerGroups());
  }

  /**
   * Like {@link AccessApi#putReaderGroup(String, Set)}.
   *
   * @param name the group's name
   * @param readers the reader ids in it
   * @return the stored group
   */
  public ReaderGroup putReaderGroup(String name, Set<String> readers) {
    return waiter.await(access.putReaderGroup(name, readers));
  }

  /**
   * Like {@link AccessApi#deleteReaderGroup(String)}.
   *
   * @param name the group's name
   */
  public void deleteReaderGroup(String name) {
    waiter.await(access.deleteReaderGroup(name));
  }
}
