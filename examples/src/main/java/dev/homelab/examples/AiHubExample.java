package dev.homelab.examples;

import dev.homelab.core.upstream.aihub.AiHubClient;
import dev.homelab.core.upstream.aihub.AiHubOptions;
import dev.homelab.core.upstream.aihub.ChatListener;
import dev.homelab.core.upstream.aihub.ChatRequest;
import dev.homelab.simulators.aihub.AiHubSimulator;
import dev.homelab.sse.SseEvent;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams one chat from the AI hub, event by event as the hub sends them (unmodified), to its end.
 * The hub's simulator stands in for the real one; with a real hub only the base URL and the
 * password change.
 */
public final class AiHubExample {

  private AiHubExample() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits with {@code await()}: call it from a plain or a virtual thread, never an event loop.
   *
   * @param vertx the Vert.x instance
   * @return the type of each event of the chat, in order, then how it ended
   */
  static List<String> run(Vertx vertx) {
    AiHubSimulator simulator = AiHubSimulator.start(vertx).await();
    AiHubClient hub =
        AiHubClient.create(
            vertx,
            new AiHubOptions()
                .setBaseUrl(URI.create(simulator.baseUrl()))
                .setPassword("hub-secret")); // the simulator's; never logged or shown
    List<String> out = new ArrayList<>();
    Promise<String> ended = Promise.promise();
    try {
      hub.chat(
              ChatRequest.of("Which of my VMs use the most memory?"),
              new ChatListener() {
                @Override
                public void onEvent(SseEvent event) {
                  synchronized (out) {
                    out.add(event.type());
                  }
                }

                @Override
                public void onEnd() {
                  ended.tryComplete("ended");
                }

                @Override
                public void onFailure(Throwable failure) {
                  ended.tryComplete("failed: " + failure.getMessage());
                }
              })
          .await();
      String how = ended.future().await();
      synchronized (out) {
        out.add(how);
        return List.copyOf(out);
      }
    } finally {
      hub.close().await();
      simulator.stop().await();
    }
  }
}
