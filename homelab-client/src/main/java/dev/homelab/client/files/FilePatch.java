package dev.homelab.client.files;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;

/**
 * The changes {@code PATCH /api/files/{id}} makes: only the fields that are set (not {@code null})
 * are sent, the others stay as they are. Start from {@link #empty()} and add changes with the
 * {@code with...} methods, each of which returns a new patch.
 *
 * @param filename the new display name, or {@code null} to keep it; the server keeps only what
 *     follows the last {@code /} or {@code \}, drops control characters and trims it
 * @param tags the new tags, replacing the old (an empty list removes them all), or {@code null} to
 *     keep them; unmodifiable
 */
public record FilePatch(String filename, List<String> tags) {

  private static final FilePatch EMPTY = new FilePatch(null, null);

  /**
   * Copies the tags.
   *
   * @param filename the new display name, or {@code null}
   * @param tags the new tags, or {@code null}
   */
  public FilePatch {
    tags = tags == null ? null : List.copyOf(tags);
  }

  /**
   * @return a patch that changes nothing
   */
  public static FilePatch empty() {
    return EMPTY;
  }

  /**
   * @param filename the new display name
   * @return a copy of this patch that also renames the file
   */
  public FilePatch withFilename(String filename) {
    return new FilePatch(filename, tags);
  }

  /**
   * @param tags the new tags, replacing the old: 0 to 32, each 1 to 64 letters, digits, spaces or
   *     {@code _ . : -}; the server lower-cases them
   * @return a copy of this patch that also retags the file
   */
  public FilePatch withTags(Collection<String> tags) {
    return new FilePatch(filename, List.copyOf(tags));
  }

  /**
   * @return {@code true} if the patch changes nothing
   */
  public boolean isEmpty() {
    return filename == null && tags == null;
  }

  /**
   * @return the request body: only the fields that are set
   */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    JsonFields.putIfSet(json, "filename", filename);
    JsonFields.putIfSet(json, "tags", tags == null ? null : new JsonArray(tags));
    return json;
  }
}
