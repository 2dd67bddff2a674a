package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabChecksumException;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.HomelabNotFoundException;
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
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's {@code files()} against a real server (SQLite): multipart uploads from a path and
 * from streams with their progress, listing by tag and name, metadata changes, downloads resumed
 * under If-Range and checked against the SHA-256, deduplication seen in the stats, isolation
 * between users, share links used without a credential, and tus uploads that go on from the
 * server's offset after a connection cut mid-chunk (by a relay in front of the server) and after
 * the uploading client is gone. Every answer is checked against /openapi.json by the test clients'
 * response hook.
 */
class FilesClientApiTest {

  private static final int KIB = 1024;
  private static final int MIB = 1024 * KIB;

  @TempDir static Path dir;
  @TempDir static Path work;
  static ServerTesting lab;
  static String alicePassword;
  static HomelabClient alice;
  static HomelabClient bob;
  static HomelabClient viewer;
  static CuttingRelay relay;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
    alicePassword = "pw-" + UUID.randomUUID();
    TestSecrets.remember(alicePassword);
    await(lab.client.users().create("files-alice", alicePassword, "user"));
    alice = login(lab.server.port());
    bob = lab.newUser("files-bob", "user");
    viewer = lab.newUser("files-viewer", "viewer");
    relay = CuttingRelay.start(lab, lab.server.port());
  }

  @AfterAll
  static void stop() {
    relay.close();
    lab.close();
  }

  /** Alice, logged in through the given port (the server's, or the relay's). */
  static HomelabClient login(int port) {
    HomelabClient client =
        HomelabClient.create(
            lab.vertx,
            new HomelabClientOptions()
                .setBaseUrl("http://127.0.0.1:" + port)
                .setTimeoutMs(20_000)
                .setResponseHook(ServerTesting::matchesTheDocument));
    TestSecrets.remember(await(client.auth().login("files-alice", alicePassword)).jwt());
    return client;
  }

  static byte[] pattern(int length, int seed) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 11) + seed);
    }
    return bytes;
  }

  static Path write(String name, byte[] bytes) throws Exception {
    Path file = work.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static HomelabHttpException httpFailure(Future<?> call) {
    Throwable failure = awaitFailure(call);
    assertThat(failure).isInstanceOf(HomelabHttpException.class);
    return (HomelabHttpException) failure;
  }

  /** Records progress calls. */
  static final class Progress implements TransferListener {
    final List<long[]> calls = new CopyOnWriteArrayList<>();

    @Override
    public void progress(long transferred, long total) {
      calls.add(new long[] {transferred, total});
    }

    long first() {
      return calls.get(0)[0];
    }

    long last() {
      return calls.get(calls.size() - 1)[0];
    }
  }

  // --- multipart, list, get, patch, delete

  @Test
  void uploadListFilterGetPatchAndDelete() throws Exception {
    byte[] report = pattern(2 * MIB + 3, 1);
    byte[] notes = "meeting notes".getBytes();
    Progress progress = new Progress();

    List<StoredFile> stored =
        await(
            alice
                .files()
                .uploadAll(
                    List.of(
                        UploadSource.of(write("Report 2026.pdf", report)),
                        UploadSource.of(
                            "../../notes.txt",
                            "text/plain",
                            notes.length,
                            new ByteArrayInputStream(notes))),
                    UploadOptions.create().withTags("Docs", "q4").withProgress(progress)));

    assertThat(stored)
        .extracting(StoredFile::filename)
        .containsExactly("Report 2026.pdf", "notes.txt");
    StoredFile pdf = stored.get(0);
    assertThat(pdf.contentType()).isEqualTo("application/pdf");
    assertThat(pdf.size()).isEqualTo(report.length);
    assertThat(pdf.sha256()).isEqualTo(sha256(report));
    assertThat(pdf.tags()).containsExactly("docs", "q4");
    assertThat(progress.last()).isEqualTo(report.length + notes.length);

    FilesApi files = alice.files();
    assertThat(await(files.list(FileQuery.create().withTag("q4"))).items())
        .extracting(StoredFile::id)
        .containsExactly(stored.get(1).id(), pdf.id()); // newest first
    assertThat(await(files.list(FileQuery.create().withSearch("REPORT 2026"))).items())
        .extracting(StoredFile::id)
        .containsExactly(pdf.id());
    Page<StoredFile> first = await(files.list(FileQuery.create().withTag("q4").withLimit(1)));
    assertThat(first.items()).hasSize(1);
    assertThat(first.hasNext()).isTrue();
    assertThat(await(files.autoPaging(FileQuery.create().withTag("q4").withLimit(1)).collect(10)))
        .hasSize(2);

    assertThat(await(files.get(pdf.id()))).isEqualTo(pdf);
    StoredFile renamed =
        await(
            files.update(
                pdf.id(), FilePatch.empty().withFilename("final.pdf").withTags(List.of("Final"))));
    assertThat(renamed.filename()).isEqualTo("final.pdf");
    assertThat(renamed.tags()).containsExactly("final");
    assertThat(renamed.sha256()).isEqualTo(pdf.sha256());
    assertThat(await(files.list(FileQuery.create().withTag("q4"))).items()).hasSize(1);

    assertThat(
            httpFailure(files.update(pdf.id(), FilePatch.empty().withTags(List.of("no/slash"))))
                .status())
        .isEqualTo(422);

    await(files.delete(stored.get(1).id()));
    assertThat(httpFailure(files.get(stored.get(1).id())))
        .isInstanceOf(HomelabNotFoundException.class)
        .extracting(HomelabHttpException::errorCode)
        .isEqualTo("FILE_NOT_FOUND");
  }

  @Test
  void namesThatTheMultipartParserWouldMangleArriveExactly() throws Exception {
    String name = "a=b; c,d: \"q\" é.txt";
    StoredFile stored =
        await(
            alice
                .files()
                .upload(
                    UploadSource.of(name, "text/plain", "x".getBytes()), UploadOptions.create()));

    assertThat(stored.filename()).isEqualTo(name);
    assertThat(await(alice.files().get(stored.id())).filename()).isEqualTo(name);
  }

  @Test
  void anotherUsersFilesAre404AndViewersOnlyRead() throws Exception {
    StoredFile mine = await(alice.files().upload(write("private.txt", "alice only".getBytes())));

    for (Future<?> call :
        List.of(
            bob.files().get(mine.id()),
            bob.files().update(mine.id(), FilePatch.empty().withFilename("x")),
            bob.files().delete(mine.id()),
            bob.files().download(mine.id(), work.resolve("stolen.txt")),
            bob.files().shares(mine.id()),
            bob.files().createShare(mine.id(), NewShare.create()))) {
      HomelabHttpException failure = httpFailure(call);
      assertThat(failure.status()).isEqualTo(404);
      assertThat(failure.errorCode()).isEqualTo("FILE_NOT_FOUND");
    }
    assertThat(await(bob.files().list()).items())
        .extracting(StoredFile::id)
        .doesNotContain(mine.id());
    assertThat(Files.exists(work.resolve("stolen.txt"))).isFalse();

    assertThat(httpFailure(viewer.files().upload(write("v.txt", "v".getBytes()))).status())
        .isEqualTo(403);
    assertThat(
            httpFailure(viewer.files().uploadResumable(write("v2.txt", "v".getBytes()))).status())
        .isEqualTo(403);
    assertThat(await(alice.files().get(mine.id())).filename()).isEqualTo("private.txt");
  }

  @Test
  void identicalContentIsStoredOnceAndTheStatsSayWhatItSaves() throws Exception {
    byte[] bytes = pattern(300 * KIB, 2);
    FileStats before = await(bob.files().stats());

    StoredFile a = await(bob.files().upload(write("dup-a.bin", bytes)));
    StoredFile b =
        await(
            bob.files()
                .upload(
                    UploadSource.of("dup-b.bin", "application/octet-stream", bytes),
                    UploadOptions.create()));

    assertThat(a.id()).isNotEqualTo(b.id());
    assertThat(a.sha256()).isEqualTo(b.sha256());
    FileStats after = await(bob.files().stats());
    assertThat(after.count()).isEqualTo(before.count() + 2);
    assertThat(after.bytes()).isEqualTo(before.bytes() + 2L * bytes.length);
    assertThat(after.savedBytes()).isEqualTo(before.savedBytes() + bytes.length);
    assertThat(after.usedBytes()).isEqualTo(before.usedBytes() + 2L * bytes.length);
    assertThat(after.diskTotalBytes()).isPositive();

    await(bob.files().delete(a.id()));
    Path copy = work.resolve("dup-copy.bin");
    await(bob.files().download(b.id(), copy)); // the shared content outlives the first file
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);
  }

  @Test
  void anUploadOfContentOnlyAnotherUserHasIsAnsweredLikeNewContent() throws Exception {
    int size = 200 * KIB;
    byte[] alicesSecret = pattern(size, 41);
    await(alice.files().upload(write("alice-secret.bin", alicesSecret)));

    // Bob sends alice's content and new content of the same length, each both ways up.
    FileStats before = await(bob.files().stats());
    StoredFile known = await(bob.files().upload(write("guess.bin", alicesSecret)));
    StoredFile fresh = await(bob.files().upload(write("fresh.bin", pattern(size, 42))));
    StoredFile knownTus = await(bob.files().uploadResumable(write("guess-tus.bin", alicesSecret)));
    StoredFile freshTus =
        await(bob.files().uploadResumable(write("fresh-tus.bin", pattern(size, 43))));

    for (StoredFile answer : List.of(known, fresh, knownTus, freshTus)) {
      assertThat(answer.ownerId()).isEqualTo(fresh.ownerId());
      assertThat(answer.size()).isEqualTo(size);
      assertThat(answer.toJson().fieldNames()).isEqualTo(fresh.toJson().fieldNames());
    }
    assertThat(known.sha256()).isEqualTo(sha256(alicesSecret)).isEqualTo(knownTus.sha256());
    // His stats count his own files only: alice's copy saves him nothing he can see. The second
    // of his copies of the guessed content is his own saving, as with the fresh content twice.
    FileStats after = await(bob.files().stats());
    assertThat(after.count()).isEqualTo(before.count() + 4);
    assertThat(after.bytes() - before.bytes()).isEqualTo(4L * size);
    assertThat(after.usedBytes() - before.usedBytes()).isEqualTo(4L * size);
    assertThat(after.storedBytes() - before.storedBytes()).isEqualTo(3L * size);
    assertThat(after.savedBytes() - before.savedBytes()).isEqualTo(size);
  }

  // --- downloads

  @Test
  void aDownloadIsWrittenCheckedAndResumedFromAPartialTarget() throws Exception {
    byte[] bytes = pattern(3 * MIB + 17, 3);
    StoredFile file = await(alice.files().upload(write("big.bin", bytes)));

    Path whole = work.resolve("whole.bin");
    Progress progress = new Progress();
    assertThat(await(alice.files().download(file.id(), whole, progress))).isEqualTo(file);
    assertThat(Files.readAllBytes(whole)).isEqualTo(bytes);
    assertThat(progress.last()).isEqualTo(bytes.length);

    // A target holding the first bytes: only the rest is asked for (206 under If-Range).
    Path partial = work.resolve("partial.bin");
    int held = MIB + 5;
    Files.write(partial, Arrays.copyOf(bytes, held));
    Progress resumed = new Progress();
    await(alice.files().download(file.id(), partial, resumed));
    assertThat(Files.readAllBytes(partial)).isEqualTo(bytes);
    assertThat(resumed.first()).as("the kept bytes count from the start").isEqualTo(held);

    // A target holding other bytes: the range is honoured, the SHA-256 catches it.
    Path wrong = work.resolve("wrong.bin");
    Files.write(wrong, pattern(1000, 99));
    Throwable failure = awaitFailure(alice.files().download(file.id(), wrong));
    assertThat(failure).isInstanceOf(HomelabChecksumException.class);
    assertThat(((HomelabChecksumException) failure).expected()).isEqualTo(file.sha256());
    assertThat(wrong).doesNotExist();
    await(alice.files().download(file.id(), wrong));
    assertThat(Files.readAllBytes(wrong)).isEqualTo(bytes);
  }

  // --- shares

  @Test
  void aShareLinkDownloadsWithoutACredentialUntilUsedUpOrRevoked() throws Exception {
    byte[] bytes = pattern(100 * KIB, 4);
    StoredFile file = await(alice.files().upload(write("shared.bin", bytes)));

    Share once =
        await(
            alice
                .files()
                .createShare(
                    file.id(),
                    NewShare.create().withExpiresIn(Duration.ofHours(1)).withMaxDownloads(1)));
    assertThat(once.token()).hasSize(43);
    assertThat(once.url()).isEqualTo("/share/" + once.token());
    assertThat(once.toString()).doesNotContain(once.token());
    TestSecrets.remember(once.token());

    HttpResponse<Buffer> got = await(lab.web.get(once.url()).send());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body().getBytes()).isEqualTo(bytes);
    assertThat(got.getHeader("ETag")).isEqualTo("\"" + file.sha256() + "\"");
    assertThat(got.getHeader("Content-Disposition")).startsWith("attachment");
    assertThat(await(lab.web.get(once.url()).send()).statusCode()).as("used up").isEqualTo(404);

    Share revoked = await(alice.files().createShare(file.id(), NewShare.create()));
    TestSecrets.remember(revoked.token());
    await(alice.files().revokeShare(file.id(), revoked.id()));
    assertThat(await(lab.web.get(revoked.url()).send()).statusCode()).isEqualTo(404);

    List<Share> shares = await(alice.files().shares(file.id()));
    assertThat(shares).extracting(Share::id).containsExactlyInAnyOrder(once.id(), revoked.id());
    assertThat(shares).allSatisfy(share -> assertThat(share.token()).isNull());
    assertThat(shares)
        .filteredOn(share -> share.id().equals(once.id()))
        .singleElement()
        .satisfies(share -> assertThat(share.downloads()).isEqualTo(1));
    assertThat(shares)
        .filteredOn(Share::revoked)
        .extracting(Share::id)
        .containsExactly(revoked.id());
  }

  // --- tus

  @Test
  void aResumableUploadStoresTheFileInChecksummedChunks() throws Exception {
    byte[] bytes = pattern(MIB + 333, 5);
    Progress progress = new Progress();

    StoredFile stored =
        await(
            alice
                .files()
                .uploadResumable(
                    write("chunks.iso", bytes),
                    UploadOptions.create()
                        .withTags("iso")
                        .withChunkSize(256 * KIB)
                        .withProgress(progress)));

    assertThat(stored.filename()).isEqualTo("chunks.iso");
    assertThat(stored.tags()).containsExactly("iso");
    assertThat(stored.sha256()).isEqualTo(sha256(bytes));
    assertThat(progress.last()).isEqualTo(bytes.length);
    Path back = work.resolve("chunks-back.iso");
    await(alice.files().download(stored.id(), back));
    assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
  }

  @Test
  void aConnectionCutMidChunkIsResumedFromTheServersOffset() throws Exception {
    byte[] bytes = pattern(4 * MIB, 6);
    Path file = write("cut.bin", bytes);
    HomelabClient throughRelay = login(relay.port());
    try {
      // The cut comes inside the first PATCH's body: the HEAD before it is a few hundred bytes.
      relay.cutAfter(MIB + 4321);
      StoredFile stored =
          await(
              throughRelay
                  .files()
                  .uploadResumable(
                      file,
                      UploadOptions.create()
                          .withChunkSize(2 * MIB)
                          .withRetries(5, Duration.ofMillis(50))));

      assertThat(relay.cuts.get()).isEqualTo(1);
      assertThat(stored.sha256()).isEqualTo(sha256(bytes));
      Path back = work.resolve("cut-back.bin");
      await(alice.files().download(stored.id(), back));
      assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
    } finally {
      await(throughRelay.close());
    }
  }

  @Test
  void anUploadLeftByAGoneClientIsFinishedByAnotherFromItsUrl() throws Exception {
    byte[] bytes = pattern(3 * MIB + 99, 7);
    Path file = write("later.bin", bytes);
    HomelabClient throughRelay = login(relay.port());
    UploadSession session;
    try {
      session =
          await(throughRelay.files().createUpload(file, UploadOptions.create().withTags("later")));
      assertThat(session.offset()).isZero();
      assertThat(session.length()).isEqualTo(bytes.length);
      // Through the relay, cut in the second chunk: the first is stored, the second dropped whole.
      relay.cutAfter(MIB + MIB / 2);
      Throwable failure =
          awaitFailure(
              throughRelay
                  .files()
                  .resumeUpload(
                      session.url(),
                      file,
                      UploadOptions.create().withChunkSize(MIB).withRetries(0, Duration.ZERO)));
      assertThat(failure).isInstanceOf(HomelabConnectionException.class);
    } finally {
      await(throughRelay.close()); // the uploading client is gone
    }
    String id = session.id();
    long kept = await(alice.files().getUpload(id)).offset();
    assertThat(kept).as("the first chunk").isEqualTo(MIB);

    HomelabClient later = login(lab.server.port());
    try {
      Progress progress = new Progress();
      StoredFile stored =
          later
              .blocking()
              .files()
              .resumeUpload(
                  "http://127.0.0.1:" + lab.server.port() + session.url(),
                  file,
                  UploadOptions.create()
                      .withRetries(5, Duration.ofMillis(50))
                      .withProgress(progress));
      assertThat(progress.first()).as("from the server's offset").isEqualTo(kept);
      assertThat(stored.sha256()).isEqualTo(sha256(bytes));
      assertThat(stored.tags()).containsExactly("later");
      UploadSession done = await(later.files().getUpload(id));
      assertThat(done.offset()).isEqualTo(bytes.length);
      assertThat(done.file()).isEqualTo(stored);
    } finally {
      await(later.close());
    }
  }

  @Test
  void aCancelledUploadIsGoneAndAFileOfAnotherLengthIsRefused() throws Exception {
    Path file = write("cancel.bin", pattern(5000, 8));
    UploadSession session = await(alice.files().createUpload(file, UploadOptions.create()));

    Throwable wrongFile =
        awaitFailure(
            alice
                .files()
                .resumeUpload(
                    session.url(), write("other.bin", pattern(4999, 8)), UploadOptions.create()));
    assertThat(wrongFile).isInstanceOf(IllegalArgumentException.class);

    assertThat(httpFailure(bob.files().getUpload(session.id())).errorCode())
        .isEqualTo("UPLOAD_NOT_FOUND");
    await(alice.files().cancelUpload(session.url()));
    assertThat(httpFailure(alice.files().getUpload(session.id())).errorCode())
        .isEqualTo("UPLOAD_NOT_FOUND");
    assertThat(
            httpFailure(alice.files().resumeUpload(session.id(), file, UploadOptions.create()))
                .status())
        .isEqualTo(404);
  }

  /**
   * A TCP relay in front of the server that, once armed, closes the connection on which the count
   * of bytes sent towards the server passes a limit, after relaying exactly that many: a network
   * that drops in the middle of a request body.
   */
  static final class CuttingRelay {
    private final NetServer server;
    private final AtomicLong limit = new AtomicLong(-1);
    private final AtomicLong counted = new AtomicLong();
    final AtomicInteger cuts = new AtomicInteger();

    private CuttingRelay(NetServer server) {
      this.server = server;
    }

    static CuttingRelay start(ServerTesting lab, int target) {
      CuttingRelay[] self = new CuttingRelay[1];
      NetServer server =
          lab.vertx
              .createNetServer()
              .connectHandler(
                  in -> {
                    in.pause();
                    lab.vertx
                        .createNetClient()
                        .connect(target, "127.0.0.1")
                        .onSuccess(out -> self[0].relay(in, out))
                        .onFailure(e -> in.close());
                  });
      self[0] = new CuttingRelay(server);
      await(server.listen(0, "127.0.0.1"));
      return self[0];
    }

    int port() {
      return server.actualPort();
    }

    /** Arms a cut after this many more bytes towards the server. */
    void cutAfter(long bytes) {
      counted.set(0);
      limit.set(bytes);
    }

    private void relay(NetSocket in, NetSocket out) {
      out.handler(buffer -> forward(buffer, in, out));
      in.handler(
          buffer -> {
            long armed = limit.get();
            if (armed < 0) {
              forward(buffer, out, in);
              return;
            }
            long before = counted.getAndAdd(buffer.length());
            if (before + buffer.length() <= armed) {
              forward(buffer, out, in);
              return;
            }
            limit.set(-1);
            cuts.incrementAndGet();
            out.write(buffer.getBuffer(0, (int) Math.max(0, armed - before)))
                .onComplete(
                    written -> {
                      in.close();
                      out.close();
                    });
          });
      in.closeHandler(closed -> out.close());
      out.closeHandler(closed -> in.close());
      in.resume();
    }

    private static void forward(Buffer buffer, NetSocket to, NetSocket from) {
      to.write(buffer);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(drained -> from.resume());
      }
    }

    void close() {
      await(server.close());
    }
  }
}
