package dev.homelab.client.files;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the server's file routes, on a real HTTP server: just enough of the contract of
 * issue 20 (multipart upload, list, get, patch, delete, stats, Range downloads with If-Range,
 * shares, tus 1.0 with the checksum extension, a checksummed chunk kept whole or not at all, as the
 * server does) for the client to be tested against. It holds the bytes in memory (test files are a
 * few MiB) and can be told to misbehave: cut a {@code PATCH} after some bytes, damage a chunk,
 * answer 503, ignore ranges or damage a download.
 */
final class FilesStub {

  static final String TOKEN = "files-token";

  private static final Pattern FILE = Pattern.compile("/api/files/([^/]+)");
  private static final Pattern DOWNLOAD = Pattern.compile("/api/files/([^/]+)/download");
  private static final Pattern SHARES = Pattern.compile("/api/files/([^/]+)/shares");
  private static final Pattern SHARE = Pattern.compile("/api/files/([^/]+)/shares/([^/]+)");
  private static final Pattern UPLOAD = Pattern.compile("/api/files/uploads/([^/]+)");

  /** A stored file: its JSON and its bytes. */
  record Stored(JsonObject json, Buffer bytes) {}

  /** A tus upload: what it was declared as and the bytes received so far. */
  static final class Tus {
    final String id = UUID.randomUUID().toString();
    final long length;
    final Map<String, String> metadata;
    Buffer data = Buffer.buffer();
    String fileId;

    Tus(long length, Map<String, String> metadata) {
      this.length = length;
      this.metadata = metadata;
    }
  }

  final Map<String, Stored> files = new ConcurrentHashMap<>();
  final List<String> order = new CopyOnWriteArrayList<>(); // ids, oldest first
  final Map<String, Tus> uploads = new ConcurrentHashMap<>();
  final Map<String, JsonObject> shares = new ConcurrentHashMap<>();

  /** "METHOD path" of every request, with the tus, range and multipart details worth checking. */
  final List<String> seen = new CopyOnWriteArrayList<>();

  /** The multipart uploads' details: "filename|content type|tags|chunked". */
  final List<String> multipart = new CopyOnWriteArrayList<>();

  /**
   * Cuts the connection of the {@code PATCH} that carries the byte at this offset of the upload,
   * before that byte: once.
   */
  final AtomicLong cutAtOffset = new AtomicLong(-1);

  /** Damages a byte of the next n {@code PATCH} bodies, which then fail their checksum. */
  final AtomicInteger damageNextPatches = new AtomicInteger();

  /** Answers the next n {@code PATCH} requests 503 without reading them. */
  final AtomicInteger unavailableNextPatches = new AtomicInteger();

  /**
   * Fails the completion of the next n uploads as the server does when its commit fails (a 5xx):
   * every byte is kept, no file is made, and an empty {@code PATCH} at the end tries again.
   */
  final AtomicInteger failNextCompletions = new AtomicInteger();

  volatile boolean ignoreRanges;
  volatile boolean damageDownloads;

  private final HttpServer server;

  FilesStub(Vertx vertx) throws Exception {
    server =
        vertx
            .createHttpServer()
            .requestHandler(this::handle)
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  /** Stores a file as if uploaded. */
  Stored put(String filename, String contentType, Buffer bytes, List<String> tags) {
    String id = UUID.randomUUID().toString();
    String now = Instant.now().toString();
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("owner_id", "u-1")
            .put("filename", filename)
            .put("content_type", contentType)
            .put("size", (long) bytes.length())
            .put("sha256", sha256Hex(bytes))
            .put("tags", new JsonArray(new ArrayList<>(tags)))
            .put("created_at", now)
            .put("updated_at", now);
    Stored stored = new Stored(json, bytes);
    files.put(id, stored);
    order.add(id);
    return stored;
  }

  static String sha256Hex(Buffer bytes) {
    return HexFormat.of().formatHex(sha256(bytes));
  }

  static byte[] sha256(Buffer bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes.getBytes());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // --- routing

  private void handle(HttpServerRequest request) {
    String path = request.path();
    seen.add(request.method() + " " + path);
    if (!("Bearer " + TOKEN).equals(request.getHeader("Authorization"))) {
      error(request.response(), 401, "UNAUTHORIZED");
      return;
    }
    HttpMethod method = request.method();
    Matcher m;
    if (path.equals("/api/files/upload") && method == HttpMethod.POST) {
      upload(request);
    } else if (path.equals("/api/files") && method == HttpMethod.GET) {
      list(request);
    } else if (path.equals("/api/files/stats") && method == HttpMethod.GET) {
      stats(request);
    } else if (path.equals("/api/files/uploads") && method == HttpMethod.POST) {
      create(request);
    } else if ((m = UPLOAD.matcher(path)).matches()) {
      tus(request, m.group(1));
    } else if ((m = DOWNLOAD.matcher(path)).matches() && method == HttpMethod.GET) {
      download(request, m.group(1));
    } else if ((m = SHARE.matcher(path)).matches() && method == HttpMethod.DELETE) {
      JsonObject share = shares.get(m.group(2));
      if (share == null || !share.getString("file_id").equals(m.group(1))) {
        error(request.response(), 404, "SHARE_NOT_FOUND");
      } else {
        share.put("revoked", true);
        request.response().setStatusCode(204).end();
      }
    } else if ((m = SHARES.matcher(path)).matches()) {
      shares(request, m.group(1));
    } else if ((m = FILE.matcher(path)).matches()) {
      file(request, m.group(1));
    } else {
      error(request.response(), 404, "NOT_FOUND");
    }
  }

  private void upload(HttpServerRequest request) {
    boolean chunked = request.getHeader("Content-Length") == null;
    request.setExpectMultipart(true);
    List<String[]> parts = new ArrayList<>();
    List<Buffer> bodies = new ArrayList<>();
    request.uploadHandler(
        upload -> {
          Buffer body = Buffer.buffer();
          parts.add(new String[] {upload.filename(), upload.contentType()});
          bodies.add(body);
          upload.handler(body::appendBuffer);
        });
    request.endHandler(
        end -> {
          List<String> tags = new ArrayList<>();
          for (String field : request.formAttributes().getAll("tags")) {
            for (String tag : field.split(",")) {
              if (!tag.isBlank()) {
                tags.add(tag.trim().toLowerCase());
              }
            }
          }
          // As the server does: filename fields, one per file, give the exact names.
          List<String> exact = request.formAttributes().getAll("filename");
          if (!exact.isEmpty()) {
            for (int i = 0; i < parts.size(); i++) {
              parts.get(i)[0] = exact.get(i);
            }
          }
          JsonArray answer = new JsonArray();
          for (int i = 0; i < parts.size(); i++) {
            multipart.add(parts.get(i)[0] + "|" + parts.get(i)[1] + "|" + tags + "|" + chunked);
            Stored stored = put(parts.get(i)[0], parts.get(i)[1], bodies.get(i), tags);
            answer.add(stored.json());
          }
          json(request.response().setStatusCode(201), new JsonObject().put("files", answer));
        });
  }

  private void list(HttpServerRequest request) {
    String tag = request.getParam("tag");
    String q = request.getParam("q");
    int limit =
        request.getParam("limit") == null ? 50 : Integer.parseInt(request.getParam("limit"));
    int from =
        request.getParam("cursor") == null ? 0 : Integer.parseInt(request.getParam("cursor"));
    List<JsonObject> matching = new ArrayList<>();
    for (int i = order.size() - 1; i >= 0; i--) {
      Stored stored = files.get(order.get(i));
      if (stored == null) {
        continue;
      }
      JsonObject json = stored.json();
      if (tag != null && !json.getJsonArray("tags").contains(tag)) {
        continue;
      }
      if (q != null && !json.getString("filename").toLowerCase().contains(q.toLowerCase())) {
        continue;
      }
      matching.add(json);
    }
    int to = Math.min(matching.size(), from + limit);
    json(
        request.response(),
        new JsonObject()
            .put("files", new JsonArray(new ArrayList<>(matching.subList(from, to))))
            .put("next_cursor", to < matching.size() ? Integer.toString(to) : null));
  }

  private void stats(HttpServerRequest request) {
    long bytes = 0;
    Map<String, Long> distinct = new ConcurrentHashMap<>();
    for (Stored stored : files.values()) {
      bytes += stored.bytes().length();
      distinct.put(stored.json().getString("sha256"), (long) stored.bytes().length());
    }
    long storedBytes = distinct.values().stream().mapToLong(Long::longValue).sum();
    json(
        request.response(),
        new JsonObject()
            .put("count", files.size())
            .put("bytes", bytes)
            .put("stored_bytes", storedBytes)
            .put("saved_bytes", bytes - storedBytes)
            .put("quota_bytes", null)
            .put("used_bytes", bytes)
            .put("disk_free_bytes", 1_000_000_000L)
            .put("disk_total_bytes", 2_000_000_000L));
  }

  private void file(HttpServerRequest request, String id) {
    Stored stored = files.get(id);
    if (stored == null) {
      error(request.response(), 404, "FILE_NOT_FOUND");
      return;
    }
    if (request.method() == HttpMethod.GET) {
      json(request.response(), stored.json());
    } else if (request.method() == HttpMethod.DELETE) {
      files.remove(id);
      request.response().setStatusCode(204).end();
    } else if (request.method() == HttpMethod.PATCH) {
      request
          .body()
          .onSuccess(
              body -> {
                JsonObject patch = body.toJsonObject();
                seen.add("PATCH body " + patch.encode());
                if (patch.containsKey("filename")) {
                  stored.json().put("filename", patch.getString("filename"));
                }
                if (patch.containsKey("tags")) {
                  stored.json().put("tags", patch.getJsonArray("tags"));
                }
                json(request.response(), stored.json());
              });
    } else {
      error(request.response(), 405, "METHOD_NOT_ALLOWED");
    }
  }

  private void shares(HttpServerRequest request, String fileId) {
    if (!files.containsKey(fileId)) {
      error(request.response(), 404, "FILE_NOT_FOUND");
      return;
    }
    if (request.method() == HttpMethod.GET) {
      JsonArray list = new JsonArray();
      shares.values().stream()
          .filter(share -> share.getString("file_id").equals(fileId))
          .forEach(list::add);
      json(request.response(), new JsonObject().put("shares", list));
      return;
    }
    request
        .body()
        .onSuccess(
            body -> {
              JsonObject spec = body.length() == 0 ? new JsonObject() : body.toJsonObject();
              seen.add("POST share " + spec.encode());
              Instant now = Instant.now();
              JsonObject share =
                  new JsonObject()
                      .put("id", UUID.randomUUID().toString())
                      .put("file_id", fileId)
                      .put("created_at", now.toString())
                      .put(
                          "expires_at",
                          now.plusSeconds(spec.getLong("expires_in_seconds", 604800L)).toString())
                      .put("max_downloads", spec.getInteger("max_downloads"))
                      .put("downloads", 0)
                      .put("revoked", false);
              shares.put(share.getString("id"), share);
              String token = "t".repeat(43);
              json(
                  request.response().setStatusCode(201),
                  share.copy().put("token", token).put("url", "/share/" + token));
            });
  }

  private void download(HttpServerRequest request, String id) {
    Stored stored = files.get(id);
    HttpServerResponse response = request.response();
    if (stored == null) {
      error(response, 404, "FILE_NOT_FOUND");
      return;
    }
    Buffer bytes = stored.bytes();
    if (damageDownloads) {
      bytes = bytes.copy();
      bytes.setByte(bytes.length() / 2, (byte) (bytes.getByte(bytes.length() / 2) ^ 1));
    }
    String etag = "\"" + stored.json().getString("sha256") + "\"";
    String range = request.getHeader("Range");
    String ifRange = request.getHeader("If-Range");
    seen.add("download Range=" + range + " If-Range=" + ifRange);
    response
        .putHeader("ETag", etag)
        .putHeader("Accept-Ranges", "bytes")
        .putHeader("Content-Type", "application/octet-stream");
    if (range != null && !ignoreRanges && (ifRange == null || ifRange.equals(etag))) {
      long first = Long.parseLong(range.substring("bytes=".length(), range.indexOf('-')));
      if (first >= bytes.length()) {
        response.putHeader("Content-Range", "bytes */" + bytes.length());
        error(response, 416, "RANGE_NOT_SATISFIABLE");
        return;
      }
      response
          .setStatusCode(206)
          .putHeader(
              "Content-Range", "bytes " + first + "-" + (bytes.length() - 1) + "/" + bytes.length())
          .end(bytes.getBuffer((int) first, bytes.length()));
      return;
    }
    response.end(bytes);
  }

  // --- tus

  private void create(HttpServerRequest request) {
    if (!"1.0.0".equals(request.getHeader("Tus-Resumable"))) {
      error(request.response().putHeader("Tus-Version", "1.0.0"), 412, "PRECONDITION_FAILED");
      return;
    }
    Map<String, String> metadata = new ConcurrentHashMap<>();
    String header = request.getHeader("Upload-Metadata");
    if (header != null) {
      for (String pair : header.split(",")) {
        String[] kv = pair.trim().split(" ", 2);
        metadata.put(
            kv[0],
            kv.length < 2
                ? ""
                : new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8));
      }
    }
    Tus tus = new Tus(Long.parseLong(request.getHeader("Upload-Length")), metadata);
    uploads.put(tus.id, tus);
    request
        .response()
        .setStatusCode(201)
        .putHeader("Tus-Resumable", "1.0.0")
        .putHeader("Location", "/api/files/uploads/" + tus.id)
        .end();
  }

  private void tus(HttpServerRequest request, String id) {
    Tus tus = uploads.get(id);
    HttpServerResponse response = request.response().putHeader("Tus-Resumable", "1.0.0");
    if (tus == null) {
      error(response, 404, "UPLOAD_NOT_FOUND");
      return;
    }
    HttpMethod method = request.method();
    if (method == HttpMethod.GET) {
      Stored file = tus.fileId == null ? null : files.get(tus.fileId);
      json(
          response,
          new JsonObject()
              .put("id", tus.id)
              .put("length", tus.length)
              .put("offset", (long) tus.data.length())
              .put("filename", tus.metadata.get("filename"))
              .put("content_type", tus.metadata.get("filetype"))
              .put("tags", new JsonArray(tagsOf(tus)))
              .put("created_at", "2026-12-07T10:00:00Z")
              .put("expires_at", "2026-12-08T10:00:00Z")
              .put("file", file == null ? null : file.json()));
      return;
    }
    if (!"1.0.0".equals(request.getHeader("Tus-Resumable"))) {
      error(response.putHeader("Tus-Version", "1.0.0"), 412, "PRECONDITION_FAILED");
      return;
    }
    if (method == HttpMethod.HEAD) {
      seen.add("HEAD offset " + tus.data.length());
      response
          .putHeader("Upload-Offset", Integer.toString(tus.data.length()))
          .putHeader("Upload-Length", Long.toString(tus.length))
          .putHeader("Cache-Control", "no-store")
          .end();
    } else if (method == HttpMethod.DELETE) {
      uploads.remove(id);
      response.setStatusCode(204).end();
    } else if (method == HttpMethod.PATCH) {
      patch(request, response, tus);
    } else {
      error(response, 405, "METHOD_NOT_ALLOWED");
    }
  }

  private static List<String> tagsOf(Tus tus) {
    String tags = tus.metadata.getOrDefault("tags", "");
    return tags.isEmpty() ? List.of() : List.of(tags.split(","));
  }

  private void patch(HttpServerRequest request, HttpServerResponse response, Tus tus) {
    long offset = Long.parseLong(request.getHeader("Upload-Offset"));
    seen.add("PATCH at " + offset + " checksum " + (request.getHeader("Upload-Checksum") != null));
    if (unavailableNextPatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(response, 503, "UNAVAILABLE");
      return;
    }
    if (!"application/offset+octet-stream".equals(request.getHeader("Content-Type"))) {
      error(response, 415, "UNSUPPORTED_MEDIA_TYPE");
      return;
    }
    if (offset != tus.data.length()) {
      error(response, 409, "UPLOAD_OFFSET_MISMATCH");
      return;
    }
    long length = Long.parseLong(request.getHeader("Content-Length"));
    long cutAt = cutAtOffset.get();
    long cutAfter =
        cutAt >= offset && cutAt < offset + length && cutAtOffset.compareAndSet(cutAt, -1)
            ? cutAt - offset
            : -1;
    boolean damage = damageNextPatches.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    long[] received = {0};
    boolean[] cut = {false};
    request.handler(
        chunk -> {
          if (cut[0]) {
            return;
          }
          Buffer kept = chunk;
          if (cutAfter >= 0 && received[0] + chunk.length() > cutAfter) {
            kept = chunk.getBuffer(0, (int) (cutAfter - received[0]));
            cut[0] = true;
          }
          if (damage && received[0] == 0 && kept.length() > 0) {
            kept = kept.copy();
            kept.setByte(0, (byte) (kept.getByte(0) ^ 0xff));
          }
          if (tus.data.length() + kept.length() > tus.length) {
            cut[0] = true;
            error(response, 413, "FILE_TOO_LARGE");
            return;
          }
          tus.data.appendBuffer(kept);
          received[0] += kept.length();
          if (cut[0]) {
            // As the server does: the bytes of a cut chunk are kept without a checksum, and
            // dropped with one (a checksummed chunk is kept whole or not at all).
            if (request.getHeader("Upload-Checksum") != null) {
              tus.data = tus.data.getBuffer(0, (int) offset);
            }
            seen.add("cut PATCH after " + received[0]);
            request.connection().close();
          }
        });
    request.endHandler(
        end -> {
          if (cut[0]) {
            return;
          }
          String checksum = request.getHeader("Upload-Checksum");
          if (checksum != null) {
            Buffer body = tus.data.getBuffer((int) offset, tus.data.length());
            String expected = checksum.substring("sha256 ".length());
            if (!Base64.getEncoder().encodeToString(sha256(body)).equals(expected)) {
              tus.data = tus.data.getBuffer(0, (int) offset); // the chunk is discarded
              error(response, 460, "CHECKSUM_MISMATCH");
              return;
            }
          }
          if (tus.data.length() == tus.length
              && tus.fileId == null
              && failNextCompletions.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            seen.add("completion failed");
            error(response, 500, "INTERNAL_ERROR");
            return;
          }
          response
              .setStatusCode(204)
              .putHeader("Upload-Offset", Integer.toString(tus.data.length()));
          if (tus.data.length() == tus.length && tus.fileId != null) {
            // A repeated end: the file made before, as the server answers.
            response.putHeader("Homelab-File-Id", tus.fileId);
          } else if (tus.data.length() == tus.length) {
            Stored stored =
                put(
                    tus.metadata.get("filename"),
                    tus.metadata.get("filetype"),
                    tus.data,
                    tagsOf(tus));
            tus.fileId = stored.json().getString("id");
            response.putHeader("Homelab-File-Id", tus.fileId);
          }
          response.end();
        });
  }

  // --- answers

  private static void json(HttpServerResponse response, JsonObject body) {
    response.putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void error(HttpServerResponse response, int status, String code) {
    if (response.ended()) {
      return;
    }
    response
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("detail", code.toLowerCase())
                .put("error_code", code)
                .put("timestamp", "2026-01-01T00:00:00Z")
                .encode());
  }
}
