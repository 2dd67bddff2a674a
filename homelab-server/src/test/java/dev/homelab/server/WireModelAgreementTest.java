package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.CardPolicy;
import dev.homelab.core.access.ReaderGroup;
import dev.homelab.core.access.Reason;
import dev.homelab.core.access.WeeklySchedule;
import dev.homelab.core.audit.AuditEntry;
import dev.homelab.core.devices.Device;
import dev.homelab.core.identity.ApiKey;
import dev.homelab.core.identity.KeyScope;
import dev.homelab.core.identity.Role;
import dev.homelab.core.identity.User;
import dev.homelab.core.settings.Setting;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Core's JSON and the client's wire records agree on every model they share: what core writes, the
 * client reads back and writes again unchanged, every field with every value set (a field the
 * client forgot, renamed or typed differently would be lost or changed on the way).
 */
class WireModelAgreementTest {

  private static final Instant T1 = Instant.parse("2026-12-06T10:15:30.123Z");
  private static final Instant T2 = Instant.parse("2026-12-07T08:00:00Z");

  private static void roundTrips(JsonObject core, Function<JsonObject, JsonObject> client) {
    JsonObject back = client.apply(core.copy());
    assertThat(back.getMap()).isEqualTo(core.getMap());
  }

  @Test
  void devices() {
    JsonObject core =
        new Device(
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                "Front door",
                "rfid_reader",
                "by the porch",
                new JsonObject().put("room", "hall").put("floor", 0),
                true,
                T1,
                T2)
            .toJson();
    roundTrips(core, json -> dev.homelab.client.devices.Device.fromJson(json).toJson());
  }

  @Test
  void usersAndApiKeys() {
    JsonObject user =
        new User(UUID.randomUUID().toString(), "ann", Role.USER, "hash", true, false, T1, T2)
            .toJson();
    assertThat(user.containsKey("password_hash")).isFalse();
    roundTrips(user, json -> dev.homelab.client.identity.User.fromJson(json).toJson());
    JsonObject key =
        new ApiKey(
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                "bot",
                KeyScope.ACCESS,
                "hash",
                T1,
                T2)
            .toJson();
    roundTrips(key, json -> dev.homelab.client.identity.ApiKey.fromJson(json).toJson());
  }

  @Test
  void auditEntriesAndSettings() {
    JsonObject audit =
        new AuditEntry(
                42,
                T1,
                "device.create",
                "success",
                UUID.randomUUID().toString(),
                "admin",
                "192.0.2.7",
                "req-1",
                "device:abc",
                new JsonObject().put("name", "door"))
            .toJson();
    roundTrips(audit, json -> dev.homelab.client.audit.AuditEntry.fromJson(json).toJson());
    JsonObject setting = new Setting("site.theme", new JsonObject().put("dark", true), T1).toJson();
    roundTrips(setting, json -> dev.homelab.client.system.Setting.fromJson(json).toJson());
  }

  @Test
  void filesSharesUploadsAndStats() {
    dev.homelab.core.files.StoredFile file =
        new dev.homelab.core.files.StoredFile(
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString(),
            "report 2026.pdf",
            "application/pdf",
            12_345_678_901L,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            List.of("2026", "docs"),
            T1,
            T2);
    roundTrips(file.toJson(), json -> dev.homelab.client.files.StoredFile.fromJson(json).toJson());

    dev.homelab.core.files.Share limited =
        new dev.homelab.core.files.Share(
            UUID.randomUUID().toString(), file.id(), T1, T2, 3, 1, false);
    dev.homelab.core.files.Share unlimited =
        new dev.homelab.core.files.Share(
            UUID.randomUUID().toString(), file.id(), T1, T2, null, 0, true);
    for (dev.homelab.core.files.Share share : List.of(limited, unlimited)) {
      roundTrips(share.toJson(), json -> dev.homelab.client.files.Share.fromJson(json).toJson());
    }
    JsonObject issued =
        new dev.homelab.core.files.IssuedShare(limited, "A".repeat(43)).toJson("/share/");
    roundTrips(issued, json -> dev.homelab.client.files.Share.fromJson(json).toJson());
    assertThat(dev.homelab.client.files.Share.fromJson(issued).url())
        .isEqualTo("/share/" + "A".repeat(43));

    dev.homelab.core.files.UploadSession upload =
        new dev.homelab.core.files.UploadSession(
            UUID.randomUUID().toString(),
            file.ownerId(),
            file.size(),
            1024,
            new dev.homelab.core.files.NewFile(
                "big.iso", "application/octet-stream", List.of("iso")),
            null,
            T1,
            T2);
    roundTrips(
        upload.toJson(null),
        json -> dev.homelab.client.files.UploadSession.fromJson(json).toJson());
    roundTrips(
        upload.completedAs(file).toJson(file),
        json -> dev.homelab.client.files.UploadSession.fromJson(json).toJson());

    for (Long quota : new Long[] {null, 10_000_000_000L}) {
      JsonObject stats =
          new dev.homelab.core.files.FileStats(3, 300, 200, 250, quota, 1_000, 2_000).toJson();
      roundTrips(stats, json -> dev.homelab.client.files.FileStats.fromJson(json).toJson());
    }
  }

  @Test
  void cardPoliciesReaderGroupsAndTheAccessLog() {
    WeeklySchedule schedule =
        WeeklySchedule.fromJson(
            new JsonObject()
                .put("time_zone", "Europe/Rome")
                .put(
                    "windows",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("days", new JsonArray().add("mon").add("fri"))
                                .put("start", "07:30")
                                .put("end", "19:00"))));
    JsonObject card =
        new CardPolicy(
                "BA839D07",
                "Ann",
                true,
                T1,
                T2,
                Set.of("front-door"),
                Set.of("garage"),
                schedule,
                T1,
                T2)
            .toJson();
    roundTrips(card, json -> dev.homelab.client.access.CardPolicy.fromJson(json).toJson());
    JsonObject group = new ReaderGroup("garage", Set.of("side-door", "roller"), T1).toJson();
    roundTrips(group, json -> dev.homelab.client.access.ReaderGroup.fromJson(json).toJson());
    JsonObject logged =
        new AccessLogEntry(
                UUID.randomUUID().toString(),
                T1,
                "front-door",
                "BA839D07",
                true,
                Reason.GRANTED,
                "Ann",
                0.25)
            .toJson();
    roundTrips(logged, json -> dev.homelab.client.access.AccessLogEntry.fromJson(json).toJson());
    // Not paired: core's Decision.toJson is the access.decision event ("time"), while the client's
    // AccessDecision is the answer of POST /api/access/check ("timestamp"), built by its route.
  }

  @Test
  void proxmox() {
    var options =
        dev.homelab.core.upstream.proxmox.ProxmoxServerOptions.of(
            "nas", "NAS Server", "https://10.0.10.10:8006", "root@pam!homelab", "secret-1");
    var usage = dev.homelab.core.upstream.proxmox.NodeStatus.Usage.of(100, 40, 60);
    var status =
        new dev.homelab.core.upstream.proxmox.NodeStatus(
            "nas",
            "nas",
            134_340,
            List.of(1.11, 1.13, 1.1),
            12,
            0.235,
            "Intel N150",
            0.01,
            usage,
            usage,
            usage,
            "8.3.2",
            "6.8.12-4-pve");
    roundTrips(
        dev.homelab.server.routes.ProxmoxRoutes.serverJson(
            dev.homelab.core.upstream.proxmox.ProxmoxServer.online(options, status)),
        json -> dev.homelab.client.proxmox.ProxmoxServer.fromJson(json).toJson());
    roundTrips(
        dev.homelab.server.routes.ProxmoxRoutes.serverJson(
            dev.homelab.core.upstream.proxmox.ProxmoxServer.offline(options, null)),
        json -> dev.homelab.client.proxmox.ProxmoxServer.fromJson(json).toJson());
    roundTrips(
        dev.homelab.server.routes.ProxmoxRoutes.statusJson(status),
        json -> dev.homelab.client.proxmox.NodeStatus.fromJson(json).toJson());
    var guest =
        new dev.homelab.core.upstream.proxmox.Guest(
            101,
            dev.homelab.core.upstream.proxmox.GuestType.QEMU,
            "win11",
            "nas",
            "running",
            true,
            false,
            30,
            0.5,
            2,
            1024,
            2048,
            0,
            4096,
            1,
            2,
            3,
            4,
            4242L,
            "backup",
            List.of("a", "b"));
    roundTrips(
        dev.homelab.server.routes.ProxmoxRoutes.guestJson(guest),
        json -> dev.homelab.client.proxmox.Guest.fromJson(json).toJson());
    roundTrips(
        dev.homelab.server.routes.ProxmoxRoutes.guestsJson(
            dev.homelab.core.upstream.proxmox.GuestList.of("nas", List.of(guest))),
        json -> dev.homelab.client.proxmox.GuestList.fromJson(json).toJson());
    roundTrips(
        dev.homelab.server.routes.ProxmoxRoutes.taskJson(
            "nas",
            new dev.homelab.core.upstream.proxmox.TaskState(
                "UPID:nas:00001234:00056789:6750A1B2:qmstart:101:root@pam!homelab:",
                "nas",
                "qmstart",
                "101",
                "root@pam!homelab",
                "stopped",
                "OK",
                true,
                true,
                0,
                T1,
                List.of("starting", "TASK OK"))),
        json -> dev.homelab.client.proxmox.Task.fromJson(json).toJson());
  }

  @Test
  void frigateCamerasEventsAndStats() {
    JsonObject camera =
        new dev.homelab.core.upstream.frigate.FrigateCamera(
                "front_door",
                "Front door",
                true,
                1280,
                720,
                5,
                true,
                false,
                true,
                false,
                java.util.List.of("person", "car"),
                java.util.List.of("porch"))
            .toJson();
    wireRoundTrips(
        camera, json -> dev.homelab.client.frigate.FrigateCamera.fromJson(json).toJson());
    for (Instant end : new Instant[] {T2, null}) {
      JsonObject event =
          new dev.homelab.core.upstream.frigate.FrigateEvent(
                  "1707479767.784216-y40y02",
                  "garage",
                  "person",
                  end == null ? null : "ann",
                  0.87,
                  T1,
                  end,
                  true,
                  false,
                  java.util.List.of("driveway"))
              .toJson();
      wireRoundTrips(
          event, json -> dev.homelab.client.frigate.FrigateEvent.fromJson(json).toJson());
    }
    JsonObject stats =
        new dev.homelab.core.upstream.frigate.FrigateStats(
                "0.14.1-f4f3cfa",
                null,
                java.time.Duration.ofSeconds(134_000),
                4.5,
                java.util.Map.of(
                    "garage",
                    new dev.homelab.core.upstream.frigate.FrigateStats.Camera(
                        5.1, 5.0, 0.1, 4.8, true, 101, 102, 103)),
                java.util.Map.of(
                    "coral",
                    new dev.homelab.core.upstream.frigate.FrigateStats.Detector(12.5, 7, null)),
                java.util.Map.of(
                    "101",
                    new dev.homelab.core.upstream.frigate.FrigateStats.CpuUsage(3.5, null, 1.25)),
                java.util.Map.of(),
                false)
            .toJson();
    wireRoundTrips(stats, json -> dev.homelab.client.frigate.FrigateStats.fromJson(json).toJson());
  }

  @Test
  void detailedHealth() {
    JsonObject report =
        new dev.homelab.core.health.HealthReport(
                "degraded",
                T1,
                new dev.homelab.core.health.HealthReport.Ping("postgresql", true, 3, null),
                new dev.homelab.core.health.HealthReport.Ping(
                    "redis", false, -1, "no answer within 3 s"),
                new dev.homelab.core.health.HealthReport.Mqtt(false, 3, 2, 1),
                List.of(
                    new dev.homelab.core.health.HealthReport.Upstream(
                        "proxmox",
                        "nas",
                        new dev.homelab.core.upstream.UpstreamStatus(
                            "proxmox nas", true, 12, "HALF_OPEN", T2, null)),
                    new dev.homelab.core.health.HealthReport.Upstream(
                        "frigate",
                        null,
                        new dev.homelab.core.upstream.UpstreamStatus(
                            "frigate", false, -1, "OPEN", T2, "frigate did not answer within 5 s")),
                    new dev.homelab.core.health.HealthReport.Upstream("ai_hub", null, null)))
            .toJson();
    wireRoundTrips(
        report, json -> dev.homelab.client.system.DetailedHealth.fromJson(json).toJson());
  }

  /**
   * Like {@link #roundTrips}, for core JSON that holds Java lists and longs: compared as they are
   * on the wire (encoded), with JSON's numeric equality.
   */
  private static void wireRoundTrips(JsonObject core, Function<JsonObject, JsonObject> client) {
    JsonObject wire = new JsonObject(core.encode());
    JsonObject back = client.apply(wire.copy());
    assertThat(back).isEqualTo(wire);
    assertThat(back.encode()).isEqualTo(wire.encode());
  }

  @Test
  void sensorReadingsAndIngestResults() {
    java.util.Map<String, Double> values = new java.util.LinkedHashMap<>();
    values.put("temperature", 21.5);
    values.put("humidity", 45.0);
    values.put("pressure", 1013.25);
    JsonObject reading =
        new dev.homelab.core.telemetry.SensorReading(
                UUID.randomUUID().toString(), T1, "m-1", values)
            .toJson();
    roundTrips(reading, json -> dev.homelab.client.sensors.SensorReading.fromJson(json).toJson());
    JsonObject result = new dev.homelab.core.telemetry.IngestResult(3, 2, 1).toJson();
    roundTrips(result, json -> dev.homelab.client.sensors.IngestResult.fromJson(json).toJson());
  }
}
