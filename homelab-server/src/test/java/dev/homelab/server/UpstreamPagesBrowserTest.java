package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.BlockedThreadGuard;
import dev.homelab.core.testing.VertxTesting;
import dev.homelab.simulators.frigate.FrigateSimulator;
import dev.homelab.simulators.frigate.FrigateSimulatorOptions;
import dev.homelab.simulators.proxmox.ProxmoxSimulator;
import dev.homelab.simulators.proxmox.SimulatedGuest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Proxmox and Cameras pages and their overview cards in a real browser, against a real server
 * whose upstreams are simulators: two Proxmox servers over HTTPS with pinned certificates, and a
 * Frigate. Guests start through tasks that take a moment and can fail. {@link
 * UpstreamsNotConfiguredBrowserTest} has the same pages without upstreams.
 */
class UpstreamPagesBrowserTest {

  static final String START_ERROR = "start failed: QEMU exited with code 1";

  @TempDir static Path dir;

  static Vertx simulators;
  static ProxmoxSimulator nas;
  static ProxmoxSimulator smartHome;
  static FrigateSimulator frigate;
  static BrowserTesting browser;

  @BeforeAll
  static void start() {
    // Starting the simulators and the server, the first TLS handshakes, and the first pictures
    // streamed through load and link classes on event loops: warm-up, not what is tested here.
    BlockedThreadGuard.ignoringReports(UpstreamPagesBrowserTest::startAll);
  }

  private static void startAll() {
    simulators = Vertx.vertx(VertxTesting.options());
    nas =
        await(
            ProxmoxSimulator.start(
                simulators,
                ProxmoxSimulator.Setup.of(
                        "nas",
                        "8.3.2",
                        List.of(
                            SimulatedGuest.qemu(100, "vpn-hub", true),
                            SimulatedGuest.qemu(101, "win11", false),
                            SimulatedGuest.lxc(103, "ubuntu", false),
                            SimulatedGuest.lxc(104, "pihole", true),
                            SimulatedGuest.qemu(105, "broken", false).failingStart(START_ERROR)))
                    .withHardware(12, 66_571_993_088L)
                    .withTaskDuration(Duration.ofSeconds(2))));
    smartHome =
        await(
            ProxmoxSimulator.start(
                simulators,
                ProxmoxSimulator.Setup.of("pve", "9.0.6", ProxmoxSimulator.fixtureGuests())
                    .withHardware(4, 16_106_127_360L)));
    frigate =
        await(
            FrigateSimulator.start(
                simulators,
                new FrigateSimulatorOptions().setEventCount(40).setNewEventEvery(null)));
    TestSecrets.remember(nas.setup().tokenSecret());
    TestSecrets.remember(smartHome.setup().tokenSecret());
    Map<String, String> settings = new HashMap<>();
    settings.put("PROXMOX_SERVERS", "nas,smart-home");
    ProxmoxApiTest.put(settings, "NAS", "NAS Server", nas, "10");
    ProxmoxApiTest.put(settings, "SMART_HOME", "Smart Home Server", smartHome, "10");
    settings.put("FRIGATE_URL", frigate.baseUrl());
    // Nothing collected: the collectors' background reads would meet the faults the tests set up
    // (and an unreachable server's failures open its breaker for the pages' reads too), and the
    // history panels have nothing to show (a guest never collected, a server with no points).
    settings.put("METRICS_INTERVAL_SERVERS", "0");
    settings.put("METRICS_INTERVAL_VMS", "0");
    browser = BrowserTesting.start(dir, settings);
    await(browser.lab.client.proxmox().servers());
    await(browser.lab.client.frigate().cameras());
    String event = await(browser.lab.client.frigate().events()).get(0).id();
    await(browser.lab.client.frigate().snapshotToFile("garage", 360, dir.resolve("warm.jpg")));
    await(browser.lab.webAdmin.get("/api/frigate/events/" + event + "/snapshot").send());
  }

  @AfterEach
  void consoleIsCleanAndFaultsCleared() {
    nas.clearFaults();
    smartHome.clearFaults();
    browser.assertConsoleClean();
  }

  @AfterAll
  static void stop() {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (simulators != null) {
        await(simulators.close());
      }
    }
  }

  @Test
  void serversAndGuestsAreListedAndAStoppedVmStartsAfterAConfirmation() {
    browser.loginWithToken();
    browser.open("proxmox");
    WebElement win11 = browser.waitFor(guest("nas", 101));
    assertThat(win11.getText()).contains("win11", "VM", "stopped");
    browser.waitForText(server("nas"), "online");
    assertThat(browser.driver.findElement(server("nas")).getText())
        .contains("NAS Server", "Proxmox VE 8.3.2", "12 CPUs", "5 guests (3 VMs, 2 containers)");
    assertThat(browser.driver.findElement(guest("nas", 103)).getText()).contains("container");
    assertThat(browser.driver.findElement(server("smart-home")).getText())
        .contains("Smart Home Server", "online", "Proxmox VE 9.0.6");
    assertThat(browser.driver.findElements(By.cssSelector("[data-server=smart-home] tr.guest")))
        .hasSize(ProxmoxSimulator.fixtureGuests().size());
    browser.screenshot("proxmox");
    browser.assertFitsAPhone("proxmox");
    inTheLightTheme(() -> browser.screenshot("proxmox-light"));

    // A running guest offers stop and restart; a stopped one, start.
    assertThat(buttons(guest("nas", 100))).containsExactly("Stop", "Restart");
    assertThat(buttons(guest("nas", 101))).containsExactly("Start");

    // Dismissing the confirmation sends nothing.
    clickAction(guest("nas", 100), "stop");
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).dismiss();
    assertThat(browser.driver.findElements(By.cssSelector("#pve-tasks li"))).isEmpty();
    assertThat(nas.requestCount(HttpMethod.POST, "/status/stop")).isZero();

    clickAction(guest("nas", 101), "start");
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    By task = By.cssSelector("#pve-tasks li[data-vmid='101']");
    browser.waitForText(task, "running…");
    browser.screenshot("proxmox-task");
    browser.waitForText(task, "done: OK");
    assertThat(browser.driver.findElement(task).getAttribute("class")).isEqualTo("ok");
    assertThat(nas.guestStatus(101)).isEqualTo("running");
    browser.waitForText(guest("nas", 101), "running");
    assertThat(buttons(guest("nas", 101))).containsExactly("Stop", "Restart");
  }

  @Test
  void aFailedTaskShowsProxmoxsOwnError() {
    browser.loginWithToken();
    browser.open("proxmox");
    browser.waitFor(guest("nas", 105));
    clickAction(guest("nas", 105), "start");
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    By task = By.cssSelector("#pve-tasks li[data-vmid='105']");
    browser.waitForText(task, "failed: " + START_ERROR);
    assertThat(browser.driver.findElement(task).getAttribute("class")).isEqualTo("failed");
    assertThat(browser.driver.findElement(guest("nas", 105)).getText()).contains("stopped");
  }

  @Test
  void anOfflineServerIsShownAsSuchAndTheOtherStillWorks() {
    smartHome.reachability(ProxmoxSimulator.Reachability.UNREACHABLE);
    browser.loginWithToken();
    browser.open("proxmox");
    browser.waitForText(server("smart-home"), "offline");
    assertThat(browser.driver.findElement(server("smart-home")).getText())
        .contains("could not be reached")
        .doesNotContain("null")
        .doesNotContain("undefined");
    browser.waitFor(guest("nas", 100));
    assertThat(browser.driver.findElement(By.cssSelector("#view > .error")).getText()).isEmpty();
    browser.screenshot("proxmox-offline");
  }

  @Test
  void aViewerSeesTheGuestsWithoutPowerButtons() {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(browser.lab.client.users().create("pve-viewer", password, "viewer"));
    browser.loginAs("pve-viewer", password);
    browser.open("proxmox");
    browser.waitFor(guest("nas", 101));
    assertThat(browser.driver.findElements(By.cssSelector("#pve-servers button[data-action]")))
        .isEmpty();
    // History is for viewers too.
    assertThat(browser.driver.findElements(By.cssSelector("#pve-servers button[data-history]")))
        .isNotEmpty();
  }

  @Test
  void cameraSnapshotsAreShownAndEventsFilterByCameraAndLabel() {
    browser.loginWithToken();
    browser.open("cameras");
    browser.waiting(BrowserTesting.WAIT).until(d -> allPicturesLoaded("#camera-grid img", 3));
    assertThat(
            browser.driver.findElements(By.cssSelector("#camera-grid figure")).stream()
                .map(f -> f.getAttribute("data-camera"))
                .toList())
        .containsExactly("front_door", "backyard", "garage");
    browser.waitFor(By.cssSelector("#camera-events li.event"));
    browser.waiting(BrowserTesting.WAIT).until(d -> allPicturesLoaded("#camera-events img", 1));
    browser.screenshot("cameras");
    browser.assertFitsAPhone("cameras");
    inTheLightTheme(() -> browser.screenshot("cameras-light"));

    choose("event-camera", "backyard");
    browser.driver.findElement(By.cssSelector("#event-filters button[type=submit]")).click();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> eventAttributes("data-camera").equals(List.of("backyard")));
    assertThat(frigate.requests())
        .anyMatch(r -> r.contains("/api/events") && r.contains("backyard"));

    choose("event-camera", "");
    choose("event-label", "car");
    browser.driver.findElement(By.cssSelector("#event-filters button[type=submit]")).click();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> eventAttributes("data-label").equals(List.of("car")));
  }

  @Test
  void aSnapshotIsRefreshedAndTheOldPictureFreed() {
    browser.loginWithToken();
    browser.open("cameras");
    By frontDoor = By.cssSelector("[data-camera=front_door] img");
    browser.waiting(BrowserTesting.WAIT).until(d -> allPicturesLoaded("#camera-grid img", 3));
    String first = browser.driver.findElement(frontDoor).getAttribute("src");
    assertThat(first).startsWith("blob:");
    browser
        .waiting(Duration.ofSeconds(20))
        .until(d -> !first.equals(d.findElement(frontDoor).getAttribute("src")));
    assertThat(pictureLoads(first)).as("the replaced picture's blob URL is revoked").isFalse();
    String current = browser.driver.findElement(frontDoor).getAttribute("src");
    assertThat(pictureLoads(current)).as("the current picture's blob URL").isTrue();
  }

  /** Whether a picture loads from a URL, in a new image (the policy allows blob: pictures). */
  private static boolean pictureLoads(String url) {
    return Boolean.TRUE.equals(
        browser.driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1]; const image = new Image();"
                + " image.onload = () => done(true); image.onerror = () => done(false);"
                + " image.src = arguments[0];",
            url));
  }

  /**
   * The pages' refresher (polling.js, loaded into the page) at a 20 ms period: while the tab is
   * hidden it runs no more, and once the tab shows again it runs at once.
   */
  @Test
  void refreshingPausesWhileTheTabIsHiddenAndResumesWhenItShows() {
    browser.loginWithToken();
    Object answer =
        browser.driver.executeAsyncScript(
            "const done = arguments[arguments.length - 1];"
                + " const app = document.querySelector('script[type=module]').src;"
                + " import(app.replace(/app[.]js$/, 'polling.js')).then(async ({ every }) => {"
                + "   let hidden = false;"
                + "   Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });"
                + "   const show = (h) => { hidden = h; document.dispatchEvent(new Event('visibilitychange')); };"
                + "   const pause = (ms) => new Promise((r) => setTimeout(r, ms));"
                + "   let runs = 0;"
                + "   const refresher = every(20, () => { runs++; });"
                + "   while (runs < 3) await pause(10);"
                + "   show(true);"
                + "   const hiddenAt = runs;"
                + "   await pause(300);"
                + "   const whileHidden = runs - hiddenAt;"
                + "   show(false);"
                + "   const atOnce = runs - hiddenAt;"
                + "   refresher.stop();"
                + "   delete document.hidden;"
                + "   done({ whileHidden, atOnce });"
                + " }, (e) => done(String(e)));");
    assertThat(answer).isEqualTo(Map.of("whileHidden", 0L, "atOnce", 1L));
  }

  @Test
  void theOverviewHasACardForEachConfiguredUpstream() {
    browser.loginWithToken();
    browser.waitForText(By.id("pve-card"), "2 of 2 servers online");
    assertThat(browser.driver.findElement(By.id("pve-card")).getText())
        .contains("guests running")
        .doesNotContain("null");
    browser.waitForText(By.id("cameras-card"), "3 cameras");
    assertThat(browser.driver.findElement(By.id("cameras-card")).getText())
        .contains("Latest event:")
        .doesNotContain("null")
        .doesNotContain("undefined");
    browser.driver.executeScript("document.getElementById('pve-card').scrollIntoView()");
    browser.screenshot("overview-upstreams");
    browser.assertFitsAPhone("overview");
    browser.driver.findElement(By.cssSelector("#pve-card a")).click();
    browser.waitForText(By.cssSelector("#view h1"), "Proxmox");
  }

  @Test
  void aGuestNeverCollectedHasNoHistoryYetAServerWithoutPointsNoDataAndATemplateNoButton() {
    browser.loginWithToken();
    browser.open("proxmox");
    browser.waitFor(guest("nas", 100));
    read(
        d -> {
          d.findElement(By.cssSelector("button[data-history='nas/100']")).click();
          return true;
        });
    By panel = By.id("pve-history-nas-100");
    browser.waitForText(panel, "No history yet");
    WebElement shown = browser.driver.findElement(panel);
    // A configured server with no points yet: its history answers, empty.
    read(
        d -> {
          d.findElement(By.cssSelector("button[data-history='nas']")).click();
          return true;
        });
    browser.waitForText(By.id("pve-history-nas"), "No data in the last 1 hour");
    assertThat(browser.driver.findElements(By.cssSelector("#pve-history-nas canvas"))).isEmpty();
    assertThat(shown.findElements(By.cssSelector("canvas"))).isEmpty();
    assertThat(shown.findElements(By.cssSelector(".error")).get(0).getText()).isEmpty();
    String expanded =
        read(
            d ->
                d.findElement(By.cssSelector("button[data-history='nas/100']"))
                    .getAttribute("aria-expanded"));
    assertThat(expanded).isEqualTo("true");
    // The recorded smart-home guests include template 101: it never runs, so it has no history.
    List<WebElement> templateButtons =
        read(
            d ->
                d.findElement(guest("smart-home", 101))
                    .findElements(By.cssSelector("button[data-history]")));
    assertThat(templateButtons).isEmpty();
    read(
        d -> {
          d.findElement(By.cssSelector("button[data-history='nas/100']")).click();
          return true;
        });
    browser.waiting(BrowserTesting.WAIT).until(d -> d.findElements(panel).isEmpty());
  }

  /** Runs something with the light theme on, then switches back to the dark one. */
  private static void inTheLightTheme(Runnable action) {
    browser.driver.findElement(By.id("theme")).click();
    assertThat(browser.driver.executeScript("return document.documentElement.dataset.theme"))
        .isEqualTo("light");
    try {
      action.run();
    } finally {
      browser.driver.findElement(By.id("theme")).click();
    }
  }

  private static By server(String id) {
    return By.cssSelector("section[data-server='" + id + "']");
  }

  private static By guest(String server, int vmid) {
    return By.cssSelector("section[data-server='" + server + "'] tr[data-vmid='" + vmid + "']");
  }

  /**
   * Reads the page where it may be redrawing (the tables are redrawn now and then): a read that
   * meets an element of the last drawing is made again.
   */
  private static <T> T read(Function<WebDriver, T> reading) {
    return browser
        .waiting(BrowserTesting.WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(reading);
  }

  private static List<String> buttons(By row) {
    return read(
        d ->
            d.findElement(row).findElements(By.cssSelector("td.actions button")).stream()
                .map(WebElement::getText)
                .toList());
  }

  private static void clickAction(By row, String action) {
    By button = By.cssSelector("button[data-action=" + action + "]");
    read(
        d -> {
          d.findElement(row).findElement(button).click();
          return true;
        });
  }

  private static void choose(String select, String value) {
    browser.driver.executeScript(
        "document.getElementById(arguments[0]).value = arguments[1];", select, value);
  }

  private static boolean allPicturesLoaded(String selector, int atLeast) {
    Object loaded =
        browser.driver.executeScript(
            "const images = [...document.querySelectorAll(arguments[0])];"
                + " return images.length >= arguments[1]"
                + " && images.every((i) => i.complete && i.naturalWidth > 0);",
            selector,
            atLeast);
    return Boolean.TRUE.equals(loaded);
  }

  /** The attribute of every event shown, each value once. */
  private static List<String> eventAttributes(String attribute) {
    return read(
        d ->
            d.findElements(By.cssSelector("#camera-events li.event")).stream()
                .map(e -> e.getAttribute(attribute))
                .distinct()
                .toList());
  }
}
