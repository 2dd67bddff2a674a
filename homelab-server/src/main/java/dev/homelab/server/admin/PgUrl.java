package dev.homelab.server.admin;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A parsed {@code postgres://} url, to connect with JDBC or to hand to {@code pg_dump} and {@code
 * pg_restore} through libpq's environment (never their command line). A missing database name
 * defaults to the user name, as with libpq and the server.
 */
record PgUrl(String host, int port, String database, String user, String password, String sslMode) {

  static PgUrl parse(String url) {
    String normalized =
        url.regionMatches(true, 0, "postgres://", 0, 11)
            ? "postgresql://" + url.substring(11)
            : url;
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(normalized);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a valid postgres:// url", null);
    }
    String path = URI.create(normalized).getRawPath();
    String database =
        path == null || path.isEmpty() || path.equals("/")
            ? options.getUser()
            : options.getDatabase();
    SslMode ssl = options.getSslMode();
    return new PgUrl(
        options.getHost(),
        options.getPort(),
        database,
        options.getUser(),
        options.getPassword(),
        ssl == null || ssl == SslMode.DISABLE
            ? null
            : ssl.name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  /**
   * @param otherDatabase a database name
   * @return this url with another database
   */
  PgUrl withDatabase(String otherDatabase) {
    return new PgUrl(host, port, otherDatabase, user, password, sslMode);
  }

  Connection connect(String applicationName) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    if (sslMode != null) {
      properties.setProperty("sslmode", sslMode);
    }
    properties.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(
        "jdbc:postgresql://" + host + ":" + port + "/" + database, properties);
  }

  /**
   * @return libpq's environment for this url: PGHOST, PGPORT, PGDATABASE, PGUSER and, if the url
   *     has one, PGPASSWORD; so that no secret is on a command line
   */
  Map<String, String> libpqEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", host);
    env.put("PGPORT", Integer.toString(port));
    env.put("PGDATABASE", database);
    env.put("PGUSER", user);
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    if (sslMode != null) {
      env.put("PGSSLMODE", sslMode);
    }
    return env;
  }

  /** Never shows the password. */
  @Override
  public String toString() {
    return "postgres://"
        + user
        + (password == null ? "" : ":***")
        + "@"
        + host
        + ":"
        + port
        + "/"
        + database;
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
