package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard of a server in demo mode ({@code ENABLE_MOCK_DATA=true}), as a first-time user sees
 * it: the server's own simulators behind every upstream page, reached by its real clients. The
 * pages' finer behaviour (refusals, viewers, offline servers, bounds) is in
 * UpstreamPagesBrowserTest and AutomationsAndAiBrowserTest, where the tests steer the simulators.
 */
class DemoModeBrowserTest {

  @TempDir static Path dir;
  static BrowserTesting browser;

  @BeforeAll
  static void start() {
    // The collectors every second (not 10 s, 30 s, 5 s), so that the history charts have points
    // within the tests' waits.
    Map<String, String> settings = new HashMap<>(ServerTesting.DEMO_MODE);
    settings.put("METRICS_INTERVAL_SERVERS", "1");
    settings.put("METRICS_INTERVAL_VMS", "1");
    settings.put("METRICS_INTERVAL_AUTOMATIONS", "1");
    // The first start of the simulators and their TLS loads many classes at once: not tested here.
    BlockedThreadGuard.ignoringReports(() -> browser = BrowserTesting.start(dir, settings));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }

  @AfterEach
  void consoleIsClean() {
    browser.assertConsoleClean();
  }

  @Test
  void theOverviewHasACardForEveryUpstream() {
    browser.loginWithToken();
    browser.waitForText(By.id("pve-card"), "2 of 2 servers online");
    browser.waitForText(By.id("cameras-card"), "cameras");
    for (String card : List.of("automations-card", "ai-card")) {
      browser.waitFor(By.cssSelector("#" + card + "[data-state=shown]"));
    }
    browser.screenshot("overview-upstreams");
  }

  @Test
  void bothProxmoxServersAndAGuestStartedToTheEndOfItsTask() {
    browser.loginWithToken();
    browser.open("proxmox");
    browser.waitForText(server("nas"), "online");
    browser.waitForText(server("smart-home"), "online");
    browser.waitForText(guest("nas", 103), "stopped");

    click(guest("nas", 103), "start");
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    By task = By.cssSelector("#pve-tasks li[data-vmid='103']");
    browser.waitForText(task, "done: OK");
    browser.waitForText(guest("nas", 103), "running");

    // The demo's one VM whose start fails: Proxmox's own words reach the page.
    click(guest("nas", 106), "start");
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    browser.waitForText(
        By.cssSelector("#pve-tasks li[data-vmid='106']"),
        "failed: start failed: QEMU exited with code 1");
  }

  @Test
  void theCamerasShowTheirSnapshots() {
    browser.loginWithToken();
    browser.open("cameras");
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            d ->
                Boolean.TRUE.equals(
                    browser.driver.executeScript(
                        "const images = [...document.querySelectorAll('#camera-grid img')];"
                            + " return images.length > 0"
                            + " && images.every((i) => i.complete && i.naturalWidth > 0);")));
  }

  @Test
  void theAutomationsAndTheLiveLogOfOne() {
    browser.loginWithToken();
    browser.open("automations");
    browser.waitForText(By.id("automation-rows"), "healthy");
    List<WebElement> logs =
        browser.driver.findElements(By.xpath("//tbody[@id='automation-rows']//button[.='Logs']"));
    assertThat(logs).isNotEmpty();
    logs.get(0).click();
    browser.waitForText(By.id("log-status"), "Following the log of");
    // The demo's automations log a line a second.
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> !d.findElement(By.id("log-lines")).getText().isBlank());
  }

  @Test
  void anAiChatStreamsToItsEnd() {
    browser.loginWithToken();
    browser.open("ai");
    browser.type(By.id("ai-message"), "how are the disks?");
    browser.driver.findElement(By.id("ai-send")).click();
    browser
        .waiting(Duration.ofSeconds(20))
        .until(d -> d.findElement(By.id("ai-status")).getText().equals("Done."));
    assertThat(browser.driver.findElement(By.cssSelector("#ai-transcript .answer")).getText())
        .contains("Result: success");
  }

  @Test
  void historyChartsOfAServerAGuestAndAnAutomation() {
    // The leader's collectors write within a second or two of the start; the panels ask once when
    // opened (then every 30 s), so the test opens them once there is something to draw.
    collected(() -> await(browser.lab.client.metrics().server("nas", "1h")).rows().size());
    collected(() -> await(browser.lab.client.metrics().vm("nas", 100, "1h")).rows().size());
    browser.loginWithToken();
    browser.open("proxmox");
    browser.waitForText(server("nas"), "online");

    clickHistory("nas");
    assertChartsDrawn(By.id("pve-history-nas"), "CPU and memory", "Network");
    clickHistory("nas/100");
    assertChartsDrawn(By.id("pve-history-nas-100"), "CPU", "Memory");
    // The page's refresh redraws the cards; the open panels stay, their charts with them.
    browser
        .waiting(Duration.ofSeconds(20))
        .until(d -> d.findElements(By.cssSelector("#pve-history-nas canvas")).size() == 2);
    scrollTo("pve-history-nas");
    browser.screenshot("proxmox-history");
    browser.assertFitsAPhone("proxmox with history panels");
    // Another period asks the server again, on a coarser tier.
    new Select(browser.driver.findElement(By.id("pve-history-nas-100-period")))
        .selectByValue("24h");
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            d -> {
              String status =
                  d.findElement(By.cssSelector("#pve-history-nas-100 .history-status")).getText();
              return status.contains("1-minute buckets")
                  || status.contains("No data in the last 24 hours");
            });

    browser.open("automations");
    browser.waitForText(By.id("automation-rows"), "healthy");
    String name =
        browser
            .waitFor(By.cssSelector("#automation-rows tr[data-name] button.history-toggle"))
            .findElement(By.xpath("ancestor::tr"))
            .getAttribute("data-name");
    collected(() -> await(browser.lab.client.metrics().automation(name, "1h")).rows().size());
    clickHistory(name);
    String id = "automation-history-" + name.replaceAll("[^A-Za-z0-9_-]", "-");
    assertChartsDrawn(By.id(id), "Triggers and errors");
    scrollTo(id);
    browser.screenshot("automations-history");
    browser.assertFitsAPhone("automations with a history panel");
    // Closed again: the panel leaves.
    clickHistory(name);
    browser.waiting(BrowserTesting.WAIT).until(d -> d.findElements(By.id(id)).isEmpty());
  }

  /** Waits until a history has rows (a 404 before its first collection is retried). */
  private static void collected(Supplier<Integer> rows) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> rows.get() > 0);
  }

  private static void scrollTo(String id) {
    browser.driver.executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
  }

  private static void clickHistory(String key) {
    browser
        .waiting(BrowserTesting.WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(By.cssSelector("button[data-history='" + key + "']")).click();
              return true;
            });
  }

  private static final Pattern POINTS = Pattern.compile(": (\\d+) raw points");

  /**
   * Waits for a panel's charts: one uPlot canvas each, drawn from points (the status counts them,
   * and each chart's summary has a lowest, average, highest and last value of its first line).
   */
  private static void assertChartsDrawn(By panel, String... titles) {
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            d ->
                d.findElement(panel).findElements(By.cssSelector(".uplot canvas")).size()
                    == titles.length);
    WebElement node = browser.driver.findElement(panel);
    Matcher points = POINTS.matcher(node.findElement(By.cssSelector(".history-status")).getText());
    assertThat(points.find()).as("the status counts raw points").isTrue();
    assertThat(Integer.parseInt(points.group(1))).isPositive();
    List<WebElement> charts = node.findElements(By.cssSelector("section.chart"));
    assertThat(charts).hasSize(titles.length);
    for (int i = 0; i < titles.length; i++) {
      assertThat(charts.get(i).findElement(By.tagName("h2")).getText()).startsWith(titles[i]);
      String summary = charts.get(i).findElement(By.cssSelector(".summary")).getText();
      assertThat(summary).containsPattern("^\\w+: lowest .+, average .+, highest .+, last ");
    }
  }

  private static By server(String id) {
    return By.cssSelector("section[data-server='" + id + "']");
  }

  private static By guest(String server, int vmid) {
    return By.cssSelector("section[data-server='" + server + "'] tr[data-vmid='" + vmid + "']");
  }

  /**
   * Clicks a guest's action button; the tables are redrawn now and then, so a stale read is redone.
   */
  private static void click(By row, String action) {
    browser
        .waiting(BrowserTesting.WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(row)
                  .findElement(By.cssSelector("button[data-action=" + action + "]"))
                  .click();
              return true;
            });
  }
}
