package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.auth.RequestLimits;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Routes;
import dev.homelab.server.http.SseCallers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
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

  /** When a caller at its cap should try again: a slot frees whenever one of its streams ends. */
  private static final long CAP_RETRY_AFTER_SECONDS = 5;

  /** An event id: at most 18 digits. */
  private static final Pattern EVENT_ID = Pattern.compile("[0-9]{1,18}");

  private final Vertx vertx;
  private final Clock clock;
  private final EventHub hub;
  private final Authenticator authenticator;
  private final Limits limits;
  private final AtomicInteger clients = new AtomicInteger();
  private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  /**
   * @param ping how often a stream gets a ping, and checks its caller's credentials
   * @param maxPerUser how many streams one user may have open
   * @param maxClients how many streams may be open in all
   */
  public record Limits(Duration ping, int maxPerUser, int maxClients) {}

  /**
   * @param vertx for the timers
   * @param hub the event hub
   * @param authenticator checks the credentials of open streams again
   * @param limits pings and caps
   * @param registry where the client gauge goes, or {@code null}
   * @param clock the clock a credential's expiry is judged by, the authenticator's
   */
  public EventRoutes(
      Vertx vertx,
      EventHub hub,
      Authenticator authenticator,
      Limits limits,
      MeterRegistry registry,
      Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.hub = hub;
    this.authenticator = authenticator;
    this.limits = limits;
    if (registry != null) {
      Gauge.builder("homelab.events.clients", clients, AtomicInteger::get)
          .description("Clients connected to the event stream")
          .register(registry);
    }
    // A change made here (a demotion, a revocation) reaches open streams at once; one made on
    // another instance at the next ping, once the authenticator's cache has let it go.
    authenticator.onChange(
        affected ->
            streams.forEach(
                stream -> {
                  if (affected.test(stream.request.principal)) {
                    stream.recheck();
                  }
                }));
  }

  /**
   * Ends every open stream (its clients reconnect and resume with their last event id), and refuses
   * new ones from now on.
   *
   * @param reason why, sent to the clients
   * @return a future completed once every stream was told
   */
  public Future<Void> endAll(String reason) {
    closing = true;
    List<Future<Void>> told = new ArrayList<>();
    for (Stream stream : streams) {
      Promise<Void> done = Promise.promise();
      stream.context.runOnContext(
          v -> {
            stream.end(reason);
            done.complete();
          });
      told.add(done.future());
    }
    return Future.join(told).mapEmpty();
  }

  /**
   * @param path a request's normalised path
   * @return whether it is one of the streams, which the request timeout leaves alone (the router
   *     matches {@code /api/events/} to {@code /api/events} too)
   */
  public static boolean isStreamPath(String path) {
    String trimmed = Routes.withoutTrailingSlashes(path);
    return trimmed.equals(EVENTS_PATH) || trimmed.equals(WEBSOCKET_PATH);
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
    SseCallers.writeHead(response);
    Stream stream = open(request, new SseTransport(response, ctx.request().connection()));
    // Whichever comes first: the connection closing, or the response ending (a timeout or anything
    // else that ends it must not leave the stream holding its slot).
    response.closeHandler(v -> stream.close());
    response.endHandler(v -> stream.close());
    if (response.closed()) {
      stream.close(); // the client left while its credentials were being looked up
      return;
    }
    response.write(Buffer.buffer(": connected\n\n"));
    stream.start();
  }

  private void webSocket(RoutingContext ctx) {
    if (!ctx.request().canUpgradeToWebSocket()) {
      throw new ErrorHandler.ApiException(
          400, "WEBSOCKET_EXPECTED", "/ws takes a WebSocket upgrade request");
    }
    Request request = request(ctx);
    Future<ServerWebSocket> upgrade;
    try {
      upgrade = ctx.request().toWebSocket();
    } catch (RuntimeException e) {
      request.slot.release();
      throw e;
    }
    upgrade
        .onFailure(
            failure -> {
              request.slot.release();
              ctx.fail(failure);
            })
        .onSuccess(
            ws -> {
              Stream stream = open(request, new WebSocketTransport(ws));
              // The stream goes one way: whatever the client sends is read and ignored.
              ws.handler(ignored -> {});
              ws.exceptionHandler(e -> LOG.debug("Event WebSocket failed", e));
              ws.closeHandler(v -> stream.close());
              if (ws.isClosed()) {
                stream.close();
                return;
              }
              stream.start();
            });
  }

  /**
   * What both transports check before anything is sent: invalid input is a 422 and one stream too
   * many a 429 or 503, not a stream. The slot it holds counts against the caps until released.
   */
  private record Request(
      Set<String> topics, long after, Principal principal, String credential, Slot slot) {}

  private Request request(RoutingContext ctx) {
    Set<String> topics = topics(Params.text(ctx, "topics"));
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    if (lastEventId == null) {
      lastEventId = Params.text(ctx, "last_event_id");
    }
    long after = -1;
    if (lastEventId != null && !lastEventId.isBlank()) {
      // An event id as /openapi.json describes it: at most 18 digits, so never out of range.
      String id = lastEventId.strip();
      if (!EVENT_ID.matcher(id).matches()) {
        throw new ValidationException("Last-Event-ID", "Last-Event-ID must be an event id");
      }
      after = Long.parseLong(id);
    }
    Principal principal = Principal.of(ctx);
    return new Request(
        topics,
        after,
        principal,
        Authenticator.credentialOf(ctx.request()),
        reserve(principal.userId()));
  }

  /** Counts a stream against the caps, or refuses it. */
  private Slot reserve(String userId) {
    if (closing) {
      throw new ErrorHandler.ApiException(
          503, "SHUTTING_DOWN", "the server is shutting down; try again in a moment");
    }
    boolean[] refused = {false};
    // One atomic step per user: a count that reaches zero leaves the map in the same step.
    perUser.compute(
        userId,
        (k, count) -> {
          int n = count == null ? 0 : count;
          if (n >= limits.maxPerUser()) {
            refused[0] = true;
            return count;
          }
          return n + 1;
        });
    if (refused[0]) {
      throw new RequestLimits.RateLimitedException(
          CAP_RETRY_AFTER_SECONDS,
          "this user has "
              + limits.maxPerUser()
              + " event streams open already (EVENTS_MAX_PER_USER)");
    }
    if (clients.incrementAndGet() > limits.maxClients()) {
      clients.decrementAndGet();
      releaseUser(userId);
      throw new ErrorHandler.ApiException(
          503, "TOO_MANY_STREAMS", "the server has as many event streams open as it serves");
    }
    return new Slot(userId);
  }

  private void releaseUser(String userId) {
    perUser.computeIfPresent(userId, (k, count) -> count <= 1 ? null : count - 1);
  }

  /** One stream's place under the caps; released once. */
  private final class Slot {
    final String userId;
    final AtomicBoolean released = new AtomicBoolean();

    Slot(String userId) {
      this.userId = userId;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        clients.decrementAndGet();
        releaseUser(userId);
      }
    }
  }

  private Stream open(Request request, EventFeed.Transport transport) {
    EventFeed feed =
        new EventFeed(
            transport, request.principal.userId(), roles(request.principal.role()), MAX_QUEUED);
    return new Stream(request, feed, transport, vertx.getOrCreateContext());
  }

  /**
   * One open stream: its feed, its timers, and the credential it was opened with, checked again at
   * every ping and after every local change, so that a caller who lost the right to read it loses
   * the stream too. Everything but {@link #recheck()} runs on the stream's event loop.
   */
  private final class Stream {
    final Request request;
    final EventFeed feed;
    final EventFeed.Transport transport;
    final Context context;
    long pingTimer = -1;
    long expiryTimer = -1;
    boolean closed;

    Stream(Request request, EventFeed feed, EventFeed.Transport transport, Context context) {
      this.request = request;
      this.feed = feed;
      this.transport = transport;
      this.context = context;
    }

    void start() {
      streams.add(this);
      pingTimer =
          vertx.setPeriodic(
              limits.ping().toMillis(),
              id -> {
                feed.ping();
                recheck();
              });
      Instant expiresAt = request.principal.expiresAt();
      if (expiresAt != null) {
        // The clock the authenticator judges the expiry by.
        long left = Math.max(1, expiresAt.toEpochMilli() - clock.millis());
        expiryTimer = vertx.setTimer(left, id -> end("the credential expired"));
      }
      feed.onRelease(this::close);
      feed.start(hub, request.topics, request.after);
    }

    /** Ends the stream if its credential no longer gives the rights it was opened with. */
    void recheck() {
      authenticator
          .recheck(request.credential, request.principal)
          .onSuccess(
              reason -> {
                if (reason != null) {
                  context.runOnContext(v -> end(reason));
                }
              });
    }

    /** Closes the stream from the server's side; the client reconnects and is checked anew. */
    void end(String reason) {
      if (!closed) {
        LOG.info("Closing an event stream: {}", reason);
        transport.end(reason);
        close();
      }
    }

    /** Releases what the stream holds, once, whichever side closed it. */
    void close() {
      if (closed) {
        return;
      }
      closed = true;
      streams.remove(this);
      vertx.cancelTimer(pingTimer);
      if (expiryTimer >= 0) {
        vertx.cancelTimer(expiryTimer);
      }
      request.slot.release();
      feed.release();
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
}
