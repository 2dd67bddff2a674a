package dev.homelab.core.files.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes a stream of buffers to a file on the store's worker threads, hashing what it writes, with
 * backpressure: the source is paused while more than {@value #MAX_PENDING} bytes wait for the disk,
 * so memory does not grow with the size of the upload. Writes of one writer run in order, one at a
 * time; writers of different uploads run in parallel. The buffers that arrive while a write runs (8
 * KiB each from an HTTP body) are written together by the next one: one worker task per buffer made
 * the event loop, not the disk, the limit of an upload (docs/performance.md).
 *
 * <p>Create it on the event loop that reads the source; its futures complete there.
 */
public final class DiskWriter {

  /** The most bytes waiting for the disk before the source is paused. */
  static final int MAX_PENDING = 4 * 1024 * 1024;

  /** What was written. */
  public record Written(long bytes, String sha256) {}

  private final WorkerExecutor workers;
  private final Path file;
  private final long start;
  private final long limit;
  private final Supplier<RuntimeException> tooLarge;
  private final MessageDigest digest;
  private final MessageDigest chunkDigest;

  private Future<Void> tail = Future.succeededFuture();
  private Promise<Void> done;

  /** Buffers received and not yet handed to a worker; touched on the event loop only. */
  private final List<byte[]> gathered = new ArrayList<>();

  private boolean stepWaiting;

  private FileChannel channel;
  private long accepted;
  private long pending;
  private Throwable failure;
  private boolean sourceFailed;

  /**
   * @param workers where the disk work runs
   * @param file the file to write; created if missing
   * @param start where to start writing (0 for a new file, the offset of a resumed upload)
   * @param limit the most bytes this writer accepts
   * @param tooLarge the error when the source sends more than {@code limit}
   * @param hash whether to compute the SHA-256 of what is written
   * @param chunkDigest a digest to feed as well (a client's chunk checksum), or {@code null}
   */
  public DiskWriter(
      WorkerExecutor workers,
      Path file,
      long start,
      long limit,
      Supplier<RuntimeException> tooLarge,
      boolean hash,
      MessageDigest chunkDigest) {
    this.workers = workers;
    this.file = file;
    this.start = start;
    this.limit = limit;
    this.tooLarge = tooLarge;
    this.digest = hash ? sha256() : null;
    this.chunkDigest = chunkDigest;
  }

  /**
   * Reads the source to its end into the file. The returned future fails with the source's failure
   * (a dropped connection), with {@code tooLarge}, or with the disk's failure; in every case the
   * bytes that reached the disk before stay there until {@link #finish()} or {@link #close()}.
   *
   * @param source what to write
   * @return completed when the source ended and every byte is written
   */
  public Future<Void> drain(ReadStream<Buffer> source) {
    Promise<Void> done = Promise.promise();
    this.done = done;
    source.exceptionHandler(
        err -> {
          if (failure == null) {
            sourceFailed = true;
          }
          fail(err);
          tail.onComplete(ar -> done.tryFail(err));
        });
    source.endHandler(
        v ->
            tail.onComplete(
                ar -> {
                  if (ar.succeeded()) {
                    done.tryComplete();
                  } else {
                    done.tryFail(ar.cause());
                  }
                }));
    // After a failure the rest of the source is read and dropped rather than left paused: an HTTP
    // request can then end normally and its connection serve the next one.
    source.handler(
        data -> {
          if (failure != null) {
            return;
          }
          if (!write(data)) {
            done.tryFail(failure);
            return;
          }
          if (pending > MAX_PENDING) {
            source.pause();
            tail.onComplete(
                ar -> {
                  if (ar.failed()) {
                    done.tryFail(ar.cause());
                  }
                  source.resume();
                });
          }
        });
    source.resume();
    return done.future()
        .compose(v -> failure == null ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  private boolean write(Buffer data) {
    int length = data.length();
    accepted += length;
    if (accepted > limit) {
      fail(tooLarge.get());
      return false;
    }
    pending += length;
    gathered.add(data.getBytes());
    // At most one step waits behind the running write, and takes whatever was gathered by the time
    // it runs. (A step per buffer, most of them finding nothing, completed each other recursively
    // once the write before them ended, deep enough to overflow the stack.)
    if (!stepWaiting) {
      stepWaiting = true;
      tail =
          tail.compose(
                  v -> {
                    stepWaiting = false;
                    return writeGathered();
                  })
              .onFailure(this::diskFailed);
    }
    return true;
  }

  private Future<Void> writeGathered() {
    if (gathered.isEmpty()) {
      return Future.succeededFuture();
    }
    List<byte[]> batch = new ArrayList<>(gathered);
    gathered.clear();
    long length = 0;
    for (byte[] bytes : batch) {
      length += bytes.length;
    }
    long written = length;
    return workers
        .<Void>executeBlocking(
            () -> {
              open();
              for (byte[] bytes : batch) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                  channel.write(buffer);
                }
                if (digest != null) {
                  digest.update(bytes);
                }
                if (chunkDigest != null) {
                  chunkDigest.update(bytes);
                }
              }
              return null;
            },
            false)
        .andThen(ar -> pending -= written);
  }

  /**
   * A write failed (a full disk): the upload fails now, not once the client has sent the rest of
   * its body. The rest is still read and dropped (the handler ignores it), so that an HTTP request
   * ends normally and its keep-alive connection serves the next one; a paused multipart part would
   * hold the whole request.
   */
  private void diskFailed(Throwable cause) {
    fail(cause);
    done.tryFail(cause);
  }

  private void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
  }

  private void open() throws IOException {
    if (channel == null) {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      // A resumed upload continues at the offset the store recorded. Fewer bytes on disk means the
      // partial file was lost or replaced: writing would leave a hole of zeros in the file. More
      // bytes (synced before a crash, but never recorded) are dropped, else they would trail the
      // new chunk.
      long size = channel.size();
      if (size < start) {
        channel.close();
        channel = null;
        throw new IOException(
            "the partial upload holds " + size + " bytes, " + start + " were recorded");
      }
      if (size > start) {
        channel.truncate(start);
      }
      channel.position(start);
    }
  }

  /**
   * @return whether the first failure was the source's (a dropped connection), not this writer's
   *     (too many bytes, a disk error): every byte received before it was written
   */
  public boolean sourceFailed() {
    return sourceFailed;
  }

  /**
   * Syncs and closes the file once every accepted write is done.
   *
   * @return how many bytes this writer wrote, and their SHA-256 if it hashes
   */
  public Future<Written> finish() {
    return tail.transform(
        ar ->
            workers.executeBlocking(
                () -> {
                  if (ar.failed()) {
                    closeQuietly();
                    throw ar.cause() instanceof Exception e ? e : new IOException(ar.cause());
                  }
                  long written;
                  try {
                    open();
                    written = channel.position() - start;
                    channel.force(true);
                  } finally {
                    // Always closed: an open descriptor keeps a removed file's space in use.
                    closeQuietly();
                  }
                  return new Written(
                      written, digest == null ? null : HexFormat.of().formatHex(digest.digest()));
                },
                false));
  }

  /**
   * Syncs and closes the file without checking that every write succeeded: what reached the disk is
   * kept, for a resumable upload whose connection dropped.
   *
   * @return the position the file was written up to, relative to the start
   */
  public Future<Long> close() {
    return tail.transform(
        ar ->
            workers.executeBlocking(
                () -> {
                  if (channel == null) {
                    return 0L;
                  }
                  try {
                    long written = channel.position() - start;
                    channel.force(true);
                    return written;
                  } finally {
                    closeQuietly();
                  }
                },
                false));
  }

  private void closeQuietly() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more can be done with it; the caller reports the failure that led here.
      }
      channel = null;
    }
  }

  /**
   * @return a new SHA-256 digest
   */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
