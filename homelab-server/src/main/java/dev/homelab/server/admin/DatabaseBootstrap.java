package dev.homelab.server.admin;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;

/**
 * {@code bootstrap-db}: creates, as a PostgreSQL superuser, the three roles of a least-privilege
 * deployment and the database they share, idempotently. Running it again changes nothing in the
 * catalog (roles, their attributes, grants, default privileges); it only creates or corrects what
 * is missing or different.
 *
 * <ul>
 *   <li>{@code db_admin} owns the database and its {@code public} schema, and runs the migrations
 *       ({@code DATABASE_ADMIN_URL});
 *   <li>{@code app_writer} is the server's runtime role ({@code DATABASE_URL}): SELECT, INSERT,
 *       UPDATE, DELETE on the tables and USAGE on the sequences, through default privileges of
 *       {@code db_admin}, so tables that later migrations create are covered too; it can create and
 *       drop nothing;
 *   <li>{@code app_reader} may only SELECT, for reports and exports.
 * </ul>
 *
 * <p>Passwords come from the environment ({@value #ADMIN_PASSWORD}, {@value #WRITER_PASSWORD},
 * {@value #READER_PASSWORD}); they have no default and are sent hashed (SCRAM, computed by the
 * driver), so they appear in no statement, log or command line. An existing role keeps its password
 * unless {@code --reset-passwords} is given.
 */
final class DatabaseBootstrap {

  static final String ADMIN_PASSWORD = "DB_ADMIN_PASSWORD";
  static final String WRITER_PASSWORD = "APP_WRITER_PASSWORD";
  static final String READER_PASSWORD = "APP_READER_PASSWORD";

  /** The superuser url, when {@code --superuser-url} is not given. */
  static final String SUPERUSER_URL = "DATABASE_SUPERUSER_URL";

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,40}");
  private static final Pattern PREFIX = Pattern.compile("([a-z_][a-z0-9_]{0,20})?");

  /** What to create. */
  record Plan(
      PgUrl superuser,
      String database,
      String prefix,
      String adminPassword,
      String writerPassword,
      String readerPassword,
      boolean resetPasswords) {

    String admin() {
      return prefix + "db_admin";
    }

    String writer() {
      return prefix + "app_writer";
    }

    String reader() {
      return prefix + "app_reader";
    }

    /** Never shows the passwords. */
    @Override
    public String toString() {
      return "Plan{database=" + database + ", prefix=" + prefix + "}";
    }
  }

  private final Plan plan;
  private final PrintStream out;
  private int changes;

  DatabaseBootstrap(Plan plan, PrintStream out) {
    this.plan = plan;
    this.out = out;
  }

  /**
   * Checks the names and passwords, before anything is touched.
   *
   * @return the problems, empty if none
   */
  static List<String> problems(String database, String prefix, Map<String, String> passwords) {
    java.util.ArrayList<String> problems = new java.util.ArrayList<>();
    if (database == null || !NAME.matcher(database).matches()) {
      problems.add("--database must be a lower-case name of letters, digits and _");
    }
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      problems.add("--role-prefix must be lower-case letters, digits and _, at most 21");
    }
    passwords.forEach(
        (variable, password) -> {
          if (password == null || password.isEmpty()) {
            problems.add(variable + " must be set (there is no default password)");
          } else if (password.length() < 16) {
            problems.add(variable + " must be at least 16 characters");
          } else if (password
              .toLowerCase(java.util.Locale.ROOT)
              .matches(".*(changeme|change-me|change_me|password|example|secret).*")) {
            problems.add(variable + " looks like a placeholder, not a random password");
          }
        });
    return problems;
  }

  /**
   * Creates or corrects the roles, the database and the grants.
   *
   * @return how many changes were made; 0 when everything was already in place
   * @throws SQLException if PostgreSQL refuses a step
   */
  int run() throws SQLException {
    String admin = plan.admin();
    String writer = plan.writer();
    String reader = plan.reader();
    try (Connection cluster = plan.superuser().connect("homelab-bootstrap")) {
      requireSuperuser(cluster);
      ensureRole(cluster, admin, plan.adminPassword());
      ensureRole(cluster, writer, plan.writerPassword());
      ensureRole(cluster, reader, plan.readerPassword());
      ensureDatabase(cluster, plan.database(), admin);
    }
    String db = PgUrl.quote(plan.database());
    try (Connection database =
            plan.superuser().withDatabase(plan.database()).connect("homelab-bootstrap");
        Statement statement = database.createStatement()) {
      String a = PgUrl.quote(admin);
      String w = PgUrl.quote(writer);
      String r = PgUrl.quote(reader);
      // Only the three roles may connect; nobody may create temporary tables but the owner.
      statement.execute("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
      statement.execute("GRANT CONNECT ON DATABASE " + db + " TO " + w + ", " + r);
      String schemaOwner =
          single(
              database,
              "SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ?",
              "public");
      if (!admin.equals(schemaOwner)) {
        statement.execute("ALTER SCHEMA public OWNER TO " + a);
        change("schema public now owned by " + admin);
      }
      // PostgreSQL before 15 let everyone create tables in public.
      statement.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
      statement.execute("GRANT USAGE ON SCHEMA public TO " + w + ", " + r);
      // Tables and sequences the migrations will create (as the admin role)...
      String defaults = "ALTER DEFAULT PRIVILEGES FOR ROLE " + a + " IN SCHEMA public ";
      statement.execute(defaults + "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO " + w);
      statement.execute(defaults + "GRANT SELECT ON TABLES TO " + r);
      statement.execute(defaults + "GRANT USAGE ON SEQUENCES TO " + w);
      // ... and those that exist already (a bootstrap run after the first migration).
      statement.execute(
          "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + w);
      statement.execute("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + r);
      statement.execute("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + w);
    }
    out.println(
        changes == 0
            ? "Database "
                + plan.database()
                + " and its roles were already in place: nothing changed."
            : "Database " + plan.database() + " bootstrapped (" + changes + " changes).");
    out.println(
        "Roles: "
            + admin
            + " (DATABASE_ADMIN_URL), "
            + writer
            + " (DATABASE_URL), "
            + reader
            + " (read only).");
    return changes;
  }

  private void change(String what) {
    changes++;
    out.println("  " + what);
  }

  private static void requireSuperuser(Connection connection) throws SQLException {
    String superuser = single(connection, "SELECT current_setting('is_superuser')", null);
    if (!"on".equals(superuser)) {
      throw new SQLException("the bootstrap must connect as a superuser (such as postgres)");
    }
  }

  private static final String ATTRIBUTES =
      "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT";

  private void ensureRole(Connection connection, String role, String password) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT rolcanlogin AND NOT rolsuper AND NOT rolcreatedb AND NOT rolcreaterole"
                + " AND NOT rolreplication AND NOT rolbypassrls AND rolinherit"
                + " FROM pg_roles WHERE rolname = ?")) {
      query.setString(1, role);
      try (ResultSet rows = query.executeQuery();
          Statement statement = connection.createStatement()) {
        if (!rows.next()) {
          statement.execute("CREATE ROLE " + PgUrl.quote(role) + " " + ATTRIBUTES);
          setPassword(connection, role, password);
          change("role " + role + " created");
          return;
        }
        if (!rows.getBoolean(1)) {
          statement.execute("ALTER ROLE " + PgUrl.quote(role) + " " + ATTRIBUTES);
          change("role " + role + " reset to " + ATTRIBUTES);
        }
        if (plan.resetPasswords()) {
          setPassword(connection, role, password);
          change("role " + role + ": password set from the environment");
        }
      }
    }
  }

  /** The driver hashes the password (SCRAM) and sends only the hash. */
  private static void setPassword(Connection connection, String role, String password)
      throws SQLException {
    connection
        .unwrap(PGConnection.class)
        .alterUserPassword(role, password.toCharArray(), "scram-sha-256");
  }

  private void ensureDatabase(Connection connection, String database, String owner)
      throws SQLException {
    String current =
        single(
            connection,
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = ?",
            database);
    try (Statement statement = connection.createStatement()) {
      if (current == null) {
        statement.execute(
            "CREATE DATABASE " + PgUrl.quote(database) + " OWNER " + PgUrl.quote(owner));
        change("database " + database + " created, owned by " + owner);
      } else if (!current.equals(owner)) {
        statement.execute(
            "ALTER DATABASE " + PgUrl.quote(database) + " OWNER TO " + PgUrl.quote(owner));
        change("database " + database + " now owned by " + owner + " (was " + current + ")");
      }
    }
  }

  private static String single(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      if (parameter != null) {
        query.setString(1, parameter);
      }
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getString(1) : null;
      }
    }
  }
}
