package dev.homelab.core.identity;

import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.JsonInput;
import dev.homelab.core.internal.Texts;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * An API key to create for the acting user.
 *
 * @param name what the key is for, shown in lists; stripped
 * @param scope what the key may do, or {@code null} for the creator's own role
 * @param expiresAt when it stops working, or {@code null} for never
 */
public record NewApiKey(String name, KeyScope scope, Instant expiresAt) {

  private static final Set<String> FIELDS = Set.of("name", "scope", "expires_at");

  /** Checks the name. */
  public NewApiKey {
    name = checkName(name).strip();
  }

  /**
   * @param body {@code {"name", "scope"?, "expires_at"?}}; other fields are refused
   * @return the key to create
   */
  public static NewApiKey fromJson(JsonObject body) {
    JsonInput.onlyFields(body, FIELDS);
    String name = checkName(body.getValue("name")); // first, as the fields are listed
    return new NewApiKey(
        name,
        body.getValue("scope") == null ? null : KeyScope.parse("scope", body.getValue("scope")),
        body.getValue("expires_at") == null
            ? null
            : JsonInput.instant("expires_at", body.getValue("expires_at")));
  }

  private static String checkName(Object value) {
    if (!(value instanceof String name)
        || Texts.isBlank(name)
        || Texts.length(name) > ApiKey.MAX_NAME_LENGTH) {
      throw new ValidationException(
          "name",
          "name must be a non-blank string of at most " + ApiKey.MAX_NAME_LENGTH + " characters");
    }
    return name;
  }
}
