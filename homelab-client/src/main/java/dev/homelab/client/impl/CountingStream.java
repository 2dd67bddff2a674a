package dev.homelab.client.impl;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.function.LongConsumer;

/** A stream that tells the length of each chunk it passes on; otherwise its source itself. */
final class CountingStream implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final LongConsumer counted;

  /**
   * @param source the stream to pass on
   * @param counted hears the length of each chunk, before the handler gets it
   */
  CountingStream(ReadStream<Buffer> source, LongConsumer counted) {
    this.source = source;
    this.counted = counted;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    source.handler(
        handler == null
            ? null
            : chunk -> {
              counted.accept(chunk.length());
              handler.handle(chunk);
            });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    source.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    source.fetch(amount);
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
