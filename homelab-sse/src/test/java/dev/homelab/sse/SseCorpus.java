package dev.homelab.sse;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The event-stream conformance corpus, {@code dev/homelab/sse/corpus.json}: each case is a stream
 * and what a reader must report from it, in order. In the test jar, so that any code reading events
 * (core's upstream streams) can be run against the same table.
 */
public final class SseCorpus {

  /** Where the corpus is on the class path: {@value}. */
  public static final String RESOURCE = "/dev/homelab/sse/corpus.json";

  /**
   * One case of the corpus.
   *
   * @param name what the case shows
   * @param input the stream's bytes
   * @param lastEventId the last event id the reader starts with, or {@code null}
   * @param maxRecordSize the reader's maximum record size
   * @param expect what the reader reports, in order: {@code {"event": {"id", "type", "data"}}},
   *     {@code {"retry": ms}} or {@code {"comment": text}}
   * @param error a part of the message the reader fails with after {@code expect}, or {@code null}
   */
  public record Case(
      String name,
      byte[] input,
      String lastEventId,
      int maxRecordSize,
      JsonArray expect,
      String error) {

    @Override
    public String toString() {
      return name;
    }
  }

  private SseCorpus() {}

  /**
   * @return every case of the corpus
   */
  public static List<Case> cases() {
    JsonArray json;
    try (InputStream in = SseCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path");
      }
      json = new JsonArray(Buffer.buffer(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      JsonObject c = json.getJsonObject(i);
      byte[] input =
          c.containsKey("inputHex")
              ? HexFormat.of().parseHex(c.getString("inputHex"))
              : c.getString("input").getBytes(StandardCharsets.UTF_8);
      cases.add(
          new Case(
              c.getString("name"),
              input,
              c.getString("lastEventId"),
              c.getInteger("maxRecordSize", SseReader.DEFAULT_MAX_RECORD_SIZE),
              c.getJsonArray("expect"),
              c.getString("error")));
    }
    return cases;
  }

  /**
   * @param event a dispatched event
   * @return the event as the corpus writes it
   */
  public static JsonObject event(SseEvent event) {
    return new JsonObject()
        .put(
            "event",
            new JsonObject()
                .put("id", event.id())
                .put("type", event.type())
                .put("data", event.data()));
  }
}
