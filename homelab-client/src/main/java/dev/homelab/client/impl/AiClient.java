package dev.homelab.client.impl;

import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.ai.AiApi;
import dev.homelab.client.ai.AiProcess;
import dev.homelab.client.ai.ChatEvent;
import dev.homelab.client.ai.ChatListener;
import dev.homelab.client.ai.ChatRequest;
import dev.homelab.client.ai.ChatSubscription;
import dev.homelab.sse.SseEvent;
import dev.homelab.sse.SseException;
import dev.homelab.sse.SseReader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AiApi} over the transport. A chat's stream is read with the shared {@link SseReader}, as
 * the event subscriptions read theirs, on a connection of its own; it is never reconnected (a chat
 * is not repeated). Open chats are kept, so that closing the client closes them.
 */
final class AiClient implements AiApi {

  private final Transport transport;
  private final Set<Chat> chats = ConcurrentHashMap.newKeySet();

  AiClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<ChatSubscription> chat(ChatRequest request, ChatListener listener) {
    Context context = transport.vertx().getOrCreateContext();
    return Future.<Future<ChatSubscription>>future(
            started ->
                context.runOnContext(
                    v ->
                        started.complete(
                            transport
                                .openStream(HttpMethod.POST, "/api/ai/chat", request.toJson(), 200)
                                .map(
                                    answer ->
                                        (ChatSubscription)
                                            new Chat(
                                                    context,
                                                    (HttpClientResponse) answer.body(),
                                                    listener)
                                                .start()))))
        .compose(started -> started);
  }

  @Override
  public Future<String> cancel(String processId) {
    return transport
        .send(
            transport.credential(),
            HttpMethod.DELETE,
            "/api/ai/chat/" + Transport.segment(processId),
            java.util.Map.of(),
            null,
            200)
        .map(answer -> answer.bodyAsJsonObject().getString("process_id"));
  }

  @Override
  public Future<List<AiProcess>> processes() {
    return transport.getList("/api/ai/processes", "processes", AiProcess::fromJson);
  }

  /** Closes every open chat; called when the client closes. */
  void closeAll() {
    chats.forEach(Chat::close);
    chats.clear();
  }

  /** One chat's stream: its paused response, read event by event on one context. */
  private final class Chat implements ChatSubscription {

    private final Context context;
    private final HttpClientResponse response;
    private final ChatListener listener;
    private volatile boolean finished;

    Chat(Context context, HttpClientResponse response, ChatListener listener) {
      this.context = context;
      this.response = response;
      this.listener = listener;
    }

    Chat start() {
      chats.add(this);
      SseReader reader = new SseReader(SseReader.DEFAULT_MAX_RECORD_SIZE, null, this::event);
      response.handler(
          chunk -> {
            if (finished) {
              return;
            }
            try {
              reader.handle(chunk);
            } catch (SseException e) {
              fail(new HomelabConnectionException("malformed chat stream: " + e.getMessage(), e));
              response.request().connection().close();
            }
          });
      response.exceptionHandler(
          e -> fail(new HomelabConnectionException("the chat stream broke", e)));
      response.endHandler(
          v -> {
            if (!finished) {
              finished = true;
              chats.remove(this);
              listener.onEnd();
            }
          });
      response
          .request()
          .connection()
          .closeHandler(
              v -> fail(new HomelabConnectionException("the chat stream was closed", null)));
      response.resume();
      return this;
    }

    private void event(SseEvent event) {
      if (!finished) {
        listener.onEvent(new ChatEvent(event.id(), event.type(), event.data()));
      }
    }

    private void fail(Throwable failure) {
      if (!finished) {
        finished = true;
        chats.remove(this);
        listener.onFailure(failure);
      }
    }

    private void onContext(Runnable action) {
      if (Vertx.currentContext() == context) {
        action.run();
      } else {
        context.runOnContext(v -> action.run());
      }
    }

    @Override
    public void pause() {
      onContext(response::pause);
    }

    @Override
    public void resume() {
      onContext(response::resume);
    }

    @Override
    public void close() {
      onContext(
          () -> {
            chats.remove(this);
            if (!finished) {
              finished = true;
              response.request().connection().close();
            }
          });
    }
  }
}
