package dev.homelab.server;

import dev.homelab.core.HomelabException;
import dev.homelab.core.store.Storage;
import dev.homelab.server.admin.AdminCommands;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar homelab-server.jar}: reads the configuration, refuses to start with a list of
 * every problem (exit code 2), else starts the server and stops it gracefully on SIGTERM or SIGINT
 * (exit code 0). With a sub-command ({@code bootstrap-db}, {@code backup}, {@code restore}, {@code
 * help}) it runs that instead, with the same configuration, and exits with its code ({@link
 * AdminCommands}).
 */
public final class Main {

  /** Exit code for an invalid configuration. */
  public static final int EXIT_INVALID_CONFIG = 2;

  /** Exit code for a failure while starting (store unreachable, port taken). */
  public static final int EXIT_START_FAILED = 1;

  private static final AtomicBoolean STOPPING = new AtomicBoolean();

  private Main() {}

  /**
   * Runs the server until a signal stops it.
   *
   * @param args empty to run the server, else a sub-command and its options; configuration comes
   *     from the environment and {@code HOMELAB_CONFIG}
   */
  public static void main(String[] args) {
    if (args.length > 0) {
      System.exit(command(List.of(args), System.getenv(), System.getProperties()));
    }
    int code = loadAndValidate(System.getenv(), System.getProperties(), System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs a sub-command, or refuses an unknown one.
   *
   * @return the exit code
   */
  static int command(List<String> args, Map<String, String> env, Properties sys) {
    if (!AdminCommands.NAMES.contains(args.get(0))) {
      System.err.println("Unknown command " + args.get(0) + "; see help.");
      return EXIT_INVALID_CONFIG;
    }
    return AdminCommands.run(args, env, sys, System.out, System.err);
  }

  /**
   * Loads the configuration and, if it is valid, starts the server.
   *
   * @return 0 if the server is running, else the exit code
   */
  static int loadAndValidate(Map<String, String> env, Properties sys, PrintStream err) {
    ServerConfig config = ServerConfig.loadBlocking(env, sys);
    if (!config.problems().isEmpty()) {
      err.println(new InvalidConfigException(config.problems()).getMessage());
      err.println("Nothing was started. See .env.example or docs/configuration.md for every key.");
      return EXIT_INVALID_CONFIG;
    }
    return start(config);
  }

  private static int start(ServerConfig config) {
    LoggingSetup.apply(config);
    Logger log = LoggerFactory.getLogger(Main.class);
    prepareStorage(config, log);
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.newVertx(new VertxOptions(), registry);
    HomelabServer server;
    try {
      server = HomelabServer.start(vertx, config, registry).await();
    } catch (Throwable e) {
      // Not only RuntimeException: await() rethrows a checked cause as it is (a BindException
      // did, when the port was taken), and one escaping main() left Vert.x's non-daemon threads
      // running a process that never listened. An Error too: the process must exit.
      if (e instanceof HomelabException && e.getStackTrace().length == 0) {
        // An expected refusal (a taken port): created without a stack, its message says it all.
        log.error("Homelab failed to start: {}", e.getMessage());
      } else {
        log.error("Homelab failed to start: {}", e.getMessage(), e);
      }
      // start() closed what it opened; Vert.x is ours. Bounded: main() exits after it anyway.
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception closing) {
        log.warn("Vert.x did not close cleanly: {}", closing.toString());
      }
      LoggingSetup.stop();
      return EXIT_START_FAILED;
    }
    Duration grace = Duration.ofSeconds(config.shutdownTimeoutSeconds());
    Runnable stop = () -> stop(server, vertx, grace, log);
    Signal.handle(new Signal("TERM"), signal -> stop.run());
    Signal.handle(new Signal("INT"), signal -> stop.run());
    return 0;
  }

  /**
   * Loads the store's driver and migration tool on a thread of its own while this one creates the
   * metrics and Vert.x: opening the store is the longest step of a start, and its class loading no
   * longer waits for them. Touches no database; a failure here is left for the open to report.
   */
  private static void prepareStorage(ServerConfig config, Logger log) {
    Thread prepare =
        new Thread(
            () -> {
              try {
                Storage.prepare(config.storage());
              } catch (RuntimeException e) {
                log.debug("Preparing the store failed; opening it will say why: {}", e.toString());
              }
            },
            "homelab-storage-prepare");
    prepare.setDaemon(true);
    prepare.start();
  }

  private static void stop(HomelabServer server, Vertx vertx, Duration grace, Logger log) {
    if (!STOPPING.compareAndSet(false, true)) {
      return;
    }
    Thread stopper =
        new Thread(
            () -> {
              int code = 0;
              try {
                server
                    .shutdown(grace)
                    .eventually(vertx::close)
                    .await(grace.toMillis() + 5_000, TimeUnit.MILLISECONDS);
              } catch (Throwable e) { // an Error too: the process must exit whatever happened
                log.error("Shutdown did not complete cleanly: {}", e.getMessage(), e);
                code = 1;
              }
              LoggingSetup.stop();
              System.exit(code);
            },
            "homelab-shutdown");
    stopper.start();
  }
}
