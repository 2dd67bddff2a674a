package dev.homelab.client.files;

import dev.homelab.client.HomelabChecksumException;
import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.Page;
import dev.homelab.client.Paginator;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;

/**
 * Files: {@code /api/files}. Users see and change their own files, admins every file, viewers only
 * read; another user's file, upload or share answers 404 exactly like a missing one.
 *
 * <p>Bytes are streamed both ways and never held whole: an upload is read from its source as the
 * connection takes it, a download written to its file as it arrives. A transfer takes as long as it
 * needs and fails only when nothing moves on its connection for the client's timeout. Progress is
 * reported to the {@link TransferListener} of the options.
 *
 * <p>Two ways up: {@link #upload(UploadSource, UploadOptions)} sends one multipart request ({@code
 * POST /api/files/upload}), which a dropped connection fails as a whole; {@link #uploadResumable}
 * follows the tus 1.0 protocol ({@code /api/files/uploads}) in checksummed chunks, goes on from the
 * server's offset after a dropped connection or a 5xx answer, and, given the upload's url ({@link
 * #createUpload}), after the process restarted ({@link #resumeUpload}).
 */
public interface FilesApi {

  /**
   * Like {@link #upload(UploadSource, UploadOptions)} for a file on disk, no tags, no listener.
   *
   * @param file the file
   * @return the stored file
   */
  default Future<StoredFile> upload(Path file) {
    return upload(UploadSource.of(file), UploadOptions.create());
  }

  /**
   * Like {@link #upload(UploadSource, UploadOptions)} for a file on disk, named as it is.
   *
   * @param file the file
   * @param options tags and listener
   * @return the stored file
   */
  default Future<StoredFile> upload(Path file, UploadOptions options) {
    return upload(UploadSource.of(file), options);
  }

  /**
   * {@code POST /api/files/upload} with one file.
   *
   * @param source the file's name, type and bytes
   * @param options its tags and the listener of its progress
   * @return the stored file; fails with {@link dev.homelab.client.HomelabHttpException} 413 ({@code
   *     FILE_TOO_LARGE} or {@code QUOTA_EXCEEDED}) or 507 ({@code INSUFFICIENT_STORAGE}), after
   *     which nothing of it is stored
   */
  default Future<StoredFile> upload(UploadSource source, UploadOptions options) {
    return uploadAll(List.of(source), options).map(files -> files.get(0));
  }

  /**
   * {@code POST /api/files/upload}: one multipart request carrying every source, one after the
   * other, and the options' tags, which every file gets. Sent with a {@code Content-Length} when
   * every length is known, else chunked.
   *
   * @param sources the files, at least one
   * @param options their tags and the listener of the progress of them all together
   * @return the stored files, in the order of the sources; if one is refused, none is stored
   */
  Future<List<StoredFile>> uploadAll(List<UploadSource> sources, UploadOptions options);

  /**
   * Like {@link #list(FileQuery)} with {@link FileQuery#create()}: the first page.
   *
   * @return the first page of files, newest first
   */
  default Future<Page<StoredFile>> list() {
    return list(FileQuery.create());
  }

  /**
   * {@code GET /api/files}.
   *
   * @param query the tag, name search, page size and cursor
   * @return one page of files, newest first
   */
  Future<Page<StoredFile>> list(FileQuery query);

  /**
   * Every file the query matches, from its cursor on, read page by page as they are asked for; see
   * {@link Paginator}.
   *
   * @param query the filters, page size and first cursor
   * @return the files, newest first
   */
  default Paginator<StoredFile> autoPaging(FileQuery query) {
    return Paginator.of(query, this::list);
  }

  /**
   * {@code GET /api/files/{id}}.
   *
   * @param id the file's id
   * @return the file; fails with {@link HomelabNotFoundException} ({@code FILE_NOT_FOUND}) if there
   *     is none the caller may see
   */
  Future<StoredFile> get(String id);

  /**
   * {@code PATCH /api/files/{id}}: renames or retags a file; its bytes never change.
   *
   * @param id the file's id
   * @param patch the changes
   * @return the changed file
   */
  Future<StoredFile> update(String id, FilePatch patch);

  /**
   * {@code DELETE /api/files/{id}}. Its bytes go from the disk once no other file has the same
   * content.
   *
   * @param id the file's id
   * @return completes when deleted
   */
  Future<Void> delete(String id);

  /**
   * {@code GET /api/files/stats}.
   *
   * @return counts, sizes, deduplication savings, quota and disk space
   */
  Future<FileStats> stats();

  /**
   * Like {@link #download(String, Path, TransferListener)} without a listener.
   *
   * @param id the file's id
   * @param target where to write it
   * @return the file's metadata, once its bytes are in {@code target} and checked
   */
  default Future<StoredFile> download(String id, Path target) {
    return download(id, target, TransferListener.NONE);
  }

  /**
   * {@code GET /api/files/{id}/download} into a file, resuming a partial one. If {@code target}
   * already holds fewer bytes than the file, only the rest is asked for ({@code Range: bytes=n-})
   * under {@code If-Range} with the file's ETag, and appended; a server that answers the whole file
   * instead (the content changed, or it ignores ranges) has it written from the start. A target
   * that is longer, or as long but different, is written again. Then the SHA-256 of the whole
   * target is checked against the file's.
   *
   * @param id the file's id
   * @param target where to write it; its parent directory must exist
   * @param progress hears the bytes in the target so far, the kept ones included
   * @return the file's metadata, once its bytes are in {@code target} and checked; fails with
   *     {@link HomelabChecksumException} if they do not match the SHA-256, in which case the target
   *     is deleted so that the next attempt starts afresh
   */
  Future<StoredFile> download(String id, Path target, TransferListener progress);

  /**
   * {@code POST /api/files/{id}/shares}: a link to download the file without logging in.
   *
   * @param fileId the file's id
   * @param share its expiry and download limit
   * @return the share, with its token and url: the only time they are shown
   */
  Future<Share> createShare(String fileId, NewShare share);

  /**
   * {@code GET /api/files/{id}/shares}.
   *
   * @param fileId the file's id
   * @return its shares, revoked and expired ones included, without their tokens
   */
  Future<List<Share>> shares(String fileId);

  /**
   * {@code DELETE /api/files/{id}/shares/{share_id}}: the link stops working at once.
   *
   * @param fileId the file's id
   * @param shareId the share's id
   * @return completes when revoked
   */
  Future<Void> revokeShare(String fileId, String shareId);

  /**
   * Like {@link #uploadResumable(Path, UploadOptions)} with no tags, no listener and the default
   * chunks and retries.
   *
   * @param file the file
   * @return the stored file
   */
  default Future<StoredFile> uploadResumable(Path file) {
    return uploadResumable(file, UploadOptions.create());
  }

  /**
   * Uploads a file over tus: {@link #createUpload}, then {@link #resumeUpload} with its url.
   *
   * @param file the file, named as it is, its media type guessed from its extension; it must not
   *     change until the upload is complete
   * @param options its tags, the listener, the chunk size and the retries
   * @return the stored file
   */
  default Future<StoredFile> uploadResumable(Path file, UploadOptions options) {
    return createUpload(file, options)
        .compose(session -> resumeUpload(session.url(), file, options));
  }

  /**
   * {@code POST /api/files/uploads} (tus creation): declares an upload of this file's length, name,
   * type and the options' tags, and sends none of its bytes. Keep {@link UploadSession#url()} to
   * send them with {@link #resumeUpload}, in this process or a later one.
   *
   * @param file the file, named as it is, its media type guessed from its extension
   * @param options its tags
   * @return the new upload, at offset 0; fails with {@link dev.homelab.client.HomelabHttpException}
   *     413 if it is larger than the server takes or than the caller's quota leaves room for
   */
  Future<UploadSession> createUpload(Path file, UploadOptions options);

  /**
   * {@code GET /api/files/uploads/{id}}: an upload's state.
   *
   * @param upload the upload's id or url (as {@link UploadSession#url()}, or absolute)
   * @return the upload; fails with {@link HomelabNotFoundException} ({@code UPLOAD_NOT_FOUND}) if
   *     it expired, was cancelled or is another user's
   */
  Future<UploadSession> getUpload(String upload);

  /**
   * {@code DELETE /api/files/uploads/{id}} (tus termination): drops an unfinished upload and the
   * bytes it holds.
   *
   * @param upload the upload's id or url
   * @return completes when dropped
   */
  Future<Void> cancelUpload(String upload);

  /**
   * Sends the rest of a tus upload: asks the server for its offset ({@code HEAD}), then sends the
   * file from there in {@code PATCH} chunks of at most {@link UploadOptions#chunkSize()}, each with
   * an {@code Upload-Checksum} (SHA-256) the server checks. After a dropped connection, a 5xx
   * answer (but 507), a checksum mismatch (460) or a conflict (409) it waits, asks for the offset
   * again and goes on from there, at most {@link UploadOptions#maxRetries()} times in a row.
   *
   * @param upload the upload's id or url
   * @param file the same file the upload was created for: its length must match
   * @param options the listener, the chunk size and the retries (the tags were fixed at creation)
   * @return the stored file, once the last byte is in; an upload that was already complete answers
   *     its file at once
   */
  Future<StoredFile> resumeUpload(String upload, Path file, UploadOptions options);
}
