package dev.homelab.core.internal;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Text lengths as /openapi.json counts them: JSON Schema's {@code minLength} and {@code maxLength}
 * count characters (code points), so an emoji is one character, not the two UTF-16 units of {@link
 * String#length()}.
 */
public final class Texts {

  private Texts() {}

  /**
   * @param text the text
   * @return its length in code points; a lone surrogate counts as one
   */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * The characters that make a text blank when it holds nothing else: Unicode's White_Space, the
   * byte order mark and the information separators U+001C to U+001F that {@link
   * Character#isWhitespace} counts. /openapi.json spells the same set out as {@link
   * #NOT_BLANK_PATTERN}, so that every regular expression engine reads it alike.
   *
   * @param c a UTF-16 unit
   * @return whether it is one of those characters
   */
  public static boolean isBlankChar(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085' || c == '\uFEFF';
  }

  /** The pattern of /openapi.json for "not blank": one character outside {@link #isBlankChar}. */
  public static final String NOT_BLANK_PATTERN =
      "[^\\t\\n\\u000B\\f\\r\\u001C-\\u001F \\u0085\\u00A0\\u1680\\u2000-\\u200A"
          + "\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]";

  /**
   * @param text the text
   * @return whether it is empty or holds only {@link #isBlankChar} characters
   */
  public static boolean isBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!isBlankChar(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * @param text the text
   * @param min the fewest characters accepted
   * @param max the most characters accepted
   * @return whether {@code text} has {@code min} to {@code max} code points
   */
  public static boolean lengthBetween(String text, int min, int max) {
    // Cheap bounds first: n units hold n/2 to n code points.
    if (text.length() < min || (text.length() + 1) / 2 > max) {
      return false;
    }
    int length = length(text);
    return length >= min && length <= max;
  }

  /**
   * Whether a text holds a control character: C0 (U+0000 to U+001F), DEL or C1 (U+0080 to U+009F).
   * No field has a use for them, and PostgreSQL cannot store U+0000 at all, so refusing them keeps
   * both stores alike.
   *
   * @param text the text
   * @param lineBreaksAllowed whether tab, line feed and carriage return are allowed (free text)
   * @return whether it holds one
   */
  public static boolean hasControl(String text, boolean lineBreaksAllowed) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20) {
        if (!lineBreaksAllowed || (c != '\t' && c != '\n' && c != '\r')) {
          return true;
        }
      } else if (c >= 0x7F && c <= 0x9F) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses control characters anywhere in a JSON value: in object keys at all, in strings other
   * than tab, line feed and carriage return.
   *
   * @param field the field the value came in, for the message (nested ones get {@code .key} and
   *     {@code [i]} appended)
   * @param value a JSON value: {@link JsonObject}, {@link JsonArray}, string, number, boolean or
   *     {@code null}
   * @throws ValidationException naming the innermost offending field
   */
  public static void requireNoControl(String field, Object value) {
    Offence offence = firstControl(value);
    if (offence == null) {
      return;
    }
    String path = offence.path().toString();
    String inner =
        field == null && path.startsWith(".") ? path.substring(1) : String.valueOf(field) + path;
    if (offence.inKey()) {
      throw new ValidationException(inner, "field names must not contain control characters");
    }
    throw new ValidationException(
        inner, inner + " must not contain control characters (such as U+0000)");
  }

  /**
   * Where a value holds a control character: the path below it ({@code .key}, {@code [3]}) and
   * whether it is in a key. The path is built only for an offence: an array of a million numbers
   * must not cost a million strings.
   */
  private record Offence(StringBuilder path, boolean inKey) {
    Offence under(String step) {
      path.insert(0, step);
      return this;
    }
  }

  private static Offence firstControl(Object value) {
    if (value instanceof JsonObject object) {
      for (Map.Entry<String, Object> entry : object) {
        if (hasControl(entry.getKey(), false)) {
          return new Offence(new StringBuilder("." + entry.getKey()), true);
        }
        Offence inner = firstControl(entry.getValue());
        if (inner != null) {
          return inner.under("." + entry.getKey());
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        Offence inner = firstControl(array.getValue(i));
        if (inner != null) {
          return inner.under("[" + i + "]");
        }
      }
    } else if (value instanceof String text && hasControl(text, true)) {
      return new Offence(new StringBuilder(), false);
    }
    return null;
  }
}
