package dev.homelab.server.admin;

import dev.homelab.server.HomelabServer;
import dev.homelab.server.ServerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code backup}: one archive (zip) of the database and the data directory, taken while the server
 * runs.
 *
 * <p>SQLite: {@code VACUUM INTO} through the driver, a consistent copy of one read transaction that
 * does not stop the server's writes. PostgreSQL: {@code pg_dump --format=custom}, consistent too
 * (one snapshot), run as the admin role when {@code DATABASE_ADMIN_URL} is set. The data directory
 * (the JWT key, the generated access token) and the file store's blobs are copied beside it, and
 * {@code manifest.json} records the format, the versions, the kind and a SHA-256 of every entry.
 * The archive is created readable by its owner only: it holds secrets.
 */
final class Backup {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private Backup() {}

  /**
   * Writes a backup.
   *
   * @param config the server's configuration: which database, which data directory
   * @param output a file, or an existing directory to put a dated file in
   * @param clock the time in the manifest and the file name
   * @return the archive written
   */
  static Path run(ServerConfig config, Path output, Clock clock) throws IOException, SQLException {
    Path archive =
        Files.isDirectory(output)
            ? output.resolve("homelab-backup-" + STAMP.format(clock.instant()) + ".zip")
            : output;
    archive = archive.toAbsolutePath().normalize();
    if (Files.exists(archive)) {
      throw new IOException(archive + " exists already; choose another name");
    }
    Path work = Files.createTempDirectory(archive.getParent(), ".homelab-backup-");
    try {
      boolean postgres = BackupFiles.isPostgres(config);
      Path dump = work.resolve(postgres ? "homelab.pgdump" : "homelab.db");
      String schemaVersion = postgres ? dumpPostgres(config, dump, work) : copySqlite(config, dump);
      Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
      List<Path> dataFiles = BackupFiles.dataFiles(config, Set.of(archive, partial, work));
      Path dataDir = config.dataDir().toAbsolutePath().normalize();

      JsonObject manifest =
          new JsonObject()
              .put("format", BackupFiles.FORMAT)
              .put("homelab_version", HomelabServer.VERSION)
              .put("kind", postgres ? "postgresql" : "sqlite")
              .put("schema_version", schemaVersion)
              .put("created_at", clock.instant().toString());
      JsonArray entries = new JsonArray();
      BackupFiles.createPrivate(partial);
      try (OutputStream file = Files.newOutputStream(partial);
          ZipOutputStream zip = new ZipOutputStream(file)) {
        String dbEntry = postgres ? BackupFiles.PG_ENTRY : BackupFiles.SQLITE_ENTRY;
        add(zip, dbEntry, dump, entries);
        for (Path relative : dataFiles) {
          String name = BackupFiles.DATA_PREFIX + relative.toString().replace('\\', '/');
          add(zip, name, dataDir.resolve(relative), entries);
        }
        // After the database: every blob a file row of the copy points to was there when the
        // copy was taken. One deleted since then is skipped (its file is gone in the store too).
        Path store = BackupFiles.storeRoot(config);
        for (Path relative : BackupFiles.storeFiles(config)) {
          String name = BackupFiles.FILES_PREFIX + relative.toString().replace('\\', '/');
          try {
            add(zip, name, store.resolve(relative), entries);
          } catch (NoSuchFileException deletedMeanwhile) {
            // nothing to keep
          }
        }
        manifest.put("database", dbEntry).put("entries", entries);
        zip.putNextEntry(new ZipEntry(BackupFiles.MANIFEST));
        zip.write(manifest.encodePrettily().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
      Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
      return archive;
    } finally {
      deleteTree(work);
    }
  }

  /**
   * Adds a file, reading its size, hash and bytes through one open descriptor: a file removed
   * meanwhile (a blob whose last file was deleted) is either copied whole or not at all.
   */
  private static void add(ZipOutputStream zip, String name, Path file, JsonArray entries)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      String sha256 = BackupFiles.sha256(Channels.newInputStream(channel));
      channel.position(0);
      entries.add(new JsonObject().put("name", name).put("size", size).put("sha256", sha256));
      zip.putNextEntry(new ZipEntry(name));
      Channels.newInputStream(channel).transferTo(zip);
      zip.closeEntry();
    }
  }

  /** {@code VACUUM INTO}: a consistent, compact copy, while the server keeps writing. */
  private static String copySqlite(ServerConfig config, Path copy)
      throws IOException, SQLException {
    Path source = BackupFiles.sqliteFile(config);
    if (!Files.isRegularFile(source)) {
      throw new IOException("there is no SQLite database at " + source);
    }
    try (Connection connection = BackupFiles.sqlite(source, true);
        PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
      vacuum.setString(1, copy.toString());
      vacuum.execute();
    }
    try (Connection connection = BackupFiles.sqlite(copy, true)) {
      return BackupFiles.schemaVersion(connection);
    }
  }

  private static String dumpPostgres(ServerConfig config, Path dump, Path work)
      throws IOException, SQLException {
    PgUrl url = BackupFiles.pgUrl(config);
    String version;
    try (Connection connection = url.connect("homelab-backup")) {
      version = BackupFiles.schemaVersion(connection);
    }
    BackupFiles.runTool(
        List.of("pg_dump", "--format=custom", "--no-password", "--file=" + dump.getFileName()),
        url,
        work);
    return version;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
