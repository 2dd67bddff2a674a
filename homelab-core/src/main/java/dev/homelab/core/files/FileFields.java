package dev.homelab.core.files;

import dev.homelab.core.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rules for the fields users give a file: display names, media types and tags. A display name
 * is only ever shown and sent back in {@code Content-Disposition}; it is never part of a path, but
 * it is still cleaned so that it reads the same everywhere it is shown.
 */
public final class FileFields {

  /** The longest display name kept, in characters; longer names are cut. */
  public static final int MAX_FILENAME = 255;

  /** The most tags a file may have. */
  public static final int MAX_TAGS = 32;

  /** The longest tag, in characters. */
  public static final int MAX_TAG = 64;

  /** The media type given when none or an unusable one was sent. */
  public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  private static final Pattern TAG = Pattern.compile("[\\p{L}\\p{N} _.:-]+");
  private static final Pattern MEDIA_TYPE =
      Pattern.compile("[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}");

  private FileFields() {}

  /**
   * Cleans a display name: keeps what follows the last {@code /} or {@code \}, drops control
   * characters (NUL, CR, LF, ...) and unpaired surrogates, trims, and cuts to {@value
   * #MAX_FILENAME} characters; an empty result is {@code file}.
   *
   * @param name the name a client gave, or {@code null}
   * @return a display name, never empty
   */
  public static String filename(String name) {
    if (name == null) {
      return "file";
    }
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    String last = name.substring(slash + 1);
    StringBuilder clean = new StringBuilder(Math.min(last.length(), MAX_FILENAME));
    last.codePoints()
        .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.SURROGATE)
        .filter(c -> Character.getType(c) != Character.FORMAT || c == 0x200D)
        .forEach(clean::appendCodePoint);
    String trimmed = clean.toString().strip();
    if (trimmed.equals(".") || trimmed.equals("..")) {
      trimmed = "";
    }
    if (trimmed.codePointCount(0, trimmed.length()) > MAX_FILENAME) {
      // Cut at a code point, never inside a surrogate pair, and trim what the cut exposed.
      trimmed = trimmed.substring(0, trimmed.offsetByCodePoints(0, MAX_FILENAME)).strip();
    }
    return trimmed.isEmpty() ? "file" : trimmed;
  }

  /**
   * @param contentType a media type as sent (parameters such as {@code charset} are dropped), or
   *     {@code null}
   * @return the lower-cased type and subtype, or {@value #DEFAULT_CONTENT_TYPE} for anything else
   */
  public static String contentType(String contentType) {
    if (contentType == null) {
      return DEFAULT_CONTENT_TYPE;
    }
    int semicolon = contentType.indexOf(';');
    String type =
        (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
            .strip()
            .toLowerCase(Locale.ROOT);
    return MEDIA_TYPE.matcher(type).matches() ? type : DEFAULT_CONTENT_TYPE;
  }

  /**
   * @param tags the tags as given, or {@code null} for none
   * @return the tags trimmed, lower-cased, without duplicates, sorted
   * @throws ValidationException (field {@code tags}) for a tag that is empty, too long, or holds
   *     other characters than letters, digits, space, {@code _ . : -}, or for too many tags
   */
  public static List<String> tags(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    TreeSet<String> clean = new TreeSet<>();
    for (String tag : tags) {
      String given = tag == null ? "" : tag.strip();
      // Checked before lower-casing: some letters lower-case to a letter and a combining mark
      // (U+0130 İ becomes i and U+0307), which the pattern would then refuse.
      if (given.isEmpty()
          || given.codePointCount(0, given.length()) > MAX_TAG
          || !TAG.matcher(given).matches()) {
        throw new ValidationException(
            "tags",
            "a tag is 1 to "
                + MAX_TAG
                + " letters, digits, spaces or _ . : - (got "
                + quoted(tag)
                + ")");
      }
      clean.add(given.toLowerCase(Locale.ROOT));
    }
    if (clean.size() > MAX_TAGS) {
      throw new ValidationException("tags", "a file has at most " + MAX_TAGS + " tags");
    }
    return List.copyOf(clean);
  }

  /**
   * @param text tags separated by commas, as in a form field or tus metadata; may be {@code null}
   * @return the tags, checked as {@link #tags(List)} does
   */
  public static List<String> tagList(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> tags = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      if (!part.isBlank()) {
        tags.add(part);
      }
    }
    return tags(tags);
  }

  private static String quoted(String tag) {
    if (tag == null) {
      return "null";
    }
    String shown = tag.length() > 20 ? tag.substring(0, 20) + "..." : tag;
    return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
