package dev.homelab.client.impl;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} as a Vert.x stream: each chunk is read on a worker thread, only while the
 * reader has demand, and handed out on the context; the input stream is closed at its end or on a
 * failure. Its methods are called on that context.
 */
final class InputStreamSource implements ReadStream<Buffer> {

  static final int CHUNK = 64 * 1024;

  private final Context context;
  private final InputStream in;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean reading;
  private boolean ended;

  /**
   * @param context where the chunks are handed out
   * @param in the bytes
   */
  InputStreamSource(Context context, InputStream in) {
    this.context = context;
    this.in = in;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    this.handler = handler;
    readNext();
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    demand = 0;
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
    readNext();
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  private void readNext() {
    if (reading || ended || handler == null || demand == 0) {
      return;
    }
    reading = true;
    context
        .executeBlocking(() -> in.readNBytes(CHUNK), false)
        .onComplete(
            read -> {
              reading = false;
              if (read.failed()) {
                finish();
                if (exceptionHandler != null) {
                  exceptionHandler.handle(read.cause());
                }
              } else if (read.result().length == 0) {
                finish();
                if (endHandler != null) {
                  endHandler.handle(null);
                }
              } else {
                if (demand != Long.MAX_VALUE) {
                  demand--;
                }
                Handler<Buffer> current = handler;
                if (current != null) {
                  current.handle(Buffer.buffer(read.result()));
                }
                readNext();
              }
            });
  }

  private void finish() {
    ended = true;
    try {
      in.close();
    } catch (IOException ignored) {
      // the bytes were all read, or the failure that ended the stream is the one reported
    }
  }
}
