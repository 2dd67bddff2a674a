package dev.homelab.core.metrics;

import dev.homelab.core.ValidationException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Identifies a series: a name and a small, bounded set of tags, for example {@code host.cpu} with
 * {@code core=3}.
 *
 * <p>Tags are for dimensions with few values (a core, a mount point, an interface, a VM id), never
 * for ids without bound: a key has at most {@value #MAX_TAGS} tags, and names and values are short.
 * The canonical text form, {@code name{k1=v1,k2=v2}} with tags sorted by key, is what stores keep.
 *
 * @param name lower-case letters, digits, dots, dashes and underscores, starting with a letter
 * @param tags the tags, sorted by key; unmodifiable
 */
public record SeriesKey(String name, SortedMap<String, String> tags) {

  /** The most tags a series may have: {@value}. */
  public static final int MAX_TAGS = 8;

  /** The longest name, tag key or tag value: {@value} characters. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9._-]*");
  private static final Pattern TAG_KEY = Pattern.compile("[a-z][a-z0-9_]*");
  // Values are free-form but must not break the canonical form or a URL path segment; '_' is in
  // automation names (main/kitchen/motion_light).
  private static final Pattern TAG_VALUE = Pattern.compile("[A-Za-z0-9._:/@+_-]+");

  /**
   * Checks and copies the components.
   *
   * @throws ValidationException if the name or a tag breaks the rules above
   */
  public SeriesKey {
    check("series", name, NAME);
    if (tags == null) {
      tags = Collections.emptySortedMap();
    } else {
      if (tags.size() > MAX_TAGS) {
        throw new ValidationException("tags", "a series has at most " + MAX_TAGS + " tags");
      }
      TreeMap<String, String> copy = new TreeMap<>();
      for (Map.Entry<String, String> tag : tags.entrySet()) {
        check("tags", tag.getKey(), TAG_KEY);
        check("tags." + tag.getKey(), tag.getValue(), TAG_VALUE);
        copy.put(tag.getKey(), tag.getValue());
      }
      tags = Collections.unmodifiableSortedMap(copy);
    }
  }

  /**
   * @param name the series name
   * @return a key without tags
   */
  public static SeriesKey of(String name) {
    return new SeriesKey(name, null);
  }

  /**
   * @param name the series name
   * @param tags the tags, in any order
   * @return the key
   */
  public static SeriesKey of(String name, Map<String, String> tags) {
    return new SeriesKey(name, tags == null ? null : new TreeMap<>(tags));
  }

  /**
   * Reads the canonical form.
   *
   * @param text {@code name} or {@code name{k=v,...}}
   * @return the key
   * @throws ValidationException if the text is not a valid key
   */
  public static SeriesKey parse(String text) {
    if (text == null) {
      throw new ValidationException("series", "a series is required");
    }
    int brace = text.indexOf('{');
    if (brace < 0) {
      return of(text);
    }
    if (!text.endsWith("}")) {
      throw new ValidationException("series", "tags must end with '}'");
    }
    TreeMap<String, String> tags = new TreeMap<>();
    String body = text.substring(brace + 1, text.length() - 1);
    if (!body.isEmpty()) {
      for (String pair : body.split(",", -1)) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || tags.put(pair.substring(0, eq), pair.substring(eq + 1)) != null) {
          throw new ValidationException("series", "tags are key=value pairs with distinct keys");
        }
      }
    }
    return new SeriesKey(text.substring(0, brace), tags);
  }

  /**
   * @param key a tag key
   * @return the tag's value, or {@code null}
   */
  public String tag(String key) {
    return tags.get(key);
  }

  /**
   * @return the canonical form, {@code name{k1=v1,k2=v2}} with tags sorted by key, or the bare name
   */
  @Override
  public String toString() {
    if (tags.isEmpty()) {
      return name;
    }
    StringBuilder text = new StringBuilder(name).append('{');
    tags.forEach((k, v) -> text.append(k).append('=').append(v).append(','));
    text.setCharAt(text.length() - 1, '}');
    return text.toString();
  }

  private static void check(String field, String value, Pattern pattern) {
    if (value == null || value.isEmpty()) {
      throw new ValidationException(field, field + " must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new ValidationException(field, field + " is longer than " + MAX_LENGTH + " characters");
    }
    if (!pattern.matcher(value).matches()) {
      throw new ValidationException(field, field + " must match " + pattern.pattern());
    }
  }
}
