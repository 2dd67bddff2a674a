package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabNotFoundException;
import dev.homelab.client.devices.Device;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.client.sensors.SensorQuery;
import dev.homelab.client.sensors.SensorReading;
import dev.homelab.core.testing.Mosquitto;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The Sensors and Device history pages in a real browser, against a server bridged to the real
 * Mosquitto on 127.0.0.1:1883 with zigbee2mqtt's base topic under a prefix of this run's own: a
 * reading sent through the client appears live on the Sensors page, in its latest figures and its
 * chart (an empty page says how to send one); a zigbee2mqtt state published with {@code
 * mosquitto_pub} shows in the device's history, reached from its row on the MQTT page; a topic
 * never recorded says so. Names and states holding markup are shown as text.
 */
class SensorsBrowserTest extends BrokerBrowserTestBase {

  private static final String PREFIX = Mosquitto.uniquePrefix("webdev");
  private static final String BASE = PREFIX + "/zigbee2mqtt";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void start() {
    browser =
        BrowserTesting.start(
            dir,
            Map.of(
                "MQTT_URL",
                "mqtt://127.0.0.1:1883",
                "MQTT_SUBSCRIPTIONS",
                PREFIX + "/#",
                "MQTT_ZIGBEE2MQTT_BASE_TOPICS",
                BASE));
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> await(browser.lab.client.mqtt().topics()).connected());
  }

  @Test
  void aReadingSentThroughTheClientAppearsLiveInTheLatestFiguresAndTheChart() {
    // No sensor yet (the other test makes none): the page says how a device sends readings.
    browser.loginWithToken();
    browser.open("sensors");
    browser.waitForText(By.id("sensors-empty"), "homelab/sensors/{device_id}");
    assertThat(browser.driver.findElement(By.id("sensors-empty")).getText())
        .contains("POST /api/sensors/ingest")
        .contains("1884");
    browser.screenshot("sensors-empty");

    Device sensor =
        await(browser.lab.client.devices().create(new NewDevice(XssBrowserTest.IMG, "sensor")));
    // A device of another type is shown once it has sent readings (its history names a field).
    Device thermostat =
        await(browser.lab.client.devices().create(new NewDevice("hall", "thermostat")));
    await(browser.lab.client.devices().create(new NewDevice("a lock", "lock")));
    await(browser.lab.client.sensors().ingest(SensorReading.of(thermostat.id()).with("co2", 612)));
    Awaitility.await()
        .atMost(WAIT)
        .until(
            () ->
                await(
                    browser.lab.client.sensors().readings(SensorQuery.last(thermostat.id(), "1h"))),
            h -> h.fields().contains("co2"));
    browser.open("overview");
    browser.open("sensors");
    String card = "section.sensor[data-device=\"" + sensor.id() + "\"]";
    // The card has read its (empty) history and the event stream is open: what comes now is live.
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(
                    "#sensors-list[data-live=true][data-loaded=true] "
                        + card
                        + "[data-loaded=true]")));
    assertThat(browser.driver.findElement(By.cssSelector(card + " h2")).getText())
        .isEqualTo(XssBrowserTest.IMG);
    assertThat(browser.driver.findElement(By.cssSelector(card + " .history-status")).getText())
        .isEqualTo("No readings in the last 1 hour.");
    assertThat(browser.driver.findElements(By.id("sensors-empty"))).isEmpty();
    browser.waitForText(
        By.cssSelector(
            "section.sensor[data-device=\"" + thermostat.id() + "\"] dd[data-field=co2]"),
        "612");
    assertThat(browser.driver.findElements(By.cssSelector("section.sensor"))).hasSize(2);

    await(
        browser
            .lab
            .client
            .sensors()
            .ingest(SensorReading.of(sensor.id()).with("temperature", 21.5).with("humidity", 45)));
    browser.waitForText(By.cssSelector(card + " dd[data-field=temperature]"), "21.5");
    browser.waitForText(By.cssSelector(card + " dd[data-field=humidity]"), "45");
    browser.waitForText(By.cssSelector(card + " .sensor-time"), "Latest:");
    assertThat(browser.driver.findElement(By.cssSelector(card + " .sensor-time")).getText())
        .doesNotContain("stale");
    // Its chart: one per field, each with the value in its summary.
    browser.waitForText(
        By.cssSelector(card + " section.chart[aria-label=temperature] .summary"), "last 21.50");
    browser.waitForText(
        By.cssSelector(card + " section.chart[aria-label=humidity] .summary"), "last 45.00");
    assertThat(
            browser.driver.findElements(
                By.cssSelector(card + " section.chart[aria-label=temperature] canvas")))
        .isNotEmpty();
    assertThat(browser.driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
    browser.screenshot("sensors");
    browser.assertFitsAPhone("sensors");

    // A field unticked leaves the charts.
    browser.driver.findElement(By.cssSelector(card + " input[data-field=humidity]")).click();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector(card + " section.chart[aria-label=humidity]")));
    assertThat(
            browser.driver.findElements(
                By.cssSelector(card + " section.chart[aria-label=temperature]")))
        .hasSize(1);
  }

  @Test
  void aZigbee2mqttStatePublishedOutsideShowsInTheDevicesHistory() {
    String lamp = BASE + "/living room/lamp";
    Mosquitto.publish(
        lamp,
        "{\"state\":\"ON\",\"brightness\":200,\"note\":" + quoted(XssBrowserTest.IMG) + "}",
        false);
    Mosquitto.publish(lamp + "/availability", "{\"state\":\"online\"}", true);
    retained.add(lamp + "/availability");
    // Recorded, with its series, before the page reads it.
    Awaitility.await()
        .atMost(WAIT)
        .ignoreException(HomelabNotFoundException.class)
        .until(
            () -> await(browser.lab.client.metrics().device(lamp, "1h")),
            h -> !h.states().isEmpty() && !h.availability().isEmpty() && !h.series().isEmpty());

    browser.loginWithToken();
    browser.open("mqtt");
    By link = By.cssSelector("#mqtt-rows tr[data-topic=\"" + lamp + "\"] a.topic-history");
    browser.waitFor(link).click();
    browser.waitForText(By.id("device-status"), "1 state change and 1 availability change");
    assertThat(browser.driver.findElement(By.id("device-topic")).getDomProperty("value"))
        .isEqualTo(lamp);
    String state =
        browser
            .driver
            .findElement(By.cssSelector("#device-states pre"))
            .getDomProperty("textContent");
    assertThat(state)
        .contains("\"state\":\"ON\"")
        .contains("\"brightness\":200")
        .contains("\"note\":" + quoted(XssBrowserTest.IMG));
    assertThat(browser.driver.findElement(By.id("device-availability")).getText())
        .contains("online");
    browser.waitForText(
        By.cssSelector("#device-charts section.chart[aria-label=brightness] .summary"), "last 200");
    assertThat(browser.driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
    browser.screenshot("device-history");
    browser.assertFitsAPhone("device-history");

    // A topic never recorded: said so, not an error.
    browser.type(By.id("device-topic"), BASE + "/nothing here");
    browser.driver.findElement(By.cssSelector("#device-form button[type=submit]")).click();
    browser.waitForText(By.id("device-status"), "No history recorded yet for this topic.");
    assertThat(browser.driver.findElement(By.id("device-error")).getText()).isEmpty();
    assertThat(browser.driver.findElement(By.id("device-result")).isDisplayed()).isFalse();
  }
}
