package dev.homelab.client.automations;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.internal.Waiter;

/**
 * The automation endpoints of {@link AutomationsApi} for code that waits: each method calls the
 * asynchronous one and waits for its answer, as {@link BlockingHomelabClient} describes.
 * Thread-safe.
 */
public final class BlockingAutomations {

  private final AutomationsApi automations;
  private final Waiter waiter;

  /**
   * @param automations the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call waits at most that, plus a
   *     second of grace
   */
  public BlockingAutomations(AutomationsApi automations, long timeoutMs) {
    this.automations = automations;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link AutomationsApi#list()}.
   *
   * @return every automation
   */
  public AutomationList list() {
    return waiter.await(automations.list());
  }

  /**
   * Like {@link AutomationsApi#get(String)}.
   *
   * @param name an automation or container name
   * @return the automation
   */
  public Automation get(String name) {
    return waiter.await(automations.get(name));
  }

  /**
   * Like {@link AutomationsApi#start(String)}.
   *
   * @param name an automation or container name
   * @return the automation API's answer
   */
  public AutomationAction start(String name) {
    return waiter.await(automations.start(name));
  }

  /**
   * Like {@link AutomationsApi#stop(String)}.
   *
   * @param name an automation or container name
   * @return the automation API's answer
   */
  public AutomationAction stop(String name) {
    return waiter.await(automations.stop(name));
  }

  /**
   * Like {@link AutomationsApi#restart(String)}.
   *
   * @param name an automation or container name
   * @return the automation API's answer
   */
  public AutomationAction restart(String name) {
    return waiter.await(automations.restart(name));
  }

  /**
   * Like {@link AutomationsApi#logs}: returns at once; the listener is called on the client's event
   * loop.
   *
   * @param name an automation or container name
   * @param listener what to tell
   * @return the subscription
   */
  public EventSubscription logs(String name, AutomationLogListener listener) {
    return automations.logs(name, listener);
  }
}
