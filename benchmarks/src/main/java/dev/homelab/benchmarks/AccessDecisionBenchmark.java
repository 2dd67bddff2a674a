package dev.homelab.benchmarks;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.AccessEngineOptions;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.Decision;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.casbin.jcasbin.main.CachedEnforcer;
import org.casbin.jcasbin.main.Enforcer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one access decision costs: the engine's {@code decide()} against jCasbin deciding the same
 * rules ({@link CasbinAccessModel}), plain and cached, and against {@link #baseline()}, a bare hash
 * lookup of the card, the floor of any in-memory decision.
 *
 * <p>Every method decides the next scan of one {@link AccessWorkload} (10,000 cards with weekly
 * schedules, 50 readers, 5 groups; 2^16 scans, a fixed clock). The engine runs with lockout off
 * ({@code lockoutThreshold} 0), since a tenth of the scans are denied and would otherwise lock the
 * readers out within the first iteration and turn every later decision into {@code LOCKED_OUT}.
 * Setup checks that every implementation grants exactly the scans the engine grants.
 *
 * <p>Both average time and sample time: the samples give the percentiles. A sample includes one
 * {@code System.nanoTime()} pair, about 20-30 ns on common hardware, so read sub-100 ns percentiles
 * as upper bounds.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
public class AccessDecisionBenchmark extends BenchmarkBase {

  private static final int MASK = AccessWorkload.SCANS - 1;

  private AccessWorkload workload;
  private Vertx vertx;
  private AccessEngine engine;
  private Enforcer enforcer;
  private CachedEnforcer cachedEnforcer;
  private Map<String, Object> cards;
  private String now;

  /** The next scan, one cursor per thread: each thread walks all the scans in order. */
  @State(Scope.Thread)
  public static class Cursor {
    private int next;

    int next() {
      return next++ & MASK;
    }
  }

  /** Builds every implementation, checks that they agree and fills jCasbin's cache. */
  @Setup(Level.Trial)
  public void setUp() {
    workload = AccessWorkload.standard();
    vertx = Vertx.vertx();
    engine = startEngine(vertx, workload);
    enforcer = CasbinAccessModel.enforcer(workload);
    cachedEnforcer = CasbinAccessModel.cachedEnforcer(workload);
    now = CasbinAccessModel.now(AccessWorkload.NOW);
    cards = new HashMap<>();
    for (CardPolicy card : workload.cards()) {
      cards.put(card.uid(), card);
    }
    for (int i = 0; i < AccessWorkload.SCANS; i++) {
      String reader = workload.scanReader(i);
      String card = workload.scanCard(i);
      boolean granted = engine.decide(reader, card).granted();
      // The cached enforcer's first pass fills its cache, which is what its design measures.
      if (cachedEnforcer.enforce(card, reader, now) != granted
          || enforcer.enforce(card, reader, now) != granted) {
        throw new IllegalStateException(
            "jCasbin and the engine disagree on scan " + i + ": " + card + " at " + reader);
      }
    }
  }

  /**
   * @param vertx the Vert.x the engine runs on
   * @param workload the policies
   * @return an engine of the workload's policies at {@link AccessWorkload#NOW}, lockout off
   */
  static AccessEngine startEngine(Vertx vertx, AccessWorkload workload) {
    return startEngine(vertx, workload, AccessWorkload.clock());
  }

  /**
   * @param vertx the Vert.x the engine runs on
   * @param workload the policies
   * @param clock the engine's clock
   * @return an engine of the workload's policies, lockout off and never refreshing
   */
  static AccessEngine startEngine(Vertx vertx, AccessWorkload workload, Clock clock) {
    return AccessEngine.builder(vertx)
        .policies(new ReadOnlyAccessPolicies(workload.cards(), workload.groups()))
        .log(new DiscardingAccessLog())
        .clock(clock)
        .options(new AccessEngineOptions().setLockoutThreshold(0).setPolicyRefreshSeconds(0))
        .start()
        .await();
  }

  /** Closes the engine and Vert.x. */
  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close().await();
    vertx.close().await();
  }

  /**
   * @param cursor the scans
   * @return the policy of the scanned card, or {@code null}
   */
  @Benchmark
  public Object baseline(Cursor cursor) {
    return cards.get(workload.scanCard(cursor.next()));
  }

  /**
   * @param cursor the scans
   * @return the engine's decision
   */
  @Benchmark
  public Decision homelabDecide(Cursor cursor) {
    int i = cursor.next();
    return engine.decide(workload.scanReader(i), workload.scanCard(i));
  }

  /**
   * @param cursor the scans
   * @return jCasbin's answer
   */
  @Benchmark
  public boolean jcasbinEnforcer(Cursor cursor) {
    int i = cursor.next();
    return enforcer.enforce(workload.scanCard(i), workload.scanReader(i), now);
  }

  /**
   * @param cursor the scans
   * @return the cached jCasbin's answer
   */
  @Benchmark
  public boolean jcasbinCachedEnforcer(Cursor cursor) {
    int i = cursor.next();
    return cachedEnforcer.enforce(workload.scanCard(i), workload.scanReader(i), now);
  }
}
