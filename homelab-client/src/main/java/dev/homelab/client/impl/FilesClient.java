package dev.homelab.client.impl;

import dev.homelab.client.HomelabChecksumException;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.Page;
import dev.homelab.client.files.FilePatch;
import dev.homelab.client.files.FileQuery;
import dev.homelab.client.files.FileStats;
import dev.homelab.client.files.FilesApi;
import dev.homelab.client.files.NewShare;
import dev.homelab.client.files.Share;
import dev.homelab.client.files.StoredFile;
import dev.homelab.client.files.TransferListener;
import dev.homelab.client.files.UploadOptions;
import dev.homelab.client.files.UploadSession;
import dev.homelab.client.files.UploadSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@link FilesApi} over the transport. Every transfer runs on one Vert.x context from start to end
 * (a fresh one when called off Vert.x), so that its file, its streams and its request deliver and
 * are driven on the same thread; bytes are streamed through, never held whole.
 */
final class FilesClient implements FilesApi {

  static final String FILES = "/api/files";

  private final Transport transport;

  FilesClient(Transport transport) {
    this.transport = transport;
  }

  // --- metadata

  @Override
  public Future<Page<StoredFile>> list(FileQuery query) {
    return transport.getPage(FILES, query.toQueryParams(), "files", StoredFile::fromJson);
  }

  @Override
  public Future<StoredFile> get(String id) {
    return transport.get(path(id), StoredFile::fromJson);
  }

  @Override
  public Future<StoredFile> update(String id, FilePatch patch) {
    return transport.patch(path(id), patch.toJson(), StoredFile::fromJson);
  }

  @Override
  public Future<Void> delete(String id) {
    return transport.delete(path(id));
  }

  @Override
  public Future<FileStats> stats() {
    return transport.get(FILES + "/stats", FileStats::fromJson);
  }

  @Override
  public Future<Share> createShare(String fileId, NewShare share) {
    return transport.post(path(fileId) + "/shares", share.toJson(), 201, Share::fromJson);
  }

  @Override
  public Future<List<Share>> shares(String fileId) {
    return transport.getList(path(fileId) + "/shares", "shares", Share::fromJson);
  }

  @Override
  public Future<Void> revokeShare(String fileId, String shareId) {
    return transport.delete(path(fileId) + "/shares/" + Transport.segment(shareId));
  }

  // --- multipart upload

  @Override
  public Future<List<StoredFile>> uploadAll(List<UploadSource> sources, UploadOptions options) {
    if (sources.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("nothing to upload"));
    }
    return onContext(context -> new MultipartUpload(transport, context, sources, options).send());
  }

  // --- download

  @Override
  public Future<StoredFile> download(String id, Path target, TransferListener progress) {
    TransferListener listener = progress == null ? TransferListener.NONE : progress;
    return onContext(context -> get(id).compose(file -> download(file, target, listener)));
  }

  private Future<StoredFile> download(StoredFile file, Path target, TransferListener progress) {
    FileSystem fs = transport.vertx().fileSystem();
    String name = target.toAbsolutePath().toString();
    return fs.exists(name)
        .compose(
            exists ->
                exists ? fs.props(name).map(props -> props.size()) : Future.succeededFuture(-1L))
        .compose(
            held -> {
              if (held == file.size()) {
                // Complete already, unless it is other bytes of that length: then start again.
                return Digests.sha256(transport.vertx(), target, 0, -1)
                    .compose(
                        digest ->
                            Digests.hex(digest).equals(file.sha256())
                                ? reportDone(file, progress)
                                : fetch(file, target, 0, progress));
              }
              return fetch(file, target, held > 0 && held < file.size() ? held : 0, progress);
            });
  }

  private static Future<StoredFile> reportDone(StoredFile file, TransferListener progress) {
    progress.progress(file.size(), file.size());
    return Future.succeededFuture(file);
  }

  /** Asks for the bytes from {@code from} on, writes them, then checks the whole target. */
  private Future<StoredFile> fetch(
      StoredFile file, Path target, long from, TransferListener progress) {
    FileSystem fs = transport.vertx().fileSystem();
    String name = target.toAbsolutePath().toString();
    String downloadPath = path(file.id()) + "/download";
    ByteRange range = from > 0 ? ByteRange.from(from) : null;
    // The range only if the content is still the one whose first bytes the target holds.
    Map<String, String> headers =
        from > 0 ? Map.of("If-Range", "\"" + file.sha256() + "\"") : Map.of();
    return fs.open(name, new OpenOptions().setWrite(true).setCreate(true))
        .compose(
            out ->
                transport
                    .open(HttpMethod.GET, downloadPath, Map.of(), range, headers, 200, 206)
                    .onFailure(refused -> out.close())
                    .compose(answer -> write(answer, out, file, target, from, progress)))
        .compose(
            etag ->
                Digests.sha256(transport.vertx(), target, 0, -1)
                    .compose(
                        digest -> {
                          String actual = Digests.hex(digest);
                          String expected = etag != null ? etag : file.sha256();
                          if (actual.equals(expected) && expected.equals(file.sha256())) {
                            return Future.succeededFuture(file);
                          }
                          // Corrupt: gone, so that the next attempt starts from byte 0.
                          return fs.delete(name)
                              .transform(
                                  deleted ->
                                      Future.failedFuture(
                                          new HomelabChecksumException(
                                              "download of file " + file.id() + " to " + target,
                                              file.sha256(),
                                              actual)));
                        }));
  }

  /**
   * Writes an answer's body into the open target: a 206 after the bytes it holds, a 200 over them.
   *
   * @return the answer's ETag without quotes, or {@code null}
   */
  private Future<String> write(
      Download answer,
      AsyncFile out,
      StoredFile file,
      Path target,
      long from,
      TransferListener progress) {
    long start;
    if (answer.status() == 206) {
      Download.ContentRange range = answer.contentRange();
      if (range == null || range.first() != from) {
        answer.discard();
        out.close();
        return Future.failedFuture(
            new HomelabConnectionException(
                "asked for file "
                    + file.id()
                    + " from byte "
                    + from
                    + ", got Content-Range "
                    + answer.headers().get("Content-Range"),
                null));
      }
      start = from;
    } else {
      start = 0;
    }
    long[] written = {start};
    progress.progress(start, file.size());
    CountingStream body =
        new CountingStream(
            answer.body(),
            bytes -> {
              written[0] += bytes;
              progress.progress(written[0], file.size());
            });
    String etag = etag(answer.headers().get("ETag"));
    // Written from the start: whatever the target held goes, even bytes past the file's end.
    Future<Void> truncated =
        start == 0
            ? transport.vertx().fileSystem().truncate(target.toAbsolutePath().toString(), 0)
            : Future.succeededFuture();
    return truncated
        .compose(
            done -> {
              out.setWritePos(start);
              return body.pipeTo(out); // ends, and so closes, the target either way
            })
        .transform(
            piped ->
                piped.succeeded()
                    ? Future.succeededFuture(etag)
                    : Future.failedFuture(
                        new HomelabConnectionException(
                            "download of file "
                                + file.id()
                                + " failed: "
                                + piped.cause().getMessage(),
                            piped.cause())));
  }

  /** The value of an {@code ETag} without its quotes or weak marker, or {@code null}. */
  static String etag(String header) {
    if (header == null) {
      return null;
    }
    String value = header.trim();
    if (value.startsWith("W/")) {
      value = value.substring(2);
    }
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return value;
  }

  // --- tus

  @Override
  public Future<UploadSession> createUpload(Path file, UploadOptions options) {
    UploadSource source = UploadSource.of(file);
    return onContext(
        context ->
            transport
                .vertx()
                .fileSystem()
                .props(file.toAbsolutePath().toString())
                .compose(
                    props -> {
                      Map<String, String> headers = TusUpload.headers();
                      headers.put("Upload-Length", Long.toString(props.size()));
                      headers.put("Upload-Metadata", metadata(source, options.tags()));
                      return transport.sendHeaders(
                          HttpMethod.POST, UploadSession.UPLOADS_PATH, headers, 201);
                    })
                .compose(
                    created -> {
                      String location = created.getHeader("Location");
                      if (location == null) {
                        return Future.failedFuture(
                            new HomelabConnectionException(
                                "the server created an upload without a Location", null));
                      }
                      return getUpload(location);
                    }));
  }

  /** {@code Upload-Metadata}: each key, a space and its value in base64, separated by commas. */
  private static String metadata(UploadSource source, List<String> tags) {
    StringBuilder value =
        new StringBuilder("filename ")
            .append(base64(source.filename()))
            .append(",filetype ")
            .append(base64(source.contentType()));
    if (!tags.isEmpty()) {
      value.append(",tags ").append(base64(String.join(",", tags)));
    }
    return value.toString();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Future<UploadSession> getUpload(String upload) {
    return transport.get(TusUpload.path(upload), UploadSession::fromJson);
  }

  @Override
  public Future<Void> cancelUpload(String upload) {
    return transport
        .sendHeaders(HttpMethod.DELETE, TusUpload.path(upload), TusUpload.headers(), 204)
        .mapEmpty();
  }

  @Override
  public Future<StoredFile> resumeUpload(String upload, Path file, UploadOptions options) {
    String uploadPath;
    try {
      uploadPath = TusUpload.path(upload);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return onContext(context -> new TusUpload(transport, this, uploadPath, file, options).run());
  }

  // --- shared

  /** Runs a transfer on one context: the caller's, or a fresh one off Vert.x. */
  private <T> Future<T> onContext(Function<Context, Future<T>> transfer) {
    Context context = transport.vertx().getOrCreateContext();
    Promise<T> done = Promise.promise();
    context.runOnContext(
        start -> {
          try {
            transfer.apply(context).onComplete(done);
          } catch (RuntimeException e) {
            done.fail(e);
          }
        });
    return done.future();
  }

  static String path(String id) {
    return FILES + "/" + Transport.segment(id);
  }

  /** Reads {@code {"files":[...]}}. */
  static List<StoredFile> files(JsonObject json) {
    JsonArray array = json.getJsonArray("files", new JsonArray());
    List<StoredFile> files = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      files.add(StoredFile.fromJson(array.getJsonObject(i)));
    }
    return List.copyOf(files);
  }

  /** A fresh multipart boundary: never found in a part by chance. */
  static String boundary() {
    return "homelab-" + UUID.randomUUID().toString().replace("-", "");
  }
}
