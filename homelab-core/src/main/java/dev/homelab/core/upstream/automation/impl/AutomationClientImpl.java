package dev.homelab.core.upstream.automation.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.upstream.SharedEventStream;
import dev.homelab.core.upstream.SharedEventStream.Subscriber;
import dev.homelab.core.upstream.SharedEventStream.Subscription;
import dev.homelab.core.upstream.SharedEventStreams;
import dev.homelab.core.upstream.UpstreamException;
import dev.homelab.core.upstream.UpstreamStatus;
import dev.homelab.core.upstream.automation.Automation;
import dev.homelab.core.upstream.automation.AutomationAction;
import dev.homelab.core.upstream.automation.AutomationClient;
import dev.homelab.core.upstream.automation.AutomationList;
import dev.homelab.core.upstream.automation.AutomationOptions;
import dev.homelab.core.upstream.impl.UpstreamHttp;
import dev.homelab.core.upstream.impl.UpstreamHttp.Attempts;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/** The {@link AutomationClient} over {@link UpstreamHttp}. */
public final class AutomationClientImpl implements AutomationClient {

  /**
   * An automation name (segments of letters, digits, {@code .}, {@code _} and {@code -} joined by
   * {@code /}, each starting with a letter or digit, so never {@code .} or {@code ..}) or a
   * container name (one such segment).
   */
  private static final Pattern NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

  private static final int MAX_NAME_LENGTH = 200;

  private final AutomationOptions options;
  private final UpstreamHttp http;
  private final MultiMap headers;
  private final SharedEventStreams<String> logStreams;

  /**
   * @param vertx the Vert.x instance
   * @param options the options, copied
   */
  public AutomationClientImpl(Vertx vertx, AutomationOptions options) {
    this.options = new AutomationOptions(options);
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
    this.headers = basicAuth(this.options.getUser(), this.options.getPassword());
    this.logStreams =
        SharedEventStreams.create(
            vertx,
            this.options.getName() + " logs",
            this.options.getLogStreamOptions(),
            this::logUpstream);
  }

  /** The Authorization header, built once; the password is kept nowhere else. */
  static MultiMap basicAuth(String user, String password) {
    String token =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return MultiMap.caseInsensitiveMultiMap()
        .add("Authorization", "Basic " + token)
        .add("Accept", "application/json");
  }

  @Override
  public Future<AutomationList> list() {
    return http.send(HttpMethod.GET, "/api/automations", null, headers, null, Attempts.RETRY)
        .map(
            answer -> {
              AutomationList list = AutomationList.fromJson(answer.json());
              if (list == null) {
                throw malformed("a list of automations");
              }
              return list;
            });
  }

  @Override
  public Future<Automation> get(String name) {
    String segment;
    try {
      segment = segment(name);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    return http.send(
            HttpMethod.GET, "/api/automations/" + segment, null, headers, null, Attempts.RETRY)
        .recover(failure -> Future.failedFuture(notFound(failure, name)))
        .map(
            answer -> {
              Automation automation = Automation.fromJson(answer.json());
              if (automation == null) {
                throw malformed("an automation");
              }
              return automation;
            });
  }

  @Override
  public Future<AutomationAction> start(String name) {
    return act(name, "start");
  }

  @Override
  public Future<AutomationAction> stop(String name) {
    return act(name, "stop");
  }

  @Override
  public Future<AutomationAction> restart(String name) {
    return act(name, "restart");
  }

  private Future<AutomationAction> act(String name, String action) {
    String segment;
    try {
      segment = segment(name);
    } catch (ValidationException e) {
      return Future.failedFuture(e);
    }
    // A user's action: one attempt, so that a container is never stopped or restarted twice.
    return http.send(
            HttpMethod.POST,
            "/api/control/" + segment + "/" + action,
            null,
            headers,
            null,
            Attempts.ONCE)
        .recover(failure -> Future.failedFuture(notFound(failure, name)))
        .map(answer -> AutomationAction.fromJson(answer.json()));
  }

  @Override
  public Subscription logs(String name, Subscriber subscriber) {
    segment(name); // refuse a bad name before any stream exists
    return logStreams.subscribe(name, subscriber);
  }

  private SharedEventStream.Upstream logUpstream(String name) {
    String path = "/api/logs/" + segment(name);
    String lines = Integer.toString(options.getLogLines());
    AtomicBoolean opened = new AtomicBoolean();
    return lastEventId -> {
      // The first connection starts with the last lines. A reconnection resumes after the last id
      // if the API sends ids; if not, the last lines would repeat what subscribers already saw, so
      // it asks for none (what was logged while disconnected is lost rather than doubled).
      Map<String, String> query =
          Map.of("lines", !opened.get() || lastEventId != null ? lines : "0");
      MultiMap request =
          MultiMap.caseInsensitiveMultiMap().addAll(headers).set("Accept", "text/event-stream");
      if (lastEventId != null) {
        request.set("Last-Event-ID", lastEventId);
      }
      return http.open(HttpMethod.GET, path, query, request, null)
          .onSuccess(response -> opened.set(true));
    };
  }

  @Override
  public SharedEventStreams<String> logStreams() {
    return logStreams;
  }

  @Override
  public Future<UpstreamStatus> probe() {
    return http.probe("/api/automations", headers);
  }

  @Override
  public Future<Void> close() {
    return logStreams
        .close()
        .eventually(
            () -> {
              http.close();
              return Future.succeededFuture();
            });
  }

  private static String segment(String name) {
    if (name == null || name.length() > MAX_NAME_LENGTH || !NAME.matcher(name).matches()) {
      throw new ValidationException(
          "name",
          "an automation name is letters, digits, '.', '_' and '-' in parts joined by '/', at most "
              + MAX_NAME_LENGTH
              + " characters");
    }
    return UpstreamHttp.segment(name);
  }

  private UpstreamException malformed(String what) {
    return UpstreamException.unavailable(options.getName(), "malformed answer (not " + what + ")");
  }

  private static Throwable notFound(Throwable failure, String name) {
    if (failure instanceof UpstreamException upstream
        && upstream.kind() == ErrorKind.UPSTREAM_ERROR
        && upstream.upstreamStatus() == 404) {
      return new NotFoundException("AUTOMATION_NOT_FOUND", "no automation named " + name);
    }
    return failure;
  }
}
