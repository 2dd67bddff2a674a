package dev.homelab.simulators.aihub;

import dev.homelab.simulators.internal.SimulatorHttp;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The AI hub of seed 003 (a Claude Code API) on {@code http://127.0.0.1:<random port>}, behind HTTP
 * Basic authentication:
 *
 * <ul>
 *   <li>{@code POST /chat} with {@code {message, system_prompt, cwd, session_id}}: a Server-Sent
 *       Events stream in seed 003's format, one step every {@link Setup#stepInterval()}: {@code
 *       event: message} with the {@code system}/{@code init} event (carrying the {@code
 *       session_id}, the given one or a new one), an assistant text, a {@code tool_use}, its {@code
 *       tool_result}, a closing assistant text and the {@code result} summary, then {@code event:
 *       done} with {@code {"process_id": ...}}; each chat is a process until its stream ends;
 *   <li>{@code DELETE /chat/{process_id}}: {@code {"status": "cancelled", "process_id"}}, ending
 *       that chat's stream where it is; 404 if there is no such process;
 *   <li>{@code GET /processes}: {@code {processes: [{process_id, cwd, model, started_at,
 *       session_id}], count}}.
 * </ul>
 *
 * Errors are FastAPI's {@code {"detail": ...}}: 401 with {@code WWW-Authenticate}, 404, 422 for a
 * chat without a message. The exact events each chat sent are kept ({@link #sent(String)}) so that
 * a test can check a client passed them through unchanged.
 *
 * <p><b>Faults</b>: {@link #delay(Duration)}, {@link #resetConnections(boolean)}, {@link
 * #failNext(int, int)}, {@link #clearFaults()}; requests are recorded ({@link #requests()}).
 *
 * <p>Thread-safe; its state is guarded by its monitor.
 */
public final class AiHubSimulator implements AutoCloseable {

  /**
   * One event as sent.
   *
   * @param type the {@code event:} field
   * @param data the {@code data:} field
   */
  public record SentEvent(String type, String data) {}

  /**
   * What the simulator is.
   *
   * @param user the Basic user it accepts
   * @param password the Basic password it accepts
   * @param stepInterval the time between two events of a chat
   * @param model the model it reports
   */
  public record Setup(String user, String password, Duration stepInterval, String model) {

    /** Checks the values. */
    public Setup {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(model, "model");
      if (stepInterval.isNegative()) {
        throw new IllegalArgumentException("stepInterval must not be negative");
      }
    }

    /**
     * @return user {@code admin}, password {@code hub-secret}, 20 ms between events, model {@code
     *     sonnet}
     */
    public static Setup defaults() {
      return new Setup("admin", "hub-secret", Duration.ofMillis(20), "sonnet");
    }

    /**
     * @param user the Basic user
     * @param password the Basic password
     * @return this setup with other credentials
     */
    public Setup withCredentials(String user, String password) {
      return new Setup(user, password, stepInterval, model);
    }

    /**
     * @param interval the time between two events of a chat
     * @return this setup with another pace
     */
    public Setup withStepInterval(Duration interval) {
      return new Setup(user, password, interval, model);
    }
  }

  /** One running chat; guarded by the simulator. */
  private static final class Process {
    final String processId;
    final String sessionId;
    final String cwd;
    final String startedAt;
    final HttpServerResponse response;
    final List<SentEvent> script;
    final List<SentEvent> sent = new ArrayList<>();
    long timer = -1;

    Process(
        String processId,
        String sessionId,
        String cwd,
        HttpServerResponse response,
        List<SentEvent> script) {
      this.processId = processId;
      this.sessionId = sessionId;
      this.cwd = cwd;
      this.startedAt = LocalDateTime.now(ZoneOffset.UTC).toString();
      this.response = response;
      this.script = script;
    }
  }

  private final Vertx vertx;
  private final Setup setup;
  private final SimulatorHttp http;
  private final Map<String, Process> running = new LinkedHashMap<>();
  private final Map<String, List<SentEvent>> history = new LinkedHashMap<>();
  private HttpServer server;

  private AiHubSimulator(Vertx vertx, Setup setup) {
    this.vertx = vertx;
    this.setup = setup;
    this.http = new SimulatorHttp(vertx, setup.user(), setup.password());
  }

  /**
   * Like {@link #start(Vertx, Setup)} with {@link Setup#defaults()}.
   *
   * @param vertx the Vert.x instance
   * @return the running simulator
   */
  public static Future<AiHubSimulator> start(Vertx vertx) {
    return start(vertx, Setup.defaults());
  }

  /**
   * Starts listening on a random loopback port.
   *
   * @param vertx the Vert.x instance
   * @param setup what it is
   * @return the running simulator
   */
  public static Future<AiHubSimulator> start(Vertx vertx, Setup setup) {
    AiHubSimulator simulator = new AiHubSimulator(vertx, setup);
    return vertx
        .createHttpServer()
        .requestHandler(request -> simulator.http.handle(request, simulator::route))
        .listen(0, "127.0.0.1")
        .map(
            server -> {
              simulator.server = server;
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
   * @param processId a chat's process id
   * @return the events that chat sent so far, in order, or an empty list if there was no such chat
   */
  public synchronized List<SentEvent> sent(String processId) {
    List<SentEvent> events = history.get(processId);
    return events == null ? List.of() : List.copyOf(events);
  }

  /**
   * @return the process ids of the chats streaming now
   */
  public synchronized List<String> runningProcesses() {
    return List.copyOf(running.keySet());
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
   * @param pathSuffix the end of a path as sent
   * @return how many requests with that method had a path ending so
   */
  public long requestCount(HttpMethod method, String pathSuffix) {
    return http.requestCount(method, pathSuffix);
  }

  /**
   * Stops listening and ends every chat: clients see a refused connection from then on.
   *
   * @return when it stopped
   */
  public Future<Void> stop() {
    for (String processId : runningProcesses()) {
      end(processId, true);
    }
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
    if (method == HttpMethod.POST && path.equals("/chat")) {
      chat(response, body);
    } else if (method == HttpMethod.DELETE && path.startsWith("/chat/")) {
      String processId =
          URLDecoder.decode(path.substring("/chat/".length()), StandardCharsets.UTF_8);
      if (end(processId, true)) {
        SimulatorHttp.json(
            response,
            200,
            new JsonObject().put("status", "cancelled").put("process_id", processId));
      } else {
        SimulatorHttp.error(response, 404, "Process " + processId + " not found");
      }
    } else if (method == HttpMethod.GET && path.equals("/processes")) {
      SimulatorHttp.json(response, 200, processes());
    } else {
      SimulatorHttp.error(response, 404, "Not Found");
    }
  }

  private synchronized JsonObject processes() {
    JsonArray list = new JsonArray();
    for (Process process : running.values()) {
      list.add(
          new JsonObject()
              .put("process_id", process.processId)
              .put("cwd", process.cwd)
              .put("model", setup.model())
              .put("started_at", process.startedAt)
              .put("session_id", process.sessionId));
    }
    return new JsonObject().put("processes", list).put("count", list.size());
  }

  private void chat(HttpServerResponse response, Buffer body) {
    JsonObject request;
    try {
      request = body.length() == 0 ? null : body.toJsonObject();
    } catch (DecodeException | ClassCastException e) {
      request = null;
    }
    String message = request == null ? null : request.getString("message");
    if (message == null || message.isBlank()) {
      SimulatorHttp.error(response, 422, "message is required");
      return;
    }
    String sessionId = request.getString("session_id");
    if (sessionId == null || sessionId.isBlank()) {
      sessionId = UUID.randomUUID().toString();
    }
    String cwd = request.getString("cwd", "/home/user");
    String processId = UUID.randomUUID().toString();
    Process process =
        new Process(
            processId, sessionId, cwd, response, script(processId, sessionId, cwd, message));
    synchronized (this) {
      running.put(processId, process);
      history.put(processId, process.sent);
    }
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    // A client that goes away kills its process, as the hub does.
    response.closeHandler(v -> end(processId, false));
    step(process);
  }

  /** Sends the next event of a chat, and plans the one after. */
  private void step(Process process) {
    SentEvent event;
    boolean last;
    synchronized (this) {
      if (running.get(process.processId) != process) {
        return; // cancelled meanwhile
      }
      event = process.script.get(process.sent.size());
      process.sent.add(event);
      last = process.sent.size() == process.script.size();
      if (last) {
        running.remove(process.processId);
      } else {
        process.timer =
            vertx.setTimer(Math.max(1, setup.stepInterval().toMillis()), id -> step(process));
      }
    }
    String frame = "event: " + event.type() + "\ndata: " + event.data() + "\n\n";
    if (last) {
      process.response.end(frame);
    } else {
      process.response.write(frame);
    }
  }

  /**
   * Ends a running chat's process.
   *
   * @param processId the process
   * @param endStream whether to end its stream (a cancel) or not (the client left)
   * @return whether it was running
   */
  private boolean end(String processId, boolean endStream) {
    Process process;
    synchronized (this) {
      process = running.remove(processId);
      if (process == null) {
        return false;
      }
      vertx.cancelTimer(process.timer);
    }
    if (endStream && !process.response.ended() && !process.response.closed()) {
      process.response.end();
    }
    return true;
  }

  /** Seed 003's event sequence for one chat, as the hub would send it (compact JSON, UTF-8). */
  private List<SentEvent> script(String processId, String sessionId, String cwd, String message) {
    String toolId = "toolu_" + processId.substring(0, 8);
    return List.of(
        new SentEvent(
            "message",
            new JsonObject()
                .put("type", "system")
                .put("subtype", "init")
                .put("session_id", sessionId)
                .put("cwd", cwd)
                .put("model", setup.model())
                .put("tools", new JsonArray().add("Bash").add("Read").add("Edit"))
                .encode()),
        new SentEvent(
            "message",
            new JsonObject()
                .put("type", "assistant")
                .put(
                    "message",
                    new JsonObject()
                        .put(
                            "content",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("type", "text")
                                        .put("text", "Проверяю: " + message))))
                .put("session_id", sessionId)
                .encode()),
        new SentEvent(
            "message",
            "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"tool_use\",\"id\":\""
                + toolId
                + "\",\"name\":\"Bash\",\"input\":{\"command\":\"df -h\"}}]},\"session_id\":\""
                + sessionId
                + "\"}"),
        new SentEvent(
            "message",
            "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"content\":"
                + "\"Filesystem  Size Used\\n/dev/sda1  100G  42G\",\"tool_use_id\":\""
                + toolId
                + "\"}]},\"tool_use_result\":{\"stdout\":\"Filesystem  Size Used\\n/dev/sda1  100G"
                + "  42G\",\"stderr\":\"\",\"interrupted\":false}}"),
        new SentEvent(
            "message",
            "{\"type\":\"assistant\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":"
                + "\"Диски в порядке: занято 42%.\"}]},\"session_id\":\""
                + sessionId
                + "\"}"),
        new SentEvent(
            "message",
            "{\"type\":\"result\",\"subtype\":\"success\",\"total_cost_usd\":0.0123,"
                + "\"usage\":{\"input_tokens\":1200,\"output_tokens\":85},\"session_id\":\""
                + sessionId
                + "\"}"),
        new SentEvent("done", new JsonObject().put("process_id", processId).encode()));
  }
}
