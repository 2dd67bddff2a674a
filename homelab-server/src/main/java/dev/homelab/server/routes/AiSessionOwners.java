package dev.homelab.server.routes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which user each AI hub session belongs to, as this server has seen it. The hub keeps no owner, so
 * without this every user saw every session id in the process list and could stop another's chat,
 * or continue another's conversation by its session id.
 *
 * <p>A session becomes a user's when the hub begins it for their chat, or goes on with it: the
 * {@code system/init} event of a user's chat, never a request alone (a made-up or refused id is
 * never recorded) nor an administrator's chat in an existing session. Kept in memory and bounded
 * ({@value #MAX} sessions, the least recently used dropped first): after a restart, or on another
 * server, a session is nobody's until a user chats in it again, which makes it theirs; until then
 * only administrators see and stop its processes.
 */
final class AiSessionOwners {

  /** The most sessions remembered. */
  static final int MAX = 10_000;

  private final Map<String, String> owners =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
          return size() > MAX;
        }
      };

  /**
   * Claims a session for a user, if it is nobody's yet.
   *
   * @param sessionId the session
   * @param userId the user chatting in it
   * @return whether the session is the user's now: it was, or it was nobody's
   */
  synchronized boolean claim(String sessionId, String userId) {
    String owner = owners.putIfAbsent(sessionId, userId);
    return owner == null || owner.equals(userId);
  }

  /**
   * @param sessionId a session
   * @param userId a user
   * @return whether the session is another user's
   */
  synchronized boolean othersOwn(String sessionId, String userId) {
    String owner = owners.get(sessionId);
    return owner != null && !owner.equals(userId);
  }

  /**
   * @param userId a user
   * @param sessionId a session, or {@code null}
   * @return whether the session is the user's
   */
  synchronized boolean owns(String userId, String sessionId) {
    return sessionId != null && userId.equals(owners.get(sessionId));
  }
}
