package dev.homelab.client.system;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The store and the metrics tiers, as {@code GET /api/system/storage} answers.
 *
 * @param databaseKind {@code sqlite} or {@code postgresql}
 * @param schemaVersion the database schema's version
 * @param databaseSizeBytes the database's size on disk
 * @param dataDir the file system of the server's data directory
 * @param metricSeries how many metric series have been written
 * @param deletedMetricRows metric rows deleted by retention since the server started
 * @param tiers the metrics tiers, finest first
 * @param leader whether the answering instance is the one that collects metrics, rolls them up and
 *     enforces their retention (of several instances sharing a database, exactly one is)
 */
public record StorageInfo(
    String databaseKind,
    String schemaVersion,
    long databaseSizeBytes,
    DiskSpace dataDir,
    int metricSeries,
    long deletedMetricRows,
    List<MetricTier> tiers,
    boolean leader) {

  /**
   * @param total bytes in all
   * @param used bytes in use
   * @param free bytes free
   * @param percent used, 0 to 100
   */
  public record DiskSpace(long total, long used, long free, double percent) {}

  /**
   * @param name the tier, for example {@code 5m}
   * @param bucketSeconds its bucket width; 0 for raw points
   * @param retentionSeconds how long it keeps data
   * @param rolledUpTo everything before this is rolled up into the tier; {@code null} for raw or
   *     before the first roll-up
   * @param lagSeconds how far the roll-up is behind; {@code null} for raw
   */
  public record MetricTier(
      String name,
      long bucketSeconds,
      long retentionSeconds,
      Instant rolledUpTo,
      Long lagSeconds) {}

  /**
   * @param json the server's JSON
   * @return the storage figures
   */
  public static StorageInfo fromJson(JsonObject json) {
    JsonObject db = json.getJsonObject("database", new JsonObject());
    JsonObject disk = json.getJsonObject("data_dir", new JsonObject());
    JsonObject metrics = json.getJsonObject("metrics", new JsonObject());
    List<MetricTier> tiers = new ArrayList<>();
    for (Object o : metrics.getJsonArray("tiers", new JsonArray())) {
      JsonObject t = (JsonObject) o;
      tiers.add(
          new MetricTier(
              t.getString("name"),
              t.getLong("bucket_seconds", 0L),
              t.getLong("retention_seconds", 0L),
              JsonFields.instant(t, "rolled_up_to"),
              t.getLong("lag_seconds")));
    }
    return new StorageInfo(
        db.getString("kind"),
        db.getString("schema_version"),
        db.getLong("size_bytes", 0L),
        new DiskSpace(
            disk.getLong("total", 0L),
            disk.getLong("used", 0L),
            disk.getLong("free", 0L),
            JsonFields.number(disk, "percent")),
        metrics.getInteger("series", 0),
        metrics.getLong("deleted_rows", 0L),
        List.copyOf(tiers),
        metrics.getBoolean("leader", false));
  }
}
