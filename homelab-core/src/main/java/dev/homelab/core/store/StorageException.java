package dev.homelab.core.store;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import io.vertx.core.VertxException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;

/**
 * A storage operation failed: the database was unreachable, a statement failed or a migration could
 * not be applied.
 *
 * <p>Its kind is {@link ErrorKind#UNAVAILABLE} and its code {@code STORAGE_UNAVAILABLE}. The
 * message never contains SQL text or connection secrets; {@link #sqlState()} and {@link
 * #vendorCode()} keep the driver's diagnosis for logs and for deciding whether to retry.
 */
public class StorageException extends HomelabException {

  private final String sqlState;
  private final int vendorCode;

  /**
   * Creates a storage failure.
   *
   * @param message what failed, without SQL text or secrets
   * @param sqlState the SQLSTATE reported by the driver, or {@code null}
   * @param vendorCode the vendor error code reported by the driver, or 0
   * @param cause the driver's exception
   */
  public StorageException(String message, String sqlState, int vendorCode, Throwable cause) {
    super(ErrorKind.UNAVAILABLE, "STORAGE_UNAVAILABLE", message, cause, false);
    this.sqlState = sqlState;
    this.vendorCode = vendorCode;
  }

  /**
   * Creates a storage failure without a driver diagnosis.
   *
   * @param message what failed, without SQL text or secrets
   * @param cause the underlying failure
   */
  public StorageException(String message, Throwable cause) {
    this(message, null, 0, cause);
  }

  /**
   * @return the SQLSTATE reported by the driver, or {@code null} when there was none
   */
  public String sqlState() {
    return sqlState;
  }

  /**
   * @return the vendor error code reported by the driver, or 0 when there was none
   */
  public int vendorCode() {
    return vendorCode;
  }

  /**
   * Whether the database could not be reached at all, as opposed to a statement it refused: a
   * connection refused, reset, dropped or closed under the caller (its pool too), a connection
   * exception (SQLSTATE class 08), or a server shutting down or starting (57P01 to 57P03). Such a
   * failure says nothing about the request and passes when the database is back.
   *
   * @return whether the database was out of reach
   */
  public boolean unreachable() {
    if (sqlState != null
        && (sqlState.startsWith("08")
            || sqlState.equals("57P01")
            || sqlState.equals("57P02")
            || sqlState.equals("57P03"))) {
      return true;
    }
    for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketException // refused, reset, broken pipe, no route
          || cause instanceof ClosedChannelException
          // vertx-sql-client's, named so that core's public API does not need the driver
          || cause.getClass().getName().equals("io.vertx.sqlclient.ClosedConnectionException")
          // the pool closed under a query still waiting on it (a shutdown during a partition)
          || (cause instanceof VertxException && "Pool closed".equals(cause.getMessage()))) {
        return true;
      }
    }
    return false;
  }
}
