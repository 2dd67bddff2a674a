package dev.homelab.server;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.freeze.FreezingArchRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The module map and the storage rule of ARCHITECTURE.md as executable rules.
 *
 * <p>It lives in homelab-server's tests because that is the one classpath that holds the main
 * classes of core, server and client together (client is a test dependency here); examples and
 * benchmarks are leaves that nothing depends on, so no rule is about them.
 *
 * <p>Every rule is frozen: the violations that existed when it was written are recorded under
 * {@code src/test/resources/archunit_store} (see {@code archunit.properties}) and tolerated, a new
 * violation fails. When a later change removes a recorded violation, ArchUnit drops it from the
 * store; commit that change of the store with it.
 *
 * <p>Surefire runs it in a JVM of its own (homelab-server/pom.xml): importing every class of three
 * modules slowed the next test class's server start past the blocked-thread limit.
 */
class ArchitectureTest {

  private static final String CORE = "dev.homelab.core..";
  private static final String SERVER = "dev.homelab.server..";
  private static final String CLIENT = "dev.homelab.client..";
  private static final String STORE = "dev.homelab.core.store..";

  /** The domain packages of core, each with its sub-packages ({@code impl}). */
  private static final List<String> DOMAINS =
      List.of(
          "access",
          "devices",
          "identity",
          "audit",
          "settings",
          "metrics",
          "monitor",
          "events",
          "leader",
          "upstream",
          "health",
          "mqtt",
          "telemetry",
          "files");

  /**
   * The edges between domain packages that are allowed, from → to. A domain may always use its own
   * package and {@code dev.homelab.core.internal}; nothing else of core's domains unless listed.
   *
   * <ul>
   *   <li>access → events: the engine publishes each decision on the event hub (code today).
   *   <li>access, devices → identity, audit: "each mutating call takes an Actor (identity) ...
   *       writes the change and its audit entry" (ARCHITECTURE.md, Services and the actor).
   *   <li>devices, identity → events: the same paragraph, "then publishes its event".
   *   <li>identity → audit: account changes are audited like any other mutating call.
   *   <li>settings → identity, audit: settings changes take an Actor and are audited.
   *   <li>monitor → metrics: the host monitor is a metrics {@code Collector} (code today).
   *   <li>upstream → identity, audit, events: a user's action on an upstream (a VM's start) takes
   *       an Actor and is audited; task progress is published on the hub.
   *   <li>upstream → metrics: the Proxmox servers and the automations are metrics {@code
   *       Collector}s, and their history is read through the shared table query, as the host
   *       monitor's is.
   *   <li>health → upstream: the detailed health probes each configured upstream through its
   *       client.
   *   <li>mqtt → upstream: the bridge trusts a TLS broker as the upstream clients trust theirs
   *       ({@code UpstreamTls}) and reconnects with their jittered {@code Backoff}.
   *   <li>mqtt → identity, audit: a user's publish ({@code MqttPublishing}) takes an Actor and is
   *       audited, as a user's action on an upstream is.
   *   <li>telemetry → mqtt, metrics, leader: the device state history records what the bridge
   *       hears, on the leader only (a leader job), and writes numeric fields as metric series.
   *   <li>telemetry → devices, identity, events: sensor ingestion checks the device and the caller
   *       (an Actor) and publishes each reading on the event hub.
   *   <li>mqtt → access: door readers on the broker are answered by the access engine ({@code
   *       MqttAccess}), as an HTTP check is.
   *   <li>files → identity, audit, events: the file store takes an Actor, audits each change and
   *       publishes {@code file.changed}, like the device registry.
   *   <li>files → devices: it applies the same {@code OwnerFilter} in its queries, so that a file
   *       is isolated exactly as a device is.
   *   <li>metrics, audit, events, leader → none: they are the leaves the services build on.
   * </ul>
   */
  private static final Map<String, Set<String>> ALLOWED_EDGES =
      Map.ofEntries(
          Map.entry("access", Set.of("events", "identity", "audit")),
          Map.entry("devices", Set.of("identity", "audit", "events")),
          Map.entry("identity", Set.of("audit", "events")),
          Map.entry("audit", Set.of()),
          Map.entry("settings", Set.of("identity", "audit")),
          Map.entry("metrics", Set.of()),
          Map.entry("monitor", Set.of("metrics")),
          Map.entry("events", Set.of()),
          Map.entry("leader", Set.of()),
          Map.entry("upstream", Set.of("identity", "audit", "events", "metrics")),
          Map.entry("health", Set.of("upstream", "mqtt")),
          Map.entry("mqtt", Set.of("upstream", "identity", "audit", "access")),
          Map.entry(
              "telemetry", Set.of("mqtt", "metrics", "leader", "devices", "identity", "events")),
          Map.entry("files", Set.of("identity", "audit", "events", "devices")));

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Core's test jar (its shared test kits) is on this classpath as a jar, which the
            // option above does not recognise as tests.
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("dev.homelab");
  }

  @Test
  void theImportSeesEveryPublishedModule() {
    // A rule over an empty set passes vacuously: make sure all three modules were imported.
    for (String pkg : List.of("dev.homelab.core", "dev.homelab.server", "dev.homelab.client")) {
      if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
        throw new AssertionError("no classes of " + pkg + " on the test classpath");
      }
    }
  }

  @Test
  void coreDependsOnNeitherServerNorClient() {
    frozen(
            noClasses()
                .that()
                .resideInAPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SERVER, CLIENT)
                .because("core is a library first (ARCHITECTURE.md, Principles)"))
        .check(classes);
  }

  @Test
  void clientDependsOnNeitherCoreNorServer() {
    frozen(
            noClasses()
                .that()
                .resideInAPackage(CLIENT)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(CORE, SERVER)
                .because("the SDK has its own wire records and must not pull core's drivers"))
        .check(classes);
  }

  /**
   * The simulators are for tests, examples and demo mode: in the published code only the server's
   * demo package starts them, so that core and the SDK never ship them. Not frozen: it held from
   * the start.
   */
  @Test
  void onlyTheServersDemoModeUsesTheSimulators() {
    noClasses()
        .that()
        .resideInAnyPackage(CORE, CLIENT, SERVER)
        .and()
        .resideOutsideOfPackage("dev.homelab.server.demo..")
        // core's test-jar is on this classpath as a jar, which DO_NOT_INCLUDE_TESTS lets through
        .and()
        .haveSimpleNameNotEndingWith("Test")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.homelab.simulators..")
        .because("simulators are test and demo machinery (ARCHITECTURE.md, Simulators)")
        .check(classes);
  }

  /**
   * The SDK's API packages (the root and one per resource group) are its contract: only the
   * factory, {@code HomelabClient.create}, knows the implementation. Not frozen: it held from the
   * start.
   */
  @Test
  void clientApiPackagesDoNotUseTheImplementation() {
    noClasses()
        .that()
        .resideInAPackage(CLIENT)
        .and()
        .resideOutsideOfPackage("dev.homelab.client.impl..")
        .and()
        .doNotHaveFullyQualifiedName("dev.homelab.client.HomelabClient")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.homelab.client.impl..")
        .because("an SDK user depends on the API and the resource packages, never on impl")
        .check(classes);
  }

  @Test
  void routesCallServicesNotRepositoriesOrStorage() {
    frozen(
            noClasses()
                .that()
                .resideInAPackage("dev.homelab.server.routes..")
                .should()
                .dependOnClassesThat(
                    describe(
                        "are core repositories or Storage",
                        (JavaClass c) ->
                            (c.getPackageName().startsWith("dev.homelab.core")
                                    && c.getSimpleName().endsWith("Repository"))
                                || c.getName().equals("dev.homelab.core.store.Storage")
                                || c.getName().equals("dev.homelab.core.store.Repositories")))
                .because("a route handler parses, calls one service method, renders"))
        .check(classes);
  }

  @Test
  void domainPackagesDoNotImportStore() {
    frozen(
            noClasses()
                .that()
                .resideInAnyPackage(
                    DOMAINS.stream()
                        .map(d -> "dev.homelab.core." + d + "..")
                        .toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAPackage(STORE)
                .because("store holds the adapters and depends on the domains, not the reverse"))
        .check(classes);
  }

  @TestFactory
  Stream<DynamicTest> domainPackagesUseOnlyTheirAllowedEdges() {
    return DOMAINS.stream()
        .map(
            from ->
                DynamicTest.dynamicTest(
                    from,
                    () -> {
                      String[] forbidden =
                          DOMAINS.stream()
                              .filter(to -> !to.equals(from))
                              .filter(to -> !ALLOWED_EDGES.get(from).contains(to))
                              .map(to -> "dev.homelab.core." + to + "..")
                              .toArray(String[]::new);
                      ArchRule rule =
                          noClasses()
                              .that()
                              .resideInAPackage("dev.homelab.core." + from + "..")
                              .should()
                              .dependOnClassesThat(resideInAnyPackage(forbidden))
                              .because("ArchitectureTest.ALLOWED_EDGES lists " + from + "'s edges");
                      frozen(rule).check(classes);
                    }));
  }

  @Test
  void everyDomainHasItsAllowedEdges() {
    if (!ALLOWED_EDGES.keySet().equals(Set.copyOf(DOMAINS))) {
      throw new AssertionError("ALLOWED_EDGES and DOMAINS disagree");
    }
  }

  private static ArchRule frozen(ArchRule rule) {
    return FreezingArchRule.freeze(rule);
  }
}
