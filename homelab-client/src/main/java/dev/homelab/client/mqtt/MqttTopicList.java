package dev.homelab.client.mqtt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The topics the server heard.
 *
 * @param connected whether its broker connection is up
 * @param outbox messages waiting to be published after a reconnection
 * @param topics the newest message of each topic, sorted by topic
 */
public record MqttTopicList(boolean connected, int outbox, List<MqttTopicMessage> topics) {

  /**
   * @param json the server's answer
   * @return the record
   */
  public static MqttTopicList fromJson(JsonObject json) {
    List<MqttTopicMessage> topics = new ArrayList<>();
    JsonArray items = json.getJsonArray("topics", new JsonArray());
    for (int i = 0; i < items.size(); i++) {
      topics.add(MqttTopicMessage.fromJson(items.getJsonObject(i)));
    }
    return new MqttTopicList(
        json.getBoolean("connected", false), json.getInteger("outbox", 0), List.copyOf(topics));
  }

  /**
   * @param topic a topic
   * @return its newest message, if the server heard one
   */
  public Optional<MqttTopicMessage> find(String topic) {
    return topics.stream().filter(m -> m.topic().equals(topic)).findFirst();
  }
}
