package dev.homelab.server.routes;

import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.EventSubscription;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events one connected client receives, whatever carries them (Server-Sent Events or a
 * WebSocket): the replay after its last event id then the live events, each once and in id order,
 * only those it may see, and a bounded queue: a client that stops reading is disconnected rather
 * than buffered without bound, so the others keep their rate.
 */
final class EventFeed {

  private static final Logger LOG = LoggerFactory.getLogger(EventFeed.class);

  /** What carries the frames of one client. Called on the client's event loop only. */
  interface Transport {

    /**
     * @param event an event the client may see
     * @return its frame
     */
    Buffer event(Event event);

    /**
     * @param lastEventId the id the client asked to resume after
     * @return the frame saying that events after it are no longer kept
     */
    Buffer reset(long lastEventId);

    /**
     * @param frame a frame made by this transport
     */
    void write(Buffer frame);

    /**
     * @return whether the socket holds as much as it should
     */
    boolean writeQueueFull();

    /**
     * @param handler called when the socket can take more
     */
    void drainHandler(Handler<Void> handler);

    /** Sends a keep-alive that the client does not see as an event. */
    void ping();

    /**
     * Closes the connection after what the socket already holds: at once for a client that reads
     * again (it then reconnects and resumes from the replay buffer), at the idle timeout for one
     * that never does.
     */
    void disconnect();

    /**
     * Ends the stream in good order, for a reason the client should act on by reconnecting (its
     * credentials are then checked again).
     *
     * @param reason why, for the log and the WebSocket close frame
     */
    void end(String reason);
  }

  private final Transport transport;
  private final String userId;
  private final Set<String> roles;
  private final int maxQueued;
  private final ArrayDeque<Buffer> queued = new ArrayDeque<>();
  private final List<Event> early = new ArrayList<>(); // live events that came during the replay
  private boolean live;
  private long sentUpTo;
  private boolean closed;
  private EventSubscription subscription;
  private Runnable release = () -> {};
  private boolean released;

  /**
   * @param transport what carries the frames
   * @param userId the client's user, for per-owner visibility
   * @param roles the roles the client has, a role including those below it
   * @param maxQueued frames that may wait beyond what the socket holds before the client is dropped
   */
  EventFeed(Transport transport, String userId, Set<String> roles, int maxQueued) {
    this.transport = transport;
    this.userId = userId;
    this.roles = roles;
    this.maxQueued = maxQueued;
    transport.drainHandler(v -> drain());
  }

  /**
   * Subscribes, then replays what came after {@code after}: an event published in between is in
   * both, and the feed drops the live copy by its id.
   *
   * @param hub the hub
   * @param topics the topics, empty for all
   * @param after the last event id the client has, or {@code -1} for new events only
   */
  void start(EventHub hub, Set<String> topics, long after) {
    subscription = hub.subscribe(topics, this::live);
    if (after < 0) {
      startLive(-1);
      return;
    }
    EventHub.Replay replay = hub.replay(topics, after);
    if (!replay.complete()) {
      write(transport.reset(after));
      startLive(after); // every live event from here on is new to the client
    } else {
      for (Event e : replay.events()) {
        send(e);
      }
      startLive(
          replay.events().isEmpty() ? after : replay.events().get(replay.events().size() - 1).id());
    }
  }

  /**
   * @param action what to do once when the client goes, whether it closed or was dropped
   */
  void onRelease(Runnable action) {
    this.release = action;
    if (released) {
      action.run();
    }
  }

  /** Ends the subscription and runs the release action, once. */
  void release() {
    if (!released) {
      released = true;
      if (subscription != null) {
        subscription.cancel();
      }
      release.run();
    }
  }

  /** Pings a client that is keeping up; one that is behind gets data soon enough. */
  void ping() {
    if (!closed && queued.isEmpty() && !transport.writeQueueFull()) {
      transport.ping();
    }
  }

  private void live(Event event) {
    if (!live) {
      early.add(event);
    } else if (event.id() > sentUpTo) {
      send(event);
    }
  }

  private void startLive(long upTo) {
    sentUpTo = upTo;
    live = true;
    for (Event e : early) {
      if (e.id() > sentUpTo) {
        send(e);
      }
    }
    early.clear();
  }

  private void send(Event event) {
    sentUpTo = Math.max(sentUpTo, event.id());
    if (event.visibility().visibleTo(userId, roles)) {
      write(transport.event(event));
    }
  }

  private void write(Buffer frame) {
    if (closed) {
      return;
    }
    if (!queued.isEmpty() || transport.writeQueueFull()) {
      queued.add(frame);
      if (queued.size() > maxQueued) {
        closed = true;
        queued.clear();
        LOG.info("Disconnecting an event stream client that stopped reading");
        release();
        transport.disconnect();
      }
      return;
    }
    transport.write(frame);
  }

  private void drain() {
    while (!queued.isEmpty() && !transport.writeQueueFull() && !closed) {
      transport.write(queued.poll());
    }
  }
}
