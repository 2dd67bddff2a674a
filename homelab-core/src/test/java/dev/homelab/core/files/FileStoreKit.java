package dev.homelab.core.files;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.Transactional;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.store.Storage;
import dev.homelab.core.testing.FailingAudit;
import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link FileStore} on a real database and a real directory: a subclass supplies the engine. */
abstract class FileStoreKit extends FilesFixture {

  @Test
  void anUploadFromAnAsyncFileIsStoredUnderItsHash() throws IOException {
    byte[] data = bytes(3 * 1024 * 1024 + 17, 1);
    Path source = dir.resolve("source.bin");
    Files.write(source, data);
    AsyncFile body =
        await(vertx.fileSystem().open(source.toString(), new OpenOptions().setRead(true)));

    StoredFile file =
        await(
            files.upload(
                alice,
                new NewFile("../photos/Holiday 🙂.JPG", "Image/JPEG", List.of("Photos", "2026")),
                body));

    assertThat(file.ownerId()).isEqualTo(alice.userId());
    assertThat(file.filename()).isEqualTo("Holiday 🙂.JPG");
    assertThat(file.contentType()).isEqualTo("image/jpeg");
    assertThat(file.tags()).containsExactly("2026", "photos");
    assertThat(file.size()).isEqualTo(data.length);
    assertThat(file.sha256()).isEqualTo(sha256(data));
    assertThat(file.createdAt()).isEqualTo(clock.instant()).isEqualTo(file.updatedAt());

    FileContent content = await(files.open(alice, file.id()));
    assertThat(content.file()).isEqualTo(file);
    assertThat(content.blob())
        .isEqualTo(
            root.resolve("blobs")
                .resolve(file.sha256().substring(0, 2))
                .resolve(file.sha256().substring(2, 4))
                .resolve(file.sha256()));
    assertThat(read(content)).isEqualTo(data);
    assertThat(await(files.get(alice, file.id()))).isEqualTo(file);
    assertThat(await(files.list(alice, new FileQuery("photos", null, 10, null))).items())
        .containsExactly(file);
    assertThat(filesUnder("tmp")).isEmpty();

    Event created = nextEvent();
    assertThat(created.topic()).isEqualTo(FileStore.TOPIC);
    assertThat(created.visibility()).isEqualTo(Visibility.owner(alice.userId()));
    assertThat(created.payload().getString("change")).isEqualTo("created");
    assertThat(created.payload().getJsonObject("file")).isEqualTo(file.toJson());

    List<AuditEntry> audit = await(storage.audit().list(AuditQuery.newest())).items();
    assertThat(audit).extracting(AuditEntry::action).containsExactly("file.uploaded");
    assertThat(audit.get(0).target()).isEqualTo("file:" + file.id());
    assertThat(audit.get(0).actorId()).isEqualTo(alice.userId());
  }

  @Test
  void theNameSearchTakesWildcardsQuotesAndBackslashesAsText() {
    List<String> names =
        List.of(
            "100% done.txt",
            "100 done.txt",
            "a_b.txt",
            "axb.txt",
            "it's.txt",
            "its.txt",
            "back slash.txt",
            "Quote\".txt");
    for (int i = 0; i < names.size(); i++) {
      await(upload(alice, names.get(i), bytes(10, 100 + i)));
    }
    Map<String, List<String>> found = new LinkedHashMap<>();
    for (String q :
        List.of(
            "%",
            "_", "'", "\\", "\\%", "\\_", "\"", "a_b", "0%", "% d", "'; drop table files; --")) {
      found.put(
          q,
          await(files.list(alice, new FileQuery(null, q, 50, null))).items().stream()
              .map(StoredFile::filename)
              .sorted()
              .toList());
    }
    assertThat(found)
        .containsEntry("%", List.of("100% done.txt"))
        .containsEntry("_", List.of("a_b.txt"))
        .containsEntry("'", List.of("it's.txt"))
        // No name holds a backslash (it separates folders, as a slash does): a backslash in the
        // search is a character like any other, never an escape of what follows.
        .containsEntry("\\", List.of())
        .containsEntry("\\%", List.of())
        .containsEntry("\\_", List.of())
        .containsEntry("\"", List.of("Quote\".txt"))
        .containsEntry("a_b", List.of("a_b.txt"))
        .containsEntry("0%", List.of("100% done.txt"))
        .containsEntry("% d", List.of("100% done.txt"))
        .containsEntry("'; drop table files; --", List.of());
    assertThat(await(files.list(alice, FileQuery.first())).items()).hasSize(names.size());
  }

  @Test
  void theSameBytesAreStoredOnceAndTheBlobGoesWithTheLastFile() {
    byte[] data = bytes(100_000, 2);
    StoredFile first = await(upload(alice, "a.bin", data));
    StoredFile again = await(upload(alice, "copy of a.bin", data));
    StoredFile bobs = await(upload(bob, "mine.bin", data));
    assertThat(List.of(first.id(), again.id(), bobs.id())).doesNotHaveDuplicates();
    assertThat(List.of(first.sha256(), again.sha256(), bobs.sha256())).containsOnly(sha256(data));
    String blob =
        "blobs/"
            + sha256(data).substring(0, 2)
            + "/"
            + sha256(data).substring(2, 4)
            + "/"
            + sha256(data);
    assertThat(filesUnder("blobs")).containsExactly(blob);
    assertThat(await(storage.files().totals(OwnerFilter.any())).count()).isEqualTo(3);

    await(files.delete(alice, first.id()));
    assertThat(filesUnder("blobs")).containsExactly(blob);
    assertThat(read(await(files.open(alice, again.id())))).isEqualTo(data);
    await(files.delete(alice, again.id()));
    assertThat(filesUnder("blobs")).as("bob's file still points to it").containsExactly(blob);
    assertThat(read(await(files.open(bob, bobs.id())))).isEqualTo(data);
    await(files.delete(bob, bobs.id()));
    assertThat(filesUnder("blobs")).isEmpty();
    assertThat(await(storage.files().blobExists(sha256(data)))).isFalse();

    StoredFile back = await(upload(bob, "back.bin", data));
    assertThat(read(await(files.open(bob, back.id())))).isEqualTo(data);
    assertThat(filesUnder("tmp")).isEmpty();
  }

  @Test
  void aDeleteRacingAnUploadOfTheSameBytesNeverLosesTheNewFile() {
    // The delete of the last file removes the blob; an upload of the same bytes at the same time
    // either reuses the blob before that (and keeps it) or puts its own copy after.
    for (int round = 0; round < 8; round++) {
      byte[] data = bytes(50_000, 100 + round);
      StoredFile old = await(upload(alice, "old", data));
      Future<StoredFile> deleted = files.delete(alice, old.id());
      Future<StoredFile> uploaded = upload(bob, "new", data);
      await(deleted);
      StoredFile fresh = await(uploaded);
      assertThat(read(await(files.open(bob, fresh.id())))).as("round %d", round).isEqualTo(data);
      await(files.delete(bob, fresh.id()));
    }
    assertThat(filesUnder("blobs")).isEmpty();
    assertThat(filesUnder("tmp")).isEmpty();
  }

  @Test
  void aViewerReadsButCannotUploadOrChange() {
    StoredFile file = await(upload(alice, "a.txt", bytes(10, 3)));
    ChunkStream body = ChunkStream.of(vertx, bytes(10, 4));
    assertThat(awaitFailure(files.upload(viewer, new NewFile("v.txt", null, null), body)))
        .isInstanceOf(ForbiddenException.class);
    assertThat(awaitFailure(files.stage(viewer, ChunkStream.of(vertx, bytes(1, 1)))))
        .isInstanceOf(ForbiddenException.class);
    assertThat(awaitFailure(files.update(viewer, file.id(), new FilePatch("x", null))))
        .isInstanceOf(ForbiddenException.class);
    assertThat(awaitFailure(files.delete(viewer, file.id())))
        .isInstanceOf(ForbiddenException.class);
    assertThat(await(files.list(viewer, FileQuery.first())).items()).isEmpty();
    assertThat(await(files.stats(viewer)).count()).isZero();
    assertThat(body.delivered()).as("nothing of a refused upload is read").isZero();
    assertThat(await(files.get(alice, file.id()))).isEqualTo(file);
  }

  @Test
  void anotherUsersFileIsNotFoundLikeAMissingOne() {
    StoredFile file = await(upload(alice, "secret.txt", bytes(10, 5)));
    for (Future<?> attempt :
        List.of(
            files.get(bob, file.id()),
            files.open(bob, file.id()),
            files.update(bob, file.id(), new FilePatch("mine now", null)),
            files.update(bob, file.id(), new FilePatch(null, null)),
            files.delete(bob, file.id()),
            files.get(alice, "00000000-0000-7000-8000-000000000000"),
            files.get(alice, "../../etc/passwd"),
            files.delete(alice, null))) {
      Throwable failure = awaitFailure(attempt);
      assertThat(failure).isInstanceOf(NotFoundException.class);
      assertThat(codeOf(failure)).isEqualTo(FileStore.NOT_FOUND);
    }
    assertThat(await(files.list(bob, FileQuery.first())).items()).isEmpty();
    assertThat(await(files.get(alice, file.id()))).isEqualTo(file);
    // An administrator sees and changes every file.
    assertThat(await(files.list(admin, FileQuery.first())).items()).containsExactly(file);
    assertThat(await(files.update(admin, file.id(), new FilePatch("renamed", null))).filename())
        .isEqualTo("renamed");
    await(files.delete(admin, file.id()));
    assertThat(failureCode(files.get(alice, file.id()))).isEqualTo(FileStore.NOT_FOUND);
  }

  @Test
  void anUpdateRenamesAndRetagsAtTheStoresClockAndIsPublished() {
    StoredFile file = await(upload(alice, "draft.txt", bytes(10, 6), "wip"));
    assertThat(nextEvent().payload().getString("change")).isEqualTo("created");
    clock.advance(Duration.ofMinutes(5));

    StoredFile updated =
        await(files.update(alice, file.id(), new FilePatch("../final.txt", List.of("Done"))));
    assertThat(updated.filename()).isEqualTo("final.txt");
    assertThat(updated.tags()).containsExactly("done");
    assertThat(updated.createdAt()).isEqualTo(file.createdAt());
    assertThat(updated.updatedAt()).isEqualTo(clock.instant());
    assertThat(await(files.update(alice, file.id(), new FilePatch(null, null)))).isEqualTo(updated);
    Event event = nextEvent();
    assertThat(event.payload().getString("change")).isEqualTo("updated");
    assertThat(event.payload().getJsonObject("file")).isEqualTo(updated.toJson());

    await(files.delete(alice, file.id()));
    Event deleted = nextEvent();
    assertThat(deleted.payload().getString("change")).isEqualTo("deleted");
    assertThat(deleted.payload().getJsonObject("file").getString("id")).isEqualTo(file.id());
    assertThat(deleted.visibility()).isEqualTo(Visibility.owner(alice.userId()));
    assertThat(published).as("nothing else was published").isEmpty();
    assertThat(await(storage.audit().list(AuditQuery.newest())).items())
        .extracting(AuditEntry::action)
        .containsExactly("file.deleted", "file.updated", "file.uploaded");
  }

  @Test
  void aFileLargerThanTheLimitIsRefusedAndLeavesNothing() {
    reopen(FileStoreOptions.defaults(root).withMaxFileBytes(1000));
    Throwable refused =
        awaitFailure(
            files.upload(
                alice,
                new NewFile("big", null, null),
                ChunkStream.of(vertx, split(bytes(1001, 7), 4))));
    assertThat(codeOf(refused)).isEqualTo(FileStore.TOO_LARGE);
    assertThat(await(files.list(alice, FileQuery.first())).items()).isEmpty();
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(filesUnder("blobs")).isEmpty();

    byte[] exactly = bytes(1000, 8);
    assertThat(await(upload(alice, "fits", exactly)).size()).isEqualTo(1000);
    assertThat(filesUnder("tmp")).isEmpty();
  }

  @Test
  void theQuotaCountsTheUsersOwnFilesAndHoldsUnderConcurrentUploads() {
    reopen(FileStoreOptions.defaults(root).withQuotaBytes(1000));
    await(upload(alice, "first", bytes(600, 9)));
    Throwable refused = awaitFailure(upload(alice, "second", bytes(600, 10)));
    assertThat(codeOf(refused)).isEqualTo(FileStore.QUOTA_EXCEEDED);
    assertThat(filesUnder("tmp")).isEmpty();
    // Another user's files count for that user only, even with the same bytes.
    await(upload(bob, "bobs", bytes(600, 9)));
    await(upload(bob, "bobs too", bytes(400, 11)));
    assertThat(await(files.stats(bob)).usedBytes()).isEqualTo(1000);
    assertThat(await(files.stats(bob)).quotaBytes()).isEqualTo(1000L);

    // Two uploads that each fit the room left but not together: both are received, one commits.
    FileStore.Staged one = await(files.stage(alice, ChunkStream.of(vertx, bytes(300, 12))));
    FileStore.Staged two = await(files.stage(alice, ChunkStream.of(vertx, bytes(300, 13))));
    Future<StoredFile> first = files.commit(alice, one, new NewFile("one", null, null));
    Future<StoredFile> second = files.commit(alice, two, new NewFile("two", null, null));
    await(Future.join(first, second).otherwiseEmpty());
    assertThat(List.of(first.succeeded(), second.succeeded()))
        .containsExactlyInAnyOrder(true, false);
    Future<StoredFile> lost = first.succeeded() ? second : first;
    assertThat(codeOf(lost.cause())).isEqualTo(FileStore.QUOTA_EXCEEDED);
    assertThat(await(files.stats(alice)).usedBytes()).isEqualTo(900);
    assertThat(filesUnder("tmp")).isEmpty();
    // Freed space is room again.
    StoredFile firstFile =
        await(files.list(alice, new FileQuery(null, "first", 10, null))).items().get(0);
    await(files.delete(alice, firstFile.id()));
    assertThat(await(upload(alice, "after", bytes(700, 14))).size()).isEqualTo(700);
  }

  @Test
  void aStagedUploadCanBeDiscarded() {
    FileStore.Staged staged = await(files.stage(alice, ChunkStream.of(vertx, bytes(10, 15))));
    assertThat(staged.size()).isEqualTo(10);
    assertThat(staged.sha256()).isEqualTo(sha256(bytes(10, 15)));
    assertThat(filesUnder("tmp")).hasSize(1);
    await(files.discard(staged));
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(await(files.list(alice, FileQuery.first())).items()).isEmpty();
  }

  @Test
  void aSourceThatFailsMidwayLeavesNoRowAndNoTemporaryFile() {
    Throwable failure =
        awaitFailure(
            files.upload(
                alice,
                new NewFile("cut.bin", null, null),
                ChunkStream.failingAfter(
                    vertx, new IOException("connection reset"), bytes(5000, 16), bytes(5000, 17))));
    assertThat(failure).isNotNull();
    assertThat(await(files.list(alice, FileQuery.first())).items()).isEmpty();
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(filesUnder("blobs")).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void aCommitWhoseAuditFailsLeavesNoRowAndTheBytesCanBeUploadedAgain() {
    byte[] data = bytes(20_000, 18);
    FileStore failing =
        await(FileStore.open(vertx, FailingAudit.around(storage), events, clock, files.options()));
    try {
      Throwable failure =
          awaitFailure(
              failing.upload(alice, new NewFile("lost", null, null), ChunkStream.of(vertx, data)));
      assertThat(failure).hasMessageContaining(FailingAudit.MESSAGE);
    } finally {
      failing.close();
    }
    assertThat(await(files.list(alice, FileQuery.first())).items()).isEmpty();
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(await(storage.files().blobExists(sha256(data)))).isFalse();
    StoredFile stored = await(upload(alice, "kept", data));
    assertThat(read(await(files.open(alice, stored.id())))).isEqualTo(data);
  }

  @Test
  void statsCountWhatTheCallerMaySee() {
    byte[] x = bytes(1000, 19);
    await(upload(alice, "x", x));
    await(upload(alice, "x again", x));
    await(upload(alice, "y", bytes(500, 20)));
    FileStats mine = await(files.stats(alice));
    assertThat(mine.count()).isEqualTo(3);
    assertThat(mine.bytes()).isEqualTo(2500);
    assertThat(mine.storedBytes()).isEqualTo(1500);
    assertThat(mine.savedBytes()).isEqualTo(1000);
    assertThat(mine.usedBytes()).isEqualTo(2500);
    assertThat(mine.quotaBytes()).isNull();
    assertThat(mine.diskTotalBytes()).isPositive();
    assertThat(mine.diskFreeBytes()).isPositive().isLessThanOrEqualTo(mine.diskTotalBytes());

    await(upload(bob, "same as alice's x", x));
    FileStats after = await(files.stats(alice));
    assertThat(List.of(after.count(), after.bytes(), after.storedBytes(), after.savedBytes()))
        .as("another user's identical upload changes nothing of mine")
        .isEqualTo(List.of(3L, 2500L, 1500L, 1000L));
    FileStats bobs = await(files.stats(bob));
    assertThat(List.of(bobs.count(), bobs.bytes(), bobs.storedBytes(), bobs.savedBytes()))
        .isEqualTo(List.of(1L, 1000L, 1000L, 0L));
    FileStats all = await(files.stats(admin));
    assertThat(List.of(all.count(), all.bytes(), all.storedBytes(), all.usedBytes()))
        .isEqualTo(List.of(4L, 3500L, 1500L, 0L));
    assertThat(all.toJson().getLong("saved_bytes")).isEqualTo(2000);
  }

  @Test
  void theSweeperRemovesOnlyWhatIsOldAndUnreferenced() throws IOException {
    reopen(FileStoreOptions.defaults(root).withOrphanGrace(Duration.ofHours(1)));
    byte[] kept = bytes(100, 21);
    StoredFile file = await(upload(alice, "kept", kept));
    Path blobOfFile = await(files.open(alice, file.id())).blob();
    age(blobOfFile, Duration.ofDays(2));

    Path oldTemp = Files.write(root.resolve("tmp/crashed.part"), bytes(10, 22));
    age(oldTemp, Duration.ofHours(2));
    Path youngTemp = Files.write(root.resolve("tmp/running.part"), bytes(10, 23));

    // A blob row without a file (an upload that crashed after its commit's first step).
    byte[] rowOnly = bytes(30, 24);
    Path rowOnlyBlob = blobPath(sha256(rowOnly));
    Files.createDirectories(rowOnlyBlob.getParent());
    Files.write(rowOnlyBlob, rowOnly);
    await(storage.files().lockBlob(sha256(rowOnly), rowOnly.length));

    // Blob files without a row: an old one goes, a young one stays.
    byte[] oldOrphan = bytes(40, 25);
    Path oldOrphanBlob = blobPath(sha256(oldOrphan));
    Files.createDirectories(oldOrphanBlob.getParent());
    Files.write(oldOrphanBlob, oldOrphan);
    age(oldOrphanBlob, Duration.ofHours(3));
    byte[] youngOrphan = bytes(50, 26);
    Path youngOrphanBlob = blobPath(sha256(youngOrphan));
    Files.createDirectories(youngOrphanBlob.getParent());
    Files.write(youngOrphanBlob, youngOrphan);

    FileStore.SweepReport report = await(files.sweep());
    assertThat(report.tempFiles()).isEqualTo(1);
    assertThat(report.blobs()).isEqualTo(2);
    assertThat(report.uploads()).isZero();
    assertThat(oldTemp).doesNotExist();
    assertThat(youngTemp).exists();
    assertThat(rowOnlyBlob).doesNotExist();
    assertThat(await(storage.files().blobExists(sha256(rowOnly)))).isFalse();
    assertThat(oldOrphanBlob).doesNotExist();
    assertThat(await(storage.files().blobExists(sha256(oldOrphan))))
        .as("the sweeper's own lock row is gone with the file")
        .isFalse();
    assertThat(youngOrphanBlob).exists();
    assertThat(read(await(files.open(alice, file.id())))).isEqualTo(kept);

    // A second sweep finds nothing more; a later one takes the young orphans once they are old.
    assertThat(await(files.sweep())).isEqualTo(new FileStore.SweepReport(0, 0, 0));
    clock.advance(Duration.ofHours(2));
    assertThat(await(files.sweep())).isEqualTo(new FileStore.SweepReport(1, 1, 0));
    assertThat(youngTemp).doesNotExist();
    assertThat(youngOrphanBlob).doesNotExist();
    assertThat(read(await(files.open(alice, file.id())))).isEqualTo(kept);
  }

  @Test
  void theSweeperNeverRemovesABlobFileThatAnUploadJustReused() throws IOException {
    byte[] data = bytes(3000, 28);
    String sha = sha256(data);
    Path orphan = blobPath(sha);
    Files.createDirectories(orphan.getParent());
    Files.write(orphan, data);
    age(orphan, Duration.ofHours(3));
    // The race, made certain: right after the sweeper found no row for the orphan, an upload of the
    // same bytes finds the file, reuses it and commits.
    List<StoredFile> reused = new ArrayList<>();
    FileRepository real = storage.files();
    FileRepository racing =
        (FileRepository)
            java.lang.reflect.Proxy.newProxyInstance(
                FileRepository.class.getClassLoader(),
                new Class<?>[] {FileRepository.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("knownBlobs") && ((List<?>) args[0]).contains(sha)) {
                    @SuppressWarnings("unchecked")
                    List<String> asked = (List<String>) args[0];
                    return real.knownBlobs(asked)
                        .compose(
                            known ->
                                upload(bob, "same bytes", data)
                                    .andThen(uploaded -> reused.add(uploaded.result()))
                                    .map(known));
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Transactional<FileStore.Repositories> store =
        new Transactional<>() {
          @Override
          public FileStore.Repositories repositories() {
            return withFiles(storage, racing);
          }

          @Override
          public <T> Future<T> inTransaction(
              java.util.function.Function<? super FileStore.Repositories, Future<T>> work) {
            return storage.inTransaction(repos -> work.apply(repos));
          }
        };
    FileStore sweeper = await(FileStore.open(vertx, store, events, clock, files.options()));
    try {
      await(sweeper.sweep());
    } finally {
      sweeper.close();
    }
    assertThat(reused).hasSize(1);
    assertThat(orphan).as("the reused blob").exists();
    assertThat(read(await(files.open(bob, reused.get(0).id())))).isEqualTo(data);
  }

  private static FileStore.Repositories withFiles(Storage storage, FileRepository files) {
    return new FileStore.Repositories() {
      @Override
      public FileRepository files() {
        return files;
      }

      @Override
      public UploadRepository uploads() {
        return storage.uploads();
      }

      @Override
      public ShareRepository shares() {
        return storage.shares();
      }

      @Override
      public dev.homelab.core.audit.AuditRepository audit() {
        return storage.audit();
      }
    };
  }

  @Test
  void aTemporaryFileOfAStagedUploadIsNotSwept() {
    FileStore.Staged staged = await(files.stage(alice, ChunkStream.of(vertx, bytes(10, 27))));
    clock.advance(Duration.ofDays(1));
    assertThat(await(files.sweep()).tempFiles()).isZero();
    StoredFile file = await(files.commit(alice, staged, new NewFile("late", null, null)));
    assertThat(read(await(files.open(alice, file.id())))).isEqualTo(bytes(10, 27));
  }

  @Test
  void hostileFilenamesNeverWriteOutsideTheRoot() throws IOException {
    Path outside = dir.resolve("outside");
    Files.createDirectories(outside.resolve("etc"));
    Files.writeString(outside.resolve("etc/passwd"), "root:x:0:0");
    Map<String, String> before = tree(dir);
    List<String> names =
        List.of(
            "../../outside/etc/passwd",
            "/etc/passwd",
            "..\\..\\outside\\x",
            "..",
            ".",
            "",
            "a\u0000b/../../c",
            "\r\n../evil",
            "blobs/../../x",
            "../tmp/" + "y".repeat(300),
            "~/.ssh/authorized_keys",
            "%2e%2e%2f%2e%2e%2fx",
            "\u202e../gpj.exe");
    List<StoredFile> stored = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      stored.add(await(upload(alice, names.get(i), bytes(64, 200 + i))));
    }
    assertThat(tree(dir)).as("nothing outside the store's root changed").isEqualTo(before);
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(filesUnder("uploads")).isEmpty();
    List<String> expected = new ArrayList<>();
    for (StoredFile file : stored) {
      expected.add(
          "blobs/"
              + file.sha256().substring(0, 2)
              + "/"
              + file.sha256().substring(2, 4)
              + "/"
              + file.sha256());
      assertThat(file.filename())
          .doesNotContain("/", "\\", "\u0000", "\r", "\n")
          .isNotIn("..", ".", "");
    }
    assertThat(filesUnder("blobs")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(stored)
        .extracting(StoredFile::filename)
        .startsWith("passwd", "passwd", "x", "file", "file", "file");
  }

  private Path blobPath(String sha) {
    return root.resolve("blobs")
        .resolve(sha.substring(0, 2))
        .resolve(sha.substring(2, 4))
        .resolve(sha);
  }

  /**
   * Every file and directory under a directory with its content, except the store's root and the
   * database (which the uploads change, as they should).
   */
  private static Map<String, String> tree(Path base) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(base)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String name = base.relativize(p).toString();
        if (name.matches("(store|db)(/.*)?")) {
          continue;
        }
        tree.put(name, Files.isRegularFile(p) ? sha256(Files.readAllBytes(p)) : "dir");
      }
    }
    return tree;
  }
}
