package dev.homelab.core.store.impl;

import dev.homelab.core.store.StorageException;
import dev.homelab.core.store.StorageKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL migrations of one dialect with Flyway, recording them in {@code
 * schema_version}. Blocking: call it from a worker thread.
 *
 * <p>Flyway takes a PostgreSQL advisory lock while it migrates, so instances starting together
 * apply each version exactly once; the others wait and then find nothing to do.
 *
 * <p>A schema newer than the migrations on the classpath (a downgrade after an upgrade, or a
 * restored backup of a newer version) is refused before anything is written: the older code does
 * not know the tables it would read and write.
 */
public final class Migrations {

  /** The table that records applied migrations. */
  public static final String HISTORY_TABLE = "schema_version";

  /** Where the migrations of a dialect live; the dialect's label is appended. */
  static final String LOCATION = "dev/homelab/core/store/migration/";

  /** A versioned migration's file name, as Flyway resolves it: the version is group 1. */
  private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__[^/]*\\.sql");

  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  /** Filled on first use; the classpath does not change while the JVM runs. */
  private static final Map<StorageKind, String> LATEST =
      Collections.synchronizedMap(new EnumMap<>(StorageKind.class));

  private Migrations() {}

  /**
   * Applies every pending migration of the dialect.
   *
   * @param dataSource a data source for a role allowed to create tables
   * @param kind the dialect whose migrations to apply
   * @return the schema version after migrating
   * @throws StorageException if a migration fails (earlier versions stay applied), or if the
   *     database's schema is newer than this code knows (then nothing is changed)
   */
  public static String migrate(DataSource dataSource, StorageKind kind) {
    Flyway flyway = configure(kind).dataSource(dataSource).load();
    MigrateResult result;
    try {
      result = flyway.migrate();
    } catch (FlywayValidateException e) {
      // The rare path may rescan: tell a newer schema apart from other validation failures.
      String applied = appliedVersion(flyway);
      if (applied != null && isNewer(applied, latestVersion(kind))) {
        throw newerSchema(applied, kind, e);
      }
      throw failed(e);
    } catch (FlywayException e) {
      throw failed(e);
    }
    if (result.migrationsExecuted > 0) {
      log.info(
          "Migrated the {} schema from version {} to {} ({} migrations)",
          kind.label(),
          result.initialSchemaVersion == null || result.initialSchemaVersion.isEmpty()
              ? "none"
              : result.initialSchemaVersion,
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    // The result carries the version: asking flyway.info() would scan the migrations again.
    String version = nonEmpty(result.targetSchemaVersion);
    if (version == null) {
      version = nonEmpty(result.initialSchemaVersion);
    }
    // A migrate that succeeded leaves every one of ours applied, so an older version means other
    // instances applied some of them alongside this one (Flyway locks each migration, not the
    // run) and this result saw the schema before they did: the rare path asks the history.
    if (version == null || isNewer(latestVersion(kind), version)) {
      String applied = appliedVersion(flyway);
      if (applied != null) {
        version = applied;
      }
    }
    if (version == null) {
      return "0";
    }
    // Nothing applied here: a newer instance may have migrated between the validation and the
    // lock, so check again. Anything applied here ends at one of ours, and listing the migrations
    // (a walk over every entry of the server's jar) would only say so at every first start.
    if (result.migrationsExecuted == 0 && isNewer(version, latestVersion(kind))) {
      throw newerSchema(version, kind, null);
    }
    return version;
  }

  /**
   * Builds, without a database, the configuration {@link #migrate} uses: Flyway's plugins and
   * configuration machinery, several hundred classes, are loaded then. Touches no database.
   *
   * @param kind the dialect whose migrations {@link #migrate} will apply
   */
  public static void prepare(StorageKind kind) {
    configure(kind).load();
  }

  private static FluentConfiguration configure(StorageKind kind) {
    return Flyway.configure(Migrations.class.getClassLoader())
        .locations("classpath:" + LOCATION + kind.label())
        .table(HISTORY_TABLE)
        .failOnMissingLocations(true)
        .validateMigrationNaming(true)
        // Flyway 10+ ignores "future" migrations (applied, but unknown here) by default, and an
        // older Homelab would then run on a newer schema. Ignoring nothing makes the validation
        // migrate() runs first fail instead, before it writes anything.
        .ignoreMigrationPatterns("")
        .cleanDisabled(true);
  }

  /**
   * The newest schema version the migrations of a dialect on the classpath create, read from the
   * file names ({@code V<n>__*.sql}) without opening a database.
   *
   * @param kind the dialect
   * @return the highest version, for example {@code "4"}
   * @throws IllegalStateException if the classpath holds no migrations of the dialect
   */
  public static String latestVersion(StorageKind kind) {
    String cached = LATEST.get(kind);
    if (cached != null) {
      return cached;
    }
    String latest = latestVersion(Migrations.class.getClassLoader(), LOCATION + kind.label());
    LATEST.put(kind, latest);
    return latest;
  }

  /**
   * @param version a schema version, for example {@code "6"}
   * @param than another one
   * @return whether {@code version} comes after {@code than} in Flyway's order ({@code "10"} after
   *     {@code "9"})
   * @throws IllegalArgumentException if either is not a version
   */
  public static boolean isNewer(String version, String than) {
    if (version == null || than == null) {
      throw new IllegalArgumentException("not a schema version: " + version + " or " + than);
    }
    try {
      return MigrationVersion.fromVersion(version).compareTo(MigrationVersion.fromVersion(than))
          > 0;
    } catch (FlywayException e) {
      throw new IllegalArgumentException("not a schema version: " + version + " or " + than, e);
    }
  }

  /** The highest version among the file names in a classpath directory, a folder or a jar. */
  static String latestVersion(ClassLoader loader, String location) {
    URL url = loader.getResource(location);
    if (url == null) {
      throw new IllegalStateException("no migrations on the classpath at " + location);
    }
    List<String> names = new ArrayList<>();
    try {
      if ("file".equals(url.getProtocol())) {
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          files.forEach(file -> names.add(file.getFileName().toString()));
        }
      } else {
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection)) {
          throw new IllegalStateException("cannot list the migrations at " + url);
        }
        JarURLConnection jar = (JarURLConnection) connection;
        // A cached JarFile would be shared with the class loader, which must keep it open.
        jar.setUseCaches(false);
        String prefix = jar.getEntryName() + (jar.getEntryName().endsWith("/") ? "" : "/");
        try (JarFile file = jar.getJarFile()) {
          for (JarEntry entry : Collections.list(file.entries())) {
            String name = entry.getName();
            if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
              names.add(name.substring(prefix.length()));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the migrations at " + url, e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot list the migrations at " + url, e);
    }
    MigrationVersion latest = null;
    for (String name : names) {
      Matcher versioned = VERSIONED.matcher(name);
      if (versioned.matches()) {
        MigrationVersion version =
            MigrationVersion.fromVersion(versioned.group(1).replace('_', '.'));
        if (latest == null || version.compareTo(latest) > 0) {
          latest = version;
        }
      }
    }
    if (latest == null) {
      throw new IllegalStateException("no migrations on the classpath at " + location);
    }
    return latest.getVersion();
  }

  /** The newest applied version in the history table, or null; scans the migrations again. */
  private static String appliedVersion(Flyway flyway) {
    try {
      MigrationInfo current = flyway.info().current();
      return current == null || current.getVersion() == null
          ? null
          : current.getVersion().getVersion();
    } catch (FlywayException e) {
      return null;
    }
  }

  private static StorageException newerSchema(String applied, StorageKind kind, Throwable cause) {
    return new StorageException(
        "the database schema is at version "
            + applied
            + ", newer than this Homelab knows ("
            + latestVersion(kind)
            + "): it was written by a newer version of Homelab; run that version or restore a"
            + " backup made by this one",
        cause);
  }

  private static StorageException failed(FlywayException e) {
    return new StorageException("database migration failed: " + firstLine(e.getMessage()), e);
  }

  private static String nonEmpty(String version) {
    return version == null || version.isEmpty() ? null : version;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
