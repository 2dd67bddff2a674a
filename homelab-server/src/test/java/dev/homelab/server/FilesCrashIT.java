package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server jar killed with SIGKILL in the middle of an upload, then started again on the same
 * data directory (reliability row F18): the file that was completed before is there with its bytes;
 * the upload that was cut left no file row and its temporary file goes with the sweep at start
 * (once as old as the sweeper's grace, as a crash of an hour ago leaves it); a resumable upload
 * resumes from the offset the server acknowledged before the kill and completes with the right
 * SHA-256; every file row has its blob and every blob file its row.
 */
class FilesCrashIT {

  private static final int CUT_BYTES = 32 * 1024 * 1024;
  private static final int TUS_BYTES = 6 * 1024 * 1024;
  private static final int TUS_FIRST = 2 * 1024 * 1024;

  @TempDir Path dir;

  private final ServerJar jar = new ServerJar();

  @AfterEach
  void killLeftovers() {
    jar.close();
  }

  @Test
  void aKillMidUploadLeavesNoHalfFileAndAResumableUploadGoesOnFromItsAcknowledgedOffset()
      throws Exception {
    Map<String, String> settings = Map.of("LOG_DIR", "");
    Random random = new Random(18);
    byte[] kept = bytes(random, 300_000);
    byte[] resumable = bytes(random, TUS_BYTES);

    ServerJar.Started first = jar.start(dir, settings);
    String keptId = uploadWhole(first, "kept.bin", kept);
    String upload = createTus(first, TUS_BYTES);
    assertThat(patch(first, upload, 0, resumable, 0, TUS_FIRST).statusCode()).isEqualTo(204);

    // A large multipart upload the server is receiving when it is killed.
    Path tmp = dir.resolve("data/files/tmp");
    CompletableFuture<Void> killer =
        ServerJar.killWhen(first.process(), () -> bytesIn(tmp) > 1024 * 1024);
    CompletableFuture<HttpResponse<String>> cut =
        jar.http.sendAsync(
            HttpRequest.newBuilder(URI.create(base(first) + "/api/files/upload"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + first.jwt())
                .header("Content-Type", "multipart/form-data; boundary=" + FilesHttpTest.BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> multipartOfZeros(CUT_BYTES)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    ServerJar.assertKilled(first.process(), killer);
    assertThat(cut).as("the cut upload was never acknowledged").failsWithin(Duration.ofSeconds(30));
    assertThat(bytesIn(tmp)).as("the cut upload's temporary file").isPositive();

    // As a crash of an hour ago leaves them: older than the sweeper's grace.
    FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofMinutes(61)));
    try (Stream<Path> temps = Files.list(tmp)) {
      for (Path temp : temps.toList()) {
        Files.setLastModifiedTime(temp, anHourAgo);
      }
    }

    ServerJar.Started second = jar.start(dir, settings);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(bytesIn(tmp)).as("swept at start").isZero());

    JsonArray files = listFiles(second);
    assertThat(files).hasSize(1);
    assertThat(files.getJsonObject(0).getString("id")).isEqualTo(keptId);
    assertThat(sha256(download(second, keptId))).isEqualTo(sha256(kept));

    HttpResponse<String> head = head(second, upload);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValue("Upload-Offset")).hasValue(String.valueOf(TUS_FIRST));
    HttpResponse<String> last = patch(second, upload, TUS_FIRST, resumable, TUS_FIRST, TUS_BYTES);
    assertThat(last.statusCode()).as(last.body()).isEqualTo(204);
    JsonArray after = listFiles(second);
    assertThat(after).hasSize(2);
    String resumedId =
        after.stream()
            .map(JsonObject.class::cast)
            .filter(file -> !file.getString("id").equals(keptId))
            .findFirst()
            .orElseThrow()
            .getString("id");
    assertThat(sha256(download(second, resumedId))).isEqualTo(sha256(resumable));

    assertBlobsAndRowsAgree(after.size());
  }

  /** Each file row's blob is on disk and each blob file has a row. */
  private void assertBlobsAndRowsAgree(int files) throws Exception {
    List<String> onDisk;
    try (Stream<Path> blobs = Files.walk(dir.resolve("data/files/blobs"))) {
      onDisk =
          blobs.filter(Files::isRegularFile).map(path -> path.getFileName().toString()).toList();
    }
    try (Connection connection =
            DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/homelab.db"));
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT sha256 FROM blobs")) {
      List<String> inTable = new ArrayList<>();
      while (rows.next()) {
        inTable.add(rows.getString(1));
      }
      assertThat(onDisk).containsExactlyInAnyOrderElementsOf(inTable).hasSize(files);
    }
  }

  private static String base(ServerJar.Started server) {
    return "http://127.0.0.1:" + server.port();
  }

  private String uploadWhole(ServerJar.Started server, String name, byte[] content)
      throws Exception {
    HttpResponse<String> response =
        jar.http.send(
            HttpRequest.newBuilder(URI.create(base(server) + "/api/files/upload"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.jwt())
                .header("Content-Type", "multipart/form-data; boundary=" + FilesHttpTest.BOUNDARY)
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        FilesHttpTest.multipart(
                                List.of(name.getBytes(StandardCharsets.UTF_8)),
                                List.of(content),
                                null)
                            .getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new JsonObject(response.body()).getJsonArray("files").getJsonObject(0).getString("id");
  }

  private String createTus(ServerJar.Started server, int length) throws Exception {
    HttpResponse<String> created =
        jar.http.send(
            HttpRequest.newBuilder(URI.create(base(server) + "/api/files/uploads"))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + server.jwt())
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", String.valueOf(length))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return created.headers().firstValue("Location").orElseThrow();
  }

  private HttpResponse<String> patch(
      ServerJar.Started server, String upload, long offset, byte[] all, int from, int to)
      throws Exception {
    return jar.http.send(
        HttpRequest.newBuilder(URI.create(base(server)).resolve(upload))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + server.jwt())
            .header("Tus-Resumable", "1.0.0")
            .header("Upload-Offset", String.valueOf(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(all, from, to - from))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> head(ServerJar.Started server, String upload) throws Exception {
    return jar.http.send(
        HttpRequest.newBuilder(URI.create(base(server)).resolve(upload))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + server.jwt())
            .header("Tus-Resumable", "1.0.0")
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonArray listFiles(ServerJar.Started server) throws Exception {
    HttpResponse<String> list = jar.get(server.port(), "/api/files", server.jwt());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    return new JsonObject(list.body()).getJsonArray("files");
  }

  private byte[] download(ServerJar.Started server, String id) throws Exception {
    HttpResponse<byte[]> response =
        jar.http.send(
            HttpRequest.newBuilder(URI.create(base(server) + "/api/files/" + id + "/download"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + server.jwt())
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** A multipart body with one file of {@code size} zero bytes, made as it is read. */
  private static InputStream multipartOfZeros(int size) {
    byte[] head =
        ("--"
                + FilesHttpTest.BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + FilesHttpTest.BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
    return new SequenceInputStream(
        Collections.enumeration(
            List.of(
                new ByteArrayInputStream(head),
                new ZeroStream(size),
                new ByteArrayInputStream(tail))));
  }

  /** {@code size} zero bytes. */
  private static final class ZeroStream extends InputStream {
    private long left;

    ZeroStream(long size) {
      left = size;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(length, left);
      Arrays.fill(buffer, offset, offset + n, (byte) 0);
      left -= n;
      return n;
    }
  }

  private static long bytesIn(Path directory) {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(directory)) {
      long total = 0;
      for (Path file : files.toList()) {
        try {
          total += Files.size(file);
        } catch (IOException goneMeanwhile) {
          // a temporary file moved into place or removed while we looked
        }
      }
      return total;
    } catch (IOException e) {
      return 0;
    }
  }

  private static byte[] bytes(Random random, int size) {
    byte[] bytes = new byte[size];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
