package dev.homelab.examples;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.Me;
import dev.homelab.client.system.Health;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to a running Homelab server with the blocking client: logs in as the built-in {@code
 * admin}, writes a setting, registers devices and lists them page by page, then creates an API key
 * and calls the server with it from a second client. {@link #deviceNames} pages through the devices
 * with the asynchronous client.
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

  /**
   * The names of every device, with the asynchronous client.
   *
   * @param client a client logged in as someone who may list devices
   * @return the names, oldest device first
   */
  static Future<List<String>> deviceNames(HomelabClient client) {
    // snippet:client-paging
    // 50 to a page, each page read when the previous one is in; at most 10 000 devices are held.
    Future<List<String>> names =
        client
            .devices()
            .autoPaging(DeviceQuery.create().withLimit(50))
            .collect(10_000)
            .map(devices -> devices.stream().map(Device::name).toList());
    // end:client-paging
    return names;
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
      List<String> devices = new ArrayList<>();
      // Every device, 50 to a page, each page read only when the previous one is used up.
      for (Device device : admin.devices().autoPagingIterable(DeviceQuery.create().withLimit(50))) {
        devices.add(device.name());
      }
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
