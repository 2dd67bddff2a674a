package dev.homelab.client.access;

import dev.homelab.client.HomelabConflictException;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.Page;
import dev.homelab.client.Paginator;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * Access control: decisions for card readers ({@code /api/access}) and the card policies and reader
 * groups they follow ({@code /api/policies}).
 *
 * <p>{@link #check} is open to administrators, to device tokens (for the device itself only) and to
 * API keys with the {@code access} scope; every other method is for administrators only. Anyone
 * else is refused with {@link HomelabForbiddenException}. A policy change applies to the very next
 * check.
 *
 * <p>Card uids may be given in any form the server reads ({@code BA839D07}, {@code ba:83:9d:07},
 * {@code 74-10-37-94}, {@code 0x763AE8}); the server answers with the canonical form, upper-case
 * hex without separators.
 */
public interface AccessApi {

  /**
   * {@code POST /api/access/check}: whether a card scanned at a reader may open its door now. The
   * decision is recorded in the access log.
   *
   * @param deviceId the reader: with a device token, the device's own id
   * @param cardUid the card, in any form the server reads; a string of digits only is hex when it
   *     has 8, 14 or 20 digits and decimal otherwise: use {@link #check(String, long)} for a
   *     decimal card number
   * @return the decision; fails with {@link HomelabForbiddenException} for a device asking about
   *     another reader, and with a 422 {@link HomelabHttpException} for a malformed uid or reader
   */
  Future<AccessDecision> check(String deviceId, String cardUid);

  /**
   * Like {@link #check(String, String)} for a decimal card number, as Wiegand readers report it
   * ({@code 7748328} is card {@code 763AE8}); sent as a JSON number.
   *
   * @param deviceId the reader
   * @param cardNumber the card number, positive
   * @return the decision
   */
  Future<AccessDecision> check(String deviceId, long cardNumber);

  /**
   * Like {@link #logs(AccessLogQuery)} with {@link AccessLogQuery#newest()}: the newest page.
   *
   * @return the first page of decisions, newest first
   */
  default Future<Page<AccessLogEntry>> logs() {
    return logs(AccessLogQuery.newest());
  }

  /**
   * {@code GET /api/access/logs}.
   *
   * @param query the filters, page size and cursor
   * @return one page of decisions, newest first
   */
  Future<Page<AccessLogEntry>> logs(AccessLogQuery query);

  /**
   * Every decision the query matches, from its cursor on, read page by page as they are asked for;
   * see {@link Paginator}.
   *
   * @param query the filters, page size and first cursor
   * @return the decisions, newest first
   */
  default Paginator<AccessLogEntry> autoPaging(AccessLogQuery query) {
    return Paginator.of(query, this::logs);
  }

  /**
   * Like {@link #cards(CardQuery)} with {@link CardQuery#create()}: the first page.
   *
   * @return the first page of card policies, ordered by uid
   */
  default Future<Page<CardPolicy>> cards() {
    return cards(CardQuery.create());
  }

  /**
   * {@code GET /api/policies/cards}.
   *
   * @param query the page size and cursor
   * @return one page of card policies, ordered by uid
   */
  Future<Page<CardPolicy>> cards(CardQuery query);

  /**
   * Every card policy from the query's cursor on, read page by page as they are asked for; see
   * {@link Paginator}.
   *
   * @param query the page size and first cursor
   * @return the card policies, ordered by uid
   */
  default Paginator<CardPolicy> autoPaging(CardQuery query) {
    return Paginator.of(query, this::cards);
  }

  /**
   * {@code GET /api/policies/cards/{uid}}.
   *
   * @param uid the card, in any form
   * @return the policy; fails with {@link HomelabNotFoundException} ({@code CARD_NOT_FOUND}) if
   *     there is none
   */
  Future<CardPolicy> card(String uid);

  /**
   * {@code POST /api/policies/cards}.
   *
   * @param card the new card policy
   * @return the stored policy, its uid canonical; fails with {@link HomelabConflictException}
   *     ({@code CARD_EXISTS}) if the card already has one, and with a 422 {@link
   *     HomelabHttpException} naming the first bad field
   */
  Future<CardPolicy> createCard(NewCardPolicy card);

  /**
   * {@code PATCH /api/policies/cards/{uid}}: changes the fields the patch sets.
   *
   * @param uid the card, in any form
   * @param patch the changes
   * @return the changed policy; fails with {@link HomelabNotFoundException} ({@code
   *     CARD_NOT_FOUND}) if there is none, and with a 422 {@link HomelabHttpException} naming the
   *     first bad field, in which case nothing changed
   */
  Future<CardPolicy> updateCard(String uid, CardPolicyPatch patch);

  /**
   * {@code DELETE /api/policies/cards/{uid}}.
   *
   * @param uid the card, in any form
   * @return completes when deleted; fails with {@link HomelabNotFoundException} ({@code
   *     CARD_NOT_FOUND}) if there is none
   */
  Future<Void> deleteCard(String uid);

  /**
   * {@code GET /api/policies/groups}.
   *
   * @return every reader group, ordered by name
   */
  Future<List<ReaderGroup>> readerGroups();

  /**
   * {@code PUT /api/policies/groups/{name}}: creates the group or replaces its readers.
   *
   * @param name the group's name: 1 to 64 of {@code a-z 0-9 _ -}
   * @param readers the reader ids in it
   * @return the stored group
   */
  Future<ReaderGroup> putReaderGroup(String name, Set<String> readers);

  /**
   * {@code DELETE /api/policies/groups/{name}}. Cards that name the group keep naming it, and the
   * group's readers stop counting for them.
   *
   * @param name the group's name
   * @return completes when deleted; fails with {@link HomelabNotFoundException} ({@code
   *     READER_GROUP_NOT_FOUND}) if there is none
   */
  Future<Void> deleteReaderGroup(String name);
}
