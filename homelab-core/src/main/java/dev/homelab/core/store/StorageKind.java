package dev.homelab.core.store;

import dev.homelab.core.store.impl.Migrations;

/** The database engines Homelab can store its data in. */
public enum StorageKind {
  /** An embedded SQLite file: the default, for one machine. */
  SQLITE("sqlite"),
  /** A PostgreSQL server: for several instances or larger data. */
  POSTGRESQL("postgresql");

  private final String label;

  StorageKind(String label) {
    this.label = label;
  }

  /**
   * @return the lower-case name used in configuration and in {@code /health}
   */
  public String label() {
    return label;
  }

  /**
   * The newest schema version this Homelab's migrations of the engine create, read from the
   * migration files on the classpath without opening a database. A database at a newer version was
   * written by a newer Homelab: opening it fails, and a backup of it is not restored.
   *
   * @return the version, for example {@code "4"}
   */
  public String latestSchemaVersion() {
    return Migrations.latestVersion(this);
  }

  /**
   * @param schemaVersion a schema version, as a backup's manifest or {@link
   *     StorageStatus#schemaVersion()} reports it
   * @return whether this Homelab knows the version, that is it is not newer than {@link
   *     #latestSchemaVersion()}
   * @throws IllegalArgumentException if it is not a version
   */
  public boolean knowsSchemaVersion(String schemaVersion) {
    return !Migrations.isNewer(schemaVersion, latestSchemaVersion());
  }
}
