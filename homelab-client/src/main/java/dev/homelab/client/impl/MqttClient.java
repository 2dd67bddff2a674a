package dev.homelab.client.impl;

import dev.homelab.client.events.EventListener;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.events.StreamEvent;
import dev.homelab.client.mqtt.MqttApi;
import dev.homelab.client.mqtt.MqttMessageListener;
import dev.homelab.client.mqtt.MqttPublish;
import dev.homelab.client.mqtt.MqttPublished;
import dev.homelab.client.mqtt.MqttTopicList;
import dev.homelab.client.mqtt.MqttTopicMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** {@link MqttApi} over the transport; the stream through the same SSE subscription as events. */
final class MqttClient implements MqttApi {

  private final Transport transport;
  private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();

  MqttClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<MqttTopicList> topics() {
    return transport.get("/api/mqtt/topics", MqttTopicList::fromJson);
  }

  @Override
  public Future<MqttPublished> publish(MqttPublish message) {
    return transport.post("/api/mqtt/publish", message.json(), 200, MqttPublished::fromJson);
  }

  @Override
  public EventSubscription stream(String filter, MqttMessageListener listener) {
    EventListener messages =
        new EventListener() {
          @Override
          public void onOpen() {
            listener.onOpen();
          }

          @Override
          public void onEvent(StreamEvent event) {
            listener.onMessage(message(event.payload()));
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
    String path =
        filter == null
            ? "/api/mqtt/stream"
            : "/api/mqtt/stream?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8);
    SseSubscription subscription =
        new SseSubscription(
            transport.vertx(),
            transport.options(),
            transport.eventStreams(),
            transport.uri(path),
            transport::credential,
            null,
            messages,
            subscriptions::remove,
            event ->
                "mqtt".equals(event.type())
                    ? new StreamEvent(event.id(), "mqtt", null, new JsonObject(event.data()))
                    : null);
    subscriptions.add(subscription);
    return subscription.start();
  }

  /** A frame's data as a message; a JSON payload becomes its JSON text. */
  private static MqttTopicMessage message(JsonObject data) {
    JsonObject json = data.copy();
    Object payload = json.getValue("payload");
    if (!(payload instanceof String)) {
      json.put("payload", String.valueOf(payload));
    }
    json.put("received_at", json.getString("timestamp"));
    return MqttTopicMessage.fromJson(json);
  }

  /** Closes every stream, as the client closes. */
  void closeAll() {
    subscriptions.forEach(EventSubscription::close);
    subscriptions.clear();
  }
}
