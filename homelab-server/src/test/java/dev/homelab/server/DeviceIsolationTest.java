package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.DevicePatch;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.files.UploadOptions;
import dev.homelab.client.files.UploadSource;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The BOLA matrix of reliability row A11 for devices, through the client against a real server:
 * {owner, other user, admin, viewer, anonymous} x {list, get, patch, delete}.
 */
class DeviceIsolationTest {

  @TempDir static Path dir;
  static ServerTesting lab;
  static HomelabClient owner;
  static HomelabClient other;
  static HomelabClient viewer;
  static HomelabClient anonymous;
  static Map<String, HomelabClient> callers;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
    owner = lab.newUser("alice", "user");
    other = lab.newUser("bob", "user");
    viewer = lab.newUser("carol", "viewer");
    anonymous = lab.newClient(null);
    callers = new LinkedHashMap<>();
    callers.put("owner", owner);
    callers.put("other", other);
    callers.put("admin", lab.client);
    callers.put("viewer", viewer);
    callers.put("anonymous", anonymous);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  /** The status a call ended with: 2xx on success, else the server's status. */
  static int status(Future<?> call, int success) {
    try {
      await(call);
      return success;
    } catch (HomelabHttpException e) {
      return e.status();
    } catch (RuntimeException e) {
      if (e.getCause() instanceof HomelabHttpException http) {
        return http.status();
      }
      throw e;
    }
  }

  static Device ownersDevice() {
    return await(
        owner
            .devices()
            .create(
                new NewDevice(
                    "Front door", "rfid_reader", "ESP32", new JsonObject().put("ip", "10.0.0.9"))));
  }

  void assertMatrix(
      String operation, Map<String, Integer> expected, Function<String, Integer> call) {
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (String caller : expected.keySet()) {
      actual.put(caller, call.apply(caller));
    }
    assertThat(actual).as(operation).isEqualTo(expected);
  }

  static Map<String, Integer> expect(int owner, int other, int admin, int viewer, int anonymous) {
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("owner", owner);
    expected.put("other", other);
    expected.put("admin", admin);
    expected.put("viewer", viewer);
    expected.put("anonymous", anonymous);
    return expected;
  }

  @Test
  void get() {
    Device device = ownersDevice();
    assertMatrix(
        "get",
        expect(200, 404, 200, 404, 401),
        caller -> status(callers.get(caller).devices().get(device.id()), 200));
    // A missing device answers exactly like another user's: no existence oracle.
    HomelabHttpException missing =
        (HomelabHttpException)
            awaitFailure(other.devices().get("01234567-89ab-7def-8123-456789abcdef"));
    HomelabHttpException foreign =
        (HomelabHttpException) awaitFailure(other.devices().get(device.id()));
    assertThat(foreign.errorCode()).isEqualTo(missing.errorCode()).isEqualTo("DEVICE_NOT_FOUND");
  }

  @Test
  void list() {
    Device device = ownersDevice();
    Map<String, Integer> expected = expect(200, 200, 200, 200, 401);
    assertMatrix("list", expected, caller -> status(callers.get(caller).devices().list(), 200));
    for (String caller : List.of("owner", "admin")) {
      assertThat(listAll(callers.get(caller))).as(caller).contains(device.id());
    }
    for (String caller : List.of("other", "viewer")) {
      assertThat(listAll(callers.get(caller))).as(caller).doesNotContain(device.id());
    }
    // Filters and cursors cannot reach another owner's devices either.
    assertThat(
            await(other.devices().list(DeviceQuery.create().withDeviceType("rfid_reader"))).items())
        .extracting(Device::owner)
        .doesNotContain(device.owner());
  }

  @Test
  void listParametersNamingAnotherOwnerReachNothingOfTheirs() {
    Device alices = ownersDevice();
    await(
        owner
            .files()
            .upload(
                UploadSource.of("alice.txt", "text/plain", "alice".getBytes()),
                UploadOptions.create()));
    await(owner.auth().createKey("alice's key"));
    String alice = alices.owner();

    // Bob, through raw requests, so that any parameter can be sent.
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(lab.client.users().create("bob-raw", password, "user"));
    String jwt =
        await(
                lab.web
                    .post("/api/auth/login")
                    .sendJsonObject(
                        new JsonObject().put("username", "bob-raw").put("password", password)))
            .bodyAsJsonObject()
            .getString("jwt");
    TestSecrets.remember(jwt);
    String owners =
        "owner=" + alice + "&owner_id=" + alice + "&user_id=" + alice + "&user=alice&all=true";
    Map<String, String> lists =
        Map.of("/api/devices", "devices", "/api/files", "files", "/api/auth/keys", "keys");
    lists.forEach(
        (path, field) -> {
          JsonObject plain = get(path, jwt);
          JsonObject filtered = get(path + "?" + owners, jwt);
          assertThat(filtered.getJsonArray(field))
              .as(path + " with another owner named")
              .isEqualTo(plain.getJsonArray(field));
          assertThat(filtered.encode()).as(path).doesNotContain(alice);
        });
  }

  private static JsonObject get(String path, String jwt) {
    var answer = await(lab.web.get(path).putHeader("Authorization", "Bearer " + jwt).send());
    assertThat(answer.statusCode()).as(path + ": " + answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject();
  }

  static List<String> listAll(HomelabClient client) {
    return client.blocking().devices().list(DeviceQuery.create().withLimit(500)).items().stream()
        .map(Device::id)
        .toList();
  }

  @Test
  void patch() {
    Device device = ownersDevice();
    assertMatrix(
        "patch",
        expect(200, 404, 200, 403, 401),
        caller ->
            status(
                callers
                    .get(caller)
                    .devices()
                    .update(device.id(), DevicePatch.empty().withName("renamed by " + caller)),
                200));
    assertThat(await(owner.devices().get(device.id())).name()).isEqualTo("renamed by admin");
  }

  @Test
  void delete() {
    Map<String, Integer> expected = expect(204, 404, 204, 403, 401);
    Map<String, Integer> actual = new LinkedHashMap<>();
    for (String caller : expected.keySet()) {
      Device device = ownersDevice();
      actual.put(caller, status(callers.get(caller).devices().delete(device.id()), 204));
      boolean gone = status(owner.devices().get(device.id()), 200) == 404;
      assertThat(gone).as(caller + " deleted it").isEqualTo(actual.get(caller) == 204);
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void ownerAndIdCannotBeAssigned() {
    for (String field : List.of("owner", "id", "owner_id", "created_at", "has_token")) {
      HomelabHttpException refused =
          (HomelabHttpException)
              awaitFailure(
                  lab.webAdmin
                      .post("/api/devices")
                      .sendJsonObject(
                          new JsonObject()
                              .put("name", "x")
                              .put("device_type", "iot")
                              .put(field, "other-user"))
                      .compose(
                          response ->
                              Future.failedFuture(
                                  HomelabHttpException.of(
                                      response.statusCode(), response.bodyAsString(), null, -1))));
      assertThat(refused.status()).as(field).isEqualTo(422);
      assertThat(refused.getMessage()).as(field).contains(field);
    }
    assertThat(listAll(lab.client)).allSatisfy(id -> assertThat(id).isNotEqualTo("other-user"));
  }

  @Test
  void validationNamesTheFieldAndChangesNothing() {
    int before = listAll(owner).size();
    for (JsonObject bad :
        List.of(
            new JsonObject().put("device_type", "iot"),
            new JsonObject().put("name", "").put("device_type", "iot"),
            new JsonObject().put("name", "x").put("device_type", "Not A Type"),
            new JsonObject()
                .put("name", "x")
                .put("device_type", "iot")
                .put("description", "d".repeat(1001)))) {
      int code =
          status(
              owner
                  .devices()
                  .create(
                      new NewDevice(
                          bad.getString("name"),
                          bad.getString("device_type"),
                          bad.getString("description"),
                          null)),
              201);
      assertThat(code).as(bad.encode()).isEqualTo(422);
    }
    var raw =
        await(
            lab.webAdmin
                .post("/api/devices")
                .sendJsonObject(
                    new JsonObject()
                        .put("name", "x")
                        .put("device_type", "iot")
                        .put("metadata", 5)));
    assertThat(raw.statusCode()).isEqualTo(422);
    assertThat(raw.bodyAsJsonObject().getString("detail")).startsWith("metadata");
    assertThat(listAll(owner)).hasSize(before);
  }

  @Test
  void aDeviceTokenIsShownOnceAndStoredHashed() {
    Device device = ownersDevice();
    assertThat(device.hasToken()).isFalse();
    assertThat(status(other.devices().issueToken(device.id()), 201)).isEqualTo(404);
    assertThat(status(viewer.devices().issueToken(device.id()), 201)).isEqualTo(403);
    var token = await(owner.devices().issueToken(device.id()));
    assertThat(token.token()).startsWith("hld_").hasSizeGreaterThan(40);
    assertThat(token.toString()).doesNotContain(token.token());
    Device after = await(owner.devices().get(device.id()));
    assertThat(after.hasToken()).isTrue();
    String raw = await(lab.webAdmin.get("/api/devices/" + device.id()).send()).bodyAsString();
    assertThat(raw).doesNotContain(token.token()).doesNotContain("token_hash");
    var again = await(owner.devices().issueToken(device.id()));
    assertThat(again.token()).isNotEqualTo(token.token());
  }
}
