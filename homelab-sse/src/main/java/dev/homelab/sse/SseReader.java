package dev.homelab.sse;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a Server-Sent Events stream pushed to it in chunks, and calls a {@link Listener} with each
 * complete event, following the WHATWG event-stream rules.
 *
 * <p>Chunks may split the stream anywhere: between CR and LF, inside a UTF-8 character or inside
 * the leading byte order mark. Lines end with CRLF, LF or CR; one leading U+FEFF is skipped; an
 * empty line dispatches the event being read, if it has data; a line starting with {@code :} is a
 * comment; {@code id} stays in effect across events until changed (an {@code id} holding U+0000 is
 * ignored); {@code retry} counts only when all ASCII digits; unknown fields are ignored. Bytes that
 * are not UTF-8 become U+FFFD. An event left unfinished when the stream ends is never dispatched.
 *
 * <p>Memory is bounded: a line, or an event's data, longer than the maximum record size fails the
 * reader with an {@link SseException}; after that it refuses every chunk.
 *
 * <p>Not thread-safe: feed it from one thread, or one Vert.x context. It reads one stream; use a
 * new reader, {@linkplain #SseReader(int, String, Listener) seeded with the last event id}, for a
 * reconnection.
 */
public final class SseReader implements Handler<Buffer> {

  /** The default maximum size of a line or of an event's data: {@value} (1 MiB). */
  public static final int DEFAULT_MAX_RECORD_SIZE = 1024 * 1024;

  /** What the reader reports; called on the thread that feeds it. */
  public interface Listener {

    /**
     * An event is complete.
     *
     * @param event the event
     */
    void onEvent(SseEvent event);

    /**
     * A {@code retry} field asks for a new reconnection time. Does nothing by default.
     *
     * @param retryMs the reconnection time the server asks for, in milliseconds
     */
    default void onRetry(long retryMs) {}

    /**
     * A comment line, often a keep-alive ping. Does nothing by default.
     *
     * @param comment the text after the colon, as it is
     */
    default void onComment(String comment) {}
  }

  private static final byte CR = '\r';
  private static final byte LF = '\n';
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private final int maxRecordSize;
  private final Listener listener;
  private byte[] line = new byte[128];
  private int lineLength;
  private boolean afterCr;
  private boolean atStart = true;
  private StringBuilder data;
  private String type;
  private String lastEventId;
  private SseException failure;

  /**
   * Like {@link #SseReader(int, String, Listener)} with {@link #DEFAULT_MAX_RECORD_SIZE} and no
   * last event id.
   *
   * @param listener called with what is read
   */
  public SseReader(Listener listener) {
    this(DEFAULT_MAX_RECORD_SIZE, null, listener);
  }

  /**
   * Creates a reader at the start of a stream.
   *
   * @param maxRecordSize the longest line, in bytes, and the longest event data, in characters, the
   *     reader accepts; at least 1
   * @param lastEventId the last event id already in effect, such as the one a reconnection resumes
   *     from, or {@code null}
   * @param listener called with what is read
   * @throws IllegalArgumentException if {@code maxRecordSize} is below 1
   */
  public SseReader(int maxRecordSize, String lastEventId, Listener listener) {
    if (maxRecordSize < 1) {
      throw new IllegalArgumentException("maxRecordSize must be at least 1");
    }
    if (listener == null) {
      throw new IllegalArgumentException("listener must not be null");
    }
    this.maxRecordSize = maxRecordSize;
    this.lastEventId = lastEventId;
    this.listener = listener;
  }

  /**
   * @return the last event id in effect, kept across events until an {@code id} field changes it,
   *     or {@code null}
   */
  public String lastEventId() {
    return lastEventId;
  }

  /**
   * Reads the next chunk of the stream, calling the listener with whatever it completes.
   *
   * @param chunk the next bytes of the stream, of any length
   * @throws SseException if a record is too large, now or before
   */
  @Override
  public void handle(Buffer chunk) {
    if (failure != null) {
      throw failure;
    }
    int length = chunk.length();
    for (int i = 0; i < length; i++) {
      byte b = chunk.getByte(i);
      if (afterCr) {
        afterCr = false;
        if (b == LF) {
          continue; // the LF of a CRLF
        }
      }
      if (b == CR || b == LF) {
        afterCr = b == CR;
        line();
      } else {
        append(b);
      }
    }
  }

  private void append(byte b) {
    if (lineLength == maxRecordSize) {
      throw fail("a line is longer than " + maxRecordSize + " bytes");
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, Math.min(line.length * 2, maxRecordSize));
    }
    line[lineLength++] = b;
  }

  private SseException fail(String message) {
    failure = new SseException("event stream refused: " + message);
    line = null;
    data = null;
    return failure;
  }

  private void line() {
    int start = 0;
    if (atStart) {
      atStart = false;
      if (lineLength >= BOM.length && line[0] == BOM[0] && line[1] == BOM[1] && line[2] == BOM[2]) {
        start = BOM.length;
      }
    }
    String text = new String(line, start, lineLength - start, StandardCharsets.UTF_8);
    lineLength = 0;
    if (line.length > 1024) {
      line = new byte[128]; // a long line does not keep its buffer
    }
    if (text.isEmpty()) {
      dispatch();
      return;
    }
    if (text.charAt(0) == ':') {
      listener.onComment(text.substring(1));
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = "";
    if (colon >= 0) {
      int from = colon + 1;
      if (from < text.length() && text.charAt(from) == ' ') {
        from++;
      }
      value = text.substring(from);
    }
    switch (field) {
      case "data" -> {
        if (data == null) {
          data = new StringBuilder();
        }
        if (data.length() + value.length() > maxRecordSize) {
          throw fail("an event's data is longer than " + maxRecordSize + " characters");
        }
        data.append(value).append('\n');
      }
      case "event" -> type = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> retry(value);
      default -> {} // ignored, as the rules say
    }
  }

  private void retry(String value) {
    if (value.isEmpty() || value.length() > 18) {
      return; // not digits, or more than a long holds
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return;
      }
    }
    listener.onRetry(Long.parseLong(value));
  }

  private void dispatch() {
    StringBuilder eventData = data;
    String eventType = type;
    data = null;
    type = null;
    if (eventData == null) {
      return; // no data: nothing to dispatch, though an id it had stays in effect
    }
    eventData.setLength(eventData.length() - 1); // the last LF
    listener.onEvent(
        new SseEvent(
            lastEventId,
            eventType == null || eventType.isEmpty() ? SseEvent.DEFAULT_TYPE : eventType,
            eventData.toString()));
  }
}
