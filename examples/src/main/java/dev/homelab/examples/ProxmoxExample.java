package dev.homelab.examples;

import dev.homelab.core.upstream.UpstreamTls;
import dev.homelab.core.upstream.proxmox.Guest;
import dev.homelab.core.upstream.proxmox.GuestList;
import dev.homelab.core.upstream.proxmox.ProxmoxClient;
import dev.homelab.core.upstream.proxmox.ProxmoxServerOptions;
import dev.homelab.core.upstream.proxmox.TaskState;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Lists a Proxmox VE server's guests and starts a stopped VM, following its task to the end. A
 * simulated Proxmox node (HTTPS on loopback, built from recorded answers) stands in for a real one;
 * with a real server, only the base URL, the API token and the certificate's fingerprint change.
 */
public final class ProxmoxExample {

  private ProxmoxExample() {}

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Starts the simulator, then lists, starts and follows. Waits with {@code await()}: call it from
   * a plain or a virtual thread, never from an event loop.
   *
   * @param vertx the Vert.x instance
   * @return what the example found
   */
  static List<String> run(Vertx vertx) {
    ProxmoxSimulator simulator =
        ProxmoxSimulator.start(
                vertx,
                ProxmoxSimulator.Setup.of(
                        "pve",
                        "8.3.2",
                        List.of(
                            SimulatedGuest.qemu(100, "home-assistant", true),
                            SimulatedGuest.qemu(101, "nextcloud", false),
                            SimulatedGuest.lxc(200, "pihole", true)))
                    .withTaskDuration(Duration.ofMillis(300)))
            .await();
    String baseUrl = simulator.baseUrl();
    String tokenId = simulator.setup().tokenId();
    String tokenSecret = simulator.setup().tokenSecret();
    String fingerprint = simulator.fingerprint();
    List<String> out = new ArrayList<>();
    try {
      // snippet:proxmox
      // The token's secret is never logged or shown; the certificate is pinned to the fingerprint
      // Proxmox publishes (Datacenter > the node > Certificates, or ssl_fingerprint in /nodes).
      ProxmoxServerOptions server =
          ProxmoxServerOptions.of("rack", "Rack server", baseUrl, tokenId, tokenSecret)
              .withTls(UpstreamTls.pinned(fingerprint));
      try (ProxmoxClient proxmox = ProxmoxClient.create(vertx, List.of(server))) {
        GuestList guests = proxmox.guests("rack").await();
        out.add(guests.total() + " guests, " + guests.running() + " running");
        for (Guest guest : guests.guests()) {
          String type = guest.type().name().toLowerCase(Locale.ROOT);
          out.add("  " + guest.vmid() + " " + type + " " + guest.name() + ": " + guest.status());
        }
        // Sent exactly once (never retried), answered with the task's id; the task then runs.
        String upid = proxmox.start("rack", 101).await();
        TaskState end =
            proxmox.followTask("rack", upid, state -> out.add("  task: " + state.status())).await();
        out.add("start of 101 ended: " + end.exitStatus());
        out.add("101 is " + proxmox.guest("rack", 101).await().status());
      }
      // end:proxmox
    } finally {
      simulator.stop().await();
    }
    return out;
  }
}
