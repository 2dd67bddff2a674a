package dev.homelab.client.identity;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.internal.Waiter;
import java.util.List;

/**
 * The user account endpoints (admins only) of {@link UsersApi} for code that waits: each method
 * calls the asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes.
 * Thread-safe.
 */
public final class BlockingUsers {

  private final UsersApi users;
  private final Waiter waiter;

  /**
   * @param users the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingUsers(UsersApi users, long timeoutMs) {
    this.users = users;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link UsersApi#list()}.
   *
   * @return every user, ordered by username
   */
  public List<User> list() {
    return waiter.await(users.list());
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
    return waiter.await(users.create(username, password, role));
  }

  /**
   * Like {@link UsersApi#get(String)}.
   *
   * @param id the user's id
   * @return the user
   */
  public User get(String id) {
    return waiter.await(users.get(id));
  }

  /**
   * Like {@link UsersApi#update(String, UserPatch)}.
   *
   * @param id the user's id
   * @param patch the changes
   * @return the changed user
   */
  public User update(String id, UserPatch patch) {
    return waiter.await(users.update(id, patch));
  }

  /**
   * Like {@link UsersApi#delete(String)}.
   *
   * @param id the user's id
   */
  public void delete(String id) {
    waiter.await(users.delete(id));
  }
}
