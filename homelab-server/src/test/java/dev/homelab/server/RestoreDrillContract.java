package dev.homelab.server;

import static dev.homelab.core.testing.VertxTesting.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.client.HomelabClient;
import dev.homelab.client.access.NewCardPolicy;
import dev.homelab.client.devices.NewDevice;
import dev.homelab.core.store.Storage;
import dev.homelab.core.store.StorageKind;
import dev.homelab.server.admin.AdminCommands;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore drill, on both engines: data written through the real server and client, backed up
 * (once while the server runs and writes, once stopped), restored into an empty database and data
 * directory, and compared table by table, row by row, file by file.
 */
abstract class RestoreDrillContract {

  @TempDir Path dir;

  /** The tables {@link #writeEverything} and the host monitor write rows to. */
  static final List<String> WRITTEN =
      List.of(
          "users",
          "devices",
          "settings",
          "card_policies",
          "access_logs",
          "audit_log",
          "metric_points",
          "sensor_readings",
          "files",
          "file_tags",
          "blobs",
          "file_shares");

  /** A new, empty database: the server settings that select it (DATABASE_URL, ...). */
  abstract Map<String, String> newDatabase(Path dataDir);

  /** A JDBC connection to the database those settings select. */
  abstract Connection connect(Map<String, String> settings) throws SQLException;

  /** The schema whose tables are compared, or null for the default. */
  abstract String schema();

  /** A secret that must never be printed (a password in the database url), or null. */
  String secret() {
    return null;
  }

  AdminRun command(Map<String, String> settings, String... args) {
    AdminRun result = AdminRun.of(settings, List.of(args));
    if (secret() != null) {
      assertThat(result.printed()).doesNotContain(secret());
    }
    return result;
  }

  Map<String, String> settings(Path dataDir, Map<String, String> database) {
    Map<String, String> settings = new HashMap<>(database);
    settings.put("DATA_DIR", dataDir.toString());
    settings.put("LOG_DIR", "");
    settings.put("METRICS_INTERVAL_HOST", "1");
    return settings;
  }

  @Test
  void everyRowAndFileComesBackInAnEmptyDatabaseAndDataDirectory() throws Exception {
    Path dataA = dir.resolve("data-a");
    Map<String, String> a = settings(dataA, newDatabase(dataA));
    Path online = Files.createDirectories(dir.resolve("online"));
    Path offline = Files.createDirectories(dir.resolve("offline"));
    String oldSession;
    try (ServerTesting lab = ServerTesting.start(dataA, a)) {
      writeEverything(lab);
      oldSession = lab.adminJwt;
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count(a, "metric_points") > 0);
      // Online: the server keeps running (and writing host metrics) while it is copied.
      AdminRun backup = command(a, "backup", "--output", online.toString());
      assertThat(backup.code()).as(backup.err()).isZero();
      assertThat(backup.out()).contains("Backup written to");
    }
    Path onlineArchive = onlyArchive(online);
    AdminRun stopped = command(a, "backup", "--output", offline.toString());
    assertThat(stopped.code()).as(stopped.err()).isZero();
    Path archive = onlyArchive(offline);
    if (Files.getFileStore(archive).supportsFileAttributeView("posix")) {
      assertThat(
              java.nio.file.attribute.PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(archive)))
          .as("the archive holds secrets")
          .isEqualTo("rw-------");
    }

    // The backup taken while the server ran restores too.
    Path dataC = dir.resolve("data-c");
    Map<String, String> c = settings(dataC, newDatabase(dataC));
    AdminRun onlineRestore = command(c, "restore", onlineArchive.toString());
    assertThat(onlineRestore.code()).as(onlineRestore.err()).isZero();
    assertThat(count(c, "users")).isEqualTo(count(a, "users"));

    // The drill: an empty database and data directory, restored, equal to the original.
    Path dataB = dir.resolve("data-b");
    Map<String, String> b = settings(dataB, newDatabase(dataB));
    AdminRun restore = command(b, "restore", archive.toString());
    assertThat(restore.code()).as(restore.err()).isZero();
    assertThat(restore.out()).contains("Restored the");
    Map<String, List<List<String>>> original = tables(a);
    assertThat(original.keySet()).containsAll(WRITTEN).contains("metric_series", "schema_version");
    for (String table : WRITTEN) {
      assertThat(original.get(table)).as(table).isNotEmpty();
    }
    assertThat(tables(b)).isEqualTo(original);
    assertThat(files(dataB)).isEqualTo(files(dataA)).containsKey("jwt_secret");
    assertThat(files(dataB).keySet()).anyMatch(name -> name.startsWith("files/blobs/"));

    // The restored server is the same server: the session signed before the backup still works.
    try (ServerTesting restored = ServerTesting.start(dataB, b)) {
      HomelabClient old = restored.newClient(oldSession);
      try {
        assertThat(await(old.users().list())).anyMatch(u -> u.username().equals("drill-user"));
      } finally {
        await(old.close());
      }
    }
  }

  @Test
  void aNonEmptyTargetIsRefusedUnlessForced() throws Exception {
    Path dataA = dir.resolve("data-a");
    Map<String, String> a = settings(dataA, newDatabase(dataA));
    try (ServerTesting lab = ServerTesting.start(dataA, a)) {
      await(lab.client.settings().put("drill.before", "kept in the backup"));
    }
    Path archives = Files.createDirectories(dir.resolve("archives"));
    assertThat(command(a, "backup", "--output", archives.toString()).code()).isZero();
    Path archive = onlyArchive(archives);
    try (ServerTesting lab = ServerTesting.start(dataA, a)) {
      await(lab.client.settings().put("drill.after", "written after the backup"));
    }
    Map<String, List<List<String>>> before = tables(a);

    AdminRun refused = command(a, "restore", archive.toString());
    assertThat(refused.code()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(refused.err()).contains("refusing to overwrite").contains("--force");
    assertThat(tables(a)).as("a refusal changes nothing").isEqualTo(before);

    AdminRun forced = command(a, "restore", archive.toString(), "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    List<List<String>> settings = tables(a).get("settings");
    assertThat(settings.toString()).contains("drill.before").doesNotContain("drill.after");
  }

  @Test
  void aBackupOfANewerSchemaIsRefusedBeforeAnythingIsTouched() throws Exception {
    Path dataA = dir.resolve("data-a");
    Map<String, String> a = settings(dataA, newDatabase(dataA));
    // The store alone is enough to fill the database: no server needs to start.
    writeSetting(a, "drill.kept", "in the backup");
    Files.createDirectories(dataA);
    Files.writeString(dataA.resolve("notes.txt"), "in the backup");
    Path archives = Files.createDirectories(dir.resolve("archives"));
    assertThat(command(a, "backup", "--output", archives.toString()).code()).isZero();
    // A newer Homelab made it: its manifest names a schema version this one does not know. The
    // manifest lists the other entries' checksums, not its own, so it is simply rewritten.
    Path archive = withManifest(onlyArchive(archives), m -> m.put("schema_version", "99"));

    Path dataB = dir.resolve("data-b");
    Map<String, String> b = settings(dataB, newDatabase(dataB));
    Files.createDirectories(dataB);
    Map<String, List<List<String>>> emptyBefore = tables(b);
    AdminRun refused = command(b, "restore", archive.toString());
    assertThat(refused.code()).as(refused.out()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(refused.err())
        .contains(
            "schema is at version 99, newer than this Homelab knows ("
                + StorageKind.SQLITE.latestSchemaVersion()
                + ")")
        .contains("Restore it with that version");
    assertThat(tables(b)).as("an empty target stays empty").isEqualTo(emptyBefore);
    assertThat(files(dataB)).isEmpty();

    // Not even --force replaces a database this Homelab could start on with one it could not: a
    // forced restore would bring back the backup's setting and file.
    writeSetting(a, "drill.kept", "changed after the backup");
    Files.writeString(dataA.resolve("notes.txt"), "changed after the backup");
    Map<String, List<List<String>>> before = tables(a);
    Map<String, String> filesBefore = files(dataA);
    AdminRun forced = command(a, "restore", archive.toString(), "--force");
    assertThat(forced.code()).isEqualTo(AdminCommands.EXIT_REFUSED);
    assertThat(forced.err()).contains("newer than this Homelab knows");
    assertThat(tables(a)).as("a refusal changes nothing").isEqualTo(before);
    assertThat(files(dataA)).isEqualTo(filesBefore);
  }

  /** Writes a setting through the store of the settings' database, migrating it first. */
  static void writeSetting(Map<String, String> settings, String key, String value) {
    io.vertx.core.Vertx vertx = dev.homelab.core.testing.VertxTesting.vertx();
    try {
      Storage store = await(Storage.open(vertx, ServerConfig.of(settings).storage()));
      try {
        await(store.settings().put(key, value));
      } finally {
        await(store.close());
      }
    } finally {
      await(vertx.close());
    }
  }

  /** A copy of the archive, every entry kept, the manifest changed by {@code edit}. */
  Path withManifest(Path archive, java.util.function.Consumer<JsonObject> edit) throws IOException {
    Path copy = archive.resolveSibling("edited-" + archive.getFileName());
    try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(archive.toFile());
        java.util.zip.ZipOutputStream out =
            new java.util.zip.ZipOutputStream(Files.newOutputStream(copy))) {
      for (java.util.zip.ZipEntry entry : java.util.Collections.list(in.entries())) {
        byte[] content;
        try (java.io.InputStream read = in.getInputStream(entry)) {
          content = read.readAllBytes();
        }
        if (entry.getName().equals("manifest.json")) {
          JsonObject manifest = new JsonObject(new String(content, StandardCharsets.UTF_8));
          edit.accept(manifest);
          content = manifest.encodePrettily().getBytes(StandardCharsets.UTF_8);
        }
        out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
        out.write(content);
        out.closeEntry();
      }
    }
    return copy;
  }

  @Test
  void aDamagedOrForeignArchiveIsRefused() throws Exception {
    Path dataA = dir.resolve("data-a");
    Map<String, String> a = settings(dataA, newDatabase(dataA));
    Path notABackup = Files.writeString(dir.resolve("other.zip"), "not a zip");
    AdminRun garbage = command(a, "restore", notABackup.toString());
    assertThat(garbage.code()).isNotZero();
    AdminRun missing = command(a, "restore", dir.resolve("nothing.zip").toString());
    assertThat(missing.code()).isEqualTo(AdminCommands.EXIT_REFUSED);
    AdminRun usage = command(a, "restore");
    assertThat(usage.code()).isEqualTo(AdminCommands.EXIT_REFUSED);
  }

  void writeEverything(ServerTesting lab) {
    HomelabClient admin = lab.client;
    HomelabClient user = lab.newUser("drill-user", "user");
    dev.homelab.client.devices.Device sensor =
        await(
            user.devices()
                .create(
                    new NewDevice(
                        "drill sensor",
                        "sensor",
                        "in the hall",
                        new JsonObject().put("floor", 1))));
    await(
        user.sensors()
            .ingest(
                dev.homelab.client.sensors.SensorReading.of(sensor.id())
                    .withMessageId("drill-1")
                    .with("temperature", 21.5)
                    .with("humidity", 45)));
    await(admin.settings().put("drill.setting", new JsonObject().put("answer", 42)));
    await(
        admin
            .access()
            .createCard(
                NewCardPolicy.of("ba:83:9d:07")
                    .withHolder("Alice")
                    .withReaders(Set.of("drill-door"))));
    await(admin.access().check("drill-door", "BA839D07"));
    await(admin.access().check("drill-door", "0BADCAFE"));
    // A file with a share link: its row, its tags and link, and its blob under STORAGE_PATH.
    io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer> uploaded =
        await(
            lab.webAdmin
                .post("/api/files/upload")
                .putHeader(
                    "Content-Type", "multipart/form-data; boundary=" + FilesHttpTest.BOUNDARY)
                .sendBuffer(
                    FilesHttpTest.multipart(
                        List.of("drill.txt".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        List.of(
                            "the drill's file".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        "drill")));
    assertThat(uploaded.statusCode()).as(uploaded.bodyAsString()).isEqualTo(201);
    String fileId =
        uploaded.bodyAsJsonObject().getJsonArray("files").getJsonObject(0).getString("id");
    assertThat(
            await(
                    lab.webAdmin
                        .post("/api/files/" + fileId + "/shares")
                        .sendJsonObject(new JsonObject().put("max_downloads", 3)))
                .statusCode())
        .isEqualTo(201);
  }

  long count(Map<String, String> settings, String table) throws SQLException {
    try (Connection connection = connect(settings);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Every table from the catalog, every row ordered by its primary key, every value as text. */
  Map<String, List<List<String>>> tables(Map<String, String> settings) throws SQLException {
    Map<String, List<List<String>>> tables = new TreeMap<>();
    try (Connection connection = connect(settings)) {
      DatabaseMetaData catalog = connection.getMetaData();
      List<String> names = new ArrayList<>();
      try (ResultSet rows = catalog.getTables(null, schema(), "%", new String[] {"TABLE"})) {
        while (rows.next()) {
          names.add(rows.getString("TABLE_NAME"));
        }
      }
      for (String table : names) {
        TreeMap<Short, String> key = new TreeMap<>();
        try (ResultSet rows = catalog.getPrimaryKeys(null, schema(), table)) {
          while (rows.next()) {
            key.put(rows.getShort("KEY_SEQ"), '"' + rows.getString("COLUMN_NAME") + '"');
          }
        }
        List<List<String>> content = new ArrayList<>();
        try (Statement statement = connection.createStatement();
            ResultSet rows =
                statement.executeQuery(
                    "SELECT * FROM \""
                        + table
                        + "\" ORDER BY "
                        + (key.isEmpty() ? "1" : String.join(", ", key.values())))) {
          int columns = rows.getMetaData().getColumnCount();
          while (rows.next()) {
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= columns; i++) {
              row.add(rows.getMetaData().getColumnName(i) + "=" + rows.getString(i));
            }
            content.add(row);
          }
        }
        tables.put(table, content);
      }
    }
    return tables;
  }

  /** The data directory's files (not the SQLite database), by relative path, with contents. */
  static Map<String, String> files(Path dataDir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dataDir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        String name = dataDir.relativize(file).toString();
        if (!name.startsWith("homelab.db")) {
          files.put(name, Files.readString(file));
        }
      }
    }
    return files;
  }

  static Path onlyArchive(Path directory) throws IOException {
    try (Stream<Path> list = Files.list(directory)) {
      List<Path> archives = list.toList();
      assertThat(archives).hasSize(1);
      assertThat(archives.get(0).getFileName().toString()).endsWith(".zip");
      return archives.get(0);
    }
  }
}
