package dev.homelab.core.upstream.aihub.impl;

import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.aihub.ChatListener;
import dev.homelab.core.upstream.aihub.ChatStream;
import dev.homelab.core.upstream.impl.StreamedBody;
import dev.homelab.sse.SseEvent;
import dev.homelab.sse.SseException;
import dev.homelab.sse.SseReader;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One chat's stream: the paused body read with {@link SseReader}, each event handed to the listener
 * as read; a body that stalls fails the chat with the {@link StreamedBody}'s timeout. The body's
 * handlers run on the context that sent the chat; flow control calls from other threads are moved
 * there.
 */
final class ChatStreamImpl implements ChatStream {

  private static final Logger log = LoggerFactory.getLogger(ChatStreamImpl.class);

  private final String upstream;
  private final StreamedBody body;
  private final ChatListener listener;
  private final Context context;
  private volatile boolean finished;
  private volatile String sessionId;
  private volatile String processId;

  ChatStreamImpl(String upstream, StreamedBody body, ChatListener listener) {
    this.upstream = upstream;
    this.body = body;
    this.listener = listener;
    Context current = Vertx.currentContext();
    this.context = current;
  }

  ChatStreamImpl start() {
    SseReader reader =
        new SseReader(
            SseReader.DEFAULT_MAX_RECORD_SIZE,
            null,
            new SseReader.Listener() {
              @Override
              public void onEvent(SseEvent event) {
                event(event);
              }
            });
    body.handler(
        chunk -> {
          if (finished) {
            return;
          }
          try {
            reader.handle(chunk);
          } catch (SseException e) {
            fail(UpstreamException.unavailable(upstream, "malformed event stream"));
            body.cancel();
          }
        });
    body.exceptionHandler(
        e ->
            fail(
                e instanceof UpstreamException stalled
                    ? stalled
                    : UpstreamException.unavailable(
                        upstream, "the connection was closed or reset")));
    body.endHandler(
        v -> {
          if (!finished) {
            finished = true;
            listener.onEnd();
          }
        });
    body.resume();
    return this;
  }

  private void event(SseEvent event) {
    if (finished) {
      return;
    }
    peek(event);
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("{}: a chat listener failed; the chat's stream is closed", upstream, e);
      close();
    }
  }

  /** Notes the session and process ids, reading the event without changing it. */
  private void peek(SseEvent event) {
    boolean init = sessionId == null && event.data().contains("\"init\"");
    boolean done = "done".equals(event.type());
    if (!init && !done) {
      return;
    }
    try {
      JsonObject data = new JsonObject(event.data());
      if (done) {
        processId = data.getValue("process_id") instanceof String id ? id : null;
      } else if ("system".equals(data.getValue("type"))
          && "init".equals(data.getValue("subtype"))) {
        sessionId = data.getValue("session_id") instanceof String id ? id : null;
      }
    } catch (DecodeException | ClassCastException e) {
      // Not JSON: passed on as it is; there is just no id to note.
    }
  }

  private void fail(UpstreamException failure) {
    if (!finished) {
      finished = true;
      listener.onFailure(failure);
    }
  }

  private void onContext(Runnable action) {
    if (context == null || Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  @Override
  public void pause() {
    onContext(body::pause);
  }

  @Override
  public void resume() {
    onContext(body::resume);
  }

  @Override
  public void close() {
    if (!finished) {
      finished = true;
      onContext(body::cancel);
    }
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public String processId() {
    return processId;
  }
}
