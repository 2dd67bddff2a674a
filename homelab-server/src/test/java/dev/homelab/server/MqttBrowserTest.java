package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static dev.homelab.core.testing.VertxTesting.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabValidationException;
import dev.homelab.client.mqtt.MqttPublish;
import dev.homelab.core.testing.Mosquitto;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The MQTT page in a real browser against a server bridged to the real Mosquitto on 127.0.0.1:1883,
 * with {@code mosquitto_pub} and {@code mosquitto_sub} as the other peers: a message published
 * outside appears live in the stream and the topics table, the stream pane is bounded and pauses, a
 * cut stream is reopened and the table catches up, an administrator's publish reaches a subscriber,
 * a refused one shows the server's words, and a viewer has no form. Every topic lies under a prefix
 * of this run's own; the retained messages the tests create are cleared at the end.
 */
class MqttBrowserTest extends BrokerBrowserTestBase {

  private static final String PREFIX = Mosquitto.uniquePrefix("web");
  private static final String BEFORE = PREFIX + "/before";

  @BeforeAll
  static void start() {
    // Retained before the server connects: the broker hands it to the bridge as retained state.
    Mosquitto.publish(BEFORE, "on", true);
    retained.add(BEFORE);
    browser =
        BrowserTesting.start(
            dir, Map.of("MQTT_URL", "mqtt://127.0.0.1:1883", "MQTT_SUBSCRIPTIONS", PREFIX + "/#"));
    // Connected, with the retained state in its cache: what the pages read first is complete.
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> await(browser.lab.client.mqtt().topics()),
            list -> list.connected() && list.find(BEFORE).isPresent());
  }

  @Test
  void aMessagePublishedOutsideAppearsLiveInTheStreamAndTheTable() {
    browser.loginWithToken();
    browser.waitForText(By.id("mqtt-card"), "Connected");
    openPage();
    browser.waitForText(row(BEFORE), "retained");
    assertThat(browser.driver.findElement(row(BEFORE)).getText()).contains("on");

    String topic = PREFIX + "/live/sensor";
    Mosquitto.publish(
        topic, "{\"temperature\":21.5,\"note\":" + quoted(XssBrowserTest.IMG) + "}", false);
    browser.waitForText(line(topic), "{\"temperature\":21.5,");
    browser.waitForText(row(topic), "\"temperature\": 21.5");
    // JSON indented in the table, as text: the markup in it is shown as typed, and never runs.
    assertThat(
            browser
                .driver
                .findElement(By.cssSelector(rowSelector(topic) + " pre"))
                .getDomProperty("textContent"))
        .isEqualTo(
            "{\n  \"temperature\": 21.5,\n  \"note\": " + quoted(XssBrowserTest.IMG) + "\n}");
    assertThat(browser.driver.findElement(line(topic)).getText())
        .contains(XssBrowserTest.IMG.replace("\"", "\\\""));
    assertThat(browser.driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
    assertThat(browser.driver.findElement(row(topic)).getText()).doesNotContain("retained");
    browser.screenshot("mqtt");
    browser.assertFitsAPhone("mqtt");

    // A binary payload is said so, as base64; a long one is cut short in the stream only.
    String binary = PREFIX + "/binary";
    Mosquitto.run(
        List.of(
            "sh",
            "-c",
            "printf '\\377\\376\\000A' | mosquitto_pub -h \"$1\" -p \"$2\" -q 1 -s -t \"$3\"",
            "sh",
            Mosquitto.HOST,
            "" + Mosquitto.PORT,
            binary));
    browser.waitForText(row(binary), "(binary, base64) //4AQQ==");
    browser.waitForText(line(binary), "(binary, base64) //4AQQ==");
    String longTopic = PREFIX + "/long";
    Mosquitto.publish(longTopic, "x".repeat(1500), false);
    browser.waitForText(line(longTopic), "x".repeat(1000) + "… (500 more characters)");
    browser.waitForText(row(longTopic), "x".repeat(1500));
    browser.assertFitsAPhone("mqtt, a long payload");

    // A newer message replaces the row's payload; the stream shows both.
    Mosquitto.publish(topic, "plain text", false);
    browser.waitForText(row(topic), "plain text");
    assertThat(browser.driver.findElements(line(topic))).hasSize(2);
    assertThat(browser.driver.findElements(By.cssSelector("#mqtt-rows tr[data-topic]")))
        .extracting(e -> e.getAttribute("data-topic"))
        .filteredOn(t -> t.startsWith(PREFIX + "/"))
        .isSorted();

    // The filter box keeps the matching topics.
    browser.type(By.id("mqtt-filter"), "live/sens");
    browser
        .waiting(BrowserTesting.WAIT)
        .until(ExpectedConditions.invisibilityOfElementLocated(row(BEFORE)));
    assertThat(browser.driver.findElement(row(topic)).isDisplayed()).isTrue();
    assertThat(browser.driver.findElement(By.id("mqtt-count")).getText())
        .matches("1 of \\d+ topics");
  }

  @Test
  void theStreamPausesAndKeepsTheLastLines() {
    browser.loginWithToken();
    openPage();
    browser.driver.findElement(By.id("mqtt-pause")).click();
    String held = PREFIX + "/held";
    Mosquitto.publish(held, "while paused", false);
    // The table stays live; the pane holds the line back until resumed.
    browser.waitForText(row(held), "while paused");
    browser.waitForText(By.id("mqtt-held"), "Paused: 1 new message held back");
    assertThat(browser.driver.findElements(line(held))).isEmpty();
    browser.driver.findElement(By.id("mqtt-pause")).click();
    browser.waitForText(line(held), "while paused");
    assertThat(browser.driver.findElement(By.id("mqtt-held")).getText()).isEmpty();

    // More messages than the pane keeps, in order from one publisher: the newest 500 stay.
    String bulk = PREFIX + "/bulk";
    int count = 510;
    // One mosquitto_pub sends each line of its input as a message (-l), in order.
    Mosquitto.run(
        List.of(
            "sh",
            "-c",
            "seq -f 'm%g' 0 "
                + (count - 1)
                + " | mosquitto_pub -h \"$1\" -p \"$2\" -q 1 -l -t \"$3\"",
            "sh",
            Mosquitto.HOST,
            "" + Mosquitto.PORT,
            bulk));
    browser.waitForText(row(bulk), "m" + (count - 1));
    browser.waitForText(By.cssSelector("#mqtt-stream li:last-child"), "m" + (count - 1));
    List<WebElement> lines = browser.driver.findElements(By.cssSelector("#mqtt-stream li"));
    assertThat(lines).hasSize(500);
    assertThat(lines.get(0).getText()).endsWith(bulk + " m" + (count - 500));
  }

  @Test
  void aCutStreamIsReopenedAndTheTableCatchesUpWithWhatCameMeanwhile() {
    browser.loginWithToken();
    openPage();
    String during = PREFIX + "/during-cut";
    try {
      browser.connections.cut();
      browser.waitForText(By.id("mqtt-stream-status"), "cut off: reconnecting");
      Mosquitto.publish(during, "while cut", false);
    } finally {
      browser.connections.restore();
    }
    browser
        .waiting(Duration.ofSeconds(20))
        .until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("section[data-state=live] #mqtt-stream-status")));
    // The stream replays nothing: the list, read again once it is back, brings the message.
    browser.waitForText(row(during), "while cut");
    assertThat(browser.driver.findElements(line(during))).isEmpty();
    String after = PREFIX + "/after-cut";
    Mosquitto.publish(after, "live again", false);
    browser.waitForText(line(after), "live again");
    browser.waitForText(row(after), "live again");
  }

  @Test
  void anAdministratorPublishesFromTheFormAndARefusalIsShownInTheServersWords() {
    browser.loginWithToken();
    openPage();
    String topic = PREFIX + "/out/lamp";
    retained.add(topic);
    browser.type(By.id("mqtt-topic"), topic);
    browser.type(By.id("mqtt-payload"), "ON");
    new Select(browser.driver.findElement(By.id("mqtt-qos"))).selectByValue("1");
    // Retained, so that a mosquitto_sub started after the publish gets it from the broker.
    browser.driver.findElement(By.id("mqtt-retain")).click();
    browser.driver.findElement(By.cssSelector("#mqtt-publish button[type=submit]")).click();
    browser.waitForText(
        By.id("mqtt-publish-result"), "Published to " + topic + " (2 bytes, QoS 1, retained)");
    String heard =
        Mosquitto.run(
            List.of(
                "mosquitto_sub",
                "-h",
                Mosquitto.HOST,
                "-p",
                "" + Mosquitto.PORT,
                "-v",
                "-C",
                "1",
                "-W",
                "10",
                "-t",
                PREFIX + "/out/#"));
    assertThat(heard.strip()).isEqualTo(topic + " ON");
    // The bridge heard it too.
    browser.waitForText(row(topic), "ON");

    String wildcard = PREFIX + "/out/+";
    String detail =
        ((HomelabValidationException)
                awaitFailure(
                    browser.lab.client.mqtt().publish(new MqttPublish(wildcard, "x", 0, false))))
            .detail();
    browser.type(By.id("mqtt-topic"), wildcard);
    browser.driver.findElement(By.cssSelector("#mqtt-publish button[type=submit]")).click();
    browser.waitForText(By.id("mqtt-publish-error"), "Not published: " + detail);
    assertThat(browser.driver.findElement(By.id("mqtt-topic")).getAttribute("aria-invalid"))
        .isEqualTo("true");
    assertThat(browser.driver.findElement(By.id("mqtt-publish-result")).getText()).isEmpty();
    browser.screenshot("mqtt-publish");
  }

  @Test
  void aViewerSeesTheTopicsButNoPublishForm() {
    String password = "pw-" + UUID.randomUUID();
    TestSecrets.remember(password);
    await(browser.lab.client.users().create("mqtt-viewer", password, "viewer"));
    browser.loginAs("mqtt-viewer", password);
    openPage();
    browser.waitForText(row(BEFORE), "on");
    assertThat(browser.driver.findElements(By.id("mqtt-publish"))).isEmpty();
    assertThat(browser.driver.findElement(By.id("mqtt-publish-area")).getText()).isEmpty();
  }

  /** Opens the page and waits until its stream is open, its list read and its form decided. */
  private static void openPage() {
    browser.open("mqtt");
    browser.waitFor(By.cssSelector("section[data-state=live] #mqtt-stream-status"));
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(
                    "#mqtt-content[data-loaded=true] #mqtt-publish-area[data-ready=true]")));
  }

  private static String rowSelector(String topic) {
    return "#mqtt-rows tr[data-topic=\"" + topic + "\"]";
  }

  private static By row(String topic) {
    return By.cssSelector(rowSelector(topic));
  }

  private static By line(String topic) {
    return By.cssSelector("#mqtt-stream li[data-topic=\"" + topic + "\"]");
  }
}
