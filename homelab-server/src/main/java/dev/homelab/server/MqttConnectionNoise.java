package dev.homelab.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops the ERROR Vert.x logs for a device gateway connection that fails before its CONNECT, and
 * nothing else. vertx-mqtt gives such a connection no exception handler (vert-x3/vertx-mqtt#26), so
 * Vert.x's {@value #LOGGER} reports every malformed packet before a CONNECT as an unhandled ERROR,
 * a line any client could repeat at will; the connection is closed all the same. Vert.x logs only
 * the failure's message there, so the gateway is told apart by where the line is logged: on the
 * context of the gateway's own verticle, deployed with {@value #GATEWAY_CONTEXT} in its
 * configuration. An unhandled failure of any other connection is still an ERROR.
 *
 * <p>Installed by {@link LogbackDefaults}; a {@code logback.xml} of one's own takes it with {@code
 * <turboFilter class="dev.homelab.server.MqttConnectionNoise"/>}.
 */
public final class MqttConnectionNoise extends TurboFilter {

  /** The logger of Vert.x's connections that have no exception handler of their own. */
  public static final String LOGGER = "io.vertx.core.net.impl.ConnectionBase";

  /** The configuration key that marks the device gateway's verticle. */
  public static final String GATEWAY_CONTEXT = "homelab.mqtt.gateway";

  /** Created by Logback. */
  public MqttConnectionNoise() {}

  @Override
  public FilterReply decide(
      Marker marker,
      Logger logger,
      Level level,
      String format,
      Object[] params,
      Throwable failure) {
    if (logger == null || !LOGGER.equals(logger.getName())) {
      return FilterReply.NEUTRAL;
    }
    return onTheGatewaysContext() ? FilterReply.DENY : FilterReply.NEUTRAL;
  }

  /**
   * @return whether the calling thread runs the device gateway's verticle now
   */
  static boolean onTheGatewaysContext() {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    return context != null
        && context.config() != null
        && context.config().getBoolean(GATEWAY_CONTEXT, false);
  }
}
