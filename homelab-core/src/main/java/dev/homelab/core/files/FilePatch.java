package dev.homelab.core.files;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A change to a file: a new display name, new tags, or both; {@code null} leaves a field as it is.
 *
 * @param filename the new display name, cleaned like an uploaded one
 * @param tags the new tags, replacing the old ones
 */
public record FilePatch(String filename, List<String> tags) {

  private static final Set<String> FIELDS = Set.of("filename", "tags");

  /** Cleans the fields. */
  public FilePatch {
    if (filename != null) {
      if (filename.isBlank()) {
        throw new ValidationException("filename", "filename must not be empty");
      }
      filename = FileFields.filename(filename);
    }
    if (tags != null) {
      tags = FileFields.tags(tags);
    }
  }

  /**
   * @param json the body of {@code PATCH /api/files/{id}}
   * @return the patch
   * @throws ValidationException naming the field that is unknown or of the wrong type
   */
  public static FilePatch fromJson(JsonObject json) {
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new ValidationException(name, "unknown field " + name + "; allowed: filename, tags");
      }
    }
    Object filename = json.getValue("filename");
    if (filename != null && !(filename instanceof String)) {
      throw new ValidationException("filename", "filename must be a string");
    }
    Object tags = json.getValue("tags");
    List<String> tagList = null;
    if (tags != null) {
      if (!(tags instanceof JsonArray array)) {
        throw new ValidationException("tags", "tags must be an array of strings");
      }
      tagList = new ArrayList<>();
      for (Object tag : array) {
        if (!(tag instanceof String s)) {
          throw new ValidationException("tags", "tags must be an array of strings");
        }
        tagList.add(s);
      }
    }
    return new FilePatch((String) filename, tagList);
  }

  /**
   * @return whether the patch changes nothing
   */
  public boolean isEmpty() {
    return filename == null && tags == null;
  }
}
