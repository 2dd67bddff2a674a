package dev.homelab.server.routes;

import dev.homelab.core.ValidationException;
import dev.homelab.core.files.FileContent;
import dev.homelab.core.files.FileFields;
import dev.homelab.core.files.FilePatch;
import dev.homelab.core.files.FileQuery;
import dev.homelab.core.files.FileStore;
import dev.homelab.core.files.NewFile;
import dev.homelab.core.files.Share;
import dev.homelab.core.files.ShareSpec;
import dev.homelab.core.files.StoredFile;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.server.auth.Actors;
import dev.homelab.server.http.ErrorHandler;
import dev.homelab.server.http.LatchedBody;
import dev.homelab.server.http.Params;
import dev.homelab.server.http.Responses;
import dev.homelab.server.http.Routes;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /api/files} and {@code /share/{token}}: the file store over HTTP. The rules (who sees
 * which file, dedup, quotas, audit, events) are the {@link FileStore}'s; these handlers translate
 * HTTP, streaming bodies both ways so that memory does not grow with file sizes.
 */
public final class FileRoutes {

  /** Where share links are served, outside {@code /api}: they need no login. */
  public static final String SHARE_PATH = "/share/";

  /** The most file parts one multipart upload may carry. */
  static final int MAX_PARTS = 100;

  /** The error code of a form over the decoder's limits (fields, size of a text field). */
  static final String FORM_TOO_LARGE = "FORM_TOO_LARGE";

  private final FileStore files;
  private final Actors actors;

  /**
   * @param files the file store
   * @param actors builds the actor of a request
   */
  public FileRoutes(FileStore files, Actors actors) {
    this.files = files;
    this.actors = actors;
  }

  /**
   * @param method a request's method
   * @param path its path
   * @return whether it sends an upload's body (a multipart upload, a tus chunk), which may arrive
   *     for longer than the request timeout on a slow link: each is bounded by the idle timeout
   *     instead, and a tus upload resumes where a cut one ended
   */
  public static boolean isUpload(HttpMethod method, String path) {
    String trimmed = Routes.withoutTrailingSlashes(path);
    return (method == HttpMethod.POST && trimmed.equals("/api/files/upload"))
        || (method == HttpMethod.PATCH && trimmed.startsWith(TusRoutes.BASE + "/"));
  }

  /**
   * @param routes where to register
   */
  public void register(Routes routes) {
    routes.route(HttpMethod.POST, "/api/files/upload", Role.USER, this::upload);
    routes.route(HttpMethod.GET, "/api/files", Role.VIEWER, this::list);
    routes.route(HttpMethod.GET, "/api/files/stats", Role.VIEWER, this::stats);
    routes.route(HttpMethod.GET, "/api/files/:id", Role.VIEWER, this::get);
    routes.route(HttpMethod.GET, "/api/files/:id/download", Role.VIEWER, this::download);
    routes.route(HttpMethod.HEAD, "/api/files/:id/download", Role.VIEWER, this::download);
    routes.jsonRoute(HttpMethod.PATCH, "/api/files/:id", Role.USER, this::update);
    routes.route(HttpMethod.DELETE, "/api/files/:id", Role.USER, this::delete);
    routes.jsonRoute(HttpMethod.POST, "/api/files/:id/shares", Role.USER, this::share);
    routes.route(HttpMethod.GET, "/api/files/:id/shares", Role.VIEWER, this::shares);
    routes.route(
        HttpMethod.DELETE, "/api/files/:id/shares/:share_id", Role.USER, this::revokeShare);
    routes.route(HttpMethod.GET, SHARE_PATH + ":token", this::shared);
    routes.route(HttpMethod.HEAD, SHARE_PATH + ":token", this::shared);
  }

  /**
   * Receives a multipart upload: each file part streams to a temporary file as it arrives; when the
   * request ends, the {@code tags} field (wherever it was in the form) applies to all of them and
   * they are committed one by one. The first part that fails (too large, over the quota, a full
   * disk) is answered at once; the rest of the body is read and dropped, and no part of that
   * request is kept.
   */
  private void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      ctx.fail(
          new ErrorHandler.ApiException(
              415, "UNSUPPORTED_MEDIA_TYPE", "an upload is multipart/form-data"));
      return;
    }
    Actor actor = actors.of(ctx);
    List<Future<FileStore.Staged>> staged = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> types = new ArrayList<>();
    boolean[] failed = {false};
    Handler<Throwable> failOnce =
        failure -> {
          if (!failed[0]) {
            failed[0] = true;
            discardAll(staged);
            ctx.fail(failure);
          }
        };
    request.setExpectMultipart(true);
    request.uploadHandler(
        part -> {
          if (failed[0]) {
            part.handler(ignored -> {});
            return;
          }
          if (staged.size() >= MAX_PARTS) {
            part.handler(ignored -> {});
            failOnce.handle(
                new ValidationException(
                    "file", "one upload carries at most " + MAX_PARTS + " files"));
            return;
          }
          names.add(part.filename());
          types.add(part.contentType());
          // Staging starts with a quota lookup: a close before it reads the part must still end it.
          staged.add(files.stage(actor, LatchedBody.of(part)).onFailure(failOnce));
        });
    // The form decoder's refusals (too many fields, a text field too large, broken multipart) come
    // here, and the request still ends afterwards: fail it now, so the end commits nothing.
    request.exceptionHandler(failure -> failOnce.handle(formFailure(failure)));
    request.endHandler(
        end ->
            Future.join(staged)
                .transform(
                    all -> {
                      if (failed[0] || all.failed()) {
                        return discardAll(staged)
                            .compose(v -> Future.<List<StoredFile>>failedFuture(all.cause()));
                      }
                      List<NewFile> described = new ArrayList<>();
                      try {
                        List<String> tags = tags(request);
                        List<String> exact = exactNames(request, staged.size());
                        for (int i = 0; i < staged.size(); i++) {
                          String name = exact.isEmpty() ? names.get(i) : exact.get(i);
                          described.add(new NewFile(name, types.get(i), tags));
                        }
                      } catch (ValidationException invalid) {
                        return discardAll(staged).compose(v -> Future.failedFuture(invalid));
                      }
                      if (staged.isEmpty()) {
                        return Future.failedFuture(
                            new ValidationException(
                                "file", "the form has no file part (a part with a filename)"));
                      }
                      return commitAll(actor, staged, described);
                    })
                .onSuccess(
                    created ->
                        Responses.json(
                            ctx,
                            201,
                            new JsonObject()
                                .put(
                                    "files",
                                    new JsonArray(
                                        created.stream().map(StoredFile::toJson).toList()))))
                .onFailure(failOnce));
  }

  /**
   * What the form decoder's failure means for the client: its limits ({@link
   * HttpServerOptions#DEFAULT_MAX_FORM_FIELDS} fields, text fields of {@link
   * HttpServerOptions#DEFAULT_MAX_FORM_ATTRIBUTE_SIZE} bytes) are 413, a body that is not multipart
   * 400. Anything else (the connection closing) passes as it is.
   */
  private static Throwable formFailure(Throwable failure) {
    if (failure instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
      return new ErrorHandler.ApiException(
          413,
          FORM_TOO_LARGE,
          "the form has more than " + HttpServerOptions.DEFAULT_MAX_FORM_FIELDS + " fields");
    }
    if (failure instanceof HttpPostRequestDecoder.TooLongFormFieldException
        || (failure instanceof HttpPostRequestDecoder.ErrorDataDecoderException
            && failure.getCause() != null
            && String.valueOf(failure.getCause().getMessage()).startsWith("Size exceed"))) {
      return new ErrorHandler.ApiException(
          413,
          FORM_TOO_LARGE,
          "a text field of the form is larger than "
              + HttpServerOptions.DEFAULT_MAX_FORM_ATTRIBUTE_SIZE
              + " bytes");
    }
    if (failure instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
      return new ErrorHandler.ApiException(
          400, "BAD_REQUEST", "the body is not well-formed multipart/form-data");
    }
    return failure;
  }

  /** The tags of a form: one {@code tags} field or several, each comma separated. */
  private static List<String> tags(HttpServerRequest request) {
    List<String> tags = new ArrayList<>();
    for (String name : request.formAttributes().names()) {
      if (!name.equals("tags") && !name.equals("filename")) {
        throw new ValidationException(
            name,
            "unknown form field "
                + name
                + "; an upload has file parts (with a filename), a tags field and filename fields");
      }
    }
    for (String field : request.formAttributes().getAll("tags")) {
      tags.addAll(FileFields.tagList(field));
    }
    return tags;
  }

  /**
   * The exact names of the file parts, in their order, from {@code filename} text fields. The
   * multipart parser (Netty's) replaces {@code = ; , :} and tabs in a part's own filename with
   * spaces and drops quotes, so a client that wants {@code a=b.txt} kept sends its name here too.
   *
   * @return the names, or an empty list when the form has none
   */
  private static List<String> exactNames(HttpServerRequest request, int parts) {
    List<String> names = request.formAttributes().getAll("filename");
    if (!names.isEmpty() && names.size() != parts) {
      throw new ValidationException(
          "filename",
          "give one filename field per file part, in their order, or none ("
              + names.size()
              + " for "
              + parts
              + " files)");
    }
    return names;
  }

  private Future<List<StoredFile>> commitAll(
      Actor actor, List<Future<FileStore.Staged>> staged, List<NewFile> described) {
    List<StoredFile> created = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < staged.size(); i++) {
      FileStore.Staged part = staged.get(i).result();
      NewFile file = described.get(i);
      int index = i;
      chain =
          chain.compose(
              v ->
                  files
                      .commit(actor, part, file)
                      .onFailure(failure -> discardAll(staged.subList(index + 1, staged.size())))
                      .map(
                          stored -> {
                            created.add(stored);
                            return null;
                          }));
    }
    // A part that fails after others were committed (the quota, taken by a concurrent upload)
    // takes those back: a request stores all its files or none.
    return chain
        .map(created)
        .recover(
            failure -> {
              List<Future<StoredFile>> undone = new ArrayList<>();
              for (StoredFile file : created) {
                undone.add(files.delete(actor, file.id()));
              }
              return Future.join(undone).transform(done -> Future.failedFuture(failure));
            });
  }

  private Future<Void> discardAll(List<Future<FileStore.Staged>> staged) {
    List<Future<Void>> discarded = new ArrayList<>();
    for (Future<FileStore.Staged> part : staged) {
      discarded.add(
          part.transform(
              ar -> ar.succeeded() ? files.discard(ar.result()) : Future.succeededFuture()));
    }
    return Future.join(discarded).otherwiseEmpty().mapEmpty();
  }

  private void list(RoutingContext ctx) {
    FileQuery query =
        new FileQuery(
            Params.text(ctx, "tag"),
            Params.text(ctx, "q"),
            Params.integer(ctx, "limit", FileQuery.DEFAULT_LIMIT, 1, FileQuery.MAX_LIMIT),
            Params.text(ctx, "cursor"));
    Responses.json(
        ctx,
        200,
        files
            .list(actors.of(ctx), query)
            .map(
                page ->
                    new JsonObject()
                        .put(
                            "files",
                            new JsonArray(page.items().stream().map(StoredFile::toJson).toList()))
                        .put("next_cursor", page.nextCursor())));
  }

  private void stats(RoutingContext ctx) {
    Responses.json(ctx, 200, files.stats(actors.of(ctx)).map(s -> s.toJson()));
  }

  private void get(RoutingContext ctx) {
    Responses.json(
        ctx, 200, files.get(actors.of(ctx), ctx.pathParam("id")).map(StoredFile::toJson));
  }

  private void download(RoutingContext ctx) {
    files
        .open(actors.of(ctx), ctx.pathParam("id"))
        .onSuccess(
            content ->
                FileResponses.send(
                    ctx, content, FileResponses.wanted(ctx, content.file()), "private, no-cache"))
        .onFailure(ctx::fail);
  }

  private void update(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    FilePatch patch = FilePatch.fromJson(Routes.body(ctx));
    Responses.json(ctx, 200, files.update(actors.of(ctx), id, patch).map(StoredFile::toJson));
  }

  private void delete(RoutingContext ctx) {
    Responses.noContent(ctx, files.delete(actors.of(ctx), ctx.pathParam("id")));
  }

  private void share(RoutingContext ctx) {
    ShareSpec spec = ShareSpec.fromJson(Routes.body(ctx));
    Responses.json(
        ctx,
        201,
        files
            .shares()
            .create(actors.of(ctx), ctx.pathParam("id"), spec)
            .map(issued -> issued.toJson(SHARE_PATH)));
  }

  private void shares(RoutingContext ctx) {
    Responses.json(
        ctx,
        200,
        files
            .shares()
            .list(actors.of(ctx), ctx.pathParam("id"))
            .map(
                list ->
                    new JsonObject()
                        .put("shares", new JsonArray(list.stream().map(Share::toJson).toList()))));
  }

  private void revokeShare(RoutingContext ctx) {
    Responses.noContent(
        ctx, files.shares().revoke(actors.of(ctx), ctx.pathParam("id"), ctx.pathParam("share_id")));
  }

  /**
   * A share link: anyone with the token gets the file. Every {@code GET} that sends bytes uses one
   * of the link's downloads, a range too: were a range past the start free, {@code Range: bytes=1-}
   * would fetch all but one byte of the file any number of times and the limit would bound nothing.
   * A {@code HEAD}, a 304 and a 416 send no bytes and use none.
   */
  private void shared(RoutingContext ctx) {
    String token = ctx.pathParam("token");
    ctx.response().putHeader("Referrer-Policy", "no-referrer");
    files
        .shares()
        .redeem(token, false)
        .compose(
            peek -> {
              FileResponses.Wanted wanted = FileResponses.wanted(ctx, peek.file());
              boolean counts =
                  ctx.request().method() == HttpMethod.GET
                      && !(wanted instanceof FileResponses.Unsatisfiable)
                      && !FileResponses.notModified(ctx, FileResponses.etag(peek.file()));
              // Counting checks the limit again in the same statement: of two racing downloads
              // of a link with one left, only one gets the file.
              Future<FileContent> content =
                  counts ? files.shares().redeem(token, true) : Future.succeededFuture(peek);
              return content.map(c -> new Shared(c, wanted));
            })
        .onSuccess(shared -> FileResponses.send(ctx, shared.content, shared.wanted, "no-store"))
        .onFailure(ctx::fail);
  }

  private record Shared(FileContent content, FileResponses.Wanted wanted) {}
}
