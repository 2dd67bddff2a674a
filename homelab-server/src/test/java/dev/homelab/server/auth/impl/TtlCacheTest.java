package dev.homelab.server.auth.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TtlCacheTest {

  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void requestsThatMissWhileAKeyLoadsShareThatLoad() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofMinutes(1), 100);
    AtomicInteger loads = new AtomicInteger();
    Promise<String> store = Promise.promise();
    List<Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      answers.add(
          cache.get(
              "user-1",
              () -> {
                loads.incrementAndGet();
                return store.future();
              }));
    }
    assertThat(loads).hasValue(1);
    assertThat(answers).noneMatch(Future::isComplete);
    store.complete("alice");
    assertThat(answers).allMatch(f -> "alice".equals(f.result()));
    // and then it is cached
    assertThat(cache.get("user-1", () -> Future.succeededFuture("other")).result())
        .isEqualTo("alice");
    assertThat(loads).hasValue(1);
  }

  @Test
  void anExpiredEntryIsLoadedOnceAgain() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofSeconds(5), 100, clock::get);
    AtomicInteger loads = new AtomicInteger();
    cache.get("k", () -> Future.succeededFuture("v" + loads.incrementAndGet()));
    clock.addAndGet(Duration.ofMillis(3_999).toNanos()); // before its last fifth: plain hit
    assertThat(cache.get("k", () -> Future.succeededFuture("v" + loads.incrementAndGet())).result())
        .isEqualTo("v1");
    assertThat(loads).hasValue(1);
    clock.addAndGet(Duration.ofMillis(1_001).toNanos()); // expired
    Promise<String> store = Promise.promise();
    Future<String> first = cache.get("k", () -> store.future());
    Future<String> second = cache.get("k", () -> Future.succeededFuture("not asked"));
    assertThat(first.isComplete()).isFalse(); // an expired value is never served
    store.complete("v2");
    assertThat(first.result()).isEqualTo("v2");
    assertThat(second.result()).isEqualTo("v2");
  }

  @Test
  void aHotKeyIsReloadedInItsLastFifthWhileItIsStillServed() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofSeconds(5), 100, clock::get);
    cache.get("k", () -> Future.succeededFuture("v1"));
    clock.addAndGet(Duration.ofMillis(4_200).toNanos()); // in its last fifth
    AtomicInteger loads = new AtomicInteger();
    Promise<String> store = Promise.promise();
    Future<String> during =
        cache.get(
            "k",
            () -> {
              loads.incrementAndGet();
              return store.future();
            });
    Future<String> alsoDuring = cache.get("k", () -> Future.succeededFuture("not asked"));
    assertThat(during.result()).isEqualTo("v1"); // answered at once, not waiting for the reload
    assertThat(alsoDuring.result()).isEqualTo("v1");
    assertThat(loads).hasValue(1);
    store.complete("v2");
    assertThat(cache.get("k", () -> Future.succeededFuture("not asked")).result()).isEqualTo("v2");
    // The refreshed value lives a full ttl from when its reload began.
    clock.addAndGet(Duration.ofMillis(4_900).toNanos());
    assertThat(cache.get("k", () -> Future.succeededFuture("not asked")).result()).isEqualTo("v2");
  }

  @Test
  void aRefreshSlowerThanTheLastFifthNeverServesAnExpiredValue() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofSeconds(5), 100, clock::get);
    cache.get("k", () -> Future.succeededFuture("v1"));
    clock.addAndGet(Duration.ofMillis(4_200).toNanos());
    Promise<String> slow = Promise.promise();
    cache.get("k", () -> slow.future());
    clock.addAndGet(Duration.ofMillis(900).toNanos()); // v1 has expired, the refresh still runs
    Future<String> after = cache.get("k", () -> Future.succeededFuture("v2"));
    assertThat(after.result()).isEqualTo("v2");
  }

  @Test
  void aLoadThatNeverEndsHoldsUpItsKeyForOneTtlAtMost() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofSeconds(5), 100, clock::get);
    Future<String> hung = cache.get("k", () -> Promise.<String>promise().future());
    Future<String> joined = cache.get("k", () -> Future.succeededFuture("not asked"));
    assertThat(hung.isComplete()).isFalse();
    assertThat(joined.isComplete()).isFalse();
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(cache.get("k", () -> Future.succeededFuture("read again")).result())
        .isEqualTo("read again");
  }

  @Test
  void aKeyInvalidatedWhileItRefreshesStaysForgotten() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofSeconds(5), 100, clock::get);
    cache.get("k", () -> Future.succeededFuture("admin"));
    clock.addAndGet(Duration.ofMillis(4_200).toNanos());
    AtomicInteger loads = new AtomicInteger();
    Promise<String> stale = Promise.promise();
    cache.get(
        "k",
        () -> {
          loads.incrementAndGet();
          return stale.future();
        });
    assertThat(loads).hasValue(1); // the refresh did start
    cache.invalidate("k");
    stale.complete("admin");
    assertThat(cache.get("k", () -> Future.succeededFuture("viewer")).result()).isEqualTo("viewer");
  }

  @Test
  void absentValuesAreCachedAndFailuresAreNot() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofMinutes(1), 100);
    cache.get("missing", () -> Future.<String>succeededFuture(null));
    Future<String> again = cache.get("missing", () -> Future.succeededFuture("found"));
    assertThat(again.succeeded()).isTrue();
    assertThat(again.result()).isNull();

    Promise<String> failing = Promise.promise();
    Future<String> failed = cache.get("flaky", () -> failing.future());
    Future<String> waiting = cache.get("flaky", () -> Future.succeededFuture("not asked"));
    failing.fail("store down");
    assertThat(failed.failed()).isTrue();
    assertThat(waiting.failed()).isTrue();
    assertThat(cache.get("flaky", () -> Future.succeededFuture("back")).result()).isEqualTo("back");
  }

  @Test
  void aKeyInvalidatedWhileItLoadsIsNotStored() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofMinutes(1), 100);
    Promise<String> stale = Promise.promise();
    Future<String> before = cache.get("user-1", () -> stale.future());
    cache.invalidate("user-1"); // the user changed after the load read the store
    Future<String> after = cache.get("user-1", () -> Future.succeededFuture("viewer now"));
    stale.complete("admin");
    assertThat(before.result()).isEqualTo("admin");
    assertThat(after.result()).isEqualTo("viewer now");
    assertThat(cache.get("user-1", () -> Future.succeededFuture("reloaded")).result())
        .isEqualTo("viewer now");
  }

  @Test
  void aLoaderThatThrowsFailsTheLookupAndIsNotCached() {
    TtlCache<String> cache = new TtlCache<>(Duration.ofMinutes(1), 100);
    Future<String> thrown =
        cache.get(
            "k",
            () -> {
              throw new IllegalStateException("bug");
            });
    assertThat(thrown.failed()).isTrue();
    assertThat(cache.get("k", () -> Future.succeededFuture("ok")).result()).isEqualTo("ok");
    Future<String> error =
        cache.get(
            "e",
            () -> {
              throw new AssertionError("an Error");
            });
    Future<String> none = cache.get("n", () -> null);
    assertThat(error.failed()).isTrue();
    assertThat(none.failed()).isTrue();
    assertThat(cache.get("e", () -> Future.succeededFuture("ok")).result()).isEqualTo("ok");
    assertThat(cache.get("n", () -> Future.succeededFuture("ok")).result()).isEqualTo("ok");
  }

  @Test
  void aSharedLoadAnswersEachWaiterOnItsOwnContext() throws Exception {
    TtlCache<String> cache = new TtlCache<>(Duration.ofMinutes(1), 100);
    Promise<String> store = Promise.promise();
    Context loading = vertx.getOrCreateContext();
    Context waiting = vertx.getOrCreateContext();
    CompletableFuture<Boolean> onWaitersContext = new CompletableFuture<>();
    CompletableFuture<String> waitersAnswer = new CompletableFuture<>();
    CompletableFuture<Void> started = new CompletableFuture<>();
    loading.runOnContext(
        v -> {
          cache.get("k", () -> store.future());
          started.complete(null);
        });
    started.get(10, TimeUnit.SECONDS);
    CompletableFuture<Void> asked = new CompletableFuture<>();
    waiting.runOnContext(
        v -> {
          cache
              .get("k", () -> Future.succeededFuture("not asked"))
              .onComplete(
                  r -> {
                    waitersAnswer.complete(r.result());
                    onWaitersContext.complete(Vertx.currentContext() == waiting);
                  });
          asked.complete(null);
        });
    asked.get(10, TimeUnit.SECONDS); // the waiter has joined the shared load
    loading.runOnContext(v -> store.complete("v"));
    assertThat(onWaitersContext.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(waitersAnswer.get(10, TimeUnit.SECONDS)).isEqualTo("v"); // the shared load's
  }

  @Test
  void aZeroTtlLoadsEveryTime() {
    TtlCache<String> cache = new TtlCache<>(Duration.ZERO, 100);
    AtomicInteger loads = new AtomicInteger();
    cache.get("k", () -> Future.succeededFuture("v" + loads.incrementAndGet()));
    cache.get("k", () -> Future.succeededFuture("v" + loads.incrementAndGet()));
    assertThat(loads).hasValue(2);
  }
}
