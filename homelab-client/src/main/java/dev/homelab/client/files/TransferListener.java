package dev.homelab.client.files;

/**
 * Hears how far an upload or a download has come. It is called on a Vert.x event loop each time a
 * chunk of bytes has gone out to the connection (upload) or into the target file (download), so it
 * must return quickly and never block; the counts only grow, except that a resumable upload that
 * had to go back to the server's offset after a failure reports that lower count once.
 */
@FunctionalInterface
public interface TransferListener {

  /** Hears nothing. */
  TransferListener NONE = (transferred, total) -> {};

  /**
   * @param transferred the bytes of file content transferred so far, counting those a resumed
   *     transfer found already done
   * @param total the bytes there are in all, or -1 when unknown (a stream of unknown length)
   */
  void progress(long transferred, long total);
}
