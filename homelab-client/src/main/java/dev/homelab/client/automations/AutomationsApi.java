package dev.homelab.client.automations;

import dev.homelab.client.events.EventSubscription;
import io.vertx.core.Future;

/**
 * The automation containers through the server: {@code /api/automations}. A server without {@code
 * AUTOMATION_API_URL} answers every call with {@link dev.homelab.client.HomelabNotFoundException}
 * ({@code AUTOMATIONS_NOT_CONFIGURED}); the automation API unreachable or too slow fails with
 * {@link dev.homelab.client.HomelabHttpException} 502 or 504. An automation is named by its
 * automation name ({@code main/kitchen/motion_light}) or its container name; a name that is neither
 * fails with {@link dev.homelab.client.HomelabValidationException}.
 */
public interface AutomationsApi {

  /**
   * {@code GET /api/automations}.
   *
   * @return every automation
   */
  Future<AutomationList> list();

  /**
   * {@code GET /api/automations/{name}}.
   *
   * @param name an automation or container name
   * @return the automation; an unknown one fails with {@link
   *     dev.homelab.client.HomelabNotFoundException}
   */
  Future<Automation> get(String name);

  /**
   * {@code POST /api/automations/{name}/start}: administrators only (others fail with {@link
   * dev.homelab.client.HomelabForbiddenException}), sent once and audited.
   *
   * @param name an automation or container name
   * @return the automation API's answer
   */
  Future<AutomationAction> start(String name);

  /**
   * {@code POST /api/automations/{name}/stop}, like {@link #start}.
   *
   * @param name an automation or container name
   * @return the automation API's answer
   */
  Future<AutomationAction> stop(String name);

  /**
   * {@code POST /api/automations/{name}/restart}, like {@link #start}.
   *
   * @param name an automation or container name
   * @return the automation API's answer
   */
  Future<AutomationAction> restart(String name);

  /**
   * {@code GET /api/automations/{name}/logs}: follows the automation's log, reconnecting after a
   * lost connection (with the client's reconnect backoff).
   *
   * @param name an automation or container name
   * @param listener what to tell
   * @return the subscription; close it to leave
   */
  EventSubscription logs(String name, AutomationLogListener listener);
}
