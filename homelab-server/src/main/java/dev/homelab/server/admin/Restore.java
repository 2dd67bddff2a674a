package dev.homelab.server.admin;

import dev.homelab.core.store.StorageKind;
import dev.homelab.server.ServerConfig;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code restore}: puts a {@link Backup} archive back into the database and the data directory the
 * configuration names. Run it with the server stopped.
 *
 * <p>It refuses (exit code 2) to overwrite a database that has tables, or a data directory that has
 * files, unless forced: then the database's tables are dropped first, and the archive's files
 * replace those of the same name. Every entry is checked against the manifest's SHA-256 before
 * anything is replaced; a SQLite copy must pass {@code PRAGMA integrity_check}; PostgreSQL is
 * restored by {@code pg_restore} in one transaction, its objects owned by the restoring role (the
 * admin role, whose default privileges give the runtime roles their rights again). A backup whose
 * schema is newer than this Homelab knows is refused before anything is touched: the server could
 * not start on it.
 *
 * <p>The archive is not trusted further than its checksums: the manifest must list every entry with
 * its size and SHA-256, each name must be the database or a file under the data directory or the
 * file store's blobs, and all of that is checked, with the free disk space, before anything is
 * extracted. Extraction reads no more of an entry than its listed size (a decompression bomb is
 * refused at that size), into a working directory inside the data directory, so that the files move
 * into place by renaming and nothing passes through a RAM-backed {@code /tmp}.
 */
final class Restore {

  /** Thrown for a refusal the operator can act on: exit code 2. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Where an interrupted restore's working files are; never data (see {@link BackupFiles}). */
  static final String WORK_PREFIX = ".homelab-restore-";

  /** A manifest is a few hundred bytes an entry: this is more than a million entries. */
  private static final long MAX_MANIFEST_BYTES = 256L * 1024 * 1024;

  /** Kept free beside what the archive's entries need, for the database's own growth and logs. */
  private static final long SPARE_BYTES = 64L * 1024 * 1024;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** One entry of the manifest, checked, with where it goes ({@code null} for the database). */
  private record Listed(String name, long size, String sha256, Path target) {}

  private Restore() {}

  /**
   * Restores an archive.
   *
   * @param config the server's configuration: which database, which data directory
   * @param archive the backup
   * @param force whether a non-empty target may be replaced
   * @return the manifest of the restored backup
   * @throws Refused if the target is not empty and not forced, or the archive does not fit (another
   *     kind of database, a newer schema, damaged)
   */
  static JsonObject run(ServerConfig config, Path archive, boolean force)
      throws Refused, IOException, SQLException {
    if (!Files.isRegularFile(archive)) {
      throw new Refused("there is no backup at " + archive);
    }
    boolean postgres = BackupFiles.isPostgres(config);
    try (ZipFile zip = new ZipFile(archive.toFile())) {
      JsonObject manifest = manifest(zip);
      String kind = postgres ? "postgresql" : "sqlite";
      if (!kind.equals(manifest.getString("kind"))) {
        throw new Refused(
            "this backup is of a "
                + manifest.getString("kind")
                + " database, and the configuration (DATABASE_URL) names a "
                + kind
                + " one");
      }
      refuseNewerSchema(manifest, config.storage().kind());
      List<String> inTheWay = new ArrayList<>();
      if (postgres) {
        int tables = pgTables(BackupFiles.pgUrl(config)).size();
        if (tables > 0) {
          inTheWay.add(
              "database " + BackupFiles.pgUrl(config).database() + " has " + tables + " tables");
        }
      } else if (sqliteHasTables(BackupFiles.sqliteFile(config))) {
        inTheWay.add("database " + BackupFiles.sqliteFile(config) + " has tables");
      }
      List<Path> files = BackupFiles.dataFiles(config, Set.of());
      if (!files.isEmpty()) {
        inTheWay.add(
            "data directory "
                + config.dataDir().toAbsolutePath().normalize()
                + " has "
                + files.size()
                + " files");
      }
      List<Path> blobs = BackupFiles.storeFiles(config);
      if (!blobs.isEmpty()) {
        inTheWay.add(
            "file store " + BackupFiles.storeRoot(config) + " has " + blobs.size() + " files");
      }
      if (!inTheWay.isEmpty() && !force) {
        throw new Refused(
            "refusing to overwrite what is there: "
                + String.join("; ", inTheWay)
                + ". Restore into an empty database and data directory, or stop the server and"
                + " run again with --force to replace them.");
      }
      List<Listed> entries =
          entries(config, manifest, postgres ? BackupFiles.PG_ENTRY : BackupFiles.SQLITE_ENTRY);
      Path dataDir = config.dataDir().toAbsolutePath().normalize();
      Files.createDirectories(dataDir);
      removeStaleWork(dataDir);
      refuseWithoutRoom(entries, dataDir, BackupFiles.storeRoot(config));
      Path work = Files.createTempDirectory(dataDir, WORK_PREFIX);
      try {
        Map<Listed, Path> extracted = extract(zip, entries, work);
        Listed database =
            entries.stream().filter(listed -> listed.target() == null).findFirst().orElseThrow();
        restoreDatabase(config, postgres, extracted.get(database), work);
        restoreDataFiles(extracted);
      } finally {
        Backup.deleteTree(work);
      }
      return manifest;
    }
  }

  private static JsonObject manifest(ZipFile zip) throws Refused, IOException {
    ZipEntry entry = zip.getEntry(BackupFiles.MANIFEST);
    if (entry == null) {
      throw new Refused("this is not a Homelab backup: it has no " + BackupFiles.MANIFEST);
    }
    JsonObject manifest;
    try (InputStream in = zip.getInputStream(entry)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_MANIFEST_BYTES + 1));
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new Refused(
            "this backup's "
                + BackupFiles.MANIFEST
                + " is larger than "
                + MAX_MANIFEST_BYTES
                + " bytes: not one Homelab wrote");
      }
      manifest = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException e) {
      throw new Refused("this backup's " + BackupFiles.MANIFEST + " is not a JSON object");
    }
    if (!(manifest.getValue("format") instanceof Integer format) || format != BackupFiles.FORMAT) {
      throw new Refused(
          "this backup has format "
              + manifest.getValue("format")
              + "; this version reads "
              + BackupFiles.FORMAT);
    }
    return manifest;
  }

  /**
   * Refuses a backup of a schema newer than this Homelab knows: it would restore it, and the server
   * would then refuse to start on it (or, with nothing in its way, run on tables it does not know).
   */
  private static void refuseNewerSchema(JsonObject manifest, StorageKind kind) throws Refused {
    Object version = manifest.getValue("schema_version");
    if (!(version instanceof String)) {
      throw new Refused("this backup's manifest has no schema_version");
    }
    boolean known;
    try {
      known = kind.knowsSchemaVersion((String) version);
    } catch (IllegalArgumentException e) {
      throw new Refused("this backup's manifest has an invalid schema_version: " + version);
    }
    if (!known) {
      throw new Refused(
          "this backup's database schema is at version "
              + version
              + ", newer than this Homelab knows ("
              + kind.latestSchemaVersion()
              + "): it was made by a newer version of Homelab ("
              + manifest.getValue("homelab_version")
              + "). Restore it with that version, or restore a backup made by this one.");
    }
  }

  /**
   * The manifest's entries, each checked (a name, a size, a SHA-256, once each) and with the place
   * it goes, before anything is extracted or replaced: a name outside the data directory or the
   * file store's blobs refuses the whole archive, not the rest of it after the database.
   */
  private static List<Listed> entries(ServerConfig config, JsonObject manifest, String database)
      throws Refused {
    if (!database.equals(manifest.getValue("database"))) {
      throw new Refused(
          "this backup's manifest names its database "
              + manifest.getValue("database")
              + ", not "
              + database);
    }
    if (!(manifest.getValue("entries") instanceof JsonArray listed)) {
      throw new Refused("this backup's manifest has no list of entries");
    }
    Path dataDir = config.dataDir().toAbsolutePath().normalize();
    Path storeRoot = BackupFiles.storeRoot(config);
    Path blobs = storeRoot.resolve(BackupFiles.BLOBS);
    // What a backup never holds under data/: it keeps them elsewhere or not at all (see
    // BackupFiles.dataFiles). A data/ entry there would land on the restored database (skipping its
    // integrity check), on SQLite's journal, in the file store outside its blobs, or in the logs.
    Set<Path> notData = new HashSet<>();
    if (!database.equals(BackupFiles.PG_ENTRY)) {
      notData.addAll(BackupFiles.sqliteFiles(BackupFiles.sqliteFile(config)));
    }
    List<Path> notDataTrees = new ArrayList<>(List.of(storeRoot));
    if (!config.logDir().isEmpty()) {
      notDataTrees.add(Path.of(config.logDir()).toAbsolutePath().normalize());
    }
    Map<String, Listed> entries = new LinkedHashMap<>();
    Set<Path> targets = new HashSet<>();
    for (Object each : listed) {
      if (!(each instanceof JsonObject entry)
          || !(entry.getValue("name") instanceof String name)
          || !(entry.getValue("size") instanceof Number size)
          || !(entry.getValue("sha256") instanceof String sha256)
          || size.longValue() < 0
          || size.doubleValue() != size.longValue()
          || !SHA256.matcher(sha256).matches()) {
        throw new Refused(
            "this backup's manifest lists an entry without a name, a size and a SHA-256: " + each);
      }
      Path target;
      if (name.equals(database)) {
        target = null;
      } else if (name.startsWith(BackupFiles.DATA_PREFIX)) {
        target = inside(dataDir, name.substring(BackupFiles.DATA_PREFIX.length()), name);
        if (dataDir.relativize(target).getName(0).toString().startsWith(WORK_PREFIX)) {
          throw new Refused("the backup names a restore's working file: " + name);
        }
        if (notData.contains(target) || notDataTrees.stream().anyMatch(target::startsWith)) {
          throw new Refused(
              "the backup names, as a data file, a file a backup keeps apart or not at all: "
                  + name);
        }
      } else if (name.startsWith(BackupFiles.FILES_PREFIX)) {
        // Only blobs, whatever the archive says: nothing lands elsewhere in the store's root.
        target = inside(blobs.getParent(), name.substring(BackupFiles.FILES_PREFIX.length()), name);
        if (!target.startsWith(blobs)) {
          throw new Refused("the backup names a file outside the file store's blobs: " + name);
        }
      } else {
        throw new Refused("the backup holds an entry this version does not know: " + name);
      }
      if (entries.put(name, new Listed(name, size.longValue(), sha256, target)) != null
          || (target != null && !targets.add(target))) {
        throw new Refused("the backup's manifest lists " + name + " twice");
      }
    }
    if (!entries.containsKey(database)) {
      throw new Refused("the backup has no database");
    }
    for (Path target : targets) {
      refuseBlockedTarget(target, targets, target.startsWith(blobs) ? blobs : dataDir);
    }
    return List.copyOf(entries.values());
  }

  /**
   * Refuses, before anything is replaced, a target that could not be written: a directory where the
   * file goes (with {@code --force}), or a file of the archive or of the disk where one of its
   * folders goes. Found only when moving the files into place, it would stop the restore after the
   * database was replaced.
   */
  private static void refuseBlockedTarget(Path target, Set<Path> targets, Path root)
      throws Refused {
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new Refused("the backup's file " + target + " is a directory here");
    }
    for (Path folder = target.getParent();
        folder != null && folder.startsWith(root) && !folder.equals(root);
        folder = folder.getParent()) {
      if (targets.contains(folder)
          || (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)
              && !Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS))) {
        throw new Refused("the backup's file " + target + " needs " + folder + " to be a folder");
      }
    }
  }

  /**
   * Refuses before extracting anything when the entries would not fit: all of them are extracted
   * beside the data directory first, and the blobs are copied again if the file store is on another
   * disk.
   */
  private static void refuseWithoutRoom(List<Listed> entries, Path dataDir, Path storeRoot)
      throws Refused, IOException {
    long needed = SPARE_BYTES;
    long blobs = 0;
    try {
      for (Listed entry : entries) {
        needed = Math.addExact(needed, entry.size());
        if (entry.target() != null && entry.target().startsWith(storeRoot)) {
          blobs = Math.addExact(blobs, entry.size());
        }
      }
    } catch (ArithmeticException e) {
      throw new Refused("the backup's manifest lists sizes no disk holds");
    }
    refuseWithoutRoom(needed, dataDir);
    Path store = storeRoot;
    while (!Files.exists(store) && store.getParent() != null) {
      store = store.getParent();
    }
    if (blobs > 0 && !Files.getFileStore(store).equals(Files.getFileStore(dataDir))) {
      refuseWithoutRoom(blobs + SPARE_BYTES, store);
    }
  }

  private static void refuseWithoutRoom(long needed, Path dir) throws Refused, IOException {
    long free = Files.getFileStore(dir).getUsableSpace();
    if (needed > free) {
      throw new Refused(
          "the backup needs "
              + needed / (1024 * 1024)
              + " MB (its entries and a margin) and "
              + dir
              + " has "
              + free / (1024 * 1024)
              + " MB free");
    }
  }

  /**
   * Extracts every listed entry, reading no more than its size and checking its checksum; nothing
   * else.
   */
  private static Map<Listed, Path> extract(ZipFile zip, List<Listed> entries, Path work)
      throws Refused, IOException {
    Map<Listed, Path> extracted = new HashMap<>();
    int n = 0;
    for (Listed listed : entries) {
      ZipEntry entry = zip.getEntry(listed.name());
      if (entry == null) {
        throw new Refused("the backup is incomplete: " + listed.name() + " is missing");
      }
      Path target = work.resolve("entry-" + n++);
      BackupFiles.createPrivate(target);
      long copied;
      try (InputStream in = zip.getInputStream(entry);
          OutputStream out = Files.newOutputStream(target)) {
        // One byte past the listed size tells a larger entry apart without inflating the rest.
        copied = copy(in, out, listed.size() + 1);
      }
      if (copied != listed.size()) {
        throw new Refused(
            "the backup is damaged: "
                + listed.name()
                + (copied > listed.size() ? " is larger than" : " is smaller than")
                + " its manifest says ("
                + listed.size()
                + " bytes)");
      }
      if (!BackupFiles.sha256(target).equals(listed.sha256())) {
        throw new Refused(
            "the backup is damaged: " + listed.name() + " does not match its checksum");
      }
      extracted.put(listed, target);
    }
    return extracted;
  }

  /**
   * Removes what a restore killed more than an hour ago left in the data directory: its space would
   * count against this one.
   */
  private static void removeStaleWork(Path dataDir) throws IOException {
    FileTime anHourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
    try (Stream<Path> children = Files.list(dataDir)) {
      for (Path child : children.toList()) {
        if (child.getFileName().toString().startsWith(WORK_PREFIX)
            && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)
            && Files.getLastModifiedTime(child).compareTo(anHourAgo) < 0) {
          Backup.deleteTree(child);
        }
      }
    }
  }

  private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long copied = 0;
    while (copied < limit) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      copied += n;
    }
    return copied;
  }

  private static void restoreDatabase(ServerConfig config, boolean postgres, Path dump, Path work)
      throws Refused, IOException, SQLException {
    if (dump == null) {
      throw new Refused("the backup has no database");
    }
    if (postgres) {
      PgUrl url = BackupFiles.pgUrl(config);
      dropTables(url);
      Path named = work.resolve("homelab.pgdump");
      Files.move(dump, named);
      BackupFiles.runTool(
          List.of(
              "pg_restore",
              "--no-owner",
              "--no-privileges",
              "--exit-on-error",
              "--single-transaction",
              "--no-password",
              "--dbname=" + url.database(),
              named.getFileName().toString()),
          url,
          work);
      return;
    }
    try (Connection connection = BackupFiles.sqlite(dump, true);
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
      if (!rows.next() || !"ok".equals(rows.getString(1))) {
        throw new Refused("the backup's SQLite database fails its integrity check");
      }
    }
    Path target = BackupFiles.sqliteFile(config);
    Files.createDirectories(target.getParent());
    for (Path file : BackupFiles.sqliteFiles(target)) {
      Files.deleteIfExists(file);
    }
    Path incoming = target.resolveSibling(target.getFileName() + ".restoring");
    Files.move(dump, incoming, StandardCopyOption.REPLACE_EXISTING);
    Files.move(incoming, target, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void restoreDataFiles(Map<Listed, Path> extracted) throws IOException {
    for (Map.Entry<Listed, Path> entry : extracted.entrySet()) {
      Path target = entry.getKey().target();
      if (target != null) {
        Files.createDirectories(target.getParent());
        Files.move(entry.getValue(), target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static Path inside(Path root, String relative, String name) throws Refused {
    Path target;
    try {
      target = root.resolve(relative).normalize();
    } catch (InvalidPathException e) {
      throw new Refused("the backup names a file that cannot be a path here: " + name);
    }
    if (relative.isEmpty() || !target.startsWith(root) || target.equals(root)) {
      throw new Refused("the backup names a file outside " + root + ": " + name);
    }
    return target;
  }

  private static boolean sqliteHasTables(Path file) throws SQLException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (Connection connection = BackupFiles.sqlite(file, true);
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                    + " AND name NOT LIKE 'sqlite_%'")) {
      return rows.next() && rows.getInt(1) > 0;
    }
  }

  /** The tables outside PostgreSQL's own schemas (their sequences go with them). */
  private static List<String> pgTables(PgUrl url) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection connection = url.connect("homelab-restore");
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p')"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
                    + " AND NOT c.relispartition")) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }

  private static void dropTables(PgUrl url) throws SQLException {
    List<String> tables = pgTables(url);
    if (tables.isEmpty()) {
      return;
    }
    try (Connection connection = url.connect("homelab-restore");
        Statement statement = connection.createStatement()) {
      connection.setAutoCommit(false);
      for (String table : tables) {
        statement.execute("DROP TABLE IF EXISTS " + table + " CASCADE");
      }
      connection.commit();
    }
  }
}
