package dev.homelab.examples;

import dev.homelab.core.HomelabException;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.files.FileContent;
import dev.homelab.core.files.FileQuery;
import dev.homelab.core.files.FileStats;
import dev.homelab.core.files.FileStore;
import dev.homelab.core.files.FileStoreOptions;
import dev.homelab.core.files.IssuedShare;
import dev.homelab.core.files.NewFile;
import dev.homelab.core.files.ShareSpec;
import dev.homelab.core.files.StoredFile;
import dev.homelab.core.files.UploadSession;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Function;

/**
 * Uses the file store without a server, on an SQLite file and a directory: uploads with tags, the
 * same bytes stored once, a listing by tag, a share link with a download limit, and a resumable
 * upload sent in two chunks.
 *
 * <p>Pass a {@code postgres://} url as the first argument to keep the rows in PostgreSQL instead.
 */
public final class FileStoreExample {

  private FileStoreExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Path dir = Files.createTempDirectory("homelab-files-example");
      run(vertx, ExampleStorage.fromArgs(args), dir).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits for each step with {@code await()}, to read top to bottom: call it from a plain or a
   * virtual thread, never from an event loop (there, chain the futures with {@code compose}).
   */
  // snippet:files
  static List<String> run(Vertx vertx, StorageOptions options, Path dir) throws IOException {
    Storage storage = Storage.open(vertx, options).await();
    EventHub events = EventHub.create(vertx);
    FileStore files =
        FileStore.open(
                vertx,
                storage,
                events,
                Clock.systemUTC(),
                FileStoreOptions.defaults(dir.resolve("files")))
            .await();
    try {
      User alice = storage.users().create("alice", Role.USER, "example-hash").await();
      User bob = storage.users().create("bob", Role.USER, "example-hash").await();
      Actor asAlice = new Actor(alice.id(), alice.username(), alice.role(), "example", null);
      Actor asBob = new Actor(bob.id(), bob.username(), bob.role(), "example", null);

      // Any ReadStream<Buffer> is a body: an HTTP request in the server, a file here.
      Path report = Files.writeString(dir.resolve("report.txt"), "quarterly numbers");
      StoredFile uploaded =
          send(
              vertx,
              report,
              0,
              -1,
              body ->
                  files.upload(
                      asAlice,
                      new NewFile("../../report.txt", "text/plain", List.of("Docs", "2026")),
                      body));
      // The same bytes again, by alice and by bob: three files, one blob on disk.
      StoredFile copy =
          send(
              vertx,
              report,
              0,
              -1,
              body -> files.upload(asAlice, new NewFile("copy.txt", null, List.of("docs")), body));
      send(
          vertx,
          report,
          0,
          -1,
          body -> files.upload(asBob, new NewFile("mine.txt", null, null), body));
      FileStats aliceStats = files.stats(asAlice).await();
      FileStats bobStats = files.stats(asBob).await();

      List<String> tagged =
          files.list(asAlice, new FileQuery("docs", null, 10, null)).await().items().stream()
              .map(StoredFile::filename)
              .toList();
      String bobOpens = failure(() -> files.open(asBob, uploaded.id()).await());

      // A share link: the token is shown once; only its hash is stored.
      IssuedShare link =
          files.shares().create(asAlice, uploaded.id(), new ShareSpec(null, 1)).await();
      FileContent shared = files.shares().redeem(link.token(), true).await();
      String sharedText = Files.readString(shared.blob());
      String secondDownload = failure(() -> files.shares().redeem(link.token(), true).await());

      // A resumable upload: create it with its length, send chunks at the offset it reports.
      Path big = Files.writeString(dir.resolve("big.txt"), "first half, second half");
      long length = Files.size(big);
      UploadSession session =
          files.uploads().create(asAlice, length, new NewFile("big.txt", null, null)).await();
      String id = session.id();
      session = send(vertx, big, 0, 12, body -> files.uploads().append(asAlice, id, 0, body, null));
      long halfway = session.offset();
      session =
          send(
              vertx,
              big,
              halfway,
              length - halfway,
              body -> files.uploads().append(asAlice, id, halfway, body, null));
      StoredFile resumed = files.get(asAlice, session.fileId()).await();

      return List.of(
          "alice uploaded "
              + uploaded.filename()
              + " ("
              + uploaded.size()
              + " bytes) "
              + uploaded.tags(),
          "the copy has the same content: " + copy.sha256().equals(uploaded.sha256()),
          "alice: "
              + aliceStats.count()
              + " files, "
              + aliceStats.bytes()
              + " bytes, "
              + aliceStats.savedBytes()
              + " saved",
          "bob: "
              + bobStats.count()
              + " file, "
              + bobStats.bytes()
              + " bytes, "
              + bobStats.savedBytes()
              + " saved",
          "tagged docs: " + tagged,
          "bob opens alice's file: " + bobOpens,
          "the link opens: " + sharedText + ", a second time: " + secondDownload,
          "resumable: "
              + halfway
              + " of "
              + length
              + " bytes, then "
              + resumed.filename()
              + " complete: "
              + session.isComplete());
    } finally {
      files.close();
      events.close().await();
      storage.close().await();
    }
  }

  /** Sends a file's bytes from an offset ({@code length} -1: to the end), then closes it. */
  private static <T> T send(
      Vertx vertx, Path file, long from, long length, Function<AsyncFile, Future<T>> call) {
    AsyncFile body =
        vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true)).await();
    try {
      body.setReadPos(from).setReadLength(length < 0 ? Long.MAX_VALUE : length);
      return call.apply(body).await();
    } finally {
      body.close().await();
    }
  }

  /** The error code a refused call failed with. */
  private static String failure(Runnable call) {
    try {
      call.run();
      return "allowed";
    } catch (HomelabException refused) {
      return refused.errorCode();
    }
  }
  // end:files
}
