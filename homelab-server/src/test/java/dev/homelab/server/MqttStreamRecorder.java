package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.events.EventSubscription;
import dev.homelab.client.mqtt.MqttMessageListener;
import dev.homelab.client.mqtt.MqttTopicMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code GET /api/mqtt/stream} through the client, its messages kept in arrival order. */
final class MqttStreamRecorder implements MqttMessageListener, AutoCloseable {

  private final CountDownLatch opened = new CountDownLatch(1);
  private final BlockingQueue<MqttTopicMessage> unread = new LinkedBlockingQueue<>();
  private final List<MqttTopicMessage> all = new ArrayList<>();
  private final EventSubscription subscription;

  /**
   * Opens the stream and waits until the server has answered it, for at most 10 s.
   *
   * @param client whose stream
   * @param filter the topic filter
   */
  MqttStreamRecorder(HomelabClient client, String filter) throws InterruptedException {
    subscription = client.mqtt().stream(filter, this);
    assertThat(opened.await(10, TimeUnit.SECONDS)).as("the stream opened").isTrue();
  }

  @Override
  public void onOpen() {
    opened.countDown();
  }

  @Override
  public void onMessage(MqttTopicMessage message) {
    synchronized (all) {
      all.add(message);
    }
    unread.add(message);
  }

  /**
   * @return the next message not read yet, or {@code null} after 10 s without one
   */
  MqttTopicMessage next() throws InterruptedException {
    return unread.poll(10, TimeUnit.SECONDS);
  }

  /**
   * @return the payloads of every message so far, in arrival order
   */
  List<String> payloads() {
    synchronized (all) {
      return new ArrayList<>(all.stream().map(MqttTopicMessage::payload).toList());
    }
  }

  @Override
  public void close() {
    subscription.close();
  }
}
