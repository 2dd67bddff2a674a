package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.devices.NewDevice;
import dev.homelab.core.testing.PostgresExtension;
import dev.homelab.server.admin.AdminCommands;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bootstrap-db} against the real PostgreSQL: the three roles, idempotent to the catalog, and
 * a server that migrates as {@code db_admin} and runs as {@code app_writer}, which cannot change
 * the schema, while {@code app_reader} only reads. Roles are cluster-global: this class uses a
 * prefix of its own and drops its roles afterwards.
 */
class DatabaseBootstrapIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  private static final String PREFIX =
      "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";

  private static final List<String> DATABASES = new ArrayList<>();

  private static final Map<String, String> PASSWORDS =
      Map.of(
          "DB_ADMIN_PASSWORD", "adm-" + UUID.randomUUID(),
          "APP_WRITER_PASSWORD", "wrt-" + UUID.randomUUID(),
          "APP_READER_PASSWORD", "rdr-" + UUID.randomUUID());

  @TempDir Path dir;

  static {
    PASSWORDS.values().forEach(TestSecrets::remember);
  }

  static AdminRun bootstrap(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("bootstrap-db"));
    command.addAll(List.of(args));
    Map<String, String> all = new HashMap<>(env);
    all.put("DATABASE_SUPERUSER_URL", PG.uriOf("postgres"));
    AdminRun result = AdminRun.of(all, command);
    for (String password : PASSWORDS.values()) {
      assertThat(result.printed()).doesNotContain(password);
    }
    return result;
  }

  static String newDatabaseName() {
    String name = "hl_boot_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    DATABASES.add(name);
    return name;
  }

  static AdminRun bootstrap(String database) {
    return bootstrap(PASSWORDS, "--database", database, "--role-prefix", PREFIX);
  }

  static String url(String role, String database) {
    String password =
        PASSWORDS.get(
            switch (role) {
              case "db_admin" -> "DB_ADMIN_PASSWORD";
              case "app_writer" -> "APP_WRITER_PASSWORD";
              default -> "APP_READER_PASSWORD";
            });
    return PG.uriOf(database, PREFIX + role + ":" + password);
  }

  @AfterAll
  static void dropRoles() throws SQLException {
    try (Connection postgres = PG.connect("postgres");
        Statement statement = postgres.createStatement()) {
      for (String database : DATABASES) {
        statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      for (String role : List.of("app_reader", "app_writer", "db_admin")) {
        statement.execute("DROP ROLE IF EXISTS " + PREFIX + role);
      }
    }
  }

  /** Everything the bootstrap decides, as text: roles, grants, default privileges, owners. */
  static List<String> catalog(String database) throws SQLException {
    List<String> snapshot = new ArrayList<>();
    try (Connection postgres = PG.connect("postgres")) {
      query(
          postgres,
          "SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,"
              + " rolreplication, rolbypassrls, rolconnlimit, rolvaliduntil, rolpassword"
              + " FROM pg_authid WHERE rolname LIKE '"
              + PREFIX
              + "%' ORDER BY rolname",
          snapshot);
      query(
          postgres,
          "SELECT datname, pg_get_userbyid(datdba), datacl::text FROM pg_database"
              + " WHERE datname = '"
              + database
              + "'",
          snapshot);
    }
    try (Connection db = PG.connect(database)) {
      query(
          db,
          "SELECT nspname, pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace"
              + " WHERE nspname = 'public'",
          snapshot);
      query(
          db,
          "SELECT relname, relkind, pg_get_userbyid(relowner), relacl::text FROM pg_class"
              + " WHERE relnamespace = 'public'::regnamespace ORDER BY relname",
          snapshot);
      query(
          db,
          "SELECT pg_get_userbyid(defaclrole), defaclnamespace::regnamespace::text,"
              + " defaclobjtype, defaclacl::text FROM pg_default_acl ORDER BY 1, 2, 3",
          snapshot);
    }
    // role_table_grants shows only grants of which the current role is grantor or grantee: read
    // it as db_admin, the owner that grants the writer and the reader their rights.
    try (Connection admin = connect(PREFIX + "db_admin", database)) {
      query(
          admin,
          "SELECT grantor, grantee, table_name, privilege_type"
              + " FROM information_schema.role_table_grants WHERE table_schema = 'public'"
              + " ORDER BY 1, 2, 3, 4",
          snapshot);
    }
    return snapshot;
  }

  private static void query(Connection connection, String sql, List<String> into)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      int columns = rows.getMetaData().getColumnCount();
      while (rows.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns; i++) {
          row.append(rows.getString(i)).append(" | ");
        }
        into.add(row.toString());
      }
    }
  }

  @Test
  void runningTheBootstrapAgainChangesNothingBeforeAndAfterMigrations() throws Exception {
    String database = newDatabaseName();
    AdminRun first = bootstrap(database);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("created");
    List<String> afterFirst = catalog(database);
    assertThat(afterFirst).anyMatch(row -> row.startsWith(PREFIX + "app_writer"));

    AdminRun second = bootstrap(database);
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.out()).contains("nothing changed");
    assertThat(catalog(database)).isEqualTo(afterFirst);

    // The server migrates as db_admin: the tables are db_admin's, and the default privileges
    // give the writer and the reader their rights on every one of them.
    try (ServerTesting lab = ServerTesting.start(dir, leastPrivilege(database))) {
      assertThat(lab.server).isNotNull();
    }
    List<String> migrated = catalog(database);
    assertThat(migrated).anyMatch(row -> row.startsWith("devices | r | " + PREFIX + "db_admin"));
    assertThat(migrated)
        .as("default privileges covered the tables the migrations created")
        .contains(
            PREFIX + "db_admin | " + PREFIX + "app_writer | devices | DELETE | ",
            PREFIX + "db_admin | " + PREFIX + "app_reader | devices | SELECT | ")
        .doesNotContain(PREFIX + "db_admin | " + PREFIX + "app_reader | devices | INSERT | ");
    AdminRun third = bootstrap(database);
    assertThat(third.code()).as(third.err()).isZero();
    assertThat(third.out()).contains("nothing changed");
    assertThat(catalog(database)).isEqualTo(migrated);
  }

  static Map<String, String> leastPrivilege(String database) {
    return Map.of(
        "DATABASE_ADMIN_URL", url("db_admin", database),
        "DATABASE_URL", url("app_writer", database),
        "METRICS_INTERVAL_HOST", "0");
  }

  @Test
  void theServerRunsAsAppWriterWhichCannotChangeTheSchemaAndTheReaderOnlyReads() throws Exception {
    String database = newDatabaseName();
    assertThat(bootstrap(database).code()).isZero();
    try (ServerTesting lab = ServerTesting.start(dir, leastPrivilege(database))) {
      await(lab.client.settings().put("roles.drill", "written by app_writer"));
      await(lab.client.devices().create(new NewDevice("writer's sensor", "sensor")));
      assertThat(await(lab.client.devices().list()).items()).hasSize(1);
    }
    try (Connection writer = connect(PREFIX + "app_writer", database);
        Statement statement = writer.createStatement()) {
      statement.execute("UPDATE settings SET updated_at = updated_at");
      assertThatThrownBy(() -> statement.execute("CREATE TABLE intruder (id int)"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("DROP TABLE settings"))
          .hasMessageContaining("must be owner");
      assertThatThrownBy(() -> statement.execute("CREATE TEMP TABLE scratch (id int)"))
          .hasMessageContaining("permission denied");
    }
    try (Connection reader = connect(PREFIX + "app_reader", database);
        Statement statement = reader.createStatement()) {
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM devices")) {
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(1);
      }
      try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_log")) {
        rows.next();
        assertThat(rows.getInt(1)).isPositive();
      }
      assertThatThrownBy(() -> statement.execute("DELETE FROM settings"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("INSERT INTO settings VALUES ('x', '1', now())"))
          .hasMessageContaining("permission denied");
      assertThatThrownBy(() -> statement.execute("CREATE TABLE intruder (id int)"))
          .hasMessageContaining("permission denied");
    }
  }

  @Test
  void aBackupTakenAsDbAdminRestoresIntoAFreshBootstrappedDatabaseThatTheWriterUses()
      throws Exception {
    String source = newDatabaseName();
    assertThat(bootstrap(source).code()).isZero();
    Path sourceData = dir.resolve("source");
    try (ServerTesting lab = ServerTesting.start(sourceData, leastPrivilege(source))) {
      await(lab.client.devices().create(new NewDevice("restored sensor", "sensor")));
    }
    Map<String, String> sourceEnv = new HashMap<>(leastPrivilege(source));
    sourceEnv.put("DATA_DIR", sourceData.toString());
    Path archives = java.nio.file.Files.createDirectories(dir.resolve("archives"));
    AdminRun backup = AdminRun.of(sourceEnv, List.of("backup", "--output", archives.toString()));
    assertThat(backup.code()).as(backup.err()).isZero();
    Path archive = RestoreDrillContract.onlyArchive(archives);

    String target = newDatabaseName();
    assertThat(bootstrap(target).code()).isZero();
    Path targetData = dir.resolve("target");
    Map<String, String> targetEnv = new HashMap<>(leastPrivilege(target));
    targetEnv.put("DATA_DIR", targetData.toString());
    AdminRun restore = AdminRun.of(targetEnv, List.of("restore", archive.toString()));
    assertThat(restore.code()).as(restore.err()).isZero();
    for (String password : PASSWORDS.values()) {
      assertThat(backup.printed() + restore.printed()).doesNotContain(password);
    }

    // The restored tables are db_admin's, so its default privileges covered them.
    try (Connection reader = connect(PREFIX + "app_reader", target);
        Statement statement = reader.createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM devices")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("restored sensor");
    }
    try (ServerTesting lab = ServerTesting.start(targetData, leastPrivilege(target))) {
      assertThat(await(lab.client.devices().list()).items())
          .extracting(dev.homelab.client.devices.Device::name)
          .containsExactly("restored sensor");
      await(lab.client.devices().create(new NewDevice("after the restore", "sensor")));
    }
  }

  @Test
  void missingOrWeakPasswordsChangeNothing() throws Exception {
    String database = newDatabaseName();
    Map<String, String> weak = new HashMap<>(PASSWORDS);
    weak.remove("APP_READER_PASSWORD");
    weak.put("APP_WRITER_PASSWORD", "changeme");
    AdminRun refused = bootstrap(weak, "--database", database, "--role-prefix", "test_never_");
    assertThat(refused.code()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(refused.err())
        .contains("APP_READER_PASSWORD must be set")
        .contains("APP_WRITER_PASSWORD must be at least 16 characters");
    try (Connection postgres = PG.connect("postgres");
        PreparedStatement query =
            postgres.prepareStatement(
                "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'test\\_never\\_%'")) {
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        assertThat(rows.getInt(1)).isZero();
      }
    }
    AdminRun inArgv =
        bootstrap(PASSWORDS, "--superuser-url", "postgres://postgres:hunter2hunter2@127.0.0.1/x");
    assertThat(inArgv.code()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(inArgv.err()).contains("must not hold a password").doesNotContain("hunter2");
  }

  private static Connection connect(String role, String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", role);
    URIHolder server = new URIHolder(PG.uriOf(database));
    return DriverManager.getConnection(
        "jdbc:postgresql://" + server.host + ":" + server.port + "/" + database, properties);
  }

  private record URIHolder(String host, int port) {
    URIHolder(String url) {
      this(java.net.URI.create(url).getHost(), java.net.URI.create(url).getPort());
    }
  }
}
