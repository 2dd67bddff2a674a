package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.aihub.AiHubSimulator;
import dev.homelab.simulators.automation.AutomationSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Automations and AI pages, and their Overview cards, in a real browser against a real server
 * whose automation API and AI hub are the simulators (each behind its Basic password): a restart
 * asked for and confirmed, a refusal in the upstream's words, live log lines that the simulator
 * writes after the page opened (bounded, following the newest line unless scrolled up, closed when
 * the page is left), a chat streaming in to its end, a long one cancelled, and markup from either
 * upstream shown as text. Screenshots of each page at both widths go to {@code target/screenshots}.
 */
class AutomationsAndAiBrowserTest {

  private static final String AUTOMATION_PASSWORD = "automation-Pa55-" + UUID.randomUUID();
  private static final String HUB_PASSWORD = "hub-Pa55-" + UUID.randomUUID();
  private static final String KITCHEN = "main/kitchen/motion_light";
  private static final String HALL = "main/hall/night_light";
  private static final String GARAGE = "main/garage/door_alert";

  @TempDir static Path dir;
  static Vertx simulators;
  static AutomationSimulator automation;
  static AiHubSimulator hub;
  static BrowserTesting browser;

  @BeforeAll
  static void start() {
    simulators = Vertx.vertx(VertxTesting.options());
    // A line every 200 ms from each running automation; the tests write more where they need.
    automation =
        await(
            AutomationSimulator.start(
                simulators,
                AutomationSimulator.Setup.defaults()
                    .withCredentials("admin", AUTOMATION_PASSWORD)));
    // A step a second: a chat lasts about 6 s, long enough to cancel one midway.
    hub =
        await(
            AiHubSimulator.start(
                simulators,
                AiHubSimulator.Setup.defaults()
                    .withCredentials("admin", HUB_PASSWORD)
                    .withStepInterval(Duration.ofSeconds(1))));
    TestSecrets.remember(AUTOMATION_PASSWORD);
    TestSecrets.remember(HUB_PASSWORD);
    Map<String, String> settings =
        Map.of(
            "AUTOMATION_API_URL",
            automation.baseUrl(),
            "AUTOMATION_API_USER",
            "admin",
            "AUTOMATION_API_PASSWORD",
            AUTOMATION_PASSWORD,
            "AI_HUB_URL",
            hub.baseUrl(),
            "AI_HUB_USER",
            "admin",
            "AI_HUB_PASSWORD",
            HUB_PASSWORD,
            // The metrics collector's reads would take the failures the tests mean for the page.
            "METRICS_INTERVAL_AUTOMATIONS",
            "0");
    // ServerTesting's cold start has neither upstream, so this start is the JVM's first to load
    // the automation and AI features' classes, on an event loop: on a busy 2-CPU machine that
    // blocks it a few hundred ms (reported before any test ran), which says nothing of the pages.
    BlockedThreadGuard.ignoringReports(() -> browser = BrowserTesting.start(dir, settings));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (simulators != null) {
      await(simulators.close());
    }
  }

  @AfterEach
  void consoleIsClean() {
    browser.assertConsoleClean();
  }

  @Test
  void anAdministratorRestartsAnAutomationAfterConfirming() {
    browser.loginWithToken();
    browser.open("automations");
    By hall = row(HALL);
    browser.waitForText(hall, "healthy");
    long restarts = automation.requestCount(HttpMethod.POST, "/restart");

    // Dismissed: nothing is sent.
    button(hall, "Restart").click();
    Alert question =
        browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent());
    assertThat(question.getText()).startsWith("Restart " + HALL + "?");
    question.dismiss();
    assertThat(automation.requestCount(HttpMethod.POST, "/restart")).isEqualTo(restarts);

    button(hall, "Restart").click();
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    browser.waitForText(
        By.id("automation-result"), HALL + ": restart done: Контейнер перезапущен, now running");
    assertThat(automation.requestCount(HttpMethod.POST, "/restart")).isEqualTo(restarts + 1);
    assertThat(automation.status(HALL)).isEqualTo("running");

    // A stop refused by the automation API is shown in its own words; the automation runs on.
    button(row(KITCHEN), "Stop").click();
    Alert stop = browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent());
    automation.failNext(1, 500);
    stop.accept();
    browser.waitForText(
        By.id("automation-error"), KITCHEN + ": stop failed: automation answered 500");
    automation.clearFaults();
    assertThat(automation.status(KITCHEN)).isEqualTo("running");

    // The stopped garage can be started, not stopped.
    assertThat(button(row(GARAGE), "Start").isEnabled()).isTrue();
    assertThat(button(row(GARAGE), "Stop").isEnabled()).isFalse();
    assertThat(browser.driver.findElement(By.id("automation-summary")).getText())
        .matches("\\d of 4 healthy, \\d running");
  }

  @Test
  void aViewerSeesTheAutomationsWithoutTheirButtonsAndNoAiCard() {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(browser.lab.client.users().create("automation-viewer", password, "viewer"));
    browser.loginAs("automation-viewer", password);
    browser.waitForText(By.id("automations-healthy"), "healthy");
    // The AI hub is for users and administrators: a viewer's Overview has no card for it.
    browser.waitFor(By.cssSelector("#automations-card[data-state=shown]"));
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#ai-card[data-state=off]")));
    assertThat(browser.driver.findElement(By.id("ai-card")).isDisplayed()).isFalse();
    browser.open("automations");
    browser.waitForText(row(HALL), "healthy");
    assertThat(browser.driver.findElements(By.xpath("//tbody[@id='automation-rows']//button")))
        .extracting(WebElement::getText)
        .containsOnly("Logs", "History");
  }

  @Test
  void theLiveLogShowsNewLinesKeepsTheLast1000AndFollowsUnlessScrolledUp() {
    browser.loginWithToken();
    browser.open("automations");
    browser.waitForText(row(KITCHEN), "healthy");
    Instant opened = Instant.now();
    button(row(KITCHEN), "Logs").click();
    browser.waitForText(By.id("log-status"), "Following the log of " + KITCHEN);
    // Lines written after the page asked for the log, by the simulator's clock.
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> logLines().stream().anyMatch(line -> writtenAfter(line, opened)));
    assertThat(logLines()).allMatch(line -> line.contains(" - motion_light - "));
    assertThat(automation.openLogStreams()).isEqualTo(1);

    // The page keeps the newest 1000 lines: 1100 more, written in batches the stream carries at
    // once, push the first ones out.
    for (int batch = 0; batch < 11; batch++) {
      for (int i = 0; i < 100; i++) {
        automation.writeLog(KITCHEN, "INFO - batch " + batch + " line " + i);
      }
      String last = "INFO - batch " + batch + " line 99";
      browser
          .waiting(BrowserTesting.WAIT)
          .until(d -> logLines().stream().anyMatch(line -> line.endsWith(last)));
    }
    List<String> kept = logLines();
    assertThat(kept).hasSize(1000);
    assertThat(kept).noneMatch(line -> line.endsWith("INFO - batch 0 line 99"));
    assertThat(kept).anyMatch(line -> line.endsWith("INFO - batch 1 line 99"));
    assertThat(logGap()).isLessThan(24);

    // Scrolled up, the view stays where the reader put it while lines come in.
    browser.driver.executeScript("document.getElementById('log-lines').scrollTop = 0");
    WebElement jump = browser.waitFor(By.id("log-jump"));
    String newest = lastLogLine();
    browser.waiting(BrowserTesting.WAIT).until(d -> !lastLogLine().equals(newest));
    assertThat(logScrollTop()).isZero();
    jump.click();
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.invisibilityOf(jump));
    String later = lastLogLine();
    browser.waiting(BrowserTesting.WAIT).until(d -> !lastLogLine().equals(later));
    assertThat(logGap()).isLessThan(24);

    // Leaving the page ends its stream, and with the last one the server's upstream connection.
    browser.open("overview");
    browser.waiting(BrowserTesting.WAIT).until(d -> automation.openLogStreams() == 0);
  }

  @Test
  void aRestartShowsInTheLiveLog() {
    browser.loginWithToken();
    browser.open("automations");
    browser.waitForText(row(HALL), "healthy");
    new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("log-automation")))
        .selectByVisibleText(HALL);
    browser.waitForText(By.id("log-status"), "Following the log of " + HALL);
    browser.waiting(BrowserTesting.WAIT).until(d -> !logLines().isEmpty());
    Instant asked = Instant.now();
    button(row(HALL), "Restart").click();
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            d ->
                logLines().stream()
                    .anyMatch(
                        line ->
                            line.endsWith("INFO - Automation started")
                                && writtenAfter(line, asked)));
    browser.driver.executeScript("window.scrollTo(0, 0)"); // following a log scrolled to it
    shoot("automations");
  }

  @Test
  void aLogStreamCutOffIsReopened() {
    browser.loginWithToken();
    browser.open("automations");
    button(row(KITCHEN), "Logs").click();
    browser.waitForText(By.id("log-status"), "Following the log of " + KITCHEN);
    try {
      browser.connections.cut();
      browser.waitForText(By.id("log-status"), "was cut off: reconnecting");
    } finally {
      browser.connections.restore();
    }
    browser.waiting(Duration.ofSeconds(20)).until(d -> statusStartsWith("Following the log of"));
    Instant back = Instant.now();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> logLines().stream().anyMatch(line -> writtenAfter(line, back)));
  }

  @Test
  void aChatTheHubRefusesIsSaidAndItsMessageKept() {
    browser.loginWithToken();
    browser.open("ai");
    browser.waitForText(By.id("ai-process-status"), "running");
    browser.type(By.id("ai-message"), "is the hub there?");
    hub.failNext(1, 503);
    browser.driver.findElement(By.id("ai-send")).click();
    browser.waitForText(By.id("ai-error"), "answered 503");
    hub.clearFaults();
    assertThat(browser.driver.findElement(By.cssSelector("#ai-transcript .answer")).getText())
        .contains("Not answered:", "answered 503");
    assertThat(browser.driver.findElement(By.id("ai-message")).getDomProperty("value"))
        .isEqualTo("is the hub there?");
    assertThat(browser.driver.findElement(By.id("ai-send")).isEnabled()).isTrue();
  }

  @Test
  void aChatAnswerStreamsInToItsEnd() {
    browser.loginWithToken();
    browser.open("ai");
    browser.type(By.id("ai-message"), "check the disks of the NAS");
    browser.driver.findElement(By.id("ai-send")).click();

    // The first text shows while the hub is still answering: drawn as it comes, not at the end.
    browser.waitForText(By.cssSelector("#ai-transcript .answer"), "Проверяю: check the disks");
    assertThat(browser.driver.findElement(By.id("ai-status")).getText()).isEqualTo("Answering…");
    assertThat(browser.driver.findElement(By.id("ai-transcript")).getText())
        .doesNotContain("Result:");
    // Its process is listed while it runs.
    List<String> running = hub.runningProcesses();
    assertThat(running).hasSize(1);
    browser.waitForText(By.id("ai-process-rows"), running.get(0));

    browser.waiting(Duration.ofSeconds(20)).until(d -> statusIs("Done."));
    String answer = browser.driver.findElement(By.cssSelector("#ai-transcript .answer")).getText();
    assertThat(answer)
        .contains("Tool Bash", "df -h", "Диски в порядке: занято 42%.")
        .contains("Result: success, $0.0123, 1200 tokens in, 85 out");
    String sessionId =
        new io.vertx.core.json.JsonObject(hub.sent(running.get(0)).get(0).data())
            .getString("session_id");
    assertThat(browser.driver.findElement(By.id("ai-session")).getText()).contains(sessionId);
    browser.waitForText(By.id("ai-process-rows"), "No process is running.");
    shoot("ai");
  }

  @Test
  void cancelStopsALongAnswer() {
    browser.loginWithToken();
    browser.open("ai");
    browser.type(By.id("ai-message"), "a long question");
    browser.driver.findElement(By.id("ai-send")).click();
    browser.waitForText(By.cssSelector("#ai-transcript .answer"), "Проверяю: a long question");
    List<String> running = hub.runningProcesses();
    assertThat(running).hasSize(1);
    long deletes = hub.requestCount(HttpMethod.DELETE, "/chat/" + running.get(0));

    browser.driver.findElement(By.id("ai-cancel")).click();
    browser.waiting(BrowserTesting.WAIT).until(d -> statusIs("Cancelled."));
    assertThat(hub.requestCount(HttpMethod.DELETE, "/chat/" + running.get(0)))
        .isEqualTo(deletes + 1);
    assertThat(hub.runningProcesses()).isEmpty();
    assertThat(hub.sent(running.get(0)))
        .extracting(AiHubSimulator.SentEvent::type)
        .doesNotContain("done");
    assertThat(browser.driver.findElement(By.id("ai-transcript")).getText())
        .contains("Cancelled.")
        .doesNotContain("Диски в порядке");
    assertThat(browser.driver.findElement(By.id("ai-send")).isEnabled()).isTrue();
    assertThat(browser.driver.findElement(By.id("ai-cancel")).isEnabled()).isFalse();
  }

  @Test
  void theOverviewHasACardForEach() {
    browser.loginWithToken();
    browser.waitForText(By.id("automations-healthy"), "/ 4 healthy");
    browser.waitForText(By.id("ai-processes"), "running");
    assertThat(browser.driver.findElement(By.id("automations-card")).getText())
        .contains(GARAGE + ": stopped");
    shoot("overview-upstreams");
    browser.driver.findElement(By.id("theme")).click();
    try {
      browser.open("automations");
      browser.waitForText(row(HALL), "healthy");
      browser.screenshot("automations-light");
      browser.open("ai");
      browser.waitForText(By.id("ai-process-status"), "running");
      browser.screenshot("ai-light");
    } finally {
      browser.driver.findElement(By.id("theme")).click();
    }
  }

  @Test
  void markupFromTheUpstreamsIsShownAsText() {
    browser.loginWithToken();
    browser.open("automations");
    button(row(KITCHEN), "Logs").click();
    browser.waitForText(By.id("log-status"), "Following the log of " + KITCHEN);
    for (String probe : List.of(XssBrowserTest.IMG, XssBrowserTest.SCRIPT)) {
      automation.writeLog(KITCHEN, "WARNING - " + probe);
    }
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            d ->
                logLines().stream()
                        .filter(
                            line ->
                                line.endsWith(" - WARNING - " + XssBrowserTest.IMG)
                                    || line.endsWith(" - WARNING - " + XssBrowserTest.SCRIPT))
                        .count()
                    == 2);
    assertNothingRan();

    browser.open("ai");
    String question = XssBrowserTest.SCRIPT + " " + XssBrowserTest.IMG;
    browser.type(By.id("ai-message"), question);
    browser.driver.findElement(By.id("ai-send")).click();
    // The hub's answer repeats the question: markup in a token of the answer.
    browser.waitForText(By.cssSelector("#ai-transcript .answer"), "Проверяю: " + question);
    assertThat(browser.driver.findElement(By.cssSelector("#ai-transcript .question")).getText())
        .contains(question);
    assertNothingRan();
    browser.open("overview"); // leaving closes the chat, which stops the hub's process
    browser.waiting(BrowserTesting.WAIT).until(d -> hub.runningProcesses().isEmpty());
  }

  private static void shoot(String page) {
    browser.screenshot(page);
    browser.assertFitsAPhone(page);
  }

  private static By row(String name) {
    return By.xpath(
        "//tbody[@id='automation-rows']/tr[td[@class='name']/span[@class='automation-name' and text()='"
            + name
            + "']]");
  }

  private static WebElement button(By row, String text) {
    return browser.waitFor(row).findElement(By.xpath(".//button[text()='" + text + "']"));
  }

  private static boolean statusStartsWith(String text) {
    return browser.driver.findElement(By.id("log-status")).getText().startsWith(text);
  }

  private static boolean statusIs(String text) {
    return text.equals(browser.driver.findElement(By.id("ai-status")).getText());
  }

  /** Whether a log line's own time (its first field, UTC) is after an instant. */
  private static boolean writtenAfter(String line, Instant instant) {
    return Instant.parse(line.substring(0, line.indexOf(' '))).isAfter(instant);
  }

  @SuppressWarnings("unchecked")
  private static List<String> logLines() {
    return (List<String>)
        browser.driver.executeScript(
            "return [...document.querySelectorAll('#log-lines li')].map(e => e.textContent)");
  }

  private static String lastLogLine() {
    List<String> lines = logLines();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }

  private static long logScrollTop() {
    return ((Number)
            browser.driver.executeScript(
                "return Math.round(document.getElementById('log-lines').scrollTop)"))
        .longValue();
  }

  /** How far the log's view is above its newest line, in CSS pixels. */
  private static long logGap() {
    return ((Number)
            browser.driver.executeScript(
                "const l = document.getElementById('log-lines');"
                    + " return Math.round(l.scrollHeight - l.scrollTop - l.clientHeight)"))
        .longValue();
  }

  /** No probe ran, and none became an element. */
  private static void assertNothingRan() {
    assertThat(browser.driver.executeScript("return window.__xss")).isNull();
    assertThat(browser.driver.getTitle()).isEqualTo("Homelab");
    assertThat(browser.driver.findElements(By.cssSelector("#view img, #view script"))).isEmpty();
  }
}
