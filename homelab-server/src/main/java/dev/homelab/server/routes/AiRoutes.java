package dev.homelab.server.routes;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.identity.Role;
import dev.homelab.core.upstream.aihub.AiHubClient;
import dev.homelab.core.upstream.aihub.AiProcess;
import dev.homelab.core.upstream.aihub.ChatListener;
import dev.homelab.core.upstream.aihub.ChatRequest;
import dev.homelab.core.upstream.aihub.ChatStream;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.Principal;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import dev.homelab.server.http.SseCallers;
import dev.homelab.sse.SseEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/ai}: the AI hub of seed 003 (a Claude Code API). A chat is answered as Server-Sent
 * Events passing the hub's events through unmodified (same event names, data and ids), with
 * back-pressure: while the caller does not read, nothing more is read from the hub. A caller that
 * goes away closes the chat's upstream connection, which stops the hub's process. Failures before
 * the hub starts streaming reach the error handler (502, 504, or the hub's own 4xx); a failure
 * after it resets the caller's connection, so that a broken stream never looks ended by the hub.
 * Users and admins only: a chat runs tools on the hub's machines. A user sees, stops and continues
 * only the sessions of their own chats ({@link AiSessionOwners}); an administrator, every one.
 * Without a client (no {@code AI_HUB_URL}) every route answers 404 {@code AI_HUB_NOT_CONFIGURED}.
 * The AI budget ({@code RATE_LIMIT_AI_PER_MINUTE}) applies to all of {@code /api/ai}, in {@code
 * AuthFeature}.
 */
public final class AiRoutes {

  /** The error code of every route when the AI hub is not configured. */
  public static final String NOT_CONFIGURED = "AI_HUB_NOT_CONFIGURED";

  /** The chat's path: a stream, outside the request timeout. */
  public static final String CHAT_PATH = "/api/ai/chat";

  private static final Set<String> CHAT_FIELDS =
      Set.of("message", "system_prompt", "cwd", "session_id");
  private static final Pattern PROCESS_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

  private final AiHubClient hub;
  private final SseCallers callers;
  private final AiSessionOwners owners = new AiSessionOwners();

  /**
   * @param vertx the Vert.x instance, for the pings
   * @param hub the client, or {@code null} when the AI hub is not configured
   * @param ping how often an open chat stream gets a comment ping, so that the connection is not
   *     idle while the hub works, and its caller's credential is checked again
   * @param authenticator checks the credentials of open chats again: a chat whose user is demoted
   *     to viewer, disabled or deleted, or whose session is revoked, ends (and stops on the hub)
   */
  public AiRoutes(Vertx vertx, AiHubClient hub, Duration ping, Authenticator authenticator) {
    this.hub = hub;
    this.callers = new SseCallers(vertx, ping, authenticator);
  }

  /**
   * Ends every open chat with a last {@code event: close} saying why; each stops on the hub.
   *
   * @param reason why
   */
  public void endChats(String reason) {
    callers.endAll(reason);
  }

  /**
   * @param path a request path
   * @return whether it is the chat's, which streams for as long as the chat runs
   */
  public static boolean isStreamPath(String path) {
    return Routes.withoutTrailingSlashes(path).equals(CHAT_PATH);
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.jsonRoute(HttpMethod.POST, CHAT_PATH, Role.USER, configured(this::chat));
    routes.route(
        HttpMethod.DELETE, "/api/ai/chat/:process_id", Role.USER, configured(this::cancel));
    routes.route(HttpMethod.GET, "/api/ai/processes", Role.USER, configured(this::processes));
  }

  private Handler<RoutingContext> configured(Handler<RoutingContext> handler) {
    if (hub != null) {
      return handler;
    }
    return ctx ->
        ctx.fail(
            new ErrorHandler.ApiException(
                404, NOT_CONFIGURED, "the AI hub is not configured on this server (AI_HUB_URL)"));
  }

  private void cancel(RoutingContext ctx) {
    String processId = ctx.pathParam("process_id");
    if (processId == null || !PROCESS_ID.matcher(processId).matches()) {
      throw new ValidationException(
          "process_id", "a process id is 1 to 100 letters, digits and '-'");
    }
    Principal caller = Principal.of(ctx);
    if (caller.role() == Role.ADMIN) {
      Responses.json(ctx, 200, hub.cancel(processId));
      return;
    }
    // Another user's process is answered exactly like one that is not running.
    Responses.json(
        ctx,
        200,
        hub.processes()
            .compose(
                processes ->
                    processes.stream()
                            .anyMatch(p -> p.processId().equals(processId) && sees(caller, p))
                        ? hub.cancel(processId)
                        : Future.failedFuture(
                            new NotFoundException(
                                "AI_PROCESS_NOT_FOUND",
                                "no AI process " + processId + " is running"))));
  }

  /** An administrator sees every process of the hub, a user those of their own sessions. */
  private boolean sees(Principal caller, AiProcess process) {
    return caller.role() == Role.ADMIN || owners.owns(caller.userId(), process.sessionId());
  }

  private void processes(RoutingContext ctx) {
    Principal caller = Principal.of(ctx);
    Responses.json(
        ctx,
        200,
        hub.processes()
            .map(
                all -> {
                  List<AiProcess> processes = all.stream().filter(p -> sees(caller, p)).toList();
                  return new JsonObject()
                      .put(
                          "processes",
                          new JsonArray(processes.stream().map(AiProcess::json).toList()))
                      .put("count", processes.size());
                }));
  }

  private void chat(RoutingContext ctx) {
    JsonObject body = Routes.body(ctx);
    Params.onlyFields(body, CHAT_FIELDS);
    ChatRequest request =
        new ChatRequest(
            text(body, "message"),
            text(body, "system_prompt"),
            text(body, "cwd"),
            text(body, "session_id"));
    Principal caller = Principal.of(ctx);
    boolean admin = caller.role() == Role.ADMIN;
    if (request.sessionId() != null
        && !admin
        && owners.othersOwn(request.sessionId(), caller.userId())) {
      // Another user's conversation: answered like a session the hub does not know.
      throw new NotFoundException(
          "AI_SESSION_NOT_FOUND", "no AI session " + request.sessionId() + " of yours");
    }
    // The session becomes the caller's when the hub begins it (its system/init event), so that a
    // made-up or refused id is never recorded; an administrator going on with a session takes it
    // from nobody.
    AiSessionOwners recorder = admin && request.sessionId() != null ? null : owners;
    Relay relay = new Relay(ctx, callers.prepare(ctx), recorder, caller.userId());
    hub.chat(request, relay).onComplete(relay::opened);
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw new ValidationException(field, field + " must be a string");
  }

  /**
   * One chat: the hub's events written to the caller as they come, paced by the caller. The
   * event-stream head goes out once the hub has answered, so that a failure before it is a plain
   * error answer; from then on the caller is an {@link SseCallers.Caller}, pinged and checked again
   * like every stream.
   */
  private static final class Relay implements ChatListener {

    private final RoutingContext ctx;
    private final HttpServerResponse response;
    private final SseCallers.Caller caller;
    private final AiSessionOwners owners; // null: this chat records no session
    private final String userId;
    private boolean sessionSeen; // the hub's system/init event named the chat's session
    private ChatStream stream; // once the hub answered
    private boolean started; // the head is written
    private boolean paused; // wanted while the caller's queue is full
    private boolean gone; // the caller left, or its stream ended

    Relay(RoutingContext ctx, SseCallers.Caller caller, AiSessionOwners owners, String userId) {
      this.ctx = ctx;
      this.response = ctx.response();
      this.caller = caller;
      this.owners = owners;
      this.userId = userId;
      // Until the head is written; then the caller's own close handling calls left().
      response.closeHandler(v -> left());
      caller.onDrain(
          () -> {
            if (paused) {
              paused = false;
              if (stream != null) {
                stream.resume();
              }
            }
          });
    }

    void opened(io.vertx.core.AsyncResult<ChatStream> result) {
      if (result.failed()) {
        if (!gone) {
          ctx.fail(result.cause());
        }
        return;
      }
      stream = result.result();
      if (gone) {
        stream.close();
        return;
      }
      if (paused) {
        stream.pause();
      }
      if (!response.ended()) {
        start();
      }
    }

    private void start() {
      if (!started) {
        started = true;
        caller.start(this::left);
      }
    }

    @Override
    public void onEvent(SseEvent event) {
      if (gone || response.ended()) {
        return;
      }
      start();
      if (!sessionSeen && owners != null && !claimSession(event)) {
        return; // another user's session: the chat is ended, this event not passed on
      }
      caller.send(frame(event));
      if (caller.writeQueueFull() && !paused) {
        paused = true;
        if (stream != null) {
          stream.pause();
        }
      }
    }

    @Override
    public void onEnd() {
      if (!gone && !response.ended()) {
        start();
        response.end();
      }
    }

    @Override
    public void onFailure(Throwable failure) {
      if (gone || response.ended()) {
        return;
      }
      if (!response.headWritten()) {
        ctx.fail(failure);
      } else {
        Responses.cut(ctx, failure);
      }
    }

    /**
     * The session the hub began (or went on with) for this chat becomes the caller's, before its
     * first event reaches the caller. Should another user's chat in the same session have claimed
     * it first (two chats naming a session nobody owned yet), this chat ends, and stops on the hub.
     *
     * @return false if the chat was ended for that
     */
    private boolean claimSession(SseEvent event) {
      if (!event.data().contains("\"init\"")) {
        return true; // not the system/init event: no need to parse it
      }
      String session;
      try {
        JsonObject data = new JsonObject(event.data());
        if (!"system".equals(data.getString("type"))
            || !"init".equals(data.getString("subtype"))
            || !(data.getValue("session_id") instanceof String id)) {
          return true;
        }
        session = id;
      } catch (RuntimeException notAnObject) {
        return true; // passed through as it is; it names no session
      }
      sessionSeen = true;
      if (owners.claim(session, userId)) {
        return true;
      }
      caller.end("the AI session is another user's");
      return false;
    }

    private void left() {
      if (!gone) {
        gone = true;
        if (stream != null) {
          stream.close();
        }
      }
    }
  }

  /** An event as the hub sent it: its id (if any), its name and its data, line by line. */
  static Buffer frame(SseEvent event) {
    StringBuilder frame = new StringBuilder();
    if (event.id() != null) {
      frame.append("id: ").append(event.id()).append('\n');
    }
    frame.append("event: ").append(event.type()).append('\n');
    for (String line : event.data().split("\n", -1)) {
      frame.append("data: ").append(line).append('\n');
    }
    return Buffer.buffer(frame.append('\n').toString());
  }
}
