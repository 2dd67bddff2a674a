package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.core.testing.VertxTesting;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The dashboard in a real browser against a real server: logging in and out, the host figures live,
 * the banner while the event stream is lost, a device's token shown once, and every page at a
 * desktop's and a phone's width (screenshots in {@code target/screenshots}).
 */
class DashboardBrowserTest extends BrowserTestBase {

  @Test
  void logsInWithTheTokenOrAPasswordAndOut() {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(browser.lab.client.users().create("browser-user", password, "viewer"));

    browser.loggedOut();
    browser.type(By.id("username"), "browser-user");
    browser.type(By.id("password"), "not-" + password);
    browser.driver.findElement(By.cssSelector("#login-password button[type=submit]")).click();
    browser.waiting(BrowserTesting.WAIT).until(d -> !errorText().isEmpty());
    assertThat(browser.driver.findElement(By.id("nav")).isDisplayed()).isFalse();

    browser.loginAs("browser-user", password);
    assertThat(browser.driver.findElement(By.id("nav")).isDisplayed()).isTrue();

    browser.loginWithToken();
    String jwt =
        (String) browser.driver.executeScript("return sessionStorage.getItem('homelab.token')");
    assertThat(jwt).isNotBlank();
    TestSecrets.remember(jwt);

    browser.driver.findElement(By.id("logout")).click();
    browser.waitFor(By.id("login-token"));
    browser.waitForText(By.cssSelector(".login .error"), "You are logged out.");
    assertThat(browser.driver.executeScript("return sessionStorage.getItem('homelab.token')"))
        .isNull();
    assertThat(browser.driver.findElement(By.id("logout")).isDisplayed()).isFalse();
    // The server ended the session too: its token no longer opens the API.
    HomelabClient old = browser.lab.newClient(jwt);
    try {
      assertThat(VertxTesting.awaitFailure(old.auth().me()))
          .isInstanceOfSatisfying(
              HomelabHttpException.class, e -> assertThat(e.status()).isEqualTo(401));
    } finally {
      await(old.close());
    }
  }

  @Test
  void theHostFiguresAreLive() {
    browser.loginWithToken();
    WebElement cpu = browser.waitFor(By.cssSelector("[data-metric=CPU] .value"));
    assertThat(cpuText()).matches("\\d+ %");
    assertThat(browser.driver.findElement(By.id("host-title")).getText()).startsWith("Host ");
    // Each sample redraws the host card, so an element of the last drawing goes stale; twice
    // within 5 s each, so the first one is not just the stream replacing the page's first fetch.
    for (int sample = 0; sample < 2; sample++) {
      browser.waiting(Duration.ofSeconds(5)).until(ExpectedConditions.stalenessOf(cpu));
      cpu = browser.waitFor(By.cssSelector("[data-metric=CPU] .value"));
      assertThat(cpuText()).matches("\\d+ %");
    }
    assertThat(browser.driver.findElement(By.cssSelector("[aria-labelledby=host-title]")).getText())
        .doesNotContain("null")
        .doesNotContain("undefined")
        .doesNotContain("NaN");
  }

  /** The CPU figure, read again if a sample redrew the card between finding and reading it. */
  private static String cpuText() {
    return browser
        .waiting(BrowserTesting.WAIT)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> d.findElement(By.cssSelector("[data-metric=CPU] .value")).getText());
  }

  @Test
  void aLostEventStreamShowsTheBannerUntilItIsBack() {
    browser.loginWithToken();
    WebElement banner = browser.driver.findElement(By.id("banner"));
    browser.waitFor(By.cssSelector("[data-metric=CPU]"));
    assertThat(banner.isDisplayed()).isFalse();
    try {
      browser.connections.cut();
      browser.waitForText(By.id("banner"), "Connection to the server lost");
      browser.screenshot("overview-connection-lost");
    } finally {
      browser.connections.restore();
    }
    browser.waitForText(By.id("banner"), "Connection restored");
    browser.waiting(Duration.ofSeconds(10)).until(ExpectedConditions.invisibilityOf(banner));
    // The figures are live again.
    WebElement cpu = browser.waitFor(By.cssSelector("[data-metric=CPU] .value"));
    browser.waiting(Duration.ofSeconds(5)).until(ExpectedConditions.stalenessOf(cpu));
  }

  @Test
  void aNewDeviceGetsItsTokenShownOnce() {
    browser.loginWithToken();
    browser.open("devices");
    String name = "door-" + UUID.randomUUID().toString().substring(0, 8);
    browser.type(By.id("device-name"), name);
    browser.type(By.id("device-type"), "reader");
    browser.driver.findElement(By.cssSelector("#device-create button[type=submit]")).click();
    By row = By.xpath("//tbody[@id='device-rows']/tr[td[@class='name' and text()='" + name + "']]");
    WebElement created = browser.waitFor(row);
    assertThat(created.getText()).contains("reader");
    Device device =
        await(browser.lab.client.devices().list()).items().stream()
            .filter(d -> d.name().equals(name))
            .findFirst()
            .orElseThrow();
    assertThat(device.hasToken()).isFalse();

    created.findElement(By.xpath(".//button[text()='New token']")).click();
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    browser.waitForText(By.id("device-token"), "shown this once");
    String token = browser.driver.findElement(By.cssSelector("#device-token code")).getText();
    TestSecrets.remember(token);
    assertThat(token).isNotBlank();
    assertThat(await(browser.lab.client.devices().get(device.id())).hasToken()).isTrue();
    browser.screenshot("devices-token");

    // Once: the page shown again has the device, not its token.
    browser.open("overview");
    browser.open("devices");
    browser.waitFor(row);
    assertThat(browser.driver.findElement(By.id("device-token")).getText()).isEmpty();
    assertThat(browser.driver.getPageSource()).doesNotContain(token);
  }

  @Test
  void everyPageFitsAPhone() {
    await(browser.lab.client.devices().create(new NewDevice("hallway-sensor", "sensor")));
    browser.loggedOut();
    shoot("login");
    browser.loginWithToken();
    browser.waitFor(By.cssSelector("[data-metric=CPU]"));
    shoot("overview");
    browser.open("devices");
    browser.waitForText(By.id("device-rows"), "hallway-sensor");
    shoot("devices");
    browser.open("access");
    browser.waitFor(By.id("card-add"));
    shoot("access");
    browser.open("admin");
    browser.waitForText(By.id("user-rows"), "admin");
    shoot("admin");
    browser.open("history");
    browser.waitFor(By.cssSelector("#history-charts canvas"));
    assertThat(browser.driver.findElement(By.id("history-status")).getText()).contains("points");
    assertThat(browser.driver.findElement(By.id("history-charts")).getText())
        .contains("CPU and memory");
    shoot("history");
  }

  @Test
  void theApiReferenceTriesARequestWithTheSessionsToken() {
    await(browser.lab.client.devices().create(new NewDevice("docs-probe", "sensor")));
    browser.loginWithToken(); // /docs fills Authorize with this tab's session token
    browser.driver.get(browser.baseUrl + "/docs/");
    WebElement operation =
        browser.waitFor(
            By.xpath(
                "//div[contains(@class,'opblock-get')]"
                    + "[.//*[contains(@class,'opblock-summary-path') and @data-path='/api/devices']]"));
    operation.findElement(By.cssSelector(".opblock-summary")).click();
    browser.waitFor(By.cssSelector(".opblock.is-open .try-out__btn")).click();
    browser.waitFor(By.cssSelector(".opblock.is-open .execute")).click();
    browser.waitForText(By.cssSelector(".opblock.is-open .live-responses-table"), "docs-probe");
    assertThat(
            browser
                .driver
                .findElement(
                    By.cssSelector(
                        ".opblock.is-open .live-responses-table tbody .response-col_status"))
                .getText())
        .startsWith("200");
    browser.screenshot("docs");
  }

  @Test
  void aCardAddedOnTheAccessPageOpensTheDoorAndTheDecisionShowsLive() {
    browser.loginWithToken();
    browser.open("access");
    browser.type(By.id("card-uid"), "ba:83:9d:07");
    browser.type(By.id("card-holder"), "Ann Example");
    browser.type(By.id("card-readers"), "front-door");
    browser.driver.findElement(By.cssSelector("#card-add button[type=submit]")).click();
    By row = By.cssSelector("tr[data-uid=BA839D07]");
    browser.waitForText(row, "Ann Example");
    assertThat(browser.driver.findElement(row).getText()).contains("front-door", "enabled");

    // A reader asks through the API; the decision appears in the live list. The page's stream
    // may still be connecting when the first check is made, so a check is made at each poll.
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            d -> {
              assertThat(
                      await(browser.lab.client.access().check("front-door", "BA839D07")).granted())
                  .isTrue();
              return browser
                  .driver
                  .findElement(By.id("live-decisions"))
                  .getText()
                  .contains("Ann Example at front-door");
            });
    browser.screenshot("access-live");

    // Disabling asks first, then the card refuses.
    browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Disable']")).click();
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    browser.waitForText(row, "disabled");
    assertThat(await(browser.lab.client.access().check("front-door", "BA839D07")).granted())
        .isFalse();

    // Editing gives the card a weekly window; the uid stays.
    browser.driver.findElement(row).findElement(By.xpath(".//button[text()='Edit']")).click();
    for (String day : List.of("mon", "tue", "wed", "thu", "fri")) {
      browser.driver.findElement(By.id("day-" + day)).click();
    }
    browser.driver.executeScript(
        "document.getElementById('window-start').value = '08:00';"
            + " document.getElementById('window-end').value = '19:00';"
            + " document.getElementById('window-zone').value = 'Europe/Rome';");
    browser.driver.findElement(By.cssSelector("#card-add button[type=submit]")).click();
    browser.waitForText(row, "mon,tue,wed,thu,fri 08:00-19:00 (Europe/Rome)");
    assertThat(await(browser.lab.client.access().card("BA839D07")).schedule()).isNotNull();
  }

  @Test
  void anApiKeyIsShownOnceAndItsCreationIsAudited() {
    browser.loginWithToken();
    browser.open("admin");
    browser.type(By.id("key-name"), "backup-script");
    browser.driver.findElement(By.cssSelector("#key-add button[type=submit]")).click();
    browser.waitForText(By.id("new-key"), "shown this once");
    String key = browser.driver.findElement(By.cssSelector("#new-key code")).getText();
    TestSecrets.remember(key);
    assertThat(key).startsWith("hlk_");
    browser.waitForText(By.id("key-rows"), "backup-script");

    browser.type(By.id("audit-action"), "auth.key_created");
    browser.driver.findElement(By.cssSelector("#audit-action ~ button[type=submit]")).click();
    browser.waitForText(By.cssSelector("[aria-labelledby=audit-title] tbody"), "backup-script");
    browser.screenshot("admin-key");

    browser.open("overview");
    browser.open("admin");
    browser.waitForText(By.id("key-rows"), "backup-script");
    assertThat(browser.driver.findElement(By.id("new-key")).getText()).isEmpty();
    assertThat(browser.driver.getPageSource()).doesNotContain(key);
  }

  /** Screenshots the page at both widths, and fails if it does not fit a phone. */
  private static void shoot(String page) {
    browser.screenshot(page);
    browser.assertFitsAPhone(page);
  }

  private static String errorText() {
    List<WebElement> errors = browser.driver.findElements(By.cssSelector(".login .error"));
    return errors.isEmpty() ? "" : errors.get(0).getText();
  }
}
