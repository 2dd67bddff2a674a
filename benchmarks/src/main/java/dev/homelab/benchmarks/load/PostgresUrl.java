package dev.homelab.benchmarks.load;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** The load drivers' {@code --pg} URL, as the server takes it, opened through JDBC. */
final class PostgresUrl {

  private PostgresUrl() {}

  /**
   * @param url {@code postgres://user[:password]@host[:port]/database}; the user defaults to {@code
   *     postgres}
   * @return a new connection, in autocommit mode
   */
  static Connection connect(String url) throws SQLException {
    URI uri = URI.create(url);
    Properties properties = new Properties();
    String userInfo = uri.getUserInfo() == null ? "postgres" : uri.getUserInfo();
    int colon = userInfo.indexOf(':');
    properties.setProperty("user", colon < 0 ? userInfo : userInfo.substring(0, colon));
    if (colon >= 0) {
      properties.setProperty("password", userInfo.substring(colon + 1));
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + uri.getHost()
            + ":"
            + (uri.getPort() < 0 ? 5432 : uri.getPort())
            + uri.getPath(),
        properties);
  }
}
