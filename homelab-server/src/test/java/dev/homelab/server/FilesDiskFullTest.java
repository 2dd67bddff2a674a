package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file store on a small tmpfs that fills up (issue 20, acceptance 4): an upload that meets a
 * full disk gets 507 with the standard body and leaves no blob, no row and no temporary file; the
 * files already there still download; once space is freed, uploads work again, with no restart.
 *
 * <p>Mounting needs root, which CI here has; elsewhere the test is skipped, saying why.
 */
class FilesDiskFullTest {

  @TempDir static Path dir;
  static Path mount;
  static Path store;
  static ServerTesting lab;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "mounting a tmpfs needs root; run as root to test a full disk");
    mount = Files.createDirectories(dir.resolve("tmpfs"));
    run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
    store = mount.resolve("store");
    lab =
        ServerTesting.start(
            Files.createDirectories(dir.resolve("data")), Map.of("STORAGE_PATH", store.toString()));
  }

  @AfterAll
  static void stop() throws Exception {
    if (lab != null) {
      lab.close();
    }
    if (mount != null) {
      run("umount", mount.toString());
    }
  }

  static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command)).isZero();
  }

  @Test
  void aFullDiskIsACleanErrorAndUploadsWorkAgainOnceSpaceIsFreed() throws Exception {
    String jwt = lab.adminJwt;
    byte[] small = FilesHttpTest.bytes(100_000, 11);
    String kept =
        upload(jwt, "kept.bin", small)
            .bodyAsJsonObject()
            .getJsonArray("files")
            .getJsonObject(0)
            .getString("id");

    // Fill the disk to within 1 MiB, next to the store.
    Path filler = mount.resolve("filler");
    try (OutputStream out = Files.newOutputStream(filler)) {
      byte[] block = new byte[64 * 1024];
      long free = Files.getFileStore(mount).getUsableSpace();
      for (long written = 0; written < free - (1 << 20); written += block.length) {
        out.write(block);
      }
    }
    List<String> blobsBefore = blobs();

    byte[] big = FilesHttpTest.bytes(3 << 20, 12);
    HttpResponse<Buffer> full = upload(jwt, "big.bin", big);
    assertThat(full.statusCode()).isEqualTo(507);
    JsonObject error = full.bodyAsJsonObject();
    assertThat(error.getString("error_code")).isEqualTo("INSUFFICIENT_STORAGE");
    assertThat(error.getString("detail")).doesNotContain(store.toString());
    assertThat(blobs()).isEqualTo(blobsBefore);
    assertThat(temps()).isEmpty();
    assertThat(listCount(jwt)).isEqualTo(1);

    // A resumable upload meets the same disk: 507, and its offset stays where it was.
    HttpResponse<Buffer> created =
        FilesHttpTest.call(
            lab,
            HttpMethod.POST,
            "/api/files/uploads",
            jwt,
            FilesHttpTest.headers(
                "Tus-Resumable", "1.0.0", "Upload-Length", Integer.toString(big.length)));
    assertThat(created.statusCode()).isEqualTo(201);
    String location = created.getHeader("Location");
    HttpResponse<Buffer> chunk =
        await(
            lab.web
                .patch(location)
                .putHeader("Authorization", "Bearer " + jwt)
                .putHeader("Tus-Resumable", "1.0.0")
                .putHeader("Upload-Offset", "0")
                .putHeader("Content-Type", "application/offset+octet-stream")
                .sendBuffer(Buffer.buffer(big)));
    assertThat(chunk.statusCode()).isEqualTo(507);
    HttpResponse<Buffer> head =
        FilesHttpTest.call(
            lab, HttpMethod.HEAD, location, jwt, FilesHttpTest.headers("Tus-Resumable", "1.0.0"));
    assertThat(head.getHeader("Upload-Offset")).isEqualTo("0");

    // What was stored before still downloads, whole.
    HttpResponse<Buffer> download =
        await(
            lab.web
                .get("/api/files/" + kept + "/download")
                .putHeader("Authorization", "Bearer " + jwt)
                .send());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body().getBytes()).isEqualTo(small);

    // Space freed: both kinds of upload work again, without a restart.
    Files.delete(filler);
    HttpResponse<Buffer> again = upload(jwt, "big.bin", big);
    assertThat(again.statusCode()).isEqualTo(201);
    HttpResponse<Buffer> resumed =
        await(
            lab.web
                .patch(location)
                .putHeader("Authorization", "Bearer " + jwt)
                .putHeader("Tus-Resumable", "1.0.0")
                .putHeader("Upload-Offset", "0")
                .putHeader("Content-Type", "application/offset+octet-stream")
                .sendBuffer(Buffer.buffer(big)));
    assertThat(resumed.statusCode()).isEqualTo(204);
    assertThat(resumed.getHeader("Homelab-File-Id")).isNotNull();
    assertThat(listCount(jwt)).isEqualTo(3);
    // Two uploads of the same bytes: one more blob, not two.
    assertThat(blobs()).hasSize(blobsBefore.size() + 1);
    assertThat(temps()).isEmpty();
  }

  static HttpResponse<Buffer> upload(String jwt, String name, byte[] content) {
    return await(
        lab.web
            .post("/api/files/upload")
            .putHeader("Authorization", "Bearer " + jwt)
            .putHeader("Content-Type", "multipart/form-data; boundary=" + FilesHttpTest.BOUNDARY)
            .sendBuffer(FilesHttpTest.multipart(List.of(name.getBytes()), List.of(content), null)));
  }

  static int listCount(String jwt) {
    return await(
            lab.web.get("/api/files?limit=200").putHeader("Authorization", "Bearer " + jwt).send())
        .bodyAsJsonObject()
        .getJsonArray("files")
        .size();
  }

  static List<String> blobs() throws IOException {
    try (Stream<Path> paths = Files.walk(store.resolve("blobs"))) {
      return paths
          .filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList();
    }
  }

  static List<Path> temps() throws IOException {
    try (Stream<Path> paths = Files.list(store.resolve("tmp"))) {
      return paths.toList();
    }
  }
}
