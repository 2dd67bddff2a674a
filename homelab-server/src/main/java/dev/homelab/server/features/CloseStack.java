package dev.homelab.server.features;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a starting server has opened, closed in reverse order: by a failed start, for everything
 * opened before the step that failed, and by a shutdown, for everything. Like Guava's {@code
 * Closer} or try-with-resources, but for Vert.x futures.
 *
 * <p>A close that fails is logged and the others still run. A close that has not ended after {@link
 * #CLOSE_TIMEOUT} (or {@link #DRAIN_TIMEOUT}, for one that commits what was acknowledged) is logged
 * and left behind, and the others run: a client whose connection went into a network partition can
 * wait on it for good (a database pool closes its connections behind the query they are waiting
 * on), and a shutdown must end. Not thread-safe: a server pushes and closes from its startup chain
 * and its shutdown, one after the other.
 */
public final class CloseStack {

  private static final Logger log = LoggerFactory.getLogger(CloseStack.class);

  /** How long one close may take before the next one runs, unless it was pushed with its own. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * For a close that commits what was already acknowledged (access decisions, sensor readings):
   * longer than the access log writer's own 10 s deadline, so that its retries end on their own
   * terms and the store is not closed under them.
   */
  public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(12);

  private record Entry(String name, Supplier<Future<?>> close, Duration timeout) {}

  private final Deque<Entry> entries = new ArrayDeque<>();

  /**
   * Registers something just opened.
   *
   * @param name what it is, for the log
   * @param close closes it; may be called once only
   */
  public void push(String name, Supplier<Future<?>> close) {
    push(name, close, CLOSE_TIMEOUT);
  }

  /**
   * Registers something just opened whose close may take longer than {@link #CLOSE_TIMEOUT}.
   *
   * @param name what it is, for the log
   * @param close closes it; may be called once only
   * @param timeout how long its close may take before the next one runs
   */
  public void push(String name, Supplier<Future<?>> close, Duration timeout) {
    entries.push(new Entry(name, close, timeout));
  }

  /**
   * @return the names of what is open, most recent first
   */
  public java.util.List<String> names() {
    return entries.stream().map(Entry::name).toList();
  }

  /**
   * Closes everything registered, most recent first, one after the other.
   *
   * @return a future completed once every close has ended, successfully or not
   */
  public Future<Void> closeAll() {
    Entry next = entries.poll();
    if (next == null) {
      return Future.succeededFuture();
    }
    Future<?> closed;
    try {
      closed = next.close().get();
    } catch (RuntimeException e) {
      closed = Future.failedFuture(e);
    }
    return closed
        .timeout(next.timeout().toMillis(), TimeUnit.MILLISECONDS)
        .<Void>transform(
            done -> {
              if (done.failed() && done.cause() instanceof TimeoutException) {
                log.warn(
                    "Closing {} did not end within {} s; left behind",
                    next.name(),
                    next.timeout().toSeconds());
              } else if (done.failed()) {
                log.warn("Closing {} failed: {}", next.name(), done.cause().toString());
              }
              return Future.succeededFuture();
            })
        .compose(v -> closeAll());
  }
}
