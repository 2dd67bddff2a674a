package dev.homelab.core.files;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The share links. Only a hash of each token is stored. Access to a link goes through its file: the
 * caller first finds the file within its owner filter.
 */
public interface ShareRepository {

  /**
   * @param share the new link
   * @param tokenHash the hash of its token
   * @return done
   */
  Future<Void> insert(Share share, String tokenHash);

  /**
   * @param fileId a file the caller may see
   * @return its links, newest first
   */
  Future<List<Share>> list(String fileId);

  /**
   * @param fileId a file the caller may change
   * @param shareId one of its links
   * @return whether the link existed
   */
  Future<Boolean> revoke(String fileId, String shareId);

  /**
   * Finds the file of a live link and, if asked, counts one download, in one statement so that a
   * download limit holds under concurrent downloads.
   *
   * @param tokenHash the hash of a presented token
   * @param now the current time
   * @param countDownload whether this request counts as a download
   * @return the file id, or {@code null} if the link is unknown, expired, revoked or used up
   */
  Future<String> redeem(String tokenHash, Instant now, boolean countDownload);
}
