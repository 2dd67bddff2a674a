package dev.homelab.client.ai;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.internal.Waiter;
import java.util.List;

/**
 * The AI endpoints of {@link AiApi} for code that waits: each method calls the asynchronous one and
 * waits for its answer, as {@link BlockingHomelabClient} describes; {@link #chat} waits until the
 * stream starts, its events still go to the listener. Thread-safe.
 */
public final class BlockingAi {

  private final AiApi ai;
  private final Waiter waiter;

  /**
   * @param ai the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingAi(AiApi ai, long timeoutMs) {
    this.ai = ai;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link AiApi#chat}: waits for the stream to start.
   *
   * @param request the message
   * @param listener what to tell
   * @return the subscription
   */
  public ChatSubscription chat(ChatRequest request, ChatListener listener) {
    return waiter.await(ai.chat(request, listener));
  }

  /**
   * Like {@link AiApi#cancel}.
   *
   * @param processId the chat's process id
   * @return the process id cancelled
   */
  public String cancel(String processId) {
    return waiter.await(ai.cancel(processId));
  }

  /**
   * Like {@link AiApi#processes()}.
   *
   * @return the chats running now
   */
  public List<AiProcess> processes() {
    return waiter.await(ai.processes());
  }
}
