package dev.homelab.core.files;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link FileStore} is set up.
 *
 * @param root the directory that holds the blobs, temporary files and resumable uploads
 * @param maxFileBytes the largest file accepted, in bytes
 * @param quotaBytes the most bytes each user's files may hold together, 0 for no limit
 * @param uploadExpiry how long an unfinished resumable upload is kept after its last chunk
 * @param orphanGrace how old a temporary file or a blob without a row must be before the sweeper
 *     removes it (an upload of another instance sharing the root may still be moving it in)
 * @param workerThreads how many threads write and hash uploads
 */
public record FileStoreOptions(
    Path root,
    long maxFileBytes,
    long quotaBytes,
    Duration uploadExpiry,
    Duration orphanGrace,
    int workerThreads) {

  /** The largest file by default: 10 GiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 10L * 1024 * 1024 * 1024;

  /** Checks the components. */
  public FileStoreOptions {
    Objects.requireNonNull(root, "root");
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException("maxFileBytes must be positive");
    }
    if (quotaBytes < 0) {
      throw new IllegalArgumentException("quotaBytes must be 0 (none) or positive");
    }
    Objects.requireNonNull(uploadExpiry, "uploadExpiry");
    Objects.requireNonNull(orphanGrace, "orphanGrace");
    if (workerThreads < 1) {
      throw new IllegalArgumentException("workerThreads must be positive");
    }
  }

  /**
   * @param root the store's directory
   * @return the defaults: 10 GiB files, no quota, uploads kept 24 h, orphans removed after 1 h, 4
   *     worker threads
   */
  public static FileStoreOptions defaults(Path root) {
    return new FileStoreOptions(
        root, DEFAULT_MAX_FILE_BYTES, 0, Duration.ofHours(24), Duration.ofHours(1), 4);
  }

  /**
   * @param bytes the largest file
   * @return these options with another limit
   */
  public FileStoreOptions withMaxFileBytes(long bytes) {
    return new FileStoreOptions(root, bytes, quotaBytes, uploadExpiry, orphanGrace, workerThreads);
  }

  /**
   * @param bytes the per-user quota, 0 for none
   * @return these options with another quota
   */
  public FileStoreOptions withQuotaBytes(long bytes) {
    return new FileStoreOptions(
        root, maxFileBytes, bytes, uploadExpiry, orphanGrace, workerThreads);
  }

  /**
   * @param expiry how long unfinished uploads are kept
   * @return these options with another expiry
   */
  public FileStoreOptions withUploadExpiry(Duration expiry) {
    return new FileStoreOptions(root, maxFileBytes, quotaBytes, expiry, orphanGrace, workerThreads);
  }

  /**
   * @param grace the age of an orphan the sweeper removes
   * @return these options with another grace
   */
  public FileStoreOptions withOrphanGrace(Duration grace) {
    return new FileStoreOptions(root, maxFileBytes, quotaBytes, uploadExpiry, grace, workerThreads);
  }
}
