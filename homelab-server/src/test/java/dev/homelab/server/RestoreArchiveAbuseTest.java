package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.server.admin.AdminCommands;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code restore} command against archives made to hurt (reliability row B7): names that climb
 * out of the data directory or the file store's blobs, a decompression bomb, sizes the disk cannot
 * hold, and manifests that lie or are not JSON. Each is refused with exit code 2 before anything is
 * replaced or left behind; a well-formed archive of the same shape restores, so each refusal is the
 * abuse's.
 */
class RestoreArchiveAbuseTest {

  @TempDir Path dir;

  private Path dataDir;
  private Map<String, String> settings;
  private byte[] database;

  @BeforeEach
  void emptyTargetAndAValidDatabase() throws Exception {
    dataDir = dir.resolve("data");
    settings = Map.of("DATA_DIR", dataDir.toString(), "LOG_DIR", "");
    Path source = dir.resolve("source.db");
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + source);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
      statement.execute("INSERT INTO notes (text) VALUES ('restored')");
    }
    database = Files.readAllBytes(source);
  }

  @Test
  void aWellFormedArchiveOfTheSameShapeRestores() throws Exception {
    Path archive = archive(entries("data/notes/readme.txt", "kept"), manifest -> {});
    AdminRun run = restore(archive);
    assertThat(run.code()).as(run.printed()).isZero();
    assertThat(dataDir.resolve("homelab.db")).exists();
    assertThat(dataDir.resolve("notes/readme.txt")).hasContent("kept");
    assertNoWorkingFilesLeft();
  }

  @Test
  void namesOutsideTheDataDirectoryOrTheBlobsAreRefusedBeforeTheDatabaseIsReplaced()
      throws Exception {
    for (String name :
        List.of(
            "data/../evil.txt",
            "data/notes/../../../evil.txt",
            "data//tmp/evil.txt",
            "data/",
            "files/../evil.txt",
            "files/tmp/not-a-blob",
            "files/blobs/../../evil.txt",
            "data/.homelab-restore-1/evil.txt",
            "elsewhere/evil.txt",
            "data/nul\u0000.txt",
            // Under data/ but never data: the database itself, SQLite's journal, the file store.
            "data/homelab.db",
            "data/homelab.db-wal",
            "data/files/blobs/ab/cd/evil",
            "data/files/tmp/evil")) {
      Path archive = archive(entries(name, "evil"), manifest -> {});
      AdminRun run = restore(archive);
      assertThat(run.code()).as(name + ": " + run.printed()).isEqualTo(AdminCommands.EXIT_REFUSED);
      assertThat(run.err()).as(name).startsWith("Refused: ").contains("the backup");
      assertNothingRestored(name);
    }
    assertThat(dir.resolve("evil.txt")).doesNotExist();
    assertThat(Path.of("/tmp/evil.txt")).doesNotExist();
  }

  @Test
  void targetsThatClashAreRefusedBeforeTheDatabaseIsReplaced() throws Exception {
    Map<String, Map<String, byte[]>> clashes = new LinkedHashMap<>();
    clashes.put("one place, two names", entries("data/notes/a.txt", "one"));
    clashes.get("one place, two names").put("data/notes/./a.txt", bytes("two"));
    clashes.put("a file where a folder goes", entries("data/notes", "a file"));
    clashes.get("a file where a folder goes").put("data/notes/a.txt", bytes("inside"));
    for (Map.Entry<String, Map<String, byte[]>> clash : clashes.entrySet()) {
      AdminRun run = restore(archive(clash.getValue(), manifest -> {}));
      assertThat(run.code())
          .as(clash.getKey() + ": " + run.printed())
          .isEqualTo(AdminCommands.EXIT_REFUSED);
      assertNothingRestored(clash.getKey());
    }
    // A folder of the disk where the archive has a file: refused even with --force.
    Files.createDirectories(dataDir.resolve("notes/readme.txt"));
    AdminRun forced =
        AdminRun.of(
            settings,
            List.of(
                "restore",
                archive(entries("data/notes/readme.txt", "kept"), manifest -> {}).toString(),
                "--force"));
    assertThat(forced.code()).as(forced.printed()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(forced.err()).contains("is a directory here");
    assertThat(dataDir.resolve("homelab.db")).doesNotExist();
  }

  @Test
  void aFormatThatIsNotANumberIsRefused() throws Exception {
    AdminRun run =
        restore(archive(entries("data/notes/readme.txt", "kept"), m -> m.put("format", "1")));
    assertThat(run.code()).as(run.printed()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(run.err()).contains("this backup has format 1");
    assertNothingRestored("format");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aDecompressionBombIsRefusedAtItsListedSize() throws Exception {
    // 256 MiB of zeros deflate to about 256 KiB; the manifest says 1000 bytes.
    long bomb = 256L * 1024 * 1024;
    Path archive = dir.resolve("bomb.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(archive))) {
      put(zip, "database/homelab.db", database);
      zip.putNextEntry(new ZipEntry("data/bomb.bin"));
      byte[] zeros = new byte[1024 * 1024];
      for (long written = 0; written < bomb; written += zeros.length) {
        zip.write(zeros);
      }
      zip.closeEntry();
      JsonArray listed =
          new JsonArray()
              .add(listed("database/homelab.db", database))
              .add(
                  new JsonObject()
                      .put("name", "data/bomb.bin")
                      .put("size", 1000)
                      .put("sha256", sha256(new byte[1000])));
      put(zip, "manifest.json", manifest(listed).encode().getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Files.size(archive)).isLessThan(bomb / 100);
    AdminRun run = restore(archive);
    assertThat(run.code()).as(run.printed()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(run.err()).contains("data/bomb.bin is larger than its manifest says (1000 bytes)");
    assertNothingRestored("bomb");
  }

  @Test
  void entriesTheDiskCannotHoldAreRefusedBeforeExtracting() throws Exception {
    Path archive =
        archive(
            entries("data/big.bin", "small in fact"),
            manifest ->
                manifest
                    .getJsonArray("entries")
                    .getJsonObject(1)
                    .put("size", 1L << 50)); // a petabyte
    AdminRun run = restore(archive);
    assertThat(run.code()).as(run.printed()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(run.err()).contains("the backup needs").contains("MB free");
    assertNothingRestored("petabyte");
  }

  @Test
  void manifestsThatLieOrAreNotJsonAreRefused() throws Exception {
    Map<String, Consumer<JsonObject>> lies = new LinkedHashMap<>();
    lies.put("no entries", manifest -> manifest.remove("entries"));
    lies.put("entries not a list", manifest -> manifest.put("entries", "all of them"));
    lies.put("an entry not an object", manifest -> manifest.getJsonArray("entries").add(7));
    lies.put("no checksum", manifest -> entry(manifest, 1).remove("sha256"));
    lies.put("a bad checksum", manifest -> entry(manifest, 1).put("sha256", "00"));
    lies.put("a negative size", manifest -> entry(manifest, 1).put("size", -1));
    lies.put("a fractional size", manifest -> entry(manifest, 1).put("size", 3.5));
    lies.put("a smaller size", manifest -> entry(manifest, 1).put("size", 1));
    lies.put("a name twice", manifest -> manifest.getJsonArray("entries").add(entry(manifest, 1)));
    lies.put("another database", manifest -> manifest.put("database", "data/notes/readme.txt"));
    lies.put("no database entry", manifest -> manifest.getJsonArray("entries").getList().remove(0));
    for (Map.Entry<String, Consumer<JsonObject>> lie : lies.entrySet()) {
      Path archive = archive(entries("data/notes/readme.txt", "kept"), lie.getValue());
      AdminRun run = restore(archive);
      assertThat(run.code())
          .as(lie.getKey() + ": " + run.printed())
          .isEqualTo(AdminCommands.EXIT_REFUSED);
      assertThat(run.err()).as(lie.getKey()).startsWith("Refused: ");
      assertNothingRestored(lie.getKey());
    }
    Path notJson = dir.resolve("not-json.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(notJson))) {
      put(zip, "database/homelab.db", database);
      put(zip, "manifest.json", "{\"format\": 1, ".getBytes(StandardCharsets.UTF_8));
    }
    AdminRun run = restore(notJson);
    assertThat(run.code()).as(run.printed()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(run.err()).contains("manifest.json is not a JSON object");
    assertNothingRestored("not json");
  }

  private AdminRun restore(Path archive) {
    return AdminRun.of(settings, List.of("restore", archive.toString()));
  }

  private void assertNothingRestored(String what) throws IOException {
    assertThat(dataDir.resolve("homelab.db")).as(what).doesNotExist();
    if (Files.isDirectory(dataDir)) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        assertThat(files.filter(Files::isRegularFile).toList()).as(what).isEmpty();
      }
    }
    assertNoWorkingFilesLeft();
  }

  private void assertNoWorkingFilesLeft() throws IOException {
    if (Files.isDirectory(dataDir)) {
      try (Stream<Path> children = Files.list(dataDir)) {
        assertThat(children.map(path -> path.getFileName().toString()))
            .noneMatch(name -> name.startsWith(".homelab-restore-"));
      }
    }
  }

  private Map<String, byte[]> entries(String name, String content) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("database/homelab.db", database);
    entries.put(name, content.getBytes(StandardCharsets.UTF_8));
    return entries;
  }

  /** A zip of the entries with a manifest listing them truthfully, then changed by {@code lie}. */
  private Path archive(Map<String, byte[]> entries, Consumer<JsonObject> lie) throws Exception {
    JsonArray listed = new JsonArray();
    entries.forEach((name, bytes) -> listed.add(listed(name, bytes)));
    JsonObject manifest = manifest(listed);
    lie.accept(manifest);
    Path archive = Files.createTempFile(dir, "archive-", ".zip");
    try (OutputStream file = Files.newOutputStream(archive);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        put(zip, entry.getKey(), entry.getValue());
      }
      put(zip, "manifest.json", manifest.encode().getBytes(StandardCharsets.UTF_8));
    }
    return archive;
  }

  private static JsonObject manifest(JsonArray listed) {
    return new JsonObject()
        .put("format", 1)
        .put("homelab_version", "test")
        .put("kind", "sqlite")
        .put("schema_version", "1")
        .put("created_at", "2026-12-07T00:00:00Z")
        .put("database", "database/homelab.db")
        .put("entries", listed);
  }

  private static JsonObject entry(JsonObject manifest, int index) {
    return manifest.getJsonArray("entries").getJsonObject(index);
  }

  private static JsonObject listed(String name, byte[] bytes) {
    return new JsonObject()
        .put("name", name)
        .put("size", bytes.length)
        .put("sha256", sha256(bytes));
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
