package dev.homelab.benchmarks.load;

import dev.homelab.core.files.impl.DiskWriter;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of one large file through the server's file store against a plain copy of it on the
 * same disk, measured in the same run (issue 20, acceptance 6).
 *
 * <p>A source file of {@code --size-mb} MiB of pseudo-random bytes is written once into the working
 * directory, which also holds the server's data and {@code STORAGE_PATH}. Each run then times, in
 * turn:
 *
 * <ul>
 *   <li><b>copy, Files.copy</b> and <b>copy, read+write loop</b> (1 MiB buffer): the source to a
 *       new file, the floor;
 *   <li><b>upload, multipart</b>: {@code POST /api/files/upload} from the source file, until the
 *       201 (the server has received, hashed, synced and placed the blob, and written the row);
 *   <li><b>download</b>: {@code GET /api/files/{id}/download} of that file into a new file;
 *   <li><b>upload, tus</b>: {@code POST /api/files/uploads}, then {@code PATCH} requests of {@code
 *       --chunk-mb} MiB, until the last 204 (which comes after the server hashed the whole file).
 * </ul>
 *
 * Every timed step ends with its new file synced ({@code fsync}), as the server syncs an upload
 * before answering. The uploaded files are deleted after each run, and downloads are checked
 * against the source's SHA-256 outside the timings. The medians of {@code --runs} runs are reported
 * in MiB/s, and each step's share of the read+write loop's rate in the same run (the median of
 * those shares): the disk of a shared machine changes speed from minute to minute.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.homelab.benchmarks.load.FileThroughput \
 *     --jar homelab-server/target/homelab-server.jar --size-mb 1024 --chunk-mb 64 --runs 3 \
 *     [--dir /a/directory/on/the/disk/to/measure] [--server-heap 256m]
 * </pre>
 */
public final class FileThroughput {

  private static final long MIB = 1024 * 1024;

  private FileThroughput() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Args.parse(args);
    Path jar = Args.jar(options);
    long size = Args.integer(options, "size-mb", 1024) * MIB;
    long chunk = Args.integer(options, "chunk-mb", 64) * MIB;
    int runs = Args.integer(options, "runs", 3);
    Path dir =
        options.containsKey("dir")
            ? Files.createTempDirectory(Path.of(options.get("dir")), "homelab-file-throughput")
            : Files.createTempDirectory("homelab-file-throughput");
    String heap = options.get("server-heap");

    Path source = dir.resolve("source.bin");
    String sha256 = generate(source, size, 20);
    int port = Args.freePort();
    Map<String, String> env = Map.of("STORAGE_PATH", dir.resolve("store").toString());
    Process server =
        AccessCheckLoad.startServer(
            jar, dir, port, env, heap == null ? List.of() : List.of("-Xmx" + heap));
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    Map<String, List<Double>> ratios = new LinkedHashMap<>();
    try {
      String jwt = AccessCheckLoad.awaitAndLogIn(server, port, dir);
      Server api = new Server(http, port, jwt);
      System.out.printf(
          Locale.ROOT,
          "%d MiB file, %d MiB tus chunks, %d runs, in %s%n",
          size / MIB,
          chunk / MIB,
          runs,
          dir);
      for (int run = 1; run <= runs; run++) {
        Path copy = dir.resolve("copy.bin");
        Map<String, Double> one = new LinkedHashMap<>();
        one.put("copy, Files.copy", rate(size, () -> filesCopy(source, copy)));
        Files.delete(copy);
        one.put("copy, read+write loop", rate(size, () -> loopCopy(source, copy)));
        Files.delete(copy);

        String[] id = new String[1];
        one.put("upload, multipart", rate(size, () -> id[0] = api.multipart(source)));
        one.put("download", rate(size, () -> api.download(id[0], copy)));
        check(copy, size, sha256);
        Files.delete(copy);
        api.delete(id[0]);

        one.put("upload, tus", rate(size, () -> id[0] = api.tus(source, size, chunk)));
        check(api.sha256(id[0]), sha256);
        api.delete(id[0]);

        StringBuilder line = new StringBuilder("run " + run + " (load " + loadAverage() + "):");
        double floor = one.get("copy, read+write loop");
        one.forEach(
            (what, mibPerSecond) -> {
              rates.computeIfAbsent(what, k -> new ArrayList<>()).add(mibPerSecond);
              // The ratio within the run: the disk's and the machine's moods weigh on both alike.
              ratios.computeIfAbsent(what, k -> new ArrayList<>()).add(mibPerSecond / floor);
              line.append(String.format(Locale.ROOT, " %s %.0f MiB/s;", what, mibPerSecond));
            });
        System.out.println(line);
      }
    } finally {
      server.destroy();
      server.waitFor();
      Files.deleteIfExists(source);
    }
    System.out.println();
    System.out.println(
        "| | MiB/s (median) | min-max | vs read+write loop, median of the runs' ratios |");
    System.out.println("|---|---|---|---|");
    rates.forEach(
        (what, values) ->
            System.out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f-%.0f | %.0f%% |%n",
                what,
                median(values),
                values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                values.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                100 * median(ratios.get(what))));
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException notLinux) {
      return "?";
    }
  }

  /** A timed step. */
  private interface Step {
    void run() throws Exception;
  }

  private static double rate(long size, Step step) throws Exception {
    long started = System.nanoTime();
    step.run();
    double seconds = (System.nanoTime() - started) / 1e9;
    return size / (double) MIB / seconds;
  }

  /** Writes seeded pseudo-random bytes, synced; returns their SHA-256. */
  private static String generate(Path file, long size, long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    MessageDigest digest = DiskWriter.sha256();
    ByteBuffer buffer = ByteBuffer.allocate((int) MIB);
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0; written < size; ) {
        buffer.clear();
        int n = (int) Math.min(MIB, size - written);
        for (int i = 0; i + 8 <= n; i += 8) {
          buffer.putLong(random.nextLong());
        }
        while (buffer.position() < n) {
          buffer.put((byte) random.nextInt());
        }
        buffer.flip();
        digest.update(buffer.array(), 0, n);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        written += n;
      }
      out.force(true);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void filesCopy(Path from, Path to) throws IOException {
    Files.copy(from, to);
    sync(to);
  }

  private static void loopCopy(Path from, Path to) throws IOException {
    byte[] buffer = new byte[(int) MIB];
    try (InputStream in = Files.newInputStream(from);
        OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
    }
    sync(to);
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void check(Path file, long size, String sha256) throws IOException {
    if (Files.size(file) != size) {
      throw new IllegalStateException("downloaded " + Files.size(file) + " bytes, not " + size);
    }
    MessageDigest digest = DiskWriter.sha256();
    byte[] buffer = new byte[(int) MIB];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    check(HexFormat.of().formatHex(digest.digest()), sha256);
  }

  private static void check(String got, String expected) {
    if (!got.equals(expected)) {
      throw new IllegalStateException("SHA-256 " + got + ", expected " + expected);
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  /** The file store's routes, with the administrator's session. */
  private record Server(HttpClient http, int port, String jwt) {

    HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofMinutes(10))
          .header("Authorization", "Bearer " + jwt);
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body, int expected)
        throws IOException, InterruptedException {
      HttpResponse<T> response = http.send(request, body);
      if (response.statusCode() != expected) {
        throw new IllegalStateException(
            request.method()
                + " "
                + request.uri().getPath()
                + ": "
                + response.statusCode()
                + " "
                + response.body());
      }
      return response;
    }

    /** Uploads the file as a multipart form; returns the new file's id. */
    String multipart(Path file) throws IOException, InterruptedException {
      String boundary = "----homelab-file-throughput";
      String head =
          "--"
              + boundary
              + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
              + file.getFileName()
              + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
      String tail = "\r\n--" + boundary + "--\r\n";
      HttpResponse<String> created =
          send(
              request("/api/files/upload")
                  .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                  .POST(
                      HttpRequest.BodyPublishers.concat(
                          HttpRequest.BodyPublishers.ofString(head),
                          HttpRequest.BodyPublishers.ofFile(file),
                          HttpRequest.BodyPublishers.ofString(tail)))
                  .build(),
              HttpResponse.BodyHandlers.ofString(),
              201);
      return new JsonObject(created.body()).getJsonArray("files").getJsonObject(0).getString("id");
    }

    /** Uploads the file through tus in chunks; returns the new file's id. */
    String tus(Path file, long size, long chunk) throws IOException, InterruptedException {
      String metadata =
          "filename "
              + Base64.getEncoder()
                  .encodeToString(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> created =
          send(
              request("/api/files/uploads")
                  .header("Tus-Resumable", "1.0.0")
                  .header("Upload-Length", Long.toString(size))
                  .header("Upload-Metadata", metadata)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString(),
              201);
      String location = created.headers().firstValue("Location").orElseThrow();
      String id = null;
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        for (long offset = 0; offset < size; offset += chunk) {
          long length = Math.min(chunk, size - offset);
          long from = offset;
          HttpResponse<String> patched =
              send(
                  request(location)
                      .header("Tus-Resumable", "1.0.0")
                      .header("Upload-Offset", Long.toString(offset))
                      .header("Content-Type", "application/offset+octet-stream")
                      .method(
                          "PATCH",
                          HttpRequest.BodyPublishers.fromPublisher(
                              HttpRequest.BodyPublishers.ofInputStream(
                                  () -> region(channel, from, length)),
                              length))
                      .build(),
                  HttpResponse.BodyHandlers.ofString(),
                  204);
          id = patched.headers().firstValue("Homelab-File-Id").orElse(null);
        }
      }
      if (id == null) {
        throw new IllegalStateException("the last PATCH named no file");
      }
      return id;
    }

    /** Downloads a file into {@code to}, synced. */
    void download(String id, Path to) throws IOException, InterruptedException {
      send(
          request("/api/files/" + id + "/download").GET().build(),
          HttpResponse.BodyHandlers.ofFile(to),
          200);
      sync(to);
    }

    String sha256(String id) throws IOException, InterruptedException {
      return new JsonObject(
              send(
                      request("/api/files/" + id).GET().build(),
                      HttpResponse.BodyHandlers.ofString(),
                      200)
                  .body())
          .getString("sha256");
    }

    void delete(String id) throws IOException, InterruptedException {
      send(request("/api/files/" + id).DELETE().build(), HttpResponse.BodyHandlers.ofString(), 204);
    }
  }

  /** {@code length} bytes of a file from {@code offset}, as a stream, leaving the channel open. */
  private static InputStream region(FileChannel channel, long offset, long length) {
    return Channels.newInputStream(
        new java.nio.channels.ReadableByteChannel() {
          private long position = offset;
          private final long end = offset + length;

          @Override
          public int read(ByteBuffer into) throws IOException {
            if (position >= end) {
              return -1;
            }
            ByteBuffer window = into.slice();
            window.limit((int) Math.min(window.remaining(), end - position));
            int n = channel.read(window, position);
            if (n > 0) {
              position += n;
              into.position(into.position() + n);
            }
            return n;
          }

          @Override
          public boolean isOpen() {
            return true;
          }

          @Override
          public void close() {}
        });
  }
}
