package dev.homelab.sse;

import java.util.Objects;

/**
 * One dispatched event of an event stream.
 *
 * @param id the last event id in effect when the event was dispatched: the latest {@code id} field
 *     of the stream, kept across events until changed; {@code null} if the stream never set one,
 *     and empty once an empty {@code id} reset it
 * @param type the event type: the {@code event} field of this event, or {@code "message"}
 * @param data the {@code data} fields of this event joined with LF
 */
public record SseEvent(String id, String type, String data) {

  /** The type of an event that has no {@code event} field: {@value}. */
  public static final String DEFAULT_TYPE = "message";

  /**
   * @param id the last event id in effect, or {@code null}
   * @param type the event type, not {@code null}
   * @param data the data, not {@code null}
   */
  public SseEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }
}
