package dev.homelab.core.files.impl;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import java.io.IOException;
import java.nio.file.FileSystemException;

/** Turns disk failures into errors a client can act on, without paths or other internals. */
public final class DiskErrors {

  /** The error code of a full disk. */
  public static final String INSUFFICIENT_STORAGE = "INSUFFICIENT_STORAGE";

  private DiskErrors() {}

  /**
   * @param failure a failure of a disk operation
   * @param operation what was being done, for the message
   * @return a {@code 507 INSUFFICIENT_STORAGE} error for a full disk, the failure itself if it is
   *     already a {@link HomelabException}, else an internal error that keeps the cause for the log
   */
  public static RuntimeException wrap(Throwable failure, String operation) {
    if (failure instanceof HomelabException h) {
      return h;
    }
    if (isDiskFull(failure)) {
      return new HomelabException(
          ErrorKind.INSUFFICIENT_STORAGE,
          INSUFFICIENT_STORAGE,
          "the file store's disk is full: free some space and try again");
    }
    return new DiskFailure(operation + " failed", failure);
  }

  /** An unexpected disk failure: logged with its cause, answered as an internal error. */
  private static final class DiskFailure extends HomelabException {
    DiskFailure(String message, Throwable cause) {
      super(ErrorKind.INTERNAL, "FILE_STORE_ERROR", message, cause, false);
    }
  }

  /**
   * @param failure a failure
   * @return whether it, or a cause, says the disk (or the user's disk quota) is full
   */
  public static boolean isDiskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof FileSystemException) {
        String message = String.valueOf(t.getMessage());
        if (message.contains("No space left on device")
            || message.contains("Disk quota exceeded")) {
          return true;
        }
      }
    }
    return false;
  }
}
