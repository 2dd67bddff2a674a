package dev.homelab.server.admin;

import dev.homelab.server.InvalidConfigException;
import dev.homelab.server.ServerConfig;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The sub-commands of {@code java -jar homelab-server.jar <command>}: {@code bootstrap-db}, {@code
 * backup} and {@code restore}. Exit codes: 0 done, 1 failed, 2 refused (bad usage, an invalid
 * configuration, a non-empty restore target without {@code --force}).
 */
public final class AdminCommands {

  /** Exit code for a refusal the operator can act on. */
  public static final int EXIT_REFUSED = 2;

  /** Exit code for a failure. */
  public static final int EXIT_FAILED = 1;

  /** The sub-command names. */
  public static final Set<String> NAMES = Set.of("bootstrap-db", "backup", "restore", "help");

  private static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar homelab-server.jar [command]",
          "  (no command)     run the server",
          "  bootstrap-db [--superuser-url URL] [--database homelab] [--role-prefix P]"
              + " [--reset-passwords]",
          "                   PostgreSQL: create the roles db_admin, app_writer, app_reader, the"
              + " database and the grants; idempotent.",
          "                   Passwords from DB_ADMIN_PASSWORD, APP_WRITER_PASSWORD,"
              + " APP_READER_PASSWORD; the superuser url from DATABASE_SUPERUSER_URL.",
          "  backup [--output FILE|DIR]",
          "                   archive the database (DATABASE_URL) and DATA_DIR, while the server"
              + " runs",
          "  restore ARCHIVE [--force]",
          "                   restore an archive into an empty database and DATA_DIR (server"
              + " stopped)",
          "See docs/deployment.md.");

  private AdminCommands() {}

  /**
   * Runs one sub-command.
   *
   * @param args the command line, the command first
   * @param env the environment: the server's configuration and the commands' own variables
   * @param sys the system properties ({@code homelab.*} configure the server)
   * @param out where results go
   * @param err where problems go
   * @return the exit code
   */
  public static int run(
      List<String> args,
      Map<String, String> env,
      Properties sys,
      PrintStream out,
      PrintStream err) {
    String command = args.get(0);
    Map<String, String> options = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--force") || arg.equals("--reset-passwords")) {
        options.put(arg, "true");
      } else if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        if (eq > 0) {
          options.put(arg.substring(0, eq), arg.substring(eq + 1));
        } else if (i + 1 < args.size()) {
          options.put(arg, args.get(++i));
        } else {
          err.println(arg + " needs a value.\n" + USAGE);
          return EXIT_REFUSED;
        }
      } else {
        positional.add(arg);
      }
    }
    Invocation call = new Invocation(options, positional, env, sys, out, err);
    try {
      return switch (command) {
        case "bootstrap-db" -> bootstrap(call);
        case "backup" -> backup(call);
        case "restore" -> restore(call);
        default -> {
          out.println(USAGE);
          yield 0;
        }
      };
    } catch (Restore.Refused e) {
      err.println("Refused: " + e.getMessage());
      return EXIT_REFUSED;
    } catch (Exception e) {
      // Messages name roles, files and tools, never a password: urls are shown redacted.
      err.println(command + " failed: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static int bootstrap(Invocation call) throws Exception {
    if (!unknown(
        call.options(),
        Set.of("--superuser-url", "--database", "--role-prefix", "--reset-passwords"),
        call.positional(),
        call.err())) {
      return EXIT_REFUSED;
    }
    String url = call.options().get("--superuser-url");
    if (url != null && PgUrl.parse(url).password() != null) {
      call.err()
          .println(
              "--superuser-url must not hold a password (it would show in the process list): put the"
                  + " url in DATABASE_SUPERUSER_URL, or the password in PGPASSWORD.");
      return EXIT_REFUSED;
    }
    if (url == null) {
      url =
          call.env()
              .getOrDefault(
                  DatabaseBootstrap.SUPERUSER_URL, "postgres://postgres@127.0.0.1/postgres");
    }
    PgUrl superuser = PgUrl.parse(url);
    if (superuser.password() == null && call.env().get("PGPASSWORD") != null) {
      superuser =
          new PgUrl(
              superuser.host(),
              superuser.port(),
              superuser.database(),
              superuser.user(),
              call.env().get("PGPASSWORD"),
              superuser.sslMode());
    }
    String database = call.options().getOrDefault("--database", "homelab");
    String prefix = call.options().getOrDefault("--role-prefix", "");
    Map<String, String> passwords = new LinkedHashMap<>();
    for (String variable :
        List.of(
            DatabaseBootstrap.ADMIN_PASSWORD,
            DatabaseBootstrap.WRITER_PASSWORD,
            DatabaseBootstrap.READER_PASSWORD)) {
      passwords.put(variable, call.env().get(variable));
    }
    List<String> problems = DatabaseBootstrap.problems(database, prefix, passwords);
    if (!problems.isEmpty()) {
      call.err().println("Nothing was changed:\n  - " + String.join("\n  - ", problems));
      return EXIT_REFUSED;
    }
    new DatabaseBootstrap(
            new DatabaseBootstrap.Plan(
                superuser,
                database,
                prefix,
                passwords.get(DatabaseBootstrap.ADMIN_PASSWORD),
                passwords.get(DatabaseBootstrap.WRITER_PASSWORD),
                passwords.get(DatabaseBootstrap.READER_PASSWORD),
                call.options().containsKey("--reset-passwords")),
            call.out())
        .run();
    return 0;
  }

  private static int backup(Invocation call) throws Exception {
    if (!unknown(call.options(), Set.of("--output"), call.positional(), call.err())) {
      return EXIT_REFUSED;
    }
    ServerConfig config = config(call.env(), call.sys());
    Path archive =
        Backup.run(
            config, Path.of(call.options().getOrDefault("--output", ".")), Clock.systemUTC());
    call.out().println("Backup written to " + archive);
    return 0;
  }

  private static int restore(Invocation call) throws Exception {
    if (call.positional().size() != 1) {
      call.err().println("restore needs one archive.\n" + USAGE);
      return EXIT_REFUSED;
    }
    if (!unknown(call.options(), Set.of("--force"), List.of(), call.err())) {
      return EXIT_REFUSED;
    }
    ServerConfig config = config(call.env(), call.sys());
    JsonObject manifest =
        Restore.run(
            config, Path.of(call.positional().get(0)), call.options().containsKey("--force"));
    call.out()
        .println(
            "Restored the "
                + manifest.getString("kind")
                + " backup of "
                + manifest.getString("created_at")
                + " (schema version "
                + manifest.getString("schema_version")
                + ", Homelab "
                + manifest.getString("homelab_version")
                + "). Start the server: it migrates to its own schema version if it is newer.");
    return 0;
  }

  /** One command line, parsed, with where it reads and writes. */
  private record Invocation(
      Map<String, String> options,
      List<String> positional,
      Map<String, String> env,
      Properties sys,
      PrintStream out,
      PrintStream err) {}

  private static boolean unknown(
      Map<String, String> options, Set<String> known, List<String> positional, PrintStream err) {
    for (String option : options.keySet()) {
      if (!known.contains(option)) {
        err.println("Unknown option " + option + ".\n" + USAGE);
        return false;
      }
    }
    if (!positional.isEmpty()) {
      err.println("Unexpected argument " + positional.get(0) + ".\n" + USAGE);
      return false;
    }
    return true;
  }

  private static ServerConfig config(Map<String, String> env, Properties sys) throws Exception {
    ServerConfig config = ServerConfig.loadBlocking(env, sys);
    if (!config.problems().isEmpty()) {
      throw new Restore.Refused(new InvalidConfigException(config.problems()).getMessage());
    }
    return config;
  }
}
