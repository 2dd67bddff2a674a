package dev.homelab.core.upstream.proxmox;

import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.upstream.UpstreamException;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the tasks of accepted power actions and publishes their progress on the event hub as
 * {@value #TOPIC} events, so that a dashboard shows a start move from running to its end without
 * polling.
 *
 * <p>Each task is followed once (a second {@link #follow} of the same UPID does nothing), for at
 * most the configured limit, by at most {@link #MAX_FOLLOWED} followers at a time, and no more once
 * {@link #close()} ran. An event is published when the task's status or exit status changes; the
 * last event of a task has {@code following} false and, when the task ended, the tail of its log:
 *
 * <pre>{@code
 * {"server_id":"nas","vmid":101,"action":"start","upid":"UPID:nas:...","status":"running",
 *  "exit_status":null,"ended":false,"succeeded":false,"warnings":0,"log":[],"following":true}
 * {"server_id":"nas","vmid":101,"action":"start","upid":"UPID:nas:...","status":"stopped",
 *  "exit_status":"OK","ended":true,"succeeded":true,"warnings":0,"log":["...","TASK OK"],
 *  "following":false}
 * }</pre>
 *
 * <p>A task still running at the limit, or whose status can no longer be read, gets a last event
 * with {@code ended} false, {@code following} false and a {@code reason}. Everyone who may read the
 * task ({@code GET /api/proxmox/{id}/tasks/{upid}}, viewers and up) sees the events.
 */
public final class ProxmoxTaskEvents implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProxmoxTaskEvents.class);

  /** The topic of task progress. */
  public static final String TOPIC = "proxmox.task";

  /** How many tasks are followed at once at most; an action beyond is not followed (logged). */
  public static final int MAX_FOLLOWED = 256;

  /** How many of the log's last lines the final event carries. */
  public static final int LOG_TAIL_LINES = 20;

  /** How long one line of that tail may be; longer ones are cut. */
  public static final int LOG_LINE_CHARS = 500;

  private final ProxmoxClient client;
  private final EventHub hub;
  private final Duration interval;
  private final Duration limit;
  // Each followed UPID with its own stop signal: one shared signal would collect a handler per task
  // followed, kept until shutdown.
  private final Map<String, Promise<Void>> followed = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param client the Proxmox servers
   * @param hub where the progress is published
   * @param interval the time between polls of a task
   * @param limit how long a task is followed at most
   */
  public ProxmoxTaskEvents(ProxmoxClient client, EventHub hub, Duration interval, Duration limit) {
    this.client = Objects.requireNonNull(client, "client");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.limit = Objects.requireNonNull(limit, "limit");
  }

  /**
   * Starts following an accepted action's task, unless it is followed already, too many are, or
   * this was closed.
   *
   * @param accepted the action Proxmox accepted
   * @return whether a follower started
   */
  public boolean follow(ProxmoxPower.Accepted accepted) {
    Promise<Void> stop = Promise.promise();
    // Actions arrive on several event loops: the cap and the insert are one step.
    synchronized (this) {
      if (closed) {
        return false;
      }
      if (followed.size() >= MAX_FOLLOWED) {
        log.warn("Not following {}: {} tasks are followed already", accepted.upid(), MAX_FOLLOWED);
        return false;
      }
      if (followed.putIfAbsent(accepted.upid(), stop) != null) {
        return false;
      }
    }
    Follower follower = new Follower(accepted);
    client
        .followTask(
            accepted.serverId(), accepted.upid(), interval, limit, stop.future(), follower::changed)
        .onComplete(
            done -> {
              followed.remove(accepted.upid(), stop);
              follower.finished(done.result(), done.cause());
            });
    return true;
  }

  /**
   * @return how many tasks are followed now
   */
  public int following() {
    return followed.size();
  }

  /** Stops every follower (a shutdown): no further event is published. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    for (Promise<Void> stop : followed.values()) {
      stop.tryComplete();
    }
  }

  /** One task's follower: publishes what changed, and a last event. */
  private final class Follower {
    private final ProxmoxPower.Accepted accepted;
    private TaskState published;
    private boolean finalSent;

    Follower(ProxmoxPower.Accepted accepted) {
      this.accepted = accepted;
    }

    /** A log line alone is no state change: only status and exit status are. */
    void changed(TaskState state) {
      if (closed || finalSent) {
        return;
      }
      if (state.ended()) {
        finalSent = true;
        publish(state, false, null);
      } else if (published == null
          || !Objects.equals(published.status(), state.status())
          || !Objects.equals(published.exitStatus(), state.exitStatus())) {
        publish(state, true, null);
      }
      published = state;
    }

    void finished(TaskState last, Throwable failure) {
      if (closed || finalSent) {
        return;
      }
      finalSent = true;
      String reason =
          failure == null
              ? "followed for the longest time allowed"
              : failure instanceof UpstreamException upstream
                  ? upstream.getMessage()
                  : "its status could not be read";
      publish(last == null ? published : last, false, reason);
    }

    private void publish(TaskState state, boolean following, String reason) {
      JsonObject payload =
          new JsonObject()
              .put("server_id", accepted.serverId())
              .put("vmid", accepted.vmid())
              .put("action", accepted.action().apiName())
              .put("upid", accepted.upid())
              .put("status", state == null ? null : state.status())
              .put("exit_status", state == null ? null : state.exitStatus())
              .put("ended", state != null && state.ended())
              .put("succeeded", state != null && state.succeeded())
              .put("warnings", state == null ? 0 : state.warnings())
              .put("log", state == null || !state.ended() ? new JsonArray() : tail(state.log()))
              .put("following", following);
      if (reason != null) {
        payload.put("reason", reason);
      }
      hub.publish(TOPIC, payload, Visibility.everyone())
          .onFailure(e -> log.debug("{} not published: {}", TOPIC, e.getMessage()));
    }
  }

  private static JsonArray tail(List<String> lines) {
    JsonArray tail = new JsonArray();
    for (String line : lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())) {
      tail.add(line.length() > LOG_LINE_CHARS ? line.substring(0, LOG_LINE_CHARS) : line);
    }
    return tail;
  }
}
