package dev.homelab.core.store;

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
}
