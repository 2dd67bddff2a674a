package dev.homelab.core.metrics;

import dev.homelab.core.metrics.impl.DownsamplerImpl;
import dev.homelab.core.metrics.impl.MetricTableReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Keeps time series at several resolutions: writes raw points, rolls them up incrementally into
 * coarser tiers, enforces each tier's retention and answers queries from the finest tier that
 * covers their range.
 *
 * <p><b>Exactness.</b> Every bucket keeps count, sum, min, max and last. A bucket of a tier is
 * written once all the finer data it covers is final: for the first rolled tier, when the bucket
 * ends more than {@link DownsamplerOptions#getLateness() lateness} ago; for a coarser tier, when
 * the finer tier's watermark has passed it. Each roll-up step writes whole buckets and advances the
 * tier's watermark in one transaction, and running it again writes the same buckets, so a crash or
 * a replay never loses or double-counts a bucket. A point is accepted only while its bucket is
 * still open (no older than the lateness, and after the watermark), and a series keeps one point
 * per millisecond (duplicates are ignored), so late and repeated points are folded in exactly.
 *
 * <p><b>Retention</b> deletes a tier's data older than its retention in bounded batches, but never
 * data the next tier has not rolled up yet.
 *
 * <p><b>Queries</b> read closed buckets of the chosen tier and compute the still-open ones from the
 * finer tiers, so the answer is exact up to the last point written.
 *
 * <p><b>Threading.</b> Methods may be called from any thread and return futures. Writes, roll-ups
 * and retention run one at a time, in order; a downsampler must be the only writer of its
 * repository. Several instances sharing a repository elect one of them to write and roll up (see
 * {@link dev.homelab.core.leader.Leadership}); the others {@link #stop()} and {@link #refresh()}.
 */
public interface Downsampler {

  /**
   * Like {@link #create(Vertx, MetricRepository, DownsamplerOptions, Clock)} with default options
   * and the system clock.
   *
   * @param vertx the Vert.x instance for timers
   * @param repository where points and buckets are kept
   * @return a new downsampler, not started
   */
  static Downsampler create(Vertx vertx, MetricRepository repository) {
    return create(vertx, repository, new DownsamplerOptions());
  }

  /**
   * Like {@link #create(Vertx, MetricRepository, DownsamplerOptions, Clock)} with the system clock.
   *
   * @param vertx the Vert.x instance for timers
   * @param repository where points and buckets are kept
   * @param options the options; copied
   * @return a new downsampler, not started
   */
  static Downsampler create(Vertx vertx, MetricRepository repository, DownsamplerOptions options) {
    return create(vertx, repository, options, Clock.systemUTC());
  }

  /**
   * Creates a downsampler. Call {@link #start()} to roll up and enforce retention periodically, or
   * call {@link #rollUp()} and {@link #enforceRetention()} yourself.
   *
   * @param vertx the Vert.x instance for timers
   * @param repository where points and buckets are kept
   * @param options the options; copied
   * @param clock the clock that says what "now" is (tests inject their own)
   * @return a new downsampler, not started
   */
  static Downsampler create(
      Vertx vertx, MetricRepository repository, DownsamplerOptions options, Clock clock) {
    return new DownsamplerImpl(vertx, repository, new DownsamplerOptions(options), clock);
  }

  /**
   * Writes points. A point is refused as too late if it is older than the lateness or its bucket
   * was already rolled up, or if it is more than the lateness in the future.
   *
   * @param points the points
   * @return what became of them
   */
  Future<WriteResult> write(List<Point> points);

  /**
   * Like {@link #write(List)} with one point.
   *
   * @param point the point
   * @return what became of it
   */
  default Future<WriteResult> write(Point point) {
    return write(List.of(point));
  }

  /**
   * Rolls every tier up as far as it can go now.
   *
   * @return how many buckets were written
   */
  Future<Integer> rollUp();

  /**
   * Deletes expired data of every tier, in batches, never data not yet rolled up.
   *
   * @return how many rows were deleted
   */
  Future<Long> enforceRetention();

  /**
   * Reads a series.
   *
   * @param query what to read
   * @return the buckets; a failed future with a {@code ValidationException} if the query names an
   *     unknown tier
   */
  Future<MetricSeries> query(MetricQuery query);

  /**
   * Reads a table: every series of its columns on one tier (the one the query names, else the
   * finest that covers its range), joined into one row per bucket, reduced to the query's {@code
   * maxPoints} along the table's primary column. Each column is the statistic of its series'
   * buckets, combined across the series its selector matches (a selector of a set is matched
   * against {@link #series()}); a column none of whose series has a point in a bucket has no value
   * in that row.
   *
   * @param query what to read
   * @return the rows; a failed future with a {@code ValidationException} if the query names an
   *     unknown tier
   */
  default Future<MetricTableResult> query(MetricTableQuery query) {
    return MetricTableReader.read(this, query);
  }

  /**
   * @param from the start of a range, in milliseconds since the epoch
   * @return the finest tier whose retention still covers {@code from} (allowing a second for a
   *     range computed from the clock a moment before), the coarsest if none does
   */
  Tier tierFor(long from);

  /**
   * @return every series ever written
   */
  Future<List<SeriesKey>> series();

  /**
   * @return the tiers, finest first
   */
  List<Tier> tiers();

  /**
   * @return each rolled tier's watermark as last read or written, in milliseconds since the epoch
   *     (0 if never rolled up)
   */
  Map<String, Long> watermarks();

  /**
   * @return for each rolled tier, how far its watermark is behind where it could be now, in
   *     milliseconds
   */
  Map<String, Long> rollupLag();

  /**
   * @return how many rows retention has deleted since this downsampler was created
   */
  long deletedRows();

  /**
   * Starts periodic roll-ups and retention, after reading the watermarks from the repository again
   * (another downsampler may have moved them while this one was stopped): the first roll-up starts
   * from the stored watermarks. Calling it again while started only reads the watermarks.
   *
   * @return a future completed once the watermarks are read
   */
  Future<Void> start();

  /**
   * Stops periodic roll-ups and retention; {@link #start()} resumes them. A roll-up or retention
   * pass in progress (periodic or not) ends after its current step, and nothing of it runs once the
   * returned future completes. Writes and queries go on.
   *
   * <p>For several instances over one repository, of which only the leader may roll up: the leader
   * calls {@link #start()}, and {@code stop()} as soon as it stops leading.
   *
   * @return a future completed when the operation in flight has finished
   */
  Future<Void> stop();

  /**
   * Reads the watermarks from the repository again, after every operation already queued. A
   * downsampler that does not roll up (a follower) calls it now and then, so that its queries know
   * how far the leader has rolled up, and never compute from finer data retention has deleted.
   *
   * @return a future completed once the watermarks are read
   */
  Future<Void> refresh();

  /**
   * Stops the timers and waits for the operation in flight; nothing runs after, and every further
   * operation fails.
   *
   * @return a future completed when stopped
   */
  Future<Void> close();
}
