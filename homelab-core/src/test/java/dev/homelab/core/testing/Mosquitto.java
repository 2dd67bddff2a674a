package dev.homelab.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The real Mosquitto for tests: the broker on 127.0.0.1:1883 this machine runs, a private broker
 * process a test may kill, and the real {@code mosquitto_pub} and {@code mosquitto_sub} (Debian
 * mosquitto-clients) as independent peers that share none of our code.
 *
 * <p>Tests sharing the machine's broker keep apart by a {@link #uniquePrefix(String) topic prefix}
 * of their own and clear the retained messages they leave.
 */
public final class Mosquitto {

  /** Where the machine's broker listens. */
  public static final String HOST = "127.0.0.1";

  /** The machine's broker's port. */
  public static final int PORT = 1883;

  private Mosquitto() {}

  /**
   * @param name what the test is about
   * @return a topic prefix no other test run uses
   */
  public static String uniquePrefix(String name) {
    return "hltest-" + name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Publishes one message at QoS 1 on the machine's broker and waits for {@code mosquitto_pub} to
   * finish (it waits for the PUBACK).
   *
   * @param topic the topic
   * @param payload the text, or {@code null} for an empty payload
   * @param retain whether the broker keeps it
   */
  public static void publish(String topic, String payload, boolean retain) {
    publish(PORT, topic, payload, retain);
  }

  /**
   * Like {@link #publish(String, String, boolean)} on a broker at another port.
   *
   * @param port the broker's port on 127.0.0.1
   * @param topic the topic
   * @param payload the text, or {@code null} for an empty payload
   * @param retain whether the broker keeps it
   */
  public static void publish(int port, String topic, String payload, boolean retain) {
    List<String> command = new ArrayList<>(List.of("mosquitto_pub", "-h", HOST, "-p", "" + port));
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

  /**
   * Clears a retained message on the machine's broker, so that it is left as found.
   *
   * @param topic the topic
   */
  public static void clearRetained(String topic) {
    publish(topic, null, true);
  }

  /**
   * Runs a command to its end within 10 s.
   *
   * @param command the command and its arguments
   * @return what it printed
   * @throws AssertionError if it could not run, did not finish or exited with an error
   */
  public static String run(List<String> command) {
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
      return output;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A running {@code mosquitto_sub} printing {@code topic payload} lines, read into a queue. */
  public static final class Subscriber implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /**
     * Subscribes on the machine's broker.
     *
     * @param count the messages after which it exits by itself
     * @param filters the filters it subscribes to
     */
    public Subscriber(int count, String... filters) {
      this(PORT, count, filters);
    }

    /**
     * @param port the broker's port on 127.0.0.1
     * @param count the messages after which it exits by itself
     * @param filters the filters it subscribes to
     */
    public Subscriber(int port, int count, String... filters) {
      List<String> command =
          new ArrayList<>(List.of("mosquitto_sub", "-h", HOST, "-p", "" + port, "-q", "1", "-v"));
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

    /**
     * @return the next line
     * @throws AssertionError if none came within 10 s
     */
    public String nextLine() throws InterruptedException {
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

  /**
   * A broker of the test's own, on a free loopback port, anonymous, without persistence, that the
   * test may {@link #kill()} with SIGKILL and {@link #start()} again on the same port.
   */
  public static final class Broker implements AutoCloseable {
    private final Path config;
    private final int port;
    private Process process;

    /**
     * Starts a broker.
     *
     * @param dir where its configuration file is written
     */
    public Broker(Path dir) {
      port = freePort();
      config = dir.resolve("mosquitto-" + port + ".conf");
      try {
        // $SYS every second, so a test can read the broker's own subscription count.
        Files.writeString(
            config,
            String.join(
                "\n",
                "listener " + port + " " + HOST,
                "allow_anonymous true",
                "persistence false",
                "sys_interval 1",
                "log_dest none",
                ""));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      start();
    }

    /**
     * @return its port on 127.0.0.1
     */
    public int port() {
      return port;
    }

    /** Starts it (again) and waits until it accepts connections, for at most 10 s. */
    public void start() {
      try {
        process = new ProcessBuilder(mosquitto(), "-c", config.toString()).inheritIO().start();
      } catch (IOException e) {
        throw new AssertionError("cannot run mosquitto", e);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new AssertionError("mosquitto exited " + process.exitValue());
        }
        try (Socket socket = new Socket(HOST, port)) {
          return;
        } catch (IOException notYet) {
          sleep();
        }
      }
      throw new AssertionError("mosquitto did not listen on " + port + " within 10 s");
    }

    /** Kills it with SIGKILL, as a crash or an OOM killer would, and waits until it is gone. */
    public void kill() {
      process.destroyForcibly();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          throw new AssertionError("mosquitto survived SIGKILL for 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    /**
     * Reads the number of subscriptions the broker holds, from its {@code $SYS} topic. The broker
     * publishes it each second when it changed, and hands a new subscriber the last value it
     * published, from before that subscriber: so this listens for 3 s and takes the last value,
     * published after its own subscription, less that subscription.
     *
     * @return the subscriptions held now by the other clients
     */
    public int subscriptionCount() {
      List<String> command =
          List.of(
              "mosquitto_sub",
              "-h",
              HOST,
              "-p",
              "" + port,
              "-W",
              "3",
              "-t",
              "$SYS/broker/subscriptions/count");
      try {
        Process sub = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!sub.waitFor(10, TimeUnit.SECONDS)) {
          sub.destroyForcibly();
          throw new AssertionError(command + " did not finish in 10 s");
        }
        List<String> values =
            new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.matches("\\d+"))
                .toList();
        if (values.isEmpty()) {
          throw new AssertionError("the broker published no subscription count in 3 s");
        }
        return Integer.parseInt(values.get(values.size() - 1)) - 1;
      } catch (IOException e) {
        throw new AssertionError("cannot run mosquitto_sub", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }

    @Override
    public void close() {
      if (process != null && process.isAlive()) {
        kill();
      }
    }

    private static String mosquitto() {
      for (String candidate : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto")) {
        if (Files.isExecutable(Path.of(candidate))) {
          return candidate;
        }
      }
      return "mosquitto";
    }

    private static int freePort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
