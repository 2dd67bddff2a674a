package dev.homelab.client.internal;

import dev.homelab.client.HomelabClientException;
import dev.homelab.client.HomelabConnectionException;
import dev.homelab.client.Page;
import dev.homelab.client.Paginator;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How every part of the blocking facade waits for an asynchronous answer: at most the client's
 * timeout plus a second of grace, never on an event loop, rethrowing the failure as a copy whose
 * cause is the original so that the trace shows the caller too. Not a supported API.
 */
public final class Waiter {

  private final long timeoutMs;

  /**
   * @param clientTimeoutMs the client's timeout, in milliseconds
   */
  public Waiter(long clientTimeoutMs) {
    this.timeoutMs = clientTimeoutMs + 1_000;
  }

  /**
   * Waits for a future.
   *
   * @param future the answer to wait for
   * @param <T> its type
   * @return its result
   * @throws IllegalStateException on a Vert.x event loop
   * @throws HomelabClientException a copy of the failure, or a {@link HomelabConnectionException}
   *     on a timeout, an interruption (the interrupt flag restored) or any other failure
   */
  public <T> T await(Future<T> future) {
    return await(future, timeoutMs);
  }

  /**
   * Waits for a streamed transfer (an upload or a download of a file), which takes as long as its
   * bytes need: there is no overall deadline, because the transfer itself fails as soon as nothing
   * moves on its connection for the client's timeout, and a resumable upload gives up after a
   * bounded number of retries.
   *
   * @param future the transfer to wait for
   * @param <T> its type
   * @return its result
   * @throws IllegalStateException on a Vert.x event loop
   * @throws HomelabClientException as {@link #await} throws, never for a timeout of its own
   */
  public <T> T awaitTransfer(Future<T> future) {
    return await(future, Long.MAX_VALUE);
  }

  private <T> T await(Future<T> future, long timeoutMs) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "the blocking Homelab client cannot wait on a Vert.x event loop: use HomelabClient's futures there");
    }
    CountDownLatch done = new CountDownLatch(1);
    future.onComplete(result -> done.countDown());
    try {
      if (!done.await(timeoutMs, TimeUnit.MILLISECONDS)) {
        throw new HomelabConnectionException("no answer within " + timeoutMs + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HomelabConnectionException("interrupted while waiting for the server", e);
    }
    if (future.succeeded()) {
      return future.result();
    }
    Throwable failure = future.cause();
    if (failure instanceof HomelabClientException clientFailure) {
      throw clientFailure.copyAsCause();
    }
    throw new HomelabConnectionException(String.valueOf(failure.getMessage()), failure);
  }

  /**
   * The items of a paginator, read a page at a time as the iterator is used. Each iterator starts
   * again from the paginator's first page; {@code hasNext()} may wait for the server and throw what
   * {@link #await} throws.
   *
   * @param pages the paginator
   * @param <T> the item type
   * @return the items, in the server's order
   */
  public <T> Iterable<T> iterable(Paginator<T> pages) {
    return () ->
        new Iterator<T>() {
          private Page<T> page; // the page read last, or null before the first
          private Iterator<T> items = Collections.emptyIterator();

          @Override
          public boolean hasNext() {
            while (!items.hasNext() && (page == null || page.hasNext())) {
              page = await(page == null ? pages.firstPage() : pages.nextPage(page));
              items = page.items().iterator();
            }
            return items.hasNext();
          }

          @Override
          public T next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return items.next();
          }
        };
  }
}
