package dev.homelab.simulators.frigate;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The simulator's detection events: generated from the recorded 0.13 event (its keys, its nulls,
 * its relative {@code data.box}), several cameras and labels, timestamps relative to now, and the
 * filters of {@code GET /api/events}. Thread-safe: the list is copied on write.
 */
final class FrigateEvents {

  /** The largest number of events kept: the oldest go first, as Frigate's retention does. */
  private static final int MAX_EVENTS = 2000;

  private static final List<String> LABELS = List.of("person", "car", "dog", "cat", "person");
  private static final Map<String, List<String>> ZONES =
      Map.of(
          "front_door", List.of("porch", "walkway"),
          "backyard", List.of("lawn", "patio"),
          "garage", List.of("driveway"));

  private final JsonObject template;
  private final List<String> cameras;
  private final boolean legacy;
  private final Random random;
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  /**
   * @param template the recorded event the generated ones copy
   * @param cameras the cameras events happen on
   * @param legacy whether the pre-0.13 shape is served (top-level score, box in pixels, no data)
   * @param seed the seed of ids, labels and scores
   */
  FrigateEvents(JsonObject template, List<String> cameras, boolean legacy, long seed) {
    this.template = template;
    this.cameras = List.copyOf(cameras);
    this.legacy = legacy;
    this.random = new Random(seed);
  }

  /** Generates {@code count} finished events spread over the 24 hours before {@code now}. */
  synchronized void generate(int count, double now) {
    List<JsonObject> generated = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double start = now - 86_400 + random.nextDouble() * 86_000;
      String camera = cameras.get(random.nextInt(cameras.size()));
      String label = LABELS.get(random.nextInt(LABELS.size()));
      generated.add(create(camera, label, start, start + 4 + random.nextDouble() * 50));
    }
    generated.sort(Comparator.comparingDouble(e -> e.getDouble("start_time")));
    events.addAll(generated);
  }

  /**
   * Ends the event in progress, if any, and begins a new one.
   *
   * @param now the time, epoch seconds
   * @return the new event
   */
  synchronized JsonObject next(double now) {
    for (int i = 0; i < events.size(); i++) {
      JsonObject event = events.get(i);
      if (event.getValue("end_time") == null) {
        events.set(i, event.copy().put("end_time", now));
      }
    }
    String camera = cameras.get(random.nextInt(cameras.size()));
    String label = LABELS.get(random.nextInt(LABELS.size()));
    JsonObject event = create(camera, label, now, null);
    add(event);
    return event;
  }

  /**
   * Adds one finished event.
   *
   * @return it
   */
  synchronized JsonObject add(String camera, String label, double start, double end) {
    JsonObject event = create(camera, label, start, end);
    add(event);
    return event;
  }

  private void add(JsonObject event) {
    events.add(event);
    while (events.size() > MAX_EVENTS) {
      events.remove(0);
    }
  }

  List<JsonObject> all() {
    return List.copyOf(events);
  }

  JsonObject find(String id) {
    for (JsonObject event : events) {
      if (event.getString("id").equals(id)) {
        return event;
      }
    }
    return null;
  }

  private JsonObject create(String camera, String label, double start, Double end) {
    JsonObject event = template.copy();
    String suffix = randomSuffix();
    double score = 0.6 + random.nextDouble() * 0.38;
    double topScore = Math.min(0.99, score + random.nextDouble() * 0.05);
    List<String> zones = ZONES.getOrDefault(camera, List.of());
    List<String> inZones =
        zones.stream().filter(z -> random.nextInt(3) > 0).collect(Collectors.toList());
    double x = random.nextDouble() * 0.7;
    double y = random.nextDouble() * 0.5;
    double w = 0.05 + random.nextDouble() * 0.2;
    double h = 0.1 + random.nextDouble() * 0.35;
    event
        .put("id", String.format(Locale.ROOT, "%.6f-%s", start, suffix))
        .put("camera", camera)
        .put("label", label)
        .put("start_time", start)
        .put("end_time", end)
        .put("has_clip", random.nextInt(5) > 0)
        .put("has_snapshot", random.nextInt(10) > 2)
        .put("zones", new JsonArray(new ArrayList<>(inZones)));
    if (legacy) {
      // Before 0.13: score and box at the top level, the box in pixels of the detect frame.
      event.remove("data");
      int px = (int) (x * 1280);
      int py = (int) (y * 720);
      int pw = (int) (w * 1280);
      int ph = (int) (h * 720);
      event
          .put("top_score", topScore)
          .put("box", new JsonArray(List.of(px, py, px + pw, py + ph)))
          .put("area", pw * ph)
          .put("ratio", (double) pw / ph)
          .put("region", new JsonArray(List.of(Math.max(0, px - 40), Math.max(0, py - 40), 320)));
    } else {
      event
          .getJsonObject("data")
          .put("box", new JsonArray(List.of(x, y, w, h)))
          .put("region", new JsonArray(List.of(Math.max(0, x - 0.05), Math.max(0, y - 0.05), 0.3)))
          .put("score", score)
          .put("top_score", topScore);
    }
    return event;
  }

  private String randomSuffix() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder suffix = new StringBuilder();
    for (int i = 0; i < 6; i++) {
      suffix.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return suffix.toString();
  }

  /**
   * Applies the filters of {@code GET /api/events}.
   *
   * @param query the request's query parameters
   * @return the matching events, newest first unless sorted otherwise, at most {@code limit}
   * @throws IllegalArgumentException naming the parameter whose value is not a number
   */
  List<JsonObject> query(MultiMap query) {
    Set<String> cameraFilter = list(query, "cameras", "camera");
    Set<String> labelFilter = list(query, "labels", "label");
    Set<String> zoneFilter = list(query, "zones", "zone");
    Set<String> subLabelFilter = list(query, "sub_labels", "sub_label");
    Double after = number(query, "after");
    Double before = number(query, "before");
    Double minScore = number(query, "min_score");
    Double maxScore = number(query, "max_score");
    Double limit = number(query, "limit");
    Double hasClip = number(query, "has_clip");
    Double hasSnapshot = number(query, "has_snapshot");
    Double inProgress = number(query, "in_progress");
    String eventId = query.get("event_id");
    String sort = query.get("sort");
    List<JsonObject> matching = new ArrayList<>();
    for (JsonObject event : events) {
      double start = event.getDouble("start_time");
      if (cameraFilter != null && !cameraFilter.contains(event.getString("camera"))
          || labelFilter != null && !labelFilter.contains(event.getString("label"))
          || subLabelFilter != null && !subLabelFilter.contains(event.getString("sub_label"))
          || zoneFilter != null
              && event.getJsonArray("zones").stream().noneMatch(zoneFilter::contains)
          || after != null && start <= after
          || before != null && start >= before
          || hasClip != null && event.getBoolean("has_clip") != (hasClip != 0)
          || hasSnapshot != null && event.getBoolean("has_snapshot") != (hasSnapshot != 0)
          || inProgress != null && (event.getValue("end_time") == null) != (inProgress != 0)
          || minScore != null && score(event) < minScore
          || maxScore != null && score(event) > maxScore
          || eventId != null && !eventId.equals(event.getString("id"))) {
        continue;
      }
      matching.add(event);
    }
    Comparator<JsonObject> byDate = Comparator.comparingDouble(e -> e.getDouble("start_time"));
    Comparator<JsonObject> byScore = Comparator.comparingDouble(FrigateEvents::score);
    Comparator<JsonObject> order =
        switch (sort == null ? "" : sort) {
          case "date_asc" -> byDate;
          case "score_asc" -> byScore;
          case "score_desc" -> byScore.reversed();
          default -> byDate.reversed();
        };
    matching.sort(order);
    int max = limit == null ? 100 : (int) Math.max(0, limit.doubleValue());
    return matching.subList(0, Math.min(max, matching.size()));
  }

  private static double score(JsonObject event) {
    JsonObject data = event.getJsonObject("data");
    return data != null ? data.getDouble("top_score") : event.getDouble("top_score");
  }

  /** A comma list under either name, or {@code null} for all ("all" as Frigate reads it). */
  private static Set<String> list(MultiMap query, String plural, String singular) {
    String value = query.get(plural) != null ? query.get(plural) : query.get(singular);
    if (value == null || value.equals("all")) {
      return null;
    }
    return new HashSet<>(Arrays.asList(value.split(",")));
  }

  private static Double number(MultiMap query, String name) {
    String value = query.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name);
    }
  }
}
