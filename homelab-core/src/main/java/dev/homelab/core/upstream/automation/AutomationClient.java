package dev.homelab.core.upstream.automation;

import dev.homelab.core.upstream.SharedEventStream.Subscriber;
import dev.homelab.core.upstream.SharedEventStream.Subscription;
import dev.homelab.core.upstream.SharedEventStreams;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.automation.impl.AutomationClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A client of the automation-container API of seed 003 ({@code AUTOMATION_API_URL}): list and
 * inspect automations, start, stop and restart them, and follow their logs.
 *
 * <p>Every request carries HTTP Basic credentials and is bounded by {@link
 * AutomationOptions#getTimeout()} (5 s by default). Reads are retried with backoff when the API is
 * unreachable or answers 5xx; actions are sent exactly once. Failures are {@link
 * dev.homelab.core.upstream.UpstreamException}s (an unknown automation is a {@link
 * dev.homelab.core.NotFoundException}); a name that is not an automation's is refused with a {@link
 * dev.homelab.core.ValidationException} before any request (a failed future, or thrown by {@link
 * #logs}). An automation is named by its automation name ({@code main/kitchen/motion_light}) or its
 * container name.
 *
 * <p>Logs are shared: all subscribers of one automation's logs share one upstream SSE connection
 * ({@link SharedEventStreams}), opened by the first and closed after the last, reconnecting when
 * the API drops it.
 *
 * <p>Thread-safe. Futures complete on the caller's context; log subscribers are called as {@link
 * dev.homelab.core.upstream.SharedEventStream} says.
 */
public interface AutomationClient {

  /**
   * Creates a client; nothing is sent until a method is called.
   *
   * @param vertx the Vert.x instance
   * @param options where the API is and how to reach it; copied
   * @return the client
   * @throws IllegalArgumentException if the options have no base URL
   */
  static AutomationClient create(Vertx vertx, AutomationOptions options) {
    return new AutomationClientImpl(vertx, options);
  }

  /**
   * @return every automation ({@code GET /api/automations})
   */
  Future<AutomationList> list();

  /**
   * @param name an automation or container name
   * @return the automation; fails with {@link dev.homelab.core.NotFoundException} if the API does
   *     not know it, with {@link dev.homelab.core.ValidationException} (nothing sent) if the name
   *     is not a valid one
   */
  Future<Automation> get(String name);

  /**
   * Starts an automation's container, once ({@code POST /api/control/{name}/start}).
   *
   * @param name an automation or container name
   * @return the API's answer; fails with {@link dev.homelab.core.NotFoundException} if the API does
   *     not know it, with {@link dev.homelab.core.ValidationException} (nothing sent) if the name
   *     is not a valid one
   */
  Future<AutomationAction> start(String name);

  /**
   * Stops an automation's container, once.
   *
   * @param name an automation or container name
   * @return the API's answer; fails with {@link dev.homelab.core.NotFoundException} if the API does
   *     not know it, with {@link dev.homelab.core.ValidationException} (nothing sent) if the name
   *     is not a valid one
   */
  Future<AutomationAction> stop(String name);

  /**
   * Restarts an automation's container, once.
   *
   * @param name an automation or container name
   * @return the API's answer; fails with {@link dev.homelab.core.NotFoundException} if the API does
   *     not know it, with {@link dev.homelab.core.ValidationException} (nothing sent) if the name
   *     is not a valid one
   */
  Future<AutomationAction> restart(String name);

  /**
   * Follows an automation's log ({@code GET /api/logs/{name}}): {@code event: log} events, passed
   * through unchanged. Subscribers of the same name share one upstream connection; those present
   * when it opens also get the last {@link AutomationOptions#getLogLines()} lines. A reconnection
   * resumes after the last line seen if the API sends ids; if it does not, it asks for no past
   * lines, so that nothing is repeated (lines logged while disconnected are then missed). An
   * automation the API does not know, or refused credentials, drop the subscriber with {@link
   * dev.homelab.core.upstream.SharedEventStream.DropReason#REFUSED}.
   *
   * @param name an automation or container name
   * @param subscriber what to tell
   * @return the subscription; cancel it to leave
   * @throws dev.homelab.core.ValidationException if the name is not a valid one
   */
  Subscription logs(String name, Subscriber subscriber);

  /**
   * @return the shared log streams, one per automation followed now, with their counters
   */
  SharedEventStreams<String> logStreams();

  /**
   * @return whether the API answers, how fast, and its breaker's state; never fails
   */
  Future<UpstreamStatus> probe();

  /**
   * Ends every log stream and closes the connections.
   *
   * @return completes once done
   */
  Future<Void> close();
}
