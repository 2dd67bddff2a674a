package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Files page in a real browser against a real server: two files chosen at once with their tags,
 * a third dropped on the page (its name holding markup, shown as text), the tag filter and the name
 * search, a download compared byte for byte with what was uploaded, a delete confirmed, a share
 * link fetched without logging in until it is revoked, an upload from another client showing live,
 * and big files sent resumably over tus: one whole, and one continued from where an earlier upload
 * of it stopped, through a cut connection.
 */
class FilesBrowserTest extends BrowserTestBase {

  /** Longer than {@link BrowserTesting#WAIT}: an upload of megabytes, a retry after a cut. */
  private static final Duration UPLOAD_WAIT = Duration.ofSeconds(60);

  private static final Random RANDOM = new Random();

  /**
   * A name holding markup that would run a script if it were inserted as markup, for the multipart
   * upload: the page sends the exact name in a {@code filename} field, so its {@code =} and quotes
   * come back unchanged (the multipart parser alone would turn them into spaces and {@code %22}).
   */
  private static final String MARKUP = XssBrowserTest.IMG + " dropped.txt";

  @TempDir Path local;

  @Test
  void twoFilesUploadedWithTagsAreFilteredDownloadedAndOneDeleted() throws IOException {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Path report = write("report-" + run + ".bin", 300_000);
    Path notes = write("notes-" + run + ".txt", 40_000);
    openFilesPage();

    browser.type(By.id("upload-tags"), "Docs, 2026");
    browser
        .driver
        .findElement(By.id("file-input"))
        .sendKeys(report.toAbsolutePath() + "\n" + notes.toAbsolutePath());
    uploaded(report);
    uploaded(notes);
    assertThat(
            browser.driver.findElements(By.cssSelector("#upload-list li.upload[data-method=form]")))
        .hasSize(2);
    WebElement reportRow = row(report);
    assertThat(tagsOf(reportRow)).containsExactlyInAnyOrder("docs", "2026");
    assertThat(tagsOf(row(notes))).containsExactlyInAnyOrder("docs", "2026");
    // The server has both, byte for byte, with the tags.
    JsonArray tagged = list("tag=docs&q=" + run);
    assertThat(tagged).hasSize(2);
    for (Path file : List.of(report, notes)) {
      JsonObject stored = byName(tagged, file.getFileName().toString());
      assertThat(stored.getString("sha256")).isEqualTo(sha256(file));
      assertThat(stored.getJsonArray("tags").getList()).containsExactlyInAnyOrder("docs", "2026");
    }

    // A third, dropped on the page with another tag; its name holds markup, shown as typed.
    browser.type(By.id("upload-tags"), "other");
    dropFile(MARKUP, "dropped " + run);
    browser.waitFor(
        By.cssSelector(
            "#upload-list li.upload[data-name=\""
                + cssString(MARKUP)
                + "\"]"
                + "[data-state=done]"));
    WebElement dropped = rowNamed(MARKUP);
    assertThat(dropped.findElement(By.cssSelector(".filename")).getText()).isEqualTo(MARKUP);
    assertThat(tagsOf(dropped)).containsExactly("other");
    assertThat(browser.driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
    // Edited in place: new tags.
    dropped.findElement(By.cssSelector("button.edit")).click();
    browser.type(By.cssSelector("#file-rows form.edit-file .edit-tags"), "other, Misc");
    browser
        .driver
        .findElement(By.cssSelector("#file-rows form.edit-file button[type=submit]"))
        .click();
    browser
        .waiting(BrowserTesting.WAIT)
        .ignoring(StaleElementReferenceException.class)
        .until(d -> Set.copyOf(tagsOf(rowNamed(MARKUP))).equals(Set.of("other", "misc")));

    // The tag filter: the two tagged docs, not the third; a tag's button filters by it.
    browser.type(By.id("file-tag"), "docs");
    submitFilter();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> shownNames().equals(names(List.of(report, notes))));
    row(notes).findElement(By.cssSelector("button.tag[data-tag=\"2026\"]")).click();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> shownNames().equals(names(List.of(report, notes))));
    // The name search: a part of one name, in another case.
    browser.type(By.id("file-tag"), "");
    browser.type(By.id("file-q"), "REPORT-" + run);
    submitFilter();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> shownNames().equals(List.of(report.getFileName().toString())));
    browser.type(By.id("file-q"), "");
    submitFilter();
    browser.waiting(BrowserTesting.WAIT).until(d -> shownNames().size() >= 3);

    // The storage figures are the server's.
    JsonObject stats = api(HttpMethod.GET, "/api/files/stats").bodyAsJsonObject();
    browser.waitForText(
        By.cssSelector("#file-stats dd[data-stat=count]"), String.valueOf(stats.getLong("count")));
    browser.screenshot("files");
    browser.assertFitsAPhone("files");
    browser.driver.findElement(By.id("theme")).click();
    try {
      browser.screenshot("files-light");
    } finally {
      browser.driver.findElement(By.id("theme")).click();
    }

    // Download one: the bytes saved are the bytes uploaded.
    Path downloads = Files.createDirectories(local.resolve("downloads"));
    browser.driver.executeCdpCommand(
        "Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloads.toString()));
    row(report).findElement(By.cssSelector("button.download")).click();
    Path saved = downloads.resolve(report.getFileName().toString());
    Awaitility.await()
        .atMost(UPLOAD_WAIT)
        .until(() -> Files.exists(saved) && Files.size(saved) == Files.size(report));
    assertThat(Files.readAllBytes(saved)).isEqualTo(Files.readAllBytes(report));

    // Delete the other, after the confirmation.
    String notesId = row(notes).getDomAttribute("data-id");
    row(notes).findElement(By.cssSelector("button.delete")).click();
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(ExpectedConditions.invisibilityOfElementLocated(rowBy(notes)));
    assertThat(api(HttpMethod.GET, "/api/files/" + notesId).statusCode()).isEqualTo(404);
    assertThat(browser.driver.findElements(rowBy(report))).hasSize(1);
    browser.waitForText(
        By.cssSelector("#file-stats dd[data-stat=count]"),
        String.valueOf(stats.getLong("count") - 1));

    // The Overview's card has the figures too.
    browser.open("overview");
    browser.waitForText(By.cssSelector("#files-card[data-state=shown]"), "file");
    assertThat(browser.driver.findElement(By.id("files-card")).getText()).contains("free of");
  }

  @Test
  void aShareLinkDownloadsWithoutLoggingInUntilItIsRevoked() throws IOException {
    Path photo = write("photo-" + UUID.randomUUID().toString().substring(0, 8) + ".jpg", 120_000);
    openFilesPage();
    // Uploaded by another client: the page shows it from the file.changed event.
    HttpResponse<Buffer> created =
        await(
            browser
                .lab
                .webAdmin
                .post("/api/files/upload")
                .sendMultipartForm(
                    MultipartForm.create()
                        .attribute("tags", "holiday")
                        .binaryFileUpload(
                            "file",
                            photo.getFileName().toString(),
                            photo.toString(),
                            "image/jpeg")));
    assertThat(created.statusCode()).isEqualTo(201);
    WebElement photoRow = browser.waitFor(rowBy(photo));
    assertThat(tagsOf(photoRow)).containsExactly("holiday");

    photoRow.findElement(By.cssSelector("button.share")).click();
    browser.waitForText(By.id("file-shares-title"), photo.getFileName().toString());
    browser.waitForText(By.id("share-rows"), "No links yet.");
    new Select(browser.driver.findElement(By.id("share-expiry"))).selectByVisibleText("1 day");
    browser.type(By.id("share-limit"), "2");
    browser.driver.findElement(By.cssSelector("#share-create button[type=submit]")).click();
    browser.waitForText(By.id("share-created"), "shown this once");
    String url = browser.driver.findElement(By.id("share-url")).getText();
    TestSecrets.remember(url.substring(url.lastIndexOf('/') + 1));
    assertThat(url).startsWith(browser.baseUrl + "/share/");
    browser.waitForText(By.id("share-rows"), "0 of 2");
    browser.screenshot("files-share");

    // Anyone with the link downloads the file, without a token.
    String path = URI.create(url).getPath();
    HttpResponse<Buffer> shared = await(browser.lab.web.get(path).send());
    assertThat(shared.statusCode()).isEqualTo(200);
    assertThat(shared.body().getBytes()).isEqualTo(Files.readAllBytes(photo));
    photoRow = browser.driver.findElement(rowBy(photo));
    photoRow.findElement(By.cssSelector("button.share")).click();
    browser.waitForText(By.id("share-rows"), "1 of 2");
    assertThat(browser.driver.findElement(By.id("share-created")).getText()).isEmpty();

    // Revoked: the link is a 404 at once.
    browser.driver.findElement(By.cssSelector("#share-rows button.revoke")).click();
    browser.waiting(BrowserTesting.WAIT).until(ExpectedConditions.alertIsPresent()).accept();
    browser.waitFor(By.cssSelector("#share-rows tr[data-state=revoked]"));
    assertThat(await(browser.lab.web.get(path).send()).statusCode()).isEqualTo(404);
  }

  @Test
  void aBigFileGoesOverTusAndOneStartedEarlierContinuesThroughACutConnection() throws IOException {
    String run = UUID.randomUUID().toString().substring(0, 8);
    // Above the page's 8 MiB: resumable, in chunks of 4 MiB.
    Path video = write("video-" + run + ".mp4", 12 * 1024 * 1024 + 123);
    openFilesPage();
    browser.driver.findElement(By.id("file-input")).sendKeys(video.toAbsolutePath().toString());
    WebElement done = uploaded(video, UPLOAD_WAIT);
    assertThat(done.getDomAttribute("data-method")).isEqualTo("tus");
    assertThat(byName(list("q=" + run), video.getFileName().toString()).getString("sha256"))
        .isEqualTo(sha256(video));
    assertThat(storedUploads()).isZero();

    // An upload of another file stopped after its first 5 MB (the state a closed tab leaves:
    // the server holds those bytes, the browser remembers where): choosing the file again
    // continues it, even though the connection is cut when it starts.
    // Its name holds markup that would run a script: tus carries it whole (base64 metadata).
    Path archive = write(XssBrowserTest.IMG + "-" + run + ".tar", 10 * 1024 * 1024 + 7);
    Files.setLastModifiedTime(archive, FileTime.fromMillis(1_765_000_000_000L));
    byte[] bytes = Files.readAllBytes(archive);
    String upload = startUpload(archive, 5_000_000);
    browser.driver.executeScript(
        // tus.js's key: the user (the subject of the session's token), then the file.
        "const token = sessionStorage.getItem('homelab.token').split('.')[1];"
            + " const user = JSON.parse(atob(token.replace(/-/g, '+').replace(/_/g, '/'))).sub;"
            + " localStorage.setItem('homelab.tus.' + user + ':' + JSON.stringify([arguments[0],"
            + " arguments[1], arguments[2]]), JSON.stringify({url: arguments[3], name: arguments[0],"
            + " size: arguments[1]}))",
        archive.getFileName().toString(),
        bytes.length,
        1_765_000_000_000L,
        upload);
    openFilesPage();
    browser.waitForText(By.id("unfinished-uploads"), archive.getFileName().toString());
    browser.screenshot("files-uploads");

    try {
      browser.connections.cut();
      browser.driver.findElement(By.id("file-input")).sendKeys(archive.toAbsolutePath().toString());
      browser.waitFor(
          By.cssSelector(
              "#upload-list li.upload[data-name=\""
                  + cssString(archive.getFileName().toString())
                  + "\"]"
                  + "[data-state=retrying]"));
    } finally {
      browser.connections.restore();
    }
    WebElement resumed = uploaded(archive, UPLOAD_WAIT);
    assertThat(resumed.getDomAttribute("data-resumed")).isEqualTo("true");
    assertThat(resumed.getText()).contains("continued from 4.8 MiB");
    JsonObject stored = byName(list("q=" + run), archive.getFileName().toString());
    assertThat(stored.getString("sha256")).isEqualTo(sha256(archive));
    assertThat(stored.getString("id")).isEqualTo(resumed.getDomAttribute("data-id"));
    // It was that upload that ended, not a new one.
    HttpResponse<Buffer> session =
        await(browser.lab.webAdmin.head(upload).putHeader("Tus-Resumable", "1.0.0").send());
    if (session.statusCode() == 200) {
      assertThat(session.getHeader("Upload-Offset")).isEqualTo(String.valueOf(bytes.length));
    } else {
      assertThat(session.statusCode()).isEqualTo(404);
    }
    assertThat(storedUploads()).isZero();
    browser
        .waiting(BrowserTesting.WAIT)
        .until(d -> d.findElement(By.id("unfinished-uploads")).getText().isEmpty());
    assertThat(browser.waitFor(rowBy(archive)).findElement(By.cssSelector(".filename")).getText())
        .isEqualTo(archive.getFileName().toString());
    assertThat(browser.driver.executeScript("return window.__xss === undefined")).isEqualTo(true);
  }

  // ---- the page ----

  private static void openFilesPage() {
    browser.loginWithToken();
    browser.open("files");
    // The event stream is open and the first figures came: what happens now shows.
    browser
        .waiting(BrowserTesting.WAIT)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#file-list[data-live=true]")));
    browser.waitFor(By.cssSelector("#file-stats-card[data-loaded=true]"));
  }

  /** Waits for a file's upload to be done, and returns its line. */
  private static WebElement uploaded(Path file) {
    return uploaded(file, BrowserTesting.WAIT);
  }

  private static WebElement uploaded(Path file, Duration wait) {
    By line =
        By.cssSelector(
            "#upload-list li.upload[data-name=\""
                + cssString(file.getFileName().toString())
                + "\"]");
    browser
        .waiting(wait)
        .until(
            d -> {
              String state = d.findElement(line).getDomAttribute("data-state");
              if ("failed".equals(state)) {
                throw new AssertionError(
                    "the upload of "
                        + file.getFileName()
                        + " failed: "
                        + d.findElement(line).getText());
              }
              return "done".equals(state);
            });
    return browser.driver.findElement(line);
  }

  private static By rowBy(Path file) {
    return By.cssSelector(
        "#file-rows tr[data-name=\"" + cssString(file.getFileName().toString()) + "\"]");
  }

  private static WebElement row(Path file) {
    return browser.waitFor(rowBy(file));
  }

  private static WebElement rowNamed(String name) {
    return browser.waitFor(By.cssSelector("#file-rows tr[data-name=\"" + cssString(name) + "\"]"));
  }

  private static List<String> tagsOf(WebElement row) {
    return row.findElements(By.cssSelector("button.tag")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private static List<String> shownNames() {
    return browser.driver.findElements(By.cssSelector("#file-rows tr[data-name]")).stream()
        .map(r -> r.getDomAttribute("data-name"))
        .sorted()
        .toList();
  }

  private static List<String> names(List<Path> files) {
    return files.stream().map(f -> f.getFileName().toString()).sorted().toList();
  }

  private static void submitFilter() {
    browser
        .driver
        .findElement(By.cssSelector("#file-list form.inline button[type=submit]"))
        .click();
  }

  /** Drops a file made in the page on the drop zone, as a drag from the desktop would. */
  private static void dropFile(String name, String content) {
    browser.driver.executeScript(
        "const data = new DataTransfer();"
            + " data.items.add(new File([arguments[1]], arguments[0], {type: 'text/plain'}));"
            + " const zone = document.getElementById('file-drop');"
            + " for (const type of ['dragenter', 'dragover', 'drop']) {"
            + "   zone.dispatchEvent(new DragEvent(type, {bubbles: true, cancelable: true,"
            + " dataTransfer: data}));"
            + " }",
        name,
        content);
  }

  /** A name as a CSS string's content: its quotes and backslashes escaped. */
  private static String cssString(String name) {
    return name.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  // ---- the server, as the administrator the page is logged in as ----

  private static HttpResponse<Buffer> api(HttpMethod method, String path) {
    return await(browser.lab.webAdmin.request(method, path).send());
  }

  private static JsonArray list(String query) {
    HttpResponse<Buffer> answer = api(HttpMethod.GET, "/api/files?limit=200&" + query);
    assertThat(answer.statusCode()).isEqualTo(200);
    return answer.bodyAsJsonObject().getJsonArray("files");
  }

  private static JsonObject byName(JsonArray files, String name) {
    return files.stream()
        .map(JsonObject.class::cast)
        .filter(f -> f.getString("filename").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no file " + name + " in " + files.encode()));
  }

  /** How many resumable uploads the page's browser still remembers. */
  private static long storedUploads() {
    return (Long)
        browser.driver.executeScript(
            "return Object.keys(localStorage).filter((k) => k.startsWith('homelab.tus.')).length");
  }

  /** Creates a tus upload of a file and sends its first bytes: the upload's path. */
  private static String startUpload(Path file, int first) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String name =
        Base64.getEncoder()
            .encodeToString(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
    HttpResponse<Buffer> created =
        await(
            browser
                .lab
                .webAdmin
                .post("/api/files/uploads")
                .putHeader("Tus-Resumable", "1.0.0")
                .putHeader("Upload-Length", String.valueOf(bytes.length))
                .putHeader("Upload-Metadata", "filename " + name)
                .send());
    assertThat(created.statusCode()).isEqualTo(201);
    String path = URI.create(created.getHeader("Location")).getPath();
    HttpResponse<Buffer> sent =
        await(
            browser
                .lab
                .webAdmin
                .request(HttpMethod.PATCH, path)
                .putHeader("Tus-Resumable", "1.0.0")
                .putHeader("Upload-Offset", "0")
                .putHeader("Content-Type", "application/offset+octet-stream")
                .sendBuffer(Buffer.buffer(bytes).slice(0, first)));
    assertThat(sent.statusCode()).isEqualTo(204);
    assertThat(sent.getHeader("Upload-Offset")).isEqualTo(String.valueOf(first));
    return path;
  }

  // ---- local files ----

  private Path write(String name, int size) throws IOException {
    byte[] bytes = new byte[size];
    RANDOM.nextBytes(bytes);
    return Files.write(local.resolve(name), bytes);
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
