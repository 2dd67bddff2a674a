package dev.homelab.core.identity;

import io.vertx.core.Future;
import java.util.List;

/** The user accounts. */
public interface UserRepository {

  /**
   * Creates a user.
   *
   * @param username a name already checked with {@link User#validateUsername}
   * @param role the role
   * @param passwordHash the encoded password hash
   * @return the new user; fails with a {@link dev.homelab.core.ConflictException} {@code
   *     USERNAME_TAKEN} if the name is in use
   */
  Future<User> create(String username, Role role, String passwordHash);

  /**
   * Creates the built-in administrator if it does not exist yet; safe to call from several
   * instances at once.
   *
   * @return the built-in administrator
   */
  Future<User> ensureBuiltinAdmin();

  /**
   * @param id a user id
   * @return the user, or {@code null} if there is none
   */
  Future<User> byId(String id);

  /**
   * @param username a login name, in any case
   * @return the user, or {@code null} if there is none
   */
  Future<User> byUsername(String username);

  /**
   * @return every user, by username
   */
  Future<List<User>> list();

  /**
   * Changes a user.
   *
   * @param id the user id
   * @param update what changes
   * @return the changed user, or {@code null} if there is none
   */
  Future<User> update(String id, UserUpdate update);

  /**
   * Removes a user, with their API keys and devices.
   *
   * @param id the user id
   * @return whether a user was removed
   */
  Future<Boolean> delete(String id);
}
