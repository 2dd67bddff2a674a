package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.client.HomelabHttpException;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.devices.NewDevice;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Markup stored through the API never runs in the dashboard: every value goes in as text, and the
 * Content-Security-Policy would refuse an inline script or handler even if one slipped through.
 * Each probe, if it ran, would set {@code window.__xss} and the page's title.
 */
class XssBrowserTest extends BrowserTestBase {

  static final String IMG = "<img src=x onerror=\"window.__xss=1;document.title='pwned'\">";
  static final String SCRIPT = "<script>window.__xss=2;document.title='pwned'</script>";

  @Test
  void aDeviceNameIsShownAsTyped() {
    await(browser.lab.client.devices().create(new NewDevice(SCRIPT, "sensor")));
    browser.loginWithToken();
    browser.open("devices");
    // The other through the page's own form.
    browser.type(By.id("device-name"), IMG);
    browser.driver.findElement(By.cssSelector("#device-create button[type=submit]")).click();
    browser.waiting(BrowserTesting.WAIT).until(d -> names().size() == 2);

    assertThat(names()).containsExactlyInAnyOrder(IMG, SCRIPT);
    assertNothingRan();
    browser.screenshot("xss-devices");
    browser.assertFitsAPhone("devices");
  }

  @Test
  void aCardHolderIsShownAsTypedInTheLiveDecisions() {
    await(browser.lab.client.access().createCard(NewCardPolicy.of("04A1B2C3").withHolder(IMG)));
    await(browser.lab.client.access().createCard(NewCardPolicy.of("04D4E5F6").withHolder(SCRIPT)));
    browser.loginWithToken();
    // The stream is open once a sample has redrawn the host card after the page's first fetch.
    WebElement host = browser.waitFor(By.cssSelector("[data-metric=CPU]"));
    browser.waiting(Duration.ofSeconds(5)).until(ExpectedConditions.stalenessOf(host));

    await(browser.lab.client.access().check("front-door", "04A1B2C3"));
    await(browser.lab.client.access().check("front-door", "04D4E5F6"));
    browser.waiting(BrowserTesting.WAIT).until(d -> decisions().size() == 2);

    List<String> shown = decisions();
    assertThat(shown.get(0)).contains(SCRIPT + " at front-door");
    assertThat(shown.get(1)).contains(IMG + " at front-door");
    assertNothingRan();
    browser.screenshot("xss-overview");
    browser.assertFitsAPhone("overview");
  }

  @Test
  void cardHoldersAndAuditEntriesAreShownAsTypedOnTheAccessAndAdminPages() {
    // The card's creation is audited with its holder: the probe reaches the audit log too.
    await(browser.lab.client.access().createCard(NewCardPolicy.of("0A0B0C0D").withHolder(IMG)));
    browser.loginWithToken();
    browser.open("access");
    browser.waiting(BrowserTesting.WAIT).until(d -> texts("td.holder").contains(IMG));
    assertNothingRan();
    browser.screenshot("xss-access");

    browser.open("admin");
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            // the detail is shown as its JSON, so the probe's quotes are escaped there
            d ->
                texts("[aria-labelledby=audit-title] td").stream()
                    .anyMatch(t -> t.contains(IMG.replace("\"", "\\\""))));
    assertNothingRan();
    browser.screenshot("xss-admin");
  }

  @Test
  void aUserNameCannotCarryMarkup() {
    // Names are a-z, 0-9, '.', '_' and '-': no probe can be stored, so none can reach the Admin
    // page. If the rule is ever loosened, this fails: add the probe to that page's test then.
    for (String name : List.of(IMG, SCRIPT)) {
      assertThat(awaitFailure(browser.lab.client.users().create(name, "pw-long-enough", "viewer")))
          .isInstanceOfSatisfying(
              HomelabHttpException.class, e -> assertThat(e.status()).isEqualTo(422));
    }
  }

  @Test
  void everyAnswerHasAStrictContentSecurityPolicy() {
    browser.loggedOut();
    String script =
        browser.driver.findElement(By.cssSelector("script[type=module]")).getDomAttribute("src");
    String stylesheet =
        browser.driver.findElement(By.cssSelector("link[rel=stylesheet]")).getDomAttribute("href");
    for (String path : List.of("/", script, stylesheet)) {
      HttpResponse<Buffer> answer = await(browser.lab.web.get(path).send());
      assertThat(answer.statusCode()).as(path).isEqualTo(200);
      String csp = answer.getHeader("Content-Security-Policy");
      assertThat(csp)
          .as(path)
          .contains("script-src 'self'", "style-src 'self'", "default-src 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval", "*");
    }
  }

  @Test
  void theConsoleCheckSeesAScriptTheCspRefuses() {
    browser.loggedOut();
    browser.assertConsoleClean();
    // Selenium's own scripts are exempt from the CSP, but an inline script they insert is not.
    browser.driver.executeScript(
        "const s = document.createElement('script');"
            + " s.textContent = 'window.__xss = 3';"
            + " document.body.append(s);");
    assertThat(browser.driver.executeScript("return window.__xss")).isNull();
    assertThatThrownBy(browser::assertConsoleClean).hasMessageContaining("Content Security Policy");
  }

  private static List<String> names() {
    return texts("#device-rows td.name");
  }

  private static List<String> decisions() {
    return texts("#decisions li");
  }

  /** The text of the elements, read in one step, so that a redraw cannot intervene. */
  @SuppressWarnings("unchecked")
  private static List<String> texts(String selector) {
    return (List<String>)
        browser.driver.executeScript(
            "return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)",
            selector);
  }

  /** No probe ran, and none became an element. */
  private static void assertNothingRan() {
    assertThat(browser.driver.executeScript("return window.__xss")).isNull();
    assertThat(browser.driver.getTitle()).isEqualTo("Homelab");
    assertThat(browser.driver.findElements(By.cssSelector("#view img, #view script"))).isEmpty();
  }
}
