package dev.homelab.client.files;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * How an upload goes: the tags of the new files, who hears its progress and, for a resumable (tus)
 * upload, the size of each {@code PATCH} and how it retries. Start from {@link #create()}; each
 * {@code with...} method returns a new value.
 *
 * @param tags the tags every uploaded file gets: 0 to 32, each 1 to 64 letters, digits, spaces or
 *     {@code _ . : -}; the server lower-cases them; unmodifiable
 * @param progress hears the bytes sent so far
 * @param chunkSize the most bytes one tus {@code PATCH} carries, each with its own SHA-256 checksum
 *     (default 8 MiB); the server keeps a checksummed chunk whole or not at all, so a chunk cut by
 *     a failure is sent again whole: a smaller chunk loses less to a failure, a larger one costs
 *     fewer requests
 * @param maxRetries how many failures in a row a resumable upload survives (default 5): a dropped
 *     connection, a 5xx answer other than 507, a checksum the server found wrong, or an offset or
 *     lock conflict; after each it asks the server for its offset and goes on from there. Any chunk
 *     that goes through starts the count again
 * @param retryDelay the wait before the first retry (default 500 ms), doubled for each further one,
 *     at most 30 seconds
 */
public record UploadOptions(
    List<String> tags,
    TransferListener progress,
    int chunkSize,
    int maxRetries,
    Duration retryDelay) {

  /** The default {@link #chunkSize()}: 8 MiB. */
  public static final int DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024;

  private static final UploadOptions DEFAULTS =
      new UploadOptions(
          List.of(), TransferListener.NONE, DEFAULT_CHUNK_SIZE, 5, Duration.ofMillis(500));

  /**
   * Checks and copies the fields.
   *
   * @param tags the tags, or {@code null} for none
   * @param progress the listener, or {@code null} for none
   * @param chunkSize the most bytes per tus {@code PATCH}, at least 1
   * @param maxRetries failures in a row survived, 0 or more
   * @param retryDelay the first wait, not negative
   */
  public UploadOptions {
    tags = tags == null ? List.of() : List.copyOf(tags);
    progress = progress == null ? TransferListener.NONE : progress;
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be at least 1");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative");
    }
    Objects.requireNonNull(retryDelay, "retryDelay");
    if (retryDelay.isNegative()) {
      throw new IllegalArgumentException("retryDelay must not be negative");
    }
  }

  /**
   * @return no tags, no listener, 8 MiB chunks, 5 retries from 500 ms on
   */
  public static UploadOptions create() {
    return DEFAULTS;
  }

  /**
   * @param tags the tags every uploaded file gets
   * @return a copy with those tags
   */
  public UploadOptions withTags(Collection<String> tags) {
    return new UploadOptions(List.copyOf(tags), progress, chunkSize, maxRetries, retryDelay);
  }

  /**
   * @param tags the tags every uploaded file gets
   * @return a copy with those tags
   */
  public UploadOptions withTags(String... tags) {
    return withTags(List.of(tags));
  }

  /**
   * @param progress hears the bytes sent so far
   * @return a copy with that listener
   */
  public UploadOptions withProgress(TransferListener progress) {
    return new UploadOptions(tags, progress, chunkSize, maxRetries, retryDelay);
  }

  /**
   * @param chunkSize the most bytes one tus {@code PATCH} carries, at least 1
   * @return a copy with that chunk size
   */
  public UploadOptions withChunkSize(int chunkSize) {
    return new UploadOptions(tags, progress, chunkSize, maxRetries, retryDelay);
  }

  /**
   * @param maxRetries how many failures in a row a resumable upload survives
   * @param retryDelay the wait before the first retry, doubled for each further one
   * @return a copy with that retry policy
   */
  public UploadOptions withRetries(int maxRetries, Duration retryDelay) {
    return new UploadOptions(tags, progress, chunkSize, maxRetries, retryDelay);
  }
}
