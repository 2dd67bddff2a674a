package dev.homelab.server.http;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.JsonInput;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Set;

/**
 * Reads query parameters and body fields, failing with a 422 that names the field. A parameter
 * given with an empty value ({@code ?period=}) is present: it is checked like any other value, so
 * that the server refuses it exactly where /openapi.json does.
 */
public final class Params {

  private Params() {}

  /**
   * @param ctx the request
   * @param name the query parameter
   * @param fallback the value when it is absent
   * @param min the smallest accepted
   * @param max the largest accepted
   * @return the value
   */
  public static int integer(RoutingContext ctx, String name, int fallback, int min, int max) {
    String value = ctx.request().getParam(name);
    if (value == null) {
      return fallback;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new ValidationException(
        name, name + " must be a whole number from " + min + " to " + max);
  }

  /**
   * @param ctx the request
   * @param name the query parameter
   * @return the value, possibly empty, or {@code null} when absent
   */
  public static String text(RoutingContext ctx, String name) {
    return ctx.request().getParam(name);
  }

  /**
   * @param ctx the request
   * @param name the query parameter
   * @param allowed the accepted values
   * @return the value, or {@code null} when absent
   * @throws ValidationException naming the parameter if the value is not one of {@code allowed}
   */
  public static String oneOf(RoutingContext ctx, String name, Set<String> allowed) {
    String value = text(ctx, name);
    if (value != null && !allowed.contains(value)) {
      throw new ValidationException(
          name, name + " must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
    }
    return value;
  }

  /**
   * @param ctx the request
   * @param name the query parameter
   * @return the ISO-8601 instant, or {@code null} when absent (an empty value is refused)
   */
  public static Instant instant(RoutingContext ctx, String name) {
    String value = text(ctx, name);
    return value == null ? null : instant(name, value);
  }

  /**
   * @param field the field name, for the error
   * @param value ISO-8601 text
   * @return the instant
   */
  public static Instant instant(String field, Object value) {
    return JsonInput.instant(field, value);
  }

  /**
   * Refuses body fields outside {@code allowed}, so that a misspelt or forbidden field is never
   * silently ignored.
   *
   * @param body the body
   * @param allowed the accepted fields
   */
  public static void onlyFields(JsonObject body, Set<String> allowed) {
    JsonInput.onlyFields(body, allowed);
  }
}
