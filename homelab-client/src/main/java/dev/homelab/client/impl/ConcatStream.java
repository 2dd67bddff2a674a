package dev.homelab.client.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Several parts as one stream, one after the other: buffers held in memory (a multipart body's
 * headers and boundaries) and streams read as they are asked for (its files), with the demand of
 * the reader passed on to the stream being read, so that back-pressure holds across parts. The
 * bytes of the parts marked as content are counted as they are handed out.
 *
 * <p>Used on one Vert.x context, the one its streams deliver on; its methods are not thread-safe.
 */
final class ConcatStream implements ReadStream<Buffer> {

  /**
   * One part.
   *
   * @param bytes the part's bytes, or {@code null} for a stream
   * @param stream the part's stream, or {@code null} for bytes; paused until its turn
   * @param content whether its bytes are counted
   */
  record Part(Buffer bytes, ReadStream<Buffer> stream, boolean content) {

    static Part framing(String text) {
      return new Part(Buffer.buffer(text), null, false);
    }

    static Part content(Buffer bytes) {
      return new Part(bytes, null, true);
    }

    static Part content(ReadStream<Buffer> stream) {
      return new Part(null, stream, true);
    }
  }

  private final Deque<Part> parts;
  private final LongConsumer counted;
  private ReadStream<Buffer> current;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean delivering;
  private boolean ended;

  /**
   * @param parts the parts, in order; their streams are paused here
   * @param counted hears the length of each chunk of content handed out
   */
  ConcatStream(List<Part> parts, LongConsumer counted) {
    this.parts = new ArrayDeque<>(parts);
    this.counted = counted;
    for (Part part : parts) {
      if (part.stream() != null) {
        part.stream().pause();
      }
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    if (handler == null) {
      if (current != null) {
        current.pause();
      }
    } else {
      advance();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
    if (current != null) {
      current.pause();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (amount < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
    demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
    if (current != null) {
      if (amount == Long.MAX_VALUE) {
        current.resume();
      } else {
        current.fetch(amount);
      }
    } else {
      advance();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  /** Hands out buffer parts and starts stream parts while there is demand and no stream runs. */
  private void advance() {
    if (delivering) {
      return; // the loop below goes on once the handler returns
    }
    delivering = true;
    try {
      while (current == null && !ended && handler != null && demand > 0) {
        Part part = parts.poll();
        if (part == null) {
          ended = true;
          if (endHandler != null) {
            endHandler.handle(null);
          }
        } else if (part.bytes() != null) {
          emit(part.bytes(), part.content());
        } else {
          start(part);
        }
      }
    } finally {
      delivering = false;
    }
  }

  private void start(Part part) {
    ReadStream<Buffer> stream = part.stream();
    current = stream;
    stream.exceptionHandler(this::fail);
    stream.endHandler(
        end -> {
          current = null;
          advance();
        });
    stream.handler(chunk -> emit(chunk, part.content()));
    if (demand == Long.MAX_VALUE) {
      stream.resume();
    } else {
      stream.fetch(demand);
    }
  }

  private void emit(Buffer chunk, boolean content) {
    if (demand != Long.MAX_VALUE) {
      demand--;
    }
    if (content) {
      counted.accept(chunk.length());
    }
    handler.handle(chunk);
  }

  private void fail(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    current = null;
    if (exceptionHandler != null) {
      exceptionHandler.handle(cause);
    }
  }
}
