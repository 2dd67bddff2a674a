package dev.homelab.core.files;

import dev.homelab.core.ValidationException;
import java.util.Locale;

/**
 * One page of a file listing, newest first.
 *
 * @param tag only files with this tag, or {@code null}
 * @param q only files whose name contains this text (case-insensitive), or {@code null}
 * @param limit the page size, 1 to {@value #MAX_LIMIT}
 * @param cursor where the page starts: the {@code next_cursor} of the previous page, or {@code
 *     null}
 */
public record FileQuery(String tag, String q, int limit, String cursor) {

  /** The largest page. */
  public static final int MAX_LIMIT = 200;

  /** The page size when none is asked. */
  public static final int DEFAULT_LIMIT = 50;

  /** Checks and cleans the components. */
  public FileQuery {
    if (tag != null) {
      try {
        tag = FileFields.tags(java.util.List.of(tag)).get(0);
      } catch (ValidationException e) {
        // The query parameter is "tag": name it, as every other component does.
        throw new ValidationException("tag", e.getMessage());
      }
    }
    if (q != null) {
      q = q.strip().toLowerCase(Locale.ROOT);
      if (q.isEmpty()) {
        q = null;
      } else if (q.codePointCount(0, q.length()) > FileFields.MAX_FILENAME) {
        throw new ValidationException(
            "q", "q is at most " + FileFields.MAX_FILENAME + " characters");
      }
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ValidationException("limit", "limit must be between 1 and " + MAX_LIMIT);
    }
    if (cursor != null && !cursor.matches("[0-9a-f-]{36}")) {
      throw new ValidationException("cursor", "cursor is not one this server gave out");
    }
  }

  /**
   * @return the first page of every file
   */
  public static FileQuery first() {
    return new FileQuery(null, null, DEFAULT_LIMIT, null);
  }
}
