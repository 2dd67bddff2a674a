package dev.homelab.core.mqtt;

import dev.homelab.core.ValidationException;
import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.Decision;
import dev.homelab.core.access.ReaderMessages;
import dev.homelab.core.access.ReaderScan;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Door readers over MQTT: reads each reader message ({@link ReaderMessages}), asks the {@link
 * AccessEngine} ({@link AccessEngine#check}, so the decision is recorded in the access log and
 * published on the hub as an HTTP check is) and answers on {@code <base>/<reader>/decision} with
 * {@code {"granted", "reason", "card_uid", "decision_id"}}. The holder's name is not sent: every
 * client of a broker may read the decision topics.
 *
 * <p>Used two ways: {@link #attach} answers the scans the {@link MqttBridge} hears on the external
 * broker, and the server's device gateway calls {@link #answer} for each publish of a connected
 * reader and delivers the answer to that reader's session.
 *
 * <p>A message that is not a scan (a heartbeat, a decision, another device's state) is ignored. A
 * scan that cannot be read is logged and counted ({@link #malformedCount()}), and answers nothing:
 * it never fails the bridge or the gateway.
 *
 * <p><b>Several server instances on one broker.</b> Each instance's bridge hears every scan, and
 * the broker (Mosquitto 2 over MQTT 3.1.1, as the bridge speaks) has no shared subscription for
 * them: {@link #attach} takes the condition under which this instance answers, the server's
 * collectors leadership, so that only the elected leader decides and answers. While the role moves
 * (a leader lost, another not yet elected, at most one leadership ttl) a scan may go unanswered:
 * the reader scans again. Retained scans are never answered: they are old scans the broker replays
 * at each connection.
 *
 * <p>Thread-safe.
 */
public final class MqttAccess {

  private static final Logger log = LoggerFactory.getLogger(MqttAccess.class);

  /** The QoS of the decisions this class publishes through the bridge. */
  public static final int DECISION_QOS = 1;

  private final AccessEngine engine;
  private final ReaderMessages readers;
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();

  /**
   * @param engine decides and records each scan
   * @param readers reads reader messages and names the decision topics
   */
  public MqttAccess(AccessEngine engine, ReaderMessages readers) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.readers = Objects.requireNonNull(readers, "readers");
  }

  /**
   * A decision and where it goes.
   *
   * @param scan the scan read from the message
   * @param decision the engine's decision, recorded
   * @param topic the reader's decision topic
   * @param payload the decision's JSON
   */
  public record Answer(ReaderScan scan, Decision decision, String topic, Buffer payload) {}

  /**
   * @return the parser, with the base topic
   */
  public ReaderMessages readers() {
    return readers;
  }

  /**
   * Answers one message.
   *
   * @param topic where it was published
   * @param payload its bytes
   * @return the answer once the decision is recorded; {@code null} when the message is not a scan;
   *     failed with a {@link ValidationException} when it is a scan that cannot be read (logged and
   *     counted here), or with the engine's failure
   */
  public Future<Answer> answer(String topic, Buffer payload) {
    ReaderScan scan;
    try {
      scan = readers.parse(topic, payload);
    } catch (ValidationException e) {
      return Future.failedFuture(malformed(topic, e));
    }
    if (scan == null) {
      return Future.succeededFuture();
    }
    return engine
        .check(scan.readerId(), scan.cardUid())
        .transform(
            done -> {
              if (done.failed()) {
                return Future.failedFuture(
                    done.cause() instanceof ValidationException e
                        ? malformed(topic, e)
                        : done.cause());
              }
              Decision decision = done.result();
              answered.incrementAndGet();
              return Future.succeededFuture(
                  new Answer(
                      scan,
                      decision,
                      readers.decisionTopic(scan.readerId()),
                      decisionJson(decision).toBuffer()));
            });
  }

  private ValidationException malformed(String topic, ValidationException e) {
    malformed.incrementAndGet();
    // The topic and the reason, never the payload: what a broken reader sends is not ours to keep.
    log.warn(
        "An RFID scan on {} cannot be read ({}: {}); ignored", topic, e.field(), e.getMessage());
    return e;
  }

  /**
   * @param decision a decision
   * @return what a reader receives: {@code {"granted", "reason", "card_uid", "decision_id"}}
   */
  public static JsonObject decisionJson(Decision decision) {
    return new JsonObject()
        .put("granted", decision.granted())
        .put("reason", decision.reason().name())
        .put("card_uid", decision.cardUid())
        .put("decision_id", decision.id().toString());
  }

  /**
   * Answers the scans the bridge hears, while {@code answering} says so, publishing each decision
   * at QoS 1 without retain. The bridge must be subscribed to the reader topics ({@link
   * ReaderMessages#filters()}); its default {@code homelab/#} covers the base {@value
   * ReaderMessages#DEFAULT_BASE_TOPIC}, Tasmota's default {@code tele/+/SENSOR} must be added.
   *
   * @param bridge the broker connection
   * @param answering whether this instance answers now (the leader of several); read per message
   * @return the registration, to cancel
   */
  public MqttSubscription attach(MqttBridge bridge, BooleanSupplier answering) {
    List<MqttSubscription> subscriptions = new ArrayList<>();
    for (String filter : readers.filters()) {
      subscriptions.add(
          bridge.onMessage(
              filter,
              message -> {
                if (message.retained() || !answering.getAsBoolean()) {
                  return;
                }
                answer(message.topic(), message.payload())
                    .onSuccess(
                        answer -> {
                          if (answer != null) {
                            bridge
                                .publish(answer.topic(), answer.payload(), DECISION_QOS, false)
                                .onFailure(
                                    e ->
                                        log.warn(
                                            "The decision for {} was not published: {}",
                                            answer.topic(),
                                            e.getMessage()));
                          }
                        })
                    .onFailure(
                        e -> {
                          if (!(e instanceof ValidationException)) {
                            log.warn(
                                "The RFID scan on {} was not decided: {}",
                                message.topic(),
                                e.toString());
                          }
                        });
              }));
    }
    return () -> subscriptions.forEach(MqttSubscription::cancel);
  }

  /**
   * @return the scans that could not be read, since this instance was created
   */
  public long malformedCount() {
    return malformed.get();
  }

  /**
   * @return the scans decided and answered, since this instance was created
   */
  public long answeredCount() {
    return answered.get();
  }
}
