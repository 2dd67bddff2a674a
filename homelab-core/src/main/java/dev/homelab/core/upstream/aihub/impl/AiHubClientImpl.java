package dev.homelab.core.upstream.aihub.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.aihub.AiHubClient;
import dev.homelab.core.upstream.aihub.AiHubOptions;
import dev.homelab.core.upstream.aihub.AiProcess;
import dev.homelab.core.upstream.aihub.ChatListener;
import dev.homelab.core.upstream.aihub.ChatRequest;
import dev.homelab.core.upstream.aihub.ChatStream;
import dev.homelab.core.upstream.impl.LenientJson;
import dev.homelab.core.upstream.impl.UpstreamHttp;
import dev.homelab.core.upstream.impl.UpstreamHttp.Attempts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/** The {@link AiHubClient} over {@link UpstreamHttp}. */
public final class AiHubClientImpl implements AiHubClient {

  private static final Pattern PROCESS_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

  private final AiHubOptions options;
  private final UpstreamHttp http;
  private final MultiMap headers;

  /**
   * @param vertx the Vert.x instance
   * @param options the options, copied
   */
  public AiHubClientImpl(Vertx vertx, AiHubOptions options) {
    this.options = new AiHubOptions(options);
    if (this.options.getBaseUrl() == null) {
      throw new IllegalArgumentException(this.options.getName() + ": no base url");
    }
    this.http =
        new UpstreamHttp(
            vertx,
            UpstreamHttp.Settings.of(
                this.options.getName(),
                this.options.getBaseUrl(),
                this.options.getTimeout(),
                this.options.getTls()),
            null);
    String token =
        Base64.getEncoder()
            .encodeToString(
                (this.options.getUser() + ":" + this.options.getPassword())
                    .getBytes(StandardCharsets.UTF_8));
    // The password lives only in this header from here on.
    this.headers =
        MultiMap.caseInsensitiveMultiMap()
            .add("Authorization", "Basic " + token)
            .add("Accept", "application/json");
  }

  @Override
  public Future<ChatStream> chat(ChatRequest request, ChatListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    MultiMap chatHeaders =
        MultiMap.caseInsensitiveMultiMap()
            .addAll(headers)
            .set("Accept", "text/event-stream")
            .set("Content-Type", "application/json");
    // The hub may think as long between two events as before the first: any byte is progress.
    UpstreamHttp.ReadIdle idle = new UpstreamHttp.ReadIdle(options.getTimeout(), 1);
    return http.stream(
            HttpMethod.POST, "/chat", null, chatHeaders, request.toJson().toBuffer(), idle)
        .map(body -> new ChatStreamImpl(options.getName(), body, listener).start());
  }

  @Override
  public Future<JsonObject> cancel(String processId) {
    if (processId == null || !PROCESS_ID.matcher(processId).matches()) {
      return Future.failedFuture(
          new ValidationException("process_id", "a process id is letters, digits and '-'"));
    }
    return http.send(
            HttpMethod.DELETE,
            "/chat/" + UpstreamHttp.segment(processId),
            null,
            headers,
            null,
            Attempts.ONCE)
        .recover(
            failure -> {
              if (failure instanceof UpstreamException upstream
                  && upstream.kind() == ErrorKind.UPSTREAM_ERROR
                  && upstream.upstreamStatus() == 404) {
                return Future.failedFuture(
                    new NotFoundException(
                        "AI_PROCESS_NOT_FOUND", "no AI process " + processId + " is running"));
              }
              return Future.failedFuture(failure);
            })
        .map(answer -> answer.json());
  }

  @Override
  public Future<List<AiProcess>> processes() {
    return http.send(HttpMethod.GET, "/processes", null, headers, null, Attempts.RETRY)
        .map(
            answer -> {
              JsonArray array = LenientJson.array(answer.json(), "processes");
              if (array == null) {
                throw malformed();
              }
              List<AiProcess> processes = new ArrayList<>(array.size());
              for (Object entry : array) {
                AiProcess process =
                    entry instanceof JsonObject object ? AiProcess.fromJson(object) : null;
                if (process == null) {
                  throw malformed();
                }
                processes.add(process);
              }
              return List.copyOf(processes);
            });
  }

  private UpstreamException malformed() {
    return UpstreamException.unavailable(
        options.getName(), "malformed answer (not a list of processes)");
  }

  @Override
  public Future<UpstreamStatus> probe() {
    return http.probe("/processes", headers);
  }

  @Override
  public Future<Void> close() {
    http.close();
    return Future.succeededFuture();
  }
}
