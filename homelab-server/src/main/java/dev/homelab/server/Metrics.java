package dev.homelab.server;

import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;

/**
 * The server's Micrometer wiring: a Prometheus registry with JVM and process metrics, and a Vert.x
 * instance reporting into it. HTTP server metrics are tagged by route template, method and status;
 * the raw path is never a tag (it is unbounded and may carry ids).
 */
public final class Metrics {

  private Metrics() {}

  /**
   * @return a new registry with open file descriptors bound (Vert.x adds the JVM, CPU and uptime
   *     metrics)
   */
  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new FileDescriptorMetrics().bindTo(registry);
    return registry;
  }

  /**
   * Creates a Vert.x instance that reports to the registry.
   *
   * @param options the Vert.x options; copied
   * @param registry the registry
   * @return the new instance
   */
  public static Vertx newVertx(VertxOptions options, PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            .setLabels(
                EnumSet.of(
                    Label.HTTP_ROUTE,
                    Label.HTTP_METHOD,
                    Label.HTTP_CODE,
                    Label.POOL_TYPE,
                    Label.POOL_NAME));
    return Vertx.builder()
        .with(new VertxOptions(options).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }
}
