package dev.homelab.client;

import dev.homelab.client.access.BlockingAccess;
import dev.homelab.client.ai.BlockingAi;
import dev.homelab.client.audit.BlockingAudit;
import dev.homelab.client.automations.BlockingAutomations;
import dev.homelab.client.devices.BlockingDevices;
import dev.homelab.client.events.EventsApi;
import dev.homelab.client.files.BlockingFiles;
import dev.homelab.client.frigate.BlockingFrigate;
import dev.homelab.client.identity.BlockingAuth;
import dev.homelab.client.identity.BlockingUsers;
import dev.homelab.client.internal.Waiter;
import dev.homelab.client.metrics.BlockingMetrics;
import dev.homelab.client.mqtt.BlockingMqtt;
import dev.homelab.client.proxmox.BlockingProxmox;
import dev.homelab.client.sensors.BlockingSensors;
import dev.homelab.client.system.BlockingSettings;
import dev.homelab.client.system.BlockingSystem;
import dev.homelab.client.system.Health;

/**
 * The {@link HomelabClient} for code that waits: each method calls the asynchronous one and waits
 * for its answer, at most the client's timeout (plus a second of grace).
 *
 * <p>Failures are thrown as copies whose cause is the asynchronous failure, so the stack trace
 * shows both the caller and the I/O. An interrupted wait restores the thread's interrupt flag and
 * throws a {@link HomelabConnectionException}. Calling it on a Vert.x event loop is refused: it
 * would block the loop the answer has to arrive on.
 *
 * <p>Each resource has its blocking part in its own package ({@link BlockingDevices}, {@link
 * BlockingAccess}, ...), with the methods of its asynchronous API, method for method. Lists that
 * come in pages also have an {@code autoPagingIterable}, which reads the next page through the
 * resource's {@link Paginator} only when the previous one is used up.
 */
public final class BlockingHomelabClient {

  private final HomelabClient client;
  private final Waiter waiter;
  private final BlockingAuth auth;
  private final BlockingUsers users;
  private final BlockingDevices devices;
  private final BlockingFiles files;
  private final BlockingProxmox proxmox;
  private final BlockingAudit audit;
  private final BlockingSettings settings;
  private final BlockingAccess access;
  private final BlockingSystem system;
  private final BlockingMetrics metrics;
  private final BlockingFrigate frigate;
  private final BlockingAi ai;
  private final BlockingAutomations automations;
  private final BlockingMqtt mqtt;
  private final BlockingSensors sensors;

  /**
   * @param client the asynchronous client to wrap
   * @param timeoutMs how long one call may take, in milliseconds
   */
  public BlockingHomelabClient(HomelabClient client, long timeoutMs) {
    this.client = client;
    this.waiter = new Waiter(timeoutMs);
    this.auth = new BlockingAuth(client.auth(), timeoutMs);
    this.users = new BlockingUsers(client.users(), timeoutMs);
    this.devices = new BlockingDevices(client.devices(), timeoutMs);
    this.files = new BlockingFiles(client.files(), timeoutMs);
    this.proxmox = new BlockingProxmox(client.proxmox(), timeoutMs);
    this.audit = new BlockingAudit(client.audit(), timeoutMs);
    this.settings = new BlockingSettings(client.settings(), timeoutMs);
    this.access = new BlockingAccess(client.access(), timeoutMs);
    this.system = new BlockingSystem(client.system(), timeoutMs);
    this.metrics = new BlockingMetrics(client.metrics(), timeoutMs);
    this.frigate = new BlockingFrigate(client.frigate(), timeoutMs);
    this.ai = new BlockingAi(client.ai(), timeoutMs);
    this.automations = new BlockingAutomations(client.automations(), timeoutMs);
    this.mqtt = new BlockingMqtt(client.mqtt(), timeoutMs);
    this.sensors = new BlockingSensors(client.sensors(), timeoutMs);
  }

  /**
   * Like {@link HomelabClient#health()}.
   *
   * @return the health
   */
  public Health health() {
    return waiter.await(client.health());
  }

  /**
   * @return the login, identity and API key endpoints, waiting for each answer
   */
  public BlockingAuth auth() {
    return auth;
  }

  /**
   * @return the user account endpoints (admins only), waiting for each answer
   */
  public BlockingUsers users() {
    return users;
  }

  /**
   * @return the device endpoints, waiting for each answer
   */
  public BlockingDevices devices() {
    return devices;
  }

  /**
   * @return the file endpoints, waiting for each answer (for a transfer, as long as its bytes take)
   */
  public BlockingFiles files() {
    return files;
  }

  /**
   * @return {@code /api/proxmox}
   */
  public BlockingProxmox proxmox() {
    return proxmox;
  }

  /**
   * @return the audit log endpoints (admins only), waiting for each answer
   */
  public BlockingAudit audit() {
    return audit;
  }

  /**
   * @return the settings endpoints, waiting for each answer
   */
  public BlockingSettings settings() {
    return settings;
  }

  /**
   * @return the access decision, access log, card policy and reader group endpoints, waiting for
   *     each answer
   */
  public BlockingAccess access() {
    return access;
  }

  /**
   * @return the host state, storage and dashboard endpoints, waiting for each answer
   */
  public BlockingSystem system() {
    return system;
  }

  /**
   * @return the event stream; subscribing never blocks, so this is the asynchronous API itself
   */
  public EventsApi events() {
    return client.events();
  }

  /**
   * @return the metric history endpoints, waiting for each answer
   */
  public BlockingMetrics metrics() {
    return metrics;
  }

  /**
   * @return the Frigate NVR endpoints, waiting for each answer
   */
  public BlockingFrigate frigate() {
    return frigate;
  }

  /**
   * @return the AI hub endpoints, waiting for each answer (a chat: until it starts streaming)
   */
  public BlockingAi ai() {
    return ai;
  }

  /**
   * @return the automation endpoints, waiting for each answer
   */
  public BlockingAutomations automations() {
    return automations;
  }

  /**
   * @return the MQTT bridge endpoints, waiting for each answer
   */
  public BlockingMqtt mqtt() {
    return mqtt;
  }

  /**
   * @return the sensor endpoints, waiting for each answer
   */
  public BlockingSensors sensors() {
    return sensors;
  }

  /** Like {@link HomelabClient#close()}. */
  public void close() {
    waiter.await(client.close());
  }
}
