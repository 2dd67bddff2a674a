package dev.homelab.core;

import io.vertx.core.Future;
import java.util.function.Function;

/**
 * Repositories of type {@code R} that can be used one statement at a time or several in one
 * transaction. A core service asks for the narrowest {@code R} it needs (its own nested {@code
 * Repositories} interface) and writes its change and the change's audit entry through one {@link
 * #inTransaction} call, so either both are stored or neither is. An open {@code Storage} is a
 * {@code Transactional} of every repository, so it can be handed to any service.
 *
 * @param <R> the repositories
 */
public interface Transactional<R> {

  /**
   * @return the repositories outside any transaction: each statement commits on its own (reads)
   */
  R repositories();

  /**
   * Runs work in one transaction. Every repository the work is handed writes through the
   * transaction; the work must not use {@link #repositories()} meanwhile (on SQLite, whose single
   * writer the transaction holds, that would wait for itself).
   *
   * @param work the statements, given repositories bound to the transaction
   * @param <T> the result
   * @return the work's result once committed; failed, with nothing written, if the work or the
   *     commit failed
   */
  <T> Future<T> inTransaction(Function<? super R, Future<T>> work);
}
