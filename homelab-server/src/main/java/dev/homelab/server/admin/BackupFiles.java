package dev.homelab.server.admin;

import dev.homelab.core.store.StorageKind;
import dev.homelab.core.store.StorageOptions;
import dev.homelab.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/** What backup and restore share: the archive's layout, the child tools, the SQLite files. */
final class BackupFiles {

  /** The archive's format version, in its manifest. */
  static final int FORMAT = 1;

  static final String MANIFEST = "manifest.json";
  static final String SQLITE_ENTRY = "database/homelab.db";
  static final String PG_ENTRY = "database/homelab.pgdump";
  static final String DATA_PREFIX = "data/";

  /** The file store's blobs, relative to {@code STORAGE_PATH}. */
  static final String FILES_PREFIX = "files/";

  /** The part of the file store a backup holds: the blobs (uploads in progress are not kept). */
  static final String BLOBS = "blobs";

  private BackupFiles() {}

  static Path sqliteFile(ServerConfig config) {
    return Path.of(config.storage().resolvedSqlitePath()).toAbsolutePath().normalize();
  }

  /** The database url backups and restores use: the admin role's when there is one. */
  static PgUrl pgUrl(ServerConfig config) {
    StorageOptions storage = config.storage();
    return PgUrl.parse(storage.getAdminUrl() != null ? storage.getAdminUrl() : storage.getUrl());
  }

  static boolean isPostgres(ServerConfig config) {
    return config.storage().kind() == StorageKind.POSTGRESQL;
  }

  /** The SQLite file and the files SQLite keeps beside it. */
  static Set<Path> sqliteFiles(Path file) {
    return Set.of(
        file,
        file.resolveSibling(file.getFileName() + "-wal"),
        file.resolveSibling(file.getFileName() + "-shm"),
        file.resolveSibling(file.getFileName() + "-journal"),
        file.resolveSibling(file.getFileName() + ".migrate.lock"));
  }

  /**
   * The regular files of the data directory, relative to it, that belong in a backup: not the
   * SQLite database (backed up on its own), not the logs, not an interrupted restore's working
   * files, nothing under the excluded paths.
   */
  static List<Path> dataFiles(ServerConfig config, Set<Path> excluded) throws IOException {
    Path dataDir = config.dataDir().toAbsolutePath().normalize();
    if (!Files.isDirectory(dataDir)) {
      return List.of();
    }
    Set<Path> skip = new java.util.HashSet<>(excluded);
    if (!isPostgres(config)) {
      skip.addAll(sqliteFiles(sqliteFile(config)));
    }
    // The file store is backed up on its own (its blobs only), wherever STORAGE_PATH is.
    skip.add(storeRoot(config));
    Path logs =
        config.logDir().isEmpty() ? null : Path.of(config.logDir()).toAbsolutePath().normalize();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dataDir)) {
      walk.filter(Files::isRegularFile)
          .map(path -> path.toAbsolutePath().normalize())
          .filter(path -> skip.stream().noneMatch(path::startsWith))
          .filter(path -> logs == null || !path.startsWith(logs))
          .map(dataDir::relativize)
          // What an interrupted restore left is not data: neither backed up nor in the way.
          .filter(relative -> !relative.getName(0).toString().startsWith(Restore.WORK_PREFIX))
          .sorted()
          .forEach(files::add);
    }
    return files;
  }

  /**
   * @return the file store's root ({@code STORAGE_PATH}, by default {@code DATA_DIR/files})
   */
  static Path storeRoot(ServerConfig config) {
    return config.fileStoreOptions().root().toAbsolutePath().normalize();
  }

  /**
   * The file store's blobs, relative to its root. Temporary files and resumable uploads in progress
   * are not in a backup: a restored upload session without its bytes is gone, and its client starts
   * again.
   */
  static List<Path> storeFiles(ServerConfig config) throws IOException {
    Path root = storeRoot(config);
    Path blobs = root.resolve(BLOBS);
    if (!Files.isDirectory(blobs)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(blobs)) {
      walk.filter(Files::isRegularFile).sorted().forEach(path -> files.add(root.relativize(path)));
    }
    return files;
  }

  static Connection sqlite(Path file, boolean readOnly) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(5_000);
    config.setReadOnly(readOnly);
    return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
  }

  /** The newest applied migration recorded in {@code schema_version}, or "0". */
  static String schemaVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT version FROM schema_version WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank DESC")) {
      return rows.next() ? rows.getString(1) : "0";
    } catch (SQLException e) {
      return "0"; // no schema_version table: never migrated
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256(in);
    }
  }

  static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Creates an empty file only its owner may read (where the file system has POSIX modes). */
  static void createPrivate(Path file) throws IOException {
    Files.deleteIfExists(file);
    try {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
  }

  /**
   * Runs a PostgreSQL client tool with the url in libpq's environment (the password included), so
   * that nothing secret is on its command line.
   *
   * @return nothing; throws with the tool's own error output when it fails
   */
  static void runTool(List<String> command, PgUrl url, Path workDir) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().keySet().removeIf(key -> key.startsWith("PG"));
    builder.environment().putAll(url.libpqEnvironment());
    builder.environment().put("PGAPPNAME", "homelab-" + command.get(0));
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(
          command.get(0)
              + " could not be run: install the PostgreSQL client tools (postgresql-client) of"
              + " the server's major version or newer",
          e);
    }
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    try {
      if (!process.waitFor(6, TimeUnit.HOURS)) {
        process.destroyForcibly();
        throw new IOException(command.get(0) + " did not finish");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(command.get(0) + " was interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          command.get(0) + " failed (exit " + process.exitValue() + "): " + output);
    }
  }
}
