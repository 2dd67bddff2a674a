package dev.homelab.core.devices;

import dev.homelab.core.ForbiddenException;
import dev.homelab.core.NotFoundException;
import dev.homelab.core.Page;
import dev.homelab.core.Transactional;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.audit.AuditRepository;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.events.Visibility;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.identity.ApiKeySecrets;
import dev.homelab.core.identity.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The device registry: the rules for creating, changing and deleting devices and for minting their
 * tokens, the same for HTTP, the MQTT gateway and an embedding app.
 *
 * <p>Each user sees and changes only their own devices, administrators all of them, viewers read
 * only; another user's device is not found exactly like a missing one, so ids cannot be probed.
 * Every change is written with its audit entry in one transaction, then {@value #TOPIC} is
 * published to the owner (and administrators). A failed audit write therefore leaves no device
 * behind, and a retry creates no duplicate.
 */
public final class DeviceRegistry {

  /** The topic of device changes; the payload has {@code change} and {@code device}. */
  public static final String TOPIC = "device.changed";

  /** The error code of a device that does not exist or that the actor may not see. */
  public static final String NOT_FOUND = "DEVICE_NOT_FOUND";

  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  /** What the registry reads and writes: the devices and the audit log, in one database. */
  public interface Repositories {

    /**
     * @return the devices
     */
    DeviceRepository devices();

    /**
     * @return the audit log
     */
    AuditRepository audit();
  }

  /** A device's token, shown once when issued. */
  public record IssuedToken(String deviceId, String token) {

    /** Keeps the token out of logs that print the record. */
    @Override
    public String toString() {
      return "IssuedToken[deviceId=" + deviceId + ", token=***]";
    }
  }

  private final Transactional<? extends Repositories> store;
  private final EventHub events;
  private final Clock clock;
  private final List<Runnable> tokenListeners = new CopyOnWriteArrayList<>();

  /**
   * @param store the devices and the audit log, for example an open {@code Storage}
   * @param events where {@value #TOPIC} is published
   * @param clock the time of audit entries
   */
  public DeviceRegistry(Transactional<? extends Repositories> store, EventHub events, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.events = Objects.requireNonNull(events, "events");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Registers a listener called, after the commit and before the call's future completes, whenever
   * a device token stops being valid (the device was deleted or its token replaced): a cache of
   * device credentials drops its entries there.
   *
   * @param listener the listener
   */
  public void onTokensChanged(Runnable listener) {
    tokenListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * @param actor who asks
   * @param query the type filter, page size and cursor
   * @return one page of the devices the actor may see, oldest first
   */
  public Future<Page<Device>> list(Actor actor, DeviceQuery query) {
    return store.repositories().devices().list(filter(actor), query);
  }

  /**
   * @param actor who asks
   * @param id the device's id
   * @return the device; failed with a {@link NotFoundException} ({@value #NOT_FOUND}) if there is
   *     none the actor may see
   */
  public Future<Device> get(Actor actor, String id) {
    if (!isId(id)) {
      return notAnId();
    }
    return store.repositories().devices().get(filter(actor), id).compose(d -> found(d, id));
  }

  /**
   * Creates a device owned by the actor.
   *
   * @param actor who asks; becomes the owner, so it must be a user (not {@link Actor#system})
   * @param device the new device
   * @return the created device
   */
  public Future<Device> create(Actor actor, NewDevice device) {
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (actor.userId() == null) {
      return Future.failedFuture(
          new ForbiddenException(
              "FORBIDDEN", "a device belongs to a user: create it as that user's actor"));
    }
    return store
        .inTransaction(
            repos ->
                repos
                    .devices()
                    .create(actor.userId(), device)
                    .compose(
                        created ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "device.created",
                                        created.id(),
                                        new JsonObject().put("name", created.name())))
                                .map(created)))
        .compose(created -> publish("created", created).map(created));
  }

  /**
   * Changes the fields the patch sets. An empty patch changes nothing and returns the device.
   *
   * @param actor who asks
   * @param id the device's id
   * @param patch the changes
   * @return the changed device
   */
  public Future<Device> update(Actor actor, String id, DevicePatch patch) {
    if (patch.isEmpty()) {
      return get(actor, id);
    }
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (!isId(id)) {
      return notAnId();
    }
    return store
        .inTransaction(
            repos ->
                repos
                    .devices()
                    .update(filter(actor), id, patch)
                    .compose(d -> found(d, id))
                    .compose(
                        updated ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "device.updated",
                                        id,
                                        new JsonObject()
                                            .put("name", updated.name())
                                            .put("changed", changedFields(patch))))
                                .map(updated)))
        .compose(updated -> publish("updated", updated).map(updated));
  }

  /**
   * Deletes a device; its token stops working.
   *
   * @param actor who asks
   * @param id the device's id
   * @return the deleted device
   */
  public Future<Device> delete(Actor actor, String id) {
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (!isId(id)) {
      return notAnId();
    }
    OwnerFilter filter = filter(actor);
    return store
        .inTransaction(
            repos ->
                repos
                    .devices()
                    .get(filter, id)
                    .compose(d -> found(d, id))
                    .compose(
                        device ->
                            repos
                                .devices()
                                .delete(filter, id)
                                .compose(removed -> removed ? found(device, id) : notFound(id)))
                    .compose(
                        device ->
                            repos
                                .audit()
                                .append(
                                    audit(
                                        actor,
                                        "device.deleted",
                                        id,
                                        new JsonObject().put("name", device.name())))
                                .map(device)))
        .onSuccess(device -> tokensChanged())
        .compose(device -> publish("deleted", device).map(device));
  }

  /**
   * Mints a new token for the device's connection to the MQTT device gateway, replacing any earlier
   * one, which stops working when this completes. Only the token's hash is stored.
   *
   * @param actor who asks
   * @param id the device's id
   * @return the token: the only time it can be shown
   */
  public Future<IssuedToken> issueToken(Actor actor, String id) {
    if (!mayChange(actor)) {
      return readOnly();
    }
    if (!isId(id)) {
      return notAnId();
    }
    String token = ApiKeySecrets.DEVICE_TOKEN_PREFIX + ApiKeySecrets.newSecret();
    return store
        .inTransaction(
            repos ->
                repos
                    .devices()
                    .setTokenHash(filter(actor), id, ApiKeySecrets.hash(token))
                    .compose(set -> set ? Future.succeededFuture() : notFound(id))
                    .compose(
                        set ->
                            repos
                                .audit()
                                .append(audit(actor, "device.token_issued", id, new JsonObject()))))
        .onSuccess(done -> tokensChanged())
        .map(done -> new IssuedToken(id, token));
  }

  /** Viewers read; users change their own devices, administrators anyone's. */
  private static boolean mayChange(Actor actor) {
    return actor.role().atLeast(Role.USER);
  }

  private static <T> Future<T> readOnly() {
    return Future.failedFuture(
        new ForbiddenException("FORBIDDEN", "a viewer may read devices but not change them"));
  }

  private static OwnerFilter filter(Actor actor) {
    return actor.isAdmin() ? OwnerFilter.any() : OwnerFilter.only(actor.userId());
  }

  /**
   * Checks the form of a device id before anything else is read: a transport that parses a body for
   * the device calls it first, so that a text that cannot name a device is not found whatever the
   * body says.
   *
   * @param id the id as given
   * @throws NotFoundException ({@value #NOT_FOUND}) if it is not a device id
   */
  public static void requireId(String id) {
    if (!isId(id)) {
      throw new NotFoundException(NOT_FOUND, "no device with this id");
    }
  }

  /** Anything that is not a UUID cannot name a device, so it is simply not found. */
  private static boolean isId(String id) {
    return id != null && UUID.matcher(id).matches();
  }

  private AuditEntry audit(Actor actor, String action, String id, JsonObject detail) {
    return actor.succeeded(clock.instant(), action, "device:" + id, detail);
  }

  private void tokensChanged() {
    tokenListeners.forEach(Runnable::run);
  }

  /** Publishes a committed change; a closed hub does not undo it. */
  private Future<Void> publish(String change, Device device) {
    JsonObject payload =
        new JsonObject()
            .put("change", change)
            .put(
                "device",
                change.equals("deleted")
                    ? new JsonObject().put("id", device.id())
                    : device.toJson());
    return events
        .publish(TOPIC, payload, Visibility.owner(device.ownerId()))
        .<Void>mapEmpty()
        .recover(closed -> Future.succeededFuture());
  }

  private static JsonArray changedFields(DevicePatch patch) {
    List<String> fields = new ArrayList<>();
    if (patch.name() != null) {
      fields.add("name");
    }
    if (patch.deviceType() != null) {
      fields.add("device_type");
    }
    if (patch.description() != null || patch.clearDescription()) {
      fields.add("description");
    }
    if (patch.metadata() != null) {
      fields.add("metadata");
    }
    return new JsonArray(fields);
  }

  private static <T> Future<T> found(T device, String id) {
    return device == null ? notFound(id) : Future.succeededFuture(device);
  }

  /** Not echoed: the text was never an id. */
  private static <T> Future<T> notAnId() {
    return Future.failedFuture(new NotFoundException(NOT_FOUND, "no device with this id"));
  }

  private static <T> Future<T> notFound(String id) {
    return Future.failedFuture(new NotFoundException(NOT_FOUND, "no device with id " + id));
  }
}
