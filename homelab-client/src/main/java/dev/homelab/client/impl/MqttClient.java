package dev.homelab.client.impl;

import dev.homelab.client.mqtt.MqttApi;
import dev.homelab.client.mqtt.MqttPublish;
import dev.homelab.client.mqtt.MqttPublished;
import dev.homelab.client.mqtt.MqttTopicList;
import io.vertx.core.Future;

/** {@link MqttApi} over the transport. */
final class MqttClient implements MqttApi {

  private final Transport transport;

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
}
