package dev.homelab.client.metrics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** The {@code data} rows every metric history answer carries, each read by its record's reader. */
final class HistoryRows {

  private HistoryRows() {}

  /**
   * @param json a history answer
   * @param row reads one row, given its bucket's start and its JSON
   * @param <R> the row type
   * @return the rows, oldest first; unmodifiable
   */
  static <R> List<R> read(JsonObject json, BiFunction<Instant, JsonObject, R> row) {
    List<R> rows = new ArrayList<>();
    for (Object o : json.getJsonArray("data", new JsonArray())) {
      JsonObject r = (JsonObject) o;
      rows.add(row.apply(Instant.ofEpochSecond(r.getLong("timestamp")), r));
    }
    return List.copyOf(rows);
  }
}
