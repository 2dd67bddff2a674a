package dev.homelab.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the conformance corpus against {@link SseReader}, each case fed whole, byte by byte, and in
 * random splits (seeded, so a failure repeats).
 */
class SseReaderTest {

  private static final int RANDOM_SPLITS = 25;

  static Stream<SseCorpus.Case> cases() {
    return SseCorpus.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void whole(SseCorpus.Case c) {
    check(c, List.of(c.input()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void byteByByte(SseCorpus.Case c) {
    List<byte[]> chunks = new ArrayList<>();
    for (byte b : c.input()) {
      chunks.add(new byte[] {b});
    }
    check(c, chunks);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void randomSplits(SseCorpus.Case c) {
    for (long seed = 0; seed < RANDOM_SPLITS; seed++) {
      Random random = new Random(seed * 31 + c.name().hashCode());
      List<byte[]> chunks = new ArrayList<>();
      int at = 0;
      while (at < c.input().length) {
        int size = 1 + random.nextInt(Math.max(1, c.input().length / 2));
        int end = Math.min(c.input().length, at + size);
        byte[] chunk = new byte[end - at];
        System.arraycopy(c.input(), at, chunk, 0, chunk.length);
        chunks.add(chunk);
        at = end;
      }
      chunks.add(new byte[0]); // an empty chunk is harmless
      check(c, chunks);
    }
  }

  @Test
  void aFailedReaderRefusesMore() {
    SseReader reader = new SseReader(4, null, event -> {});
    assertThatThrownBy(() -> reader.handle(Buffer.buffer("data: x\n")))
        .isInstanceOf(SseException.class);
    assertThatThrownBy(() -> reader.handle(Buffer.buffer("\n")))
        .isInstanceOf(SseException.class)
        .hasMessageContaining("longer than 4 bytes");
  }

  @Test
  void theLastEventIdIsReadable() {
    SseReader reader = new SseReader(event -> {});
    assertThat(reader.lastEventId()).isNull();
    reader.handle(Buffer.buffer("id: 3\n\n"));
    assertThat(reader.lastEventId()).isEqualTo("3");
  }

  @Test
  void theRecordSizeIsChecked() {
    assertThatThrownBy(() -> new SseReader(0, null, event -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLongLineIsReadPastTheInitialBuffer() {
    String data = "x".repeat(100_000);
    List<SseEvent> events = new ArrayList<>();
    SseReader reader = new SseReader(events::add);
    reader.handle(Buffer.buffer("data: " + data + "\n\n", StandardCharsets.UTF_8.name()));
    assertThat(events).containsExactly(new SseEvent(null, "message", data));
  }

  private static void check(SseCorpus.Case c, List<byte[]> chunks) {
    JsonArray seen = new JsonArray();
    SseReader reader =
        new SseReader(
            c.maxRecordSize(),
            c.lastEventId(),
            new SseReader.Listener() {
              @Override
              public void onEvent(SseEvent event) {
                seen.add(SseCorpus.event(event));
              }

              @Override
              public void onRetry(long retryMs) {
                seen.add(new JsonObject().put("retry", retryMs));
              }

              @Override
              public void onComment(String comment) {
                seen.add(new JsonObject().put("comment", comment));
              }
            });
    SseException failure = null;
    try {
      for (byte[] chunk : chunks) {
        reader.handle(Buffer.buffer(chunk));
      }
    } catch (SseException e) {
      failure = e;
    }
    assertThat(seen).as(c.name()).isEqualTo(c.expect());
    if (c.error() == null) {
      assertThat(failure).as(c.name()).isNull();
    } else {
      assertThat(failure).as(c.name()).isNotNull().hasMessageContaining(c.error());
    }
  }
}
