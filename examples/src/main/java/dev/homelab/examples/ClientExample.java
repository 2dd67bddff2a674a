package dev.homelab.examples;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.Me;
import dev.homelab.client.system.Health;
import java.util.List;

/**
 * Talks to a running Homelab server with the blocking client: logs in as the built-in {@code
 * admin}, writes a setting, registers and lists devices, then creates an API key and calls the
 * server with it from a second client.
 *
 * <p>Start the server first ({@code java -jar homelab-server/target/homelab-server.jar}) and put
 * its access token (its {@code ACCESS_TOKEN}, or the contents of {@code DATA_DIR/access_token} when
 * it generated one) in the environment variable {@code HOMELAB_ACCESS_TOKEN}. Pass the server's
 * base url as the first argument if it is not {@code http://127.0.0.1:8000}.
 */
public final class ClientExample {

  private ClientExample() {}

  public static void main(String[] args) {
    String baseUrl = args.length > 0 ? args[0] : HomelabClientOptions.DEFAULT_BASE_URL;
    String accessToken = System.getenv("HOMELAB_ACCESS_TOKEN");
    if (accessToken == null || accessToken.isBlank()) {
      System.err.println("Set HOMELAB_ACCESS_TOKEN to the server's access token.");
      System.exit(2);
    }
    run(baseUrl, accessToken).forEach(System.out::println);
  }

  // snippet:client
  static List<String> run(String baseUrl, String accessToken) {
    BlockingHomelabClient admin =
        HomelabClient.create(new HomelabClientOptions().setBaseUrl(baseUrl)).blocking();
    try {
      Health health = admin.health();
      admin.auth().login(accessToken); // as the built-in admin; every later call sends the JWT
      admin.settings().put("dashboard.title", "Garage lab");
      admin.devices().create(new NewDevice("Front door", "rfid_reader"));
      List<String> devices = admin.devices().list().items().stream().map(Device::name).toList();
      // The secret is shown only this once: hand it to the script, never print or log it.
      CreatedApiKey key = admin.auth().createKey("backup-script");

      BlockingHomelabClient script =
          HomelabClient.create(
                  new HomelabClientOptions().setBaseUrl(baseUrl).setToken(key.secret()))
              .blocking();
      try {
        Me me = script.auth().me();
        return List.of(
            health.status() + " on " + health.databaseType(),
            "title = " + admin.settings().get("dashboard.title").value(),
            "devices = " + devices,
            "API key " + key.key().id() + " acts as " + me.username() + " (" + me.role() + ")",
            "credential = " + me.credentialType() + " " + me.credentialId());
      } finally {
        script.close();
      }
    } finally {
      admin.close();
    }
  }
  // end:client
}
