package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.EventSubscription;
import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Routes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/events}: the event hub as Server-Sent Events, every event with its {@code id:},
 * resumable with {@code Last-Event-ID} from the hub's replay buffer (an explicit {@code reset}
 * event says when the id is too old), a comment ping every 15 seconds, only the events the caller
 * may see, and a bounded queue per client: a client that does not read is disconnected rather than
 * buffered without bound, so the others keep their rate.
 */
public final class EventRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);

  /** Events a client may have waiting, beyond what the socket holds, before it is dropped. */
  static final int MAX_QUEUED = 1_000;

  private final Vertx vertx;
  private final EventHub hub;
  private final Duration ping;
  private final AtomicInteger clients = new AtomicInteger();

  /**
   * @param vertx for the ping timers
   * @param hub the event hub
   * @param ping how often to send a comment to keep proxies from closing an idle stream
   * @param registry where the client gauge goes, or {@code null}
   */
  public EventRoutes(Vertx vertx, EventHub hub, Duration ping, MeterRegistry registry) {
    this.vertx = vertx;
    this.hub = hub;
    this.ping = ping;
    if (registry != null) {
      Gauge.builder("homelab.events.clients", clients, AtomicInteger::get)
          .description("Clients connected to the event stream")
          .register(registry);
    }
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/events", Role.VIEWER, this::stream);
  }

  private void stream(RoutingContext ctx) {
    Set<String> topics = topics(Params.text(ctx, "topics"));
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = Params.text(ctx, "last_event_id");
    }
    long after = -1;
    if (lastEventId != null && !lastEventId.isBlank()) {
      try {
        after = Long.parseLong(lastEventId.strip());
      } catch (NumberFormatException e) {
        throw new ValidationException("Last-Event-ID", "Last-Event-ID must be an event id");
      }
    }
    Principal principal = Principal.of(ctx);
    Set<String> roles = roles(principal.role());
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        // Compression would hold events back until a buffer fills.
        .putHeader("Content-Encoding", "identity");
    Client client = new Client(response, ctx.request().connection(), principal.userId(), roles);
    clients.incrementAndGet();
    // Subscribe first, then replay: an event published in between is in both, and the client
    // drops the live copy by its id.
    EventSubscription subscription = hub.subscribe(topics, client::live);
    long timer =
        vertx.setPeriodic(ping.toMillis(), id -> client.write(Buffer.buffer(": ping\n\n")));
    client.onRelease(
        () -> {
          clients.decrementAndGet();
          vertx.cancelTimer(timer);
          subscription.cancel();
        });
    response.closeHandler(v -> client.release());
    response.write(Buffer.buffer(": connected\n\n"));
    if (after >= 0) {
      EventHub.Replay replay = hub.replay(topics, after);
      if (!replay.complete()) {
        client.write(
            Buffer.buffer(
                "event: reset\ndata: "
                    + new JsonObject()
                        .put("reason", "events after this id are no longer kept")
                        .put("last_event_id", after)
                        .encode()
                    + "\n\n"));
        client.startLive(after); // every live event from here on is new to the client
      } else {
        for (Event e : replay.events()) {
          client.send(e);
        }
        client.startLive(
            replay.events().isEmpty()
                ? after
                : replay.events().get(replay.events().size() - 1).id());
      }
    } else {
      client.startLive(-1);
    }
  }

  private static Set<String> topics(String text) {
    Set<String> topics = new LinkedHashSet<>();
    if (text != null) {
      for (String t : text.split(",")) {
        if (!t.isBlank()) {
          topics.add(t.strip());
        }
      }
    }
    for (String t : topics) {
      if (!t.matches("[a-z0-9][a-z0-9._-]{0,127}")) {
        throw new ValidationException("topics", "invalid topic: " + t);
      }
    }
    return topics;
  }

  private static Set<String> roles(Role role) {
    Set<String> roles = new LinkedHashSet<>();
    for (Role r : Role.values()) {
      if (role.compareTo(r) >= 0) { // a role includes those below it
        roles.add(r.label());
      }
    }
    return roles;
  }

  /** One connected client: what it may see, what it has been sent, what waits for its socket. */
  private static final class Client {
    final HttpServerResponse response;
    final HttpConnection connection;
    final String userId;
    final Set<String> roles;
    final ArrayDeque<Buffer> queued = new ArrayDeque<>();
    final List<Event> early = new ArrayList<>(); // live events that came during the replay
    boolean live;
    long sentUpTo;
    boolean closed;
    Runnable release;
    boolean released;

    Client(
        HttpServerResponse response, HttpConnection connection, String userId, Set<String> roles) {
      this.response = response;
      this.connection = connection;
      this.userId = userId;
      this.roles = roles;
      response.drainHandler(v -> drain());
    }

    void onRelease(Runnable action) {
      this.release = action;
    }

    /** Stops the subscription, the ping and the count, once. */
    void release() {
      if (!released) {
        released = true;
        release.run();
      }
    }

    void live(Event event) {
      if (!live) {
        early.add(event);
      } else if (event.id() > sentUpTo) {
        send(event);
      }
    }

    void startLive(long upTo) {
      sentUpTo = upTo;
      live = true;
      for (Event e : early) {
        if (e.id() > sentUpTo) {
          send(e);
        }
      }
      early.clear();
    }

    void send(Event event) {
      sentUpTo = Math.max(sentUpTo, event.id());
      if (!event.visibility().visibleTo(userId, roles)) {
        return;
      }
      write(
          Buffer.buffer(
              "id: "
                  + event.id()
                  + "\nevent: "
                  + event.topic()
                  + "\ndata: "
                  + event.toJson().encode()
                  + "\n\n"));
    }

    void write(Buffer frame) {
      if (closed) {
        return;
      }
      if (!queued.isEmpty() || response.writeQueueFull()) {
        queued.add(frame);
        if (queued.size() > MAX_QUEUED) {
          closed = true;
          queued.clear();
          LOG.info("Disconnecting an event stream client that stopped reading");
          release();
          // Vert.x closes after what the socket already holds is sent: at once for a client that
          // reads again (it then reconnects and resumes from the replay buffer), at the idle
          // timeout for one that never does. Nothing more is queued for it meanwhile.
          connection.close();
        }
        return;
      }
      response.write(frame);
    }

    void drain() {
      while (!queued.isEmpty() && !response.writeQueueFull() && !closed) {
        response.write(queued.poll());
      }
    }
  }
}
