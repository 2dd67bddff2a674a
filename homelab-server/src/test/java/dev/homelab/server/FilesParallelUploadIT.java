package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, acceptance 2 (first half): one user sends 20 distinct 20 MiB files and 10 copies of one
 * more 20 MiB file, all 30 at once through {@code POST /api/files/upload}, to the server jar in a
 * process of its own (with the same 256 MB heap as {@link FilesHeapIT}: 30 uploads in flight must
 * not add up to the heap either). Every upload is stored (201); the ten copies share one blob, so
 * the store's directory holds 21 blob files and the stats say 9 × 20 MiB were saved; every file
 * downloads with the SHA-256 it was sent with.
 */
@Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FilesParallelUploadIT {

  private static final long SIZE = 20 * FileTraffic.MIB;
  private static final int DISTINCT = 20;
  private static final int COPIES = 10;

  private final ServerJar jars = new ServerJar();
  private ExecutorService clients;
  @TempDir Path dir;

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.shutdownNow();
    }
    jars.close();
  }

  @Test
  void thirtyParallelUploadsAreStoredWithOneBlobForTheCopies() throws Exception {
    Path store = dir.resolve("store");
    ServerJar.Started server =
        jars.start(
            dir,
            Map.of("DATA_DIR", dir.resolve("data").toString(), "STORAGE_PATH", store.toString()),
            List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
    FileTraffic traffic = new FileTraffic(server.port(), Duration.ofMinutes(3));
    String jwt = traffic.newUser(server.jwt(), "parallel");

    List<Callable<JsonObject>> uploads = new ArrayList<>();
    for (int i = 0; i < DISTINCT; i++) {
      long seed = 1000 + i;
      uploads.add(() -> traffic.upload(jwt, "distinct-" + seed + ".bin", SIZE, seed, "distinct"));
    }
    for (int i = 0; i < COPIES; i++) {
      String name = "copy-" + i + ".bin";
      uploads.add(() -> traffic.upload(jwt, name, SIZE, 7, "copy"));
    }
    clients = Executors.newFixedThreadPool(uploads.size());
    List<Future<JsonObject>> pending = new ArrayList<>();
    for (Callable<JsonObject> upload : uploads) {
      pending.add(clients.submit(upload));
    }
    // Each upload checks its own 201, size and SHA-256 (FileTraffic.upload).
    List<JsonObject> stored = new ArrayList<>();
    for (Future<JsonObject> upload : pending) {
      stored.add(upload.get(5, TimeUnit.MINUTES));
    }

    Set<String> ids = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (JsonObject file : stored) {
      ids.add(file.getString("id"));
      hashes.add(file.getString("sha256"));
    }
    assertThat(ids).hasSize(DISTINCT + COPIES);
    assertThat(hashes).hasSize(DISTINCT + 1);
    Set<String> copies = new HashSet<>();
    stored.subList(DISTINCT, stored.size()).forEach(f -> copies.add(f.getString("sha256")));
    assertThat(copies).as("the ten copies have one hash").hasSize(1);

    assertThat(blobFiles(store)).as("blob files under STORAGE_PATH/blobs").hasSize(DISTINCT + 1);
    assertThat(blobFiles(store).stream().map(p -> p.getFileName().toString()))
        .containsExactlyInAnyOrderElementsOf(hashes);
    try (Stream<Path> temps = Files.list(store.resolve("tmp"))) {
      assertThat(temps).as("no temporary file left").isEmpty();
    }

    JsonObject stats = traffic.getJson(jwt, "/api/files/stats");
    assertThat(stats.getInteger("count")).isEqualTo(DISTINCT + COPIES);
    assertThat(stats.getLong("bytes")).isEqualTo((DISTINCT + COPIES) * SIZE);
    assertThat(stats.getLong("stored_bytes")).isEqualTo((DISTINCT + 1) * SIZE);
    assertThat(stats.getLong("saved_bytes")).isEqualTo((COPIES - 1) * SIZE);
    assertThat(stats.getLong("used_bytes")).isEqualTo((DISTINCT + COPIES) * SIZE);

    // Every download, all at once, against the hash the upload computed while sending.
    List<Future<FileTraffic.Downloaded>> downloads = new ArrayList<>();
    for (JsonObject file : stored) {
      downloads.add(clients.submit(() -> traffic.download(jwt, file.getString("id"))));
    }
    for (int i = 0; i < stored.size(); i++) {
      FileTraffic.Downloaded got = downloads.get(i).get(5, TimeUnit.MINUTES);
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.size()).isEqualTo(SIZE);
      assertThat(got.sha256()).isEqualTo(stored.get(i).getString("sha256"));
    }
    assertThat(server.process().isAlive()).as("the server is still up").isTrue();
  }

  private static List<Path> blobFiles(Path store) throws IOException {
    try (Stream<Path> files = Files.walk(store.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
