package dev.homelab.client.impl;

import dev.homelab.client.automations.Automation;
import dev.homelab.client.automations.AutomationAction;
import dev.homelab.client.automations.AutomationList;
import dev.homelab.client.automations.AutomationLogListener;
import dev.homelab.client.automations.AutomationsApi;
import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AutomationsApi} over the transport; logs through the same Server-Sent Events subscription
 * as the server's event stream, its {@code event: log} records read as lines.
 */
final class AutomationsClient implements AutomationsApi {

  private final Transport transport;
  private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

  AutomationsClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<AutomationList> list() {
    return transport.get("/api/automations", AutomationList::fromJson);
  }

  @Override
  public Future<Automation> get(String name) {
    return transport.get(path(name), Automation::fromJson);
  }

  @Override
  public Future<AutomationAction> start(String name) {
    return act(name, "start");
  }

  @Override
  public Future<AutomationAction> stop(String name) {
    return act(name, "stop");
  }

  @Override
  public Future<AutomationAction> restart(String name) {
    return act(name, "restart");
  }

  private Future<AutomationAction> act(String name, String action) {
    return transport.post(path(name) + "/" + action, null, 200, AutomationAction::fromJson);
  }

  @Override
  public EventSubscription logs(String name, AutomationLogListener listener) {
    EventListener lines =
        new EventListener() {
          @Override
          public void onOpen() {
            listener.onOpen();
          }

          @Override
          public void onEvent(StreamEvent event) {
            listener.onLine(event.payload().getString("line"));
          }

          @Override
          public void onReconnecting(Throwable cause, long delayMillis) {
            listener.onReconnecting(cause, delayMillis);
          }

          @Override
          public void onClosed() {
            listener.onClosed();
          }

          @Override
          public void onFailure(Throwable failure) {
            listener.onFailure(failure);
          }
        };
    SseSubscription subscription =
        new SseSubscription(
            transport.vertx(),
            transport.options(),
            transport.eventStreams(),
            transport.uri(path(name) + "/logs"),
            transport::credential,
            null,
            lines,
            subscriptions::remove,
            event ->
                "log".equals(event.type())
                    ? new StreamEvent(
                        event.id(), "log", null, new JsonObject().put("line", event.data()))
                    : null);
    subscriptions.add(subscription);
    return subscription.start();
  }

  /** Closes every log subscription, as the client closes. */
  void closeAll() {
    subscriptions.forEach(EventSubscription::close);
    subscriptions.clear();
  }

  private static String path(String name) {
    return "/api/automations/" + Transport.segment(name);
  }
}
