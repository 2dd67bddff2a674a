package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * {@link MqttConnectionNoise} drops Vert.x's unhandled-connection ERROR only on the device
 * gateway's own context: the same line elsewhere, or another logger's line there, is kept.
 */
class MqttConnectionNoiseTest {

  private final LoggerContext logging = new LoggerContext();
  private final MqttConnectionNoise filter = new MqttConnectionNoise();

  @Test
  void onlyVertxsConnectionLinesOnTheGatewaysContextAreDropped() {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject marked = new JsonObject().put(MqttConnectionNoise.GATEWAY_CONTEXT, true);
      assertThat(await(decideIn(vertx, marked, MqttConnectionNoise.LOGGER)))
          .isEqualTo(FilterReply.DENY);
      assertThat(await(decideIn(vertx, marked, "dev.homelab.server.mqtt.MqttGateway")))
          .isEqualTo(FilterReply.NEUTRAL);
      assertThat(await(decideIn(vertx, new JsonObject(), MqttConnectionNoise.LOGGER)))
          .isEqualTo(FilterReply.NEUTRAL);
      assertThat(decide(MqttConnectionNoise.LOGGER))
          .as("no context")
          .isEqualTo(FilterReply.NEUTRAL);
    } finally {
      await(vertx.close());
    }
  }

  /** What the filter decides for a line logged from a verticle deployed with {@code config}. */
  private Future<FilterReply> decideIn(Vertx vertx, JsonObject config, String logger) {
    Promise<FilterReply> reply = Promise.promise();
    vertx
        .deployVerticle(
            new VerticleBase() {
              @Override
              public Future<?> start() {
                reply.complete(decide(logger));
                return Future.succeededFuture();
              }
            },
            new DeploymentOptions().setConfig(config))
        .onFailure(reply::tryFail);
    return reply.future();
  }

  private FilterReply decide(String logger) {
    return filter.decide(null, logging.getLogger(logger), Level.ERROR, "bad packet", null, null);
  }
}
