package dev.homelab.core.store;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where and how {@link Storage} keeps its data.
 *
 * <p>With no {@link #getUrl() url} the data goes to an SQLite file at {@link #getSqlitePath()}. A
 * {@code postgres://} or {@code postgresql://} url selects PostgreSQL; an {@code sqlite:} url names
 * the SQLite file explicitly. Setters check their argument and throw {@link
 * IllegalArgumentException}; {@link Storage#open} copies the options, so later changes have no
 * effect on an open store.
 */
public class StorageOptions {

  /** The default SQLite file, relative to the working directory: {@value}. */
  public static final String DEFAULT_SQLITE_PATH = "data/homelab.db";

  /** The default largest number of database connections: {@value}. */
  public static final int DEFAULT_MAX_POOL_SIZE = 8;

  private String url;
  private String adminUrl;
  private String sqlitePath = DEFAULT_SQLITE_PATH;
  private int maxPoolSize = DEFAULT_MAX_POOL_SIZE;

  /** Creates options with the defaults: SQLite at {@value #DEFAULT_SQLITE_PATH}. */
  public StorageOptions() {}

  /**
   * Copies other options.
   *
   * @param other the options to copy
   */
  public StorageOptions(StorageOptions other) {
    this.url = other.url;
    this.adminUrl = other.adminUrl;
    this.sqlitePath = other.sqlitePath;
    this.maxPoolSize = other.maxPoolSize;
  }

  /**
   * Reads options from JSON with the keys of {@link #toJson()}; absent keys keep their default.
   *
   * @param json the options as JSON
   */
  public StorageOptions(JsonObject json) {
    this();
    if (json.getString("url") != null) {
      setUrl(json.getString("url"));
    }
    if (json.getString("adminUrl") != null) {
      setAdminUrl(json.getString("adminUrl"));
    }
    if (json.getString("sqlitePath") != null) {
      setSqlitePath(json.getString("sqlitePath"));
    }
    if (json.getInteger("maxPoolSize") != null) {
      setMaxPoolSize(json.getInteger("maxPoolSize"));
    }
  }

  /**
   * Creates options from a database url.
   *
   * @param url a {@code postgres://}, {@code postgresql://} or {@code sqlite:} url
   * @return new options using that url
   */
  public static StorageOptions fromUri(String url) {
    return new StorageOptions().setUrl(url);
  }

  /**
   * @return the database url, or {@code null} for the default SQLite file
   */
  public String getUrl() {
    return url;
  }

  /**
   * Sets the database url. Credentials in it are never logged; use {@link #toString()} for logs.
   *
   * @param url a {@code postgres://user:password@host:port/db}, {@code postgresql://...} or {@code
   *     sqlite:path} url, or {@code null} for the default SQLite file
   * @return these options
   * @throws IllegalArgumentException if the url cannot be parsed or names another database
   */
  public StorageOptions setUrl(String url) {
    if (url != null) {
      kindOf(url);
    }
    this.url = url;
    return this;
  }

  /**
   * @return the url migrations run with, or {@code null} to run them with {@link #getUrl()}
   */
  public String getAdminUrl() {
    return adminUrl;
  }

  /**
   * Sets a separate url for migrations (PostgreSQL only), so that the runtime role needs no DDL
   * rights. After migrating, the admin role grants the runtime role the data rights it needs.
   *
   * @param adminUrl a {@code postgres://} url of a role that may create tables, or {@code null}
   * @return these options
   * @throws IllegalArgumentException if the url is not a PostgreSQL url
   */
  public StorageOptions setAdminUrl(String adminUrl) {
    if (adminUrl != null && kindOf(adminUrl) != StorageKind.POSTGRESQL) {
      throw new IllegalArgumentException("adminUrl must be a postgres:// url");
    }
    this.adminUrl = adminUrl;
    return this;
  }

  /**
   * @return the SQLite file used when {@link #getUrl()} is {@code null}; default {@value
   *     #DEFAULT_SQLITE_PATH}
   */
  public String getSqlitePath() {
    return sqlitePath;
  }

  /**
   * Sets the SQLite file used when no url is set. Missing parent directories are created on open.
   *
   * @param sqlitePath a file path
   * @return these options
   * @throws IllegalArgumentException if the path is blank
   */
  public StorageOptions setSqlitePath(String sqlitePath) {
    if (sqlitePath == null || sqlitePath.isBlank()) {
      throw new IllegalArgumentException("sqlitePath must not be blank");
    }
    this.sqlitePath = sqlitePath;
    return this;
  }

  /**
   * @return the largest number of connections; default {@value #DEFAULT_MAX_POOL_SIZE}
   */
  public int getMaxPoolSize() {
    return maxPoolSize;
  }

  /**
   * Sets the largest number of connections. SQLite always writes through exactly one connection;
   * this bounds its readers.
   *
   * @param maxPoolSize 1 to 256
   * @return these options
   * @throws IllegalArgumentException if out of range
   */
  public StorageOptions setMaxPoolSize(int maxPoolSize) {
    if (maxPoolSize < 1 || maxPoolSize > 256) {
      throw new IllegalArgumentException("maxPoolSize must be between 1 and 256");
    }
    this.maxPoolSize = maxPoolSize;
    return this;
  }

  /**
   * @return the engine these options select
   */
  public StorageKind kind() {
    return url == null ? StorageKind.SQLITE : kindOf(url);
  }

  /**
   * @return the SQLite file these options select: the path of an {@code sqlite:} url, else {@link
   *     #getSqlitePath()}
   */
  public String resolvedSqlitePath() {
    if (url != null && kindOf(url) == StorageKind.SQLITE) {
      String path = url.substring("sqlite:".length());
      // sqlite:///abs/path and sqlite:/abs/path are absolute, sqlite:rel/path is relative.
      return path.startsWith("//") ? path.substring(2) : path;
    }
    return sqlitePath;
  }

  /**
   * @return these options as JSON, with the keys the JSON constructor reads
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject().put("sqlitePath", sqlitePath).put("maxPoolSize", maxPoolSize);
    if (url != null) {
      json.put("url", url);
    }
    if (adminUrl != null) {
      json.put("adminUrl", adminUrl);
    }
    return json;
  }

  /**
   * Describes the options for logs: passwords in urls are replaced by {@code ***}.
   *
   * @return a description without secrets
   */
  @Override
  public String toString() {
    return "StorageOptions{kind="
        + kind().label()
        + ", url="
        + redact(url)
        + ", adminUrl="
        + redact(adminUrl)
        + ", sqlitePath="
        + resolvedSqlitePath()
        + ", maxPoolSize="
        + maxPoolSize
        + "}";
  }

  /**
   * Replaces the password of a url with {@code ***}, for logs and error messages.
   *
   * @param url a url, or {@code null}
   * @return the url without its password, or {@code null}
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    int scheme = url.indexOf("://");
    int at = url.lastIndexOf('@');
    if (scheme < 0 || at < scheme) {
      return url;
    }
    String userInfo = url.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
    return url.substring(0, scheme + 3) + user + (colon < 0 ? "" : ":***") + url.substring(at);
  }

  private static StorageKind kindOf(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("sqlite:")) {
      String path = url.substring("sqlite:".length());
      if (path.isBlank() || path.equals("//") || path.equals("///")) {
        throw new IllegalArgumentException(
            "sqlite url names no file, expected sqlite:path/to/file.db");
      }
      return StorageKind.SQLITE;
    }
    if (lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "database url is not a valid url: " + e.getReason() + " (" + redact(url) + ")");
      }
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        throw new IllegalArgumentException("postgres url has no host (" + redact(url) + ")");
      }
      if (uri.getPort() == 0 || uri.getPort() > 65535) {
        throw new IllegalArgumentException(
            "postgres url has an invalid port (" + redact(url) + ")");
      }
      return StorageKind.POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "database url must start with postgres://, postgresql:// or sqlite: (" + redact(url) + ")");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageOptions other
        && Objects.equals(url, other.url)
        && Objects.equals(adminUrl, other.adminUrl)
        && sqlitePath.equals(other.sqlitePath)
        && maxPoolSize == other.maxPoolSize;
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, adminUrl, sqlitePath, maxPoolSize);
  }
}
