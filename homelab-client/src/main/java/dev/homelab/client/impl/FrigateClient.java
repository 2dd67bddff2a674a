package dev.homelab.client.impl;

import dev.homelab.client.frigate.FrigateApi;
import dev.homelab.client.frigate.FrigateCamera;
import dev.homelab.client.frigate.FrigateClip;
import dev.homelab.client.frigate.FrigateEvent;
import dev.homelab.client.frigate.FrigateEventQuery;
import dev.homelab.client.frigate.FrigateSnapshot;
import dev.homelab.client.frigate.FrigateStats;
import io.vertx.core.Future;
import io.vertx.core.file.FileProps;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@link FrigateApi} over the transport; snapshots are streamed, never held whole. */
final class FrigateClient implements FrigateApi {

  private final Transport transport;

  FrigateClient(Transport transport) {
    this.transport = transport;
  }

  @Override
  public Future<List<FrigateCamera>> cameras() {
    return transport.get(
        "/api/frigate/cameras", json -> list(json, "cameras", FrigateCamera::fromJson));
  }

  @Override
  public Future<FrigateSnapshot> snapshot(String camera, int height) {
    return transport
        .open(HttpMethod.GET, snapshotPath(camera), query(height), null, 200)
        .map(
            answer ->
                new FrigateSnapshot(
                    answer.headers().get("Content-Type"), answer.contentLength(), answer.body()));
  }

  @Override
  public Future<Long> snapshotToFile(String camera, int height, Path file) {
    String path = file.toAbsolutePath().toString();
    return transport
        .vertx()
        .fileSystem()
        .open(path, new OpenOptions().setWrite(true).setCreate(true).setTruncateExisting(true))
        .compose(
            out ->
                transport.download(
                    HttpMethod.GET, snapshotPath(camera), query(height), null, out, 200))
        .compose(done -> transport.vertx().fileSystem().props(path))
        .map(FileProps::size);
  }

  @Override
  public Future<List<FrigateEvent>> events(FrigateEventQuery query) {
    return transport.get(
        "/api/frigate/events",
        query.toQueryParams(),
        json -> list(json, "events", FrigateEvent::fromJson));
  }

  @Override
  public Future<FrigateStats> stats() {
    return transport.get("/api/frigate/stats", FrigateStats::fromJson);
  }

  @Override
  public Future<FrigateSnapshot> eventSnapshot(String id) {
    return transport
        .open(HttpMethod.GET, eventPath(id) + "/snapshot", Map.of(), null, 200)
        .map(
            answer ->
                new FrigateSnapshot(
                    answer.headers().get("Content-Type"), answer.contentLength(), answer.body()));
  }

  @Override
  public Future<FrigateClip> eventClip(String id) {
    return clip(id, null);
  }

  @Override
  public Future<FrigateClip> eventClip(String id, long first, long last) {
    ByteRange range;
    try {
      range = new ByteRange(first, last);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return clip(id, range);
  }

  private Future<FrigateClip> clip(String id, ByteRange range) {
    int[] accepted = range == null ? new int[] {200} : new int[] {200, 206};
    return transport
        .open(HttpMethod.GET, eventPath(id) + "/clip", Map.of(), range, accepted)
        .map(
            answer ->
                new FrigateClip(
                    answer.status(),
                    answer.headers().get("Content-Type"),
                    answer.contentLength(),
                    answer.headers().get("Content-Range"),
                    answer.body()));
  }

  private static String eventPath(String id) {
    return "/api/frigate/events/" + Transport.segment(id);
  }

  private static String snapshotPath(String camera) {
    return "/api/frigate/camera/" + Transport.segment(camera) + "/snapshot";
  }

  private static Map<String, String> query(int height) {
    return Map.of("h", Integer.toString(height));
  }

  private static <T> List<T> list(JsonObject json, String key, Function<JsonObject, T> item) {
    List<T> items = new ArrayList<>();
    JsonArray array = json.getJsonArray(key, new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      items.add(item.apply(array.getJsonObject(i)));
    }
    return List.copyOf(items);
  }
}
