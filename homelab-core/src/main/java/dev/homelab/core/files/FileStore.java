package dev.homelab.core.files;

import dev.homelab.core.ErrorKind;
import dev.homelab.core.ForbiddenException;
import dev.homelab.core.HomelabException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.Page;
import dev.homelab.core.Transactional;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.files.impl.BlobDirectory;
import dev.homelab.core.files.impl.DiskErrors;
import dev.homelab.core.files.impl.DiskWriter;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.internal.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The file store: files with tags over content-addressed blobs, the same rules for HTTP and an
 * embedding app.
 *
 * <p>An upload streams to a temporary file on the store's worker threads, hashed as it is written
 * ({@link #stage}); committing it ({@link #commit}) moves the file into place as the blob named by
 * its SHA-256, unless that blob is already there, and writes the file's row and audit entry in one
 * transaction, then publishes {@value #TOPIC}. A failure at any step leaves neither a row nor a
 * partial blob, and removes the temporary file. Deleting the last file that points to a blob
 * removes the blob.
 *
 * <p>Each user sees and changes only their own files, administrators all of them, viewers read
 * only; another user's file is not found exactly like a missing one. Deduplication never shows
 * across users: every upload sends and hashes all its bytes whether or not the content exists, no
 * answer differs, and a quota counts the sizes of the user's own files. A client never names a
 * blob: hashes are computed here, so knowing a hash opens nothing.
 *
 * <p>{@link #uploads()} adds resumable (tus) uploads and {@link #shares()} share links over the
 * same store. {@link #sweep()} removes what a crash left behind; run it at start and periodically
 * (on one instance, when several share the root).
 */
public final class FileStore implements AutoCloseable {

  /** The topic of file changes; the payload has {@code change} and {@code file}. */
  public static final String TOPIC = "file.changed";

  /** The error code of a file that does not exist or that the actor may not see. */
  public static final String NOT_FOUND = "FILE_NOT_FOUND";

  /** The error code of a file larger than the store accepts. */
  public static final String TOO_LARGE = "FILE_TOO_LARGE";

  /** The error code of an upload that does not fit the user's quota. */
  public static final String QUOTA_EXCEEDED = "QUOTA_EXCEEDED";

  /** The error code of a full disk. */
  public static final String INSUFFICIENT_STORAGE = DiskErrors.INSUFFICIENT_STORAGE;

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int SWEEP_BATCH = 1000;

  /** What the store reads and writes: files, uploads, share links and the audit log. */
  public interface Repositories {

    /**
     * @return the files and blobs
     */
    FileRepository files();

    /**
     * @return the resumable uploads
     */
    UploadRepository uploads();

    /**
     * @return the share links
     */
    ShareRepository shares();

    /**
     * @return the audit log
     */
    AuditRepository audit();
  }

  /**
   * An upload received and hashed but not yet a file: {@link #commit} or {@link #discard} it.
   * Knowing it opens nothing; it is only ever made here, from bytes the caller sent.
   */
  public static final class Staged {
    private final Path path;
    private final long size;
    private final String sha256;
    private final boolean keepOnFailure;

    private Staged(Path path, long size, String sha256, boolean keepOnFailure) {
      this.path = path;
      this.size = size;
      this.sha256 = sha256;
      this.keepOnFailure = keepOnFailure;
    }

    /**
     * @return the size in bytes
     */
    public long size() {
      return size;
    }

    /**
     * @return the SHA-256 of the bytes, lower-case hex
     */
    public String sha256() {
      return sha256;
    }

    @Override
    public String toString() {
      return "Staged[size=" + size + ", sha256=" + sha256 + "]";
    }
  }

  /**
   * What a {@link #sweep()} removed.
   *
   * @param tempFiles temporary files of uploads that never finished
   * @param blobs blobs no file pointed to
   * @param uploads resumable uploads that expired, or whose bytes were missing
   */
  public record SweepReport(int tempFiles, int blobs, int uploads) {}

  private final Transactional<? extends Repositories> store;
  private final EventHub events;
  private final Clock clock;
  private final FileStoreOptions options;
  private final BlobDirectory dir;
  private final WorkerExecutor workers;
  private final Set<Path> live = ConcurrentHashMap.newKeySet();
  private final ResumableUploads uploads;
  private final ShareLinks shares;

  private FileStore(
      Transactional<? extends Repositories> store,
      EventHub events,
      Clock clock,
      FileStoreOptions options,
      BlobDirectory dir,
      WorkerExecutor workers) {
    this.store = store;
    this.events = events;
    this.clock = clock;
    this.options = options;
    this.dir = dir;
    this.workers = workers;
    this.uploads = new ResumableUploads(this);
    this.shares = new ShareLinks(this);
  }

  /**
   * Opens a store over a directory, creating its layout if needed.
   *
   * @param vertx where the worker threads come from
   * @param store the files' rows and the audit log, for example an open {@code Storage}
   * @param events where {@value #TOPIC} is published
   * @param clock the time of rows, audit entries and expiries
   * @param options the root, limits and expiries
   * @return the store; {@link #close()} it to release its threads
   */
  public static Future<FileStore> open(
      Vertx vertx,
      Transactional<? extends Repositories> store,
      EventHub events,
      Clock clock,
      FileStoreOptions options) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(clock, "clock");
    // Hashing a large resumable upload at its end takes seconds; that is expected on these threads.
    WorkerExecutor workers =
        vertx.createSharedWorkerExecutor(
            "homelab-files", options.workerThreads(), 10, TimeUnit.MINUTES);
    return workers
        .executeBlocking(() -> new BlobDirectory(options.root()), false)
        .map(dir -> new FileStore(store, events, clock, options, dir, workers))
        .onFailure(failure -> workers.close());
  }

  /**
   * @return the resumable uploads of this store
   */
  public ResumableUploads uploads() {
    return uploads;
  }

  /**
   * @return the share links of this store
   */
  public ShareLinks shares() {
    return shares;
  }

  /**
   * @return the options the store was opened with
   */
  public FileStoreOptions options() {
    return options;
  }

  /**
   * Uploads a file: {@link #stage} then {@link #commit}.
   *
   * @param actor who uploads; becomes the owner
   * @param file the name, type and tags
   * @param body the bytes, paused (they are read from the moment this is called)
   * @return the file
   */
  public Future<StoredFile> upload(Actor actor, NewFile file, ReadStream<Buffer> body) {
    return stage(actor, body).compose(staged -> commit(actor, staged, file));
  }

  /**
   * Receives the bytes of an upload into a temporary file, hashing them on the way. The upload is
   * refused with {@value #TOO_LARGE} (or {@value #QUOTA_EXCEEDED}, when the user's quota is the
   * tighter bound) as soon as it passes the limit, and with {@value #INSUFFICIENT_STORAGE} when the
   * disk fills; the temporary file is then removed.
   *
   * @param actor who uploads
   * @param body the bytes, paused: reading starts once the limit is known
   * @return the staged upload
   */
  public Future<Staged> stage(Actor actor, ReadStream<Buffer> body) {
    body.pause();
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (actor.userId() == null) {
      return ownerless();
    }
    return room(actor.userId())
        .compose(
            room -> {
              long limit = Math.min(room, options.maxFileBytes());
              boolean quotaBinds = room < options.maxFileBytes();
              Path temp = dir.newTemp();
              live.add(temp);
              DiskWriter writer =
                  new DiskWriter(
                      workers,
                      temp,
                      0,
                      limit,
                      () -> quotaBinds ? quotaExceeded() : tooLarge(),
                      true,
                      null);
              return writer
                  .drain(body)
                  .transform(
                      received ->
                          received.succeeded()
                              ? writer.finish()
                              : writer
                                  .close()
                                  .transform(closed -> Future.failedFuture(received.cause())))
                  .map(written -> new Staged(temp, written.bytes(), written.sha256(), false))
                  .recover(
                      failure ->
                          removeTemp(temp)
                              .andThen(removed -> live.remove(temp))
                              .transform(
                                  removed ->
                                      // A dropped connection is the client's doing: it passes
                                      // as it is, not as a failure of the store.
                                      Future.failedFuture(
                                          writer.sourceFailed()
                                              ? failure
                                              : DiskErrors.wrap(failure, "receiving an upload"))));
            });
  }

  /** The bytes the user may still store: the quota left, or no limit. */
  /**
   * The bytes the user may still store: the quota less their files and their unfinished resumable
   * uploads (at their announced lengths), or no limit.
   */
  Future<Long> room(String ownerId) {
    if (options.quotaBytes() == 0) {
      return Future.succeededFuture(Long.MAX_VALUE);
    }
    Future<Long> used = store.repositories().files().usedBytes(ownerId);
    Future<Long> reserved = store.repositories().uploads().reservedBytes(ownerId, now());
    return Future.all(used, reserved)
        .map(all -> Math.max(0, options.quotaBytes() - used.result() - reserved.result()));
  }

  /**
   * Makes a staged upload a file owned by the actor: checks the quota, puts the blob in place (or
   * reuses it), and writes the row and its audit entry in one transaction. Whatever happens, the
   * temporary file is gone afterwards.
   *
   * @param actor who uploads; becomes the owner
   * @param staged what {@link #stage} returned
   * @param file the name, type and tags
   * @return the file
   */
  public Future<StoredFile> commit(Actor actor, Staged staged, NewFile file) {
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (actor.userId() == null) {
      return ownerless();
    }
    return commit(
        actor, actor.userId(), staged, file, (repos, created) -> Future.succeededFuture());
  }

  /**
   * Commits for an owner with one more step in the transaction (a resumable upload marks itself
   * complete). The owner is the upload's, not necessarily the actor's: an administrator may send
   * the last chunk of a user's upload, and the file is still the user's (and counts in their
   * quota).
   */
  Future<StoredFile> commit(
      Actor actor,
      String ownerId,
      Staged staged,
      NewFile file,
      java.util.function.BiFunction<Repositories, StoredFile, Future<Void>> alsoInTransaction) {
    if (!mayChange(actor)) {
      return readOnly();
    }
    Instant now = now();
    StoredFile created =
        new StoredFile(
            TimeOrderedIds.next(now.toEpochMilli(), RANDOM.nextLong()).toString(),
            ownerId,
            file.filename(),
            file.contentType(),
            staged.size,
            staged.sha256,
            file.tags(),
            now,
            now);
    return store
        .inTransaction(
            repos ->
                checkQuota(repos, created)
                    .compose(v -> repos.files().lockBlob(created.sha256(), created.size()))
                    .compose(
                        v ->
                            workers.executeBlocking(
                                () ->
                                    dir.place(staged.path, created.sha256(), staged.keepOnFailure),
                                false))
                    .compose(v -> repos.files().insert(created))
                    .compose(v -> alsoInTransaction.apply(repos, created))
                    .compose(
                        v ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "file.uploaded",
                                        created.id(),
                                        new JsonObject()
                                            .put("filename", created.filename())
                                            .put("size", created.size())))))
        .map(created)
        .transform(
            ar -> {
              live.remove(staged.path);
              if (ar.succeeded()) {
                // A kept source (a resumable upload's bytes) is only dropped once the file exists.
                return staged.keepOnFailure
                    ? removeTemp(staged.path).otherwiseEmpty().map(created)
                    : Future.succeededFuture(created);
              }
              Future<Void> cleanup =
                  staged.keepOnFailure ? Future.succeededFuture() : removeTemp(staged.path);
              return cleanup.transform(
                  done -> Future.failedFuture(DiskErrors.wrap(ar.cause(), "storing an upload")));
            })
        .compose(stored -> publish("created", stored).map(stored));
  }

  private Future<Void> checkQuota(Repositories repos, StoredFile file) {
    if (options.quotaBytes() == 0) {
      return Future.succeededFuture();
    }
    return repos
        .files()
        .lockOwner(file.ownerId())
        .compose(v -> repos.files().usedBytes(file.ownerId()))
        .compose(
            used ->
                used + file.size() > options.quotaBytes()
                    ? Future.failedFuture(quotaExceeded())
                    : Future.succeededFuture());
  }

  /**
   * Drops a staged upload that will not be committed.
   *
   * @param staged what {@link #stage} returned
   * @return done when its temporary file is removed
   */
  public Future<Void> discard(Staged staged) {
    live.remove(staged.path);
    return removeTemp(staged.path);
  }

  /**
   * @param actor who asks
   * @param query the tag and name filters and the page
   * @return one page of the files the actor may see, newest first
   */
  public Future<Page<StoredFile>> list(Actor actor, FileQuery query) {
    return store.repositories().files().list(filter(actor), query);
  }

  /**
   * @param actor who asks
   * @param id the file's id
   * @return the file; failed with a {@link NotFoundException} ({@value #NOT_FOUND}) if there is
   *     none the actor may see
   */
  public Future<StoredFile> get(Actor actor, String id) {
    if (!isId(id)) {
      return notFound();
    }
    return store.repositories().files().get(filter(actor), id).compose(FileStore::found);
  }

  /**
   * @param actor who asks
   * @param id the file's id
   * @return the file and where its content is
   */
  public Future<FileContent> open(Actor actor, String id) {
    return get(actor, id).map(this::content);
  }

  /** The file of a share link, whoever owns it: the link was checked by the caller. */
  Future<FileContent> openShared(String id) {
    return store
        .repositories()
        .files()
        .get(OwnerFilter.any(), id)
        .compose(FileStore::found)
        .map(this::content);
  }

  private FileContent content(StoredFile file) {
    return new FileContent(file, dir.blob(file.sha256()));
  }

  /**
   * Renames a file or replaces its tags. An empty patch changes nothing and returns the file.
   *
   * @param actor who asks
   * @param id the file's id
   * @param patch the change
   * @return the changed file
   */
  public Future<StoredFile> update(Actor actor, String id, FilePatch patch) {
    if (patch.isEmpty()) {
      return get(actor, id);
    }
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (!isId(id)) {
      return notFound();
    }
    return store
        .inTransaction(
            repos ->
                repos
                    .files()
                    .update(filter(actor), id, patch, now())
                    .compose(FileStore::found)
                    .compose(
                        updated ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "file.updated",
                                        id,
                                        new JsonObject()
                                            .put("filename", updated.filename())
                                            .put("changed", changed(patch))))
                                .map(updated)))
        .compose(updated -> publish("updated", updated).map(updated));
  }

  private static JsonArray changed(FilePatch patch) {
    JsonArray fields = new JsonArray();
    if (patch.filename() != null) {
      fields.add("filename");
    }
    if (patch.tags() != null) {
      fields.add("tags");
    }
    return fields;
  }

  /**
   * Deletes a file, its share links, and its blob if no other file points to it.
   *
   * @param actor who asks
   * @param id the file's id
   * @return the deleted file
   */
  public Future<StoredFile> delete(Actor actor, String id) {
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (!isId(id)) {
      return notFound();
    }
    OwnerFilter filter = filter(actor);
    return store
        .inTransaction(
            repos ->
                repos
                    .files()
                    .get(filter, id)
                    .compose(FileStore::found)
                    .compose(
                        file ->
                            repos
                                .files()
                                .delete(filter, id)
                                .compose(
                                    removed ->
                                        removed
                                            ? Future.succeededFuture(file)
                                            : FileStore.<StoredFile>notFound()))
                    .compose(
                        file ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "file.deleted",
                                        id,
                                        new JsonObject()
                                            .put("filename", file.filename())
                                            .put("size", file.size())))
                                .map(file)))
        // The blob goes in a transaction of its own, after the file's row is gone for good: if
        // that one fails, the blob only waits for the sweeper.
        .compose(file -> reap(file.sha256()).otherwiseEmpty().map(file))
        .compose(file -> publish("deleted", file).map(file));
  }

  /**
   * Removes a blob if no file points to it. The blob's row is locked first, so an upload that
   * reuses the blob waits for this to finish and then puts its own copy in place.
   */
  private Future<Boolean> reap(String sha256) {
    return store.inTransaction(
        repos ->
            repos
                .files()
                .removeBlobIfUnreferenced(sha256)
                .compose(
                    removed ->
                        removed
                            ? workers
                                .executeBlocking(
                                    () -> Files.deleteIfExists(dir.blob(sha256)), false)
                                .map(true)
                            : Future.succeededFuture(false)));
  }

  /**
   * @param actor who asks
   * @return the count and sizes of the files the actor may see, the actor's quota and use, and the
   *     space of the store's disk
   */
  public Future<FileStats> stats(Actor actor) {
    Future<FileRepository.Totals> totals = store.repositories().files().totals(filter(actor));
    Future<Long> used =
        actor.userId() == null
            ? Future.succeededFuture(0L)
            : store.repositories().files().usedBytes(actor.userId());
    Future<long[]> disk =
        workers.executeBlocking(
            () -> {
              java.nio.file.FileStore fs = Files.getFileStore(dir.root());
              return new long[] {fs.getUsableSpace(), fs.getTotalSpace()};
            },
            false);
    return Future.all(totals, used, disk)
        .map(
            all ->
                new FileStats(
                    totals.result().count(),
                    totals.result().bytes(),
                    totals.result().storedBytes(),
                    used.result(),
                    options.quotaBytes() == 0 ? null : options.quotaBytes(),
                    disk.result()[0],
                    disk.result()[1]));
  }

  /**
   * Removes what crashes and abandoned uploads left behind: temporary files of uploads no longer
   * running, expired resumable uploads, blobs no file points to, and blob files without a row.
   * Temporary and blob files younger than {@link FileStoreOptions#orphanGrace()} are left alone,
   * since another instance sharing the root may be writing them.
   *
   * @return what was removed
   */
  public Future<SweepReport> sweep() {
    Instant cutoff = now().minus(options.orphanGrace());
    return workers
        .executeBlocking(() -> removeOldTemps(cutoff), false)
        .compose(
            temps ->
                uploads
                    .expire(cutoff)
                    .compose(
                        expired ->
                            reapUnreferenced()
                                .compose(
                                    blobs ->
                                        removeBlobFilesWithoutRow(cutoff)
                                            .map(
                                                files ->
                                                    new SweepReport(
                                                        temps, blobs + files, expired)))));
  }

  private int removeOldTemps(Instant cutoff) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir.tmp())) {
      for (Path temp : temps) {
        if (!live.contains(temp) && olderThan(temp, cutoff) && Files.deleteIfExists(temp)) {
          removed++;
        }
      }
    }
    return removed;
  }

  private Future<Integer> reapUnreferenced() {
    return store
        .repositories()
        .files()
        .unreferencedBlobs(SWEEP_BATCH)
        .compose(
            shas -> {
              Future<Integer> count = Future.succeededFuture(0);
              for (String sha : shas) {
                count = count.compose(n -> reap(sha).map(removed -> removed ? n + 1 : n));
              }
              return count;
            });
  }

  private Future<Integer> removeBlobFilesWithoutRow(Instant cutoff) {
    // Every old blob file is looked at, in batches checked against the rows in one query each: a
    // limit on the walk itself would look at the same first files at every sweep.
    return workers
        .executeBlocking(
            () -> {
              List<String> old = new ArrayList<>();
              try (Stream<Path> files = Files.walk(dir.blobs(), 3)) {
                files
                    .filter(Files::isRegularFile)
                    .filter(p -> BlobDirectory.shaOf(p) != null)
                    .filter(p -> olderThan(p, cutoff))
                    .forEach(p -> old.add(BlobDirectory.shaOf(p)));
              }
              return old;
            },
            false)
        .compose(
            old -> {
              Future<Integer> count = Future.succeededFuture(0);
              for (int from = 0; from < old.size(); from += SWEEP_BATCH) {
                List<String> batch = old.subList(from, Math.min(old.size(), from + SWEEP_BATCH));
                count =
                    count.compose(
                        n ->
                            store
                                .repositories()
                                .files()
                                .knownBlobs(batch)
                                .compose(known -> reapFilesWithoutRow(batch, known))
                                .map(removed -> n + removed));
              }
              return count;
            });
  }

  private Future<Integer> reapFilesWithoutRow(List<String> batch, java.util.Set<String> known) {
    Future<Integer> count = Future.succeededFuture(0);
    for (String sha : batch) {
      if (!known.contains(sha)) {
        count =
            count.compose(
                n -> reapFileWithoutRow(sha, dir.blob(sha)).map(removed -> removed ? n + 1 : n));
      }
    }
    return count;
  }

  /**
   * Removes a blob file that had no row, under the lock of a row made for the purpose: an upload of
   * the same content that starts meanwhile either committed first (its file row keeps the blob) or
   * waits for this transaction and then puts its own copy in place. Removing the file without the
   * lock could delete it under an upload that had just found it there and reused it.
   */
  private Future<Boolean> reapFileWithoutRow(String sha256, Path blob) {
    return workers
        .executeBlocking(() -> Files.exists(blob) ? Files.size(blob) : -1L, false)
        .compose(
            size ->
                size < 0
                    ? Future.succeededFuture(false)
                    : store.inTransaction(
                        repos ->
                            repos
                                .files()
                                .lockBlob(sha256, size)
                                .compose(v -> repos.files().removeBlobIfUnreferenced(sha256))
                                .compose(
                                    unreferenced ->
                                        unreferenced
                                            ? workers.executeBlocking(
                                                () -> Files.deleteIfExists(blob), false)
                                            : Future.succeededFuture(false))));
  }

  static boolean olderThan(Path path, Instant cutoff) {
    try {
      return Files.getLastModifiedTime(path).toInstant().isBefore(cutoff);
    } catch (IOException gone) {
      return false;
    }
  }

  /** Releases the store's worker threads. */
  @Override
  public void close() {
    workers.close();
  }

  // --- shared with ResumableUploads and ShareLinks ---

  Transactional<? extends Repositories> store() {
    return store;
  }

  BlobDirectory dir() {
    return dir;
  }

  WorkerExecutor workers() {
    return workers;
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** Hashes a finished resumable upload in place, to commit it without copying it. */
  Future<Staged> stageInPlace(Path file, long expectedSize) {
    return workers.executeBlocking(
        () -> {
          MessageDigest digest = DiskWriter.sha256();
          long size = 0;
          byte[] buffer = new byte[1 << 20];
          try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
              digest.update(buffer, 0, n);
              size += n;
            }
          }
          if (size != expectedSize) {
            throw new IOException(
                "a resumable upload holds " + size + " bytes, " + expectedSize + " expected");
          }
          return new Staged(file, size, HexFormat.of().formatHex(digest.digest()), true);
        },
        false);
  }

  AuditEntry audit(Actor actor, String action, String id, JsonObject detail) {
    return actor.succeeded(clock.instant(), action, "file:" + id, detail);
  }

  static boolean mayChange(Actor actor) {
    return actor.role().atLeast(Role.USER);
  }

  static <T> Future<T> readOnly() {
    return Future.failedFuture(
        new ForbiddenException("FORBIDDEN", "a viewer may read files but not change them"));
  }

  private static <T> Future<T> ownerless() {
    return Future.failedFuture(
        new ForbiddenException(
            "FORBIDDEN", "a file belongs to a user: upload it as that user's actor"));
  }

  static OwnerFilter filter(Actor actor) {
    return actor.isAdmin() ? OwnerFilter.any() : OwnerFilter.only(actor.userId());
  }

  static boolean isId(String id) {
    return id != null && UUID.matcher(id).matches();
  }

  static <T> Future<T> notFound() {
    return Future.failedFuture(new NotFoundException(NOT_FOUND, "no file with this id"));
  }

  private static Future<StoredFile> found(StoredFile file) {
    return file == null ? notFound() : Future.succeededFuture(file);
  }

  static HomelabException tooLarge() {
    return new HomelabException(
        ErrorKind.TOO_LARGE, TOO_LARGE, "the file is larger than this server accepts");
  }

  static HomelabException quotaExceeded() {
    return new HomelabException(
        ErrorKind.TOO_LARGE, QUOTA_EXCEEDED, "the file does not fit in your storage quota");
  }

  private Future<Void> removeTemp(Path temp) {
    return workers.<Void>executeBlocking(
        () -> {
          Files.deleteIfExists(temp);
          return null;
        },
        false);
  }

  private Future<Void> publish(String change, StoredFile file) {
    JsonObject payload =
        new JsonObject()
            .put("change", change)
            .put(
                "file",
                change.equals("deleted") ? new JsonObject().put("id", file.id()) : file.toJson());
    return events
        .publish(TOPIC, payload, Visibility.owner(file.ownerId()))
        .<Void>mapEmpty()
        .recover(closed -> Future.succeededFuture());
  }
}
