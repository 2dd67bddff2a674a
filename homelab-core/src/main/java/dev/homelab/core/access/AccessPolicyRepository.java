package dev.homelab.core.access;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * The stored card policies and reader groups. Every change also advances a revision number in the
 * same transaction, so that an engine can tell cheaply whether another instance changed anything.
 */
public interface AccessPolicyRepository {

  /**
   * @return every card policy, ordered by uid
   */
  Future<List<CardPolicy>> cards();

  /**
   * @param uid a canonical card uid
   * @return the policy, or {@code null}
   */
  Future<CardPolicy> card(String uid);

  /**
   * @param card the new policy
   * @return the stored policy, or a failed {@link dev.homelab.core.ConflictException} ({@code
   *     CARD_EXISTS}) if the card already has one
   */
  Future<CardPolicy> createCard(NewCardPolicy card);

  /**
   * Stores every component of a changed policy, if the stored policy is still the version the
   * change was made from (optimistic concurrency: two concurrent patches never undo each other).
   *
   * @param card the changed policy, with its uid unchanged and the {@code updatedAt} of the stored
   *     version it was made from
   * @return the stored policy with a new {@code updatedAt}, or {@code null} if there is no policy
   *     with that uid and that {@code updatedAt} (missing, or changed since)
   */
  Future<CardPolicy> updateCard(CardPolicy card);

  /**
   * @param uid a canonical card uid
   * @return whether a policy was removed
   */
  Future<Boolean> deleteCard(String uid);

  /**
   * @return every reader group, ordered by name
   */
  Future<List<ReaderGroup>> groups();

  /**
   * Creates or replaces a reader group.
   *
   * @param name the group's name
   * @param readers its readers
   * @return the stored group
   */
  Future<ReaderGroup> putGroup(String name, Set<String> readers);

  /**
   * @param name a group's name
   * @return whether a group was removed
   */
  Future<Boolean> deleteGroup(String name);

  /**
   * @return a number that grows with every change to cards or groups
   */
  Future<Long> revision();
}
