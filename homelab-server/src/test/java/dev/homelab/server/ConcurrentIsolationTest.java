package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.Page;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.DevicePatch;
import dev.homelab.client.devices.DeviceQuery;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.identity.ApiKey;
import dev.homelab.client.identity.CreatedApiKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability row L2, isolation under concurrency, which extends the per-request BOLA matrix of row
 * A11 to concurrent traffic: two users with 16 clients each (each client its own connection pool;
 * twelve on login sessions, four on an API key of their user) interleave create, list (every page),
 * get, patch and delete of devices and create, list and revoke of API keys, with a share of
 * attempts on the other user's ids, for 30 s of wall clock (or a cap of operations), each client
 * driven by a seeded {@link Random}. Every operation goes to a log; afterwards a reconciler proves
 * from the log alone:
 *
 * <ul>
 *   <li>every response held only objects the caller's own creates returned, owned by the caller: no
 *       id of the other user, no name an attempt of the other user sent;
 *   <li>a get, patch or delete of the other user's device and a revoke of their key answered 404
 *       and changed nothing;
 *   <li>a 404 on one's own object happened only once a delete of it had started, and nothing
 *       deleted was read or changed after its delete was answered; no object was deleted twice;
 *   <li>each surviving device carries the name of its create or of a patch that no later patch
 *       follows (no lost update), and every page walk saw ids in order, each once;
 *   <li>per user, the final list through the client, the administrator's list and the rows in the
 *       database equal what the log created minus what it deleted, for devices and for keys;
 *   <li>no 5xx, no other unexpected status, no answer that disagrees with /openapi.json, and no
 *       operation of unknown outcome.
 * </ul>
 *
 * <p>The seed is printed; {@value #SEED_PROPERTY} replays one (the op mix per client, not the
 * interleaving), {@value #SECONDS_PROPERTY} shortens the run for a local try. The clients are
 * asynchronous, so 32 of them keep at most 32 requests in flight on the harness's event loops
 * rather than 32 busy threads.
 */
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentIsolationTest {

  /** Replays a run: the master seed every client's seed derives from. */
  static final String SEED_PROPERTY = "homelab.isolation.seed";

  /** The wall clock of the run, in seconds; 30 unless given. */
  static final String SECONDS_PROPERTY = "homelab.isolation.seconds";

  static final int USERS = 2;
  static final int CLIENTS_PER_USER = 16;

  /** Of each user's clients, this many authenticate with an API key instead of a session. */
  static final int KEY_CLIENTS_PER_USER = 4;

  /** The cap on operations, per client, besides the wall clock. */
  static final int MAX_OPS_PER_CLIENT = 2_000;

  /** Creates turn into deletes above this many devices per user, so page walks stay short. */
  static final int MAX_LIVE_DEVICES = 60;

  /** Key creates turn into revokes above this many keys per user. */
  static final int MAX_LIVE_KEYS = 10;

  @RegisterExtension final LogCapture logs = new LogCapture();
  @TempDir static Path dir;
  ServerTesting lab;

  enum Op {
    CREATE(20),
    LIST(8),
    GET(18),
    UPDATE(16),
    DELETE(12),
    CROSS_GET(3),
    CROSS_UPDATE(3),
    CROSS_DELETE(3),
    KEY_CREATE(5),
    KEY_LIST(5),
    KEY_REVOKE(4),
    KEY_CROSS_REVOKE(3);

    final int weight;

    Op(int weight) {
      this.weight = weight;
    }

    boolean cross() {
      return this == CROSS_GET
          || this == CROSS_UPDATE
          || this == CROSS_DELETE
          || this == KEY_CROSS_REVOKE;
    }
  }

  enum Outcome {
    OK,
    NOT_FOUND,
    FAILED,
    UNKNOWN
  }

  /**
   * One object a response held.
   *
   * @param id its id
   * @param owner the owner it claimed, or {@code null} for an API key (which has no such field)
   * @param name its name
   */
  record Seen(String id, String owner, String name) {}

  /**
   * One operation of the log.
   *
   * @param seq its number, in the order operations were started
   * @param user the caller's username
   * @param client the caller's client, 0 to 15
   * @param op what it did
   * @param target the id it addressed, or the id a create returned
   * @param sent the name it sent (create, patch, key create), or {@code null}
   * @param start {@link System#nanoTime()} before the request
   * @param end {@link System#nanoTime()} after the answer
   * @param outcome how it ended
   * @param detail the failure, if any
   * @param seen the objects the responses held, in order
   */
  record Entry(
      long seq,
      String user,
      int client,
      Op op,
      String target,
      String sent,
      long start,
      long end,
      Outcome outcome,
      String detail,
      List<Seen> seen) {

    @Override
    public String toString() {
      return "#"
          + seq
          + " "
          + user
          + "/"
          + client
          + " "
          + op
          + " "
          + target
          + " "
          + sent
          + " -> "
          + outcome
          + (detail == null ? "" : " (" + detail + ")");
    }
  }

  /** What a call returned: the id it addressed or created, and the objects it saw. */
  record Result(String target, List<Seen> seen) {}

  /** One user: their clients and the ids the run may address, shared by their clients. */
  static final class User {
    final String name;
    final String id;
    final String setupKeyId;
    final List<HomelabClient> clients = new ArrayList<>();
    final List<String> liveDevices = Collections.synchronizedList(new ArrayList<>());
    final List<String> liveKeys = Collections.synchronizedList(new ArrayList<>());

    User(String name, String id, String setupKeyId) {
      this.name = name;
      this.id = id;
      this.setupKeyId = setupKeyId;
    }
  }

  /** One client's loop: its own random, one operation at a time. */
  final class Driver {
    final User user;
    final User other;
    final int index;
    final HomelabClient client;
    final Random random;
    int ops;

    Driver(User user, User other, int index, long seed) {
      this.user = user;
      this.other = other;
      this.index = index;
      this.client = user.clients.get(index);
      this.random = new Random(seed);
    }

    /** Clients on an API key may not mint keys: the server refuses that with 403. */
    boolean onKey() {
      return index >= CLIENTS_PER_USER - KEY_CLIENTS_PER_USER;
    }
  }

  final ConcurrentLinkedQueue<Entry> log = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> pageViolations = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> keySecrets = new ConcurrentLinkedQueue<>();
  final AtomicLong seqs = new AtomicLong();
  long deadline;

  /**
   * @return the settings of the server under test; a subclass may choose another store
   */
  Map<String, String> settings() {
    return Map.of();
  }

  /**
   * @return a connection to the server's database, for the cross-check of the final state
   * @throws SQLException if it cannot be opened
   */
  Connection database() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("homelab.db"));
  }

  @BeforeAll
  void start() {
    lab = ServerTesting.start(dir, settings());
  }

  @AfterAll
  void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  /**
   * @return how long the run lasts unless {@value #SECONDS_PROPERTY} says: the 30 s of row L2
   */
  long defaultSeconds() {
    return 30;
  }

  @Test
  void usersSeeOnlyTheirOwnObjectsUnderConcurrentTraffic() throws Exception {
    long seed = Long.getLong(SEED_PROPERTY, new Random().nextLong());
    long seconds = Long.getLong(SECONDS_PROPERTY, defaultSeconds());
    System.out.printf(
        "ConcurrentIsolationTest: seed %d (replay with -D%s=%d), %d s%n",
        seed, SEED_PROPERTY, seed, seconds);

    String suffix = UUID.randomUUID().toString().substring(0, 8);
    User alice = user("iso-alice-" + suffix);
    User bob = user("iso-bob-" + suffix);
    List<Driver> drivers = new ArrayList<>();
    Random seeds = new Random(seed);
    for (int i = 0; i < CLIENTS_PER_USER; i++) {
      drivers.add(new Driver(alice, bob, i, seeds.nextLong()));
      drivers.add(new Driver(bob, alice, i, seeds.nextLong()));
    }

    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<Void>> runs = drivers.stream().map(this::run).toList();
    Future.all(runs).await(seconds + 60, TimeUnit.SECONDS);
    keySecrets.forEach(TestSecrets::remember);

    List<Entry> entries = new ArrayList<>(log);
    entries.sort((a, b) -> Long.compare(a.seq(), b.seq()));
    printCounts(entries);
    reconcile(entries, List.of(alice, bob));
  }

  /** Creates a user, logs them in once, gives them an API key and 16 clients. */
  User user(String name) {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(lab.client.users().create(name, password, "user"));
    HomelabClient first = lab.newClient(null);
    String jwt = await(first.auth().login(name, password)).jwt();
    TestSecrets.remember(jwt);
    String id = await(first.auth().me()).id();
    CreatedApiKey key = await(first.auth().createKey("setup-" + name));
    TestSecrets.remember(key.secret());
    User user = new User(name, id, key.key().id());
    user.clients.add(first);
    for (int i = 1; i < CLIENTS_PER_USER; i++) {
      user.clients.add(
          lab.newClient(i < CLIENTS_PER_USER - KEY_CLIENTS_PER_USER ? jwt : key.secret()));
    }
    return user;
  }

  /** Runs one client's operations, one after the other, until the deadline or the cap. */
  Future<Void> run(Driver driver) {
    Promise<Void> done = Promise.promise();
    next(driver, done);
    return done.future();
  }

  private void next(Driver driver, Promise<Void> done) {
    if (driver.ops >= MAX_OPS_PER_CLIENT || System.nanoTime() - deadline >= 0) {
      done.complete();
      return;
    }
    driver.ops++;
    Future<Void> step;
    try {
      step = step(driver);
    } catch (RuntimeException e) {
      done.fail(e);
      return;
    }
    step.onComplete(
        result -> {
          if (result.failed()) {
            done.fail(result.cause());
          } else {
            next(driver, done);
          }
        });
  }

  Op choose(Driver driver) {
    int total = 0;
    for (Op op : Op.values()) {
      total += op.weight;
    }
    int pick = driver.random.nextInt(total);
    for (Op op : Op.values()) {
      pick -= op.weight;
      if (pick < 0) {
        return op;
      }
    }
    throw new IllegalStateException();
  }

  static String pick(List<String> ids, Random random) {
    synchronized (ids) {
      return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
    }
  }

  /** One operation, logged whatever its outcome; the future fails only on a bug of the test. */
  Future<Void> step(Driver d) {
    Op op = choose(d);
    User user = d.user;
    // Adjust the choice to what the state allows: something to address, bounded growth.
    if (op == Op.CREATE && user.liveDevices.size() >= MAX_LIVE_DEVICES) {
      op = Op.DELETE;
    }
    if (op == Op.KEY_CREATE && (d.onKey() || user.liveKeys.size() >= MAX_LIVE_KEYS)) {
      op = d.onKey() ? Op.KEY_LIST : Op.KEY_REVOKE;
    }
    String target =
        switch (op) {
          case GET, UPDATE, DELETE -> pick(user.liveDevices, d.random);
          case CROSS_GET, CROSS_UPDATE, CROSS_DELETE -> pick(d.other.liveDevices, d.random);
          case KEY_REVOKE -> pick(user.liveKeys, d.random);
          case KEY_CROSS_REVOKE ->
              d.random.nextInt(4) == 0 ? d.other.setupKeyId : pick(d.other.liveKeys, d.random);
          default -> null;
        };
    if (target == null && op != Op.CREATE && op != Op.LIST && op != Op.KEY_CREATE) {
      if (op == Op.KEY_LIST || op == Op.KEY_REVOKE || op == Op.KEY_CROSS_REVOKE) {
        op = Op.KEY_LIST;
      } else {
        op = Op.CREATE;
      }
    }
    long seq = seqs.incrementAndGet();
    String sent =
        switch (op) {
          case CREATE -> "dev-" + user.name + "-" + seq;
          case UPDATE -> "upd-" + user.name + "-" + seq;
          case CROSS_UPDATE -> "cross-" + user.name + "-" + seq;
          case KEY_CREATE -> "key-" + user.name + "-" + seq;
          default -> null;
        };
    long start = System.nanoTime();
    Future<Result> call = call(d, op, target, sent);
    Op done = op;
    return call.transform(
        result -> {
          long end = System.nanoTime();
          Entry entry;
          if (result.succeeded()) {
            Result r = result.result();
            entry =
                new Entry(
                    seq,
                    user.name,
                    d.index,
                    done,
                    r.target(),
                    sent,
                    start,
                    end,
                    Outcome.OK,
                    null,
                    r.seen());
          } else {
            Throwable failure = result.cause();
            HomelabHttpException http = httpFailure(failure);
            Outcome outcome =
                http != null && http.status() == 404
                    ? Outcome.NOT_FOUND
                    : http != null || failure instanceof AssertionError
                        ? Outcome.FAILED
                        : Outcome.UNKNOWN;
            String detail =
                http != null
                    ? http.status() + " " + http.errorCode() + ": " + http.detail()
                    : String.valueOf(failure);
            entry =
                new Entry(
                    seq, user.name, d.index, done, target, sent, start, end, outcome, detail,
                    List.of());
          }
          log.add(entry);
          return Future.succeededFuture();
        });
  }

  static HomelabHttpException httpFailure(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HomelabHttpException http) {
        return http;
      }
    }
    return null;
  }

  /** Sends one operation; the shared lists of live ids follow only successful answers. */
  Future<Result> call(Driver d, Op op, String target, String sent) {
    User user = d.user;
    HomelabClient client = d.client;
    return switch (op) {
      case CREATE ->
          client
              .devices()
              .create(new NewDevice(sent, "sensor", null, new JsonObject().put("by", d.index)))
              .map(
                  device -> {
                    user.liveDevices.add(device.id());
                    return new Result(device.id(), List.of(seen(device)));
                  });
      case LIST -> listAll(client, 5 + d.random.nextInt(36), user.name);
      case GET, CROSS_GET ->
          client.devices().get(target).map(device -> new Result(target, List.of(seen(device))));
      case UPDATE, CROSS_UPDATE ->
          client
              .devices()
              .update(target, DevicePatch.empty().withName(sent))
              .map(device -> new Result(target, List.of(seen(device))));
      case DELETE, CROSS_DELETE ->
          client.devices().delete(target).map(v -> removed(user.liveDevices, target));
      case KEY_CREATE ->
          client
              .auth()
              .createKey(sent)
              .map(
                  created -> {
                    keySecrets.add(created.secret());
                    user.liveKeys.add(created.key().id());
                    return new Result(created.key().id(), List.of(seen(created.key())));
                  });
      case KEY_LIST ->
          client
              .auth()
              .keys()
              .map(
                  keys ->
                      new Result(null, keys.stream().map(ConcurrentIsolationTest::seen).toList()));
      case KEY_REVOKE, KEY_CROSS_REVOKE ->
          client.auth().revokeKey(target).map(v -> removed(user.liveKeys, target));
    };
  }

  /** After a successful delete or revoke: the id is no longer one to address. */
  static Result removed(List<String> live, String id) {
    live.remove(id);
    return new Result(id, List.of());
  }

  static Seen seen(Device device) {
    return new Seen(device.id(), device.owner(), device.name());
  }

  static Seen seen(ApiKey key) {
    return new Seen(key.id(), null, key.name());
  }

  /** Reads every page; each page within its limit, ids in order and each once across the walk. */
  Future<Result> listAll(HomelabClient client, int limit, String user) {
    List<Seen> seen = new ArrayList<>();
    return client
        .devices()
        .autoPaging(DeviceQuery.create().withLimit(limit))
        .forEachPage(
            (Page<Device> page) -> {
              if (page.items().size() > limit) {
                pageViolations.add(user + ": a page of " + page.items().size() + " > " + limit);
              }
              if (page.hasNext() && page.items().isEmpty()) {
                pageViolations.add(user + ": an empty page with a next cursor");
              }
              for (Device device : page.items()) {
                if (!seen.isEmpty() && seen.get(seen.size() - 1).id().compareTo(device.id()) >= 0) {
                  pageViolations.add(
                      user + ": " + device.id() + " after " + seen.get(seen.size() - 1).id());
                }
                seen.add(seen(device));
              }
              return Future.succeededFuture();
            })
        .map(v -> new Result(null, seen));
  }

  /** Prints, per operation, the count of each outcome and the mean and longest time taken. */
  static void printCounts(List<Entry> entries) {
    Map<Op, Map<Outcome, Integer>> counts = new EnumMap<>(Op.class);
    Map<Op, long[]> times = new EnumMap<>(Op.class);
    for (Entry e : entries) {
      counts
          .computeIfAbsent(e.op(), k -> new EnumMap<>(Outcome.class))
          .merge(e.outcome(), 1, Integer::sum);
      long[] t = times.computeIfAbsent(e.op(), k -> new long[2]);
      long ms = TimeUnit.NANOSECONDS.toMillis(e.end() - e.start());
      t[0] += ms;
      t[1] = Math.max(t[1], ms);
    }
    StringBuilder text = new StringBuilder("ConcurrentIsolationTest: " + entries.size() + " ops");
    counts.forEach(
        (op, byOutcome) -> {
          int n = byOutcome.values().stream().mapToInt(Integer::intValue).sum();
          long[] t = times.get(op);
          text.append(
              String.format(
                  "%n  %-16s %-28s mean %4d ms, max %5d ms", op, byOutcome, t[0] / n, t[1]));
        });
    System.out.println(text);
  }

  // ---- the reconciler ----

  /** The final state of one user, through their own client. */
  record Final(List<Device> devices, List<ApiKey> keys) {}

  void reconcile(List<Entry> entries, List<User> users) throws SQLException {
    List<String> problems = new ArrayList<>(pageViolations);
    Map<String, User> byName = users.stream().collect(Collectors.toMap(u -> u.name, u -> u));

    // The final state first: it resolves operations of unknown outcome (none are expected).
    Map<String, Final> finals = new HashMap<>();
    for (User u : users) {
      List<Device> devices = new ArrayList<>();
      u.clients
          .get(0)
          .blocking()
          .devices()
          .autoPagingIterable(DeviceQuery.create().withLimit(23))
          .forEach(devices::add);
      finals.put(u.name, new Final(devices, await(u.clients.get(0).auth().keys())));
    }

    // Who created what, by the log; names are unique, so an unknown create is found by its name.
    Map<String, String> deviceCreator = new HashMap<>();
    Map<String, String> keyCreator = new HashMap<>();
    Map<String, Set<String>> namesSentTo = new HashMap<>();
    for (User u : users) {
      keyCreator.put(u.setupKeyId, u.name);
    }
    List<Entry> resolved = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      Entry r = e.outcome() == Outcome.UNKNOWN ? resolve(e, finals.get(e.user())) : e;
      resolved.add(r);
      if (r.outcome() == Outcome.OK && r.op() == Op.CREATE) {
        deviceCreator.put(r.target(), r.user());
        namesSentTo.computeIfAbsent(r.target(), k -> new HashSet<>()).add(r.sent());
      } else if (r.outcome() == Outcome.OK && r.op() == Op.KEY_CREATE) {
        keyCreator.put(r.target(), r.user());
      } else if (r.op() == Op.UPDATE) {
        namesSentTo.computeIfAbsent(r.target(), k -> new HashSet<>()).add(r.sent());
      }
    }

    // Deletes and revokes that succeeded, by id: never twice.
    Map<String, Entry> removals = new HashMap<>();
    for (Entry e : resolved) {
      if (removes(e.op()) && e.outcome() == Outcome.OK) {
        Entry earlier = removals.put(e.target(), e);
        if (earlier != null) {
          problems.add("removed twice: " + earlier + " and " + e);
        }
      }
    }

    for (Entry e : entries) {
      switch (e.outcome()) {
        case FAILED -> problems.add("unexpected failure: " + e);
        case UNKNOWN -> problems.add("unknown outcome (a timeout or a cut connection): " + e);
        case NOT_FOUND -> {
          // One's own object is gone only if a delete of it had started by then.
          Entry removal = removals.get(e.target());
          if (!e.op().cross() && (removal == null || removal.start() > e.end())) {
            problems.add("404 on the caller's own object, never deleted by then: " + e);
          }
          if (!e.detail().startsWith("404 DEVICE_NOT_FOUND")
              && !e.detail().startsWith("404 API_KEY_NOT_FOUND")) {
            problems.add("a 404 that is not the standard not-found answer: " + e);
          }
        }
        case OK -> {
          if (e.op().cross()) {
            problems.add("another user's object was reachable: " + e);
          }
          Entry removal = removals.get(e.target());
          if (removal != null && removal != e && removal.end() < e.start()) {
            problems.add("an object answered after " + removal + " removed it: " + e);
          }
          for (Seen s : e.seen()) {
            Entry gone = removals.get(s.id());
            if (gone != null && gone.end() < e.start()) {
              problems.add("a response held " + s + " after " + gone + " removed it: " + e);
            }
          }
        }
      }
      check(
          e,
          byName.get(e.user()),
          e.op().name().startsWith("KEY") ? keyCreator : deviceCreator,
          namesSentTo,
          problems);
    }

    for (User u : users) {
      for (Device device : finals.get(u.name).devices()) {
        Set<String> allowed = allowedFinalNames(resolved, device.id());
        if (!allowed.contains(device.name())) {
          problems.add(
              "lost update: "
                  + device.id()
                  + " is named "
                  + device.name()
                  + ", expected one of "
                  + allowed);
        }
      }
    }
    assertThat(problems.subList(0, Math.min(30, problems.size())))
        .as("problems the reconciler found (%d in all, the first 30)", problems.size())
        .isEmpty();

    // The final state against the log: through each user's client, the administrator's list and
    // the database.
    Map<String, List<String>> adminView = new HashMap<>();
    lab.client
        .blocking()
        .devices()
        .autoPagingIterable(DeviceQuery.create().withLimit(97))
        .forEach(d -> adminView.computeIfAbsent(d.owner(), k -> new ArrayList<>()).add(d.id()));
    Map<String, Set<String>> dbDevices = rows("SELECT id, owner_id FROM devices");
    Map<String, Set<String>> dbKeys = rows("SELECT id, user_id FROM api_keys");
    for (User u : users) {
      Set<String> expectedDevices = survivors(deviceCreator, removals, u);
      Set<String> expectedKeys = survivors(keyCreator, removals, u);
      Final last = finals.get(u.name);
      System.out.printf(
          "ConcurrentIsolationTest: %s ends with %d devices and %d API keys%n",
          u.name, expectedDevices.size(), expectedKeys.size());
      assertThat(last.devices())
          .as(u.name + "'s final devices, by owner")
          .extracting(Device::owner)
          .containsOnly(u.id);
      assertThat(last.devices())
          .as(u.name + "'s final devices, through the client, against the log")
          .extracting(Device::id)
          .doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(expectedDevices);
      assertThat(adminView.getOrDefault(u.id, List.of()))
          .as(u.name + "'s final devices, in the administrator's list, against the log")
          .containsExactlyInAnyOrderElementsOf(expectedDevices);
      assertThat(dbDevices.getOrDefault(u.id, Set.of()))
          .as(u.name + "'s device rows, against the log")
          .containsExactlyInAnyOrderElementsOf(expectedDevices);
      assertThat(last.keys())
          .as(u.name + "'s final API keys, through the client, against the log")
          .extracting(ApiKey::id)
          .containsExactlyInAnyOrderElementsOf(expectedKeys);
      assertThat(dbKeys.getOrDefault(u.id, Set.of()))
          .as(u.name + "'s API key rows, against the log")
          .containsExactlyInAnyOrderElementsOf(expectedKeys);
    }
    assertThat(adminView.keySet())
        .as("the owners of all devices")
        .containsExactlyInAnyOrderElementsOf(
            users.stream()
                .filter(u -> !survivors(deviceCreator, removals, u).isEmpty())
                .map(u -> u.id)
                .toList());
  }

  static boolean removes(Op op) {
    return op == Op.DELETE
        || op == Op.CROSS_DELETE
        || op == Op.KEY_REVOKE
        || op == Op.KEY_CROSS_REVOKE;
  }

  /** The ids a user's creates left that no removal took. */
  static Set<String> survivors(Map<String, String> creators, Map<String, Entry> removals, User u) {
    Set<String> ids = new HashSet<>();
    creators.forEach(
        (id, creator) -> {
          if (creator.equals(u.name) && !removals.containsKey(id)) {
            ids.add(id);
          }
        });
    return ids;
  }

  /**
   * An operation of unknown outcome as the final state decides it: a create happened if an object
   * with its (unique) name is there, a removal if its object is not; the others stay unknown.
   */
  static Entry resolve(Entry e, Final last) {
    String id = null;
    boolean happened = false;
    switch (e.op()) {
      case CREATE -> {
        for (Device d : last.devices()) {
          if (d.name().equals(e.sent())) {
            id = d.id();
          }
        }
        happened = id != null;
      }
      case KEY_CREATE -> {
        for (ApiKey k : last.keys()) {
          if (k.name().equals(e.sent())) {
            id = k.id();
          }
        }
        happened = id != null;
      }
      case DELETE, KEY_REVOKE -> {
        id = e.target();
        String gone = id;
        happened =
            last.devices().stream().noneMatch(d -> d.id().equals(gone))
                && last.keys().stream().noneMatch(k -> k.id().equals(gone));
      }
      default -> {
        return e;
      }
    }
    return new Entry(
        e.seq(),
        e.user(),
        e.client(),
        e.op(),
        id,
        e.sent(),
        e.start(),
        e.end(),
        happened ? Outcome.OK : Outcome.NOT_FOUND,
        "resolved: " + e.detail(),
        e.seen());
  }

  /** Every object a response held is the caller's: created by them, owned by them. */
  static void check(
      Entry e,
      User caller,
      Map<String, String> creators,
      Map<String, Set<String>> namesSentTo,
      List<String> problems) {
    for (Seen s : e.seen()) {
      String creator = creators.get(s.id());
      if (!e.user().equals(creator)) {
        problems.add(
            "a response held "
                + s
                + " created by "
                + (creator == null ? "no create of the log" : creator)
                + ": "
                + e);
      }
      if (s.owner() != null && !s.owner().equals(caller.id)) {
        problems.add("a response held " + s + " owned by another user: " + e);
      }
      if (s.name().startsWith("cross-")) {
        problems.add("a name another user sent reached " + s + ": " + e);
      }
      if (s.owner() != null && !namesSentTo.getOrDefault(s.id(), Set.of()).contains(s.name())) {
        problems.add("a name never sent to this device: " + s + ": " + e);
      }
      if (e.op() == Op.UPDATE && !s.name().equals(e.sent())) {
        problems.add("a patch answered with another name: " + s + ": " + e);
      }
    }
  }

  /**
   * The names a surviving device may end with: its create's, if no patch of it succeeded, else that
   * of any successful patch that no other successful patch started after it was answered.
   */
  static Set<String> allowedFinalNames(List<Entry> entries, String id) {
    List<Entry> patches = new ArrayList<>();
    String created = null;
    for (Entry e : entries) {
      if (!id.equals(e.target())) {
        continue;
      }
      if (e.op() == Op.CREATE && e.outcome() == Outcome.OK) {
        created = e.sent();
      } else if (e.op() == Op.UPDATE && e.outcome() != Outcome.NOT_FOUND) {
        patches.add(e);
      }
    }
    if (patches.isEmpty()) {
      return created == null ? Set.of() : Set.of(created);
    }
    Set<String> allowed = new HashSet<>();
    for (Entry p : patches) {
      boolean followed = patches.stream().anyMatch(q -> q != p && q.start() > p.end());
      if (!followed) {
        allowed.add(p.sent());
      }
    }
    return allowed;
  }

  /** Ids by owner, straight from the server's database. */
  Map<String, Set<String>> rows(String sql) throws SQLException {
    Map<String, Set<String>> byOwner = new HashMap<>();
    try (Connection connection = database();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        byOwner.computeIfAbsent(rows.getString(2), k -> new HashSet<>()).add(rows.getString(1));
      }
    }
    return byOwner;
  }
}
