package dev.homelab.core.telemetry;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.MetricQuery;
import dev.homelab.core.metrics.MetricTable;
import dev.homelab.core.metrics.MetricTableQuery;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.SeriesKey;
import dev.homelab.core.metrics.SeriesSelector;
import dev.homelab.core.metrics.Tier;
import dev.homelab.core.metrics.TimeRange;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A device's sensor history, read from the metric tiers the {@link SensorCollector} feeds: one row
 * per bucket of the finest tier that covers the range, with each field's average, reduced to {@code
 * maxPoints} rows with LTTB along the first field.
 *
 * <p>A user reads their own devices, an administrator any; a device that does not exist and one the
 * actor may not see are refused alike (422 naming {@code device_id}).
 */
public final class SensorHistory {

  /** The most fields one query may name: {@value SensorReadings#MAX_FIELDS}. */
  public static final int MAX_FIELDS = SensorReadings.MAX_FIELDS;

  /**
   * A device's history.
   *
   * @param deviceId the device
   * @param range the range read
   * @param tier the tier the rows come from
   * @param fields the fields read, the columns of the rows
   * @param rows one per bucket with a value, oldest first; each has the fields with a value there
   */
  public record Readings(
      String deviceId,
      TimeRange range,
      Tier tier,
      List<String> fields,
      List<MetricTableResult.Row> rows) {

    /** Copies the lists. */
    public Readings {
      fields = List.copyOf(fields);
      rows = List.copyOf(rows);
    }
  }

  private final DeviceRepository devices;
  private final Downsampler downsampler;

  /**
   * @param devices the devices, for who may read what
   * @param downsampler the tiers the readings were fed to
   */
  public SensorHistory(DeviceRepository devices, Downsampler downsampler) {
    this.devices = Objects.requireNonNull(devices, "devices");
    this.downsampler = Objects.requireNonNull(downsampler, "downsampler");
  }

  /**
   * Reads a device's history.
   *
   * @param actor who asks
   * @param deviceId the device
   * @param range the range
   * @param fields the fields to read, or empty for every field the device has sent
   * @param maxPoints at most this many rows; 0 for all
   * @return the history; failed with a {@link ValidationException} naming {@code device_id} for a
   *     device the actor may not see, {@code fields} or {@code max_points}
   */
  public Future<Readings> readings(
      Actor actor, String deviceId, TimeRange range, List<String> fields, int maxPoints) {
    Set<String> asked = new LinkedHashSet<>();
    try {
      try {
        DeviceRegistry.requireId(deviceId);
      } catch (NotFoundException notAnId) {
        throw unknownDevice();
      }
      if (fields.size() > MAX_FIELDS) {
        throw new ValidationException("fields", "at most " + MAX_FIELDS + " fields");
      }
      for (String field : fields) {
        if (!SensorReadings.FIELD.matcher(field).matches()
            || SensorReadings.RESERVED.contains(field)) {
          throw new ValidationException(
              "fields", "fields are names of 1-64 of a-z, 0-9 and _, starting with a letter");
        }
        asked.add(field);
      }
      if (maxPoints < 0 || (maxPoints > 0 && maxPoints < MetricQuery.MIN_MAX_POINTS)) {
        throw new ValidationException(
            "max_points", "max_points must be 0 (all) or at least " + MetricQuery.MIN_MAX_POINTS);
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    OwnerFilter filter = actor.isAdmin() ? OwnerFilter.any() : OwnerFilter.only(actor.userId());
    return devices
        .get(filter, deviceId)
        .compose(
            device ->
                device == null
                    ? Future.failedFuture(unknownDevice())
                    : asked.isEmpty() ? fieldsOf(deviceId) : Future.succeededFuture(asked))
        .compose(
            columns -> {
              if (columns.isEmpty()) {
                return Future.succeededFuture(
                    new Readings(
                        deviceId, range, downsampler.tierFor(range.from()), List.of(), List.of()));
              }
              MetricTable.Builder table = MetricTable.builder();
              for (String field : columns) {
                table.column(
                    field,
                    SeriesSelector.of(SensorCollector.series(field, deviceId)),
                    MetricTable.Combine.SUM);
              }
              MetricTable built = table.primary(columns.iterator().next()).build();
              return downsampler
                  .query(MetricTableQuery.of(built, range).withMaxPoints(maxPoints))
                  .map(
                      result ->
                          new Readings(
                              deviceId,
                              range,
                              result.tier(),
                              new ArrayList<>(columns),
                              result.rows()));
            });
  }

  /** Every field the device has sent, sorted. */
  private Future<Set<String>> fieldsOf(String deviceId) {
    return downsampler
        .series()
        .map(
            all -> {
              Set<String> fields = new TreeSet<>();
              for (SeriesKey key : all) {
                if (key.name().startsWith(SensorCollector.SERIES_PREFIX)
                    && deviceId.equals(key.tag(SensorCollector.DEVICE_TAG))) {
                  fields.add(key.name().substring(SensorCollector.SERIES_PREFIX.length()));
                }
              }
              return fields;
            });
  }

  private static ValidationException unknownDevice() {
    return new ValidationException("device_id", "no device with this id that you may see");
  }
}
