package dev.homelab.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code mosquitto_pub} and {@code mosquitto_sub} (Debian's mosquitto-clients) as
 * independent MQTT peers of a test: against the broker on 127.0.0.1:1883 or the server's device
 * gateway, with or without credentials.
 *
 * @param port the MQTT port on 127.0.0.1
 * @param username the user name, or {@code null} for none
 * @param password the password, or {@code null} for none
 * @param v5 whether they speak MQTT 5 rather than 3.1.1
 */
record MosquittoPeers(int port, String username, String password, boolean v5) {

  /** The broker on 127.0.0.1:1883, anonymous. */
  static final MosquittoPeers BROKER = new MosquittoPeers(1883, null, null);

  /**
   * MQTT 3.1.1 peers.
   *
   * @param port the MQTT port on 127.0.0.1
   * @param username the user name, or {@code null} for none
   * @param password the password, or {@code null} for none
   */
  MosquittoPeers(int port, String username, String password) {
    this(port, username, password, false);
  }

  /**
   * @return the same peers speaking MQTT 5
   */
  MosquittoPeers mqtt5() {
    return new MosquittoPeers(port, username, password, true);
  }

  /** What a finished {@code mosquitto_pub} said. */
  record Outcome(int exitCode, String output) {}

  /**
   * Publishes one message at QoS 1 and waits for mosquitto_pub to end.
   *
   * @param topic the topic
   * @param payload the payload
   * @return its exit code and output
   */
  Outcome publish(String topic, String payload) {
    List<String> command = command("mosquitto_pub");
    command.addAll(List.of("-q", "1", "-t", topic, "-m", payload));
    return run(command);
  }

  /**
   * Like {@link #publish}, failing the test unless mosquitto_pub succeeded.
   *
   * @param topic the topic
   * @param payload the payload
   */
  void publishOrFail(String topic, String payload) {
    Outcome outcome = publish(topic, payload);
    if (outcome.exitCode() != 0) {
      throw new AssertionError(
          "mosquitto_pub exited " + outcome.exitCode() + ": " + outcome.output());
    }
  }

  /**
   * Starts a {@code mosquitto_sub -v} and waits for its SUBACK.
   *
   * @param filter the topic filter
   * @return the running subscriber
   */
  Subscriber subscribe(String filter) throws IOException, InterruptedException {
    return new Subscriber(this, filter);
  }

  private List<String> command(String program) {
    List<String> command = new ArrayList<>(List.of(program, "-h", "127.0.0.1", "-p", "" + port));
    if (username != null) {
      command.addAll(List.of("-u", username));
    }
    if (password != null) {
      command.addAll(List.of("-P", password));
    }
    if (v5) {
      command.addAll(List.of("-V", "mqttv5"));
    }
    return command;
  }

  private static Outcome run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not finish in 15 s");
      }
      return new Outcome(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * A running {@code mosquitto_sub -d -v}: its messages as {@code topic payload} lines, its debug
   * lines apart.
   */
  static final class Subscriber implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> debug = new LinkedBlockingQueue<>();

    private Subscriber(MosquittoPeers peers, String filter)
        throws IOException, InterruptedException {
      // Line-buffered: mosquitto_sub does not flush its debug lines into a pipe.
      List<String> command = new ArrayList<>(List.of("stdbuf", "-oL"));
      command.addAll(peers.command("mosquitto_sub"));
      command.addAll(List.of("-d", "-q", "1", "-v", "-W", "60", "-t", filter));
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = in.readLine()) != null) {
                    // -d prints "Client <id> received PUBLISH ..." and the like before each line.
                    (line.startsWith("Client ") || line.startsWith("Subscribed") ? debug : lines)
                        .add(line);
                  }
                } catch (IOException e) {
                  // The process ended: the lines read so far are what it printed.
                }
              },
              "mosquitto_sub-reader");
      reader.setDaemon(true);
      reader.start();
      // Subscribed once the SUBACK came: a message published before would not reach it.
      for (int i = 0; i < 100; i++) {
        String line = debug.poll(10, TimeUnit.SECONDS);
        if (line == null) {
          break;
        }
        if (line.contains("SUBACK")) {
          return;
        }
      }
      close();
      throw new AssertionError("mosquitto_sub got no SUBACK for " + filter);
    }

    /**
     * @return the next {@code topic payload} line
     */
    String nextLine() throws InterruptedException {
      String line = lines.poll(15, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("mosquitto_sub printed nothing in 15 s; debug: " + debug);
      }
      return line;
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
