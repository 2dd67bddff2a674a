package dev.homelab.core.files;

import dev.homelab.core.Page;
import dev.homelab.core.devices.OwnerFilter;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;

/**
 * The files and the blobs they point to. Every method that reads or changes a file applies the
 * {@link OwnerFilter} in the query: a file outside it reads as absent.
 *
 * <p>The blob rows order the two things that touch a blob's file on disk: an upload that puts or
 * reuses it, and the removal of its last reference. Both lock the row first ({@link #lockBlob},
 * {@link #removeBlobIfUnreferenced}) in the transaction that then touches the disk.
 */
public interface FileRepository {

  /**
   * Records a blob, or locks its row if it exists, until the end of the transaction.
   *
   * @param sha256 the content's hash
   * @param size its size
   * @return done
   */
  Future<Void> lockBlob(String sha256, long size);

  /**
   * Locks a blob's row, and removes it if no file points to the blob any more.
   *
   * @param sha256 the content's hash
   * @return whether the row was removed (the caller then removes the file, in the same transaction)
   */
  Future<Boolean> removeBlobIfUnreferenced(String sha256);

  /**
   * @param limit the most to return
   * @return blobs no file points to, for the sweeper
   */
  Future<List<String>> unreferencedBlobs(int limit);

  /**
   * @param sha256 a content's hash
   * @return whether a blob row exists for it
   */
  Future<Boolean> blobExists(String sha256);

  /**
   * @param sha256s content hashes, at most a thousand
   * @return those that have a blob row
   */
  Future<java.util.Set<String>> knownBlobs(List<String> sha256s);

  /**
   * Serialises the uploads of one owner until the end of the transaction, so that two uploads
   * cannot both fit a quota that has room for one.
   *
   * @param ownerId the owner
   * @return done
   */
  Future<Void> lockOwner(String ownerId);

  /**
   * @param ownerId an owner
   * @return the sum of the sizes of the owner's files
   */
  Future<Long> usedBytes(String ownerId);

  /**
   * @param file the new file, with its id
   * @return done
   */
  Future<Void> insert(StoredFile file);

  /**
   * @param filter whose files may be seen
   * @param id a file id
   * @return the file, or {@code null}
   */
  Future<StoredFile> get(OwnerFilter filter, String id);

  /**
   * @param filter whose files may be seen
   * @param query the filters and page
   * @return one page, newest first
   */
  Future<Page<StoredFile>> list(OwnerFilter filter, FileQuery query);

  /**
   * @param filter whose files may be changed
   * @param id a file id
   * @param patch the change
   * @param updatedAt the time of the change, from the store's clock like the file's creation
   * @return the changed file, or {@code null}
   */
  Future<StoredFile> update(OwnerFilter filter, String id, FilePatch patch, Instant updatedAt);

  /**
   * @param filter whose files may be removed
   * @param id a file id
   * @return whether a file was removed
   */
  Future<Boolean> delete(OwnerFilter filter, String id);

  /**
   * @param filter whose files count
   * @return the count, total size and distinct stored size of those files
   */
  Future<Totals> totals(OwnerFilter filter);

  /**
   * What {@link #totals} returns.
   *
   * @param count how many files
   * @param bytes the sum of their sizes
   * @param storedBytes the sum of the sizes of their distinct blobs
   */
  record Totals(long count, long bytes, long storedBytes) {}
}
