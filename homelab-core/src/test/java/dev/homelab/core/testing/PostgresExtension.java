package dev.homelab.core.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real PostgreSQL on loopback, with a database of its own for each test class (and more on
 * request), dropped after the class.
 *
 * <p>The server comes from the {@value #PROPERTY} system property, else {@value #DEFAULT_URI} (the
 * trust-auth server on this machine). If it is unreachable, the class fails with one message naming
 * the property.
 *
 * <pre>{@code @RegisterExtension static final PostgresExtension PG = new PostgresExtension();}
 * </pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

  /** The system property that overrides the server url. */
  public static final String PROPERTY = "homelab.it.pg.uri";

  /** The server used when the property is not set. */
  public static final String DEFAULT_URI = "postgres://postgres@127.0.0.1:5432/postgres";

  private final URI server = URI.create(System.getProperty(PROPERTY, DEFAULT_URI));
  private final List<String> created = new CopyOnWriteArrayList<>();
  private String classDatabase;

  @Override
  public void beforeAll(ExtensionContext context) {
    classDatabase = newDatabase();
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    try (Connection connection = connectAdmin();
        Statement statement = connection.createStatement()) {
      for (String database : created) {
        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      created.clear();
    }
  }

  /**
   * @return the url of this class's database, for example {@code
   *     postgres://postgres@127.0.0.1:5432/hl_ab12}
   */
  public String uri() {
    return uriOf(classDatabase);
  }

  /**
   * Creates another empty database, dropped with the others after the class.
   *
   * @return the new database's name
   */
  public String newDatabase() {
    String name = "hl_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection connection = connectAdmin();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException(unreachable(e), e);
    }
    created.add(name);
    return name;
  }

  /**
   * @param database a database name
   * @return the url of that database on the test server, as the superuser
   */
  public String uriOf(String database) {
    return uriOf(database, userInfo());
  }

  /**
   * @param database a database name
   * @param userInfo {@code user} or {@code user:password}
   * @return the url of that database on the test server, as that user
   */
  public String uriOf(String database, String userInfo) {
    return "postgres://" + userInfo + "@" + server.getHost() + ":" + port() + "/" + database;
  }

  /**
   * Runs one statement as the superuser on a database, for test setup.
   *
   * @param database the database
   * @param sql the statement
   */
  public void execute(String database, String sql) {
    try (Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Opens a JDBC connection as the superuser, for assertions on the database itself.
   *
   * @param database the database
   * @return a connection the caller closes
   * @throws SQLException if it cannot connect
   */
  public Connection connect(String database) throws SQLException {
    Properties properties = new Properties();
    String userInfo = userInfo();
    int colon = userInfo.indexOf(':');
    properties.setProperty("user", colon < 0 ? userInfo : userInfo.substring(0, colon));
    if (colon >= 0) {
      properties.setProperty("password", userInfo.substring(colon + 1));
    }
    return DriverManager.getConnection(
        "jdbc:postgresql://" + server.getHost() + ":" + port() + "/" + database, properties);
  }

  private Connection connectAdmin() throws SQLException {
    String path = server.getPath();
    return connect(path == null || path.length() <= 1 ? "postgres" : path.substring(1));
  }

  private String userInfo() {
    return server.getUserInfo() == null ? "postgres" : server.getUserInfo();
  }

  private int port() {
    return server.getPort() < 0 ? 5432 : server.getPort();
  }

  private String unreachable(SQLException e) {
    return String.format(
        Locale.ROOT,
        "PostgreSQL is not usable at %s:%d (%s). Start it (.ci/run does) or point -D%s at one.",
        server.getHost(),
        port(),
        e.getMessage(),
        PROPERTY);
  }
}
