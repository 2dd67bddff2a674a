package dev.homelab.benchmarks.load;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** What the load drivers share: their {@code --name value} arguments, and a free loopback port. */
final class Args {

  private Args() {}

  /**
   * @param args {@code --name value} pairs
   * @return the values by name
   */
  static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  /**
   * @param options parsed arguments
   * @return the server jar of {@code --jar}, by default the one the build makes
   */
  static java.nio.file.Path jar(Map<String, String> options) {
    return java.nio.file.Path.of(
        options.getOrDefault("jar", "homelab-server/target/homelab-server.jar"));
  }

  /**
   * @param options parsed arguments
   * @param name an argument's name, without {@code --}
   * @param fallback its value when absent
   * @return its whole-number value
   */
  static int integer(Map<String, String> options, String name, int fallback) {
    String value = options.get(name);
    return value == null ? fallback : Integer.parseInt(value);
  }

  /**
   * @return a port that was free a moment ago
   */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
