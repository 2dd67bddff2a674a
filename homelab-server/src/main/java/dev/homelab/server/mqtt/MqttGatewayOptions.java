package dev.homelab.server.mqtt;

/**
 * How the gateway listens ({@code MQTT_GATEWAY_*}).
 *
 * @param host the interface to listen on
 * @param port the TCP port; 0: the gateway is off
 * @param maxConnections the most devices connected at once; the next one is refused (server
 *     unavailable)
 * @param maxMessageBytes the largest MQTT packet; a larger one closes its connection
 * @param maxKeepAliveSeconds the longest keep-alive a device may ask for: one asking for none or
 *     more is held to this, closed after one and a half of it without a packet
 * @param connectTimeoutSeconds how long a new connection has to send its whole CONNECT before it is
 *     closed
 */
public record MqttGatewayOptions(
    String host,
    int port,
    int maxConnections,
    int maxMessageBytes,
    int maxKeepAliveSeconds,
    int connectTimeoutSeconds) {

  /**
   * @return whether the gateway listens at all
   */
  public boolean enabled() {
    return port != 0;
  }
}
