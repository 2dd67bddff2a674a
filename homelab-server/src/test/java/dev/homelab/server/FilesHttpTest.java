package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file routes at the HTTP level, where the protocol details live: hostile file names never
 * reach the disk and come back safely encoded (issue 20, acceptance 1), byte ranges and their
 * validators (acceptance 3), tus 1.0 statuses and headers, share links that stop working, and the
 * upload limits. The typed client's view of the same routes is {@code FilesClientApiTest}.
 */
class FilesHttpTest {

  @TempDir static Path dir;
  static Path dataDir;
  static ServerTesting lab;
  static String alice;
  static String bob;

  @BeforeAll
  static void start() throws IOException {
    // The data directory sits two levels down, so a name that climbed out of the store would land
    // inside the tree this test compares.
    dataDir = Files.createDirectories(dir.resolve("a/b/data"));
    lab = ServerTesting.start(dataDir, Map.of("FILES_MAX_UPLOAD_MB", "2", "FILES_QUOTA_MB", "6"));
    alice = jwt("alice", "user");
    bob = jwt("bob", "user");
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  static String jwt(String username, String role) {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(lab.client.users().create(username, password, role));
    HomelabClient user = lab.newClient(null);
    String token = await(user.auth().login(username, password)).jwt();
    TestSecrets.remember(token);
    await(user.close());
    return token;
  }

  // --- helpers ---

  static final String BOUNDARY = "----homelab-test-boundary";

  /** A multipart body written by hand, so that a file name can hold any byte. */
  static Buffer multipart(List<byte[]> names, List<byte[]> contents, String tags) {
    Buffer body = Buffer.buffer();
    for (int i = 0; i < names.size(); i++) {
      body.appendString("--" + BOUNDARY + "\r\n");
      body.appendString("Content-Disposition: form-data; name=\"file\"; filename=\"");
      body.appendBytes(names.get(i));
      body.appendString("\"\r\nContent-Type: text/plain\r\n\r\n");
      body.appendBytes(contents.get(i));
      body.appendString("\r\n");
    }
    if (tags != null) {
      body.appendString("--" + BOUNDARY + "\r\n");
      body.appendString("Content-Disposition: form-data; name=\"tags\"\r\n\r\n" + tags + "\r\n");
    }
    body.appendString("--" + BOUNDARY + "--\r\n");
    return body;
  }

  static HttpResponse<Buffer> upload(String jwt, Buffer body) {
    return await(
        lab.web
            .post("/api/files/upload")
            .putHeader("Authorization", "Bearer " + jwt)
            .putHeader("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .sendBuffer(body));
  }

  static JsonObject uploadOne(String jwt, String name, byte[] content, String tags) {
    HttpResponse<Buffer> response =
        upload(
            jwt, multipart(List.of(name.getBytes(StandardCharsets.UTF_8)), List.of(content), tags));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject().getJsonArray("files").getJsonObject(0);
  }

  static HttpResponse<Buffer> call(HttpMethod method, String uri, String jwt, MultiMap headers) {
    return call(lab, method, uri, jwt, headers);
  }

  static HttpResponse<Buffer> call(
      ServerTesting server, HttpMethod method, String uri, String jwt, MultiMap headers) {
    var request = server.web.request(method, uri);
    if (jwt != null) {
      request.putHeader("Authorization", "Bearer " + jwt);
    }
    if (headers != null) {
      request.putHeaders(headers);
    }
    return await(request.send());
  }

  static HttpResponse<Buffer> get(String uri, String jwt, String... headers) {
    return call(HttpMethod.GET, uri, jwt, headers(headers));
  }

  static MultiMap headers(String... pairs) {
    MultiMap map = MultiMap.caseInsensitiveMultiMap();
    for (int i = 0; i < pairs.length; i += 2) {
      map.add(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  static Set<String> tree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths
          .map(p -> root.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  // --- acceptance 1: names ---

  @Test
  void hostileFileNamesNeverLeaveTheStoreAndComeBackSafelyEncoded() throws Exception {
    Set<String> before = tree(dir);
    List<String> hostile =
        List.of(
            "../../x",
            "/etc/passwd",
            "..\\..\\x",
            "a\u0000b.txt",
            "c\r\nd.txt",
            "e\nContent-Type: text/html.txt",
            "..",
            "n".repeat(300),
            "ü".repeat(300) + ".txt",
            "\"quoted\";name.txt",
            "%2e%2e%2fx");
    for (String name : hostile) {
      HttpResponse<Buffer> response =
          upload(
              alice,
              multipart(
                  List.of(name.getBytes(StandardCharsets.UTF_8)),
                  List.of(("content of " + name).getBytes(StandardCharsets.UTF_8)),
                  null));
      // A name the form parser itself cannot read may be refused; nothing else may happen.
      assertThat(response.statusCode()).as(name).isIn(201, 400, 422);
      if (response.statusCode() != 201) {
        continue;
      }
      JsonObject file = response.bodyAsJsonObject().getJsonArray("files").getJsonObject(0);
      String stored = file.getString("filename");
      assertThat(stored).as(name).doesNotContain("/", "\\", "\u0000", "\r", "\n");
      assertThat(stored).isNotIn(".", "..", "");
      assertThat(stored.codePointCount(0, stored.length())).isLessThanOrEqualTo(255);
      HttpResponse<Buffer> download =
          get("/api/files/" + file.getString("id") + "/download", alice);
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.bodyAsString()).isEqualTo("content of " + name);
      String disposition = download.getHeader("Content-Disposition");
      assertThat(disposition).startsWith("attachment; filename=\"");
      // The fallback is printable ASCII without quotes or backslashes; the exact name is in
      // filename*, percent-encoded UTF-8 that decodes back to the stored name.
      String fallback =
          disposition.substring("attachment; filename=\"".length(), disposition.indexOf("\"; "));
      assertThat(fallback).matches("[\\x20-\\x7e&&[^\"\\\\]]*");
      String encoded = disposition.substring(disposition.indexOf("filename*=UTF-8''") + 17);
      assertThat(encoded).matches("[A-Za-z0-9!#$&+\\-.^_`|~%]*");
      assertThat(URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8))
          .isEqualTo(stored);
    }
    // A rename and a tus upload take the same names through other doors.
    String id =
        uploadOne(alice, "plain.txt", "x".getBytes(StandardCharsets.UTF_8), null).getString("id");
    for (String name : hostile) {
      HttpResponse<Buffer> renamed =
          await(
              lab.web
                  .patch("/api/files/" + id)
                  .putHeader("Authorization", "Bearer " + alice)
                  .sendJsonObject(new JsonObject().put("filename", name)));
      assertThat(renamed.statusCode()).as(name).isIn(200, 400, 422);
      if (renamed.statusCode() == 200) {
        assertThat(renamed.bodyAsJsonObject().getString("filename"))
            .doesNotContain("/", "\\", "\u0000", "\r", "\n");
      }
      HttpResponse<Buffer> created =
          call(
              HttpMethod.POST,
              "/api/files/uploads",
              alice,
              headers(
                  "Tus-Resumable", "1.0.0",
                  "Upload-Length", "3",
                  "Upload-Metadata",
                      "filename "
                          + Base64.getEncoder()
                              .encodeToString(name.getBytes(StandardCharsets.UTF_8))));
      assertThat(created.statusCode()).as(name).isEqualTo(201);
      HttpResponse<Buffer> done =
          await(
              lab.web
                  .patch(created.getHeader("Location"))
                  .putHeader("Authorization", "Bearer " + alice)
                  .putHeader("Tus-Resumable", "1.0.0")
                  .putHeader("Upload-Offset", "0")
                  .putHeader("Content-Type", "application/offset+octet-stream")
                  .sendBuffer(Buffer.buffer("abc")));
      assertThat(done.statusCode()).isEqualTo(204);
      JsonObject tusFile =
          get("/api/files/" + done.getHeader("Homelab-File-Id"), alice).bodyAsJsonObject();
      assertThat(tusFile.getString("filename")).doesNotContain("/", "\\", "\u0000", "\r", "\n");
    }
    // Outside the store nothing changed; inside it, only blobs, temporary and upload directories
    // and the database. Nothing named after a user's file exists anywhere.
    Set<String> after = tree(dir);
    Set<String> added = new TreeSet<>(after);
    added.removeAll(before);
    String store = "a/b/data/files/";
    assertThat(added)
        .allSatisfy(
            path ->
                assertThat(
                        path.startsWith(store + "blobs")
                            || path.startsWith(store + "tmp")
                            || path.startsWith(store + "uploads")
                            || path.startsWith("a/b/data/homelab.db"))
                    .as(path)
                    .isTrue());
    assertThat(after).noneMatch(p -> p.endsWith("/x") || p.equals("x") || p.endsWith("passwd"));
    assertThat(Path.of("x")).doesNotExist();
    try (Stream<Path> blobs = Files.walk(dataDir.resolve("files/blobs"))) {
      assertThat(blobs.filter(Files::isRegularFile))
          .allSatisfy(p -> assertThat(p.getFileName().toString()).matches("[0-9a-f]{64}"));
    }
  }

  @Test
  void filenameFieldsKeepNamesTheMultipartParserWouldMangle() {
    // Netty turns = ; , : and tabs of a part's filename into spaces and drops quotes; a filename
    // field per part, in order, carries the exact name.
    String exact = "a=b; c,d:e\"f ü.txt";
    Buffer body = Buffer.buffer();
    body.appendString("--" + BOUNDARY + "\r\n");
    body.appendString("Content-Disposition: form-data; name=\"filename\"\r\n\r\n");
    body.appendBytes(exact.getBytes(StandardCharsets.UTF_8)).appendString("\r\n");
    body.appendBuffer(multipart(List.of("mangled.txt".getBytes()), List.of("x".getBytes()), null));
    HttpResponse<Buffer> response = upload(alice, body);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(
            response
                .bodyAsJsonObject()
                .getJsonArray("files")
                .getJsonObject(0)
                .getString("filename"))
        .isEqualTo(exact);
    // Without it, the parser's version stands; with the wrong count, nothing is stored.
    assertThat(uploadOne(alice, "p=q.txt", "y".getBytes(), null).getString("filename"))
        .isEqualTo("p q.txt");
    Buffer twoNames = Buffer.buffer();
    for (String name : List.of("one", "two")) {
      twoNames.appendString("--" + BOUNDARY + "\r\n");
      twoNames.appendString(
          "Content-Disposition: form-data; name=\"filename\"\r\n\r\n" + name + "\r\n");
    }
    twoNames.appendBuffer(multipart(List.of("only.txt".getBytes()), List.of("z".getBytes()), null));
    HttpResponse<Buffer> refused = upload(alice, twoNames);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("field")).isEqualTo("filename");
  }

  @Test
  void aBlobGoneBetweenTheLookupAndTheSendIsNotFoundNotAnError() throws Exception {
    // What a download racing the delete of the file's last copy sees: the row was read, the blob
    // is gone when it is opened.
    byte[] data = bytes(1000, 41);
    JsonObject file = uploadOne(alice, "racing.bin", data, null);
    String sha = file.getString("sha256");
    Files.delete(
        dataDir
            .resolve("files/blobs")
            .resolve(sha.substring(0, 2))
            .resolve(sha.substring(2, 4))
            .resolve(sha));
    HttpResponse<Buffer> download = get("/api/files/" + file.getString("id") + "/download", alice);
    assertThat(download.statusCode()).isEqualTo(404);
    assertThat(download.bodyAsJsonObject().getString("error_code")).isEqualTo("FILE_NOT_FOUND");
    call(HttpMethod.DELETE, "/api/files/" + file.getString("id"), alice, null);
  }

  @Test
  void aTusCreationWithAChunkedBodyIsRefused() {
    // No Content-Length, a chunked body: creation-with-upload is not spoken, whatever the framing.
    JsonObject answer =
        await(
            lab.vertx
                .createHttpClient()
                .request(HttpMethod.POST, lab.server.port(), "127.0.0.1", "/api/files/uploads")
                .compose(
                    request ->
                        request
                            .putHeader("Authorization", "Bearer " + alice)
                            .putHeader("Tus-Resumable", "1.0.0")
                            .putHeader("Upload-Length", "3")
                            .setChunked(true)
                            .send(Buffer.buffer("abc")))
                .compose(
                    response ->
                        response
                            .body()
                            .map(
                                body -> body.toJsonObject().put("status", response.statusCode()))));
    assertThat(answer.getInteger("status")).isEqualTo(400);
    assertThat(answer.getString("error_code")).isEqualTo("CREATION_WITH_UPLOAD_UNSUPPORTED");
  }

  // --- acceptance 3: ranges ---

  @Test
  void rangesAreExactAndOutOfBoundsIs416() throws Exception {
    byte[] data = bytes(100_000, 1);
    JsonObject file = uploadOne(alice, "range.bin", data, "ranges");
    String uri = "/api/files/" + file.getString("id") + "/download";
    String etag = "\"" + sha256(data) + "\"";

    HttpResponse<Buffer> whole = get(uri, alice);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.getHeader("ETag")).isEqualTo(etag);
    assertThat(whole.getHeader("Accept-Ranges")).isEqualTo("bytes");
    assertThat(whole.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(whole.body().getBytes()).isEqualTo(data);

    HttpResponse<Buffer> middle = get(uri, alice, "Range", "bytes=1000-1999");
    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.getHeader("Content-Range")).isEqualTo("bytes 1000-1999/100000");
    assertThat(middle.body().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 2000));

    HttpResponse<Buffer> open = get(uri, alice, "Range", "bytes=99990-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 99990, 100000));

    HttpResponse<Buffer> suffix = get(uri, alice, "Range", "bytes=-10");
    assertThat(suffix.getHeader("Content-Range")).isEqualTo("bytes 99990-99999/100000");
    assertThat(suffix.body().getBytes())
        .isEqualTo(java.util.Arrays.copyOfRange(data, 99990, 100000));

    HttpResponse<Buffer> pastTheEnd = get(uri, alice, "Range", "bytes=99999-200000");
    assertThat(pastTheEnd.statusCode()).isEqualTo(206);
    assertThat(pastTheEnd.body().length()).isEqualTo(1);

    for (String outside : List.of("bytes=100000-", "bytes=100000-100001", "bytes=-0")) {
      HttpResponse<Buffer> refused = get(uri, alice, "Range", outside);
      assertThat(refused.statusCode()).as(outside).isEqualTo(416);
      assertThat(refused.getHeader("Content-Range")).isEqualTo("bytes */100000");
      assertThat(refused.bodyAsJsonObject().getString("error_code"))
          .isEqualTo("RANGE_NOT_SATISFIABLE");
    }

    // If-Range: the range only if the file is still the one the client has.
    assertThat(get(uri, alice, "Range", "bytes=0-9", "If-Range", etag).statusCode()).isEqualTo(206);
    HttpResponse<Buffer> changed = get(uri, alice, "Range", "bytes=0-9", "If-Range", "\"other\"");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(changed.body().length()).isEqualTo(100_000);
    // Several ranges, or a malformed one, get the whole file (RFC 9110 allows ignoring Range).
    assertThat(get(uri, alice, "Range", "bytes=0-1,5-6").statusCode()).isEqualTo(200);
    assertThat(get(uri, alice, "Range", "lines=1-2").statusCode()).isEqualTo(200);
    assertThat(get(uri, alice, "If-None-Match", etag).statusCode()).isEqualTo(304);

    HttpResponse<Buffer> head = call(HttpMethod.HEAD, uri, alice, headers("Range", "bytes=10-19"));
    assertThat(head.statusCode()).isEqualTo(206);
    assertThat(head.getHeader("Content-Length")).isEqualTo("10");
  }

  @Test
  void activeContentIsNeverServedAsItself() {
    JsonObject file =
        uploadOne(
            alice, "page.html", "<script>alert(1)</script>".getBytes(StandardCharsets.UTF_8), null);
    // The part said text/plain; a rename to .svg and the stored type: still bytes, attachment.
    HttpResponse<Buffer> response = get("/api/files/" + file.getString("id") + "/download", alice);
    assertThat(response.getHeader("Content-Disposition")).startsWith("attachment;");
    assertThat(response.getHeader("Content-Security-Policy")).contains("sandbox");
    HttpResponse<Buffer> html =
        upload(
            alice,
            Buffer.buffer(
                ("--"
                        + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.svg\"\r\n"
                        + "Content-Type: image/svg+xml\r\n\r\n<svg onload=alert(1)/>\r\n--"
                        + BOUNDARY
                        + "--\r\n")
                    .getBytes(StandardCharsets.UTF_8)));
    JsonObject svg = html.bodyAsJsonObject().getJsonArray("files").getJsonObject(0);
    assertThat(svg.getString("content_type")).isEqualTo("image/svg+xml");
    HttpResponse<Buffer> served = get("/api/files/" + svg.getString("id") + "/download", alice);
    assertThat(served.getHeader("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(served.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
  }

  // --- upload limits ---

  @Test
  void uploadsAreRefusedCleanlyAndLeaveNothingBehind() throws Exception {
    long filesBefore = listAll(bob).size();
    // Not a form.
    HttpResponse<Buffer> json =
        await(
            lab.web
                .post("/api/files/upload")
                .putHeader("Authorization", "Bearer " + bob)
                .sendJsonObject(new JsonObject()));
    assertThat(json.statusCode()).isEqualTo(415);
    // No file part; an unknown field; a bad tag.
    assertThat(upload(bob, multipart(List.of(), List.of(), "a")).statusCode()).isEqualTo(422);
    Buffer unknown =
        Buffer.buffer(
            "--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"owner\"\r\n\r\nalice\r\n--"
                + BOUNDARY
                + "--\r\n");
    assertThat(upload(bob, unknown).bodyAsJsonObject().getString("field")).isEqualTo("owner");
    HttpResponse<Buffer> badTag =
        upload(bob, multipart(List.of("t.txt".getBytes()), List.of(new byte[] {1}), "ok,<b>"));
    assertThat(badTag.statusCode()).isEqualTo(422);
    assertThat(badTag.bodyAsJsonObject().getString("field")).isEqualTo("tags");
    // Larger than FILES_MAX_UPLOAD_MB (2).
    HttpResponse<Buffer> tooLarge =
        upload(bob, multipart(List.of("big.bin".getBytes()), List.of(bytes(3 << 20, 2)), null));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.bodyAsJsonObject().getString("error_code")).isEqualTo("FILE_TOO_LARGE");
    // Over the quota (6 MiB): two files of 1.9 MiB fit, a fourth does not; an identical copy
    // still counts in full, deduplicated or not.
    byte[] chunk = bytes(1_900_000, 3);
    for (int i = 0; i < 3; i++) {
      uploadOne(bob, "q" + i + ".bin", chunk, "quota");
    }
    HttpResponse<Buffer> overQuota =
        upload(bob, multipart(List.of("q3.bin".getBytes()), List.of(chunk), null));
    assertThat(overQuota.statusCode()).isEqualTo(413);
    assertThat(overQuota.bodyAsJsonObject().getString("error_code")).isEqualTo("QUOTA_EXCEEDED");
    // And over tus: refused at creation.
    HttpResponse<Buffer> tusOver =
        call(
            HttpMethod.POST,
            "/api/files/uploads",
            bob,
            headers("Tus-Resumable", "1.0.0", "Upload-Length", "1900000"));
    assertThat(tusOver.statusCode()).isEqualTo(413);
    assertThat(listAll(bob)).hasSize((int) filesBefore + 3);
    try (Stream<Path> temps = Files.list(dataDir.resolve("files/tmp"))) {
      assertThat(temps).isEmpty();
    }
    JsonObject stats = get("/api/files/stats", bob).bodyAsJsonObject();
    assertThat(stats.getLong("used_bytes")).isEqualTo(3 * 1_900_000L);
    assertThat(stats.getLong("saved_bytes")).isEqualTo(2 * 1_900_000L);
    assertThat(stats.getLong("quota_bytes")).isEqualTo(6L << 20);
    for (Object f : listAll(bob)) {
      assertThat(
              call(HttpMethod.DELETE, "/api/files/" + ((JsonObject) f).getString("id"), bob, null)
                  .statusCode())
          .isEqualTo(204);
    }
  }

  static JsonArray listAll(String jwt) {
    return get("/api/files?limit=200", jwt).bodyAsJsonObject().getJsonArray("files");
  }

  // --- tus ---

  @Test
  void tusSpeaksTheProtocolsStatuses() throws Exception {
    HttpResponse<Buffer> options = call(HttpMethod.OPTIONS, "/api/files/uploads", alice, null);
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.getHeader("Tus-Version")).isEqualTo("1.0.0");
    assertThat(options.getHeader("Tus-Extension"))
        .isEqualTo("creation,termination,checksum,expiration");
    assertThat(options.getHeader("Tus-Max-Size")).isEqualTo(Long.toString(2L << 20));
    assertThat(options.getHeader("Tus-Checksum-Algorithm")).contains("sha1");

    assertThat(
            call(
                    HttpMethod.POST,
                    "/api/files/uploads",
                    alice,
                    headers("Tus-Resumable", "0.2.2", "Upload-Length", "5"))
                .statusCode())
        .isEqualTo(412);
    // tus requires Tus-Resumable on every request but OPTIONS: without it, 412 as for another
    // version.
    HttpResponse<Buffer> unversioned =
        call(HttpMethod.POST, "/api/files/uploads", alice, headers("Upload-Length", "5"));
    assertThat(unversioned.statusCode()).isEqualTo(412);
    assertThat(unversioned.getHeader("Tus-Version")).isEqualTo("1.0.0");
    assertThat(
            call(HttpMethod.POST, "/api/files/uploads", alice, headers("Tus-Resumable", "1.0.0"))
                .statusCode())
        .isEqualTo(400);

    byte[] data = bytes(300_000, 4);
    HttpResponse<Buffer> created =
        call(
            HttpMethod.POST,
            "/api/files/uploads",
            alice,
            headers(
                "Tus-Resumable",
                "1.0.0",
                "Upload-Length",
                "300000",
                "Upload-Metadata",
                "filename "
                    + b64("résumé.pdf")
                    + ",filetype "
                    + b64("application/pdf")
                    + ",tags "
                    + b64("Tus, Docs")));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.getHeader("Tus-Resumable")).isEqualTo("1.0.0");
    assertThat(created.getHeader("Upload-Expires")).endsWith("GMT");
    String location = created.getHeader("Location");
    assertThat(location).startsWith("/api/files/uploads/");

    // Another user cannot see or feed it.
    assertThat(call(HttpMethod.HEAD, location, bob, headers("Tus-Resumable", "1.0.0")).statusCode())
        .isEqualTo(404);
    assertThat(patch(location, bob, 0, java.util.Arrays.copyOf(data, 10), null).statusCode())
        .isEqualTo(404);

    // Wrong content type, wrong offset.
    HttpResponse<Buffer> wrongType =
        await(
            lab.web
                .patch(location)
                .putHeader("Authorization", "Bearer " + alice)
                .putHeader("Tus-Resumable", "1.0.0")
                .putHeader("Upload-Offset", "0")
                .putHeader("Content-Type", "application/octet-stream")
                .sendBuffer(Buffer.buffer(new byte[10])));
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(patch(location, alice, 5, new byte[10], null).statusCode()).isEqualTo(409);
    HttpResponse<Buffer> unversionedPatch =
        call(
            HttpMethod.PATCH,
            location,
            alice,
            headers("Upload-Offset", "0", "Content-Type", "application/offset+octet-stream"));
    assertThat(unversionedPatch.statusCode()).isEqualTo(412);

    // A chunk whose checksum does not match is 460 and dropped.
    byte[] first = java.util.Arrays.copyOfRange(data, 0, 100_000);
    HttpResponse<Buffer> corrupted =
        patch(location, alice, 0, first, "sha1 " + b64digest("SHA-1", new byte[] {1}));
    assertThat(corrupted.statusCode()).isEqualTo(460);
    assertThat(corrupted.bodyAsJsonObject().getString("error_code")).isEqualTo("CHECKSUM_MISMATCH");
    assertThat(offset(location)).isEqualTo(0);
    assertThat(patch(location, alice, 0, first, "md4 AAAA").statusCode()).isEqualTo(400);

    HttpResponse<Buffer> ok =
        patch(location, alice, 0, first, "sha256 " + b64digest("SHA-256", first));
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.getHeader("Upload-Offset")).isEqualTo("100000");
    assertThat(offset(location)).isEqualTo(100_000);

    // More than the announced length is refused and changes nothing.
    HttpResponse<Buffer> tooLong = patch(location, alice, 100_000, bytes(250_000, 5), null);
    assertThat(tooLong.statusCode()).isEqualTo(413);
    assertThat(offset(location)).isEqualTo(100_000);

    HttpResponse<Buffer> last =
        patch(location, alice, 100_000, java.util.Arrays.copyOfRange(data, 100_000, 300_000), null);
    assertThat(last.statusCode()).isEqualTo(204);
    String fileId = last.getHeader("Homelab-File-Id");
    JsonObject file = get("/api/files/" + fileId, alice).bodyAsJsonObject();
    assertThat(file.getString("filename")).isEqualTo("résumé.pdf");
    assertThat(file.getString("content_type")).isEqualTo("application/pdf");
    assertThat(file.getJsonArray("tags")).containsExactly("docs", "tus");
    assertThat(file.getString("sha256")).isEqualTo(sha256(data));
    assertThat(get(location, alice).bodyAsJsonObject().getJsonObject("file").getString("id"))
        .isEqualTo(fileId);
    // A repeated last chunk (its answer was lost) is answered the same, not stored twice.
    assertThat(patch(location, alice, 300_000, new byte[0], null).statusCode()).isEqualTo(204);
    assertThat(listAll(alice).stream().filter(f -> ((JsonObject) f).getString("id").equals(fileId)))
        .hasSize(1);

    // Termination.
    HttpResponse<Buffer> other =
        call(
            HttpMethod.POST,
            "/api/files/uploads",
            alice,
            headers("Tus-Resumable", "1.0.0", "Upload-Length", "10"));
    String otherLocation = other.getHeader("Location");
    assertThat(
            call(HttpMethod.DELETE, otherLocation, alice, headers("Tus-Resumable", "1.0.0"))
                .statusCode())
        .isEqualTo(204);
    assertThat(
            call(HttpMethod.HEAD, otherLocation, alice, headers("Tus-Resumable", "1.0.0"))
                .statusCode())
        .isEqualTo(404);
    assertThat(patch(otherLocation, alice, 0, new byte[10], null).statusCode()).isEqualTo(404);
  }

  static HttpResponse<Buffer> patch(
      String location, String jwt, long offset, byte[] data, String checksum) {
    var request =
        lab.web
            .patch(location)
            .putHeader("Authorization", "Bearer " + jwt)
            .putHeader("Tus-Resumable", "1.0.0")
            .putHeader("Upload-Offset", Long.toString(offset))
            .putHeader("Content-Type", "application/offset+octet-stream");
    if (checksum != null) {
      request.putHeader("Upload-Checksum", checksum);
    }
    return await(request.sendBuffer(Buffer.buffer(data)));
  }

  static long offset(String location) {
    HttpResponse<Buffer> head =
        call(HttpMethod.HEAD, location, alice, headers("Tus-Resumable", "1.0.0"));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("Cache-Control")).isEqualTo("no-store");
    return Long.parseLong(head.getHeader("Upload-Offset"));
  }

  static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String b64digest(String algorithm, byte[] data) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(data));
  }

  // --- share links ---

  @Test
  void shareLinksServeWithoutLoginUntilUsedUpOrRevoked() throws Exception {
    byte[] data = bytes(50_000, 6);
    String id = uploadOne(alice, "shared.bin", data, null).getString("id");
    HttpResponse<Buffer> created =
        await(
            lab.web
                .post("/api/files/" + id + "/shares")
                .putHeader("Authorization", "Bearer " + alice)
                .sendJsonObject(new JsonObject().put("max_downloads", 2)));
    assertThat(created.statusCode()).isEqualTo(201);
    String url = created.bodyAsJsonObject().getString("url");
    String token = created.bodyAsJsonObject().getString("token");
    TestSecrets.remember(token);
    assertThat(url).isEqualTo("/share/" + token);

    // No login. Every GET that sends bytes uses a download, a range past the start too (else
    // bytes=1- would fetch the file without limit); HEAD, 304 and 416 send none and use none.
    HttpResponse<Buffer> first = get(url, null);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body().getBytes()).isEqualTo(data);
    assertThat(first.getHeader("Cache-Control")).isEqualTo("no-store");
    assertThat(first.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(call(HttpMethod.HEAD, url, null, null).statusCode()).isEqualTo(200);
    assertThat(get(url, null, "If-None-Match", first.getHeader("ETag")).statusCode())
        .isEqualTo(304);
    assertThat(get(url, null, "Range", "bytes=50000-").statusCode()).isEqualTo(416);
    HttpResponse<Buffer> rest = get(url, null, "Range", "bytes=1-");
    assertThat(rest.statusCode()).isEqualTo(206);
    assertThat(rest.body().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(data, 1, 50_000));
    assertThat(get(url, null, "Range", "bytes=1-").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> usedUp = get(url, null);
    assertThat(usedUp.statusCode()).isEqualTo(404);
    assertThat(usedUp.bodyAsJsonObject().getString("error_code")).isEqualTo("SHARE_NOT_FOUND");
    JsonArray shares =
        get("/api/files/" + id + "/shares", alice).bodyAsJsonObject().getJsonArray("shares");
    assertThat(shares.getJsonObject(0).getInteger("downloads")).isEqualTo(2);
    assertThat(shares.getJsonObject(0).containsKey("token")).isFalse();

    // Revoked: gone at once. Another user can neither list, make nor revoke links of the file.
    JsonObject second =
        await(
                lab.web
                    .post("/api/files/" + id + "/shares")
                    .putHeader("Authorization", "Bearer " + alice)
                    .sendJsonObject(new JsonObject().put("expires_in_seconds", 3600)))
            .bodyAsJsonObject();
    TestSecrets.remember(second.getString("token"));
    assertThat(get(second.getString("url"), null).statusCode()).isEqualTo(200);
    String revoke = "/api/files/" + id + "/shares/" + second.getString("id");
    assertThat(call(HttpMethod.DELETE, revoke, bob, null).statusCode()).isEqualTo(404);
    assertThat(get(second.getString("url"), null).statusCode()).isEqualTo(200);
    assertThat(call(HttpMethod.DELETE, revoke, alice, null).statusCode()).isEqualTo(204);
    assertThat(get(second.getString("url"), null).statusCode()).isEqualTo(404);
    assertThat(get("/share/" + "A".repeat(43), null).statusCode()).isEqualTo(404);
    assertThat(get("/share/short", null).statusCode()).isEqualTo(404);
    assertThat(
            await(
                    lab.web
                        .post("/api/files/" + id + "/shares")
                        .putHeader("Authorization", "Bearer " + alice)
                        .sendJsonObject(new JsonObject().put("expires_in_seconds", 10)))
                .statusCode())
        .isEqualTo(422);
    // Deleting the file ends its links.
    JsonObject third =
        await(
                lab.web
                    .post("/api/files/" + id + "/shares")
                    .putHeader("Authorization", "Bearer " + alice)
                    .sendJsonObject(new JsonObject()))
            .bodyAsJsonObject();
    TestSecrets.remember(third.getString("token"));
    assertThat(call(HttpMethod.DELETE, "/api/files/" + id, alice, null).statusCode())
        .isEqualTo(204);
    assertThat(get(third.getString("url"), null).statusCode()).isEqualTo(404);
  }

  // --- acceptance 5: isolation ---

  /**
   * The BOLA matrix of reliability row A11 (as {@code DeviceIsolationTest} for devices), for files:
   * {owner, other user, admin, viewer, anonymous} x {list, get, download, patch, delete, share,
   * list shares, revoke a share, the upload of another}. Another user's file is a 404 exactly like
   * a missing one; a viewer may read but not change; admins see everything.
   */
  @Test
  void isolationMatrix() {
    String viewer = jwt("carol-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
    String other = jwt("dave-" + UUID.randomUUID().toString().substring(0, 8), "user");
    Map<String, String> callers = new java.util.LinkedHashMap<>();
    callers.put("owner", alice);
    callers.put("other", other);
    callers.put("admin", lab.adminJwt);
    callers.put("viewer", viewer);
    callers.put("anonymous", null);
    Map<String, List<Integer>> expected =
        Map.of(
            "owner", List.of(200, 200, 200, 200, 201, 200, 204, 200, 204),
            "other", List.of(404, 404, 404, 404, 404, 404, 404, 404, 404),
            "admin", List.of(200, 200, 200, 200, 201, 200, 204, 200, 204),
            "viewer", List.of(404, 404, 403, 403, 403, 404, 403, 403, 403),
            "anonymous", List.of(401, 401, 401, 401, 401, 401, 401, 401, 401));
    for (Map.Entry<String, String> caller : callers.entrySet()) {
      String jwt = caller.getValue();
      String id = uploadOne(alice, "isolated.txt", "private".getBytes(), "matrix").getString("id");
      String share =
          await(
                  lab.web
                      .post("/api/files/" + id + "/shares")
                      .putHeader("Authorization", "Bearer " + alice)
                      .sendJsonObject(new JsonObject()))
              .bodyAsJsonObject()
              .getString("id");
      HttpResponse<Buffer> upload =
          call(
              HttpMethod.POST,
              "/api/files/uploads",
              alice,
              headers("Tus-Resumable", "1.0.0", "Upload-Length", "4"));
      String location = upload.getHeader("Location");
      List<Integer> statuses = new ArrayList<>();
      statuses.add(get("/api/files/" + id, jwt).statusCode());
      statuses.add(get("/api/files/" + id + "/download", jwt).statusCode());
      statuses.add(
          await(
                  withAuth(lab.web.patch("/api/files/" + id), jwt)
                      .sendJsonObject(new JsonObject().put("tags", new JsonArray().add("x"))))
              .statusCode());
      statuses.add(get(location, jwt).statusCode());
      statuses.add(
          await(
                  withAuth(lab.web.post("/api/files/" + id + "/shares"), jwt)
                      .sendJsonObject(new JsonObject()))
              .statusCode());
      statuses.add(get("/api/files/" + id + "/shares", jwt).statusCode());
      statuses.add(
          call(HttpMethod.DELETE, "/api/files/" + id + "/shares/" + share, jwt, null).statusCode());
      statuses.add(
          call(HttpMethod.HEAD, location, jwt, headers("Tus-Resumable", "1.0.0")).statusCode());
      statuses.add(call(HttpMethod.DELETE, "/api/files/" + id, jwt, null).statusCode());
      assertThat(statuses).as(caller.getKey()).isEqualTo(expected.get(caller.getKey()));
      // The listing and the stats never show another user's file.
      if (jwt != null) {
        boolean sees =
            get("/api/files?limit=200", jwt).bodyAsJsonObject().getJsonArray("files").stream()
                .anyMatch(f -> ((JsonObject) f).getString("id").equals(id));
        boolean existed = get("/api/files/" + id, alice).statusCode() == 200;
        assertThat(sees)
            .as(caller.getKey() + " lists the file")
            .isEqualTo(existed && Set.of("owner", "admin").contains(caller.getKey()));
      }
      call(HttpMethod.DELETE, "/api/files/" + id, alice, null);
      call(HttpMethod.DELETE, location, alice, headers("Tus-Resumable", "1.0.0"));
    }
    JsonObject stats = get("/api/files/stats", other).bodyAsJsonObject();
    assertThat(stats.getLong("count")).isZero();
    assertThat(stats.getLong("saved_bytes")).isZero();
  }

  static io.vertx.ext.web.client.HttpRequest<Buffer> withAuth(
      io.vertx.ext.web.client.HttpRequest<Buffer> request, String jwt) {
    return jwt == null ? request : request.putHeader("Authorization", "Bearer " + jwt);
  }
}
