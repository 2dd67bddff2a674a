package dev.homelab.client.identity;

import dev.homelab.client.HomelabConflictException;
import dev.homelab.client.HomelabForbiddenException;
import dev.homelab.client.HomelabNotFoundException;
import io.vertx.core.Future;
import java.util.List;

/**
 * User accounts: {@code /api/users}. Admins only; anyone else is refused with {@link
 * HomelabForbiddenException}.
 */
public interface UsersApi {

  /**
   * {@code GET /api/users}.
   *
   * @return every user, ordered by username
   */
  Future<List<User>> list();

  /**
   * {@code POST /api/users}.
   *
   * @param username 3 to 32 of {@code a-z 0-9 . _ -}; stored lower case
   * @param password 10 to 256 characters
   * @param role {@code admin}, {@code user} or {@code viewer}
   * @return the new user; fails with {@link HomelabConflictException} ({@code USERNAME_TAKEN}) if
   *     the name is taken
   */
  Future<User> create(String username, String password, String role);

  /**
   * {@code GET /api/users/{id}}.
   *
   * @param id the user's id
   * @return the user; fails with {@link HomelabNotFoundException} ({@code USER_NOT_FOUND}) if there
   *     is none
   */
  Future<User> get(String id);

  /**
   * {@code PATCH /api/users/{id}}: changes the fields the patch sets. A demoted or disabled user is
   * affected from their next request, whatever tokens they hold.
   *
   * @param id the user's id
   * @param patch the changes
   * @return the changed user; fails with {@link HomelabConflictException} ({@code BUILTIN_USER})
   *     for the built-in {@code admin}
   */
  Future<User> update(String id, UserPatch patch);

  /**
   * {@code DELETE /api/users/{id}}: deletes the user with their API keys and devices.
   *
   * @param id the user's id
   * @return completes when deleted; fails with {@link HomelabConflictException} ({@code
   *     BUILTIN_USER}) for the built-in {@code admin}
   */
  Future<Void> delete(String id);
}
