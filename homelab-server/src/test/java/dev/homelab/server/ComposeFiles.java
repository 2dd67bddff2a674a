package dev.homelab.server;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployment files at the repository root ({@code compose.yaml}, {@code Dockerfile}, {@code
 * .env.example}, {@code deploy/}) as the tests read them, and compose's variable interpolation
 * ({@code ${VAR}}, {@code ${VAR:-default}}, {@code ${VAR:?message}}, {@code $$}).
 */
final class ComposeFiles {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /**
   * One {@code ${...}} reference: the name, the operator ({@code :-}, {@code -}, ...), the rest.
   */
  static final Pattern REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\\}");

  /** A variable reference in compose.yaml. */
  record Reference(String name, String operator, String argument) {

    /**
     * @return the default a {@code :-} or {@code -} reference gives, else {@code null}
     */
    String fallback() {
      return operator != null && operator.endsWith("-") ? argument : null;
    }

    /**
     * @return whether compose refuses to start when the variable is unset or empty
     */
    boolean required() {
      return ":?".equals(operator);
    }
  }

  private ComposeFiles() {}

  static String read(String relative) {
    try {
      return Files.readString(ROOT.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @param yaml a YAML document
   * @return it as JSON (maps, lists, strings, numbers, booleans)
   */
  static JsonObject yaml(String yaml) {
    Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
    return new JsonObject(Json.encode(loaded));
  }

  /**
   * @param text compose.yaml before interpolation
   * @return every reference in it, in order, {@code $$} escapes left out
   */
  static List<Reference> references(String text) {
    List<Reference> found = new ArrayList<>();
    Matcher matcher = REFERENCE.matcher(text.replace("$$", ""));
    while (matcher.find()) {
      found.add(new Reference(matcher.group(1), matcher.group(2), matcher.group(3)));
    }
    return found;
  }

  /**
   * Interpolates as {@code docker compose config} does.
   *
   * @param text compose.yaml
   * @param values the variables that are set (as from {@code .env})
   * @return the text with every reference replaced
   * @throws IllegalStateException with compose's message when a required variable is unset or empty
   */
  static String interpolate(String text, Map<String, String> values) {
    Function<Reference, String> resolve =
        ref -> {
          String value = values.get(ref.name());
          boolean empty = value == null || value.isEmpty();
          if (ref.operator() == null) {
            return value == null ? "" : value;
          }
          switch (ref.operator()) {
            case ":-":
              return empty ? ref.argument() : value;
            case "-":
              return value == null ? ref.argument() : value;
            case ":?":
              if (empty) {
                throw new IllegalStateException(ref.name() + ": " + ref.argument());
              }
              return value;
            case "?":
              if (value == null) {
                throw new IllegalStateException(ref.name() + ": " + ref.argument());
              }
              return value;
            default:
              throw new IllegalArgumentException("unsupported operator " + ref.operator());
          }
        };
    StringBuilder out = new StringBuilder();
    String[] parts = text.split("\\$\\$", -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        out.append('$');
      }
      Matcher matcher = REFERENCE.matcher(parts[i]);
      StringBuilder part = new StringBuilder();
      while (matcher.find()) {
        Reference ref = new Reference(matcher.group(1), matcher.group(2), matcher.group(3));
        matcher.appendReplacement(part, Matcher.quoteReplacement(resolve.apply(ref)));
      }
      matcher.appendTail(part);
      out.append(part);
    }
    return out.toString();
  }

  /**
   * Interpolates a parsed compose file as compose does: in every string value, after parsing, so
   * that {@code KEY: ${KEY:-}} is an empty string and not a null.
   *
   * @param node a parsed compose file, or a part of it
   * @param values the variables that are set
   * @return a copy with every string interpolated
   */
  static Object interpolate(Object node, Map<String, String> values) {
    if (node instanceof JsonObject object) {
      JsonObject copy = new JsonObject();
      object.forEach(e -> copy.put(e.getKey(), interpolate(e.getValue(), values)));
      return copy;
    }
    if (node instanceof io.vertx.core.json.JsonArray array) {
      io.vertx.core.json.JsonArray copy = new io.vertx.core.json.JsonArray();
      array.forEach(item -> copy.add(interpolate(item, values)));
      return copy;
    }
    return node instanceof String text ? interpolate(text, values) : node;
  }

  /**
   * @return the variables of {@code .env.example}, with their defaults, in order
   */
  static Map<String, String> envExample() {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : read(".env.example").split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int eq = line.indexOf('=');
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return values;
  }
}
