package dev.homelab.client.files;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.Page;
import dev.homelab.client.internal.Waiter;
import java.nio.file.Path;
import java.util.List;

/**
 * The file endpoints of {@link FilesApi} for code that waits: each method calls the asynchronous
 * one and waits for its answer, as {@link BlockingHomelabClient} describes. Uploads and downloads
 * are waited for as long as their bytes take: they fail when nothing moves on the connection for
 * the client's timeout, not after a fixed time. Thread-safe.
 */
public final class BlockingFiles {

  private final FilesApi files;
  private final Waiter waiter;

  /**
   * @param files the asynchronous API to wrap
   * @param timeoutMs the client's timeout, in milliseconds: each call other than a transfer waits
   *     at most that, plus a second of grace
   */
  public BlockingFiles(FilesApi files, long timeoutMs) {
    this.files = files;
    this.waiter = new Waiter(timeoutMs);
  }

  /**
   * Like {@link FilesApi#upload(Path)}.
   *
   * @param file the file
   * @return the stored file
   */
  public StoredFile upload(Path file) {
    return waiter.awaitTransfer(files.upload(file));
  }

  /**
   * Like {@link FilesApi#upload(Path, UploadOptions)}.
   *
   * @param file the file
   * @param options tags and listener
   * @return the stored file
   */
  public StoredFile upload(Path file, UploadOptions options) {
    return waiter.awaitTransfer(files.upload(file, options));
  }

  /**
   * Like {@link FilesApi#upload(UploadSource, UploadOptions)}.
   *
   * @param source the file's name, type and bytes
   * @param options tags and listener
   * @return the stored file
   */
  public StoredFile upload(UploadSource source, UploadOptions options) {
    return waiter.awaitTransfer(files.upload(source, options));
  }

  /**
   * Like {@link FilesApi#uploadAll(List, UploadOptions)}.
   *
   * @param sources the files
   * @param options tags and listener
   * @return the stored files, in the order of the sources
   */
  public List<StoredFile> uploadAll(List<UploadSource> sources, UploadOptions options) {
    return waiter.awaitTransfer(files.uploadAll(sources, options));
  }

  /**
   * Like {@link FilesApi#list()}.
   *
   * @return the first page of files
   */
  public Page<StoredFile> list() {
    return waiter.await(files.list());
  }

  /**
   * Like {@link FilesApi#list(FileQuery)}.
   *
   * @param query the filters, page size and cursor
   * @return one page of files
   */
  public Page<StoredFile> list(FileQuery query) {
    return waiter.await(files.list(query));
  }

  /**
   * Like {@link FilesApi#autoPaging(FileQuery)}, as an iterable. Every file the query matches, from
   * its cursor on, reading each page only when the previous one is used up. Each iterator starts
   * again from the query; {@code hasNext()} may wait for the server and throw what {@link
   * #list(FileQuery)} throws.
   *
   * @param query the filters, page size and first cursor
   * @return the files, newest first
   */
  public Iterable<StoredFile> autoPagingIterable(FileQuery query) {
    return waiter.iterable(files.autoPaging(query));
  }

  /**
   * Like {@link FilesApi#get(String)}.
   *
   * @param id the file's id
   * @return the file
   */
  public StoredFile get(String id) {
    return waiter.await(files.get(id));
  }

  /**
   * Like {@link FilesApi#update(String, FilePatch)}.
   *
   * @param id the file's id
   * @param patch the changes
   * @return the changed file
   */
  public StoredFile update(String id, FilePatch patch) {
    return waiter.await(files.update(id, patch));
  }

  /**
   * Like {@link FilesApi#delete(String)}.
   *
   * @param id the file's id
   */
  public void delete(String id) {
    waiter.await(files.delete(id));
  }

  /**
   * Like {@link FilesApi#stats()}.
   *
   * @return the stats
   */
  public FileStats stats() {
    return waiter.await(files.stats());
  }

  /**
   * Like {@link FilesApi#download(String, Path)}.
   *
   * @param id the file's id
   * @param target where to write it
   * @return the file's metadata, once its bytes are in {@code target} and checked
   */
  public StoredFile download(String id, Path target) {
    return waiter.awaitTransfer(files.download(id, target));
  }

  /**
   * Like {@link FilesApi#download(String, Path, TransferListener)}.
   *
   * @param id the file's id
   * @param target where to write it
   * @param progress hears the bytes in the target so far
   * @return the file's metadata, once its bytes are in {@code target} and checked
   */
  public StoredFile download(String id, Path target, TransferListener progress) {
    return waiter.awaitTransfer(files.download(id, target, progress));
  }

  /**
   * Like {@link FilesApi#createShare(String, NewShare)}.
   *
   * @param fileId the file's id
   * @param share its expiry and download limit
   * @return the share, with its token: the only time it is shown
   */
  public Share createShare(String fileId, NewShare share) {
    return waiter.await(files.createShare(fileId, share));
  }

  /**
   * Like {@link FilesApi#shares(String)}.
   *
   * @param fileId the file's id
   * @return its shares, without tokens
   */
  public List<Share> shares(String fileId) {
    return waiter.await(files.shares(fileId));
  }

  /**
   * Like {@link FilesApi#revokeShare(String, String)}.
   *
   * @param fileId the file's id
   * @param shareId the share's id
   */
  public void revokeShare(String fileId, String shareId) {
    waiter.await(files.revokeShare(fileId, shareId));
  }

  /**
   * Like {@link FilesApi#uploadResumable(Path)}.
   *
   * @param file the file
   * @return the stored file
   */
  public StoredFile uploadResumable(Path file) {
    return waiter.awaitTransfer(files.uploadResumable(file));
  }

  /**
   * Like {@link FilesApi#uploadResumable(Path, UploadOptions)}.
   *
   * @param file the file
   * @param options tags, listener, chunk size and retries
   * @return the stored file
   */
  public StoredFile uploadResumable(Path file, UploadOptions options) {
    return waiter.awaitTransfer(files.uploadResumable(file, options));
  }

  /**
   * Like {@link FilesApi#createUpload(Path, UploadOptions)}.
   *
   * @param file the file
   * @param options its tags
   * @return the new upload
   */
  public UploadSession createUpload(Path file, UploadOptions options) {
    return waiter.await(files.createUpload(file, options));
  }

  /**
   * Like {@link FilesApi#getUpload(String)}.
   *
   * @param upload the upload's id or url
   * @return the upload
   */
  public UploadSession getUpload(String upload) {
    return waiter.await(files.getUpload(upload));
  }

  /**
   * Like {@link FilesApi#cancelUpload(String)}.
   *
   * @param upload the upload's id or url
   */
  public void cancelUpload(String upload) {
    waiter.await(files.cancelUpload(upload));
  }

  /**
   * Like {@link FilesApi#resumeUpload(String, Path, UploadOptions)}.
   *
   * @param upload the upload's id or url
   * @param file the same file the upload was created for
   * @param options listener, chunk size and retries
   * @return the stored file
   */
  public StoredFile resumeUpload(String upload, Path file, UploadOptions options) {
    return waiter.awaitTransfer(files.resumeUpload(upload, file, options));
  }
}
