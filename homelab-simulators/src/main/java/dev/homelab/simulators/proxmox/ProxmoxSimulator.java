package dev.homelab.simulators.proxmox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One simulated Proxmox VE server with one node, serving {@code /api2/json} over HTTPS on {@code
 * 127.0.0.1} at a random port.
 *
 * <p><b>TLS.</b> A self-signed certificate is made at start; its SHA-256 {@link #fingerprint()} is
 * also published as {@code ssl_fingerprint} in {@code GET /nodes}, as Proxmox does, so that a
 * client can pin it.
 *
 * <p><b>Authentication.</b> API tokens only: {@code Authorization: PVEAPIToken=USER@REALM!TOKENID=
 * SECRET}, with {@code =} or a space after {@code PVEAPIToken}, split at the last {@code =} as
 * pveproxy does. No header answers {@code 401 No ticket}, a wrong token {@code 401 Authentication
 * failed!} (without the real server's 3 s delay, which would only slow tests down).
 *
 * <p><b>Served.</b> {@code GET /version}, {@code /nodes}, {@code /nodes/{node}/status}, {@code
 * /version}, {@code /rrddata}, {@code /qemu}, {@code /lxc}, {@code
 * /{qemu|lxc}/{vmid}/status/current}, {@code /{qemu|lxc}/{vmid}/rrddata}, {@code POST
 * /{qemu|lxc}/{vmid}/status/{start|stop|shutdown| reboot}} (answering a UPID), {@code GET
 * /nodes/{node}/tasks/{upid}/status} and {@code /log}. A task stays {@code running} for the {@link
 * Setup#taskDuration() task duration}, then ends with {@code OK}, {@code WARNINGS: n} or an error
 * text, and only then does its guest change state.
 *
 * <p><b>Quirks.</b> Numbers as strings where recordings have them ({@code loadavg}, {@code
 * cpuinfo.mhz}, the task {@code id}, the container index's {@code vmid} before PVE 8.2), booleans
 * as 0/1, {@code {"data":null}} error bodies with the text in the reason phrase (and in {@code
 * message} from PVE 8.3), 501 for unknown paths and methods, 500 {@code Configuration file ... does
 * not exist} for an unknown vmid, 400 {@code Parameter verification failed.} with {@code errors}
 * for a malformed parameter, and 595 or 596 for every node path while the node is {@link
 * #reachability(Reachability) unreachable}.
 *
 * <p><b>Faults</b> for tests and demos: {@link #delay(Duration)}, {@link
 * #resetConnections(boolean)}, {@link #garbage(boolean)}, {@link #failNext(int)}; {@link
 * #clearFaults()} ends them all. Every request is recorded ({@link #requests()}), so that a test
 * can count what a client sent.
 */
public final class ProxmoxSimulator implements AutoCloseable {

  /** What the node looks like to its API. */
  public enum Reachability {
    /** Answers normally. */
    ONLINE,
    /**
     * Down, as a cluster node seen through another node's proxy: {@code 595 Errors during
     * connection establishment, proxy handshake: Connection refused}, and {@code offline} in {@code
     * /nodes}.
     */
    OFFLINE,
    /**
     * Not answering in time: {@code 596 Errors during TLS negotiation, request sending and header
     * processing: Connection timed out}, and {@code unknown} in {@code /nodes}.
     */
    UNREACHABLE
  }

  /**
   * What one simulated server is.
   *
   * @param node the node's name
   * @param version the PVE version, such as {@code 8.3.2} or {@code 7.4-16}
   * @param cpus the node's CPUs
   * @param memoryTotal the node's memory in bytes
   * @param guests its guests at start
   * @param tokenId the accepted API token id, {@code USER@REALM!TOKENID}
   * @param tokenSecret the accepted token secret
   * @param taskDuration how long a start, stop, shutdown or reboot task runs
   */
  public record Setup(
      String node,
      String version,
      int cpus,
      long memoryTotal,
      List<SimulatedGuest> guests,
      String tokenId,
      String tokenSecret,
      Duration taskDuration) {

    /** Checks the values. */
    public Setup {
      Objects.requireNonNull(node, "node");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(tokenId, "tokenId");
      Objects.requireNonNull(tokenSecret, "tokenSecret");
      Objects.requireNonNull(taskDuration, "taskDuration");
      guests = List.copyOf(guests);
      if (guests.stream().map(SimulatedGuest::vmid).distinct().count() != guests.size()) {
        throw new IllegalArgumentException("two guests with one vmid");
      }
      if (!VERSION.matcher(version).matches()) {
        throw new IllegalArgumentException("a version is like 8.3.2 or 7.4-16");
      }
    }

    /**
     * @param node the node's name
     * @param version the PVE version
     * @param guests its guests
     * @return a server with the recorded node's 8 CPUs and 64 GB, the token {@code
     *     root@pam!homelab} with a random secret, and 1.5 s tasks
     */
    public static Setup of(String node, String version, List<SimulatedGuest> guests) {
      return new Setup(
          node,
          version,
          8,
          65_919_459_328L,
          guests,
          "root@pam!homelab",
          UUID.randomUUID().toString(),
          Duration.ofMillis(1500));
    }

    /**
     * @param duration how long tasks run (tests use tens of milliseconds)
     * @return this setup with other tasks
     */
    public Setup withTaskDuration(Duration duration) {
      return new Setup(node, version, cpus, memoryTotal, guests, tokenId, tokenSecret, duration);
    }

    /**
     * @param cpus the node's CPUs
     * @param memoryTotal its memory in bytes
     * @return this setup with other hardware
     */
    public Setup withHardware(int cpus, long memoryTotal) {
      return new Setup(
          node, version, cpus, memoryTotal, guests, tokenId, tokenSecret, taskDuration);
    }

    /**
     * @param id the accepted token id
     * @param secret the accepted secret
     * @return this setup with another token
     */
    public Setup withToken(String id, String secret) {
      return new Setup(node, version, cpus, memoryTotal, guests, id, secret, taskDuration);
    }
  }

  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)([.-]\\d+)?");
  private static final Pattern AUTH = Pattern.compile("(?:^|\\s)PVEAPIToken(?:=| )([^;]*)");
  private static final Pattern VMID = Pattern.compile("[1-9][0-9]{2,8}");
  private static final String PREFIX = "/api2/json";
  private static final List<String> TIMEFRAMES =
      List.of("hour", "day", "week", "month", "year", "decade");

  private final Vertx vertx;
  private final Setup setup;
  private final ProxmoxFixtures fixtures;
  private final String fingerprint;
  private final int major;
  private final int minor;
  private final long startedAt = System.currentTimeMillis();

  /** Where the node's load wave starts: two simulated nodes do not show the same load. */
  private final int nodePhase;

  private final Map<Integer, GuestState> guests = new LinkedHashMap<>();
  private final Map<String, Task> tasks = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger pids = new AtomicInteger(0x1000);
  private volatile Duration delay = Duration.ZERO;
  private volatile boolean resetConnections;
  private volatile boolean garbage;
  private volatile Reachability reachability = Reachability.ONLINE;
  private HttpServer server;

  private ProxmoxSimulator(Vertx vertx, Setup setup, ProxmoxFixtures fixtures, String fingerprint) {
    this.vertx = vertx;
    this.setup = setup;
    this.fixtures = fixtures;
    this.fingerprint = fingerprint;
    this.nodePhase = Math.floorMod(setup.node().hashCode(), 50);
    Matcher version = VERSION.matcher(setup.version());
    version.matches();
    this.major = Integer.parseInt(version.group(1));
    this.minor = Integer.parseInt(version.group(2));
    for (SimulatedGuest guest : setup.guests()) {
      guests.put(guest.vmid(), new GuestState(guest));
    }
  }

  /**
   * The guests of the recorded answers: virtual machines 100 ({@code server1}, running), 101 (a
   * template), 102 and 200, and containers 105 and 106 (running).
   *
   * @return the guests a simulator built from the fixtures has
   */
  public static List<SimulatedGuest> fixtureGuests() {
    return ProxmoxFixtures.guests();
  }

  /**
   * Makes the certificate, reads the fixtures (both off the event loop) and starts listening.
   *
   * @param vertx the Vert.x instance to run on
   * @param setup what the server is
   * @return the running simulator
   */
  public static Future<ProxmoxSimulator> start(Vertx vertx, Setup setup) {
    return vertx
        .executeBlocking(
            () -> {
              SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
              ProxmoxSimulator simulator =
                  new ProxmoxSimulator(
                      vertx,
                      setup,
                      ProxmoxFixtures.load(),
                      fingerprint(Path.of(certificate.certificatePath())));
              return new Object[] {simulator, certificate};
            })
        .compose(
            made -> {
              ProxmoxSimulator simulator = (ProxmoxSimulator) made[0];
              SelfSignedCertificate certificate = (SelfSignedCertificate) made[1];
              return vertx
                  .createHttpServer(
                      new HttpServerOptions()
                          .setSsl(true)
                          .setKeyCertOptions(certificate.keyCertOptions()))
                  .requestHandler(simulator::handle)
                  .listen(0, "127.0.0.1")
                  .map(
                      server -> {
                        simulator.server = server;
                        return simulator;
                      });
            });
  }

  /** The SHA-256 fingerprint of a PEM certificate, as Proxmox writes it: upper-case hex pairs. */
  private static String fingerprint(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      byte[] der = CertificateFactory.getInstance("X.509").generateCertificate(in).getEncoded();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }
  }

  /**
   * @return the port it listens on
   */
  public int port() {
    return server.actualPort();
  }

  /**
   * @return where it is, {@code https://127.0.0.1:port}, without the API path
   */
  public String baseUrl() {
    return "https://127.0.0.1:" + port();
  }

  /**
   * @return its certificate's SHA-256 fingerprint, upper-case hex pairs separated by colons
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * @return what it is
   */
  public Setup setup() {
    return setup;
  }

  /**
   * @return the {@code Authorization} header value it accepts
   */
  public String authorization() {
    return "PVEAPIToken=" + setup.tokenId() + "=" + setup.tokenSecret();
  }

  /**
   * @param vmid a guest's id
   * @return {@code running} or {@code stopped}, or {@code null} if there is no such guest
   */
  public synchronized String guestStatus(int vmid) {
    GuestState guest = guests.get(vmid);
    return guest == null ? null : guest.running ? "running" : "stopped";
  }

  // ---------------------------------------------------------------- faults and observation

  /**
   * @param delay how long to wait before each answer; zero for none
   */
  public void delay(Duration delay) {
    this.delay = Objects.requireNonNull(delay, "delay");
  }

  /**
   * @param reset whether to close each connection instead of answering
   */
  public void resetConnections(boolean reset) {
    this.resetConnections = reset;
  }

  /**
   * @param garbage whether to answer {@code 200} with a body that is not JSON
   */
  public void garbage(boolean garbage) {
    this.garbage = garbage;
  }

  /**
   * @param count how many of the next requests answer {@code 500 simulated failure}
   */
  public void failNext(int count) {
    failNext.set(count);
  }

  /**
   * @param reachability how the node looks from now on
   */
  public void reachability(Reachability reachability) {
    this.reachability = Objects.requireNonNull(reachability, "reachability");
  }

  /** Ends every fault: no delay, no resets, no garbage, no failures, the node online. */
  public void clearFaults() {
    delay = Duration.ZERO;
    resetConnections = false;
    garbage = false;
    failNext.set(0);
    reachability = Reachability.ONLINE;
  }

  /**
   * @return every request received so far, as {@code METHOD /api2/json/path}, in order
   */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /**
   * @param method a method
   * @param pathSuffix the end of a path, such as {@code /status/start}
   * @return how many requests with that method had a path ending so
   */
  public long requestCount(HttpMethod method, String pathSuffix) {
    String prefix = method.name() + " ";
    return requests.stream()
        .filter(request -> request.startsWith(prefix) && request.endsWith(pathSuffix))
        .count();
  }

  /**
   * Stops listening: clients see a refused connection from then on.
   *
   * @return when it stopped
   */
  public Future<Void> stop() {
    return server.close();
  }

  @Override
  public void close() {
    server.close();
  }

  // ---------------------------------------------------------------- request handling

  private void handle(HttpServerRequest request) {
    requests.add(request.method().name() + " " + request.path());
    long millis = delay.toMillis();
    if (millis > 0) {
      vertx.setTimer(millis, id -> answer(request));
    } else {
      answer(request);
    }
  }

  private void answer(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (response.closed()) {
      return; // the client gave up while we waited
    }
    if (resetConnections) {
      request.connection().close();
      return;
    }
    if (garbage) {
      response
          .putHeader("Content-Type", "application/json;charset=UTF-8")
          .end("<html><body>502 Bad Gateway</body>\u0000{\"data\":");
      return;
    }
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      error(request, 500, "simulated failure", null);
      return;
    }
    String auth = authenticate(request.getHeader("Authorization"));
    if (auth != null) {
      error(request, 401, auth, null);
      return;
    }
    String path = request.path();
    if (!path.startsWith(PREFIX + "/")) {
      // pveproxy serves the UI outside /api2; nothing else is simulated there.
      error(request, 501, "Method '" + request.method() + " " + path + "' not implemented", null);
      return;
    }
    String local = path.substring(PREFIX.length());
    List<String> segments = new ArrayList<>();
    for (String segment : local.substring(1).split("/", -1)) {
      segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    try {
      route(request, request.method(), local, segments);
    } catch (Failure failure) {
      error(request, failure.status, failure.getMessage(), failure.errors);
    }
  }

  /** The reason a request is not authenticated, or {@code null} when it is. */
  private String authenticate(String header) {
    if (header == null) {
      return "No ticket";
    }
    Matcher matcher = AUTH.matcher(header);
    if (!matcher.find()) {
      return "No ticket";
    }
    String value = URLDecoder.decode(matcher.group(1).strip(), StandardCharsets.UTF_8);
    int split = value.lastIndexOf('=');
    if (split < 0) {
      return "Authentication failed!";
    }
    boolean idMatches = value.substring(0, split).equals(setup.tokenId());
    boolean secretMatches =
        MessageDigest.isEqual(
            value.substring(split + 1).getBytes(StandardCharsets.UTF_8),
            setup.tokenSecret().getBytes(StandardCharsets.UTF_8));
    return idMatches && secretMatches ? null : "Authentication failed!";
  }

  private void route(HttpServerRequest request, HttpMethod method, String local, List<String> s) {
    int n = s.size();
    boolean get = method == HttpMethod.GET;
    if (get && n == 1 && s.get(0).equals("version")) {
      data(request, version());
      return;
    }
    if (get && n == 1 && s.get(0).equals("nodes")) {
      data(request, new JsonArray().add(nodeEntry()));
      return;
    }
    if (n >= 3 && s.get(0).equals("nodes")) {
      String node = s.get(1);
      if (!node.equals(setup.node())) {
        throw new Failure(
            500,
            "hostname lookup '"
                + node
                + "' failed - failed to get address info for: "
                + node
                + ": Name or service not known");
      }
      switch (reachability) {
        case OFFLINE ->
            throw new Failure(
                595, "Errors during connection establishment, proxy handshake: Connection refused");
        case UNREACHABLE ->
            throw new Failure(
                596,
                "Errors during TLS negotiation, request sending and header processing:"
                    + " Connection timed out");
        case ONLINE -> {
          // answered below
        }
      }
      if (nodeRoute(request, method, s)) {
        return;
      }
    }
    throw new Failure(501, "Method '" + method + " " + local + "' not implemented");
  }

  /** Routes {@code /nodes/{node}/...}; false when nothing matches. */
  private boolean nodeRoute(HttpServerRequest request, HttpMethod method, List<String> s) {
    int n = s.size();
    String what = s.get(2);
    boolean get = method == HttpMethod.GET;
    if (n == 3 && get) {
      switch (what) {
        case "status" -> data(request, nodeStatus());
        case "version" -> data(request, version());
        case "rrddata" -> data(request, nodeRrd(timeframe(request)));
        case "qemu", "lxc" -> data(request, guestList(what));
        default -> {
          return false;
        }
      }
      return true;
    }
    if ((what.equals("qemu") || what.equals("lxc")) && n >= 5) {
      String vmid = s.get(3);
      if (!VMID.matcher(vmid).matches()) {
        throw new Failure(
            400,
            "Parameter verification failed.",
            new JsonObject().put("vmid", "type check ('integer') failed - got '" + vmid + "'"));
      }
      if (n == 6 && s.get(4).equals("status")) {
        String action = s.get(5);
        if (get && action.equals("current")) {
          data(request, guestStatus(what, Integer.parseInt(vmid)));
          return true;
        }
        if (method == HttpMethod.POST
            && List.of("start", "stop", "shutdown", "reboot").contains(action)) {
          data(request, startTask(what, Integer.parseInt(vmid), action));
          return true;
        }
      }
      if (n == 5 && get && s.get(4).equals("rrddata")) {
        data(request, guestRrd(what, Integer.parseInt(vmid), timeframe(request)));
        return true;
      }
      return false;
    }
    if (what.equals("tasks") && n == 5 && get) {
      String upid = s.get(3);
      Task task = tasks.get(upid);
      if (task == null) {
        if (!upid.startsWith("UPID:")) {
          throw new Failure(
              400,
              "Parameter verification failed.",
              new JsonObject().put("upid", "unable to parse worker upid '" + upid + "'"));
        }
        throw new Failure(500, "unable to open file - No such file or directory");
      }
      switch (s.get(4)) {
        case "status" -> data(request, task.status());
        case "log" -> log(request, task);
        default -> {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  private String timeframe(HttpServerRequest request) {
    String timeframe = request.getParam("timeframe");
    if (timeframe == null) {
      throw new Failure(
          400,
          "Parameter verification failed.",
          new JsonObject().put("timeframe", "property is missing and it is not optional"));
    }
    if (!TIMEFRAMES.contains(timeframe) || timeframe.equals("decade") && major < 9) {
      throw new Failure(
          400,
          "Parameter verification failed.",
          new JsonObject()
              .put(
                  "timeframe",
                  "value '"
                      + timeframe
                      + "' does not have a value in the enumeration 'hour, day, week, month,"
                      + " year'"));
    }
    return timeframe;
  }

  // ---------------------------------------------------------------- answers

  private boolean atLeast(int wantMajor, int wantMinor) {
    return major > wantMajor || major == wantMajor && minor >= wantMinor;
  }

  private String repoid() {
    return String.format("%08x", setup.version().hashCode());
  }

  private JsonObject version() {
    return new JsonObject()
        .put("release", major + "." + minor)
        .put("version", setup.version())
        .put("repoid", repoid());
  }

  private long uptime() {
    return 134_340 + (System.currentTimeMillis() - startedAt) / 1000;
  }

  /** A load that moves a little with time, so that charts are not flat lines. */
  private static double wave(double base, double amplitude, long seconds, int phase) {
    return base + amplitude * (1 + Math.sin((seconds + phase * 37) / 90.0)) / 2;
  }

  private synchronized long memoryUsed() {
    long used = 1L << 30;
    for (GuestState guest : guests.values()) {
      if (guest.running) {
        used += guest.spec.maxmem() * 3 / 4;
      }
    }
    return Math.min(used, setup.memoryTotal() * 95 / 100);
  }

  private JsonObject nodeEntry() {
    JsonObject entry = fixtures.nodeEntry.copy();
    entry
        .put("node", setup.node())
        .put("id", "node/" + setup.node())
        .put("ssl_fingerprint", fingerprint);
    if (reachability != Reachability.ONLINE) {
      // Metrics are left out for a node that is not online.
      for (String key : List.of("uptime", "maxmem", "mem", "disk", "maxdisk", "cpu", "maxcpu")) {
        entry.remove(key);
      }
      entry.put("status", reachability == Reachability.OFFLINE ? "offline" : "unknown");
      return entry;
    }
    long now = System.currentTimeMillis() / 1000;
    return entry
        .put("status", "online")
        .put("uptime", uptime())
        .put("maxcpu", setup.cpus())
        .put("cpu", wave(0.02, 0.2, now, nodePhase))
        .put("maxmem", setup.memoryTotal())
        .put("mem", memoryUsed());
  }

  private JsonObject nodeStatus() {
    JsonObject status = fixtures.nodeStatus.copy();
    long now = System.currentTimeMillis() / 1000;
    long used = memoryUsed();
    long total = setup.memoryTotal();
    double cpu = wave(0.02, 0.2, now, nodePhase);
    status
        .put("uptime", uptime())
        .put("cpu", cpu)
        .put("wait", wave(0, 0.01, now, 3))
        .put("pveversion", "pve-manager/" + setup.version() + "/" + repoid())
        .put(
            "loadavg",
            new JsonArray()
                .add(String.format(Locale.ROOT, "%.2f", cpu * setup.cpus()))
                .add(
                    String.format(
                        Locale.ROOT, "%.2f", wave(0.1, 1, now, nodePhase + 5) * setup.cpus() / 4))
                .add(
                    String.format(
                        Locale.ROOT, "%.2f", wave(0.1, 1, now, nodePhase + 9) * setup.cpus() / 4)));
    JsonObject cpuinfo = status.getJsonObject("cpuinfo");
    cpuinfo.put("cpus", setup.cpus()).put("cores", Math.max(1, setup.cpus() / 2));
    JsonObject memory =
        new JsonObject().put("total", total).put("used", used).put("free", total - used);
    long swapTotal = 8L << 30;
    long swapUsed = swapTotal / 5;
    status.put(
        "swap",
        new JsonObject()
            .put("total", swapTotal)
            .put("used", swapUsed)
            .put("free", swapTotal - swapUsed));
    if (major >= 8) {
      memory.put("available", total - used);
      status.put(
          "current-kernel",
          new JsonObject()
              .put("sysname", "Linux")
              .put("release", major >= 9 ? "6.14.8-2-pve" : "6.8.12-4-pve")
              .put("version", "#1 SMP PREEMPT_DYNAMIC PMX")
              .put("machine", "x86_64"));
      status.put("boot-info", new JsonObject().put("mode", "efi").put("secureboot", 0));
    }
    status.put("memory", memory);
    return status;
  }

  private JsonArray guestList(String type) {
    JsonArray list = new JsonArray();
    synchronized (this) {
      for (GuestState guest : guests.values()) {
        if (guest.spec.type().equals(type)) {
          JsonObject entry = guest.metrics();
          if (type.equals("lxc")) {
            entry.put("type", "lxc");
            if (!atLeast(8, 2)) {
              // pve-container before 5.0.10 (PVE 8.2) sent the container index's vmid as a string.
              entry.put("vmid", String.valueOf(guest.spec.vmid()));
            }
          }
          list.add(entry);
        }
      }
    }
    return list;
  }

  private synchronized GuestState guest(String type, int vmid) {
    GuestState guest = guests.get(vmid);
    if (guest == null || !guest.spec.type().equals(type)) {
      String folder = type.equals("qemu") ? "qemu-server" : "lxc";
      throw new Failure(
          500,
          "Configuration file 'nodes/"
              + setup.node()
              + "/"
              + folder
              + "/"
              + vmid
              + ".conf' does not exist");
    }
    return guest;
  }

  private JsonObject guestStatus(String type, int vmid) {
    GuestState guest = guest(type, vmid);
    synchronized (this) {
      JsonObject status = (type.equals("qemu") ? fixtures.qemuStatus : fixtures.lxcStatus).copy();
      status.mergeIn(guest.metrics());
      status.put("ha", new JsonObject().put("managed", 0));
      if (type.equals("qemu")) {
        status.put("qmpstatus", guest.running ? "running" : "stopped");
        if (!guest.running) {
          for (String key :
              List.of(
                  "pid",
                  "blockstat",
                  "nics",
                  "ballooninfo",
                  "freemem",
                  "running-machine",
                  "running-qemu",
                  "proxmox-support")) {
            status.remove(key);
          }
        }
      } else {
        status.put("type", "lxc").put("maxswap", 512L << 20).put("swap", 0);
      }
      return status;
    }
  }

  private JsonArray nodeRrd(String timeframe) {
    JsonArray rows = new JsonArray();
    long step = step(timeframe);
    long last = System.currentTimeMillis() / 1000 / step * step;
    long total = setup.memoryTotal();
    long used = memoryUsed();
    for (int i = 69; i >= 0; i--) {
      long time = last - i * step;
      JsonObject row = fixtures.nodeRrdRow.copy();
      row.put("time", time)
          .put("maxcpu", setup.cpus())
          .put("cpu", wave(0.02, 0.2, time, nodePhase))
          .put("loadavg", wave(0.1, 1, time, nodePhase + 5) * setup.cpus() / 4)
          .put("memtotal", total)
          .put("memused", used * wave(0.9, 0.1, time, 7))
          .put("netin", wave(50_000, 90_000, time, 11))
          .put("netout", wave(20_000, 40_000, time, 13));
      if (major < 9) {
        // The PVE 9 RRD format added these columns.
        for (String key :
            List.of(
                "memavailable",
                "arcsize",
                "pressurecpusome",
                "pressureiosome",
                "pressureiofull",
                "pressurememorysome",
                "pressurememoryfull")) {
          row.remove(key);
        }
      } else {
        row.put("memavailable", total - row.getDouble("memused"));
      }
      rows.add(row);
    }
    return rows;
  }

  private JsonArray guestRrd(String type, int vmid, String timeframe) {
    GuestState guest = guest(type, vmid);
    JsonArray rows = new JsonArray();
    long step = step(timeframe);
    long last = System.currentTimeMillis() / 1000 / step * step;
    boolean running;
    synchronized (this) {
      running = guest.running;
    }
    for (int i = 69; i >= 0; i--) {
      long time = last - i * step;
      // Rows without samples only carry the limits: the other keys are left out, not null.
      JsonObject row =
          new JsonObject()
              .put("time", time)
              .put("maxcpu", guest.spec.cpus())
              .put("maxmem", guest.spec.maxmem())
              .put("maxdisk", guest.spec.maxdisk())
              .put("disk", 0);
      if (running) {
        row.put("cpu", wave(0.01, 0.1, time, vmid))
            .put("mem", guest.spec.maxmem() * wave(0.5, 0.3, time, vmid))
            .put("netin", wave(1_000, 20_000, time, vmid + 1))
            .put("netout", wave(500, 10_000, time, vmid + 2))
            .put("diskread", wave(0, 50_000, time, vmid + 3))
            .put("diskwrite", wave(0, 80_000, time, vmid + 4));
      }
      rows.add(row);
    }
    return rows;
  }

  private static long step(String timeframe) {
    return switch (timeframe) {
      case "hour" -> 60;
      case "day" -> 1_800;
      case "week" -> 10_800;
      case "month" -> 43_200;
      case "year" -> 604_800;
      default -> 6_048_000;
    };
  }

  // ---------------------------------------------------------------- tasks

  private String startTask(String type, int vmid, String action) {
    GuestState guest = guest(type, vmid);
    String prefix = type.equals("qemu") ? "qm" : "vz";
    long now = System.currentTimeMillis() / 1000;
    int pid = pids.incrementAndGet();
    String upid =
        String.format(
            "UPID:%s:%08X:%08X:%08X:%s:%d:%s:",
            setup.node(),
            pid,
            (now - startedAt / 1000) * 100 + 0x1000,
            now,
            prefix + action,
            vmid,
            setup.tokenId());
    Task task = new Task(upid, prefix + action, vmid, pid, now);
    String what = type.equals("qemu") ? "VM" : "CT";
    if (action.equals("start")) {
      task.log.add("starting " + what + " " + vmid);
    }
    tasks.put(upid, task);
    vertx.setTimer(setup.taskDuration().toMillis(), id -> finish(task, guest, action, what));
    return upid;
  }

  /**
   * Ends a task: its exit status follows from the guest's state and setup, then the guest moves.
   */
  private synchronized void finish(Task task, GuestState guest, String action, String what) {
    String error = null;
    int warnings = 0;
    switch (action) {
      case "start" -> {
        if (guest.spec.template()) {
          error = "you can't start a vm if it's a template";
        } else if (guest.running) {
          error = what + " " + guest.spec.vmid() + " already running";
        } else if (guest.spec.startFailure() != null) {
          error = guest.spec.startFailure();
        } else {
          warnings = guest.spec.startWarnings();
          guest.start();
        }
      }
      case "stop", "shutdown" -> {
        if (action.equals("shutdown") && !guest.running) {
          error = what + " " + guest.spec.vmid() + " not running";
        } else {
          guest.running = false;
        }
      }
      default -> { // reboot
        if (!guest.running) {
          error = what + " " + guest.spec.vmid() + " not running";
        } else {
          guest.start();
        }
      }
    }
    for (int i = 1; i <= warnings; i++) {
      task.log.add("WARN: simulated warning " + i);
    }
    if (error != null) {
      task.log.add(error);
      task.log.add("TASK ERROR: " + error);
      task.exitstatus = error;
    } else if (warnings > 0) {
      task.log.add("TASK WARNINGS: " + warnings);
      task.exitstatus = "WARNINGS: " + warnings;
    } else {
      task.log.add("TASK OK");
      task.exitstatus = "OK";
    }
    task.running = false;
  }

  private void log(HttpServerRequest request, Task task) {
    int start = intParam(request, "start", 0);
    int limit = intParam(request, "limit", 50);
    List<String> lines;
    synchronized (this) {
      lines = List.copyOf(task.log);
    }
    JsonArray data = new JsonArray();
    for (int i = start; i < lines.size() && i < start + limit; i++) {
      data.add(new JsonObject().put("n", i + 1).put("t", lines.get(i)));
    }
    ok(request, new JsonObject().put("data", data).put("total", lines.size()));
  }

  private static int intParam(HttpServerRequest request, String name, int fallback) {
    String value = request.getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Math.max(0, Integer.parseInt(value));
    } catch (NumberFormatException e) {
      throw new Failure(
          400,
          "Parameter verification failed.",
          new JsonObject().put(name, "type check ('integer') failed - got '" + value + "'"));
    }
  }

  // ---------------------------------------------------------------- responses

  private void data(HttpServerRequest request, Object data) {
    ok(request, new JsonObject().put("data", data));
  }

  private static void ok(HttpServerRequest request, JsonObject body) {
    headers(request.response()).end(body.encode());
  }

  private void error(HttpServerRequest request, int status, String message, JsonObject errors) {
    JsonObject body = new JsonObject().putNull("data");
    if (errors != null) {
      body.put("errors", errors);
    }
    if (atLeast(8, 3)) {
      // libpve-http-server-perl 5.2.0 (PVE 8.3) added the message to the body.
      body.put("message", message);
    }
    headers(request.response()).setStatusCode(status).setStatusMessage(message).end(body.encode());
  }

  private static HttpServerResponse headers(HttpServerResponse response) {
    return response
        .putHeader("Server", "pve-api-daemon/3.0")
        .putHeader("Content-Type", "application/json;charset=UTF-8")
        .putHeader("Cache-Control", "max-age=0")
        .putHeader("Pragma", "no-cache");
  }

  /** An error answer, thrown from deep in the routing. */
  private static final class Failure extends RuntimeException {
    final int status;
    final JsonObject errors;

    Failure(int status, String message) {
      this(status, message, null);
    }

    Failure(int status, String message, JsonObject errors) {
      super(message, null, false, false);
      this.status = status;
      this.errors = errors;
    }
  }

  /** A guest's changing state; guarded by the simulator. */
  private final class GuestState {
    final SimulatedGuest spec;
    boolean running;
    long runningSince;
    int pid;

    GuestState(SimulatedGuest spec) {
      this.spec = spec;
      if (spec.running()) {
        start();
        runningSince -= 86_400_000L; // it has been up for a day
      }
    }

    void start() {
      running = true;
      runningSince = System.currentTimeMillis();
      pid = 100_000 + pids.incrementAndGet();
    }

    /** The fields the index and the current status share. */
    JsonObject metrics() {
      long now = System.currentTimeMillis() / 1000;
      JsonObject entry =
          new JsonObject()
              .put("vmid", spec.vmid())
              .put("name", spec.name())
              .put("status", running ? "running" : "stopped")
              .put("cpus", spec.cpus())
              .put("maxmem", spec.maxmem())
              .put("maxdisk", spec.maxdisk())
              .put("disk", spec.type().equals("lxc") && running ? spec.maxdisk() / 12 : 0);
      if (running) {
        long uptime = (System.currentTimeMillis() - runningSince) / 1000;
        entry
            .put("pid", pid)
            .put("uptime", uptime)
            .put("cpu", wave(0.01, 0.1, now, spec.vmid()))
            .put("mem", (long) (spec.maxmem() * wave(0.5, 0.3, now, spec.vmid())))
            .put("netin", 1_000_000L + uptime * 2_000)
            .put("netout", 500_000L + uptime * 800)
            .put("diskread", 10_000_000L + uptime * 500)
            .put("diskwrite", 20_000_000L + uptime * 900);
      } else {
        entry
            .put("uptime", 0)
            .put("cpu", 0)
            .put("mem", 0)
            .put("netin", 0)
            .put("netout", 0)
            .put("diskread", 0)
            .put("diskwrite", 0);
      }
      if (spec.template()) {
        entry.put("template", 1);
      }
      return entry;
    }
  }

  /** A worker task; its log and end are guarded by the simulator. */
  private final class Task {
    final String upid;
    final String type;
    final int vmid;
    final int pid;
    final long starttime;
    final List<String> log = new ArrayList<>();
    volatile boolean running = true;
    volatile String exitstatus;

    Task(String upid, String type, int vmid, int pid, long starttime) {
      this.upid = upid;
      this.type = type;
      this.vmid = vmid;
      this.pid = pid;
      this.starttime = starttime;
    }

    JsonObject status() {
      int bang = setup.tokenId().indexOf('!');
      JsonObject status =
          new JsonObject()
              .put("upid", upid)
              .put("node", setup.node())
              .put("pid", pid)
              .put("pstart", (starttime - startedAt / 1000) * 100 + 0x1000)
              .put("starttime", starttime)
              .put("type", type)
              .put("id", String.valueOf(vmid)) // a string, as Proxmox sends it
              .put("user", bang < 0 ? setup.tokenId() : setup.tokenId().substring(0, bang))
              .put("status", running ? "running" : "stopped");
      if (bang >= 0) {
        status.put("tokenid", setup.tokenId().substring(bang + 1));
      }
      if (!running) {
        status.put("exitstatus", exitstatus);
      }
      return status;
    }
  }
}
