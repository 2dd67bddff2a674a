package dev.homelab.examples;

import dev.homelab.client.BlockingHomelabClient;
import dev.homelab.client.HomelabClient;
import dev.homelab.client.HomelabClientOptions;
import dev.homelab.client.files.BlockingFiles;
import dev.homelab.client.files.FileQuery;
import dev.homelab.client.files.FileStats;
import dev.homelab.client.files.NewShare;
import dev.homelab.client.files.Share;
import dev.homelab.client.files.StoredFile;
import dev.homelab.client.files.UploadOptions;
import dev.homelab.client.files.UploadSession;
import dev.homelab.client.files.UploadSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The file store through the blocking client: a multipart upload with tags and progress, the same
 * bytes again (stored once), a listing by tag, a resumable (tus) upload created first and finished
 * from its url, a download checked against its SHA-256, a share link and the stats.
 *
 * <p>Start the server first ({@code java -jar homelab-server/target/homelab-server.jar}) and put
 * its access token in the environment variable {@code HOMELAB_ACCESS_TOKEN}. Pass the server's base
 * url as the first argument if it is not {@code http://127.0.0.1:8000}. The files it writes go to a
 * temporary directory.
 */
public final class FilesExample {

  private FilesExample() {}

  public static void main(String[] args) throws IOException {
    String baseUrl = args.length > 0 ? args[0] : HomelabClientOptions.DEFAULT_BASE_URL;
    String accessToken = System.getenv("HOMELAB_ACCESS_TOKEN");
    if (accessToken == null || accessToken.isBlank()) {
      System.err.println("Set HOMELAB_ACCESS_TOKEN to the server's access token.");
      System.exit(2);
    }
    run(baseUrl, accessToken, Files.createTempDirectory("homelab-files"))
        .forEach(System.out::println);
  }

  // snippet:files
  static List<String> run(String baseUrl, String accessToken, Path dir) throws IOException {
    BlockingHomelabClient client =
        HomelabClient.create(new HomelabClientOptions().setBaseUrl(baseUrl)).blocking();
    try {
      client.auth().login(accessToken);
      BlockingFiles files = client.files();
      List<String> out = new ArrayList<>();

      // Multipart, streamed from disk. Progress is heard on an event loop: keep it short.
      Path report = Files.writeString(dir.resolve("report.txt"), "quarterly numbers\n");
      long[] sent = {0};
      StoredFile stored =
          files.upload(
              report,
              UploadOptions.create()
                  .withTags("docs", "2026")
                  .withProgress((bytes, total) -> sent[0] = bytes));
      out.add(stored.filename() + " " + stored.tags() + ", " + sent[0] + " bytes sent");
      // The same bytes under another name: a second file, one blob on disk.
      files.upload(
          UploadSource.of("copy.txt", "text/plain", Files.readAllBytes(report)),
          UploadOptions.create().withTags("docs"));
      for (StoredFile file : files.autoPagingIterable(FileQuery.create().withTag("docs"))) {
        out.add("tagged docs: " + file.filename()); // newest first
      }

      // Resumable (tus): create it first and keep its url, and any process can finish it, from
      // the server's offset, after a dropped connection or a restart.
      Path image = Files.write(dir.resolve("disk.img"), new byte[3 * 1024 * 1024]);
      UploadSession upload = files.createUpload(image, UploadOptions.create().withTags("backup"));
      StoredFile backup =
          files.resumeUpload(upload.url(), image, UploadOptions.create().withChunkSize(1 << 20));
      out.add(backup.filename() + ": " + backup.size() + " bytes over tus");

      // A partial target would be resumed with a Range; the result is checked against the SHA-256.
      Path copy = dir.resolve("disk-copy.img");
      files.download(backup.id(), copy);
      out.add("downloaded " + Files.size(copy) + " bytes, SHA-256 checked");

      // A link anyone may use once within a day, without logging in; its token is shown only now.
      Share share =
          files.createShare(
              stored.id(), NewShare.create().withExpiresIn(Duration.ofDays(1)).withMaxDownloads(1));
      out.add(
          "share link: " + share.url().length() + " characters, " + share.maxDownloads() + " use");

      FileStats stats = files.stats();
      out.add(stats.count() + " files, " + stats.savedBytes() + " bytes saved by deduplication");
      return out;
    } finally {
      client.close();
    }
  }
  // end:files
}
