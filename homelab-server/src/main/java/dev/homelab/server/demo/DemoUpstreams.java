package dev.homelab.server.demo;

import dev.homelab.server.features.CloseStack;
import dev.homelab.simulators.aihub.AiHubSimulator;
import dev.homelab.simulators.automation.AutomationSimulator;
import dev.homelab.simulators.frigate.FrigateSimulator;
import dev.homelab.simulators.frigate.FrigateSimulatorOptions;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upstreams of demo mode: two Proxmox VE servers ({@code nas}, a PVE 8.3 node named {@code
 * nas}, and {@code smart-home}, a PVE 9.0 node named {@code pve}, as in seed 003), Frigate, the
 * automation API and the AI hub, each a simulator on {@code 127.0.0.1} at a free port, and the
 * configuration keys that point the server's real clients at them: the Proxmox servers over HTTPS
 * with their certificates pinned and an API token, the others with a login or HTTP Basic, each
 * secret random per start. The whole path of a real upstream runs: HTTP, TLS, the auth header,
 * parsing.
 *
 * <p>The simulators run on the server's Vert.x instance and keep changing as real ones do: node and
 * guest load follows slow waves, Frigate records a new event every 30 s, the automations log a line
 * a second and count their triggers, guests start and stop through tasks that take 1.5 s (one VM's
 * start always fails, to show a failed task).
 *
 * <p>Started once, before the features; {@link #close()} once, after they have closed.
 */
public final class DemoUpstreams {

  private static final Logger log = LoggerFactory.getLogger(DemoUpstreams.class);

  /** The ids of the simulated Proxmox servers, in order. */
  public static final List<String> PROXMOX_IDS = List.of("nas", "smart-home");

  /** The user of the simulators that take a login or HTTP Basic. */
  private static final String USER = "admin";

  private final CloseStack opened;
  private final Map<String, String> keys;

  private DemoUpstreams(CloseStack opened, Map<String, String> keys) {
    this.opened = opened;
    this.keys = Map.copyOf(keys);
  }

  /**
   * Starts the simulators. If one fails to start, those started before it are closed.
   *
   * @param vertx the server's Vert.x instance
   * @return the running simulators
   */
  public static Future<DemoUpstreams> start(Vertx vertx) {
    CloseStack opened = new CloseStack();
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("PROXMOX_SERVERS", String.join(",", PROXMOX_IDS));
    String frigatePassword = secret();
    String automationPassword = secret();
    String hubPassword = secret();
    return ProxmoxSimulator.start(
            vertx,
            ProxmoxSimulator.Setup.of("nas", "8.3.2", nasGuests())
                .withHardware(12, 66_571_993_088L)
                .withToken("root@pam!homelab", secret()))
        .compose(
            nas -> {
              opened.push("demo proxmox nas", nas::stop);
              proxmox(keys, "NAS", "NAS Server", nas);
              // The recorded guests are read from the class path: a worker does it.
              return vertx.executeBlocking(ProxmoxSimulator::fixtureGuests);
            })
        .compose(
            guests ->
                ProxmoxSimulator.start(
                    vertx,
                    ProxmoxSimulator.Setup.of("pve", "9.0.6", guests)
                        .withHardware(4, 16_106_127_360L)
                        .withToken("root@pam!homelab", secret())))
        .compose(
            pve -> {
              opened.push("demo proxmox smart-home", pve::stop);
              proxmox(keys, "SMART_HOME", "Smart Home Server", pve);
              return FrigateSimulator.start(
                  vertx, new FrigateSimulatorOptions().setCredentials(USER, frigatePassword));
            })
        .compose(
            frigate -> {
              upstream(opened, keys, "FRIGATE", frigate.baseUrl(), frigatePassword, frigate::close);
              return AutomationSimulator.start(
                  vertx,
                  AutomationSimulator.Setup.defaults()
                      .withCredentials(USER, automationPassword)
                      .withLogInterval(Duration.ofSeconds(1)));
            })
        .compose(
            automation -> {
              upstream(
                  opened,
                  keys,
                  "AUTOMATION_API",
                  automation.baseUrl(),
                  automationPassword,
                  automation::stop);
              // A readable pace for a streamed answer in the dashboard.
              return AiHubSimulator.start(
                  vertx,
                  AiHubSimulator.Setup.defaults()
                      .withCredentials(USER, hubPassword)
                      .withStepInterval(Duration.ofMillis(60)));
            })
        .map(
            hub -> {
              upstream(opened, keys, "AI_HUB", hub.baseUrl(), hubPassword, hub::stop);
              log.warn(
                  "DEMO MODE (ENABLE_MOCK_DATA=true): Proxmox VE {}, Frigate, the automation API"
                      + " and the AI hub are simulators on 127.0.0.1; no real upstream is"
                      + " contacted",
                  PROXMOX_IDS);
              return new DemoUpstreams(opened, keys);
            })
        .recover(failure -> opened.closeAll().transform(closed -> Future.failedFuture(failure)));
  }

  /**
   * Records a simulator with a login: how to stop it, and its {@code <PREFIX>_URL|USER|PASSWORD}.
   */
  private static void upstream(
      CloseStack opened,
      Map<String, String> keys,
      String prefix,
      String baseUrl,
      String password,
      Supplier<Future<?>> stop) {
    opened.push("demo " + prefix, stop);
    keys.put(prefix + "_URL", baseUrl);
    keys.put(prefix + "_USER", USER);
    keys.put(prefix + "_PASSWORD", password);
  }

  /**
   * The NAS's guests: VMs and containers, running and stopped, a template, and a VM whose start
   * always fails.
   */
  private static List<SimulatedGuest> nasGuests() {
    return List.of(
        SimulatedGuest.qemu(100, "vpn-hub", true),
        SimulatedGuest.qemu(101, "win11", false).withResources(4, 8L << 30, 128L << 30),
        SimulatedGuest.qemu(102, "truenas", true).withResources(4, 16L << 30, 64L << 30),
        SimulatedGuest.lxc(103, "ubuntu", false),
        SimulatedGuest.lxc(104, "pihole", true),
        SimulatedGuest.lxc(105, "jellyfin", true).withResources(2, 4L << 30, 32L << 30),
        SimulatedGuest.qemu(106, "legacy-app", false)
            .failingStart("start failed: QEMU exited with code 1"),
        SimulatedGuest.qemu(9000, "debian-12-template", false).asTemplate());
  }

  private static void proxmox(
      Map<String, String> keys, String envId, String name, ProxmoxSimulator simulator) {
    String prefix = "PROXMOX_" + envId + "_";
    keys.put(prefix + "URL", simulator.baseUrl());
    keys.put(prefix + "NAME", name);
    keys.put(prefix + "TOKEN_ID", simulator.setup().tokenId());
    keys.put(prefix + "TOKEN_SECRET", simulator.setup().tokenSecret());
    keys.put(prefix + "FINGERPRINT", simulator.fingerprint());
  }

  private static String secret() {
    return UUID.randomUUID().toString();
  }

  /**
   * @return the configuration keys of the simulated upstreams, secrets included: for {@code
   *     ServerConfig.withDemoUpstreams} only, never to be logged
   */
  public Map<String, String> configurationKeys() {
    return keys;
  }

  /**
   * Stops every simulator, the last started first.
   *
   * @return completes when all are stopped
   */
  public Future<Void> close() {
    return opened.closeAll();
  }
}
