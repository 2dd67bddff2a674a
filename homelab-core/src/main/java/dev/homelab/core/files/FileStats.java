package dev.homelab.core.files;

import io.vertx.core.json.JsonObject;

/**
 * Storage statistics of the files an actor may see.
 *
 * @param count how many files
 * @param bytes the sum of their sizes
 * @param storedBytes the bytes their distinct contents take on disk
 * @param usedBytes the sum of the sizes of the actor's own files, what a quota counts
 * @param quotaBytes the actor's quota, or {@code null} if there is none
 * @param diskFreeBytes the space left on the store's disk
 * @param diskTotalBytes the size of the store's disk
 */
public record FileStats(
    long count,
    long bytes,
    long storedBytes,
    long usedBytes,
    Long quotaBytes,
    long diskFreeBytes,
    long diskTotalBytes) {

  /**
   * @return the bytes deduplication saves among these files
   */
  public long savedBytes() {
    return bytes - storedBytes;
  }

  /**
   * @return the wire form of {@code GET /api/files/stats}
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("count", count)
        .put("bytes", bytes)
        .put("stored_bytes", storedBytes)
        .put("saved_bytes", savedBytes())
        .put("used_bytes", usedBytes)
        .put("quota_bytes", quotaBytes)
        .put("disk_free_bytes", diskFreeBytes)
        .put("disk_total_bytes", diskTotalBytes);
  }
}
