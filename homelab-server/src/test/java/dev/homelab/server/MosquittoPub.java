package dev.homelab.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code mosquitto_pub} against the Mosquitto on 127.0.0.1:1883, an independent peer of the
 * server's bridge, for the device state tests. (main's core test-jar has the same calls in {@code
 * dev.homelab.core.testing.Mosquitto}: this class goes once both meet.)
 */
final class MosquittoPub {

  private MosquittoPub() {}

  /**
   * Publishes at QoS 1 and waits until the broker acknowledged it.
   *
   * @param topic the topic
   * @param payload the text
   * @param retain whether the broker keeps it as the topic's state
   */
  static void publish(String topic, String payload, boolean retain) {
    List<String> command =
        new ArrayList<>(
            List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", "1883", "-q", "1", "-t", topic));
    command.addAll(List.of("-m", payload));
    if (retain) {
      command.add("-r");
    }
    run(command);
  }

  /**
   * Clears a topic's retained state, so that the broker is left as found.
   *
   * @param topic the topic
   */
  static void clearRetained(String topic) {
    run(
        List.of(
            "mosquitto_pub", "-h", "127.0.0.1", "-p", "1883", "-q", "1", "-r", "-n", "-t", topic));
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not finish in 10 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(command.get(0) + " exited " + process.exitValue() + ": " + output);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
