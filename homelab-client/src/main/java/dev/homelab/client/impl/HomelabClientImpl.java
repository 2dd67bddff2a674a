package dev.homelab.client.impl;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
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
import dev.homelab.client.metrics.MetricsApi;
import dev.homelab.client.mqtt.MqttApi;
import dev.homelab.client.proxmox.ProxmoxApi;
import dev.homelab.client.sensors.SensorsApi;
import dev.homelab.client.system.Health;
import dev.homelab.client.system.SettingsApi;
import dev.homelab.client.system.SystemApi;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.Map;

/**
 * {@link HomelabClient} as one {@link Transport} and one client per resource over it. It only
 * assembles them, and closes them in order.
 */
public final class HomelabClientImpl implements HomelabClient {

  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Transport transport;
  private final AuthApi auth;
  private final UsersApi users;
  private final DevicesApi devices;
  private final FilesApi files;
  private final ProxmoxApi proxmox;
  private final AuditApi audit;
  private final SettingsApi settings;
  private final AccessApi access;
  private final SystemApi system;
  private final MetricsApi metrics;
  private final FrigateApi frigate;
  private final AiClient ai;
  private final AutomationsClient automations;
  private final MqttClient mqtt;
  private final SensorsClient sensors;
  private final EventsClient events;
  private final BlockingHomelabClient blocking;

  /**
   * @param vertx the Vert.x to run on
   * @param options the options, already copied
   * @param ownsVertx whether {@link #close()} closes {@code vertx}
   */
  public HomelabClientImpl(Vertx vertx, HomelabClientOptions options, boolean ownsVertx) {
    this.vertx = vertx;
    this.ownsVertx = ownsVertx;
    this.transport = new Transport(vertx, options);
    this.auth = new AuthClient(transport);
    this.users = new UsersClient(transport);
    this.devices = new DevicesClient(transport);
    this.files = new FilesClient(transport);
    this.proxmox = new ProxmoxHttpClient(transport);
    this.audit = new AuditClient(transport);
    this.settings = new SettingsClient(transport);
    this.access = new AccessClient(transport);
    this.system = new SystemClient(transport);
    this.metrics = new MetricsClient(transport);
    this.frigate = new FrigateClient(transport);
    this.ai = new AiClient(transport);
    this.automations = new AutomationsClient(transport);
    this.mqtt = new MqttClient(transport);
    this.sensors = new SensorsClient(transport);
    this.events = new EventsClient(transport);
    this.blocking = new BlockingHomelabClient(this, options.getTimeoutMs());
  }

  @Override
  public Future<Health> health() {
    return transport
        .send(transport.credential(), HttpMethod.GET, "/health", Map.of(), null, 200, 503)
        .map(response -> Health.fromJson(response.bodyAsJsonObject()));
  }

  @Override
  public AuthApi auth() {
    return auth;
  }

  @Override
  public UsersApi users() {
    return users;
  }

  @Override
  public DevicesApi devices() {
    return devices;
  }

  @Override
  public FilesApi files() {
    return files;
  }

  @Override
  public ProxmoxApi proxmox() {
    return proxmox;
  }

  @Override
  public AuditApi audit() {
    return audit;
  }

  @Override
  public SettingsApi settings() {
    return settings;
  }

  @Override
  public SystemApi system() {
    return system;
  }

  @Override
  public MetricsApi metrics() {
    return metrics;
  }

  @Override
  public FrigateApi frigate() {
    return frigate;
  }

  @Override
  public AiApi ai() {
    return ai;
  }

  @Override
  public AutomationsApi automations() {
    return automations;
  }

  @Override
  public MqttApi mqtt() {
    return mqtt;
  }

  @Override
  public SensorsApi sensors() {
    return sensors;
  }

  @Override
  public EventsApi events() {
    return events;
  }

  @Override
  public AccessApi access() {
    return access;
  }

  @Override
  public BlockingHomelabClient blocking() {
    return blocking;
  }

  @Override
  public Future<Void> close() {
    events.closeAll();
    ai.closeAll();
    automations.closeAll();
    mqtt.closeAll();
    transport.close();
    return ownsVertx ? vertx.close() : Future.succeededFuture();
  }
}
