package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A server without an automation API or an AI hub: the Overview shows no card for them, and their
 * pages say which settings turn them on instead of an error.
 */
class UnconfiguredUpstreamsBrowserTest extends BrowserTestBase {

  @Test
  void theCardsStayHiddenAndThePagesSayHowToConfigure() {
    browser.loginWithToken();
    for (String card : new String[] {"automations-card", "ai-card"}) {
      browser
          .waiting(BrowserTesting.WAIT)
          .until(
              ExpectedConditions.presenceOfElementLocated(
                  By.cssSelector("#" + card + "[data-state=off]")));
      assertThat(browser.driver.findElement(By.id(card)).isDisplayed()).as(card).isFalse();
    }

    browser.open("automations");
    browser.waitForText(By.id("automations-off"), "AUTOMATION_API_URL");
    assertThat(browser.driver.findElement(By.id("automation-error")).getText()).isEmpty();
    browser.screenshot("automations-not-configured");
    browser.assertFitsAPhone("automations");

    browser.open("ai");
    browser.waitForText(By.id("ai-off"), "AI_HUB_URL");
    assertThat(browser.driver.findElement(By.id("ai-error")).getText()).isEmpty();
    browser.assertFitsAPhone("ai");
  }
}
