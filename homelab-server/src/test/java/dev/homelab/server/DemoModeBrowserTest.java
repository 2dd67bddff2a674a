package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

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
    // The first start of the simulators and their TLS loads many classes at once: not tested here.
    BlockedThreadGuard.ignoringReports(
        () -> browser = BrowserTesting.start(dir, ServerTesting.DEMO_MODE));
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
