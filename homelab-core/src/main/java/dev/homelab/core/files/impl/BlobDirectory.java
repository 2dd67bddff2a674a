package dev.homelab.core.files.impl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The layout of the store's root. Every name under it is made here from a hash or a generated id,
 * never from anything a user sent, so no upload can write outside the root:
 *
 * <pre>
 * blobs/ab/cd/abcd...   the content with SHA-256 abcd..., read-only once in place
 * tmp/&lt;uuid&gt;.part      an upload being received and hashed
 * uploads/&lt;id&gt;         the bytes of a resumable upload received so far
 * </pre>
 *
 * <p>The methods block: they run on the store's worker threads.
 */
public final class BlobDirectory {

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f-]{36}");

  private final Path root;
  private final Path blobs;
  private final Path tmp;
  private final Path uploads;

  /**
   * Creates the directories if they are missing.
   *
   * @param root the store's root
   * @throws IOException if they cannot be created
   */
  public BlobDirectory(Path root) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.blobs = this.root.resolve("blobs");
    this.tmp = this.root.resolve("tmp");
    this.uploads = this.root.resolve("uploads");
    Files.createDirectories(blobs);
    Files.createDirectories(tmp);
    Files.createDirectories(uploads);
  }

  /**
   * @return the root
   */
  public Path root() {
    return root;
  }

  /**
   * @return the directory of blobs
   */
  public Path blobs() {
    return blobs;
  }

  /**
   * @return the directory of temporary files
   */
  public Path tmp() {
    return tmp;
  }

  /**
   * @return the directory of resumable uploads
   */
  public Path uploads() {
    return uploads;
  }

  /**
   * @param sha256 a content hash, lower-case hex
   * @return where that content is kept
   */
  public Path blob(String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    return blobs.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
  }

  /**
   * @param path a file under {@link #blobs()}
   * @return its hash if its name is one, else {@code null}
   */
  public static String shaOf(Path path) {
    String name = path.getFileName().toString();
    return SHA256.matcher(name).matches() ? name : null;
  }

  /**
   * @return a new temporary file's path (not created)
   */
  public Path newTemp() {
    return tmp.resolve(UUID.randomUUID() + ".part");
  }

  /**
   * @param uploadId a resumable upload's id
   * @return where its bytes are kept
   */
  public Path upload(String uploadId) {
    if (!UPLOAD_ID.matcher(uploadId).matches()) {
      throw new IllegalArgumentException("not an upload id: " + uploadId);
    }
    return uploads.resolve(uploadId);
  }

  /**
   * Puts a hashed temporary file in place as the blob of its hash, or drops it if the blob is
   * already there (same hash, same bytes). The rename is atomic, and the directory is synced so
   * that the blob survives a crash once the caller commits the row that points to it.
   *
   * @param staged the temporary file, synced
   * @param sha256 its hash
   * @return whether the blob was new
   * @throws IOException if the move fails
   */
  public boolean place(Path staged, String sha256) throws IOException {
    return place(staged, sha256, false);
  }

  /**
   * Puts a hashed file in place as the blob of its hash, like {@link #place(Path, String)}, but can
   * leave the source where it is: a finished resumable upload keeps its bytes until the file that
   * is made of them is committed, so that a failed commit (a quota, a full disk) can be retried.
   * The blob is then a second link to the same bytes (or, where links are not supported, a copy
   * moved in atomically), never a partial file.
   *
   * @param source the file, synced
   * @param sha256 its hash
   * @param keepSource whether the source stays where it is
   * @return whether the blob was new
   * @throws IOException if the move, link or copy fails
   */
  public boolean place(Path source, String sha256, boolean keepSource) throws IOException {
    Path target = blob(sha256);
    if (Files.exists(target)) {
      // The same work as a new blob (one timestamp, one directory sync), so that how long an
      // upload takes does not tell whether someone already stored these bytes.
      if (!keepSource) {
        Files.deleteIfExists(source);
      }
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
      syncDirectory(source.getParent());
      return false;
    }
    createSynced(target.getParent());
    if (!keepSource) {
      Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    } else {
      try {
        Files.createLink(target, source);
      } catch (UnsupportedOperationException | FileSystemException noLinks) {
        if (noLinks instanceof FileSystemException f && DiskErrors.isDiskFull(f)) {
          throw f;
        }
        Path copy = newTemp();
        try {
          Files.copy(source, copy);
          try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
            channel.force(true);
          }
          Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(copy);
        }
      }
    }
    // A rename keeps the time the upload started; the sweeper must see a new blob as new.
    Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
    syncDirectory(target.getParent());
    return true;
  }

  /**
   * Creates a fan-out directory and its parent if missing, syncing the directory each new one is
   * entered in: the blob's own directory entry is synced after the move, and these make the path to
   * it survive a power cut as well.
   */
  private void createSynced(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    createSynced(dir.getParent());
    Files.createDirectories(dir);
    syncDirectory(dir.getParent());
  }

  /**
   * Makes a directory's entries durable (a rename or a new file in it).
   *
   * @param dir the directory
   * @throws IOException if it cannot be synced
   */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
