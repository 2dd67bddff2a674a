package dev.homelab.server.features;

import dev.homelab.core.health.SystemHealth;
import dev.homelab.core.store.StorageStatus;
import io.vertx.redis.client.RedisAPI;
import java.util.List;

/**
 * The features whose parts {@code GET /api/health/detailed} checks besides the store: Redis, the
 * MQTT bridge and the upstreams. Read once they started, since their clients exist only then (and
 * not at all when they are not configured).
 *
 * @param redis the Redis client, if {@code REDIS_URL} is set
 * @param mqtt the bridge to the MQTT broker, if {@code MQTT_URL} is set
 * @param proxmox the Proxmox servers
 * @param frigate Frigate, if configured
 * @param automations the automation API, if configured
 * @param ai the AI hub, if configured
 */
public record HealthSources(
    RedisFeature redis,
    MqttFeature mqtt,
    ProxmoxFeature proxmox,
    FrigateFeature frigate,
    AutomationsFeature automations,
    AiFeature ai) {

  /**
   * @param context the server's context
   * @param storage the started store
   * @return the detailed health of the store and of these features' parts
   */
  SystemHealth systemHealth(ServerContext context, StorageStatus storage) {
    RedisAPI redisApi = redis.redis() == null ? null : RedisAPI.api(redis.redis());
    return new SystemHealth(context.vertx(), context.clock())
        .database(storage.kind().label(), storage::ping)
        .redis(redisApi == null ? null : () -> redisApi.ping(List.of()))
        .mqtt(mqtt.bridge())
        .proxmox(proxmox.client())
        .frigate(frigate.client())
        .automations(automations.client())
        .aiHub(ai.client());
  }
}
