package dev.homelab.examples;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.Health;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;

/**
 * Talks to a running Homelab server with the blocking client: health, then a setting.
 *
 * <p>Start the server first ({@code java -jar homelab-server/target/homelab-server.jar}); pass its
 * base url as the first argument if it is not {@code http://127.0.0.1:8000}.
 */
public final class ClientExample {

  private ClientExample() {}

  public static void main(String[] args) {
    String baseUrl = args.length > 0 ? args[0] : HomelabClientOptions.DEFAULT_BASE_URL;
    System.out.println(run(baseUrl));
  }

  // snippet:client
  static String run(String baseUrl) {
    HomelabClient client = HomelabClient.create(new HomelabClientOptions().setBaseUrl(baseUrl));
    BlockingHomelabClient blocking = client.blocking();
    try {
      Health health = blocking.health();
      blocking.settings().put("dashboard.title", "Garage lab");
      return health.status()
          + " on "
          + health.databaseType()
          + ", title = "
          + blocking.settings().get("dashboard.title").value();
    } finally {
      blocking.close();
    }
  }
  // end:client
}
