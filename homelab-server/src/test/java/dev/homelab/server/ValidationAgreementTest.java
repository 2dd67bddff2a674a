package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.audit.AuditQuery;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.User;
import dev.homelab.client.identity.UserPatch;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server refuses exactly what /openapi.json refuses (issue 14, point 7): each case here was
 * accepted by the server although the document refuses it, or refused although the document allows
 * it.
 */
class ValidationAgreementTest {

  /** Four code points, eight UTF-16 units. */
  private static final String FOUR_EMOJI = "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02\uD83D\uDE03";

  @TempDir static Path dir;
  static ServerTesting lab;

  @BeforeAll
  static void start() {
    lab = ServerTesting.start(dir);
  }

  @AfterAll
  static void stop() {
    lab.close();
  }

  @Test
  void anAuditOutcomeOutsideTheEnumIsRefused() {
    assertRefused(
        awaitFailure(lab.client.audit().list(AuditQuery.create().withOutcome("AAA"))), "outcome");
    assertThat(await(lab.client.audit().list(AuditQuery.create().withOutcome("failure"))).items())
        .allSatisfy(e -> assertThat(e.outcome()).isEqualTo("failure"));
  }

  @Test
  void emptyQueryValuesAreRefusedLikeBadOnes() {
    assertRefused(get("/api/metrics/host?period="), "period");
    assertRefused(get("/api/metrics/host?from=&to=2026-01-01T00:00:00Z"), "from");
    assertRefused(get("/api/metrics/host?max_points="), "max_points");
    assertRefused(get("/api/metrics/query?series=host.cpu.percent&period="), "period");
    assertRefused(get("/api/metrics/query?series="), "series");
    assertRefused(get("/api/audit?limit="), "limit");
    assertRefused(get("/api/audit?outcome="), "outcome");
    assertRefused(get("/api/devices?device_type="), "device_type");
    assertRefused(get("/api/access/logs?granted="), "granted");
  }

  @Test
  void maxPointsBelowThreeIsRefusedAsDocumented() {
    assertRefused(get("/api/metrics/host?max_points=2"), "max_points");
    assertThat(get("/api/metrics/host?max_points=0").statusCode()).isEqualTo(200);
    assertThat(get("/api/metrics/host?max_points=3").statusCode()).isEqualTo(200);
  }

  @Test
  void nullMetadataIsRefusedAndChangesNothing() {
    HttpResponse<?> created =
        await(
            lab.webAdmin
                .post("/api/devices")
                .sendJsonObject(
                    new JsonObject()
                        .put("name", "null metadata")
                        .put("device_type", "iot")
                        .putNull("metadata")));
    assertRefused(created, "metadata");

    Device device =
        await(
            lab.client
                .devices()
                .create(new NewDevice("kept", "iot", null, new JsonObject().put("rack", 2))));
    HttpResponse<?> patched =
        await(
            lab.webAdmin
                .patch("/api/devices/" + device.id())
                .sendJsonObject(new JsonObject().putNull("metadata")));
    assertRefused(patched, "metadata");
    assertThat(await(lab.client.devices().get(device.id())).metadata())
        .isEqualTo(new JsonObject().put("rack", 2));
  }

  @Test
  void passwordLengthsCountCodePoints() {
    String sixEmoji = FOUR_EMOJI + "\uD83D\uDE04\uD83D\uDE05"; // 12 UTF-16 units
    assertRefused(
        awaitFailure(lab.client.users().create("emoji-short", sixEmoji, "viewer")), "password");

    String longest = FOUR_EMOJI.repeat(64); // 256 code points, 512 UTF-16 units
    User user = await(lab.client.users().create("emoji-long", longest, "viewer"));
    assertThat(await(lab.newClient(null).auth().login("emoji-long", longest)).jwt()).isNotBlank();
    assertRefused(
        awaitFailure(
            lab.client.users().update(user.id(), UserPatch.empty().withPassword(sixEmoji))),
        "password");
  }

  @Test
  void otherTextLengthsCountCodePointsToo() {
    String hundred = FOUR_EMOJI.repeat(25); // 100 code points, 200 UTF-16 units
    assertThat(await(lab.client.devices().create(new NewDevice(hundred, "iot", null, null))).name())
        .isEqualTo(hundred);
    assertThat(
            await(
                    lab.client
                        .devices()
                        .create(new NewDevice("described", "iot", hundred.repeat(10), null)))
                .description())
        .hasSize(2000);
    assertThat(await(lab.client.auth().createKey(hundred)).key().name()).isEqualTo(hundred);
    NewCardPolicy card = NewCardPolicy.of("A1B2C3D4");
    card =
        new NewCardPolicy(
            card.uid(), hundred, null, null, null, null, null, null); // holder of 100 emoji
    assertThat(await(lab.client.access().createCard(card)).holder()).isEqualTo(hundred);
    assertRefused(
        awaitFailure(lab.client.devices().create(new NewDevice(hundred + "x", "iot", null, null))),
        "name");
  }

  @Test
  void settingValuesAreMeasuredInEncodedBytes() {
    String small = "\u00e9".repeat(30_000); // 60,000 bytes of UTF-8
    assertThat(await(lab.client.settings().put("bytes.small", small)).value()).isEqualTo(small);
    String large = "\u00e9".repeat(40_000); // 40,000 UTF-16 units, 80,000 bytes of UTF-8
    assertRefused(awaitFailure(lab.client.settings().put("bytes.large", large)), "value");
  }

  @Test
  void anAuditCursorIsExactlyAnIdTheServerHandsOut() {
    assertRefused(get("/api/audit?cursor=%2B5"), "cursor");
    assertRefused(get("/api/audit?cursor=007"), "cursor");
    assertRefused(get("/api/audit?cursor=9223372036854775807"), "cursor");
    assertThat(get("/api/audit?cursor=7").statusCode()).isEqualTo(200);
  }

  @Test
  void aLastEventIdIsAtMostEighteenDigits() {
    for (String id : new String[] {"+5", "1234567890123456789", "-1"}) {
      // The web client reads the whole answer (a raw HttpClient could miss a body that came with
      // the head); a stream opened by mistake would time out instead of answering.
      HttpResponse<?> answer =
          await(
              lab.webAdmin
                  .get("/api/events")
                  .putHeader("Last-Event-ID", id)
                  .timeout(10_000)
                  .send());
      assertThat(answer.statusCode()).as(id).isEqualTo(422);
      assertThat(answer.bodyAsJsonObject().getString("detail")).startsWith("Last-Event-ID:");
    }
  }

  @Test
  void blankMeansTheWhiteSpaceTheDocumentSpellsOut() {
    // U+00A0 and U+FEFF are white space to the document's pattern but not to String.isBlank.
    for (String blank : new String[] {"\u00A0", "\uFEFF\u00A0", "\u2007 \u202F"}) {
      assertRefused(
          awaitFailure(lab.client.devices().create(new NewDevice(blank, "iot", null, null))),
          "name");
      assertRefused(awaitFailure(lab.client.auth().createKey(blank)), "name");
    }
    assertThat(
            await(lab.client.devices().create(new NewDevice("\u00A0x", "iot", null, null))).name())
        .isEqualTo("\u00A0x");
  }

  private static HttpResponse<?> get(String uri) {
    return await(lab.webAdmin.get(uri).send());
  }

  @Test
  void aCardPolicyWithEnabledNullIsRefusedAndCreatesNothing() {
    HttpResponse<?> created =
        await(
            lab.webAdmin
                .post("/api/policies/cards")
                .sendJsonObject(new JsonObject().put("uid", "0A0B0C0D").putNull("enabled")));
    assertRefused(created, "enabled");
    assertThat(await(lab.webAdmin.get("/api/policies/cards/0A0B0C0D").send()).statusCode())
        .isEqualTo(404);
  }

  private static void assertRefused(Throwable failure, String field) {
    assertThat(failure)
        .isInstanceOfSatisfying(
            HomelabHttpException.class,
            e -> {
              assertThat(e.status()).isEqualTo(422);
              assertThat(e.errorCode()).isEqualTo("VALIDATION_FAILED");
              assertThat(e.detail()).startsWith(field + ":");
            });
  }

  private static void assertRefused(HttpResponse<?> response, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error_code")).isEqualTo("VALIDATION_FAILED");
    assertThat(body.getString("detail")).startsWith(field + ":");
    assertThat(body.getString("field")).isEqualTo(field);
    assertThat(body.fieldNames())
        .containsExactlyInAnyOrder("detail", "error_code", "timestamp", "request_id", "field");
  }
}
