package dev.homelab.examples;

import dev.homelab.core.access.AccessEngine;
import dev.homelab.core.access.AccessEngineOptions;
import dev.homelab.core.access.AccessLogEntry;
import dev.homelab.core.access.AccessLogQuery;
import dev.homelab.core.access.CardPolicyPatch;
import dev.homelab.core.access.CardUid;
import dev.homelab.core.access.Decision;
import dev.homelab.core.access.NewCardPolicy;
import dev.homelab.core.access.WeeklySchedule;
import dev.homelab.core.events.EventHub;
import dev.homelab.core.identity.Actor;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Embeds the access-control engine in a plain Vert.x app, without the server: card policies with a
 * reader group and a weekly schedule, decisions in microseconds, a lockout after repeated denied
 * scans, and the access log, on an SQLite file.
 *
 * <p>Pass a {@code postgres://} url as the first argument to use PostgreSQL instead.
 */
public final class AccessEngineExample {

  /** Who makes the policy changes: the app itself, recorded in their audit entries. */
  private static final Actor ADMIN = Actor.system("access-example");

  private AccessEngineExample() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      StorageOptions options = ExampleStorage.fromArgs(args);
      // A fixed Wednesday morning, so the output is the same every run.
      Clock clock = Clock.fixed(Instant.parse("2026-03-04T09:00:00Z"), ZoneOffset.UTC);
      run(vertx, options, clock).forEach(System.out::println);
    } finally {
      vertx.close().await();
    }
  }

  /**
   * Waits for each step with {@code await()}, to read top to bottom: call it from a plain or a
   * virtual thread, never from an event loop (there, chain the futures with {@code compose}).
   */
  static List<String> run(Vertx vertx, StorageOptions options, Clock clock) {
    List<String> out = new ArrayList<>();
    Storage storage = Storage.open(vertx, options).await();
    EventHub events = EventHub.create(vertx);
    events.subscribe(
        List.of(AccessEngine.LOCKOUT_TOPIC),
        event -> System.out.println("lockout: " + event.payload().encode()));
    // snippet:access-engine
    AccessEngine engine =
        AccessEngine.builder(vertx)
            .storage(storage) // policies and the access log live in the store
            .events(events) // access.decision and access.lockout are published here
            .clock(clock)
            .options(new AccessEngineOptions().setLockoutThreshold(3).setLockoutSeconds(60))
            .start()
            .await();
    // end:access-engine
    try {
      // snippet:access
      WeeklySchedule officeHours =
          WeeklySchedule.fromJson(
              new JsonObject()
                  .put("time_zone", "Europe/Rome")
                  .put(
                      "windows",
                      List.of(
                          new JsonObject()
                              .put("days", List.of("mon", "tue", "wed", "thu", "fri"))
                              .put("start", "08:00")
                              .put("end", "19:00"))));
      engine.putReaderGroup(ADMIN, "front-doors", Set.of("door-1", "door-2")).await();
      engine
          .addCard(
              ADMIN,
              new NewCardPolicy(
                  CardUid.normalize("ba:83:9d:07"), // any printed form: BA839D07
                  "Ann",
                  true,
                  null,
                  null,
                  Set.of(),
                  Set.of("front-doors"),
                  officeHours))
          .await();

      // check() decides in microseconds and answers once the log row is committed.
      Decision ann = engine.check("door-1", "BA839D07").await();
      out.add("door-1 Ann: " + ann.reason() + " for " + ann.holder());
      out.add("garage Ann: " + engine.check("garage", "BA839D07").await().reason());
      // end:access

      // A change is enforced on the very next decision.
      engine
          .updateCard(
              ADMIN, "BA839D07", CardPolicyPatch.fromJson(new JsonObject().put("enabled", false)))
          .await();
      out.add("door-1 Ann, disabled: " + engine.check("door-1", "BA839D07").await().reason());

      // Three denied scans lock the reader out for a minute, whatever card comes next.
      engine.check("door-2", "01020304").await();
      engine.check("door-2", "01020304").await();
      engine.check("door-2", "01020304").await();
      engine
          .updateCard(
              ADMIN, "BA839D07", CardPolicyPatch.fromJson(new JsonObject().put("enabled", true)))
          .await();
      out.add(
          "door-2 Ann, after 3 denials: " + engine.check("door-2", "BA839D07").await().reason());

      // Every checked decision is in the access log, newest first.
      for (AccessLogEntry row :
          engine
              .logs(new AccessLogQuery("door-1", null, null, null, null, 10, null))
              .await()
              .items()) {
        out.add("log: " + row.deviceId() + " " + row.cardUid() + " " + row.reason());
      }
    } finally {
      engine.close().await(); // commits whatever is still pending
      events.close().await();
      storage.close().await();
    }
    return out;
  }
}
