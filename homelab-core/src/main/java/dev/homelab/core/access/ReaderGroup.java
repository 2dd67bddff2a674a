package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A named set of readers, such as {@code front-doors}, that card policies can allow at once.
 * Changing a group changes what every card that names it may open.
 *
 * @param name the group's name
 * @param readers the reader ids in it
 * @param updatedAt when it last changed
 */
public record ReaderGroup(String name, Set<String> readers, Instant updatedAt) {

  /** Checks and copies the components. */
  public ReaderGroup {
    name = ReaderIds.checkGroup("name", name);
    readers = readers == null ? Set.of() : Set.copyOf(readers);
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /**
   * Reads the body of {@code PUT /api/policies/groups/{name}}: {@code {"readers": [...]}}.
   *
   * @param body the body
   * @return the readers
   * @throws ValidationException naming the bad field
   */
  public static Set<String> readersFromJson(JsonObject body) {
    for (String field : body.fieldNames()) {
      if (!field.equals("readers")) {
        throw new ValidationException(field, field + " is not a field of a reader group");
      }
    }
    if (!(body.getValue("readers") instanceof JsonArray)) {
      throw new ValidationException("readers", "readers must be an array of reader ids");
    }
    return CardFields.readers(body.getValue("readers"));
  }

  /**
   * @return the wire form, readers sorted
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("readers", new JsonArray(new TreeSet<>(readers).stream().toList()))
        .put("updated_at", updatedAt.toString());
  }
}
