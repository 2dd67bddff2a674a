package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import java.util.regex.Pattern;

/**
 * The rule for reader ids and reader group names. A reader id is usually the reader's device id (a
 * UUID) but may be any short printable name, so that a reader known only by its MQTT topic works
 * too.
 */
public final class ReaderIds {

  /** The longest reader id. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  private ReaderIds() {}

  /**
   * @param field the field name for the failure
   * @param value a reader id
   * @return the reader id
   * @throws ValidationException naming the field if it is not one
   */
  public static String check(String field, Object value) {
    if (!(value instanceof String id) || !isReaderId(id)) {
      throw new ValidationException(
          field,
          field
              + " must be 1 to "
              + MAX_LENGTH
              + " characters of letters, digits and . _ : @ -, starting with a letter or digit");
    }
    return id;
  }

  // A loop rather than a regex: this runs on every decision.
  private static boolean isReaderId(String id) {
    int length = id.length();
    if (length == 0 || length > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = id.charAt(i);
      boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!alnum && (i == 0 || c != '.' && c != '_' && c != ':' && c != '@' && c != '-')) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param field the field name for the failure
   * @param value a reader group name
   * @return the name
   * @throws ValidationException naming the field if it is not one
   */
  public static String checkGroup(String field, Object value) {
    if (!(value instanceof String name) || !GROUP.matcher(name).matches()) {
      throw new ValidationException(
          field,
          field + " must be 1 to 64 characters of a-z, 0-9, _ and -, starting with a-z or 0-9");
    }
    return name;
  }
}
