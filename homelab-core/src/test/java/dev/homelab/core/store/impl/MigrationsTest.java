package dev.homelab.core.store.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.homelab.core.store.StorageCompatibilityKit;
import dev.homelab.core.store.StorageException;
import dev.homelab.core.store.StorageKind;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class MigrationsTest {

  @TempDir Path dir;

  @Test
  void theLatestVersionIsReadFromTheMigrationFiles() {
    for (StorageKind kind : StorageKind.values()) {
      assertThat(Migrations.latestVersion(kind))
          .as(kind.label())
          .isEqualTo(StorageCompatibilityKit.LATEST_SCHEMA_VERSION);
      assertThat(kind.latestSchemaVersion()).isEqualTo(Migrations.latestVersion(kind));
      assertThat(kind.knowsSchemaVersion("0")).isTrue();
      assertThat(kind.knowsSchemaVersion(StorageCompatibilityKit.LATEST_SCHEMA_VERSION)).isTrue();
      assertThat(kind.knowsSchemaVersion("99")).isFalse();
    }
  }

  @Test
  void versionsCompareAsNumbersNotText() {
    assertThat(Migrations.isNewer("10", "9")).isTrue();
    assertThat(Migrations.isNewer("4", "4")).isFalse();
    assertThat(Migrations.isNewer("4.1", "4")).isTrue();
    assertThatThrownBy(() -> Migrations.isNewer("six", "4"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theLatestVersionIsFoundInAFolderAndInAJar() throws Exception {
    // The server jar is shaded: the files are then entries of a jar, not files of a folder.
    List<String> names =
        List.of("m/V1__a.sql", "m/V9__b.sql", "m/V10__c.sql", "m/README.md", "m/sub/V99__d.sql");
    Path folder = dir.resolve("classes");
    for (String name : names) {
      Files.createDirectories(folder.resolve(name).getParent());
      Files.writeString(folder.resolve(name), "SELECT 1;");
    }
    Path jar = dir.resolve("migrations.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new ZipEntry("m/"));
      out.closeEntry();
      for (String name : names) {
        out.putNextEntry(new ZipEntry(name));
        out.write("SELECT 1;".getBytes());
        out.closeEntry();
      }
    }
    for (Path root : List.of(folder, jar)) {
      try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
        assertThat(Migrations.latestVersion(loader, "m")).as(root.toString()).isEqualTo("10");
        assertThatThrownBy(() -> Migrations.latestVersion(loader, "nothing"))
            .isInstanceOf(IllegalStateException.class);
      }
    }
  }

  @Test
  void migratingAgainReportsTheVersionWithoutRunningAnything() throws SQLException {
    SQLiteDataSource source = sqlite(dir.resolve("again.db"));
    assertThat(Migrations.migrate(source, StorageKind.SQLITE))
        .isEqualTo(StorageCompatibilityKit.LATEST_SCHEMA_VERSION);
    List<String> history = history(source);
    assertThat(Migrations.migrate(source, StorageKind.SQLITE))
        .isEqualTo(StorageCompatibilityKit.LATEST_SCHEMA_VERSION);
    assertThat(history(source)).isEqualTo(history);
  }

  @Test
  void aSchemaNewerThanTheCodeIsRefusedAndLeftAlone() throws SQLException {
    SQLiteDataSource source = sqlite(dir.resolve("future.db"));
    Migrations.migrate(source, StorageKind.SQLITE);
    // A newer Homelab applied a version this one does not have.
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate(
          "INSERT INTO schema_version (installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success)"
              + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0,"
              + " 'newer', 1, 1)");
    }
    List<String> before = history(source);

    assertThatThrownBy(() -> Migrations.migrate(source, StorageKind.SQLITE))
        .isInstanceOf(StorageException.class)
        .hasMessage(
            "the database schema is at version 99, newer than this Homelab knows ("
                + StorageCompatibilityKit.LATEST_SCHEMA_VERSION
                + "): it was written by a newer version of Homelab; run that version or restore a backup"
                + " made by this one");
    assertThat(history(source)).isEqualTo(before);
  }

  @Test
  void aNewerSchemaWithAVersionMissingHereIsRefusedTheSameWay() throws SQLException {
    SQLiteDataSource source = sqlite(dir.resolve("gap.db"));
    Migrations.migrate(source, StorageKind.SQLITE);
    // The newer version's history skips one this code would still apply: nothing may run.
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement()) {
      statement.executeUpdate("DELETE FROM schema_version WHERE version = '4'");
      statement.executeUpdate(
          "INSERT INTO schema_version (installed_rank, version, description, type, script,"
              + " checksum, installed_by, execution_time, success)"
              + " VALUES (99, '99', 'from the future', 'SQL', 'V99__from_the_future.sql', 0,"
              + " 'newer', 1, 1)");
    }
    List<String> before = history(source);

    assertThatThrownBy(() -> Migrations.migrate(source, StorageKind.SQLITE))
        .isInstanceOf(StorageException.class)
        .hasMessageStartingWith("the database schema is at version 99, newer than this Homelab");
    assertThat(history(source)).isEqualTo(before);
  }

  private static SQLiteDataSource sqlite(Path file) {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + file);
    return source;
  }

  private static List<String> history(SQLiteDataSource source) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = source.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT installed_rank, version, checksum, success FROM schema_version"
                    + " ORDER BY installed_rank")) {
      while (result.next()) {
        rows.add(
            result.getString(1)
                + " "
                + result.getString(2)
                + " "
                + result.getString(3)
                + " "
                + result.getString(4));
      }
    }
    return rows;
  }
}
