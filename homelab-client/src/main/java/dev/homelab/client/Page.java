package dev.homelab.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, and the cursor of the next one. Pass {@link #nextCursor()} back in the
 * query's {@code cursor} to read the next page; {@link BlockingHomelabClient} can also page
 * automatically.
 *
 * @param items the items of this page, in the server's order; an unmodifiable copy
 * @param nextCursor the cursor of the next page, or {@code null} if this is the last one
 * @param <T> the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * Copies the items.
   *
   * @param items the items, none of them {@code null}
   * @param nextCursor the cursor of the next page, or {@code null}; an empty cursor counts as none
   */
  public Page {
    items = List.copyOf(items);
    nextCursor = nextCursor == null || nextCursor.isEmpty() ? null : nextCursor;
  }

  /**
   * Reads a page the server sends, {@code {"<itemsKey>":[...],"next_cursor":...}}; unknown fields
   * are ignored.
   *
   * @param json the response body
   * @param itemsKey the key of the items' array, for example {@code devices}
   * @param item reads one item
   * @param <T> the item type
   * @return the page
   */
  public static <T> Page<T> fromJson(
      JsonObject json, String itemsKey, Function<JsonObject, T> item) {
    JsonArray array = json.getJsonArray(itemsKey, new JsonArray());
    List<T> items = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      items.add(item.apply(array.getJsonObject(i)));
    }
    return new Page<>(items, json.getString("next_cursor"));
  }

  /**
   * @return {@code true} if there is a next page
   */
  public boolean hasNext() {
    return nextCursor != null;
  }
}
