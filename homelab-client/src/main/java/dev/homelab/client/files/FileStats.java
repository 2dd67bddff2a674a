package dev.homelab.client.files;

import io.vertx.core.json.JsonObject;

/**
 * What {@code GET /api/files/stats} reports: the files the caller may see, what deduplication saves
 * on them, the caller's quota and the disk they are stored on.
 *
 * @param count how many files
 * @param bytes the sum of their sizes
 * @param storedBytes the bytes of the distinct contents behind them, each stored once
 * @param savedBytes {@code bytes - storedBytes}: what deduplication saves
 * @param quotaBytes the caller's quota, or {@code null} if there is none
 * @param usedBytes the sizes of the caller's own files, which is what the quota counts
 * @param diskFreeBytes free space on the storage disk
 * @param diskTotalBytes size of the storage disk
 */
public record FileStats(
    long count,
    long bytes,
    long storedBytes,
    long savedBytes,
    Long quotaBytes,
    long usedBytes,
    long diskFreeBytes,
    long diskTotalBytes) {

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json the response body
   * @return the stats
   */
  public static FileStats fromJson(JsonObject json) {
    return new FileStats(
        json.getLong("count", 0L),
        json.getLong("bytes", 0L),
        json.getLong("stored_bytes", 0L),
        json.getLong("saved_bytes", 0L),
        json.getLong("quota_bytes"),
        json.getLong("used_bytes", 0L),
        json.getLong("disk_free_bytes", 0L),
        json.getLong("disk_total_bytes", 0L));
  }

  /**
   * @return the JSON the server sends
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("count", count)
        .put("bytes", bytes)
        .put("stored_bytes", storedBytes)
        .put("saved_bytes", savedBytes)
        .put("quota_bytes", quotaBytes)
        .put("used_bytes", usedBytes)
        .put("disk_free_bytes", diskFreeBytes)
        .put("disk_total_bytes", diskTotalBytes);
  }
}
