package dev.homelab.core.store;

import dev.homelab.core.HomelabException;

/**
 * A storage operation failed: the database was unreachable, a statement failed or a migration could
 * not be applied.
 *
 * <p>The message never contains SQL text or connection secrets; {@link #sqlState()} and {@link
 * #errorCode()} keep the driver's diagnosis for logs and for deciding whether to retry.
 */
public class StorageException extends HomelabException {

  private final String sqlState;
  private final int errorCode;

  /**
   * Creates a storage failure.
   *
   * @param message what failed, without SQL text or secrets
   * @param sqlState the SQLSTATE reported by the driver, or {@code null}
   * @param errorCode the vendor error code reported by the driver, or 0
   * @param cause the driver's exception
   */
  public StorageException(String message, String sqlState, int errorCode, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
    this.errorCode = errorCode;
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
  public int errorCode() {
    return errorCode;
  }
}
