package dev.homelab.core.telemetry;

import dev.homelab.core.leader.LeaderJob;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.Point;
import dev.homelab.core.mqtt.MqttBridge;
import dev.homelab.core.mqtt.MqttMessage;
import dev.homelab.core.mqtt.MqttSubscription;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the state history of zigbee2mqtt devices from the messages an {@link MqttBridge} hears,
 * into a {@link DeviceStateRepository}, and turns the numeric fields of each recorded state into
 * metric series ({@link DeviceStateSeries}) through a {@link Downsampler}.
 *
 * <p><b>What is recorded.</b> Only changes: a message whose state equals the newest recorded state
 * of its device (ignoring {@code last_seen}, which zigbee2mqtt may stamp on every report) is not a
 * change. The newest recorded state is read from the repository the first time a device is heard,
 * so a restart does not record the same state again. A retained message whose payload equals the
 * previous retained message of its topic heard by this recorder is the broker's replay at a
 * reconnection, not a change, and is skipped without being compared. Device states ({@code
 * <base>/<friendly name>}, a JSON object) and availabilities ({@code <base>/<friendly
 * name>/availability}, recorded under the device's topic) are recorded; commands ({@code /set},
 * {@code /get}), the bridge's topics and payloads that are not a state are not. {@code
 * bridge/devices} and {@code bridge/state} are kept in memory ({@link #device}, {@link
 * #bridgeState}) on every instance, recording or not.
 *
 * <p><b>Once only.</b> With several instances sharing a store, every instance's bridge hears every
 * message, and only the one that leads records ({@link #leaderJob}): recording starts when it
 * starts leading, from the newest message of each topic its bridge heard meanwhile (a change a
 * previous leader did not record is recorded then, at the time it was heard), and stops at once
 * when it stops leading.
 *
 * <p><b>Writes.</b> Changes are written in order, one batch at a time (what arrives while a batch
 * is written goes in the next), then their points. At most {@link DeviceStateOptions#maxPending()}
 * messages wait; beyond that the oldest is dropped and counted ({@link #droppedCount()}). A failed
 * write is logged and its changes are lost (counted in {@link #failedCount()}); the next message of
 * those devices is compared with what the store holds. Recording is best effort: the broker's
 * acknowledgement of a message does not wait for it.
 *
 * <p>Thread-safe; {@link #accept} may be called from any thread and never blocks.
 */
public final class DeviceStateRecorder {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceStateRecorder.class);

  /** The most changes written in one batch. */
  static final int BATCH = 500;

  /** How many devices' newest states are remembered; the others are read again when heard. */
  static final int REMEMBERED = 10_000;

  /** Rows retention deletes per statement, and statements per pass. */
  private static final int PURGE_BATCH = 1_000;

  private static final int PURGE_ROUNDS = 1_000;

  /** How often the leader enforces the retention. */
  private static final Duration RETENTION_EVERY = Duration.ofHours(1);

  private final Vertx vertx;
  private final Context context;
  private final DeviceStateRepository repository;
  private final Downsampler downsampler;
  private final DeviceStateOptions options;
  private final Clock clock;

  // Known on every instance, recording or not.
  private final Map<String, Zigbee2MqttDevice> devices = new ConcurrentHashMap<>();
  private final Map<String, String> bridgeStates = new ConcurrentHashMap<>();
  private final Map<String, String> lastRetained = lru();

  // Guarded by queue.
  private final ArrayDeque<Heard> queue = new ArrayDeque<>();
  private final List<Promise<Void>> idle = new ArrayList<>();
  private boolean draining;
  private volatile boolean recording;
  // Bumped at every start and stop: a batch of an earlier epoch does not touch the memory below.
  private final AtomicLong epoch = new AtomicLong();

  // Only touched by the one batch in flight.
  private final Map<String, Last> lastRecorded = lru();

  private final AtomicLong recorded = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean failing;

  /** A message understood, waiting to be compared and written. */
  private record Heard(
      String topic,
      DeviceStateKind kind,
      Instant time,
      JsonObject state,
      boolean retained,
      String payload,
      boolean catchUp) {

    String key() {
      return kind.label() + " " + topic;
    }
  }

  /** The newest recorded state of a device, without {@code last_seen}, and when it came. */
  private record Last(JsonObject comparable, long time) {}

  private static final Last NONE = new Last(null, Long.MIN_VALUE);

  /**
   * @param vertx the Vert.x instance whose context runs the writes
   * @param repository where changes go
   * @param downsampler where the numeric series go, or {@code null} for none
   * @param options the base topics, the retention and the bound
   * @param clock what "now" is for the retention
   */
  public DeviceStateRecorder(
      Vertx vertx,
      DeviceStateRepository repository,
      Downsampler downsampler,
      DeviceStateOptions options,
      Clock clock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = vertx.getOrCreateContext();
    this.repository = Objects.requireNonNull(repository, "repository");
    this.downsampler = downsampler;
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private static <V> Map<String, V> lru() {
    return java.util.Collections.synchronizedMap(
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > REMEMBERED;
          }
        });
  }

  /**
   * Feeds the recorder every message of the bridge under its base topics.
   *
   * @param bridge the bridge; its subscriptions must cover the base topics
   * @return the registrations, to cancel
   */
  public MqttSubscription attach(MqttBridge bridge) {
    List<MqttSubscription> subscriptions = new ArrayList<>();
    for (String base : options.baseTopics()) {
      subscriptions.add(bridge.onMessage(base + "/#", this::accept));
    }
    return () -> subscriptions.forEach(MqttSubscription::cancel);
  }

  /**
   * Hears one message: keeps bridge information, and while recording queues a device's state or
   * availability to be compared with the newest recorded one.
   *
   * @param message a message the bridge received
   */
  public void accept(MqttMessage message) {
    if (!recording && !message.retained()) {
      // A follower keeps only the bridge's information: no need to read a device's state.
      for (String base : options.baseTopics()) {
        Zigbee2Mqtt.Topic topic = Zigbee2Mqtt.classify(base, message.topic());
        if (topic != null && topic.role() == Zigbee2Mqtt.Role.BRIDGE) {
          bridge(base, topic.name(), message.payloadAsString());
        }
      }
      return;
    }
    Heard heard = understand(message, false);
    if (heard == null) {
      return;
    }
    if (heard.retained()) {
      String previous = lastRetained.put(heard.key(), heard.payload());
      if (heard.payload().equals(previous)) {
        return; // the broker's replay at a reconnection
      }
    }
    enqueue(List.of(heard), true);
  }

  /**
   * The message as a state or availability to record, or {@code null} (after noting bridge info).
   */
  private Heard understand(MqttMessage message, boolean catchUp) {
    for (String base : options.baseTopics()) {
      Zigbee2Mqtt.Topic topic = Zigbee2Mqtt.classify(base, message.topic());
      if (topic == null) {
        continue;
      }
      String payload = message.payloadAsString();
      Instant time = message.receivedAt().truncatedTo(ChronoUnit.MILLIS);
      switch (topic.role()) {
        case BRIDGE -> {
          if (!catchUp) {
            bridge(base, topic.name(), payload);
          }
          return null;
        }
        case COMMAND -> {
          return null;
        }
        case AVAILABILITY -> {
          String availability = Zigbee2Mqtt.availability(payload);
          return availability == null
              ? null
              : new Heard(
                  topic.deviceTopic(),
                  DeviceStateKind.AVAILABILITY,
                  time,
                  new JsonObject().put("state", availability),
                  message.retained(),
                  payload,
                  catchUp);
        }
        case DEVICE_STATE -> {
          JsonObject state = Zigbee2Mqtt.jsonObject(payload);
          return state == null
              ? null
              : new Heard(
                  topic.deviceTopic(),
                  DeviceStateKind.STATE,
                  time,
                  state,
                  message.retained(),
                  payload,
                  catchUp);
        }
      }
    }
    return null;
  }

  private void bridge(String base, String topic, String payload) {
    if (topic.equals("state")) {
      String state = Zigbee2Mqtt.availability(payload);
      if (state != null) {
        bridgeStates.put(base, state);
      }
    } else if (topic.equals("devices")) {
      List<Zigbee2MqttDevice> list = Zigbee2Mqtt.devices(payload);
      devices.keySet().removeIf(key -> key.startsWith(base + "/"));
      for (Zigbee2MqttDevice device : list) {
        devices.put(base + "/" + device.friendlyName(), device);
      }
    }
  }

  /**
   * @param onlyWhileRecording whether to drop the messages unless recording: checked under the
   *     queue's lock, which a stop takes too, so that a message heard as the leadership is lost is
   *     not recorded by the instance that lost it
   */
  private void enqueue(Collection<Heard> heard, boolean onlyWhileRecording) {
    synchronized (queue) {
      if (onlyWhileRecording && !recording) {
        return;
      }
      for (Heard h : heard) {
        if (queue.size() >= options.maxPending()) {
          queue.pollFirst();
          dropped.incrementAndGet();
        }
        queue.addLast(h);
      }
    }
    context.runOnContext(v -> drain());
  }

  private void drain() {
    List<Heard> batch = new ArrayList<>();
    long at;
    synchronized (queue) {
      if (draining) {
        return;
      }
      // What waits was queued in this epoch: a stop clears the queue.
      at = epoch.get();
      while (!queue.isEmpty() && batch.size() < BATCH) {
        batch.add(queue.pollFirst());
      }
      if (batch.isEmpty()) {
        idle.forEach(Promise::tryComplete);
        idle.clear();
        return;
      }
      draining = true;
    }
    write(batch, at)
        .onComplete(
            done -> {
              synchronized (queue) {
                draining = false;
              }
              drain();
            });
  }

  /** Compares a batch with the newest recorded states, writes its changes, then their points. */
  private Future<Void> write(List<Heard> batch, long at) {
    Set<String> unknown = new LinkedHashSet<>();
    Map<String, Heard> byKey = new LinkedHashMap<>();
    for (Heard heard : batch) {
      if (!lastRecorded.containsKey(heard.key())) {
        unknown.add(heard.key());
        byKey.putIfAbsent(heard.key(), heard);
      }
    }
    List<Future<Void>> reads = new ArrayList<>();
    for (String key : unknown) {
      Heard heard = byKey.get(key);
      reads.add(
          repository
              .latest(heard.topic(), heard.kind())
              .map(
                  latest -> {
                    if (at != epoch.get()) {
                      return null; // another instance may record meanwhile
                    }
                    lastRecorded.put(
                        key,
                        latest == null
                            ? NONE
                            : new Last(comparable(latest.state()), latest.time().toEpochMilli()));
                    return null;
                  }));
    }
    return Future.all(reads)
        .compose(
            read -> {
              if (at != epoch.get()) {
                return Future.succeededFuture(); // stopped meanwhile
              }
              List<DeviceState> changes = new ArrayList<>();
              for (Heard heard : batch) {
                Last last = lastRecorded.getOrDefault(heard.key(), NONE);
                JsonObject comparable = comparable(heard.state());
                long time = heard.time().toEpochMilli();
                if (comparable.equals(last.comparable())
                    || (heard.catchUp() && time <= last.time())) {
                  continue;
                }
                lastRecorded.put(heard.key(), new Last(comparable, time));
                changes.add(
                    new DeviceState(heard.topic(), heard.kind(), heard.time(), heard.state()));
              }
              return changes.isEmpty() ? Future.succeededFuture() : store(changes);
            })
        .recover(
            failure -> {
              // What the store holds is unknown now: read it again at the next message.
              batch.forEach(heard -> lastRecorded.remove(heard.key()));
              failed.addAndGet(batch.size());
              if (!failing) {
                failing = true;
                LOG.warn(
                    "Could not record device states ({}); further failures are logged at DEBUG"
                        + " until a write succeeds",
                    failure.toString());
              } else {
                LOG.debug("Could not record device states: {}", failure.toString());
              }
              return Future.succeededFuture();
            });
  }

  private Future<Void> store(List<DeviceState> changes) {
    return repository
        .append(changes)
        .compose(
            count -> {
              recorded.addAndGet(count);
              if (failing) {
                failing = false;
                LOG.info("Device states are recorded again");
              }
              if (downsampler == null) {
                return Future.succeededFuture();
              }
              List<Point> points = new ArrayList<>();
              changes.forEach(change -> points.addAll(DeviceStateSeries.points(change)));
              return downsampler
                  .write(points)
                  .<Void>mapEmpty()
                  .recover(
                      e -> {
                        // The change is recorded; only its points are missing from the series.
                        LOG.debug("Could not write device series: {}", e.toString());
                        return Future.succeededFuture();
                      });
            });
  }

  /**
   * A state as compared: without {@code last_seen}, which zigbee2mqtt may stamp on every report.
   */
  private static JsonObject comparable(JsonObject state) {
    JsonObject copy = state.copy();
    copy.remove("last_seen");
    return copy;
  }

  /**
   * Starts recording, first from the newest message of each topic the bridge heard (compared with
   * the newest recorded states, and recorded only if newer).
   *
   * @param heard the newest message of each topic heard so far ({@link MqttBridge#lastMessages()}),
   *     or an empty list
   */
  public void startRecording(List<MqttMessage> heard) {
    synchronized (queue) {
      epoch.incrementAndGet();
    }
    List<Heard> current = new ArrayList<>();
    for (MqttMessage message : heard) {
      Heard h = understand(message, true);
      if (h != null) {
        current.add(h);
      }
    }
    context.runOnContext(v -> lastRecorded.clear());
    recording = true;
    enqueue(current, false);
  }

  /**
   * Stops recording at once: what waits is dropped, and nothing more is written (a batch in flight
   * completes). The remembered states are forgotten, as another instance may record meanwhile.
   */
  public void stopRecording() {
    synchronized (queue) {
      recording = false;
      epoch.incrementAndGet();
      queue.clear();
    }
    context.runOnContext(v -> lastRecorded.clear());
  }

  /**
   * @return whether the recorder records now
   */
  public boolean isRecording() {
    return recording;
  }

  /**
   * @return completed once every message accepted so far has been compared and written (or dropped)
   */
  public Future<Void> flush() {
    Promise<Void> promise = Promise.promise();
    synchronized (queue) {
      idle.add(promise);
    }
    context.runOnContext(v -> drain());
    return promise.future();
  }

  /**
   * Deletes the changes older than the retention, in batches, keeping each device's newest.
   *
   * @return how many were deleted
   */
  public Future<Long> enforceRetention() {
    long before = clock.millis() - options.retention().toMillis();
    return purge(before, 0, 0L);
  }

  private Future<Long> purge(long before, int round, long total) {
    return repository
        .purge(before, PURGE_BATCH)
        .compose(
            deleted ->
                deleted < PURGE_BATCH || round + 1 >= PURGE_ROUNDS
                    ? Future.succeededFuture(total + deleted)
                    : purge(before, round + 1, total + deleted));
  }

  /**
   * The job of the instance that leads: recording, and the retention at start and hourly.
   *
   * @param heard supplies the newest message of each topic heard so far ({@link
   *     MqttBridge#lastMessages()})
   * @return the job
   */
  public LeaderJob leaderJob(Supplier<List<MqttMessage>> heard) {
    LeaderJob retention = LeaderJob.periodic(vertx, RETENTION_EVERY, this::retentionQuietly);
    return new LeaderJob() {
      @Override
      public void start() {
        startRecording(heard.get());
        retentionQuietly();
        retention.start();
      }

      @Override
      public void stop() {
        retention.stop();
        stopRecording();
      }
    };
  }

  private void retentionQuietly() {
    enforceRetention()
        .onSuccess(n -> LOG.debug("Device state retention deleted {} rows", n))
        .onFailure(e -> LOG.warn("Device state retention failed: {}", e.toString()));
  }

  /**
   * @param deviceTopic a device's topic, {@code <base>/<friendly name>}
   * @return the device as the bridge's retained {@code bridge/devices} describes it, if heard
   */
  public Optional<Zigbee2MqttDevice> device(String deviceTopic) {
    return Optional.ofNullable(devices.get(deviceTopic));
  }

  /**
   * @param base a base topic
   * @return {@code online} or {@code offline} as the bridge's {@code bridge/state} last said, if
   *     heard
   */
  public Optional<String> bridgeState(String base) {
    return Optional.ofNullable(bridgeStates.get(base));
  }

  /**
   * @return the changes recorded since the recorder was created
   */
  public long recordedCount() {
    return recorded.get();
  }

  /**
   * @return the messages dropped from a full queue since the recorder was created
   */
  public long droppedCount() {
    return dropped.get();
  }

  /**
   * @return the messages whose write failed since the recorder was created
   */
  public long failedCount() {
    return failed.get();
  }

  /**
   * @return the options
   */
  public DeviceStateOptions options() {
    return options;
  }
}
