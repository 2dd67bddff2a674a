package dev.homelab.client.access;

import dev.homelab.client.internal.JsonFields;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * A named set of readers, such as {@code front-doors}, that card policies can allow at once, as the
 * {@code /api/policies/groups} endpoints report it. Changing a group changes what every card that
 * names it may open.
 *
 * @param name the group's name: 1 to 64 of {@code a-z 0-9 _ -}, starting with a letter or digit
 * @param readers the reader ids in it; an unmodifiable copy
 * @param updatedAt when it last changed
 */
public record ReaderGroup(String name, Set<String> readers, Instant updatedAt) {

  /**
   * Copies the readers; {@code null} becomes an empty set.
   *
   * @param name the name
   * @param readers the reader ids, or {@code null}
   * @param updatedAt when it last changed
   */
  public ReaderGroup {
    readers = readers == null ? Set.of() : Set.copyOf(readers);
  }

  /**
   * Reads the JSON the server sends; unknown fields are ignored.
   *
   * @param json one group
   * @return the group
   */
  public static ReaderGroup fromJson(JsonObject json) {
    return new ReaderGroup(
        json.getString("name"),
        JsonFields.strings(json, "readers"),
        JsonFields.instant(json, "updated_at"));
  }

  /**
   * @return the JSON the server sends, readers sorted
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("readers", JsonFields.sorted(readers))
        .put("updated_at", JsonFields.instant(updatedAt));
  }
}
