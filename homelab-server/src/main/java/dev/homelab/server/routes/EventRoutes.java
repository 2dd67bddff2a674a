package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Routes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event hub for clients. {@code GET /api/events} as Server-Sent Events, every event with its
 * {@code id:}, resumable with {@code Last-Event-ID} from the hub's replay buffer (an explicit
 * {@code reset} event says when the id is too old), a comment ping every 15 seconds; {@code GET
 * /ws} the same events as JSON text messages on a WebSocket, with WebSocket pings. Either way only
 * the events the caller may see, and a bounded queue per client (see {@link EventFeed}).
 */
public final class EventRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(EventRoutes.class);

  /** Events a client may have waiting, beyond what the socket holds, before it is dropped. */
  static final int MAX_QUEUED = 1_000;

  /** The Server-Sent Events stream. */
  public static final String EVENTS_PATH = "/api/events";

  /** The same events over a WebSocket. */
  public static final String WEBSOCKET_PATH = "/ws";

  /**
   * The subprotocol a browser offers, with {@code homelab.bearer.<token>} beside it, since a
   * browser's WebSocket cannot send an {@code Authorization} header.
   */
  public static final String SUBPROTOCOL = "homelab.v1";

  private static final Buffer PING = Buffer.buffer(": ping\n\n");
  private static final short POLICY_VIOLATION = 1008;

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
    routes.route(HttpMethod.GET, EVENTS_PATH, Role.VIEWER, this::stream);
    routes.route(HttpMethod.GET, WEBSOCKET_PATH, Role.VIEWER, this::webSocket);
  }

  private void stream(RoutingContext ctx) {
    Request request = request(ctx);
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        // Compression would hold events back until a buffer fills.
        .putHeader("Content-Encoding", "identity");
    HttpConnection connection = ctx.request().connection();
    EventFeed feed =
        new EventFeed(
            new EventFeed.Transport() {
              @Override
              public Buffer event(Event event) {
                return Buffer.buffer(
                    "id: "
                        + event.id()
                        + "\nevent: "
                        + event.topic()
                        + "\ndata: "
                        + event.toJson().encode()
                        + "\n\n");
              }

              @Override
              public Buffer reset(long lastEventId) {
                return Buffer.buffer(
                    "event: reset\ndata: " + resetJson(lastEventId).encode() + "\n\n");
              }

              @Override
              public void write(Buffer frame) {
                response.write(frame);
              }

              @Override
              public boolean writeQueueFull() {
                return response.writeQueueFull();
              }

              @Override
              public void drainHandler(Handler<Void> handler) {
                response.drainHandler(handler);
              }

              @Override
              public void ping() {
                response.write(PING);
              }

              @Override
              public void disconnect() {
                connection.close();
              }
            },
            request.userId,
            request.roles,
            MAX_QUEUED);
    response.closeHandler(v -> feed.release());
    response.write(Buffer.buffer(": connected\n\n"));
    open(feed, request);
  }

  private void webSocket(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      throw new ErrorHandler.ApiException(
          400, "WEBSOCKET_EXPECTED", "/ws takes a WebSocket upgrade request");
    }
    Request request = request(ctx);
    ctx.request()
        .toWebSocket()
        .onFailure(ctx::fail)
        .onSuccess(
            ws -> {
              EventFeed feed =
                  new EventFeed(
                      new EventFeed.Transport() {
                        @Override
                        public Buffer event(Event event) {
                          return new JsonObject()
                              .put("type", "event")
                              .mergeIn(event.toJson())
                              .toBuffer();
                        }

                        @Override
                        public Buffer reset(long lastEventId) {
                          return new JsonObject()
                              .put("type", "reset")
                              .mergeIn(resetJson(lastEventId))
                              .toBuffer();
                        }

                        @Override
                        public void write(Buffer frame) {
                          // Events may still come between the socket closing and its close
                          // handler ending the subscription.
                          if (!ws.isClosed()) {
                            ws.writeTextMessage(frame.toString());
                          }
                        }

                        @Override
                        public boolean writeQueueFull() {
                          return !ws.isClosed() && ws.writeQueueFull();
                        }

                        @Override
                        public void drainHandler(Handler<Void> handler) {
                          ws.drainHandler(handler);
                        }

                        @Override
                        public void ping() {
                          if (!ws.isClosed()) {
                            ws.writePing(Buffer.buffer());
                          }
                        }

                        @Override
                        public void disconnect() {
                          ws.close(POLICY_VIOLATION, "the client did not keep up with its events");
                        }
                      },
                      request.userId,
                      request.roles,
                      MAX_QUEUED);
              // The stream goes one way: whatever the client sends is read and ignored.
              ws.handler(ignored -> {});
              ws.exceptionHandler(e -> LOG.debug("Event WebSocket failed", e));
              ws.closeHandler(v -> feed.release());
              open(feed, request);
            });
  }

  /** What both transports parse before anything is sent: invalid input is a 422, not a stream. */
  private record Request(Set<String> topics, long after, String userId, Set<String> roles) {}

  private static Request request(RoutingContext ctx) {
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
      if (after < 0) {
        throw new ValidationException("Last-Event-ID", "Last-Event-ID must be an event id");
      }
    }
    Principal principal = Principal.of(ctx);
    return new Request(topics, after, principal.userId(), roles(principal.role()));
  }

  private void open(EventFeed feed, Request request) {
    clients.incrementAndGet();
    long timer = vertx.setPeriodic(ping.toMillis(), id -> feed.ping());
    feed.onRelease(
        () -> {
          clients.decrementAndGet();
          vertx.cancelTimer(timer);
        });
    feed.start(hub, request.topics, request.after);
  }

  private static JsonObject resetJson(long lastEventId) {
    return new JsonObject()
        .put("reason", "events after this id are no longer kept")
        .put("last_event_id", lastEventId);
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
}
