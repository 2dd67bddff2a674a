package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A server without any upstream (BrowserTestBase's): the Overview shows no card for Proxmox,
 * cameras, automations, the AI hub or MQTT, and each page says which settings turn its upstream on
 * instead of failing.
 */
class UpstreamsNotConfiguredBrowserTest extends BrowserTestBase {

  @Test
  void theCardsStayHiddenAndThePagesSayHowToConfigure() {
    browser.loginWithToken();
    browser.waitFor(By.cssSelector("[data-metric=CPU]"));
    // Each card asks once, and is off after the upstream's 404 (an empty server list for Proxmox).
    for (String card :
        new String[] {"pve-card", "cameras-card", "automations-card", "ai-card", "mqtt-card"}) {
      browser
          .waiting(BrowserTesting.WAIT)
          .until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#" + card + "[data-state=off]")));
      assertThat(browser.driver.findElement(By.id(card)).isDisplayed()).as(card).isFalse();
    }

    browser.open("proxmox");
    browser.waitForText(By.id("pve-not-configured"), "PROXMOX_SERVERS");
    assertThat(browser.driver.findElement(By.cssSelector("#view > .error")).getText()).isEmpty();
    browser.screenshot("proxmox-not-configured");
    browser.assertFitsAPhone("proxmox, not configured");

    browser.open("cameras");
    browser.waitForText(By.id("cameras-not-configured"), "FRIGATE_URL");
    assertThat(browser.driver.findElement(By.cssSelector("#view > .error")).getText()).isEmpty();
    browser.screenshot("cameras-not-configured");
    browser.assertFitsAPhone("cameras, not configured");

    browser.open("automations");
    browser.waitForText(By.id("automations-off"), "AUTOMATION_API_URL");
    assertThat(browser.driver.findElement(By.id("automation-error")).getText()).isEmpty();
    browser.screenshot("automations-not-configured");
    browser.assertFitsAPhone("automations, not configured");

    browser.open("ai");
    browser.waitForText(By.id("ai-off"), "AI_HUB_URL");
    assertThat(browser.driver.findElement(By.id("ai-error")).getText()).isEmpty();
    browser.assertFitsAPhone("ai, not configured");

    browser.open("mqtt");
    browser.waitForText(By.id("mqtt-off"), "MQTT_URL");
    assertThat(browser.driver.findElement(By.id("mqtt-error")).getText()).isEmpty();
    assertThat(browser.driver.findElements(By.id("mqtt-publish"))).isEmpty();
    browser.screenshot("mqtt-not-configured");
    browser.assertFitsAPhone("mqtt, not configured");
  }
}
