package dev.homelab.core.files;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * A request body for tests: given chunks, delivered on one event loop and only while the reader
 * asks for them (pause/resume are honoured), then an end, a failure (a dropped connection), or
 * nothing until {@link #end()} (a client that is still sending).
 */
final class ChunkStream implements ReadStream<Buffer> {

  private final Context context;
  private final Deque<Buffer> chunks = new ArrayDeque<>();
  private final Throwable failure;
  private boolean open;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean paused;
  private boolean scheduled;
  private boolean finished;
  private int delivered;
  private final io.vertx.core.Promise<Void> started = io.vertx.core.Promise.promise();

  private ChunkStream(Vertx vertx, List<byte[]> chunks, Throwable failure, boolean open) {
    this.context = vertx.getOrCreateContext();
    chunks.forEach(c -> this.chunks.add(Buffer.buffer(c)));
    this.failure = failure;
    this.open = open;
  }

  /** The chunks, then the end. */
  static ChunkStream of(Vertx vertx, byte[]... chunks) {
    return new ChunkStream(vertx, List.of(chunks), null, false);
  }

  /** The chunks, then a failure as when the client's connection drops. */
  static ChunkStream failingAfter(Vertx vertx, Throwable failure, byte[]... chunks) {
    return new ChunkStream(vertx, List.of(chunks), failure, false);
  }

  /** The chunks, then nothing until {@link #end()}. */
  static ChunkStream open(Vertx vertx, byte[]... chunks) {
    return new ChunkStream(vertx, List.of(chunks), null, true);
  }

  /** Ends a stream made with {@link #open}. */
  void end() {
    context.runOnContext(
        v -> {
          open = false;
          schedule();
        });
  }

  /**
   * @return how many chunks the reader took (read on the stream's event loop)
   */
  int delivered() {
    return delivered;
  }

  /**
   * @return completed once the reader took the first chunk
   */
  io.vertx.core.Future<Void> started() {
    return started.future();
  }

  @Override
  public ChunkStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ChunkStream handler(Handler<Buffer> handler) {
    this.handler = handler;
    return this;
  }

  @Override
  public ChunkStream pause() {
    paused = true;
    return this;
  }

  @Override
  public ChunkStream resume() {
    paused = false;
    schedule();
    return this;
  }

  @Override
  public ChunkStream fetch(long amount) {
    return resume();
  }

  @Override
  public ChunkStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(
          v -> {
            scheduled = false;
            pump();
          });
    }
  }

  private void pump() {
    if (paused || finished) {
      return;
    }
    // One chunk per turn of the loop, as a socket delivers them.
    Buffer next = chunks.poll();
    if (next != null) {
      delivered++;
      handler.handle(next);
      started.tryComplete();
      schedule();
      return;
    }
    if (open) {
      return;
    }
    finished = true;
    if (failure != null) {
      if (exceptionHandler != null) {
        exceptionHandler.handle(failure);
      }
    } else if (endHandler != null) {
      endHandler.handle(null);
    }
  }
}
