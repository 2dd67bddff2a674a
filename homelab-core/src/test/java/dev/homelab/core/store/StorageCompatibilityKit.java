package dev.homelab.core.store;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.ValidationException;
import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every storage adapter passes. A subclass supplies options for a fresh, empty
 * database per test; the kit opens it, exercises the ports and closes it.
 */
@ExtendWith(BlockedThreadGuard.class)
public abstract class StorageCompatibilityKit {

  protected static Vertx vertx;
  protected Storage storage;
  protected StorageOptions options;

  /**
   * @return options for a fresh, empty database that no other test uses
   */
  protected abstract StorageOptions freshDatabase();

  /**
   * @return the engine the subclass tests
   */
  protected abstract StorageKind expectedKind();

  @BeforeAll
  static void startVertx() {
    vertx = VertxTesting.vertx();
  }

  @AfterAll
  static void stopVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void openStorage() {
    options = freshDatabase();
    storage = await(Storage.open(vertx, options));
  }

  @AfterEach
  void closeStorage() {
    if (storage != null) {
      await(storage.close());
    }
  }

  @Test
  void opensMigratedAndReachable() {
    assertThat(storage.kind()).isEqualTo(expectedKind());
    assertThat(storage.schemaVersion()).isEqualTo("1");
    await(storage.ping());
  }

  @Test
  void reopeningIsIdempotentAndKeepsData() {
    await(storage.settings().put("site.title", "My lab"));
    await(storage.close());
    storage = await(Storage.open(vertx, options));
    assertThat(storage.schemaVersion()).isEqualTo("1");
    assertThat(await(storage.settings().get("site.title")).value()).isEqualTo("My lab");
  }

  @Test
  void everyJsonTypeRoundTrips() {
    List<Object> values =
        List.of(
            new JsonObject()
                .put("theme", "dark")
                .put("columns", 3)
                .put("nested", new JsonObject().put("ok", true)),
            new JsonArray().add(1).add("two").add(new JsonObject().put("three", 3.5)),
            "plain text with ünïcode and \"quotes\"",
            42,
            2.75,
            true);
    for (int i = 0; i < values.size(); i++) {
      Setting stored = await(storage.settings().put("value." + i, values.get(i)));
      Setting read = await(storage.settings().get("value." + i));
      assertThat(read.value()).as("value %d", i).isEqualTo(values.get(i));
      assertThat(read.updatedAt()).isEqualTo(stored.updatedAt());
      assertThat(stored.value()).isEqualTo(values.get(i));
    }
  }

  @Test
  void putReplacesTheValue() {
    Setting first = await(storage.settings().put("units", "metric"));
    Setting second = await(storage.settings().put("units", "imperial"));
    assertThat(await(storage.settings().get("units")).value()).isEqualTo("imperial");
    assertThat(second.updatedAt()).isAfterOrEqualTo(first.updatedAt());
    assertThat(await(storage.settings().list())).hasSize(1);
  }

  @Test
  void listIsOrderedByKey() {
    for (String key : List.of("b", "a.2", "c", "a.10")) {
      await(storage.settings().put(key, key));
    }
    assertThat(await(storage.settings().list()))
        .extracting(Setting::key)
        .containsExactly("a.10", "a.2", "b", "c");
  }

  @Test
  void deleteTellsWhetherSomethingWasRemoved() {
    await(storage.settings().put("gone", 1));
    assertThat(await(storage.settings().delete("gone"))).isTrue();
    assertThat(await(storage.settings().delete("gone"))).isFalse();
    assertThat(await(storage.settings().get("gone"))).isNull();
  }

  @Test
  void missingKeyReadsAsNull() {
    assertThat(await(storage.settings().get("never.written"))).isNull();
  }

  @Test
  void invalidInputIsRefusedAndChangesNothing() {
    await(storage.settings().put("kept", "yes"));
    assertThat(awaitFailure(storage.settings().put("Bad Key", 1)))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("key");
    assertThat(awaitFailure(storage.settings().put("kept", null)))
        .isInstanceOf(ValidationException.class)
        .extracting(e -> ((ValidationException) e).field())
        .isEqualTo("value");
    assertThat(awaitFailure(storage.settings().put("big", "x".repeat(Setting.MAX_VALUE_BYTES + 1))))
        .isInstanceOf(ValidationException.class);
    assertThat(awaitFailure(storage.settings().put("odd", new Object())))
        .isInstanceOf(ValidationException.class);
    assertThat(awaitFailure(storage.settings().get("x".repeat(200))))
        .isInstanceOf(ValidationException.class);
    assertThat(await(storage.settings().list())).extracting(Setting::key).containsExactly("kept");
    assertThat(await(storage.settings().get("kept")).value()).isEqualTo("yes");
  }

  @Test
  void concurrentWritesAllLand() {
    List<Future<Setting>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(storage.settings().put("concurrent." + i, new JsonObject().put("i", i)));
    }
    await(Future.all(writes));
    List<Setting> all = await(storage.settings().list());
    assertThat(all).hasSize(200);
    assertThat(all)
        .allSatisfy(
            s ->
                assertThat(s.key())
                    .isEqualTo("concurrent." + ((JsonObject) s.value()).getInteger("i")));
  }

  @Test
  void aClosedStoreFailsWithAStorageException() {
    await(storage.close());
    Throwable failure = awaitFailure(storage.settings().get("anything"));
    storage = null;
    assertThat(failure).isInstanceOf(StorageException.class);
  }
}
