package dev.homelab.server.http;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.store.StorageException;
import dev.homelab.core.upstream.UpstreamException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one failure handler: turns every failure into the standard error body with the right status.
 * Details for people go in {@code detail}; stack traces, class names and SQL stay in the log, keyed
 * by request id.
 */
public final class ErrorHandler implements Handler<RoutingContext> {

  private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

  /**
   * The SQLSTATEs of class 22 (data exception) that only a value sent by a client causes: string
   * too long, numeric out of range, invalid datetime format, datetime overflow, character not in
   * the repertoire, invalid text representation, untranslatable character. Others of the class
   * (division by zero, an invalid regular expression) are bugs, and stay 500s.
   */
  private static final Set<String> INPUT_DATA_EXCEPTIONS =
      Set.of("22001", "22003", "22007", "22008", "22021", "22P02", "22P05");

  /** The one table from a core failure's kind to its HTTP status. */
  static final Map<ErrorKind, Integer> STATUS_OF_KIND = statusOfKind();

  private static Map<ErrorKind, Integer> statusOfKind() {
    Map<ErrorKind, Integer> table = new EnumMap<>(ErrorKind.class);
    table.put(ErrorKind.INVALID, 422);
    table.put(ErrorKind.NOT_FOUND, 404);
    table.put(ErrorKind.CONFLICT, 409);
    table.put(ErrorKind.FORBIDDEN, 403);
    table.put(ErrorKind.UNAVAILABLE, 503);
    table.put(ErrorKind.UPSTREAM_UNAVAILABLE, 502);
    table.put(ErrorKind.UPSTREAM_TIMEOUT, 504);
    // The default; statusOf passes an upstream's own 4xx through.
    table.put(ErrorKind.UPSTREAM_ERROR, 502);
    table.put(ErrorKind.BUSY, 429);
    table.put(ErrorKind.TOO_LARGE, 413);
    table.put(ErrorKind.INSUFFICIENT_STORAGE, 507);
    table.put(ErrorKind.INTERNAL, 500);
    return Collections.unmodifiableMap(table);
  }

  /**
   * @param failure a core failure
   * @return its HTTP status: the table's, except that an upstream's own 4xx passes through (a VM
   *     that does not exist is a 404 here too), but for 401, 403 and 407, which say that Homelab's
   *     credentials for the upstream are wrong, not the caller's: those are 502
   */
  static int statusOf(HomelabException failure) {
    if (failure instanceof UpstreamException upstream
        && upstream.kind() == ErrorKind.UPSTREAM_ERROR) {
      int status = upstream.upstreamStatus();
      boolean ours = status == 401 || status == 403 || status == 407;
      return status >= 400 && status < 500 && !ours ? status : 502;
    }
    return STATUS_OF_KIND.get(failure.kind());
  }

  private final Routes routes;

  /**
   * @param routes the registered routes, for the {@code Allow} header of a 405
   */
  public ErrorHandler(Routes routes) {
    this.routes = routes;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    // A refused WebSocket upgrade was left paused for the upgrade: let it be read to its end, so
    // the connection can serve another request.
    ctx.request().resume();
    if (endedByClosing(ctx, failure)) {
      // The client went away (or the connection was refused mid-body): nobody to answer, and
      // nothing went wrong on this side. Any other failure is logged below as usual; its answer
      // just goes nowhere.
      log.debug("Request {} ended by its connection closing", RequestIds.of(ctx));
      return;
    }
    if (failure instanceof ApiException api) {
      if (!ctx.response().headWritten()) {
        api.decorate(ctx.response());
      }
      ApiError.send(ctx, api.status(), api.errorCode(), api.getMessage());
    } else if (failure instanceof ValidationException invalid) {
      ApiError.send(
          ctx,
          STATUS_OF_KIND.get(invalid.kind()),
          invalid.errorCode(),
          invalid.field() + ": " + invalid.getMessage(),
          invalid.field());
    } else if (failure instanceof DecodeException
        || (failure != null && failure.getCause() instanceof DecodeException)) {
      ApiError.send(ctx, 400, "MALFORMED_JSON", "the request body is not valid JSON");
    } else if (failure instanceof StorageException storage
        && storage.sqlState() != null
        && INPUT_DATA_EXCEPTIONS.contains(storage.sqlState())) {
      // A value the database cannot take (text it cannot encode, a number out of its range): the
      // input is at fault, not the database. The checks in front of the store should have caught
      // it, so it is worth a warning.
      log.warn(
          "Request {} sent a value the database refused (SQLSTATE {})",
          RequestIds.of(ctx),
          storage.sqlState());
      ApiError.send(
          ctx, 422, "VALIDATION_FAILED", "a value in the request cannot be stored as given");
    } else if (failure instanceof StorageException storage) {
      if (storage.unreachable()) {
        // The database is away (stopped, restarting, out of connections): one line per request
        // without a stack trace, the readiness probe tells the rest.
        log.warn(
            "Database unreachable on request {}: {} ({})",
            RequestIds.of(ctx),
            storage.getMessage(),
            String.valueOf(storage.getCause()));
      } else {
        log.error(
            "Storage failure on request {} (SQLSTATE {})",
            RequestIds.of(ctx),
            storage.sqlState(),
            storage);
      }
      ApiError.send(
          ctx,
          STATUS_OF_KIND.get(storage.kind()),
          storage.errorCode(),
          "the database is unavailable, try again later");
    } else if (failure instanceof HomelabException refusal
        && refusal.kind() != ErrorKind.INTERNAL) {
      // Its message is written for people (core's rule for every HomelabException); the kind says
      // the status. Unavailable parts are worth an error line, refusals are not.
      if (refusal.kind() == ErrorKind.UNAVAILABLE) {
        log.error("Failure on request {}: {}", RequestIds.of(ctx), refusal.getMessage(), refusal);
      }
      if (refusal.kind() == ErrorKind.BUSY && !ctx.response().headWritten()) {
        // Refused before anything changed because too much is in flight: soon is fine.
        ctx.response().putHeader("Retry-After", "1");
      }
      ApiError.send(ctx, statusOf(refusal), refusal.errorCode(), refusal.getMessage());
    } else if (failure instanceof HttpException http) {
      sendStatus(ctx, http.getStatusCode());
    } else if ((failure == null && status > 0) || (status >= 400 && status < 500)) {
      // A bare status, or a library's refusal with one (CORS answers 403 with its own exception).
      sendStatus(ctx, status);
    } else {
      log.error("Unexpected failure on request {}", RequestIds.of(ctx), failure);
      ApiError.send(
          ctx,
          500,
          "INTERNAL_ERROR",
          "unexpected server error; quote the request id when reporting it");
    }
  }

  private static boolean endedByClosing(RoutingContext ctx, Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof HttpClosedException) {
        return true;
      }
    }
    return failure == null && ctx.response().closed();
  }

  /** Answers a bare status (404, 405, 413, ...) with its standard code and sentence. */
  void sendStatus(RoutingContext ctx, int status) {
    switch (status) {
      case 400 -> ApiError.send(ctx, 400, "BAD_REQUEST", "the request is malformed");
      case 401 -> {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ApiError.send(ctx, 401, "UNAUTHENTICATED", "authentication is required");
      }
      case 403 -> ApiError.send(ctx, 403, "FORBIDDEN", "this operation is not allowed");
      case 404 ->
          ApiError.send(
              ctx,
              404,
              "NOT_FOUND",
              "no such resource: " + ctx.request().method() + " " + safePath(ctx));
      case 405 -> {
        // The path as the router matched it: normalised, without a trailing slash.
        String path = ctx.normalizedPath();
        if (path.length() > 1 && path.endsWith("/")) {
          path = path.substring(0, path.length() - 1);
        }
        Set<String> allowed = routes.allowedMethods(path);
        if (!ctx.response().headWritten() && !allowed.isEmpty()) {
          ctx.response().putHeader("Allow", String.join(", ", allowed));
        }
        ApiError.send(
            ctx,
            405,
            "METHOD_NOT_ALLOWED",
            ctx.request().method()
                + " is not allowed here; allowed: "
                + String.join(", ", allowed));
      }
      case 413 ->
          ApiError.send(
              ctx, 413, "BODY_TOO_LARGE", "the request body is larger than this server accepts");
      case 415 ->
          ApiError.send(
              ctx, 415, "UNSUPPORTED_MEDIA_TYPE", "the request body must be application/json");
      case 503 ->
          ApiError.send(
              ctx,
              503,
              "SERVICE_UNAVAILABLE",
              "the request did not complete in time or the server is busy");
      default -> {
        if (status >= 500) {
          ApiError.send(
              ctx,
              status,
              "INTERNAL_ERROR",
              "unexpected server error; quote the request id when reporting it");
        } else {
          ApiError.send(ctx, status, "REQUEST_REFUSED", "the request was refused");
        }
      }
    }
  }

  /** The path without the query string (which may carry secrets), shortened. */
  private static String safePath(RoutingContext ctx) {
    String path = ctx.request().path();
    return path.length() > 200 ? path.substring(0, 200) + "..." : path;
  }

  /**
   * A refusal only HTTP has (401, 415, 429, a malformed request), with its status and code. Domain
   * failures are core's {@link HomelabException}s, answered through {@link #STATUS_OF_KIND}.
   */
  public static class ApiException extends HomelabException {
    private final int status;

    /**
     * @param status the HTTP status
     * @param errorCode the upper snake case code
     * @param detail a sentence for people
     */
    public ApiException(int status, String errorCode, String detail) {
      super(kindOf(status), errorCode, detail, null, true);
      this.status = status;
    }

    /** The kind closest to an HTTP-only status, for code that looks at kinds only. */
    private static ErrorKind kindOf(int status) {
      for (Map.Entry<ErrorKind, Integer> entry : STATUS_OF_KIND.entrySet()) {
        if (entry.getValue() == status) {
          return entry.getKey();
        }
      }
      return status == 401
          ? ErrorKind.FORBIDDEN
          : status < 500 ? ErrorKind.INVALID : ErrorKind.INTERNAL;
    }

    int status() {
      return status;
    }

    /**
     * Adds headers that belong with this failure, such as {@code Retry-After}.
     *
     * @param response the response about to be sent
     */
    protected void decorate(HttpServerResponse response) {}
  }
}
