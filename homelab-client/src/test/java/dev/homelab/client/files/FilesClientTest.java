package dev.homelab.client.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.HomelabChecksumException;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.Page;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's {@code files()} against {@link FilesStub}, a small real HTTP server that speaks the
 * files contract: multipart and tus uploads with their progress, a tus upload whose connection is
 * cut mid-chunk (and one damaged, one refused with 503) continuing from the server's offset, an
 * upload resumed by a client that never saw it start, downloads resumed under If-Range and checked
 * against their SHA-256.
 */
class FilesClientTest {

  private static final int MIB = 1024 * 1024;

  @TempDir Path dir;
  private Vertx vertx;
  private FilesStub stub;
  private HomelabClient client;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    stub = new FilesStub(vertx);
    client = newClient();
  }

  @AfterEach
  void stop() throws Exception {
    client.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private HomelabClient newClient() {
    return HomelabClient.create(
        vertx,
        new HomelabClientOptions()
            .setBaseUrl("http://127.0.0.1:" + stub.port())
            .setToken(FilesStub.TOKEN)
            .setTimeoutMs(10_000));
  }

  /** Bytes of a pattern that differs at every offset of a few MiB. */
  private static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 11) + seed);
    }
    return bytes;
  }

  private Path fileOf(String name, byte[] bytes) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) {
    try {
      future.await(60, TimeUnit.SECONDS);
    } catch (Throwable thrown) {
      return thrown;
    }
    throw new AssertionError("expected a failure, got " + future.result());
  }

  /** Records progress calls, and checks what every transfer's calls must satisfy. */
  private static final class Progress implements TransferListener {
    final List<long[]> calls = new CopyOnWriteArrayList<>();

    @Override
    public void progress(long transferred, long total) {
      calls.add(new long[] {transferred, total});
    }

    long last() {
      return calls.get(calls.size() - 1)[0];
    }

    /** How many times the count went down. */
    int setbacks() {
      int setbacks = 0;
      for (int i = 1; i < calls.size(); i++) {
        if (calls.get(i)[0] < calls.get(i - 1)[0]) {
          setbacks++;
        }
      }
      return setbacks;
    }
  }

  // --- multipart

  @Test
  void aMultipartUploadStreamsEverySourceWithTagsAndReportsProgress() throws Exception {
    byte[] big = pattern(3 * MIB + 5, 1);
    byte[] small = "hello".getBytes();
    byte[] piped = pattern(200_000, 2);
    Path file = fileOf("report.pdf", big);
    Progress progress = new Progress();

    List<StoredFile> stored =
        result(
            client
                .files()
                .uploadAll(
                    List.of(
                        UploadSource.of(file),
                        UploadSource.of("a=b; c,d: \"q\".txt", "text/plain", small),
                        UploadSource.of(
                            "schön.bin", null, piped.length, new ByteArrayInputStream(piped))),
                    UploadOptions.create().withTags("Docs", "2026").withProgress(progress)));

    assertThat(stored)
        .extracting(StoredFile::filename)
        .containsExactly("report.pdf", "a=b; c,d: \"q\".txt", "schön.bin");
    assertThat(stub.files.get(stored.get(0).id()).bytes().getBytes()).isEqualTo(big);
    assertThat(stub.files.get(stored.get(1).id()).bytes().getBytes()).isEqualTo(small);
    assertThat(stub.files.get(stored.get(2).id()).bytes().getBytes()).isEqualTo(piped);
    assertThat(stored.get(0).tags()).containsExactly("docs", "2026");
    assertThat(stored.get(0).sha256()).isEqualTo(FilesStub.sha256Hex(Buffer.buffer(big)));
    assertThat(stub.multipart)
        .containsExactly(
            "report.pdf|application/pdf|[docs, 2026]|false",
            "a=b; c,d: \"q\".txt|text/plain|[docs, 2026]|false",
            "schön.bin|application/octet-stream|[docs, 2026]|false");
    long total = big.length + small.length + piped.length;
    assertThat(progress.calls)
        .isNotEmpty()
        .allSatisfy(call -> assertThat(call[1]).isEqualTo(total));
    assertThat(progress.setbacks()).isZero();
    assertThat(progress.last()).isEqualTo(total);
    assertThat(progress.calls.size()).as("reported chunk by chunk").isGreaterThan(10);
  }

  @Test
  void aSourceOfUnknownLengthIsSentChunkedAndTheBlockingClientWaitsForIt() throws Exception {
    byte[] bytes = pattern(MIB + 3, 3);
    Progress progress = new Progress();

    StoredFile stored =
        client
            .blocking()
            .files()
            .upload(
                UploadSource.of(
                    "stream.bin", "application/x-test", -1, new ByteArrayInputStream(bytes)),
                UploadOptions.create().withProgress(progress));

    assertThat(stub.files.get(stored.id()).bytes().getBytes()).isEqualTo(bytes);
    assertThat(stub.multipart).containsExactly("stream.bin|application/x-test|[]|true");
    assertThat(progress.last()).isEqualTo(bytes.length);
    assertThat(progress.calls).allSatisfy(call -> assertThat(call[1]).isEqualTo(-1));
  }

  @Test
  void aMissingFileFailsTheUploadBeforeAnythingIsSent() {
    Throwable failure = failure(client.files().upload(dir.resolve("absent.bin")));

    assertThat(failure).hasMessageContaining("absent.bin");
    assertThat(stub.seen).isEmpty();
  }

  // --- metadata

  @Test
  void listGetUpdateDeleteStatsAndShares() throws Exception {
    FilesStub.Stored a = stub.put("a.txt", "text/plain", Buffer.buffer("aaa"), List.of("x"));
    stub.put("b.txt", "text/plain", Buffer.buffer("bbb"), List.of("y"));
    stub.put("Alpha.md", "text/markdown", Buffer.buffer("aaa"), List.of("x"));
    FilesApi files = client.files();

    Page<StoredFile> tagged = result(files.list(FileQuery.create().withTag("x").withLimit(1)));
    assertThat(tagged.items()).extracting(StoredFile::filename).containsExactly("Alpha.md");
    assertThat(tagged.hasNext()).isTrue();
    List<StoredFile> all =
        result(files.autoPaging(FileQuery.create().withTag("x").withLimit(1)).collect(10));
    assertThat(all).extracting(StoredFile::filename).containsExactly("Alpha.md", "a.txt");
    assertThat(result(files.list(FileQuery.create().withSearch("ALPHA"))).items()).hasSize(1);

    String id = a.json().getString("id");
    assertThat(result(files.get(id)).toJson()).isEqualTo(a.json());
    StoredFile renamed =
        result(files.update(id, FilePatch.empty().withFilename("c.txt").withTags(List.of())));
    assertThat(renamed.filename()).isEqualTo("c.txt");
    assertThat(renamed.tags()).isEmpty();
    assertThat(stub.seen).contains("PATCH body {\"filename\":\"c.txt\",\"tags\":[]}");

    FileStats stats = result(files.stats());
    assertThat(stats.count()).isEqualTo(3);
    assertThat(stats.bytes()).isEqualTo(9);
    assertThat(stats.savedBytes()).isEqualTo(3);
    assertThat(stats.quotaBytes()).isNull();

    Share share =
        result(
            files.createShare(
                id, NewShare.create().withExpiresIn(Duration.ofHours(1)).withMaxDownloads(3)));
    assertThat(share.token()).hasSize(43);
    assertThat(share.url()).isEqualTo("/share/" + share.token());
    assertThat(share.toString()).doesNotContain(share.token());
    assertThat(share.maxDownloads()).isEqualTo(3);
    assertThat(stub.seen).contains("POST share {\"expires_in_seconds\":3600,\"max_downloads\":3}");
    result(files.revokeShare(id, share.id()));
    List<Share> shares = result(files.shares(id));
    assertThat(shares)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.revoked()).isTrue();
              assertThat(s.token()).isNull();
            });

    result(files.delete(id));
    assertThat(failure(files.get(id)))
        .isInstanceOf(HomelabNotFoundException.class)
        .extracting(e -> ((HomelabHttpException) e).errorCode())
        .isEqualTo("FILE_NOT_FOUND");
  }

  // --- downloads

  @Test
  void aDownloadWritesTheFileChecksItAndReportsProgress() throws Exception {
    byte[] bytes = pattern(2 * MIB + 11, 4);
    String id =
        stub.put("d.bin", "application/octet-stream", Buffer.buffer(bytes), List.of())
            .json()
            .getString("id");
    Path target = dir.resolve("d.bin");
    Progress progress = new Progress();

    StoredFile file = result(client.files().download(id, target, progress));

    assertThat(file.id()).isEqualTo(id);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(stub.seen).contains("download Range=null If-Range=null");
    assertThat(progress.last()).isEqualTo(bytes.length);
    assertThat(progress.setbacks()).isZero();
  }

  @Test
  void aPartialTargetIsResumedWithARangeUnderIfRange() throws Exception {
    byte[] bytes = pattern(2 * MIB + 11, 5);
    FilesStub.Stored stored =
        stub.put("r.bin", "application/octet-stream", Buffer.buffer(bytes), List.of());
    Path target = dir.resolve("r.bin");
    int held = MIB + 7;
    Files.write(target, java.util.Arrays.copyOf(bytes, held));
    Progress progress = new Progress();

    result(client.files().download(stored.json().getString("id"), target, progress));

    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(stub.seen)
        .contains(
            "download Range=bytes="
                + held
                + "- If-Range=\""
                + stored.json().getString("sha256")
                + "\"");
    assertThat(progress.calls.get(0)[0]).as("starts from the bytes kept").isEqualTo(held);
    assertThat(progress.last()).isEqualTo(bytes.length);
  }

  @Test
  void aServerThatAnswersTheWholeFileToARangeHasItWrittenFromTheStart() throws Exception {
    byte[] bytes = pattern(MIB + 100, 6);
    String id =
        stub.put("w.bin", "application/octet-stream", Buffer.buffer(bytes), List.of())
            .json()
            .getString("id");
    Path target = dir.resolve("w.bin");
    Files.write(target, pattern(MIB, 99)); // other bytes: a 200 must replace, not follow, them
    stub.ignoreRanges = true;

    result(client.files().download(id, target));

    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
  }

  @Test
  void bytesThatDoNotMatchTheSha256FailTheDownloadAndTheTargetIsDeleted() throws Exception {
    byte[] bytes = pattern(MIB, 7);
    FilesStub.Stored stored =
        stub.put("x.bin", "application/octet-stream", Buffer.buffer(bytes), List.of());
    String id = stored.json().getString("id");
    Path target = dir.resolve("x.bin");
    stub.damageDownloads = true;

    Throwable damaged = failure(client.files().download(id, target));

    assertThat(damaged).isInstanceOf(HomelabChecksumException.class);
    assertThat(((HomelabChecksumException) damaged).expected())
        .isEqualTo(stored.json().getString("sha256"));
    assertThat(target).doesNotExist();

    // A partial target of other bytes: the range is honoured, the result is wrong, and caught.
    stub.damageDownloads = false;
    Files.write(target, pattern(1000, 42));
    assertThat(failure(client.files().download(id, target)))
        .isInstanceOf(HomelabChecksumException.class);
    assertThat(target).doesNotExist();

    // The next attempt starts afresh and succeeds.
    result(client.files().download(id, target));
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
  }

  @Test
  void aTargetLongerThanTheFileIsWrittenAgainFromTheStartAndAnEmptyFileDownloads()
      throws Exception {
    byte[] bytes = pattern(200_000, 14);
    String id =
        stub.put("l.bin", "application/octet-stream", Buffer.buffer(bytes), List.of())
            .json()
            .getString("id");
    Path target = fileOf("l.bin", pattern(300_000, 15));

    result(client.files().download(id, target));

    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);
    assertThat(stub.seen).contains("download Range=null If-Range=null");

    String empty =
        stub.put("e.bin", "application/octet-stream", Buffer.buffer(), List.of())
            .json()
            .getString("id");
    Path none = dir.resolve("e.bin");
    result(client.files().download(empty, none));
    assertThat(none).exists().isEmptyFile();
  }

  @Test
  void aCompleteTargetIsCheckedWithoutDownloadingAgain() throws Exception {
    byte[] bytes = pattern(300_000, 8);
    String id =
        stub.put("c.bin", "application/octet-stream", Buffer.buffer(bytes), List.of())
            .json()
            .getString("id");
    Path target = fileOf("c.bin", bytes);

    result(client.files().download(id, target));

    assertThat(stub.seen).noneMatch(line -> line.startsWith("download"));
  }

  // --- tus

  @Test
  void aResumableUploadSendsChecksummedChunksAndReportsProgress() throws Exception {
    byte[] bytes = pattern(3 * MIB + 1, 9);
    Path file = fileOf("big.iso", bytes);
    Progress progress = new Progress();

    StoredFile stored =
        result(
            client
                .files()
                .uploadResumable(
                    file,
                    UploadOptions.create()
                        .withTags("iso")
                        .withChunkSize(MIB)
                        .withProgress(progress)));

    assertThat(stub.files.get(stored.id()).bytes().getBytes()).isEqualTo(bytes);
    assertThat(stored.filename()).isEqualTo("big.iso");
    assertThat(stored.tags()).containsExactly("iso");
    assertThat(stub.seen)
        .filteredOn(line -> line.startsWith("PATCH at"))
        .containsExactly(
            "PATCH at 0 checksum true",
            "PATCH at " + MIB + " checksum true",
            "PATCH at " + 2 * MIB + " checksum true",
            "PATCH at " + 3 * MIB + " checksum true");
    assertThat(progress.setbacks()).isZero();
    assertThat(progress.last()).isEqualTo(bytes.length);
    assertThat(progress.calls).allSatisfy(call -> assertThat(call[1]).isEqualTo(bytes.length));
  }

  @Test
  void aConnectionCutMidChunkIsResumedFromTheServersOffset() throws Exception {
    byte[] bytes = pattern(3 * MIB, 10);
    Path file = fileOf("cut.bin", bytes);
    long cutAt = MIB + MIB / 2 + 12_345; // inside the second chunk of 1 MiB
    Progress progress = new Progress();
    UploadSession session = result(client.files().createUpload(file, UploadOptions.create()));
    assertThat(session.offset()).isZero();
    assertThat(session.length()).isEqualTo(bytes.length);
    assertThat(session.filename()).isEqualTo("cut.bin");
    stub.cutAtOffset.set(cutAt);

    StoredFile stored =
        result(
            client
                .files()
                .resumeUpload(
                    session.url(),
                    file,
                    UploadOptions.create()
                        .withChunkSize(MIB)
                        .withRetries(3, Duration.ofMillis(10))
                        .withProgress(progress)));

    assertThat(stub.files.get(stored.id()).bytes().getBytes()).isEqualTo(bytes);
    // The cut chunk, checksummed, was dropped whole: the server is back at its start, and the
    // client goes on from there.
    assertThat(stub.seen)
        .containsSubsequence(
            "PATCH at " + MIB + " checksum true",
            "cut PATCH after " + (cutAt - MIB),
            "HEAD offset " + MIB,
            "PATCH at " + MIB + " checksum true",
            "PATCH at " + 2 * MIB + " checksum true");
    assertThat(progress.setbacks())
        .as("back from the bytes sent to the server's offset")
        .isEqualTo(1);
    assertThat(progress.last()).isEqualTo(bytes.length);
    assertThat(result(client.files().getUpload(session.id())).file().id()).isEqualTo(stored.id());
  }

  @Test
  void aDamagedChunkAndA503AreRetriedWithinTheBound() throws Exception {
    byte[] bytes = pattern(2 * MIB, 11);
    Path file = fileOf("retry.bin", bytes);
    stub.damageNextPatches.set(1);
    stub.unavailableNextPatches.set(1);

    StoredFile stored = uploadInMibChunks(file);

    assertThat(stub.files.get(stored.id()).bytes().getBytes()).isEqualTo(bytes);
    assertThat(stub.seen.stream().filter(line -> line.equals("PATCH at 0 checksum true")).count())
        .as("the first chunk: 503, then damaged (460), then through")
        .isEqualTo(3);
  }

  /** A resumable upload in 1 MiB chunks with 2 quick retries. */
  private StoredFile uploadInMibChunks(Path file) throws Exception {
    return result(
        client
            .files()
            .uploadResumable(
                file,
                UploadOptions.create().withChunkSize(MIB).withRetries(2, Duration.ofMillis(10))));
  }

  @Test
  void aFailedCompletionIsTriedAgainWithAnEmptyChunkAtTheEnd() throws Exception {
    // Every byte is in but the server's commit failed (a 5xx): its offset is the length, and only
    // an empty PATCH at the end makes it complete; asking for the offset again never would.
    byte[] bytes = pattern(2 * MIB, 12);
    Path file = fileOf("complete.bin", bytes);
    stub.failNextCompletions.set(1);

    StoredFile stored = uploadInMibChunks(file);

    assertThat(stub.files.get(stored.id()).bytes().getBytes()).isEqualTo(bytes);
    assertThat(stub.seen).contains("completion failed");
    assertThat(stub.seen)
        .filteredOn(line -> line.startsWith("PATCH at"))
        .containsExactly(
            "PATCH at 0 checksum true",
            "PATCH at " + MIB + " checksum true",
            "PATCH at " + 2 * MIB + " checksum true");
  }

  @Test
  void failuresBeyondTheBoundFailTheUploadAndALaterProcessResumesIt() throws Exception {
    byte[] bytes = pattern(2 * MIB + 77, 12);
    Path file = fileOf("later.bin", bytes);
    UploadSession session =
        result(client.files().createUpload(file, UploadOptions.create().withTags("a", "b")));
    assertThat(session.tags()).containsExactly("a", "b");
    stub.cutAtOffset.set(MIB / 2 + 1000); // in the second chunk: the first one stays

    Throwable failed =
        failure(
            client
                .files()
                .resumeUpload(
                    session.id(),
                    file,
                    UploadOptions.create().withChunkSize(MIB / 2).withRetries(0, Duration.ZERO)));
    assertThat(failed).isInstanceOf(HomelabConnectionException.class);
    assertThat(result(client.files().getUpload(session.id())).offset()).isEqualTo(MIB / 2);

    // A new client, as after a restart, knowing only the upload's url.
    HomelabClient later = newClient();
    try {
      Progress progress = new Progress();
      StoredFile stored =
          later
              .blocking()
              .files()
              .resumeUpload(
                  "http://127.0.0.1:" + stub.port() + session.url(),
                  file,
                  UploadOptions.create().withProgress(progress));
      assertThat(stub.files.get(stored.id()).bytes().getBytes()).isEqualTo(bytes);
      assertThat(progress.calls.get(0)[0]).isEqualTo(MIB / 2);
      // Complete already: answers the file at once.
      assertThat(
              later
                  .blocking()
                  .files()
                  .resumeUpload(session.id(), file, UploadOptions.create())
                  .id())
          .isEqualTo(stored.id());
    } finally {
      later.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFileOfAnotherLengthIsRefusedAndACancelledUploadIsGone() throws Exception {
    Path file = fileOf("one.bin", pattern(1000, 13));
    UploadSession session = result(client.files().createUpload(file, UploadOptions.create()));
    Path other = fileOf("other.bin", pattern(999, 13));

    assertThatThrownBy(
            () -> result(client.files().resumeUpload(session.url(), other, UploadOptions.create())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the file it was created for");

    result(client.files().cancelUpload(session.url()));
    assertThat(failure(client.files().getUpload(session.id())))
        .isInstanceOf(HomelabNotFoundException.class);
    assertThat(failure(client.files().resumeUpload(session.id(), file, UploadOptions.create())))
        .isInstanceOf(HomelabNotFoundException.class);
    List<String> patches = new ArrayList<>(stub.seen);
    patches.removeIf(line -> !line.startsWith("PATCH"));
    assertThat(patches).isEmpty();
  }
}
