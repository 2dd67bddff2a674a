package dev.homelab.examples;

import dev.homelab.core.HomelabException;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DevicePatch;
import dev.homelab.core.devices.DeviceQuery;
import dev.homelab.core.devices.DeviceRegistry;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;

/**
 * Uses the core library without a server: two users, the device registry's rules (each user sees
 * only their own devices), a change, a minted device token, and the audit entries the registry
 * wrote in the same transaction as each change, on an SQLite file.
 *
 * <p>Pass a {@code postgres://} url as the first argument to use PostgreSQL instead.
 */
public final class DeviceRegistryExample {

  private DeviceRegistryExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      StorageOptions options = ExampleStorage.fromArgs(args);
      run(vertx, options).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits for each step with {@code await()}, to read top to bottom: call it from a plain or a
   * virtual thread, never from an event loop (there, chain the futures with {@code compose}).
   */
  // snippet:devices
  static List<String> run(Vertx vertx, StorageOptions options) {
    Storage storage = Storage.open(vertx, options).await();
    EventHub events = EventHub.create(vertx);
    try {
      // The server stores PBKDF2 password hashes here; any string will do for the example.
      User alice = storage.users().create("alice", Role.USER, "example-hash").await();
      User bob = storage.users().create("bob", Role.USER, "example-hash").await();
      // Who acts, whatever the transport: the server builds one per request, an app its own.
      Actor asAlice = new Actor(alice.id(), alice.username(), alice.role(), "example", null);
      Actor asBob = new Actor(bob.id(), bob.username(), bob.role(), "example", null);

      DeviceRegistry devices = new DeviceRegistry(storage, events, Clock.systemUTC());
      Device door =
          devices
              .create(
                  asAlice,
                  new NewDevice(
                      "Front door",
                      "rfid_reader",
                      "By the garage",
                      new JsonObject().put("floor", 0)))
              .await();
      devices.create(asBob, new NewDevice("Rack", "server", null, null)).await();

      // Every rule is the registry's: bob cannot see, nor change, alice's door.
      List<String> bobSees =
          devices.list(asBob, DeviceQuery.first()).await().items().stream()
              .map(Device::name)
              .toList();
      String bobGets = failure(() -> devices.get(asBob, door.id()).await());
      DevicePatch rename = new DevicePatch("Back door", null, null, false, null);
      String bobRenames = failure(() -> devices.update(asBob, door.id(), rename).await());
      Device renamed = devices.update(asAlice, door.id(), rename).await();
      DeviceRegistry.IssuedToken token = devices.issueToken(asAlice, door.id()).await();

      // Each change was written with its audit entry in one transaction.
      List<String> audit =
          storage.audit().list(AuditQuery.newest()).await().items().stream()
              .filter(entry -> alice.id().equals(entry.actorId()))
              .map(entry -> entry.action() + " by " + entry.actor() + " " + entry.detail())
              .toList();

      return List.of(
          "bob sees " + bobSees,
          "bob gets alice's device: " + bobGets,
          "bob renames it: " + bobRenames,
          "alice renames it: " + renamed.name() + ", " + renamed.metadata(),
          "alice's door token starts with " + token.token().substring(0, 4),
          "audit: " + audit);
    } finally {
      events.close().await();
      storage.close().await();
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
  // end:devices
}
