package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The Proxmox and Cameras pages on a server with neither configured (BrowserTestBase's): each says
 * how to configure its upstream instead of failing, and the overview shows no card for them.
 */
class UpstreamsNotConfiguredBrowserTest extends BrowserTestBase {

  @Test
  void thePagesSayHowToConfigureTheirUpstreamAndTheOverviewHasNoCards() {
    browser.loginWithToken();
    browser.waitFor(By.cssSelector("[data-metric=CPU]"));
    // Each card asks once, and is gone after Frigate's 404 or an empty list of Proxmox servers.
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            d ->
                d.findElements(By.id("cameras-card")).isEmpty()
                    && d.findElements(By.id("pve-card")).isEmpty());

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
  }
}
