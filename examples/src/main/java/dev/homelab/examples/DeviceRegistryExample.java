package dev.homelab.examples;

import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditQuery;
import dev.homelab.core.devices.Device;
import dev.homelab.core.devices.DevicePatch;
import dev.homelab.core.devices.DeviceQuery;
import dev.homelab.core.devices.DeviceRepository;
import dev.homelab.core.devices.NewDevice;
import dev.homelab.core.devices.OwnerFilter;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Uses the core library without a server: two users, their devices (each sees only their own), a
 * change to a device and an audit entry, on an SQLite file.
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
    try {
      // The server stores PBKDF2 password hashes here; any string will do for the example.
      User alice = storage.users().create("alice", Role.USER, "example-hash").await();
      User bob = storage.users().create("bob", Role.USER, "example-hash").await();

      DeviceRepository devices = storage.devices();
      Device door =
          devices
              .create(
                  alice.id(),
                  new NewDevice(
                      "Front door",
                      "rfid_reader",
                      "By the garage",
                      new JsonObject().put("floor", 0)))
              .await();
      devices.create(bob.id(), new NewDevice("Rack", "server", null, null)).await();

      // The owner filter is part of every query: bob cannot see, nor change, alice's door.
      OwnerFilter onlyBob = OwnerFilter.only(bob.id());
      List<String> bobSees =
          devices.list(onlyBob, DeviceQuery.first()).await().items().stream()
              .map(Device::name)
              .toList();
      Device bobGets = devices.get(onlyBob, door.id()).await();
      Device anyGets = devices.get(OwnerFilter.any(), door.id()).await();

      DevicePatch rename = new DevicePatch("Back door", null, null, false, null);
      Device bobRenamed = devices.update(onlyBob, door.id(), rename).await();
      Device renamed = devices.update(OwnerFilter.only(alice.id()), door.id(), rename).await();

      storage
          .audit()
          .append(
              new AuditEntry(
                  0, // the store assigns the id
                  Instant.now(),
                  "device.created",
                  AuditEntry.SUCCESS,
                  alice.id(),
                  alice.username(),
                  null,
                  null,
                  "device:" + door.id(),
                  new JsonObject().put("name", door.name())))
          .await();
      AuditEntry newest = storage.audit().list(AuditQuery.newest()).await().items().get(0);

      return List.of(
          "bob sees " + bobSees,
          "bob gets alice's device: " + bobGets,
          "any owner gets: " + anyGets.name(),
          "bob renames it: " + bobRenamed,
          "alice renames it: " + renamed.name() + ", " + renamed.metadata(),
          "audit: %s %s by %s %s"
              .formatted(newest.action(), newest.outcome(), newest.actor(), newest.detail()));
    } finally {
      storage.close().await();
    }
  }
  // end:devices
}
