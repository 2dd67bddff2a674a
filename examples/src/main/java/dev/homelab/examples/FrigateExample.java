package dev.homelab.examples;

import dev.homelab.core.upstream.frigate.EventQuery;
import dev.homelab.core.upstream.frigate.FrigateCamera;
import dev.homelab.core.upstream.frigate.FrigateClient;
import dev.homelab.core.upstream.frigate.FrigateEvent;
import dev.homelab.core.upstream.frigate.FrigateMedia;
import dev.homelab.core.upstream.frigate.FrigateOptions;
import dev.homelab.simulators.frigate.FrigateSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.file.OpenOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists a Frigate NVR's cameras, streams one camera's snapshot to a file without holding it in
 * memory, and reads its latest events. Frigate's simulator stands in for the real one; with a real
 * Frigate only the base URL (and, on port 8971, the credentials) change.
 */
public final class FrigateExample {

  private FrigateExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx, Files.createTempDirectory("frigate-example")).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits with {@code await()}: call it from a plain or a virtual thread, never an event loop.
   *
   * @param vertx the Vert.x instance
   * @param dir where the snapshot is written
   * @return what the example found
   * @throws Exception if the snapshot file cannot be read back
   */
  static List<String> run(Vertx vertx, Path dir) throws Exception {
    FrigateSimulator simulator = FrigateSimulator.start(vertx).await();
    FrigateClient frigate =
        FrigateClient.create(vertx, new FrigateOptions().setBaseUrl(simulator.baseUrl()));
    List<String> out = new ArrayList<>();
    try {
      List<FrigateCamera> cameras = frigate.cameras().await();
      out.add(cameras.size() + " cameras, the first: " + cameras.get(0).name());

      // Streamed to the file as it arrives (sending both h and height, for old and new Frigate).
      Path file = dir.resolve("snapshot.jpg");
      FrigateMedia snapshot = frigate.snapshot(cameras.get(0).name(), 360).await();
      snapshot.pipeTo(vertx.fileSystem().open(file.toString(), new OpenOptions()).await()).await();
      out.add(snapshot.contentType() + ", " + Files.size(file) + " bytes written");

      List<FrigateEvent> events =
          frigate.events(EventQuery.create().cameras(cameras.get(0).name()).limit(3)).await();
      events.forEach(event -> out.add("  " + event.label() + " on " + event.camera()));
    } finally {
      frigate.close().await();
      simulator.close().await();
    }
    return out;
  }
}
