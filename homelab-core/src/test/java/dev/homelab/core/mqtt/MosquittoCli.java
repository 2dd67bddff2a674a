package dev.homelab.core.mqtt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code mosquitto_pub} and {@code mosquitto_sub} (Debian mosquitto-clients) against the
 * Mosquitto on 127.0.0.1:1883: independent peers of the bridge, sharing none of its code.
 */
final class MosquittoCli {

  static final String HOST = "127.0.0.1";
  static final int PORT = 1883;

  private MosquittoCli() {}

  /**
   * @return a topic prefix no other test run uses, so that tests sharing the broker stay apart
   */
  static String uniquePrefix(String name) {
    return "hltest-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Publishes one message and waits for mosquitto_pub to finish (it waits for the PUBACK). */
  static void publish(String topic, String payload, boolean retain) {
    List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", HOST, "-p", "" + PORT));
    command.addAll(List.of("-q", "1", "-t", topic));
    if (payload == null) {
      command.add("-n");
    } else {
      command.addAll(List.of("-m", payload));
    }
    if (retain) {
      command.add("-r");
    }
    run(command);
  }

  /** Clears a retained message, so that the broker is left as found. */
  static void clearRetained(String topic) {
    publish(topic, null, true);
  }

  private static void run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish in 10 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(command + " exited " + process.exitValue() + ": " + output);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A running mosquitto_sub printing {@code topic payload} lines, read into a queue. */
  static final class Subscriber implements AutoCloseable {
    private final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /**
     * @param count the messages after which it exits by itself
     * @param filters the filters it subscribes to
     */
    Subscriber(int count, String... filters) {
      List<String> command =
          new ArrayList<>(List.of("mosquitto_sub", "-h", HOST, "-p", "" + PORT, "-q", "1", "-v"));
      command.addAll(List.of("-C", "" + count, "-W", "30"));
      for (String filter : filters) {
        command.addAll(List.of("-t", filter));
      }
      try {
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
      } catch (IOException e) {
        throw new AssertionError("cannot run mosquitto_sub", e);
      }
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // The process ended: the lines read so far are what it printed.
                }
              },
              "mosquitto_sub-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The next line, or an assertion error after 10 s. */
    String nextLine() throws InterruptedException {
      String line = lines.poll(10, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("mosquitto_sub printed nothing in 10 s");
      }
      return line;
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
