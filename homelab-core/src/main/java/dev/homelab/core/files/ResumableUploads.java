package dev.homelab.core.files;

import dev.homelab.core.ConflictException;
import dev.homelab.core.ErrorKind;
import dev.homelab.core.HomelabException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.files.impl.BlobDirectory;
import dev.homelab.core.files.impl.DiskErrors;
import dev.homelab.core.files.impl.DiskWriter;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.internal.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Resumable uploads with the semantics of the tus 1.0 protocol (core, creation, termination,
 * checksum and expiration), without HTTP: an upload is created with its length, receives its bytes
 * in chunks at the offset the store reports, and becomes a file when the last byte arrives.
 *
 * <p>Every chunk is synced to disk before its new offset is recorded, so an offset once reported
 * survives a crash. When the connection of a chunk drops, what arrived is kept and the client
 * resumes from the new offset; a chunk with a checksum is kept whole or not at all. One chunk at a
 * time per upload (on this instance): a second one while the first runs is refused with {@value
 * #LOCKED}. An unfinished upload expires {@link FileStoreOptions#uploadExpiry()} after its last
 * chunk.
 */
public final class ResumableUploads {

  /** The error code of an upload that does not exist, expired, or belongs to someone else. */
  public static final String NOT_FOUND = "UPLOAD_NOT_FOUND";

  /** The error code of a chunk sent for another offset than the store's. */
  public static final String OFFSET_MISMATCH = "UPLOAD_OFFSET_MISMATCH";

  /** The error code of a chunk sent while another one of the same upload is being received. */
  public static final String LOCKED = "UPLOAD_LOCKED";

  /** The error code of a chunk whose checksum does not match its bytes. */
  public static final String CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH";

  /** The error code of a chunk that goes past the announced length. */
  public static final String LENGTH_EXCEEDED = "UPLOAD_LENGTH_EXCEEDED";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final FileStore files;
  private final Set<String> busy = ConcurrentHashMap.newKeySet();

  ResumableUploads(FileStore files) {
    this.files = files;
  }

  /**
   * Creates an upload. An upload of length 0 is complete at once.
   *
   * @param actor who uploads; becomes the owner of the file
   * @param length the file's length in bytes
   * @param file the name, type and tags
   * @return the upload, at offset 0
   */
  public Future<UploadSession> create(Actor actor, long length, NewFile file) {
    if (!FileStore.mayChange(actor)) {
      return FileStore.readOnly();
    }
    if (length < 0) {
      return Future.failedFuture(new ValidationException("length", "length must not be negative"));
    }
    if (length > files.options().maxFileBytes()) {
      return Future.failedFuture(FileStore.tooLarge());
    }
    if (actor.userId() == null) {
      return FileStore.readOnly();
    }
    Instant now = files.now();
    UploadSession session =
        new UploadSession(
            TimeOrderedIds.next(now.toEpochMilli(), RANDOM.nextLong()).toString(),
            actor.userId(),
            length,
            0,
            file,
            null,
            now,
            now.plus(files.options().uploadExpiry()));
    Path partial = files.dir().upload(session.id());
    return checkRoom(actor.userId(), length)
        .compose(
            v ->
                files
                    .workers()
                    .<Void>executeBlocking(
                        () -> {
                          Files.deleteIfExists(partial);
                          Files.createFile(partial);
                          // Durable before the row that says the upload exists.
                          BlobDirectory.syncDirectory(partial.getParent());
                          return null;
                        },
                        false))
        .compose(v -> files.store().repositories().uploads().insert(session))
        .recover(
            failure ->
                deleteQuietly(partial)
                    .transform(
                        d -> Future.failedFuture(DiskErrors.wrap(failure, "creating an upload"))))
        .compose(v -> length == 0 ? complete(actor, session) : Future.succeededFuture(session));
  }

  /**
   * Refuses an upload that cannot fit the quota before any byte is sent. The lengths of the owner's
   * unfinished uploads count as if they were stored: without that, any number of quota-sized
   * uploads could each fill the disk for a day before one of them completed.
   */
  private Future<Void> checkRoom(String ownerId, long length) {
    return files
        .room(ownerId)
        .compose(
            room ->
                length > room
                    ? Future.failedFuture(FileStore.quotaExceeded())
                    : Future.succeededFuture());
  }

  /**
   * @param actor who asks
   * @param id the upload's id
   * @return the upload; failed with {@value #NOT_FOUND} if there is none the actor may see, or it
   *     expired
   */
  public Future<UploadSession> get(Actor actor, String id) {
    if (!FileStore.isId(id)) {
      return notFound();
    }
    return files
        .store()
        .repositories()
        .uploads()
        .get(FileStore.filter(actor), id)
        .compose(
            session ->
                session == null || session.expiresAt().isBefore(files.now())
                    ? notFound()
                    : Future.succeededFuture(session));
  }

  /**
   * Receives one chunk.
   *
   * @param actor who uploads
   * @param id the upload's id
   * @param offset where the client says the chunk starts: must be the upload's offset
   * @param body the chunk's bytes, paused
   * @param checksum the chunk's checksum, or {@code null}
   * @return the upload at its new offset; once complete, with its {@link UploadSession#fileId()}
   */
  public Future<UploadSession> append(
      Actor actor, String id, long offset, ReadStream<Buffer> body, Checksum checksum) {
    body.pause();
    if (!FileStore.mayChange(actor)) {
      return FileStore.readOnly();
    }
    if (!FileStore.isId(id)) {
      return notFound();
    }
    // The upload is found within the actor's filter before its lock is taken: another user's
    // request must neither hold the lock of an upload it cannot see nor learn that it exists. It
    // is read again under the lock, so that the offset is the one the previous chunk left.
    return get(actor, id)
        .compose(
            visible ->
                locked(
                    id,
                    "another chunk of this upload is being received",
                    () ->
                        get(actor, id)
                            .compose(session -> receive(actor, session, offset, body, checksum))));
  }

  /** Runs the work of one upload while no other chunk or termination of it runs. */
  private <T> Future<T> locked(String id, String message, Supplier<Future<T>> work) {
    if (!busy.add(id)) {
      return Future.failedFuture(new ConflictException(LOCKED, message));
    }
    try {
      return work.get().andThen(done -> busy.remove(id));
    } catch (RuntimeException e) {
      busy.remove(id);
      throw e;
    }
  }

  private Future<UploadSession> receive(
      Actor actor, UploadSession session, long offset, ReadStream<Buffer> body, Checksum checksum) {
    if (offset != session.offset()) {
      return Future.failedFuture(
          new ConflictException(
              OFFSET_MISMATCH,
              "Upload-Offset " + offset + " is not the upload's offset " + session.offset()));
    }
    if (session.isComplete()) {
      return Future.succeededFuture(session);
    }
    Path partial = files.dir().upload(session.id());
    return checkBytes(session, partial)
        .compose(
            present ->
                present
                    ? write(actor, session, partial, offset, body, checksum)
                    : forget(session.id())
                        .compose(v -> ResumableUploads.<UploadSession>notFound()));
  }

  /**
   * Checks that the bytes of the upload are on disk up to its offset, and drops any beyond it (a
   * crash between a write and the record of its offset). A restored backup has the session but not
   * its bytes: that upload is gone, and its client starts again.
   */
  private Future<Boolean> checkBytes(UploadSession session, Path partial) {
    return files
        .workers()
        .executeBlocking(
            () -> {
              if (!Files.isRegularFile(partial) || Files.size(partial) < session.offset()) {
                return false;
              }
              if (Files.size(partial) > session.offset()) {
                try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                  channel.truncate(session.offset());
                }
              }
              return true;
            },
            false);
  }

  private Future<UploadSession> write(
      Actor actor,
      UploadSession session,
      Path partial,
      long offset,
      ReadStream<Buffer> body,
      Checksum checksum) {
    MessageDigest chunkDigest = checksum == null ? null : checksum.newDigest();
    DiskWriter writer =
        new DiskWriter(
            files.workers(),
            partial,
            offset,
            session.length() - offset,
            ResumableUploads::lengthExceeded,
            false,
            chunkDigest);
    return writer
        .drain(body)
        .transform(
            received -> {
              if (received.succeeded()) {
                return writer
                    .finish()
                    .compose(
                        written ->
                            checksum == null || checksum.matches(chunkDigest)
                                ? Future.succeededFuture(offset + written.bytes())
                                : truncate(partial, offset)
                                    .compose(v -> Future.<Long>failedFuture(checksumMismatch())));
              }
              if (writer.sourceFailed() && checksum == null) {
                // The connection dropped: keep what arrived, and report it as the new offset.
                return writer
                    .close()
                    .compose(written -> advance(session, offset + written))
                    .transform(v -> Future.<Long>failedFuture(received.cause()));
              }
              return writer
                  .close()
                  .transform(closed -> truncate(partial, offset))
                  .transform(
                      v ->
                          Future.<Long>failedFuture(
                              DiskErrors.wrap(received.cause(), "receiving a chunk")));
            })
        .compose(newOffset -> advance(session, newOffset))
        .compose(
            advanced ->
                advanced.offset() == advanced.length()
                    ? complete(actor, advanced)
                    : Future.succeededFuture(advanced));
  }

  private Future<UploadSession> advance(UploadSession session, long newOffset) {
    Instant expires = files.now().plus(files.options().uploadExpiry());
    return files
        .store()
        .repositories()
        .uploads()
        .advance(session.id(), newOffset, expires)
        .map(session.at(newOffset, expires));
  }

  /**
   * Makes the finished upload a file: hashes it where it is, then commits it (quota, blob, row)
   * together with the mark that the upload is complete. If that fails (the quota, a full disk), the
   * bytes stay and a later chunk request at the end offset tries again.
   */
  private Future<UploadSession> complete(Actor actor, UploadSession session) {
    return files
        .stageInPlace(files.dir().upload(session.id()), session.length())
        .compose(
            staged ->
                files.commit(
                    actor,
                    session.ownerId(),
                    staged,
                    session.file(),
                    (repos, created) -> repos.uploads().complete(session.id(), created.id())))
        .map(session::completedAs);
  }

  /**
   * Ends an upload and drops its bytes (tus termination). A completed upload's file stays.
   *
   * @param actor who asks
   * @param id the upload's id
   * @return done
   */
  public Future<Void> terminate(Actor actor, String id) {
    if (!FileStore.mayChange(actor)) {
      return FileStore.readOnly();
    }
    if (!FileStore.isId(id)) {
      return notFound();
    }
    return get(actor, id)
        .compose(
            session ->
                locked(id, "a chunk of this upload is being received", () -> forget(session.id())))
        .<Void>mapEmpty();
  }

  private Future<Boolean> forget(String id) {
    return files
        .store()
        .repositories()
        .uploads()
        .delete(id)
        .compose(existed -> deleteQuietly(files.dir().upload(id)).map(existed));
  }

  /**
   * Drops uploads that expired, and partial files with no upload that are older than the cutoff.
   *
   * @param cutoff files older than this without an upload are orphans
   * @return how many were removed
   */
  Future<Integer> expire(Instant cutoff) {
    return files
        .store()
        .repositories()
        .uploads()
        .expired(files.now(), 1000)
        .compose(
            ids -> {
              Future<Integer> count = Future.succeededFuture(0);
              for (String id : ids) {
                count =
                    count.compose(
                        n -> {
                          // Marked busy while it goes: a chunk arriving meanwhile is refused
                          // (UPLOAD_LOCKED) rather than written into an upload being removed.
                          if (!busy.add(id)) {
                            return Future.succeededFuture(n);
                          }
                          // Read again under the mark: a chunk may have moved its expiry on.
                          return files
                              .store()
                              .repositories()
                              .uploads()
                              .get(OwnerFilter.any(), id)
                              .compose(
                                  session ->
                                      session != null && session.expiresAt().isBefore(files.now())
                                          ? forget(id)
                                          : Future.succeededFuture(false))
                              .andThen(done -> busy.remove(id))
                              .map(existed -> existed ? n + 1 : n);
                        });
              }
              return count;
            })
        .compose(
            expired ->
                files
                    .store()
                    .repositories()
                    .uploads()
                    .ids()
                    .compose(
                        known ->
                            files
                                .workers()
                                .executeBlocking(
                                    () -> expired + removeOrphans(new HashSet<>(known), cutoff),
                                    false)));
  }

  private int removeOrphans(Set<String> known, Instant cutoff) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> partials = Files.newDirectoryStream(files.dir().uploads())) {
      for (Path partial : partials) {
        String id = partial.getFileName().toString();
        if (!known.contains(id)
            && !busy.contains(id)
            && FileStore.olderThan(partial, cutoff)
            && Files.deleteIfExists(partial)) {
          removed++;
        }
      }
    }
    return removed;
  }

  private Future<Void> truncate(Path partial, long offset) {
    return files
        .workers()
        .executeBlocking(
            () -> {
              try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.truncate(offset);
                channel.force(true);
              }
              return null;
            },
            false);
  }

  private Future<Void> deleteQuietly(Path path) {
    return files
        .workers()
        .<Void>executeBlocking(
            () -> {
              Files.deleteIfExists(path);
              return null;
            },
            false)
        .otherwiseEmpty();
  }

  private static HomelabException lengthExceeded() {
    return new HomelabException(
        ErrorKind.TOO_LARGE, LENGTH_EXCEEDED, "the chunk goes past the upload's length");
  }

  private static HomelabException checksumMismatch() {
    return new HomelabException(
        ErrorKind.INVALID, CHECKSUM_MISMATCH, "the chunk does not match its Upload-Checksum");
  }

  private static <T> Future<T> notFound() {
    return Future.failedFuture(
        new NotFoundException(NOT_FOUND, "no upload with this id, or it expired"));
  }
}
