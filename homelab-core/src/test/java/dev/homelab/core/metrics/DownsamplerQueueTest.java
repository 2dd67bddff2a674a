package dev.homelab.core.metrics;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The downsampler's queue runs one operation at a time even when an operation runs at once (an
 * in-memory repository) and something it calls enqueues another: that one waits for the first.
 */
class DownsamplerQueueTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    await(vertx.close());
  }

  @Test
  void anOperationEnqueuedFromInsideAnotherRunsAfterIt() {
    long now = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicReference<Downsampler> downsampler = new AtomicReference<>();
    MetricRepository memory = MetricRepository.inMemory();
    SeriesKey key = SeriesKey.of("queue.test");
    MetricRepository reentrant =
        new DownsamplerContract.ForwardingRepository(memory) {
          @Override
          public Future<Integer> append(List<Point> points) {
            order.add("start " + points.get(0).value());
            if (points.get(0).value() == 1.0) {
              downsampler
                  .get()
                  .write(List.of(new Point(key, now + 1, 2.0)))
                  .onComplete(r -> order.add("nested written"));
            }
            order.add("end " + points.get(0).value());
            return super.append(points);
          }
        };
    downsampler.set(
        Downsampler.create(
            vertx,
            reentrant,
            new DownsamplerOptions(),
            new MutableClock(Instant.ofEpochMilli(now))));
    await(downsampler.get().start());

    WriteResult first = await(downsampler.get().write(List.of(new Point(key, now, 1.0))));

    assertThat(first.stored()).isEqualTo(1);
    assertThat(order)
        .containsExactly("start 1.0", "end 1.0", "start 2.0", "end 2.0", "nested written");
    assertThat(await(memory.read(key, downsampler.get().tiers().get(0), now, now + 2))).hasSize(2);
    await(downsampler.get().close());
  }
}
