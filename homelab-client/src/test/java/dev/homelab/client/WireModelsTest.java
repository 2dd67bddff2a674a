package dev.homelab.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.audit.AuditEntry;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.DevicePatch;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.DeviceToken;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.ApiKey;
import dev.homelab.client.identity.CreatedApiKey;
import dev.homelab.client.identity.LoginResult;
import dev.homelab.client.identity.Me;
import dev.homelab.client.identity.User;
import dev.homelab.client.identity.UserPatch;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON mapping of the auth, user, device and audit wire models, on bodies shaped as in auth.md. */
class WireModelsTest {

  private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1LTEifQ.c2lnbmF0dXJl";
  private static final String API_KEY_SECRET = "hlk_9f86d081884c7d659a2feaa0c55ad015";
  private static final String DEVICE_SECRET = "hdt_2c26b46b68ffc68ff99b453c1d304134";
  private static final String PASSWORD = "correct horse battery";

  @Test
  void loginResultReadsTheLoginAnswerAndHidesTheJwt() {
    LoginResult result =
        LoginResult.fromJson(
            new JsonObject(
                """
                {"success":true,"jwt":"%s","expires_in":604800,"token_type":"Bearer"}
                """
                    .formatted(JWT)));

    assertThat(result.jwt()).isEqualTo(JWT);
    assertThat(result.expiresInSeconds()).isEqualTo(604_800L);
    assertThat(result.toString()).doesNotContain(JWT).contains("***").contains("604800");
  }

  @Test
  void meReadsBothCredentialTypes() {
    Me session =
        Me.fromJson(
            new JsonObject(
                """
                {"id":"u-1","username":"alice","role":"user","credential_type":"jwt",
                 "credential_id":"jti-7","expires_at":"2030-01-02T03:04:05Z","later":"ignored"}
                """));
    assertThat(session)
        .isEqualTo(
            new Me("u-1", "alice", "user", "jwt", "jti-7", Instant.parse("2030-01-02T03:04:05Z")));

    Me key =
        Me.fromJson(
            new JsonObject(
                """
                {"id":"u-1","username":"alice","role":"viewer","credential_type":"api_key",
                 "credential_id":"k-1","expires_at":null}
                """));
    assertThat(key.credentialType()).isEqualTo("api_key");
    assertThat(key.role()).isEqualTo("viewer");
    assertThat(key.expiresAt()).isNull();
    assertThat(Me.fromJson(session.toJson())).isEqualTo(session);
  }

  @Test
  void apiKeyReadsOptionalExpiry() {
    ApiKey forever =
        ApiKey.fromJson(
            new JsonObject(
                """
                {"id":"k-1","name":"home assistant","scope":"user",
                 "created_at":"2025-05-01T10:00:00Z","expires_at":null}
                """));
    assertThat(forever)
        .isEqualTo(
            new ApiKey(
                "k-1", "home assistant", "user", Instant.parse("2025-05-01T10:00:00Z"), null));

    ApiKey expiring =
        ApiKey.fromJson(
            new JsonObject(
                """
                {"id":"k-2","name":"ci","scope":"viewer",
                 "created_at":"2025-05-01T10:00:00.123Z","expires_at":"2025-06-01T00:00:00Z"}
                """));
    assertThat(expiring.createdAt()).isEqualTo(Instant.parse("2025-05-01T10:00:00.123Z"));
    assertThat(expiring.expiresAt()).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
    assertThat(ApiKey.fromJson(expiring.toJson())).isEqualTo(expiring);
  }

  @Test
  void createdApiKeyKeepsTheSecretOutOfToString() {
    CreatedApiKey created =
        CreatedApiKey.fromJson(
            new JsonObject(
                """
                {"id":"k-3","name":"bot","scope":"user","created_at":"2025-05-01T10:00:00Z",
                 "expires_at":null,"key":"%s"}
                """
                    .formatted(API_KEY_SECRET)));

    assertThat(created.secret()).isEqualTo(API_KEY_SECRET);
    assertThat(created.key())
        .isEqualTo(new ApiKey("k-3", "bot", "user", Instant.parse("2025-05-01T10:00:00Z"), null));
    assertThat(created.toString())
        .doesNotContain(API_KEY_SECRET)
        .doesNotContain("hlk_")
        .contains("***")
        .contains("k-3");
    assertThat(created.toJson().getString("key")).isEqualTo(API_KEY_SECRET);
  }

  @Test
  void userReadsEveryField() {
    User user =
        User.fromJson(
            new JsonObject(
                """
                {"id":"u-2","username":"bob","role":"viewer","disabled":true,"builtin":false,
                 "created_at":"2025-01-01T00:00:00Z","updated_at":"2025-02-01T00:00:00Z"}
                """));

    assertThat(user)
        .isEqualTo(
            new User(
                "u-2",
                "bob",
                "viewer",
                true,
                false,
                Instant.parse("2025-01-01T00:00:00Z"),
                Instant.parse("2025-02-01T00:00:00Z")));
    assertThat(User.fromJson(user.toJson())).isEqualTo(user);
  }

  @Test
  void userPatchSendsOnlyWhatIsSetAndHidesThePassword() {
    assertThat(UserPatch.empty().toJson()).isEqualTo(new JsonObject());
    assertThat(UserPatch.empty().isEmpty()).isTrue();
    assertThat(UserPatch.empty().withDisabled(false).toJson())
        .isEqualTo(new JsonObject().put("disabled", false));
    assertThat(UserPatch.empty().withRole("viewer").toJson())
        .isEqualTo(new JsonObject().put("role", "viewer"));

    UserPatch patch = UserPatch.empty().withRole("admin").withPassword(PASSWORD);
    assertThat(patch.isEmpty()).isFalse();
    assertThat(patch.toJson())
        .isEqualTo(new JsonObject().put("role", "admin").put("password", PASSWORD));
    assertThat(patch.toString()).doesNotContain(PASSWORD).contains("***").contains("admin");
    assertThat(UserPatch.empty().withRole("user").toString()).doesNotContain("***");
  }

  @Test
  void deviceReadsEveryFieldAndKeepsItsMetadataToItself() {
    JsonObject body =
        new JsonObject(
            """
            {"id":"d-1","name":"Garage door","device_type":"rfid_reader","description":null,
             "metadata":{"room":"garage","pins":[4,17]},"owner":"u-1","has_token":true,
             "created_at":"2025-03-01T08:00:00Z","updated_at":"2025-03-02T08:00:00Z",
             "added_later":{"x":1}}
            """);
    Device device = Device.fromJson(body);

    assertThat(device.id()).isEqualTo("d-1");
    assertThat(device.name()).isEqualTo("Garage door");
    assertThat(device.deviceType()).isEqualTo("rfid_reader");
    assertThat(device.description()).isNull();
    assertThat(device.owner()).isEqualTo("u-1");
    assertThat(device.hasToken()).isTrue();
    assertThat(device.createdAt()).isEqualTo(Instant.parse("2025-03-01T08:00:00Z"));
    assertThat(device.updatedAt()).isEqualTo(Instant.parse("2025-03-02T08:00:00Z"));
    assertThat(device.metadata().getString("room")).isEqualTo("garage");

    body.getJsonObject("metadata").put("room", "changed in the body");
    device.metadata().put("room", "changed through the accessor");
    assertThat(device.metadata().getString("room")).isEqualTo("garage");
    assertThat(Device.fromJson(device.toJson())).isEqualTo(device);

    Device bare =
        Device.fromJson(
            new JsonObject(
                """
                {"id":"d-2","name":"n","device_type":"iot","owner":"u-1","has_token":false,
                 "created_at":"2025-03-01T08:00:00Z","updated_at":"2025-03-01T08:00:00Z"}
                """));
    assertThat(bare.metadata()).isEqualTo(new JsonObject());
    assertThat(bare.hasToken()).isFalse();
  }

  @Test
  void newDeviceLeavesOutWhatIsNull() {
    assertThat(new NewDevice("Hall sensor", "sensor").toJson())
        .isEqualTo(new JsonObject().put("name", "Hall sensor").put("device_type", "sensor"));

    JsonObject metadata = new JsonObject().put("room", "hall");
    NewDevice full = new NewDevice("Hall sensor", "sensor", "motion", metadata);
    metadata.put("room", "changed");
    assertThat(full.toJson())
        .isEqualTo(
            new JsonObject()
                .put("name", "Hall sensor")
                .put("device_type", "sensor")
                .put("description", "motion")
                .put("metadata", new JsonObject().put("room", "hall")));
  }

  @Test
  void devicePatchSendsOnlyWhatIsSet() {
    assertThat(DevicePatch.empty().toJson()).isEqualTo(new JsonObject());
    assertThat(DevicePatch.empty().isEmpty()).isTrue();
    assertThat(DevicePatch.empty().withName("Front door").toJson())
        .isEqualTo(new JsonObject().put("name", "Front door"));

    DevicePatch patch =
        DevicePatch.empty()
            .withDeviceType("camera")
            .withDescription("porch")
            .withMetadata(new JsonObject().put("fps", 15));
    assertThat(patch.isEmpty()).isFalse();
    assertThat(patch.toJson())
        .isEqualTo(
            new JsonObject()
                .put("device_type", "camera")
                .put("description", "porch")
                .put("metadata", new JsonObject().put("fps", 15)));
    assertThat(patch.toJson().containsKey("name")).isFalse();
  }

  @Test
  void deviceTokenKeepsTheTokenOutOfToString() {
    DeviceToken token =
        DeviceToken.fromJson(
            new JsonObject(
                """
                {"device_id":"d-1","token":"%s"}
                """
                    .formatted(DEVICE_SECRET)));

    assertThat(token.deviceId()).isEqualTo("d-1");
    assertThat(token.token()).isEqualTo(DEVICE_SECRET);
    assertThat(token.toString()).doesNotContain(DEVICE_SECRET).contains("***").contains("d-1");
  }

  @Test
  void deviceQueryBuildsOnlyTheSetParameters() {
    assertThat(DeviceQuery.create().toQueryParams()).isEmpty();
    assertThat(
            DeviceQuery.create()
                .withLimit(50)
                .withCursor("abc+/=")
                .withDeviceType("sensor")
                .toQueryParams())
        .containsExactly(
            Map.entry("limit", "50"),
            Map.entry("cursor", "abc+/="),
            Map.entry("device_type", "sensor"));
    assertThatThrownBy(() -> DeviceQuery.create().withLimit(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void auditQueryBuildsOnlyTheSetParameters() {
    assertThat(AuditQuery.create().toQueryParams()).isEmpty();
    assertThat(
            AuditQuery.create()
                .withAction("auth.login_failed")
                .withActorId("u-1")
                .withOutcome("failure")
                .withFrom(Instant.parse("2025-01-01T00:00:00Z"))
                .withTo(Instant.parse("2025-01-31T23:59:59.5Z"))
                .withLimit(500)
                .withCursor("next")
                .toQueryParams())
        .containsExactly(
            Map.entry("action", "auth.login_failed"),
            Map.entry("actor_id", "u-1"),
            Map.entry("outcome", "failure"),
            Map.entry("from", "2025-01-01T00:00:00Z"),
            Map.entry("to", "2025-01-31T23:59:59.500Z"),
            Map.entry("limit", "500"),
            Map.entry("cursor", "next"));
    assertThat(AuditQuery.create().withOutcome("success").toQueryParams())
        .containsExactly(Map.entry("outcome", "success"));
    assertThatThrownBy(() -> AuditQuery.create().withLimit(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void auditEntryReadsNumericAndStringIdsAndNullableFields() {
    AuditEntry failedLogin =
        AuditEntry.fromJson(
            new JsonObject(
                """
                {"id":42,"time":"2025-04-01T12:00:00Z","action":"auth.login_failed",
                 "outcome":"failure","actor_id":null,"actor":null,"source_ip":"192.0.2.7",
                 "request_id":"req-1","target":"alice","detail":{"reason":"bad_password"}}
                """));

    assertThat(failedLogin.id()).isEqualTo(42L);
    assertThat(failedLogin.time()).isEqualTo(Instant.parse("2025-04-01T12:00:00Z"));
    assertThat(failedLogin.action()).isEqualTo("auth.login_failed");
    assertThat(failedLogin.outcome()).isEqualTo("failure");
    assertThat(failedLogin.actorId()).isNull();
    assertThat(failedLogin.actor()).isNull();
    assertThat(failedLogin.sourceIp()).isEqualTo("192.0.2.7");
    assertThat(failedLogin.requestId()).isEqualTo("req-1");
    assertThat(failedLogin.target()).isEqualTo("alice");
    assertThat(failedLogin.detail()).isEqualTo(new JsonObject().put("reason", "bad_password"));
    assertThat(AuditEntry.fromJson(failedLogin.toJson())).isEqualTo(failedLogin);

    assertThat(AuditEntry.fromJson(new JsonObject("{\"id\":9007199254740993}")).id())
        .isEqualTo(9_007_199_254_740_993L);
    assertThat(AuditEntry.fromJson(new JsonObject("{\"id\":\"17\"}")).id()).isEqualTo(17L);
    assertThat(AuditEntry.fromJson(new JsonObject("{\"id\":1,\"detail\":null}")).detail()).isNull();
  }

  @Test
  void pageReadsItemsAndCursor() {
    Page<AuditEntry> page =
        Page.fromJson(
            new JsonObject(
                """
                {"entries":[{"id":2,"time":"2025-04-01T12:00:01Z","action":"auth.logout",
                             "outcome":"success"},
                            {"id":1,"time":"2025-04-01T12:00:00Z","action":"auth.login",
                             "outcome":"success"}],
                 "next_cursor":"MQ=="}
                """),
            "entries",
            AuditEntry::fromJson);

    assertThat(page.items()).extracting(AuditEntry::id).containsExactly(2L, 1L);
    assertThat(page.nextCursor()).isEqualTo("MQ==");
    assertThat(page.hasNext()).isTrue();
    assertThatThrownBy(() -> page.items().clear())
        .isInstanceOf(UnsupportedOperationException.class);

    Page<Device> last =
        Page.fromJson(
            new JsonObject("{\"devices\":[],\"next_cursor\":null}"), "devices", Device::fromJson);
    assertThat(last.items()).isEmpty();
    assertThat(last.hasNext()).isFalse();
    assertThat(Page.fromJson(new JsonObject(), "devices", Device::fromJson).hasNext()).isFalse();
  }
}
