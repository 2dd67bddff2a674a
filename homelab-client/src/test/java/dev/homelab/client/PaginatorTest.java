package dev.homelab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.devices.DeviceQuery;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What {@link Paginator} does with any paged list: reads lazily, one page at a time, follows the
 * cursors to the end, holds back when the reader does, and stops at the first failure. The list
 * here is an in-memory one; {@code AutoPagingTest} in homelab-server pages through the real
 * server's lists.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class PaginatorTest {

  /** A list of numbers in pages of {@code size}, whose cursor is the next item's index. */
  private static final class Numbers {
    final List<Integer> items;
    final int size;
    final List<String> reads = new CopyOnWriteArrayList<>();
    Integer failAt;

    Numbers(int count, int size) {
      this.items = IntStream.range(0, count).boxed().toList();
      this.size = size;
    }

    Future<Page<Integer>> list(DeviceQuery query) {
      String cursor = query.cursor();
      reads.add(String.valueOf(cursor));
      int from = cursor == null ? 0 : Integer.parseInt(cursor);
      if (failAt != null && from == failAt) {
        return Future.failedFuture(new HomelabConnectionException("page " + from + " lost", null));
      }
      int to = Math.min(from + size, items.size());
      return Future.succeededFuture(
          new Page<>(items.subList(from, to), to < items.size() ? String.valueOf(to) : null));
    }

    Paginator<Integer> pages() {
      return Paginator.of(DeviceQuery.create().withLimit(size), this::list);
    }
  }

  @Test
  void readsNothingUntilAskedAndStartsAgainEachTime() {
    Numbers numbers = new Numbers(7, 3);
    Paginator<Integer> pages = numbers.pages();
    assertThat(numbers.reads).isEmpty();

    assertThat(pages.collect(100).result()).containsExactly(0, 1, 2, 3, 4, 5, 6);
    assertThat(numbers.reads).containsExactly("null", "3", "6");
    assertThat(pages.collect(7).result()).hasSize(7);
    assertThat(numbers.reads).hasSize(6);
  }

  @Test
  void startsAtTheQuerysCursor() {
    Numbers numbers = new Numbers(7, 3);
    Paginator<Integer> fromFour =
        Paginator.of(DeviceQuery.create().withLimit(3).withCursor("4"), numbers::list);

    assertThat(fromFour.collect(10).result()).containsExactly(4, 5, 6);
  }

  @Test
  void collectRefusesMoreThanItsBoundAndStopsReading() {
    Numbers numbers = new Numbers(100, 10);

    Future<List<Integer>> all = numbers.pages().collect(25);

    assertThat(all.cause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("more than 25");
    assertThat(numbers.reads).containsExactly("null", "10", "20");
    assertThat(numbers.pages().collect(100).result()).hasSize(100);
  }

  @Test
  void forEachWaitsForEachItemBeforeTheNextAndReadsPagesOnlyThen() {
    Numbers numbers = new Numbers(5, 2);
    List<Promise<Void>> pending = new ArrayList<>();
    List<Integer> seen = new ArrayList<>();

    Future<Void> done =
        numbers
            .pages()
            .forEach(
                item -> {
                  seen.add(item);
                  Promise<Void> handled = Promise.promise();
                  pending.add(handled);
                  return handled.future();
                });

    assertThat(seen).containsExactly(0);
    pending.get(0).complete();
    assertThat(seen).containsExactly(0, 1);
    assertThat(numbers.reads).containsExactly("null"); // the second page waits for item 1
    pending.get(1).complete();
    assertThat(seen).containsExactly(0, 1, 2);
    assertThat(numbers.reads).containsExactly("null", "2");
    for (int i = 2; i < 5; i++) {
      pending.get(i).complete();
    }
    assertThat(done.succeeded()).isTrue();
    assertThat(seen).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void forEachOfItemsDoneAtOnceDoesNotGrowTheStack() {
    Numbers numbers = new Numbers(200_000, 100_000);
    long[] sum = {0};

    Future<Void> done =
        numbers
            .pages()
            .forEach(
                item -> {
                  sum[0] += item;
                  return Future.succeededFuture();
                });

    assertThat(done.succeeded()).isTrue();
    assertThat(sum[0]).isEqualTo(200_000L * 199_999 / 2);
  }

  @Test
  void aFailedPageOrActionEndsTheWalk() {
    Numbers numbers = new Numbers(10, 3);
    numbers.failAt = 6;
    List<Integer> seen = new ArrayList<>();

    Future<Void> lost =
        numbers
            .pages()
            .forEach(
                item -> {
                  seen.add(item);
                  return Future.succeededFuture();
                });

    assertThat(lost.cause()).isInstanceOf(HomelabConnectionException.class);
    assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5);

    numbers.failAt = null;
    numbers.reads.clear();
    Future<Void> refused =
        numbers
            .pages()
            .forEach(
                item ->
                    item == 1
                        ? Future.failedFuture(new IllegalArgumentException("no 1"))
                        : Future.succeededFuture());
    assertThat(refused.cause()).hasMessage("no 1");
    assertThat(numbers.reads).containsExactly("null");
  }

  @Test
  void nextPageOfTheLastPageFails() {
    Numbers numbers = new Numbers(2, 5);
    Page<Integer> last = numbers.pages().firstPage().result();

    assertThat(last.hasNext()).isFalse();
    assertThat(numbers.pages().nextPage(last).cause()).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void streamReadsAPageOnlyWhenTheReaderWantsMore(Vertx vertx, VertxTestContext test) {
    Numbers numbers = new Numbers(7, 3);
    List<Integer> seen = new ArrayList<>();
    vertx.runOnContext(
        start -> {
          ReadStream<Integer> stream = numbers.pages().stream();
          stream.pause();
          stream.endHandler(
              end ->
                  test.verify(
                      () -> {
                        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6);
                        assertThat(numbers.reads).containsExactly("null", "3", "6");
                        test.completeNow();
                      }));
          stream.exceptionHandler(test::failNow);
          stream.handler(
              item -> {
                seen.add(item);
                // One item at a time: after item 2 the next page must not have been read yet.
                if (item == 2) {
                  test.verify(() -> assertThat(numbers.reads).containsExactly("null"));
                }
                vertx.runOnContext(next -> stream.fetch(1));
              });
          test.verify(() -> assertThat(numbers.reads).isEmpty()); // paused: nothing read
          stream.fetch(1);
        });
  }

  @Test
  void streamEndsWithTheFailureOfAPage(Vertx vertx, VertxTestContext test) {
    Numbers numbers = new Numbers(10, 3);
    numbers.failAt = 3;
    List<Integer> seen = new ArrayList<>();
    vertx.runOnContext(
        start ->
            numbers.pages().stream()
                .exceptionHandler(
                    failure ->
                        test.verify(
                            () -> {
                              assertThat(failure).isInstanceOf(HomelabConnectionException.class);
                              assertThat(seen).containsExactly(0, 1, 2);
                              test.completeNow();
                            }))
                .endHandler(end -> test.failNow("ended after a failed page"))
                .handler(seen::add));
  }

  @Test
  void streamNeedsAContext() {
    assertThatThrownBy(() -> new Numbers(1, 1).pages().stream())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Vert.x context");
  }
}
