package dev.homelab.core.files;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.store.sqlite.SqliteTestAccess;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A full disk, for real: the store's root is a 4 MiB tmpfs mounted for this class. Mounting needs
 * root (or CAP_SYS_ADMIN); where it is refused the class is skipped, saying so.
 */
class DiskFullTest extends FilesFixture {

  private static final int MIB = 1024 * 1024;
  private static Path mount;

  @BeforeAll
  static void mountSmallDisk() throws IOException, InterruptedException {
    mount = Files.createTempDirectory("homelab-full-disk");
    String result =
        run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", mount.toString());
    Assumptions.assumeTrue(
        result == null,
        "a 4 MiB tmpfs could not be mounted for the disk-full test (it needs root or"
            + " CAP_SYS_ADMIN): "
            + result);
  }

  @AfterAll
  static void unmount() throws IOException, InterruptedException {
    if (mount != null) {
      run("umount", mount.toString());
      try (Stream<Path> walk = Files.walk(mount)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Runs a command; returns null on success, else what it printed. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return String.join(" ", command) + " did not finish in 30 s";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output.strip();
  }

  @Override
  protected StorageOptions freshDatabase() {
    return new StorageOptions().setSqlitePath(dir.resolve("db/homelab.db").toString());
  }

  @Override
  protected Pool pool(Storage storage) {
    return SqliteTestAccess.writer(storage);
  }

  @Override
  FileStoreOptions options(Path ignored) {
    // The root is the small disk, not the test's temporary directory.
    return FileStoreOptions.defaults(mount.resolve("store"));
  }

  @Override
  @BeforeEach
  void open() {
    super.open();
    root = mount.resolve("store");
  }

  @AfterEach
  void wipe() throws IOException {
    // The disk outlives a test; the next one starts with it empty.
    try (Stream<Path> walk = Files.walk(mount.resolve("store"))) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static void assertDiskFull(Throwable failure) {
    assertThat(failure).isInstanceOf(HomelabException.class);
    assertThat(((HomelabException) failure).kind()).isEqualTo(ErrorKind.INSUFFICIENT_STORAGE);
    assertThat(codeOf(failure)).isEqualTo(FileStore.INSUFFICIENT_STORAGE);
    assertThat(failure.getMessage()).doesNotContain(mount.toString());
  }

  @Test
  void aFullDiskFailsTheUploadCleanlyAndFreedSpaceIsUsableAgain() {
    byte[] existing = bytes(MIB, 1);
    StoredFile kept = await(upload(alice, "kept.bin", existing));
    long freeBefore = await(files.stats(alice)).diskFreeBytes();

    byte[] tooBig = bytes(5 * MIB, 2);
    assertDiskFull(awaitFailure(upload(alice, "too big.bin", tooBig)));
    assertThat(await(files.list(alice, FileQuery.first())).items()).containsExactly(kept);
    assertThat(filesUnder("tmp")).isEmpty();
    assertThat(filesUnder("blobs")).hasSize(1);
    assertThat(await(storage.files().blobExists(sha256(tooBig)))).isFalse();
    assertThat(read(await(files.open(alice, kept.id())))).isEqualTo(existing);
    // The space of the removed temporary file is free again: no descriptor keeps it.
    assertThat(await(files.stats(alice)).diskFreeBytes()).isEqualTo(freeBefore);

    byte[] next = bytes(MIB, 3);
    StoredFile after = await(upload(alice, "after.bin", next));
    assertThat(read(await(files.open(alice, after.id())))).isEqualTo(next);
    assertThat(read(await(files.open(alice, kept.id())))).isEqualTo(existing);
  }

  @Test
  void aClientStillSendingIsToldAtOnceThatTheDiskIsFull() {
    for (int i = 0; i < 3; i++) {
      await(upload(alice, "filler " + i, bytes(MIB, 10 + i)));
    }
    // The body is not over when the disk fills, and never has much waiting for the disk (the
    // writer would pause it): the failure must not wait for its end.
    ChunkStream stillSending = ChunkStream.open(vertx, split(bytes(2 * MIB, 7), 32));
    try {
      assertDiskFull(
          awaitFailure(files.upload(alice, new NewFile("endless", null, null), stillSending)));
      assertThat(filesUnder("tmp")).isEmpty();
      assertThat(await(files.list(alice, FileQuery.first())).items()).hasSize(3);
    } finally {
      stillSending.end();
    }
  }

  @Test
  void aFullDiskFailsAResumableChunkAndKeepsTheUploadWhereItWas() throws IOException {
    UploadSession session =
        await(files.uploads().create(alice, 6L * MIB, new NewFile("big", null, List.of())));
    byte[] first = bytes(MIB, 4);
    await(
        files
            .uploads()
            .append(alice, session.id(), 0, ChunkStream.of(vertx, split(first, 2)), null));
    long freeBefore = await(files.stats(alice)).diskFreeBytes();

    Throwable failure =
        awaitFailure(
            files
                .uploads()
                .append(
                    alice,
                    session.id(),
                    MIB,
                    ChunkStream.of(vertx, split(bytes(5 * MIB, 5), 10)),
                    null));
    assertDiskFull(failure);
    assertThat(await(files.uploads().get(alice, session.id())).offset()).isEqualTo(MIB);
    assertThat(Files.size(root.resolve("uploads").resolve(session.id()))).isEqualTo(MIB);
    assertThat(await(files.stats(alice)).diskFreeBytes()).isEqualTo(freeBefore);

    await(files.uploads().terminate(alice, session.id()));
    assertThat(filesUnder("uploads")).isEmpty();
    byte[] small = bytes(MIB, 6);
    UploadSession again =
        await(files.uploads().create(alice, small.length, new NewFile("small", null, List.of())));
    UploadSession done =
        await(files.uploads().append(alice, again.id(), 0, ChunkStream.of(vertx, small), null));
    assertThat(read(await(files.open(alice, done.fileId())))).isEqualTo(small);
  }
}
