package dev.homelab.core.files;

import dev.homelab.core.devices.OwnerFilter;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/** The resumable uploads in progress. */
public interface UploadRepository {

  /**
   * @param session the new upload
   * @return done
   */
  Future<Void> insert(UploadSession session);

  /**
   * @param filter whose uploads may be seen
   * @param id an upload id
   * @return the upload, or {@code null}
   */
  Future<UploadSession> get(OwnerFilter filter, String id);

  /**
   * @param ownerId an owner
   * @param now the current time
   * @return the sum of the announced lengths of the owner's unfinished, unexpired uploads
   */
  Future<Long> reservedBytes(String ownerId, Instant now);

  /**
   * @param id an upload id
   * @param offset the bytes now stored
   * @param expiresAt the new expiry
   * @return done
   */
  Future<Void> advance(String id, long offset, Instant expiresAt);

  /**
   * @param id an upload id
   * @param fileId the file it became
   * @return done
   */
  Future<Void> complete(String id, String fileId);

  /**
   * @param id an upload id
   * @return whether it existed
   */
  Future<Boolean> delete(String id);

  /**
   * @param now the current time
   * @param limit the most to return
   * @return the ids of uploads that expired before {@code now}
   */
  Future<List<String>> expired(Instant now, int limit);

  /**
   * @return the ids of every upload, for the sweeper's check of the partial files on disk
   */
  Future<List<String>> ids();
}
