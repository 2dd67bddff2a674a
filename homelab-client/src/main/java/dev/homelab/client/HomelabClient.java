package dev.homelab.client;

import dev.homelab.client.access.AccessApi;
import dev.homelab.client.ai.AiApi;
import dev.homelab.client.audit.AuditApi;
import dev.homelab.client.automations.AutomationsApi;
import dev.homelab.client.devices.DevicesApi;
import dev.homelab.client.events.EventsApi;
import dev.homelab.client.files.FilesApi;
import dev.homelab.client.frigate.FrigateApi;
import dev.homelab.client.identity.AuthApi;
import dev.homelab.client.identity.UsersApi;
import dev.homelab.client.impl.HomelabClientImpl;
import dev.homelab.client.metrics.MetricsApi;
import dev.homelab.client.mqtt.MqttApi;
import dev.homelab.client.proxmox.ProxmoxApi;
import dev.homelab.client.sensors.SensorsApi;
import dev.homelab.client.system.Health;
import dev.homelab.client.system.SettingsApi;
import dev.homelab.client.system.SystemApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The asynchronous client of a Homelab server.
 *
 * <p>Create it on your own Vert.x with {@link #create(Vertx, HomelabClientOptions)}, or let it own
 * one with {@link #create(HomelabClientOptions)}; {@link #close()} then closes that Vert.x too. A
 * client is safe to share between threads. Endpoints are grouped by resource: {@link #auth()},
 * {@link #users()}, {@link #devices()}, {@link #files()}, {@link #audit()}, {@link #settings()},
 * {@link #access()}, {@link #system()}, {@link #metrics()}, {@link #frigate()}, {@link #ai()} and
 * {@link #events()}, each API in the package of its resource group ({@code
 * dev.homelab.client.devices}, ...) with its blocking twin and its wire records. Paged lists read
 * to the end through one {@link Paginator}.
 *
 * <p>Requests carry {@code Authorization: Bearer} with the JWT of the last successful {@link
 * AuthApi#login}, else with {@link HomelabClientOptions#getToken()} (an API key or a JWT obtained
 * elsewhere), else nothing.
 */
public interface HomelabClient {

  /**
   * Creates a client on the caller's Vert.x.
   *
   * @param vertx the Vert.x instance to run on; the client does not close it
   * @param options where the server is; copied
   * @return a new client
   */
  static HomelabClient create(Vertx vertx, HomelabClientOptions options) {
    return new HomelabClientImpl(vertx, new HomelabClientOptions(options), false);
  }

  /**
   * Creates a client that owns a Vert.x instance of its own, closed by {@link #close()}.
   *
   * @param options where the server is; copied
   * @return a new client
   */
  static HomelabClient create(HomelabClientOptions options) {
    HomelabClientOptions copy = new HomelabClientOptions(options); // may refuse bad options
    Vertx vertx = Vertx.vertx();
    try {
      return new HomelabClientImpl(vertx, copy, true);
    } catch (RuntimeException e) {
      vertx.close(); // the client would have owned it: nobody else can close it
      throw e;
    }
  }

  /**
   * {@code GET /health}: the server's health. An unhealthy server answers 503, which this method
   * returns as a {@link Health} rather than a failure, so that callers can read what is wrong.
   *
   * @return the health
   */
  Future<Health> health();

  /**
   * @return the login, identity and API key endpoints
   */
  AuthApi auth();

  /**
   * @return the user account endpoints (admins only)
   */
  UsersApi users();

  /**
   * @return the device endpoints
   */
  DevicesApi devices();

  /**
   * @return the file endpoints: streamed and resumable (tus) uploads, downloads that resume, share
   *     links
   */
  FilesApi files();

  /**
   * @return the configured Proxmox VE servers: {@code /api/proxmox}
   */
  ProxmoxApi proxmox();

  /**
   * @return the audit log endpoints (admins only)
   */
  AuditApi audit();

  /**
   * @return the settings endpoints
   */
  SettingsApi settings();

  /**
   * @return the access decision, access log, card policy and reader group endpoints
   */
  AccessApi access();

  /**
   * @return the host state, storage and dashboard endpoints
   */
  SystemApi system();

  /**
   * @return the metric history endpoints
   */
  MetricsApi metrics();

  /**
   * @return the Frigate NVR endpoints: cameras, streamed snapshots, events and stats
   */
  FrigateApi frigate();

  /**
   * @return the AI hub endpoints: streamed chats, their cancellation and the running ones
   */
  AiApi ai();

  /**
   * @return the automation containers: status, start, stop and restart, and their logs
   */
  AutomationsApi automations();

  /**
   * @return the server's MQTT bridge: the topics it heard, and audited publishing
   */
  MqttApi mqtt();

  /**
   * @return sensor readings: sending them and reading their history
   */
  SensorsApi sensors();

  /**
   * @return the event stream, with subscriptions that reconnect and resume
   */
  EventsApi events();

  /**
   * @return a facade with the same methods that wait for each answer; not for use on an event loop
   */
  BlockingHomelabClient blocking();

  /**
   * Closes the connections, and the Vert.x instance if the client owns it.
   *
   * @return a future completed when closed
   */
  Future<Void> close();
}
