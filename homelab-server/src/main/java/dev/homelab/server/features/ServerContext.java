package dev.homelab.server.features;

import dev.homelab.server.ServerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * What every feature may use from the start: the Vert.x instance, the configuration, the registry
 * the features' meters go to, and the clock.
 *
 * @param vertx the Vert.x instance the server runs on
 * @param config the validated configuration
 * @param registry the registry {@code /metrics} scrapes, or {@code null} for no meters
 * @param clock the clock
 */
public record ServerContext(
    Vertx vertx, ServerConfig config, PrometheusMeterRegistry registry, Clock clock) {}
