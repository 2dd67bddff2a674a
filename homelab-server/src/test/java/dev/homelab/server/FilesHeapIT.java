package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, acceptance 2 (second half): the server's memory does not grow with the size of a file.
 * The server jar runs with a 256 MB heap ({@code -Xmx256m}, and the JVM exits at the first {@code
 * OutOfMemoryError} instead of limping on), and a 1 GiB file goes through it both ways: uploaded
 * through {@code POST /api/files/upload} and through tus (64 MiB PATCH requests), each downloaded
 * in full; every SHA-256 matches. The test itself never holds a file either: it sends seeded
 * pseudo-random bytes, hashing them as they go, and hashes downloads as they arrive.
 *
 * <p>Besides the heap limit, the peak resident memory of the server's process ({@code VmHWM}) has
 * to stay under the size of the file: so no buffer outside the heap (Netty's direct memory) held it
 * either.
 */
@Timeout(value = 900, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FilesHeapIT {

  private static final long SIZE = 1024 * FileTraffic.MIB;

  /**
   * Half the file's size: a JVM with a 256 MB heap peaked at about 260 MB here, so this leaves room
   * for the machine while no copy of the file, even half of one, could hide in the process.
   */
  private static final long MAX_RSS_KB = 512 * 1024;

  private final ServerJar jars = new ServerJar();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    jars.close();
  }

  @Test
  void aOneGibFileGoesUpAndDownThroughA256MbHeap() throws Exception {
    // One copy of the file at a time is on disk (the temporary file becomes the blob by rename).
    assertThat(Files.getFileStore(dir).getUsableSpace())
        .as("free bytes in %s: this test stores a 1 GiB file", dir)
        .isGreaterThan(2 * SIZE);
    Path store = dir.resolve("store");
    ServerJar.Started server =
        jars.start(
            dir,
            Map.of("DATA_DIR", dir.resolve("data").toString(), "STORAGE_PATH", store.toString()),
            List.of("-Xmx256m", "-XX:+ExitOnOutOfMemoryError"));
    FileTraffic traffic = new FileTraffic(server.port(), Duration.ofMinutes(5));
    String jwt = traffic.newUser(server.jwt(), "heavy");

    try {
      long started = System.nanoTime();
      JsonObject multipart = traffic.upload(jwt, "one-gib.bin", SIZE, 20, "big");
      report("multipart upload", started);
      assertAlive(server);
      started = System.nanoTime();
      downloadsIntact(traffic, jwt, multipart);
      report("download", started);
      assertAlive(server);
      // Deleted before the next one, so the disk holds one copy at a time.
      traffic.delete(jwt, multipart.getString("id"));
      assertThat(blobs(store)).as("the blob goes with its only file").isZero();

      started = System.nanoTime();
      JsonObject tus = traffic.tusUpload(jwt, "one-gib-tus.bin", SIZE, 21, 64 * FileTraffic.MIB);
      report("tus upload", started);
      assertAlive(server);
      assertThat(tus.getString("sha256")).isNotEqualTo(multipart.getString("sha256"));
      started = System.nanoTime();
      downloadsIntact(traffic, jwt, tus);
      report("download", started);
      assertAlive(server);
      traffic.delete(jwt, tus.getString("id"));
      assertThat(blobs(store)).isZero();
    } catch (IOException | AssertionError failure) {
      assertAlive(server); // an OutOfMemoryError shows as the server's exit, not as a reset
      throw failure;
    }

    Path status = Path.of("/proc", Long.toString(server.process().pid()), "status");
    if (Files.exists(status)) { // Linux
      long peakKb = peakRssKb(status);
      System.out.printf("server peak RSS (VmHWM): %d MB%n", peakKb / 1024);
      assertThat(peakKb)
          .as("peak resident memory of the server, kB, with a 1 GiB file through it")
          .isLessThan(MAX_RSS_KB);
    }
  }

  private static void downloadsIntact(FileTraffic traffic, String jwt, JsonObject file)
      throws IOException, InterruptedException {
    FileTraffic.Downloaded got = traffic.download(jwt, file.getString("id"));
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.size()).isEqualTo(SIZE);
    assertThat(got.sha256()).isEqualTo(file.getString("sha256"));
  }

  private void assertAlive(ServerJar.Started server) throws IOException, InterruptedException {
    if (server.process().waitFor(0, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "the server exited with "
              + server.process().exitValue()
              + " (3: OutOfMemoryError under -Xmx256m):\n"
              + tail(Files.readString(dir.resolve("console.log"))));
    }
  }

  private static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }

  private static long blobs(Path store) throws IOException {
    try (Stream<Path> files = Files.walk(store.resolve("blobs"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static long peakRssKb(Path status) throws IOException {
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmHWM in " + status);
  }

  private static void report(String what, long startedNanos) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    System.out.printf(
        java.util.Locale.ROOT, "%s of 1 GiB: %.1f s, %.0f MiB/s%n", what, seconds, 1024 / seconds);
  }
}
