package dev.homelab.core.telemetry;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.Transactional;
import dev.homelab.core.ValidationException;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.telemetry.impl.ReadingWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sensor ingestion, the same for HTTP, the MQTT device gateway and an embedding app: checks
 * readings, stores them durably with group commit, drops duplicates, and publishes {@value #TOPIC}
 * for each reading stored.
 *
 * <p><b>Who may ingest.</b> A user for their own devices, an administrator for any; a viewer for
 * none. A device that does not exist and one the actor may not use are refused alike (422 naming
 * {@code device_id}), so ids cannot be probed. A transport that authenticates a device (a device
 * token, an MQTT session) passes the device's owner as a {@link Role#USER} actor, after checking
 * that the device writes only its own readings.
 *
 * <p><b>Durability.</b> Calls that arrive while a commit is in flight are written together in the
 * next transaction; each call's future completes only after the commit that holds its readings, so
 * an answer means durable. When too many readings wait ({@link
 * SensorIngestOptions#getMaxPending()}) a call is refused at once with {@link
 * dev.homelab.core.ErrorKind#BUSY} ({@value ReadingWriter#BUSY}). Readings are data, not changes of
 * configuration: they are not audited.
 *
 * <p><b>Time window.</b> See {@link SensorIngestOptions}: a reading older than the metrics lateness
 * less a margin, or too far in the future, is refused (422 naming {@code ts}).
 *
 * <p>A call with one reading names fields plainly ({@code ts}); a call with several prefixes them
 * with the reading's index ({@code readings[3].ts}). Nothing of a refused call is stored.
 */
public final class SensorIngest {

  /**
   * The topic of stored readings; the payload is the reading's wire form ({@link
   * SensorReading#toJson()}), seen by the device's owner and administrators.
   */
  public static final String TOPIC = "sensor.reading";

  /** The error code of a call refused because too many readings wait for their commit. */
  public static final String BUSY = ReadingWriter.BUSY;

  /** What ingestion reads and writes: the devices and the readings, in one database. */
  public interface Repositories {

    /**
     * @return the devices
     */
    DeviceRepository devices();

    /**
     * @return the sensor readings
     */
    SensorReadingRepository sensorReadings();
  }

  private record Owner(String ownerId, long expiresAt) {}

  private final Transactional<? extends Repositories> store;
  private final EventHub events;
  private final Clock clock;
  private final SensorIngestOptions options;
  private final ReadingWriter writer;
  private final Map<String, Owner> owners = new ConcurrentHashMap<>();

  /**
   * @param vertx the Vert.x instance
   * @param store the devices and readings, for example an open {@code Storage}
   * @param events where {@value #TOPIC} is published
   * @param clock what "now" is for the time window and commits
   * @param options the window and the group commit's bounds; copied
   */
  public SensorIngest(
      Vertx vertx,
      Transactional<? extends Repositories> store,
      EventHub events,
      Clock clock,
      SensorIngestOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = new SensorIngestOptions(options);
    this.writer =
        new ReadingWriter(
            vertx,
            store.repositories().sensorReadings(),
            clock,
            this.options.getMaxBatch(),
            this.options.getMaxPending(),
            this.options.getMaxConcurrentCommits());
  }

  /**
   * Checks and stores readings. Either all of them are checked and committed (duplicates counted,
   * not stored again) or, if any breaks a rule, none is.
   *
   * @param actor who sends them
   * @param readings 1 to {@value SensorReadings#MAX_BATCH} readings
   * @return how many were stored and how many were duplicates, once committed; failed with a {@link
   *     ValidationException} naming the field, a {@link ForbiddenException} for a viewer, or a
   *     {@code BUSY} refusal
   */
  public Future<IngestResult> ingest(Actor actor, List<SensorReading> readings) {
    Map<String, String> deviceFields;
    try {
      if (!actor.role().atLeast(Role.USER)) {
        throw new ForbiddenException(
            "FORBIDDEN", "a viewer may read sensor readings but not send them");
      }
      if (readings.isEmpty()) {
        throw new ValidationException("readings", "readings must hold at least one reading");
      }
      if (readings.size() > SensorReadings.MAX_BATCH) {
        throw new ValidationException(
            "readings",
            "readings may hold at most " + SensorReadings.MAX_BATCH + " readings per call");
      }
      deviceFields = check(readings);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return owners(actor, deviceFields)
        .compose(
            ownerOf ->
                writer
                    .append(readings)
                    .map(
                        stored -> {
                          publish(stored, ownerOf);
                          return new IngestResult(
                              readings.size(), stored.size(), readings.size() - stored.size());
                        }));
  }

  /**
   * @return how many readings wait for their commit
   */
  public int pending() {
    return writer.pending();
  }

  /**
   * Refuses new calls and completes once the readings already accepted are committed.
   *
   * @return completion
   */
  public Future<Void> close() {
    return writer.close();
  }

  /** Checks every reading; answers each device with the field that names it first. */
  private Map<String, String> check(List<SensorReading> readings) {
    long now = clock.millis();
    long oldest = now - options.pastWindow().toMillis();
    long newest = now + options.getMaxFutureSkew().toMillis();
    Map<String, String> deviceFields = new LinkedHashMap<>();
    for (int i = 0; i < readings.size(); i++) {
      SensorReading reading = Objects.requireNonNull(readings.get(i), "reading");
      String prefix = readings.size() == 1 ? "" : "readings[" + i + "].";
      try {
        DeviceRegistry.requireId(reading.deviceId());
      } catch (NotFoundException notAnId) {
        throw unknownDevice(prefix);
      }
      SensorReadings.check(reading, prefix);
      long time = reading.time().toEpochMilli();
      if (time < oldest) {
        throw new ValidationException(
            prefix + "ts",
            "ts is older than "
                + options.pastWindow().toSeconds()
                + " s: readings older than the metrics lateness window allows are refused");
      }
      if (time > newest) {
        throw new ValidationException(
            prefix + "ts",
            "ts is more than "
                + options.getMaxFutureSkew().toSeconds()
                + " s ahead of the server's clock");
      }
      deviceFields.putIfAbsent(reading.deviceId(), prefix + "device_id");
    }
    return deviceFields;
  }

  /** Each device's owner, if the actor may use every one of them. */
  private Future<Map<String, String>> owners(Actor actor, Map<String, String> deviceFields) {
    long now = clock.millis();
    Map<String, String> ownerOf = new ConcurrentHashMap<>();
    List<Future<Void>> lookups = new ArrayList<>();
    for (Map.Entry<String, String> device : deviceFields.entrySet()) {
      String id = device.getKey();
      Owner cached = owners.get(id);
      Future<String> owner;
      if (cached != null && cached.expiresAt > now) {
        owner = Future.succeededFuture(cached.ownerId);
      } else {
        // Read without the actor's filter, so that the cache serves every actor; the owner is
        // compared below, and a foreign device is refused exactly like a missing one.
        owner =
            store
                .repositories()
                .devices()
                .get(OwnerFilter.any(), id)
                .map(
                    found -> {
                      if (found == null) {
                        return null;
                      }
                      long ttl = options.getDeviceCacheTtl().toMillis();
                      if (ttl > 0) {
                        owners.put(id, new Owner(found.ownerId(), now + ttl));
                      }
                      return found.ownerId();
                    });
      }
      lookups.add(
          owner.compose(
              found -> {
                if (found == null || !(actor.isAdmin() || found.equals(actor.userId()))) {
                  return Future.failedFuture(unknownDevice(device.getValue()));
                }
                ownerOf.put(id, found);
                return Future.succeededFuture();
              }));
    }
    return Future.all(lookups)
        .<Map<String, String>>map(all -> ownerOf)
        .recover(
            failure -> {
              // The first refusal in reading order, whatever order the lookups ended in.
              for (int i = 0; i < lookups.size(); i++) {
                if (lookups.get(i).failed()) {
                  return Future.failedFuture(lookups.get(i).cause());
                }
              }
              return Future.failedFuture(failure);
            });
  }

  private static ValidationException unknownDevice(String field) {
    String name = field.endsWith("device_id") ? field : field + "device_id";
    return new ValidationException(name, "no device with this id that you may use");
  }

  /** Publishes committed readings; a closed hub does not undo them. */
  private void publish(List<SensorReading> stored, Map<String, String> ownerOf) {
    for (SensorReading reading : stored) {
      events
          .publish(TOPIC, reading.toJson(), Visibility.owner(ownerOf.get(reading.deviceId())))
          .recover(closed -> Future.succeededFuture());
    }
  }

  /**
   * The readings' time window, for documentation and errors.
   *
   * @param now the current time
   * @return the oldest time a reading may have now
   */
  public Instant oldestAccepted(Instant now) {
    return now.minus(options.pastWindow());
  }
}
