package dev.homelab.core.files;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ConflictException;
import dev.homelab.core.ForbiddenException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.testing.FailingAudit;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ResumableUploads} on a real database and a real directory. */
abstract class ResumableUploadsKit extends FilesFixture {

  private ResumableUploads uploads() {
    return files.uploads();
  }

  private UploadSession create(Actor actor, long length) {
    return await(
        uploads()
            .create(actor, length, new NewFile("big.iso", "application/x-iso", List.of("iso"))));
  }

  private Future<UploadSession> append(
      Actor actor, UploadSession session, long offset, byte[]... chunks) {
    return uploads().append(actor, session.id(), offset, ChunkStream.of(vertx, chunks), null);
  }

  private Path partial(UploadSession session) {
    return root.resolve("uploads").resolve(session.id());
  }

  private static Checksum checksum(String algorithm, byte[] data) throws Exception {
    String java =
        switch (algorithm) {
          case "sha1" -> "SHA-1";
          case "sha256" -> "SHA-256";
          default -> "MD5";
        };
    return Checksum.parse(
        algorithm
            + " "
            + Base64.getEncoder().encodeToString(MessageDigest.getInstance(java).digest(data)));
  }

  @Test
  void chunksBecomeAFileWithTheRightHash() {
    byte[] data = bytes(5 * 1024 * 1024 + 3, 1);
    UploadSession session = create(alice, data.length);
    assertThat(session.offset()).isZero();
    assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    assertThat(partial(session)).exists();

    byte[] first = Arrays.copyOfRange(data, 0, 2_000_000);
    byte[] second = Arrays.copyOfRange(data, 2_000_000, 4_000_000);
    byte[] third = Arrays.copyOfRange(data, 4_000_000, data.length);
    clock.advance(Duration.ofHours(1));
    UploadSession afterFirst = await(append(alice, session, 0, split(first, 4)));
    assertThat(afterFirst.offset()).isEqualTo(first.length);
    assertThat(afterFirst.isComplete()).isFalse();
    assertThat(afterFirst.expiresAt())
        .as("extended by a chunk")
        .isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    assertThat(await(uploads().get(alice, session.id())).offset()).isEqualTo(first.length);
    await(append(alice, session, first.length, second));
    UploadSession done = await(append(alice, session, 4_000_000, split(third, 3)));

    assertThat(done.isComplete()).isTrue();
    assertThat(done.offset()).isEqualTo(data.length);
    StoredFile file = await(files.get(alice, done.fileId()));
    assertThat(file.size()).isEqualTo(data.length);
    assertThat(file.sha256()).isEqualTo(sha256(data));
    assertThat(file.filename()).isEqualTo("big.iso");
    assertThat(file.tags()).containsExactly("iso");
    assertThat(read(await(files.open(alice, file.id())))).isEqualTo(data);
    assertThat(await(uploads().get(alice, session.id())).fileId()).isEqualTo(file.id());
    assertThat(filesUnder("uploads")).as("the bytes moved into the blob").isEmpty();
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(nextEvent().payload().getJsonObject("file")).isEqualTo(file.toJson());
    // A repeated final chunk request finds the upload complete.
    assertThat(await(append(alice, session, data.length)).fileId()).isEqualTo(file.id());
  }

  @Test
  void aDroppedChunkKeepsWhatArrivedAndTheUploadResumesFromThere() throws IOException {
    byte[] data = bytes(300_000, 2);
    UploadSession session = create(alice, data.length);
    byte[] a = Arrays.copyOfRange(data, 0, 70_000);
    byte[] b = Arrays.copyOfRange(data, 70_000, 110_000);
    Throwable dropped =
        awaitFailure(
            uploads()
                .append(
                    alice,
                    session.id(),
                    0,
                    ChunkStream.failingAfter(vertx, new IOException("connection reset"), a, b),
                    null));
    assertThat(dropped).isNotNull();
    UploadSession resumed = await(uploads().get(alice, session.id()));
    assertThat(resumed.offset()).isEqualTo(110_000);
    assertThat(Files.size(partial(session))).isEqualTo(110_000);

    UploadSession done =
        await(append(alice, session, 110_000, Arrays.copyOfRange(data, 110_000, data.length)));
    assertThat(done.isComplete()).isTrue();
    StoredFile file = await(files.get(alice, done.fileId()));
    assertThat(file.sha256()).isEqualTo(sha256(data));
    assertThat(read(await(files.open(alice, file.id())))).isEqualTo(data);
  }

  @Test
  void aChunkWithAWrongChecksumIsDiscardedWhole() throws Exception {
    byte[] data = bytes(90_000, 3);
    byte[] a = Arrays.copyOfRange(data, 0, 30_000);
    byte[] b = Arrays.copyOfRange(data, 30_000, 60_000);
    byte[] c = Arrays.copyOfRange(data, 60_000, 90_000);
    UploadSession session = create(alice, data.length);
    await(
        uploads().append(alice, session.id(), 0, ChunkStream.of(vertx, a), checksum("sha256", a)));

    Throwable mismatch =
        awaitFailure(
            uploads()
                .append(
                    alice,
                    session.id(),
                    30_000,
                    ChunkStream.of(vertx, split(b, 3)),
                    checksum("sha256", c)));
    assertThat(codeOf(mismatch)).isEqualTo(ResumableUploads.CHECKSUM_MISMATCH);
    assertThat(await(uploads().get(alice, session.id())).offset()).isEqualTo(30_000);
    assertThat(Files.size(partial(session)))
        .as("the chunk's bytes were truncated")
        .isEqualTo(30_000);

    // A chunk with a checksum whose connection drops is not kept either.
    assertThat(
            awaitFailure(
                uploads()
                    .append(
                        alice,
                        session.id(),
                        30_000,
                        ChunkStream.failingAfter(
                            vertx, new IOException("reset"), Arrays.copyOf(b, 100)),
                        checksum("md5", b))))
        .isNotNull();
    assertThat(await(uploads().get(alice, session.id())).offset()).isEqualTo(30_000);
    assertThat(Files.size(partial(session))).isEqualTo(30_000);

    await(
        uploads()
            .append(alice, session.id(), 30_000, ChunkStream.of(vertx, b), checksum("sha1", b)));
    UploadSession done =
        await(
            uploads()
                .append(alice, session.id(), 60_000, ChunkStream.of(vertx, c), checksum("md5", c)));
    assertThat(await(files.get(alice, done.fileId())).sha256()).isEqualTo(sha256(data));
  }

  @Test
  void aChunkAtAnotherOffsetOrPastTheLengthIsRefused() throws IOException {
    UploadSession session = create(alice, 100);
    await(append(alice, session, 0, bytes(40, 4)));
    for (long wrong : List.of(0L, 39L, 41L, 100L)) {
      Throwable failure = awaitFailure(append(alice, session, wrong, bytes(10, 5)));
      assertThat(failure).isInstanceOf(ConflictException.class);
      assertThat(codeOf(failure)).isEqualTo(ResumableUploads.OFFSET_MISMATCH);
    }
    assertThat(codeOf(awaitFailure(append(alice, session, 40, bytes(61, 6)))))
        .isEqualTo(ResumableUploads.LENGTH_EXCEEDED);
    assertThat(await(uploads().get(alice, session.id())).offset()).isEqualTo(40);
    assertThat(Files.size(partial(session))).isEqualTo(40);
    UploadSession done = await(append(alice, session, 40, bytes(60, 7)));
    assertThat(await(files.get(alice, done.fileId())).sha256())
        .isEqualTo(sha256(bytes(40, 4), bytes(60, 7)));
  }

  @Test
  void aSecondChunkWhileOneIsRunningIsLocked() {
    byte[] first = bytes(1000, 8);
    UploadSession session = create(alice, 2000);
    ChunkStream running = ChunkStream.open(vertx, first);
    Future<UploadSession> inProgress = uploads().append(alice, session.id(), 0, running, null);
    await(running.started());
    Throwable locked = awaitFailure(append(alice, session, 0, bytes(10, 9)));
    assertThat(locked).isInstanceOf(ConflictException.class);
    assertThat(codeOf(locked)).isEqualTo(ResumableUploads.LOCKED);
    assertThat(codeOf(awaitFailure(uploads().terminate(alice, session.id()))))
        .isEqualTo(ResumableUploads.LOCKED);
    running.end();
    assertThat(await(inProgress).offset()).isEqualTo(1000);
    // The lock went with the chunk.
    assertThat(await(append(alice, session, 1000, bytes(1000, 10))).isComplete()).isTrue();
  }

  @Test
  void aTerminatedUploadIsGone() {
    UploadSession session = create(alice, 100);
    await(append(alice, session, 0, bytes(50, 11)));
    await(uploads().terminate(alice, session.id()));
    assertThat(partial(session)).doesNotExist();
    assertThat(codeOf(awaitFailure(uploads().get(alice, session.id()))))
        .isEqualTo(ResumableUploads.NOT_FOUND);
    assertThat(codeOf(awaitFailure(append(alice, session, 50, bytes(50, 12)))))
        .isEqualTo(ResumableUploads.NOT_FOUND);
    assertThat(codeOf(awaitFailure(uploads().terminate(alice, session.id()))))
        .isEqualTo(ResumableUploads.NOT_FOUND);
    assertThat(await(files.list(alice, FileQuery.first())).items()).isEmpty();
  }

  @Test
  void anUnfinishedUploadExpiresAfterItsLastChunkAndIsSwept() {
    UploadSession stale = create(alice, 100);
    await(append(alice, stale, 0, bytes(10, 13)));
    clock.advance(Duration.ofHours(20));
    UploadSession active = create(alice, 100);
    await(append(alice, active, 0, bytes(10, 14)));
    clock.advance(Duration.ofHours(5));

    assertThat(codeOf(awaitFailure(uploads().get(alice, stale.id()))))
        .isEqualTo(ResumableUploads.NOT_FOUND);
    assertThat(codeOf(awaitFailure(append(alice, stale, 10, bytes(10, 15)))))
        .isEqualTo(ResumableUploads.NOT_FOUND);
    assertThat(await(uploads().get(alice, active.id())).offset()).isEqualTo(10);

    assertThat(await(files.sweep()).uploads()).isEqualTo(1);
    assertThat(partial(stale)).doesNotExist();
    assertThat(await(storage.uploads().get(dev.homelab.core.devices.OwnerFilter.any(), stale.id())))
        .isNull();
    assertThat(partial(active)).exists();
    assertThat(await(append(alice, active, 10, bytes(90, 16))).isComplete()).isTrue();
  }

  @Test
  void aPartialFileWithoutAnUploadIsSweptOnceOld() throws IOException {
    Path orphan = root.resolve("uploads/01234567-89ab-7def-8123-456789abcdef");
    Files.write(orphan, bytes(10, 17));
    Path young = root.resolve("uploads/01234567-89ab-7def-8123-456789abcde0");
    Files.write(young, bytes(10, 18));
    age(orphan, Duration.ofHours(2));
    assertThat(await(files.sweep()).uploads()).isEqualTo(1);
    assertThat(orphan).doesNotExist();
    assertThat(young).exists();
  }

  @Test
  void anEmptyUploadIsCompleteAtOnce() {
    UploadSession session = create(alice, 0);
    assertThat(session.isComplete()).isTrue();
    StoredFile file = await(files.get(alice, session.fileId()));
    assertThat(file.size()).isZero();
    assertThat(file.sha256()).isEqualTo(sha256(new byte[0]));
    assertThat(read(await(files.open(alice, file.id())))).isEmpty();
    assertThat(filesUnder("uploads")).isEmpty();
  }

  @Test
  void aCompletionRefusedByTheQuotaSucceedsOnceThereIsRoom() {
    reopen(FileStoreOptions.defaults(root).withQuotaBytes(1000));
    await(upload(alice, "old", bytes(500, 19)));
    assertThat(codeOf(awaitFailure(uploads().create(alice, 501, new NewFile("x", null, null)))))
        .as("refused before any byte is sent")
        .isEqualTo(FileStore.QUOTA_EXCEEDED);

    byte[] data = bytes(400, 20);
    UploadSession session = create(alice, data.length);
    // The unfinished upload holds its length: another upload cannot take that room meanwhile.
    assertThat(codeOf(awaitFailure(upload(alice, "meanwhile", bytes(300, 21)))))
        .isEqualTo(FileStore.QUOTA_EXCEEDED);
    // The quota lowered while the upload runs: its completion is refused, its bytes kept.
    reopen(FileStoreOptions.defaults(root).withQuotaBytes(800));
    Throwable refused = awaitFailure(append(alice, session, 0, split(data, 2)));
    assertThat(codeOf(refused)).isEqualTo(FileStore.QUOTA_EXCEEDED);
    UploadSession kept = await(uploads().get(alice, session.id()));
    assertThat(kept.offset()).isEqualTo(data.length);
    assertThat(kept.isComplete()).isFalse();
    assertThat(partial(session)).exists();
    assertThat(filesUnder("tmp")).isEmpty();

    StoredFile old = await(files.list(alice, FileQuery.first())).items().get(0);
    await(files.delete(alice, old.id()));
    UploadSession done = await(append(alice, session, data.length));
    assertThat(done.isComplete()).isTrue();
    StoredFile file = await(files.get(alice, done.fileId()));
    assertThat(file.sha256()).isEqualTo(sha256(data));
    assertThat(read(await(files.open(alice, file.id())))).isEqualTo(data);
    assertThat(filesUnder("uploads")).isEmpty();
  }

  @Test
  void aCompletionThatFailsAfterItsBlobIsPlacedCanBeRetried() {
    byte[] data = bytes(5000, 30);
    UploadSession session = create(alice, data.length);
    FileStore failing =
        await(FileStore.open(vertx, FailingAudit.around(storage), events, clock, files.options()));
    try {
      assertThat(
              awaitFailure(
                  failing
                      .uploads()
                      .append(alice, session.id(), 0, ChunkStream.of(vertx, data), null)))
          .hasMessageContaining(FailingAudit.MESSAGE);
    } finally {
      failing.close();
    }
    UploadSession kept = await(uploads().get(alice, session.id()));
    assertThat(kept.offset()).isEqualTo(data.length);
    assertThat(kept.isComplete()).isFalse();
    assertThat(partial(session)).as("the bytes outlive the failed commit").exists();

    UploadSession done = await(append(alice, session, data.length));
    assertThat(done.isComplete()).isTrue();
    assertThat(read(await(files.open(alice, done.fileId())))).isEqualTo(data);
    assertThat(filesUnder("uploads")).isEmpty();
    assertThat(filesUnder("blobs")).hasSize(1);
  }

  @Test
  void aCompletionOfBytesStoredBeforeReusesTheBlob() {
    byte[] data = bytes(1000, 22);
    StoredFile before = await(upload(bob, "bobs", data));
    UploadSession session = create(alice, data.length);
    UploadSession done = await(append(alice, session, 0, data));
    StoredFile file = await(files.get(alice, done.fileId()));
    assertThat(file.sha256()).isEqualTo(before.sha256());
    assertThat(filesUnder("blobs")).hasSize(1);
    assertThat(filesUnder("uploads")).isEmpty();
    await(files.delete(bob, before.id()));
    assertThat(read(await(files.open(alice, file.id())))).isEqualTo(data);
  }

  @Test
  void limitsAndRolesAreCheckedAtCreation() {
    reopen(FileStoreOptions.defaults(root).withMaxFileBytes(1000));
    assertThat(codeOf(awaitFailure(uploads().create(alice, 1001, new NewFile("x", null, null)))))
        .isEqualTo(FileStore.TOO_LARGE);
    assertThat(awaitFailure(uploads().create(alice, -1, new NewFile("x", null, null))))
        .isInstanceOf(dev.homelab.core.ValidationException.class);
    assertThat(awaitFailure(uploads().create(viewer, 10, new NewFile("x", null, null))))
        .isInstanceOf(ForbiddenException.class);
    assertThat(filesUnder("uploads")).isEmpty();
  }

  @Test
  void anotherUsersUploadIsNotFound() {
    UploadSession session = create(alice, 100);
    for (Future<?> attempt :
        List.of(
            uploads().get(bob, session.id()),
            append(bob, session, 0, bytes(10, 23)),
            uploads().terminate(bob, session.id()),
            uploads().get(alice, "not-an-id"),
            uploads().get(alice, "01234567-89ab-7def-8123-456789abcdef"))) {
      Throwable failure = awaitFailure(attempt);
      assertThat(failure).isInstanceOf(NotFoundException.class);
      assertThat(codeOf(failure)).isEqualTo(ResumableUploads.NOT_FOUND);
    }
    assertThat(await(uploads().get(alice, session.id())).offset()).isZero();
    assertThat(await(uploads().get(admin, session.id())).ownerId()).isEqualTo(alice.userId());
    assertThat(awaitFailure(append(viewer, session, 0, bytes(10, 24))))
        .isInstanceOf(ForbiddenException.class);
  }

  @Test
  void anUploadAnAdministratorCompletesBecomesItsOwnersFile() {
    // Administrators may feed any upload; the file is still the one of the user who created it.
    byte[] data = bytes(100, 25);
    UploadSession session = create(alice, data.length);
    await(append(alice, session, 0, Arrays.copyOfRange(data, 0, 60)));
    UploadSession done = await(append(admin, session, 60, Arrays.copyOfRange(data, 60, 100)));

    StoredFile file = await(files.get(alice, done.fileId()));
    assertThat(file.ownerId()).isEqualTo(alice.userId());
    assertThat(file.sha256()).isEqualTo(sha256(data));
  }

  @Test
  void aPartialFileThatLostBytesIsNeverCompletedWithAHole() throws IOException {
    UploadSession session = create(alice, 100);
    await(append(alice, session, 0, bytes(50, 25)));
    Files.write(partial(session), bytes(20, 26));
    assertThat(awaitFailure(append(alice, session, 50, bytes(50, 27)))).isNotNull();
    assertThat(await(files.list(alice, FileQuery.first())).items()).isEmpty();
  }
}
