package dev.homelab.client.impl;

import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.files.StoredFile;
import dev.homelab.client.files.UploadOptions;
import dev.homelab.client.files.UploadSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sending half of a tus 1.0 upload (core protocol and checksum extension): asks the server for
 * its offset, then sends the file from there in {@code PATCH} chunks, each with the SHA-256 of its
 * bytes in {@code Upload-Checksum}. A failure that another attempt may cure (the connection dropped
 * or stalled, a 5xx other than 507, a checksum the server found wrong, an offset or lock conflict)
 * is followed by a wait, growing each time, a {@code HEAD} for the server's offset, and the chunks
 * from there; at most {@link UploadOptions#maxRetries()} such failures in a row. The server keeps a
 * checksummed chunk whole or not at all, so a cut costs at most the chunk in flight.
 *
 * <p>Runs on one context; one instance per call.
 */
final class TusUpload {

  static final String VERSION = "1.0.0";
  private static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private final Transport transport;
  private final FilesClient files;
  private final String uploadPath;
  private final Path file;
  private final UploadOptions options;
  private long length = -1;
  private int failures; // in a row, since the last chunk that went through

  /**
   * @param transport the transport
   * @param files the client, to read the file once stored
   * @param uploadPath the upload's path below the base url
   * @param file the file with the upload's bytes
   * @param options listener, chunk size and retries
   */
  TusUpload(
      Transport transport, FilesClient files, String uploadPath, Path file, UploadOptions options) {
    this.transport = transport;
    this.files = files;
    this.uploadPath = uploadPath;
    this.file = file;
    this.options = options;
  }

  /** The headers every tus request carries. */
  static Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Tus-Resumable", VERSION);
    return headers;
  }

  /**
   * The path of an upload below the base url.
   *
   * @param upload its id, its path ({@code /api/files/uploads/<id>}) or its absolute url
   * @return {@code /api/files/uploads/<id>}
   * @throws IllegalArgumentException if it names no upload
   */
  static String path(String upload) {
    String id = upload.trim();
    int query = id.indexOf('?');
    if (query >= 0) {
      id = id.substring(0, query);
    }
    while (id.endsWith("/")) {
      id = id.substring(0, id.length() - 1);
    }
    int marker = id.lastIndexOf(UploadSession.UPLOADS_PATH + "/");
    if (marker >= 0) {
      id = id.substring(marker + UploadSession.UPLOADS_PATH.length() + 1);
    }
    if (id.isEmpty() || id.contains("/")) {
      throw new IllegalArgumentException("not an upload's id or url: " + upload);
    }
    return UploadSession.UPLOADS_PATH + "/" + Transport.segment(id);
  }

  /**
   * @return the stored file once every byte is in
   */
  Future<StoredFile> run() {
    return transport
        .vertx()
        .fileSystem()
        .props(file.toAbsolutePath().toString())
        .compose(
            props -> {
              length = props.size();
              return offset();
            })
        .transform(head -> head.succeeded() ? from(head.result()) : recover(head.cause()));
  }

  /** {@code HEAD}: the server's offset, after checking that its length is the file's. */
  private Future<Long> offset() {
    return transport
        .sendHeaders(HttpMethod.HEAD, uploadPath, headers(), 200)
        .compose(
            head -> {
              long offset = number(head, "Upload-Offset");
              long declared = number(head, "Upload-Length");
              if (declared >= 0 && declared != length) {
                return Future.failedFuture(
                    new IllegalArgumentException(
                        "the upload is of "
                            + declared
                            + " bytes, but "
                            + file
                            + " has "
                            + length
                            + ": not the file it was created for"));
              }
              if (offset < 0 || offset > length) {
                return Future.failedFuture(
                    new HomelabConnectionException(
                        "the server answered Upload-Offset " + head.getHeader("Upload-Offset"),
                        null));
              }
              return Future.succeededFuture(offset);
            });
  }

  /**
   * Sends the chunks from {@code offset} on, one after the other. At the end offset it still sends
   * one empty {@code PATCH}: holding every byte is not yet a file (the completion that the last
   * chunk started may have failed with a 5xx, or the answer to that chunk was lost), and an empty
   * chunk at the end is how the server is asked to complete it again; it answers with the file's
   * id, or the refusal (a quota) that stops the upload.
   */
  private Future<StoredFile> from(long offset) {
    options.progress().progress(offset, length);
    return chunk(offset)
        .transform(
            sent -> {
              if (sent.failed()) {
                return recover(sent.cause());
              }
              failures = 0;
              HttpResponse<Buffer> answer = sent.result();
              long next = number(answer, "Upload-Offset");
              if (next < offset || next > length || (next == offset && offset < length)) {
                // Not what a server that took the chunk answers: ask it where it stands.
                return recover(
                    new HomelabConnectionException(
                        "the server answered Upload-Offset "
                            + answer.getHeader("Upload-Offset")
                            + " to a chunk sent at "
                            + offset,
                        null));
              }
              return next == length ? stored(answer.getHeader("Homelab-File-Id")) : from(next);
            });
  }

  /** One {@code PATCH} with the bytes from {@code offset}, at most a chunk of them. */
  private Future<HttpResponse<Buffer>> chunk(long offset) {
    Vertx vertx = transport.vertx();
    long size = Math.min(options.chunkSize(), length - offset);
    return Digests.sha256(vertx, file, offset, size)
        .compose(
            digest ->
                vertx
                    .fileSystem()
                    .open(file.toAbsolutePath().toString(), new OpenOptions().setRead(true))
                    .compose(in -> send(in, offset, size, digest)));
  }

  private Future<HttpResponse<Buffer>> send(AsyncFile in, long offset, long size, byte[] digest) {
    in.setReadPos(offset).setReadLength(size);
    long[] sent = {offset};
    CountingStream body =
        new CountingStream(
            in,
            bytes -> {
              sent[0] += bytes;
              options.progress().progress(sent[0], length);
            });
    Map<String, String> headers = headers();
    headers.put("Upload-Offset", Long.toString(offset));
    headers.put("Upload-Checksum", "sha256 " + Base64.getEncoder().encodeToString(digest));
    return transport
        .upload(
            HttpMethod.PATCH,
            uploadPath,
            Map.of(),
            headers,
            new UploadBody(body, size, "application/offset+octet-stream"),
            204)
        .andThen(done -> in.close());
  }

  /** After a failure: wait, ask for the offset, go on from there; or give up. */
  private Future<StoredFile> recover(Throwable cause) {
    if (!retryable(cause) || failures >= options.maxRetries()) {
      return Future.failedFuture(cause);
    }
    failures++;
    long delay = delay(options.retryDelay(), failures);
    Future<Void> waited =
        delay == 0 ? Future.succeededFuture() : transport.vertx().timer(delay).mapEmpty();
    return waited
        .compose(done -> offset())
        .transform(head -> head.succeeded() ? from(head.result()) : recover(head.cause()));
  }

  /** The wait before retry {@code attempt} (1, 2, ...): doubled each time, at most 30 s. */
  static long delay(Duration first, int attempt) {
    long millis = first.toMillis();
    for (int i = 1; i < attempt && millis < MAX_DELAY.toMillis(); i++) {
      millis *= 2;
    }
    return Math.min(millis, MAX_DELAY.toMillis());
  }

  /**
   * Whether another attempt may cure a failure: the connection (dropped, refused, stalled), a
   * server error other than 507 (its disk is full: waiting will not free it), a chunk that arrived
   * damaged (460), or a conflict (409: the offset moved, or the server still holds the lock of a
   * cut request).
   */
  static boolean retryable(Throwable cause) {
    if (cause instanceof HomelabConnectionException) {
      return true;
    }
    if (cause instanceof HomelabHttpException http) {
      int status = http.status();
      return status == 409 || status == 460 || (status >= 500 && status != 507 && status != 501);
    }
    return false;
  }

  /** The stored file: by the id the last {@code PATCH} named, else from the upload's view. */
  private Future<StoredFile> stored(String fileId) {
    if (fileId != null && !fileId.isBlank()) {
      return files.get(fileId.trim());
    }
    return transport
        .get(uploadPath, UploadSession::fromJson)
        .compose(
            session ->
                session.file() != null
                    ? Future.succeededFuture(session.file())
                    : Future.failedFuture(
                        new HomelabConnectionException(
                            "the server holds all "
                                + length
                                + " bytes of "
                                + uploadPath
                                + " but reports no file",
                            null)));
  }

  private static long number(HttpResponse<Buffer> response, String header) {
    String value = response.getHeader(header);
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
