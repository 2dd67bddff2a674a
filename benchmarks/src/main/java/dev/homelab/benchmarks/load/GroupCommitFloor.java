package dev.homelab.benchmarks.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The least a durable answer costs on this machine, with no HTTP, auth or engine: each request,
 * handed over from an event loop, is written by a writer thread of its own in group commits (every
 * request queued while a commit runs goes in the next one), and completes on the event loop it came
 * from once its commit is durable. Every durable access log pays at least this (a hand-off, a
 * durable write, a hand-back), so these are the floors a durable check is judged against in the
 * same run.
 *
 * <ul>
 *   <li>{@link #onFile}: a record of {@value #RECORD_BYTES} bytes per request appended to a
 *       preallocated file, one {@code fdatasync} per group: what the machine's disk and scheduler
 *       cost, and the least any design (a journal of our own included) could pay.
 *   <li>{@link #onStore}: an {@code access_logs} row per request inserted through plain JDBC, one
 *       transaction per group: what the database costs with the simplest client, before Vert.x and
 *       the server add anything.
 * </ul>
 */
final class GroupCommitFloor implements AutoCloseable {

  /** About an access log row's size. */
  static final int RECORD_BYTES = 200;

  private static final int MAX_GROUP = 4096;
  private static final Pending STOP = new Pending(null, null);

  /** Writes one group durably: {@code rows} records, then the sync or commit. */
  interface Sink extends AutoCloseable {
    void commit(int rows) throws Exception;

    @Override
    void close() throws Exception;
  }

  private record Pending(Promise<Integer> promise, Context context) {}

  private final Sink sink;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile Exception failure;

  private GroupCommitFloor(String name, Sink sink) {
    this.sink = sink;
    this.writer = new Thread(this::writeLoop, name);
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * Appends to a file that it creates, fills with zeros and syncs first, so that a commit never
   * grows it: an append to a growing file also waits for the file system's journal, which a tuned
   * log would not do either.
   *
   * @param path the file, on the file system whose latency is measured
   * @param capacity how many bytes to preallocate; appends past them wrap to the start
   */
  static GroupCommitFloor onFile(Path path, long capacity) throws IOException {
    long size = Math.max(capacity, RECORD_BYTES * 1024L);
    FileChannel file =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
    for (long written = 0; written < size; ) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
      written += file.write(zeros, written);
    }
    file.force(true);
    ByteBuffer buffer = ByteBuffer.allocateDirect(RECORD_BYTES * MAX_GROUP);
    long[] position = {0};
    Sink sink =
        new Sink() {
          @Override
          public void commit(int rows) throws IOException {
            buffer.clear();
            for (int i = 0; i < rows; i++) {
              for (int b = 0; b < RECORD_BYTES - 1; b++) {
                buffer.put((byte) ('a' + (i + b) % 26));
              }
              buffer.put((byte) '\n');
            }
            buffer.flip();
            if (position[0] + buffer.remaining() > size) {
              position[0] = 0;
            }
            while (buffer.hasRemaining()) {
              position[0] += file.write(buffer, position[0]);
            }
            file.force(false);
          }

          @Override
          public void close() throws IOException {
            file.close();
          }
        };
    return new GroupCommitFloor("group-commit-file", sink);
  }

  /**
   * Inserts rows shaped like the access log's into {@code table}, which has the access log's
   * columns and indexes, one transaction per group.
   *
   * @param connection a connection of its own, in autocommit mode; closed with this
   * @param table the table to insert into
   * @param epochMillisTime whether the time column holds epoch milliseconds (SQLite) or a timestamp
   *     (PostgreSQL)
   */
  static GroupCommitFloor onStore(Connection connection, String table, boolean epochMillisTime)
      throws SQLException {
    PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO "
                + table
                + " (id, time, device_id, card_uid, granted, reason, holder, latency_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    connection.setAutoCommit(false);
    long[] sequence = {0};
    Sink sink =
        new Sink() {
          @Override
          public void commit(int rows) throws SQLException {
            try {
              for (int i = 0; i < rows; i++) {
                long n = sequence[0]++;
                long now = System.currentTimeMillis();
                // Time first, as the engine's ids are: each row goes at the end of the index.
                insert.setString(1, new UUID(now << 16 | (n & 0xffff), n).toString());
                if (epochMillisTime) {
                  insert.setLong(2, now);
                } else {
                  insert.setTimestamp(2, new Timestamp(now));
                }
                insert.setString(3, "door-" + (n % 50));
                insert.setString(4, n % 10 == 0 ? "01020304" : "BA839D07");
                insert.setInt(5, n % 10 == 0 ? 0 : 1);
                insert.setString(6, n % 10 == 0 ? "UNKNOWN_CARD" : "GRANTED");
                insert.setString(7, n % 10 == 0 ? null : "Load");
                insert.setDouble(8, 0.01);
                insert.addBatch();
              }
              insert.executeBatch();
              connection.commit();
            } catch (SQLException e) {
              connection.rollback();
              throw e;
            } finally {
              insert.clearBatch();
            }
          }

          @Override
          public void close() throws SQLException {
            connection.close();
          }
        };
    return new GroupCommitFloor("group-commit-store", sink);
  }

  /**
   * Writes one record and completes, with 200, once it is durable: on the caller's context, or on
   * the writer's thread for a caller outside Vert.x.
   *
   * @return completes after the record's group commit
   */
  Future<Integer> append() {
    Exception failed = failure;
    if (failed != null) {
      return Future.failedFuture(failed);
    }
    Promise<Integer> promise = Promise.promise();
    queue.add(new Pending(promise, Vertx.currentContext()));
    return promise.future();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    try {
      while (true) {
        batch.clear();
        batch.add(queue.take());
        queue.drainTo(batch, MAX_GROUP - 1);
        boolean stop = batch.removeIf(p -> p == STOP);
        if (!batch.isEmpty()) {
          sink.commit(batch.size());
        }
        complete(batch, null);
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      failure = e;
      complete(batch, e);
      List<Pending> rest = new ArrayList<>();
      queue.drainTo(rest);
      complete(rest, e);
    }
  }

  /** One hand-back per context and group, as a group commit's callers are answered. */
  private static void complete(List<Pending> batch, Throwable cause) {
    Map<Context, List<Pending>> byContext = new LinkedHashMap<>();
    for (Pending p : batch) {
      byContext.computeIfAbsent(p.context, c -> new ArrayList<>()).add(p);
    }
    byContext.forEach(
        (context, settled) -> {
          Runnable settle =
              () -> {
                for (Pending p : settled) {
                  if (cause == null) {
                    p.promise.complete(200);
                  } else {
                    p.promise.fail(cause);
                  }
                }
              };
          if (context == null) {
            settle.run();
          } else {
            context.runOnContext(v -> settle.run());
          }
        });
  }

  /** Lets the requests already queued commit, then closes the file or connection. */
  @Override
  public void close() throws Exception {
    queue.add(STOP);
    try {
      writer.join(10_000);
    } finally {
      sink.close();
    }
    if (failure != null) {
      throw failure;
    }
  }
}
