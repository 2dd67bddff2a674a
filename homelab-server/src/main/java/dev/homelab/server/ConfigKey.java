package dev.homelab.server;

import dev.homelab.core.store.StorageOptions;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key, declared once: its name, type, default, range or choices, whether it is a
 * secret, and the sentence that documents it. {@link ConfigKeys#ALL} lists them; {@link
 * ServerConfig} parses and checks values by them, {@code .env.example} is rendered from them and
 * {@code docs/configuration.md} is checked against them.
 *
 * <p>Secrets are shown only through {@link #display}, which hides them whole ({@link Type#SECRET})
 * or hides the password of a url ({@link Type#URL}): nothing that prints configuration values
 * should go around it.
 *
 * @param name the environment name, for example {@code PORT}
 * @param type how the value is read
 * @param defaultValue the built-in default, {@code ""} for none
 * @param min the least value of an {@link Type#INTEGER}
 * @param max the largest value of an {@link Type#INTEGER}
 * @param choices the values a {@link Type#CHOICE} accepts (case-insensitive), else empty
 * @param doc the documentation, one or more lines; {@code null} when the key shares the previous
 *     key's documentation
 * @param section the feature that reads the key (its start step's name), or {@code main} for the
 *     process itself (logging, data directory, shutdown)
 * @param option the field of the feature's core options JSON this key sets, or {@code null}
 * @param idsKey for a template key, whose name holds {@value #ID} (such as {@code
 *     PROXMOX_<ID>_URL}), the {@link Type#LIST} key whose ids it is expanded for (such as {@code
 *     PROXMOX_SERVERS}); {@code null} for a plain key
 */
public record ConfigKey(
    String name,
    Type type,
    String defaultValue,
    long min,
    long max,
    List<String> choices,
    String doc,
    String section,
    Option option,
    String idsKey) {

  /** The placeholder of a template key's name, replaced by an id's {@link #envId}. */
  public static final String ID = "<ID>";

  /**
   * Where a key's value goes in the JSON that a core Options class is built from (for example
   * {@code new AccessEngineOptions(config.section("access"))}).
   *
   * @param field the JSON field
   * @param convert from the checked text value to the JSON value
   */
  public record Option(String field, Function<String, Object> convert) {}

  /** How a value is read and shown. */
  public enum Type {
    /** Free text. */
    TEXT,
    /** A whole number within {@link #min()} and {@link #max()}. */
    INTEGER,
    /** One of {@link #choices()}. */
    CHOICE,
    /** Comma-separated items. */
    LIST,
    /** A number and a unit: {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}. */
    DURATION,
    /** A url whose user info may hold a password: shown with the password masked. */
    URL,
    /** A secret: never shown. */
    SECRET
  }

  /**
   * Checks the declaration.
   *
   * @throws IllegalArgumentException if it is inconsistent
   */
  public ConfigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaultValue, "defaultValue");
    choices = List.copyOf(choices);
    if (!name.matches("[A-Z][A-Z0-9_]*(<ID>[A-Z0-9_]*)?")) {
      throw new IllegalArgumentException(name + " is not an environment name");
    }
    if (idsKey != null && !name.contains(ID)) {
      throw new IllegalArgumentException(name + ": a template name goes with its ids key");
    }
    if (type == Type.INTEGER
        && (min > max
            || Long.parseLong(defaultValue) < min
            || Long.parseLong(defaultValue) > max)) {
      throw new IllegalArgumentException(name + ": default outside " + min + "-" + max);
    }
    if (type == Type.CHOICE && choices.isEmpty()) {
      throw new IllegalArgumentException(name + ": a choice needs choices");
    }
  }

  static ConfigKey text(String name, String defaultValue, String doc) {
    return new ConfigKey(name, Type.TEXT, defaultValue, 0, 0, List.of(), doc, null, null, null);
  }

  static ConfigKey integer(String name, String defaultValue, long min, long max, String doc) {
    return new ConfigKey(
        name, Type.INTEGER, defaultValue, min, max, List.of(), doc, null, null, null);
  }

  static ConfigKey choice(String name, String defaultValue, List<String> choices, String doc) {
    return new ConfigKey(name, Type.CHOICE, defaultValue, 0, 0, choices, doc, null, null, null);
  }

  static ConfigKey list(String name, String defaultValue, String doc) {
    return new ConfigKey(name, Type.LIST, defaultValue, 0, 0, List.of(), doc, null, null, null);
  }

  static ConfigKey duration(String name, String defaultValue, String doc) {
    return new ConfigKey(name, Type.DURATION, defaultValue, 0, 0, List.of(), doc, null, null, null);
  }

  static ConfigKey url(String name, String defaultValue, String doc) {
    return new ConfigKey(name, Type.URL, defaultValue, 0, 0, List.of(), doc, null, null, null);
  }

  static ConfigKey secret(String name, String defaultValue, String doc) {
    return new ConfigKey(name, Type.SECRET, defaultValue, 0, 0, List.of(), doc, null, null, null);
  }

  /**
   * @param owner the feature that reads the key, or {@code main}
   * @return this key in that section
   */
  ConfigKey in(String owner) {
    return new ConfigKey(name, type, defaultValue, min, max, choices, doc, owner, option, idsKey);
  }

  /**
   * @param field the core options' JSON field this key sets, with its value as a number for an
   *     {@link Type#INTEGER} and as text otherwise
   * @return this key, feeding that field
   */
  ConfigKey option(String field) {
    return option(field, type == Type.INTEGER ? Integer::valueOf : value -> value);
  }

  /**
   * @param field the core options' JSON field this key sets
   * @param convert from the checked text value to the JSON value
   * @return this key, feeding that field
   */
  ConfigKey option(String field, Function<String, Object> convert) {
    return new ConfigKey(
        name,
        type,
        defaultValue,
        min,
        max,
        choices,
        doc,
        section,
        new Option(field, convert),
        idsKey);
  }

  /**
   * @param ids the {@link Type#LIST} key whose ids this template is expanded for
   * @return this key as a template: its name must hold {@value #ID}
   */
  ConfigKey perId(String ids) {
    return new ConfigKey(name, type, defaultValue, min, max, choices, doc, section, option, ids);
  }

  /**
   * @return whether this is a template, declared once for every id of {@link #idsKey()}
   */
  public boolean isTemplate() {
    return idsKey != null;
  }

  /**
   * How an id appears in an environment name: upper case, {@code -} as {@code _} ({@code
   * smart-home} is {@code SMART_HOME}).
   *
   * @param id an id as listed
   * @return its environment form
   */
  public static String envId(String id) {
    return id.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  /**
   * @param id an id listed in {@link #idsKey()}
   * @return this template's key for that id, such as {@code PROXMOX_NAS_URL}: a plain key with this
   *     key's type, default and documentation
   */
  public ConfigKey expand(String id) {
    if (!isTemplate()) {
      throw new IllegalStateException(name + " is not a template");
    }
    return new ConfigKey(
        name.replace(ID, envId(id)),
        type,
        defaultValue,
        min,
        max,
        choices,
        doc,
        section,
        option,
        null);
  }

  /**
   * @param envName an environment name
   * @return the id part (environment form) if {@code envName} is this template expanded for some
   *     id, else {@code null}
   */
  public String idIn(String envName) {
    if (!isTemplate()) {
      return null;
    }
    int at = name.indexOf(ID);
    String prefix = name.substring(0, at);
    String suffix = name.substring(at + ID.length());
    if (envName.length() > prefix.length() + suffix.length()
        && envName.startsWith(prefix)
        && envName.endsWith(suffix)) {
      String id = envName.substring(prefix.length(), envName.length() - suffix.length());
      return id.matches("[A-Z0-9][A-Z0-9_]*") ? id : null;
    }
    return null;
  }

  /**
   * @return whether values of this key are secret, whole or in part (a url's password)
   */
  public boolean isSecret() {
    return type == Type.SECRET || type == Type.URL;
  }

  /**
   * A value of this key as it may be shown in logs, errors and {@code toString}.
   *
   * @param value a value, possibly {@code null} or empty
   * @return the value, or a mask: {@code (none)} for an empty secret, {@code ***} for a set one,
   *     and a url with {@code ***} in place of its password
   */
  public String display(String value) {
    if (value == null || value.isEmpty()) {
      return type == Type.SECRET ? "(none)" : "";
    }
    return switch (type) {
      case SECRET -> "***";
      case URL -> StorageOptions.redact(value);
      default -> value;
    };
  }
}
