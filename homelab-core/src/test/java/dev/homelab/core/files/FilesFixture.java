package dev.homelab.core.files;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.HomelabException;
import dev.homelab.core.events.Event;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file store's tests share: a real store on a fresh database of the subclass's engine, a
 * store root in a temporary directory, a clock the test moves, users of every role, and the events
 * published.
 */
abstract class FilesFixture {

  static Vertx vertx;

  @TempDir Path dir;
  Path root;
  Storage storage;
  EventHub events;
  MutableClock clock;
  FileStore files;
  final BlockingQueue<Event> published = new LinkedBlockingQueue<>();

  Actor alice;
  Actor bob;
  Actor admin;
  Actor viewer;

  /**
   * @return options for a fresh, empty database that no other test uses
   */
  protected abstract StorageOptions freshDatabase();

  /**
   * @param storage an open store
   * @return its pool, for statements the ports do not offer
   */
  protected abstract Pool pool(Storage storage);

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void open() {
    storage = await(Storage.open(vertx, freshDatabase()));
    events = EventHub.create(vertx);
    events.subscribe(List.of(FileStore.TOPIC), published::add);
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    root = dir.resolve("store");
    files = await(FileStore.open(vertx, storage, events, clock, options(root)));
    alice = actor("alice", Role.USER);
    bob = actor("bob", Role.USER);
    admin = actor("root", Role.ADMIN);
    viewer = actor("vera", Role.VIEWER);
  }

  /**
   * @param root the store's root
   * @return the options the test's store is opened with
   */
  FileStoreOptions options(Path root) {
    return FileStoreOptions.defaults(root);
  }

  /** Closes the test's store and opens another one on the same root and database. */
  void reopen(FileStoreOptions options) {
    files.close();
    files = await(FileStore.open(vertx, storage, events, clock, options));
  }

  @AfterEach
  void close() {
    if (files != null) {
      files.close();
    }
    await(events.close());
    await(storage.close());
  }

  private Actor actor(String name, Role role) {
    String id = await(storage.users().create(name, role, "unused-hash")).id();
    return new Actor(id, name, role, "192.0.2.1", "req-" + name);
  }

  static byte[] bytes(int size, long seed) {
    byte[] data = new byte[size];
    new Random(seed).nextBytes(data);
    return data;
  }

  static String sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[][] split(byte[] data, int pieces) {
    byte[][] chunks = new byte[pieces][];
    int size = (data.length + pieces - 1) / Math.max(1, pieces);
    for (int i = 0; i < pieces; i++) {
      int from = Math.min(data.length, i * size);
      int to = Math.min(data.length, from + size);
      chunks[i] = java.util.Arrays.copyOfRange(data, from, to);
    }
    return chunks;
  }

  Future<StoredFile> upload(Actor actor, String name, byte[] data, String... tags) {
    return files.upload(
        actor,
        new NewFile(name, "text/plain", List.of(tags)),
        ChunkStream.of(vertx, split(data, 3)));
  }

  byte[] read(FileContent content) {
    try {
      return Files.readAllBytes(content.blob());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The regular files under a directory of the root, by path relative to the root. */
  List<String> filesUnder(String sub) {
    Path base = root.resolve(sub);
    if (!Files.isDirectory(base)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(base)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String codeOf(Throwable failure) {
    assertThat(failure).isInstanceOf(HomelabException.class);
    return ((HomelabException) failure).errorCode();
  }

  static String failureCode(Future<?> future) {
    return codeOf(awaitFailure(future));
  }

  /** The next published event, failing the test if none comes in time. */
  Event nextEvent() {
    try {
      Event event = published.poll(VertxTesting.STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(event).as("an event within " + VertxTesting.STEP_TIMEOUT).isNotNull();
      return event;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void age(Path path, Duration by) {
    try {
      Files.setLastModifiedTime(
          path, java.nio.file.attribute.FileTime.from(Instant.now().minus(by)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
