package dev.homelab.server.routes;

import dev.homelab.core.identity.Role;
import dev.homelab.core.upstream.SharedEventStream.DropReason;
import dev.homelab.core.upstream.SharedEventStream.Subscriber;
import dev.homelab.core.upstream.SharedEventStream.Subscription;
import dev.homelab.core.upstream.automation.AutomationAction;
import dev.homelab.core.upstream.automation.AutomationClient;
import dev.homelab.core.upstream.automation.AutomationControl;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import dev.homelab.server.http.SseCallers;
import dev.homelab.sse.SseEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * {@code /api/automations}: the automation containers of seed 003, their audited start, stop and
 * restart (administrators only, {@link AutomationControl}), and their logs as Server-Sent Events.
 * Answers of the automation API are passed on as it sent them. Upstream failures reach the error
 * handler as core's {@code UpstreamException}s (502, 504); a name core refuses is 422. Without a
 * client (no {@code AUTOMATION_API_URL}) every route answers 404 {@code
 * AUTOMATIONS_NOT_CONFIGURED}.
 *
 * <p>Logs: every caller following one automation shares the client's one upstream connection
 * ({@link AutomationClient#logs}); its {@code event: log} records are passed through. The server
 * sends its own {@code : ping} comment every {@code EVENTS_PING_SECONDS}, also while the upstream
 * reconnects. A caller that stops reading is paused in the shared stream and dropped (its
 * connection closed) once its buffer is full, without slowing the others.
 */
public final class AutomationRoutes {

  /** The error code of every route when the automation API is not configured. */
  public static final String NOT_CONFIGURED = "AUTOMATIONS_NOT_CONFIGURED";

  private final Vertx vertx;
  private final AutomationClient client;
  private final AutomationControl control;
  private final Actors actors;
  private final SseCallers callers;
  private final Counter tooSlow;

  /**
   * @param vertx the Vert.x instance
   * @param client the client, or {@code null} when the automation API is not configured
   * @param control the audited actions, or {@code null} with the client
   * @param actors builds the actor of a request
   * @param authenticator checks the credentials of open streams again
   * @param ping how often a log stream gets a comment ping
   * @param registry where the dropped callers are counted, or {@code null} for no meters
   */
  public AutomationRoutes(
      Vertx vertx,
      AutomationClient client,
      AutomationControl control,
      Actors actors,
      Authenticator authenticator,
      Duration ping,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.client = client;
    this.control = control;
    this.actors = actors;
    this.callers = new SseCallers(vertx, ping, authenticator);
    // Counted here, where the drop becomes a closed connection, so an operator sees callers that
    // cannot keep up (a phone on a bad link, a stuck script) in /metrics.
    this.tooSlow =
        registry == null
            ? null
            : Counter.builder("homelab.automations.log.callers.dropped")
                .description("Automation log callers dropped for not reading fast enough")
                .register(registry);
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.GET, "/api/automations", Role.VIEWER, configured(this::list));
    routes.route(HttpMethod.GET, "/api/automations/:name", Role.VIEWER, configured(this::get));
    for (AutomationControl.Action action : AutomationControl.Action.values()) {
      // The rule (admins only) is AutomationControl's: any principal reaches it and is told 403.
      routes.route(
          HttpMethod.POST,
          "/api/automations/:name/" + action.apiName(),
          Role.VIEWER,
          configured(ctx -> act(ctx, action)));
    }
    routes.route(
        HttpMethod.GET, "/api/automations/:name/logs", Role.VIEWER, configured(this::logs));
  }

  /**
   * Ends every open log stream with a last {@code event: close} saying why.
   *
   * @param reason why
   */
  public void endStreams(String reason) {
    callers.endAll(reason);
  }

  private Handler<RoutingContext> configured(Handler<RoutingContext> handler) {
    if (client != null) {
      return handler;
    }
    return ctx ->
        ctx.fail(
            new ErrorHandler.ApiException(
                404,
                NOT_CONFIGURED,
                "The automation API is not configured on this server (AUTOMATION_API_URL)"));
  }

  private void list(RoutingContext ctx) {
    Responses.json(ctx, 200, client.list().map(list -> list.json()));
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, 200, client.get(ctx.pathParam("name")).map(found -> found.json()));
  }

  private void act(RoutingContext ctx, AutomationControl.Action action) {
    Responses.json(
        ctx,
        200,
        control.act(actors.of(ctx), ctx.pathParam("name"), action).map(AutomationAction::json));
  }

  private void logs(RoutingContext ctx) {
    LogStream stream = new LogStream(callers.prepare(ctx));
    // Refuses a bad name (422) before anything is written or sent.
    Subscription subscription = client.logs(ctx.pathParam("name"), stream);
    stream.subscription = subscription;
    stream.caller.start(subscription::cancel);
  }

  /** One caller's log stream: its response and its place in the shared stream. */
  private final class LogStream implements Subscriber {

    private final SseCallers.Caller caller;
    private volatile Subscription subscription;

    LogStream(SseCallers.Caller caller) {
      this.caller = caller;
    }

    @Override
    public void onEvent(SseEvent event) {
      Buffer frame = frame(event);
      caller
          .context()
          .runOnContext(
              v -> {
                caller.send(frame);
                if (caller.writeQueueFull()) {
                  // Buffered in the shared stream from now on; dropped there when its buffer is
                  // full.
                  subscription.pause();
                  caller.onDrain(() -> subscription.resume());
                }
              });
    }

    @Override
    public void onDropped(DropReason reason, Throwable cause) {
      caller
          .context()
          .runOnContext(
              v -> {
                if (reason == DropReason.TOO_SLOW) {
                  caller.drop();
                  if (tooSlow != null) {
                    tooSlow.increment();
                  }
                } else if (reason == DropReason.REFUSED) {
                  caller.end(
                      "the automation API refused the log stream: unknown automation or"
                          + " credentials");
                } else {
                  caller.end("the log stream ended");
                }
              });
    }
  }

  /** An upstream event as SSE: its id when it has one, its type, and its data line by line. */
  static Buffer frame(SseEvent event) {
    StringBuilder out = new StringBuilder(event.data().length() + 32);
    if (event.id() != null && !event.id().isEmpty() && event.id().indexOf('\n') < 0) {
      out.append("id: ").append(event.id()).append('\n');
    }
    out.append("event: ").append(event.type()).append('\n');
    for (String line : event.data().split("\n", -1)) {
      out.append("data: ").append(line).append('\n');
    }
    return Buffer.buffer(out.append('\n').toString());
  }
}
