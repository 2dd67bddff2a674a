package dev.homelab.simulators.automation;

import dev.homelab.simulators.internal.SimulatorHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The automation-container API of seed 003 (the "Automation Monitor" beside the MQTT API) on {@code
 * http://127.0.0.1:<random port>}, behind HTTP Basic authentication:
 *
 * <ul>
 *   <li>{@code GET /api/automations}: {@code {total, running, stopped, automations: [...]}};
 *   <li>{@code GET /api/automations/{name}}: one automation, by automation or container name;
 *   <li>{@code POST /api/control/{name}/start|stop|restart}: {@code {success, action,
 *       container_name, message, new_status}}, changing the container's state;
 *   <li>{@code GET /api/logs/{name}?lines=N}: the last N log lines (default 100), then new ones as
 *       they come, as {@code event: log} Server-Sent Events, with a {@code : ping} comment now and
 *       then. The seed's stream carries no ids; {@link Setup#withEventIds} adds an {@code id:} per
 *       line and honours {@code Last-Event-ID} (the lines after it instead of the last N).
 * </ul>
 *
 * Errors are FastAPI's {@code {"detail": ...}}: 401 (with {@code WWW-Authenticate}), 404 for an
 * unknown automation. Names with {@code /}, such as {@code main/kitchen/motion_light}, arrive as
 * one percent-encoded segment.
 *
 * <p>Every running container logs a line each {@link Setup#logInterval()}. Tests can {@linkplain
 * #dropLogStreams() cut every log stream} and {@linkplain #openLogStreams() count the open ones}.
 *
 * <p><b>Faults</b>: {@link #delay(Duration)} before each answer, {@link
 * #resetConnections(boolean)}, {@link #failNext(int, int)} with a 5xx; {@link #clearFaults()} ends
 * them. Every request is recorded ({@link #requests()}, {@link #requestCount}).
 *
 * <p>Thread-safe; its state is guarded by its monitor.
 */
public final class AutomationSimulator implements AutoCloseable {

  /** How often a ping comment goes to every log stream, in log ticks. */
  private static final int PING_EVERY_TICKS = 15;

  /** Log lines kept per container. */
  private static final int KEPT_LINES = 1000;

  private static final DateTimeFormatter LOG_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private static final List<String> MESSAGES =
      List.of(
          "INFO - Motion detected",
          "INFO - Light turned ON",
          "INFO - No motion for 120 s",
          "INFO - Light turned OFF",
          "DEBUG - State published to MQTT");

  /**
   * One automation container as the simulator starts it.
   *
   * @param containerName such as {@code automation-main-kitchen-motion_light}
   * @param automationName such as {@code main/kitchen/motion_light}
   * @param running whether it runs at start
   */
  public record Automation(String containerName, String automationName, boolean running) {

    /** Checks the names. */
    public Automation {
      Objects.requireNonNull(containerName, "containerName");
      Objects.requireNonNull(automationName, "automationName");
    }
  }

  /**
   * What the simulator is.
   *
   * @param user the Basic user it accepts
   * @param password the Basic password it accepts
   * @param logInterval how often each running container logs a line
   * @param eventIds whether log events carry ids and {@code Last-Event-ID} resumes
   * @param automations its containers
   */
  public record Setup(
      String user,
      String password,
      Duration logInterval,
      boolean eventIds,
      List<Automation> automations) {

    /** Checks the values. */
    public Setup {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      if (logInterval.toMillis() < 1) {
        throw new IllegalArgumentException("logInterval must be at least 1 ms");
      }
      automations = List.copyOf(automations);
    }

    /**
     * @return {@code admin:test} (seed 003), a line every 200 ms, no ids, and four automations:
     *     {@code monitor}, {@code main/kitchen/motion_light}, {@code main/hall/night_light} running
     *     and {@code main/garage/door_alert} stopped
     */
    public static Setup defaults() {
      return new Setup(
          "admin",
          "test",
          Duration.ofMillis(200),
          false,
          List.of(
              new Automation("automation-monitor", "monitor", true),
              new Automation(
                  "automation-main-kitchen-motion_light", "main/kitchen/motion_light", true),
              new Automation("automation-main-hall-night_light", "main/hall/night_light", true),
              new Automation(
                  "automation-main-garage-door_alert", "main/garage/door_alert", false)));
    }

    /**
     * @param user the Basic user
     * @param password the Basic password
     * @return this setup with other credentials
     */
    public Setup withCredentials(String user, String password) {
      return new Setup(user, password, logInterval, eventIds, automations);
    }

    /**
     * @param interval how often each running container logs a line
     * @return this setup with another log rate
     */
    public Setup withLogInterval(Duration interval) {
      return new Setup(user, password, interval, eventIds, automations);
    }

    /**
     * @param ids whether log events carry ids and {@code Last-Event-ID} resumes
     * @return this setup so
     */
    public Setup withEventIds(boolean ids) {
      return new Setup(user, password, logInterval, ids, automations);
    }
  }

  /** A line of a container's log and its number, from 1. */
  private record Line(long seq, String text) {}

  /** One container's state; guarded by the simulator. */
  private static final class Container {
    final String containerName;
    final String automationName;
    final String id;
    boolean running;
    long startedAtMillis;
    long triggers;
    LocalDateTime lastTrigger;
    long seq;
    final ArrayDeque<Line> lines = new ArrayDeque<>();
    final Set<HttpServerResponse> streams = ConcurrentHashMap.newKeySet();

    Container(Automation automation, int index) {
      this.containerName = automation.containerName();
      this.automationName = automation.automationName();
      this.id = String.format("%012x", 0x8e9ecd152f46L + index);
      this.running = automation.running();
      this.startedAtMillis = System.currentTimeMillis();
    }
  }

  private final Vertx vertx;
  private final Setup setup;
  private final SimulatorHttp http;
  private final Map<String, Container> containers = new LinkedHashMap<>();
  private HttpServer server;
  private long ticker = -1;
  private long ticks;

  private AutomationSimulator(Vertx vertx, Setup setup) {
    this.vertx = vertx;
    this.setup = setup;
    this.http = new SimulatorHttp(vertx, setup.user(), setup.password());
    int index = 0;
    for (Automation automation : setup.automations()) {
      containers.put(automation.containerName(), new Container(automation, index++));
    }
  }

  /**
   * Like {@link #start(Vertx, Setup)} with {@link Setup#defaults()}.
   *
   * @param vertx the Vert.x instance
   * @return the running simulator
   */
  public static Future<AutomationSimulator> start(Vertx vertx) {
    return start(vertx, Setup.defaults());
  }

  /**
   * Starts listening on a random loopback port and starts the containers logging.
   *
   * @param vertx the Vert.x instance
   * @param setup what it is
   * @return the running simulator
   */
  public static Future<AutomationSimulator> start(Vertx vertx, Setup setup) {
    AutomationSimulator simulator = new AutomationSimulator(vertx, setup);
    return vertx
        .createHttpServer()
        .requestHandler(request -> simulator.http.handle(request, simulator::route))
        .listen(0, "127.0.0.1")
        .map(
            server -> {
              simulator.server = server;
              simulator.ticker =
                  vertx.setPeriodic(setup.logInterval().toMillis(), id -> simulator.tick());
              return simulator;
            });
  }

  /**
   * @return the port it listens on
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * @return where it is, {@code http://127.0.0.1:port}
   */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * @return what it is
   */
  public Setup setup() {
    return setup;
  }

  /**
   * @param name an automation or container name
   * @return {@code running} or {@code exited}, or {@code null} if there is no such automation
   */
  public synchronized String status(String name) {
    Container container = find(name);
    return container == null ? null : container.running ? "running" : "exited";
  }

  /**
   * Writes a line to an automation's log, as its own code would: kept with the others and sent to
   * every open stream of it, after the time and the logger like every line.
   *
   * @param name an automation or container name
   * @param message the line after its logger, such as {@code WARNING - Door left open}
   * @return whether there is such an automation
   */
  public synchronized boolean writeLog(String name, String message) {
    Container container = find(name);
    if (container == null) {
      return false;
    }
    log(container, message);
    return true;
  }

  /**
   * @return how many log streams are open now, over all containers
   */
  public int openLogStreams() {
    int open = 0;
    for (Container container : containerList()) {
      open += container.streams.size();
    }
    return open;
  }

  /**
   * @return how many log streams were asked for so far ({@code GET /api/logs/...} requests, refused
   *     ones included)
   */
  public long logStreamsOpened() {
    return http.requests().stream().filter(r -> r.startsWith("GET /api/logs/")).count();
  }

  /** Cuts every open log stream, as a restart of the API would. */
  public void dropLogStreams() {
    for (Container container : containerList()) {
      for (HttpServerResponse response : List.copyOf(container.streams)) {
        container.streams.remove(response);
        response.reset();
      }
    }
  }

  /**
   * @param delay how long to wait before each answer; zero for none
   */
  public void delay(Duration delay) {
    http.delay(delay);
  }

  /**
   * @param reset whether to close each connection instead of answering
   */
  public void resetConnections(boolean reset) {
    http.resetConnections(reset);
  }

  /**
   * @param count how many of the next requests fail (authenticated or not)
   * @param status the 5xx they answer
   */
  public void failNext(int count, int status) {
    http.failNext(count, status);
  }

  /** Ends every fault: no delay, no resets, no failures. */
  public void clearFaults() {
    http.clearFaults();
  }

  /**
   * @return every request received so far, as {@code METHOD /path} with the path as sent
   */
  public List<String> requests() {
    return http.requests();
  }

  /**
   * @param method a method
   * @param pathSuffix the end of a path as sent, such as {@code /restart}
   * @return how many requests with that method had a path ending so
   */
  public long requestCount(HttpMethod method, String pathSuffix) {
    return http.requestCount(method, pathSuffix);
  }

  /**
   * Stops listening and logging: clients see a refused connection from then on.
   *
   * @return when it stopped
   */
  public Future<Void> stop() {
    vertx.cancelTimer(ticker);
    dropLogStreams();
    return server.close();
  }

  @Override
  public void close() {
    stop();
  }

  // ---------------------------------------------------------------- requests

  private void route(HttpServerRequest request, Buffer body) {
    String path = request.path();
    HttpMethod method = request.method();
    HttpServerResponse response = request.response();
    if (method == HttpMethod.GET && path.equals("/api/automations")) {
      SimulatorHttp.json(response, 200, list());
    } else if (method == HttpMethod.GET && path.startsWith("/api/automations/")) {
      String name = decode(path.substring("/api/automations/".length()));
      JsonObject one = detail(name);
      if (one == null) {
        notFound(response, name);
      } else {
        SimulatorHttp.json(response, 200, one);
      }
    } else if (method == HttpMethod.POST && path.startsWith("/api/control/")) {
      String rest = path.substring("/api/control/".length());
      int slash = rest.lastIndexOf('/');
      if (slash < 0) {
        SimulatorHttp.error(response, 404, "Not Found");
        return;
      }
      control(response, decode(rest.substring(0, slash)), rest.substring(slash + 1));
    } else if (method == HttpMethod.GET && path.startsWith("/api/logs/")) {
      logs(request, decode(path.substring("/api/logs/".length())));
    } else {
      SimulatorHttp.error(response, 404, "Not Found");
    }
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static void notFound(HttpServerResponse response, String name) {
    SimulatorHttp.error(response, 404, "Automation '" + name + "' not found");
  }

  private synchronized JsonObject list() {
    JsonArray all = new JsonArray();
    int running = 0;
    for (Container container : containers.values()) {
      all.add(describe(container));
      running += container.running ? 1 : 0;
    }
    return new JsonObject()
        .put("total", containers.size())
        .put("running", running)
        .put("stopped", containers.size() - running)
        .put("automations", all);
  }

  private synchronized JsonObject detail(String name) {
    Container container = find(name);
    return container == null ? null : describe(container);
  }

  private Container find(String name) {
    Container container = containers.get(name);
    if (container != null) {
      return container;
    }
    for (Container candidate : containers.values()) {
      if (candidate.automationName.equals(name)) {
        return candidate;
      }
    }
    return null;
  }

  private List<Container> containerList() {
    synchronized (this) {
      return new ArrayList<>(containers.values());
    }
  }

  private JsonObject describe(Container container) {
    long uptime =
        container.running ? (System.currentTimeMillis() - container.startedAtMillis) / 1000 : 0;
    JsonObject mqtt =
        container.running
            ? new JsonObject()
                .put(
                    "status",
                    new JsonObject()
                        .put("status", "running")
                        .put("uptime", uptime)
                        .put("triggers_count", container.triggers)
                        .put("errors_count", 0)
                        .put(
                            "last_trigger",
                            container.lastTrigger == null
                                ? null
                                : container.lastTrigger.toString()))
            : new JsonObject().put("status", (Object) null);
    return new JsonObject()
        .put("container_name", container.containerName)
        .put("automation_name", container.automationName)
        .put(
            "container",
            new JsonObject()
                .put("id", container.id)
                .put("status", container.running ? "running" : "exited")
                .put("uptime_seconds", uptime))
        .put("mqtt", mqtt)
        .put(
            "health",
            new JsonObject()
                .put("overall", container.running ? "healthy" : "stopped")
                .put("docker_running", container.running)
                .put("mqtt_responding", container.running));
  }

  private void control(HttpServerResponse response, String name, String action) {
    JsonObject answer;
    synchronized (this) {
      Container container = find(name);
      if (container == null) {
        notFound(response, name);
        return;
      }
      String message;
      switch (action) {
        case "start" -> {
          if (!container.running) {
            container.running = true;
            container.startedAtMillis = System.currentTimeMillis();
          }
          message = "Контейнер запущен";
          log(container, "INFO - Automation started");
        }
        case "stop" -> {
          log(container, "INFO - Automation stopping");
          container.running = false;
          message = "Контейнер остановлен";
        }
        case "restart" -> {
          log(container, "INFO - Automation stopping");
          container.running = true;
          container.startedAtMillis = System.currentTimeMillis();
          message = "Контейнер перезапущен";
          log(container, "INFO - Automation started");
        }
        default -> {
          SimulatorHttp.error(response, 404, "Not Found");
          return;
        }
      }
      answer =
          new JsonObject()
              .put("success", true)
              .put("action", action)
              .put("container_name", container.containerName)
              .put("message", message)
              .put("new_status", container.running ? "running" : "exited");
    }
    SimulatorHttp.json(response, 200, answer);
  }

  private void logs(HttpServerRequest request, String name) {
    HttpServerResponse response = request.response();
    int lines = 100;
    String wanted = request.getParam("lines");
    if (wanted != null) {
      try {
        lines = Math.max(0, Math.min(KEPT_LINES, Integer.parseInt(wanted)));
      } catch (NumberFormatException e) {
        SimulatorHttp.error(response, 422, "lines must be an integer");
        return;
      }
    }
    StringBuilder backlog = new StringBuilder();
    Container container;
    synchronized (this) {
      container = find(name);
      if (container == null) {
        notFound(response, name);
        return;
      }
      long after = resumeFrom(request.getHeader("Last-Event-ID"));
      List<Line> all = new ArrayList<>(container.lines);
      int from = after >= 0 ? 0 : Math.max(0, all.size() - lines);
      for (Line line : all.subList(from, all.size())) {
        if (line.seq() > after) {
          backlog.append(event(line));
        }
      }
      response
          .setChunked(true)
          .putHeader("Content-Type", "text/event-stream")
          .putHeader("Cache-Control", "no-cache");
      container.streams.add(response);
    }
    Container owner = container;
    response.closeHandler(v -> owner.streams.remove(response));
    response.write(backlog.isEmpty() ? ": connected\n\n" : backlog.toString());
  }

  /** The line number to resume after, or -1 for the last N lines. */
  private long resumeFrom(String lastEventId) {
    if (!setup.eventIds() || lastEventId == null) {
      return -1;
    }
    try {
      return Long.parseLong(lastEventId.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private String event(Line line) {
    return (setup.eventIds() ? "id: " + line.seq() + "\n" : "")
        + "event: log\ndata: "
        + line.text()
        + "\n\n";
  }

  private void tick() {
    List<Runnable> writes = new ArrayList<>();
    synchronized (this) {
      ticks++;
      for (Container container : containers.values()) {
        if (container.running) {
          String message = MESSAGES.get((int) (container.seq % MESSAGES.size()));
          if (message.contains("Motion detected")) {
            container.triggers++;
            container.lastTrigger = LocalDateTime.now(ZoneOffset.UTC);
          }
          log(container, message);
        }
      }
      if (ticks % PING_EVERY_TICKS == 0) {
        for (Container container : containers.values()) {
          for (HttpServerResponse response : container.streams) {
            writes.add(() -> response.write(": ping\n\n"));
          }
        }
      }
    }
    writes.forEach(Runnable::run);
  }

  /** Appends a line to a container's log and sends it to its streams; holds the monitor. */
  private void log(Container container, String message) {
    LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
    String logger =
        container.automationName.substring(container.automationName.lastIndexOf('/') + 1);
    Line line =
        new Line(
            ++container.seq, now + "Z " + LOG_TIME.format(now) + " - " + logger + " - " + message);
    container.lines.addLast(line);
    if (container.lines.size() > KEPT_LINES) {
      container.lines.removeFirst();
    }
    String event = event(line);
    for (HttpServerResponse response : container.streams) {
      response.write(event);
    }
  }
}
