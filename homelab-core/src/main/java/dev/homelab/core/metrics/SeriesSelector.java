package dev.homelab.core.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Selects series by name and tags: one series exactly ({@link #of(SeriesKey)}), or every series of
 * a name whose tags pass a filter ({@link #named(String)} with {@link #withTag(String, String)} and
 * {@link #withoutTag(String, String...)}), for example every interface's {@code host.net.rx} but
 * loopback's.
 *
 * <p>Immutable; the {@code with...} methods answer a new selector.
 *
 * @param name the series name
 * @param tags tags a series must have, with these values; for an exact selector, all its tags
 * @param excluded per tag key, values that leave a series out
 * @param exact whether the selector is one series, with exactly {@code tags}, rather than a set
 */
public record SeriesSelector(
    String name,
    SortedMap<String, String> tags,
    SortedMap<String, SortedSet<String>> excluded,
    boolean exact) {

  /**
   * Checks and copies the components.
   *
   * @throws dev.homelab.core.ValidationException if the name or a tag breaks the rules of {@link
   *     SeriesKey}
   * @throws IllegalArgumentException if an exact selector excludes tags
   */
  public SeriesSelector {
    // A key with the required tags checks the name and the tags by SeriesKey's rules.
    tags = SeriesKey.of(name, tags).tags();
    TreeMap<String, SortedSet<String>> copy = new TreeMap<>();
    if (excluded != null) {
      excluded.forEach(
          (key, values) -> {
            SortedSet<String> checked = new TreeSet<>();
            values.forEach(v -> checked.add(SeriesKey.of(name, Map.of(key, v)).tag(key)));
            copy.put(key, Collections.unmodifiableSortedSet(checked));
          });
    }
    if (exact && !copy.isEmpty()) {
      throw new IllegalArgumentException("an exact selector excludes nothing");
    }
    excluded = Collections.unmodifiableSortedMap(copy);
  }

  /**
   * @param series a series
   * @return a selector of exactly that series
   */
  public static SeriesSelector of(SeriesKey series) {
    return new SeriesSelector(series.name(), series.tags(), null, true);
  }

  /**
   * @param name a series name
   * @return a selector of every series of that name, whatever its tags
   */
  public static SeriesSelector named(String name) {
    return new SeriesSelector(name, null, null, false);
  }

  /**
   * @param key a tag key
   * @param value the value the tag must have
   * @return this selector, keeping only the series whose tag {@code key} is {@code value}
   * @throws IllegalStateException on an exact selector
   */
  public SeriesSelector withTag(String key, String value) {
    checkNotExact();
    TreeMap<String, String> more = new TreeMap<>(tags);
    more.put(key, value);
    return new SeriesSelector(name, more, excluded, false);
  }

  /**
   * @param key a tag key
   * @param values values of that tag that leave a series out
   * @return this selector, without the series whose tag {@code key} is one of {@code values} (a
   *     series without the tag stays)
   * @throws IllegalStateException on an exact selector
   */
  public SeriesSelector withoutTag(String key, String... values) {
    checkNotExact();
    TreeMap<String, SortedSet<String>> more = new TreeMap<>(excluded);
    SortedSet<String> set = new TreeSet<>(more.getOrDefault(key, Collections.emptySortedSet()));
    set.addAll(Set.of(values));
    more.put(key, set);
    return new SeriesSelector(name, tags, more, false);
  }

  /**
   * @return the one series of an exact selector, or {@code null} for a set, which is known only
   *     against the series that exist
   */
  public SeriesKey key() {
    return exact ? new SeriesKey(name, tags) : null;
  }

  /**
   * @param series a series
   * @return whether this selector selects it
   */
  public boolean matches(SeriesKey series) {
    if (!series.name().equals(name)) {
      return false;
    }
    if (exact) {
      return series.tags().equals(tags);
    }
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!tag.getValue().equals(series.tag(tag.getKey()))) {
        return false;
      }
    }
    for (Map.Entry<String, SortedSet<String>> out : excluded.entrySet()) {
      String value = series.tag(out.getKey());
      if (value != null && out.getValue().contains(value)) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return the canonical key of an exact selector; for a set, the name with its filter, for
   *     example {@code host.net.rx{iface!=lo}} or {@code host.net.rx{*}}
   */
  @Override
  public String toString() {
    if (exact) {
      return key().toString();
    }
    StringJoiner filter = new StringJoiner(",", name + "{", "}");
    tags.forEach((k, v) -> filter.add(k + "=" + v));
    excluded.forEach((k, values) -> values.forEach(v -> filter.add(k + "!=" + v)));
    return filter.length() == name.length() + 2 ? name + "{*}" : filter.toString();
  }

  private void checkNotExact() {
    if (exact) {
      throw new IllegalStateException("an exact selector has no tag filter: " + this);
    }
  }
}
