package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.core.testing.ConnectionCutter;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real server (see {@link ServerTesting}) and a headless Chromium driving its dashboard, for one
 * test class: start it in {@code @BeforeAll}, close it in {@code @AfterAll}, and let the class's
 * tests share the browser.
 *
 * <p>It drives Debian's {@code chromium} through {@code chromium-driver} ({@code /usr/bin}); the
 * build sets {@code SE_OFFLINE} so that Selenium never downloads a browser or a driver. The browser
 * records its console, so that {@link #assertConsoleClean()} finds any script error or
 * Content-Security-Policy violation. Waits use {@link WebDriverWait}, never a sleep.
 */
final class BrowserTesting implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** The desktop viewport of the screenshots, and the one the tests run at. */
  static final Dimension DESKTOP = new Dimension(1280, 800);

  /** A phone's viewport (an iPhone 14's, in CSS pixels). */
  static final Dimension PHONE = new Dimension(390, 844);

  /** Where {@link #screenshot} writes, under the module's build directory. */
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** How long a wait lasts before it fails the test. */
  static final Duration WAIT = Duration.ofSeconds(10);

  final ServerTesting lab;
  final ChromeDriver driver;

  /**
   * The browser reaches the server through this relay, so that a test can take the connection away
   * ({@link ConnectionCutter#cut()}) and give it back.
   */
  final ConnectionCutter connections;

  /** The dashboard's address, the relay's: {@code http://127.0.0.1:<port>}. */
  final String baseUrl;

  private final ChromeDriverService service;
  private final List<String> console = new ArrayList<>();
  private Dimension viewport = DESKTOP;

  private BrowserTesting(
      ServerTesting lab,
      ConnectionCutter connections,
      ChromeDriverService service,
      ChromeDriver driver) {
    this.lab = lab;
    this.connections = connections;
    this.service = service;
    this.driver = driver;
    this.baseUrl = "http://127.0.0.1:" + connections.port();
  }

  /**
   * Starts a server and a browser at the {@link #DESKTOP} size.
   *
   * @param dataDir the server's data directory
   * @param settings configuration on top of {@link ServerTesting}'s
   * @return the harness
   */
  static BrowserTesting start(Path dataDir, Map<String, String> settings) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      throw new IllegalStateException(
          "The browser tests need Debian's chromium and its driver at "
              + CHROMIUM
              + " and "
              + CHROMEDRIVER
              + ": apt-get install chromium chromium-driver (.ci/run does)");
    }
    ServerTesting lab = ServerTesting.start(dataDir, settings);
    ConnectionCutter connections = null;
    ChromeDriverService service = null;
    try {
      connections = ConnectionCutter.start(lab.vertx, lab.server.port());
      service =
          new ChromeDriverService.Builder()
              .usingDriverExecutable(CHROMEDRIVER.toFile())
              .usingAnyFreePort()
              .withLogFile(new File("target/chromedriver.log"))
              .build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments(
          "--headless=new",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-dev-shm-usage",
          "--no-first-run",
          "--disable-extensions",
          "--window-size=" + DESKTOP.width + "," + DESKTOP.height);
      LoggingPreferences logging = new LoggingPreferences();
      logging.enable(LogType.BROWSER, Level.ALL);
      options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
      ChromeDriver driver = new ChromeDriver(service, options);
      BrowserTesting browser = new BrowserTesting(lab, connections, service, driver);
      browser.viewport(DESKTOP);
      return browser;
    } catch (RuntimeException e) {
      if (service != null) {
        service.stop();
      }
      if (connections != null) {
        connections.close();
      }
      lab.close();
      throw e;
    }
  }

  /**
   * Opens a page of the dashboard and waits for its script to have drawn it.
   *
   * @param route a hash route such as {@code overview}, or empty for the start page
   */
  void open(String route) {
    driver.get(baseUrl + "/" + (route.isEmpty() ? "" : "#/" + route));
    waitFor(By.cssSelector("#view h1"));
  }

  /** Forgets this tab's session and shows the login page. */
  void loggedOut() {
    driver.get(baseUrl + "/");
    driver.executeScript("sessionStorage.clear()");
    driver.navigate().refresh();
    waitFor(By.id("login-token"));
  }

  /** Logs in with the server's access token, through the login page, and waits for Overview. */
  void loginWithToken() {
    loggedOut();
    type(By.id("token"), ServerTesting.ACCESS_TOKEN);
    driver.findElement(By.cssSelector("#login-token button[type=submit]")).click();
    waitForText(By.cssSelector("#view h1"), "Overview");
  }

  /**
   * Logs in with a name and a password, through the login page, and waits for Overview.
   *
   * @param username the name
   * @param password the password
   */
  void loginAs(String username, String password) {
    loggedOut();
    type(By.id("username"), username);
    type(By.id("password"), password);
    driver.findElement(By.cssSelector("#login-password button[type=submit]")).click();
    waitForText(By.cssSelector("#view h1"), "Overview");
  }

  /**
   * Replaces an input's value.
   *
   * @param input the input
   * @param text what to type into it
   */
  void type(By input, String text) {
    WebElement field = waitFor(input);
    field.clear();
    field.sendKeys(text);
  }

  /**
   * @param timeout how long to wait at most
   * @return a wait on this browser
   */
  WebDriverWait waiting(Duration timeout) {
    return new WebDriverWait(driver, timeout);
  }

  /**
   * @param element what to wait for
   * @return the element, once it is displayed
   */
  WebElement waitFor(By element) {
    return waiting(WAIT).until(ExpectedConditions.visibilityOfElementLocated(element));
  }

  /**
   * Waits until an element's text contains a fragment.
   *
   * @param element the element
   * @param text the fragment
   */
  void waitForText(By element, String text) {
    waiting(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(element, text));
  }

  /**
   * Sets the viewport exactly (not the window, whose frame headless Chromium may count), as a
   * phone's when it is narrower than a desktop's: mobile emulation honours the page's viewport tag.
   *
   * @param size the viewport in CSS pixels
   */
  void viewport(Dimension size) {
    driver.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of(
            "width",
            size.width,
            "height",
            size.height,
            "screenWidth",
            size.width,
            "screenHeight",
            size.height,
            "deviceScaleFactor",
            1,
            "mobile",
            size.width < DESKTOP.width));
    // screen.width, not innerWidth: a phone's browser widens its layout viewport to fit a page
    // that overflows, which is what horizontalOverflow() is there to find.
    waiting(WAIT)
        .until(d -> Long.valueOf(size.width).equals(driver.executeScript("return screen.width")));
    viewport = size;
  }

  /**
   * Writes the current page at both sizes, {@code target/screenshots/<name>-1280.png} and {@code
   * <name>-390.png}, then returns to the desktop size.
   *
   * @param name the page's name in the files
   */
  void screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      for (Dimension size : List.of(DESKTOP, PHONE)) {
        viewport(size);
        afterLayout();
        Files.write(
            SCREENSHOTS.resolve(name + "-" + size.width + ".png"),
            driver.getScreenshotAs(OutputType.BYTES));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      viewport(DESKTOP);
    }
  }

  /** Returns once the browser has laid out and painted what the last change asked for. */
  void afterLayout() {
    driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + " requestAnimationFrame(() => requestAnimationFrame(() => done()));");
  }

  /**
   * @return how far the page is wider than the viewport, in CSS pixels: 0 when nothing needs a
   *     sideways scroll
   */
  long horizontalOverflow() {
    long width = (Long) driver.executeScript("return document.documentElement.scrollWidth");
    return Math.max(0, width - viewport.width);
  }

  /**
   * Fails if the current page, at a phone's width, needs a sideways scroll or puts a link of the
   * navigation out of sight; then returns to the desktop size.
   *
   * @param page the page's name in the failure
   */
  void assertFitsAPhone(String page) {
    viewport(PHONE);
    try {
      afterLayout();
      assertThat(horizontalOverflow()).as("%s scrolls sideways on a phone", page).isZero();
      for (WebElement link : driver.findElements(By.cssSelector("#nav a"))) {
        if (link.isDisplayed()) {
          assertThat(link.getRect().getX() + link.getRect().getWidth())
              .as("on %s, the %s link is within a phone's width", page, link.getText())
              .isLessThanOrEqualTo(PHONE.width);
        }
      }
    } finally {
      viewport(DESKTOP);
    }
  }

  /**
   * @return what the page's console said since the last call, each line {@code LEVEL message}
   */
  List<String> consoleSinceLastCall() {
    List<String> lines = new ArrayList<>();
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      lines.add(entry.getLevel() + " " + entry.getMessage());
    }
    console.addAll(lines);
    return lines;
  }

  /**
   * Fails if the console reported a script error or a Content-Security-Policy violation since the
   * last call. A failed request is not one: the tests cause refusals on purpose (a wrong password
   * answers 401), and Chromium reports each as "Failed to load resource".
   */
  void assertConsoleClean() {
    List<String> problems =
        consoleSinceLastCall().stream()
            .filter(line -> line.startsWith("SEVERE") || line.contains("Content Security Policy"))
            .filter(line -> !line.contains("Failed to load resource"))
            .toList();
    if (!problems.isEmpty()) {
      throw new AssertionError("The browser's console reported problems:\n" + problems);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      connections.close();
      lab.close();
    }
  }
}
