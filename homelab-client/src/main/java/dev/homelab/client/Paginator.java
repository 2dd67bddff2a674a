package dev.homelab.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every item of a paged list, from a query's page on: it reads one page, then follows the page's
 * cursor to the next, until a page has none. The same code pages through every list the client has
 * ({@code devices().autoPaging(...)}, {@code audit().autoPaging(...)}, {@code
 * access().autoPaging(...)} for the access log and for card policies), because each of their
 * queries is a {@link CursorQuery}.
 *
 * <p>A paginator is a description, not a position: it reads nothing until asked, each method starts
 * again from the query, and it is safe to share between threads. Pages are read one at a time, and
 * the next one only when the caller is ready for it: {@link #forEach} and {@link #forEachPage} wait
 * for the future the action returns, {@link #stream()} for the reader's demand. A failed page ends
 * the walk with that failure. The blocking facade's {@code autoPagingIterable(...)} reads through
 * the same paginator, page by page as its iterator is used.
 *
 * @param <T> the item type
 */
public final class Paginator<T> {

  private final String firstCursor;
  private final Function<String, Future<Page<T>>> pageAt;

  private Paginator(String firstCursor, Function<String, Future<Page<T>>> pageAt) {
    this.firstCursor = firstCursor;
    this.pageAt = pageAt;
  }

  /**
   * Pages through a list.
   *
   * @param query the filters, page size and first cursor
   * @param list reads one page of the list for a query, as the resource's {@code list} method does
   * @param <Q> the query type
   * @param <T> the item type
   * @return a paginator that starts at the query's page
   */
  public static <Q extends CursorQuery<Q>, T> Paginator<T> of(
      Q query, Function<? super Q, Future<Page<T>>> list) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(list, "list");
    return new Paginator<>(query.cursor(), cursor -> list.apply(query.withCursor(cursor)));
  }

  /**
   * @return the query's own page
   */
  public Future<Page<T>> firstPage() {
    return pageAt.apply(firstCursor);
  }

  /**
   * @param page a page this paginator read
   * @return the page after it; fails with {@link NoSuchElementException} if it was the last one
   */
  public Future<Page<T>> nextPage(Page<T> page) {
    if (!page.hasNext()) {
      return Future.failedFuture(new NoSuchElementException("the last page has no next one"));
    }
    return pageAt.apply(page.nextCursor());
  }

  /**
   * Calls the action with each page in turn, reading the next page only once the future the action
   * returned has succeeded.
   *
   * @param action handles one page; it returns a future that completes when it is done
   * @return completes after the last page was handled; fails with the first failure of a read or of
   *     the action, after which nothing more is read
   */
  public Future<Void> forEachPage(Function<? super Page<T>, ? extends Future<?>> action) {
    Objects.requireNonNull(action, "action");
    return firstPage().compose(page -> visit(page, action));
  }

  private Future<Void> visit(Page<T> page, Function<? super Page<T>, ? extends Future<?>> action) {
    return action
        .apply(page)
        .compose(
            done ->
                page.hasNext()
                    ? nextPage(page).compose(next -> visit(next, action))
                    : Future.succeededFuture());
  }

  /**
   * Calls the action with each item in turn, the next item only once the future the action returned
   * for the previous one has succeeded, and reading each page only when the items before it are
   * done: a slow action slows the reading down rather than piling items up.
   *
   * @param action handles one item; it returns a future that completes when it is done ({@code
   *     Future.succeededFuture()} for an action that is done at once)
   * @return completes after the last item was handled; fails with the first failure of a read or of
   *     the action, after which nothing more is read
   */
  public Future<Void> forEach(Function<? super T, ? extends Future<?>> action) {
    Objects.requireNonNull(action, "action");
    return forEachPage(
        page -> {
          Promise<Void> done = Promise.promise();
          next(page.items().iterator(), action, done);
          return done.future();
        });
  }

  /** Handles items in a loop while their actions complete at once, so the stack does not grow. */
  private static <T> void next(
      Iterator<T> items, Function<? super T, ? extends Future<?>> action, Promise<Void> done) {
    while (items.hasNext()) {
      Future<?> handled;
      try {
        handled = Objects.requireNonNull(action.apply(items.next()), "the action's future");
      } catch (RuntimeException e) {
        done.fail(e);
        return;
      }
      if (!handled.isComplete()) {
        handled.onComplete(
            result -> {
              if (result.failed()) {
                done.fail(result.cause());
              } else {
                next(items, action, done);
              }
            });
        return;
      }
      if (handled.failed()) {
        done.fail(handled.cause());
        return;
      }
    }
    done.complete();
  }

  /**
   * Reads every item into a list, refusing to hold more than a bound.
   *
   * @param maxItems the most items the caller is ready to hold, at least 0
   * @return every item, in the server's order, unmodifiable; fails with {@link
   *     IllegalStateException} as soon as a page takes the count past {@code maxItems} (use {@link
   *     #forEach} or {@link #stream()} for lists of any length)
   * @throws IllegalArgumentException if {@code maxItems} is negative
   */
  public Future<List<T>> collect(int maxItems) {
    if (maxItems < 0) {
      throw new IllegalArgumentException("maxItems must not be negative");
    }
    List<T> all = new ArrayList<>();
    return forEachPage(
            page -> {
              if (page.items().size() > maxItems - all.size()) {
                return Future.failedFuture(
                    new IllegalStateException(
                        "the list has more than " + maxItems + " items: page through it instead"));
              }
              all.addAll(page.items());
              return Future.succeededFuture();
            })
        .map(done -> List.copyOf(all));
  }

  /**
   * Every item as a Vert.x stream, bound to the caller's context: handlers are called there, and
   * its methods must be called there too. Nothing is read before a handler is set; a page is read
   * when the items read so far are delivered and the reader still has demand, so {@link
   * ReadStream#pause()}, {@link ReadStream#fetch(long)} and {@link ReadStream#pipeTo} hold the
   * reading back.
   *
   * @return a new stream that starts at the query's page
   * @throws IllegalStateException if not called on a Vert.x context
   */
  public ReadStream<T> stream() {
    Context context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException(
          "stream() needs a Vert.x context: off one, use forEach, collect or the blocking client");
    }
    return new ItemStream(context);
  }

  /** The items of the pages, read on demand. Touched only on its context. */
  private final class ItemStream implements ReadStream<T> {

    private final Context context;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private Handler<T> handler;
    private Handler<Void> endHandler;
    private Handler<Throwable> exceptionHandler;
    private long demand = Long.MAX_VALUE;
    private Page<T> last; // the page read last, or null before the first
    private boolean reading; // a page is on its way
    private boolean delivering; // inside the loop below: a handler's fetch() only adds demand
    private boolean ended;

    private ItemStream(Context context) {
      this.context = context;
    }

    @Override
    public ReadStream<T> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public ReadStream<T> handler(Handler<T> handler) {
      this.handler = handler;
      deliver();
      return this;
    }

    @Override
    public ReadStream<T> pause() {
      demand = 0;
      return this;
    }

    @Override
    public ReadStream<T> resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<T> fetch(long amount) {
      if (amount < 0) {
        throw new IllegalArgumentException("amount must not be negative");
      }
      demand = demand > Long.MAX_VALUE - amount ? Long.MAX_VALUE : demand + amount;
      deliver();
      return this;
    }

    @Override
    public ReadStream<T> endHandler(Handler<Void> handler) {
      this.endHandler = handler;
      return this;
    }

    /** Hands out what is read while there is demand, then reads the next page or ends. */
    private void deliver() {
      if (delivering || ended || handler == null) {
        return;
      }
      delivering = true;
      try {
        while (demand > 0 && !items.isEmpty() && handler != null) {
          if (demand != Long.MAX_VALUE) {
            demand--;
          }
          handler.handle(items.poll());
        }
      } finally {
        delivering = false;
      }
      if (!items.isEmpty() || reading || demand == 0 || handler == null) {
        return;
      }
      if (last != null && !last.hasNext()) {
        ended = true;
        if (endHandler != null) {
          endHandler.handle(null);
        }
        return;
      }
      reading = true;
      Future<Page<T>> page = last == null ? firstPage() : nextPage(last);
      page.onComplete(result -> context.runOnContext(v -> read(result.result(), result.cause())));
    }

    private void read(Page<T> page, Throwable failure) {
      reading = false;
      if (failure != null) {
        ended = true;
        if (exceptionHandler != null) {
          exceptionHandler.handle(failure);
        }
        return;
      }
      last = page;
      items.addAll(page.items());
      deliver();
    }
  }
}
