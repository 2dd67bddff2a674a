package dev.homelab.server;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The server's Logback configuration, in code: the console through an asynchronous appender, and
 * quieter levels for chatty libraries. {@link LoggingSetup} then applies {@code LOG_LEVEL} and adds
 * the rotating file of {@code LOG_DIR}.
 *
 * <p>In code rather than in a {@code logback.xml} because parsing XML and building Joran's model
 * loads several hundred classes and cost about a quarter of the server's time to ready (see
 * docs/performance.md, Footprint). Registered through {@code
 * META-INF/services/ch.qos.logback.classic.spi.Configurator} ahead of Logback's own; a {@code
 * logback.configurationFile} system property, or a {@code logback-test.xml} (the tests') or {@code
 * logback.xml} on the class path (an app embedding the server; the server jar ships none) still
 * wins.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogbackDefaults extends ContextAwareBase implements Configurator {

  /** The layout of every line, on the console and in the file. */
  static final String PATTERN =
      "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  /** Created by Logback's service loader. */
  public LogbackDefaults() {}

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = LogbackDefaults.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();

    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("CONSOLE");
    console.setEncoder(encoder);
    console.start();

    // Writes happen on Logback's thread, never on the event loop that logged.
    AsyncAppender async = new AsyncAppender();
    async.setContext(context);
    async.setName("ASYNC_CONSOLE");
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(true);
    async.addAppender(console);
    async.start();

    context.getLogger("org.flywaydb").setLevel(Level.WARN);
    context.getLogger("io.netty").setLevel(Level.WARN);
    // vertx-micrometer registers one active-connections gauge per server; Micrometer warns about
    // the repeat.
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
    // vertx-redis-client logs "Unhandled Error" at ERROR for every pooled connection that fails
    // when Redis goes away, a failure each command's own future already carries: GuardedRedis
    // logs the outage once instead.
    context.getLogger("io.vertx.redis.client.impl.RedisConnectionManager").setLevel(Level.OFF);
    // vertx-mqtt's server gives a connection no exception handler until its CONNECT
    // (vert-x3/vertx-mqtt#26), so Vert.x logs an ERROR for every malformed packet before one: any
    // client could fill the log. Only those are dropped (MqttConnectionNoise); another
    // connection's unhandled failure is still an ERROR.
    MqttConnectionNoise noise = new MqttConnectionNoise();
    noise.setContext(context);
    noise.start();
    context.addTurboFilter(noise);
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(async);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
