package dev.homelab.server.http;

import dev.homelab.server.auth.Authenticator;
import dev.homelab.server.auth.Principal;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open callers of one Server-Sent Events route that passes on a feed it does not own (an
 * upstream's log stream, the MQTT bridge's messages): each caller's response with its headers, a
 * {@code : connected} comment, a comment ping, and an end, by the caller leaving, by {@link
 * Caller#end(String) a last {@code event: close}} or by dropping a caller that stopped reading.
 *
 * <p>Like {@code /api/events}, a caller's credential is checked again after every change on this
 * instance that may take rights away and at every ping: a caller that was demoted, disabled,
 * deleted or whose token or key was revoked gets a last {@code event: close} and reconnects, to be
 * refused or to see what its new role may see.
 *
 * <p>A route {@linkplain #prepare(RoutingContext) prepares} a caller first, so that it can refuse
 * the request (a 422) before anything is written, subscribes it to its feed, then {@linkplain
 * Caller#start(Runnable) starts} it. Every method of a caller except {@link
 * Caller#sendFromAnyThread} runs on the response's context.
 */
public final class SseCallers {

  private static final Buffer PING = Buffer.buffer(": ping\n\n");

  private final Vertx vertx;
  private final Duration ping;
  private final Authenticator authenticator;
  private final Set<Caller> open = ConcurrentHashMap.newKeySet();
  private volatile String closing; // why every caller ends, once endAll was called

  /**
   * @param vertx the Vert.x instance
   * @param ping how often each caller gets a comment ping and its credential is checked again
   * @param authenticator checks the credentials of open callers again
   */
  public SseCallers(Vertx vertx, Duration ping, Authenticator authenticator) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.ping = Objects.requireNonNull(ping, "ping");
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    authenticator.onChange(
        affected ->
            open.forEach(
                caller -> {
                  if (affected.test(caller.principal)) {
                    caller.recheck();
                  }
                }));
  }

  /**
   * Makes a response an event stream: chunked, {@code text/event-stream}, never cached, buffered or
   * compressed on the way (each would hold events back).
   *
   * @param response the response, before anything is written
   */
  public static void writeHead(HttpServerResponse response) {
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .putHeader("X-Accel-Buffering", "no")
        .putHeader("Content-Encoding", "identity");
  }

  /**
   * @param ctx the request, on its own context
   * @return a caller, not started: nothing is written yet
   */
  public Caller prepare(RoutingContext ctx) {
    return new Caller(
        ctx.response(),
        ctx.request().connection(),
        vertx.getOrCreateContext(),
        Principal.of(ctx),
        Authenticator.credentialOf(ctx.request()));
  }

  /**
   * Ends every open caller with a last {@code event: close} saying why, and every caller that
   * starts afterwards as it starts (the server is shutting down).
   *
   * @param reason the reason, for the caller
   */
  public void endAll(String reason) {
    // A caller that starts from now on (its upstream answered late) ends at once, with the reason.
    closing = reason;
    for (Caller caller : open) {
      caller.context.runOnContext(v -> caller.end(reason));
    }
  }

  /**
   * @return the callers open now
   */
  public int size() {
    return open.size();
  }

  /** One caller: its response, its ping, and what to cancel when it ends. */
  public final class Caller {

    private final HttpServerResponse response;
    private final HttpConnection connection;
    private final Context context;
    private final Principal principal;
    private final String credential;
    private Runnable onClose = () -> {};
    private long timer = -1;
    private boolean closed;

    private Caller(
        HttpServerResponse response,
        HttpConnection connection,
        Context context,
        Principal principal,
        String credential) {
      this.response = response;
      this.connection = connection;
      this.context = context;
      this.principal = principal;
      this.credential = credential;
    }

    /**
     * Writes the event-stream head and a {@code : connected} comment and starts the ping.
     *
     * @param onClose called once when the caller ends for any reason: cancels its subscription
     * @return false if the caller had already left, or was ended at once because the server is
     *     shutting down (then {@code onClose} has run)
     */
    public boolean start(Runnable onClose) {
      this.onClose = Objects.requireNonNull(onClose, "onClose");
      writeHead(response);
      response.closeHandler(v -> close());
      response.endHandler(v -> close());
      if (response.closed()) {
        close();
        return false;
      }
      open.add(this);
      if (closing != null) {
        end(closing);
        return false;
      }
      // A change made between the request's authentication and now reached no listener for it.
      recheck();
      response.write(Buffer.buffer(": connected\n\n"));
      timer =
          vertx.setPeriodic(
              ping.toMillis(),
              id -> {
                send(PING);
                recheck();
              });
      return true;
    }

    /** Ends the stream if its credential no longer gives the rights it was opened with. */
    private void recheck() {
      authenticator
          .recheck(credential, principal)
          .onSuccess(
              reason -> {
                if (reason != null) {
                  context.runOnContext(v -> end(reason));
                }
              });
    }

    /**
     * @param frame a whole SSE frame, written unless the caller has ended
     */
    public void send(Buffer frame) {
      if (!closed && !response.ended()) {
        response.write(frame);
      }
    }

    /**
     * Sends a frame from the feed's thread. A caller whose write queue is full has stopped reading
     * and is dropped (its connection closed) rather than buffered for without bound.
     *
     * @param frame a whole SSE frame
     */
    public void sendFromAnyThread(Buffer frame) {
      context.runOnContext(
          v -> {
            if (closed) {
              return;
            }
            if (response.writeQueueFull()) {
              drop();
              return;
            }
            send(frame);
          });
    }

    /**
     * @return whether the response's write queue is full: the caller is not reading as fast as
     *     frames come
     */
    public boolean writeQueueFull() {
      return !closed && response.writeQueueFull();
    }

    /**
     * @param handler called when a full write queue has drained
     */
    public void onDrain(Runnable handler) {
      response.drainHandler(v -> handler.run());
    }

    /** Drops a caller that stopped reading: its connection is closed, without a last event. */
    public void drop() {
      close();
      connection.close();
    }

    /**
     * Ends the stream with a last {@code event: close} {@code {reason}}.
     *
     * @param reason why, for the caller
     */
    public void end(String reason) {
      if (!closed && !response.ended()) {
        response.end(
            "event: close\ndata: " + new JsonObject().put("reason", reason).encode() + "\n\n");
      }
      close();
    }

    /**
     * @return the response's context, where the caller's methods run
     */
    public Context context() {
      return context;
    }

    private void close() {
      if (closed) {
        return;
      }
      closed = true;
      open.remove(this);
      vertx.cancelTimer(timer);
      onClose.run();
    }
  }
}
