package dev.homelab.server.routes;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.files.Checksum;
import dev.homelab.core.files.FileFields;
import dev.homelab.core.files.FileStore;
import dev.homelab.core.files.NewFile;
import dev.homelab.core.files.ResumableUploads;
import dev.homelab.core.files.UploadSession;
import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.LatchedBody;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Resumable uploads under {@code /api/files/uploads}, speaking tus 1.0.0 (core, creation,
 * termination, checksum and expiration extensions: https://tus.io/protocols/resumable-upload) so
 * that existing tus clients work unchanged. The semantics are core's {@link ResumableUploads}; this
 * class maps tus headers and statuses onto it. Errors carry the standard JSON body as well.
 */
public final class TusRoutes {

  /** The protocol version spoken. */
  static final String VERSION = "1.0.0";

  /** Where uploads are created and live. */
  public static final String BASE = "/api/files/uploads";

  private static final Pattern NUMBER = Pattern.compile("\\d{1,19}");

  private final FileStore files;
  private final Actors actors;

  /**
   * @param files the file store
   * @param actors builds the actor of a request
   */
  public TusRoutes(FileStore files, Actors actors) {
    this.files = files;
    this.actors = actors;
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.OPTIONS, BASE, Role.USER, this::options);
    routes.route(HttpMethod.POST, BASE, Role.USER, this::create);
    routes.route(HttpMethod.GET, BASE + "/:id", Role.USER, this::describe);
    routes.route(HttpMethod.HEAD, BASE + "/:id", Role.USER, this::head);
    routes.route(HttpMethod.PATCH, BASE + "/:id", Role.USER, this::patch);
    routes.route(HttpMethod.DELETE, BASE + "/:id", Role.USER, this::terminate);
  }

  private void options(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(204)
        .putHeader("Tus-Resumable", VERSION)
        .putHeader("Tus-Version", VERSION)
        .putHeader("Tus-Extension", "creation,termination,checksum,expiration")
        .putHeader("Tus-Max-Size", Long.toString(files.options().maxFileBytes()))
        .putHeader("Tus-Checksum-Algorithm", String.join(",", Checksum.ALGORITHMS))
        .end();
  }

  /**
   * Checks {@code Tus-Resumable} and adds it to the answer; false if the request was refused. tus
   * 1.0 requires the header on every request but {@code OPTIONS}: one without it is refused like
   * one with another version (as tusd does), not taken as tus.
   */
  private static boolean speaksTus(RoutingContext ctx) {
    ctx.response().putHeader("Tus-Resumable", VERSION);
    String version = ctx.request().getHeader("Tus-Resumable");
    if (version == null || !version.strip().equals(VERSION)) {
      ctx.response().putHeader("Tus-Version", VERSION);
      ctx.fail(
          new ErrorHandler.ApiException(
              412, "TUS_VERSION_UNSUPPORTED", "this server speaks tus " + VERSION));
      return false;
    }
    return true;
  }

  private void create(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    if (ctx.request().getHeader("Upload-Defer-Length") != null) {
      badRequest(
          ctx,
          "UPLOAD_LENGTH_REQUIRED",
          "Upload-Defer-Length is not supported: send Upload-Length");
      return;
    }
    String length = ctx.request().getHeader("Upload-Length");
    if (length == null || !NUMBER.matcher(length.strip()).matches()) {
      badRequest(ctx, "UPLOAD_LENGTH_REQUIRED", "Upload-Length must be the file's size in bytes");
      return;
    }
    String contentLength = ctx.request().getHeader("Content-Length");
    if ((contentLength != null && !contentLength.strip().equals("0"))
        || ctx.request().getHeader("Transfer-Encoding") != null) {
      badRequest(
          ctx,
          "CREATION_WITH_UPLOAD_UNSUPPORTED",
          "send the bytes in PATCH requests after the creation (creation-with-upload is not supported)");
      return;
    }
    NewFile file;
    try {
      file = metadata(ctx.request().getHeader("Upload-Metadata"));
    } catch (HomelabException invalid) {
      ctx.fail(invalid);
      return;
    }
    long bytes;
    try {
      bytes = Long.parseLong(length.strip());
    } catch (NumberFormatException tooBig) {
      ctx.fail(
          new HomelabException(
              ErrorKind.TOO_LARGE,
              FileStore.TOO_LARGE,
              "the file is larger than this server accepts"));
      return;
    }
    files
        .uploads()
        .create(actors.of(ctx), bytes, file)
        .onSuccess(
            session -> {
              HttpServerResponse response = ctx.response();
              response.putHeader("Location", BASE + "/" + session.id());
              uploadHeaders(response, session);
              response.setStatusCode(201).end();
            })
        .onFailure(ctx::fail);
  }

  /**
   * Reads {@code Upload-Metadata}: comma-separated {@code key base64value} pairs. {@code filename}
   * (or {@code name}), {@code filetype} (or {@code content_type}, {@code type}) and {@code tags}
   * are used; other keys are ignored, as tus clients send their own.
   */
  static NewFile metadata(String header) {
    Map<String, String> values = new HashMap<>();
    if (header != null && !header.isBlank()) {
      for (String pair : header.split(",")) {
        String[] kv = pair.strip().split(" ", 2);
        if (kv[0].isEmpty()) {
          continue;
        }
        String value = "";
        if (kv.length == 2) {
          try {
            value = new String(Base64.getDecoder().decode(kv[1].strip()), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            throw new ErrorHandler.ApiException(
                400, "UPLOAD_METADATA_MALFORMED", "Upload-Metadata values must be base64");
          }
        }
        values.put(kv[0].toLowerCase(Locale.ROOT), value);
      }
    }
    String filename = values.getOrDefault("filename", values.get("name"));
    String type =
        values.getOrDefault("filetype", values.getOrDefault("content_type", values.get("type")));
    return new NewFile(filename, type, FileFields.tagList(values.get("tags")));
  }

  private void describe(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        files
            .uploads()
            .get(actors.of(ctx), ctx.pathParam("id"))
            .compose(
                session ->
                    session.isComplete()
                        ? files
                            .get(actors.of(ctx), session.fileId())
                            .map(file -> session.toJson(file))
                            .recover(gone -> Future.succeededFuture(session.toJson(null)))
                        : Future.succeededFuture(session.toJson(null))));
  }

  private void head(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    files
        .uploads()
        .get(actors.of(ctx), ctx.pathParam("id"))
        .onSuccess(
            session -> {
              HttpServerResponse response = ctx.response();
              uploadHeaders(response, session);
              response
                  .putHeader("Upload-Length", Long.toString(session.length()))
                  .putHeader("Upload-Metadata", encodeMetadata(session.file()))
                  .putHeader("Cache-Control", "no-store")
                  .setStatusCode(200)
                  .end();
            })
        .onFailure(ctx::fail);
  }

  private void patch(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    String type = ctx.request().getHeader("Content-Type");
    if (type == null
        || !type.strip().toLowerCase(Locale.ROOT).startsWith("application/offset+octet-stream")) {
      ctx.fail(
          new ErrorHandler.ApiException(
              415,
              "UNSUPPORTED_MEDIA_TYPE",
              "a chunk is sent as Content-Type: application/offset+octet-stream"));
      return;
    }
    String offset = ctx.request().getHeader("Upload-Offset");
    if (offset == null || !NUMBER.matcher(offset.strip()).matches()) {
      badRequest(ctx, "UPLOAD_OFFSET_REQUIRED", "Upload-Offset must be the upload's offset");
      return;
    }
    Checksum checksum;
    try {
      String header = ctx.request().getHeader("Upload-Checksum");
      checksum = header == null ? null : Checksum.parse(header);
    } catch (HomelabException invalid) {
      badRequest(ctx, invalid.errorCode(), invalid.getMessage());
      return;
    }
    files
        .uploads()
        .append(
            actors.of(ctx),
            ctx.pathParam("id"),
            Long.parseLong(offset.strip()),
            // A chunk whose client left before it was read must still end, and free the upload.
            LatchedBody.of(ctx.request()),
            checksum)
        .onSuccess(
            session -> {
              HttpServerResponse response = ctx.response();
              uploadHeaders(response, session);
              if (session.isComplete()) {
                response.putHeader("Homelab-File-Id", session.fileId());
              }
              response.setStatusCode(204).end();
            })
        .onFailure(
            failure -> {
              if (failure instanceof HomelabException h
                  && ResumableUploads.CHECKSUM_MISMATCH.equals(h.errorCode())) {
                ctx.fail(new ErrorHandler.ApiException(460, h.errorCode(), h.getMessage()));
              } else {
                ctx.fail(failure);
              }
            });
  }

  private void terminate(RoutingContext ctx) {
    if (!speaksTus(ctx)) {
      return;
    }
    Responses.noContent(ctx, files.uploads().terminate(actors.of(ctx), ctx.pathParam("id")));
  }

  private static void uploadHeaders(HttpServerResponse response, UploadSession session) {
    response
        .putHeader("Upload-Offset", Long.toString(session.offset()))
        .putHeader("Upload-Expires", httpDate(session.expiresAt()));
  }

  private static String encodeMetadata(NewFile file) {
    List<String> pairs = new ArrayList<>();
    pairs.add("filename " + base64(file.filename()));
    pairs.add("filetype " + base64(file.contentType()));
    if (!file.tags().isEmpty()) {
      pairs.add("tags " + base64(String.join(",", file.tags())));
    }
    return String.join(",", pairs);
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }

  private static String httpDate(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }

  private static void badRequest(RoutingContext ctx, String code, String detail) {
    ctx.fail(new ErrorHandler.ApiException(400, code, detail));
  }
}
