package dev.homelab.core.upstream.automation;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.metrics.Downsampler;
import dev.homelab.core.metrics.DownsamplerOptions;
import dev.homelab.core.metrics.MetricRepository;
import dev.homelab.core.metrics.MetricTableResult;
import dev.homelab.core.metrics.Period;
import dev.homelab.core.metrics.TimeRange;
import dev.homelab.core.testing.MutableClock;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.core.upstream.HttpWarmUp;
import dev.homelab.simulators.automation.AutomationSimulator;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The automation collector against the automation simulator, whose running automations trigger
 * about once a second: what a run writes, {@link AutomationHistory} reads back as the counts the
 * API reported. Runs are called directly, on a clock the test moves.
 */
class AutomationCollectorTest {

  private static final String KITCHEN = "main/kitchen/motion_light";

  private Vertx vertx;
  private AutomationSimulator simulator;
  private AutomationClient client;
  private MutableClock clock;
  private Downsampler downsampler;
  private AutomationHistory history;
  private AutomationCollector collector;

  @BeforeAll
  static void warmUp() {
    HttpWarmUp.once();
  }

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(VertxTesting.options());
    simulator = await(AutomationSimulator.start(vertx));
    client =
        AutomationClient.create(
            vertx,
            new AutomationOptions()
                .setBaseUrl(URI.create(simulator.baseUrl()))
                .setUser("admin")
                .setPassword("test"));
    clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    downsampler =
        Downsampler.create(vertx, MetricRepository.inMemory(), new DownsamplerOptions(), clock);
    history = new AutomationHistory(downsampler);
    collector =
        new AutomationCollector(
            client, AutomationCollector.DEFAULT_INTERVAL, Duration.ofSeconds(5), clock);
  }

  @AfterEach
  void stop() {
    await(downsampler.close());
    await(client.close());
    await(vertx.close());
  }

  private Map<String, Automation> reported() {
    return await(client.list()).automations().stream()
        .collect(Collectors.toMap(Automation::automationName, Function.identity()));
  }

  private TimeRange lastHour() {
    return TimeRange.last(Period.HOUR, clock.instant());
  }

  @Test
  void retriedByTheClientOnlyWithTimeForItsRetries() {
    assertThat(collector.name()).isEqualTo("automations");
    assertThat(collector.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(collector.retries()).isZero();
    assertThat(collector.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void eachRunWritesTheCountsTheApiReported() {
    Map<String, Automation> before = reported();
    await(collector.collect().compose(downsampler::write));
    Map<String, Automation> after = reported();
    clock.advance(Duration.ofSeconds(5));
    await(collector.collect().compose(downsampler::write));
    Map<String, Automation> last = reported();

    for (String name : new String[] {"monitor", KITCHEN, "main/hall/night_light"}) {
      MetricTableResult result = await(history.automation(name, lastHour(), 0));
      assertThat(result.rows()).as(name).hasSize(2);
      // The counts move while the test runs: each stored one lies between the reads around it.
      assertThat(result.rows().get(0).value("triggers_count"))
          .isBetween(
              (double) before.get(name).triggersCount(), (double) after.get(name).triggersCount());
      assertThat(result.rows().get(1).value("triggers_count"))
          .isBetween(
              (double) after.get(name).triggersCount(), (double) last.get(name).triggersCount());
      assertThat(result.rows().get(1).value("errors_count")).isZero();
      assertThat(result.rows().get(1).timestamp() - result.rows().get(0).timestamp()).isEqualTo(5);
    }
  }

  @Test
  void anAutomationWithoutCountsIsNotCollectedAndSoNotFound() {
    await(collector.collect().compose(downsampler::write));
    // The stopped automation reports no MQTT status, hence no counts.
    assertThat(reported().get("main/garage/door_alert").triggersCount()).isEqualTo(-1);
    assertThat(code(awaitFailure(history.automation("main/garage/door_alert", lastHour(), 0))))
        .isEqualTo("AUTOMATION_NOT_FOUND");
    assertThat(code(awaitFailure(history.automation("nobody/home", lastHour(), 0))))
        .isEqualTo("AUTOMATION_NOT_FOUND");
    // Valid for the API, too long for a tag: it can have no history.
    assertThat(code(awaitFailure(history.automation("a".repeat(150), lastHour(), 0))))
        .isEqualTo("AUTOMATION_NOT_FOUND");
    Throwable bad = awaitFailure(history.automation("../etc", lastHour(), 0));
    assertThat(bad).isInstanceOf(ValidationException.class);
    assertThat(((ValidationException) bad).field()).isEqualTo("name");
  }

  private static String code(Throwable failure) {
    assertThat(failure).isInstanceOf(NotFoundException.class);
    return ((NotFoundException) failure).errorCode();
  }
}
