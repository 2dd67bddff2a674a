package dev.homelab.server;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The server's {@code openapi.json}, resolved, for tests that check answers against it: which
 * operation a request is, and whether an answer's status and JSON body are the documented ones.
 * Shared by the fuzz test and by every API test's client (see {@link ServerTesting}).
 */
final class OpenApiDocument {

  /** The document as served, every local {@code $ref} replaced by what it points to. */
  static final OpenApiDocument SERVED = new OpenApiDocument(resolve(load()));

  private final JsonObject doc;
  private final List<Template> templates = new ArrayList<>();
  private final Map<String, Validator> validators = new ConcurrentHashMap<>();

  private record Template(Pattern pattern, String path) {}

  private OpenApiDocument(JsonObject doc) {
    this.doc = doc;
    for (String path : doc.getJsonObject("paths").fieldNames()) {
      String regex = path.replaceAll("\\{[^}/]+}", "[^/]+");
      templates.add(new Template(Pattern.compile(regex), path));
    }
    // Literal paths before templated ones: /api/devices/stats, say, before /api/devices/{id}.
    templates.sort((a, b) -> Boolean.compare(a.path.contains("{"), b.path.contains("{")));
  }

  /**
   * @return the resolved document
   */
  JsonObject json() {
    return doc;
  }

  /**
   * @param method an HTTP method
   * @param path a request path without the query string
   * @return the documented operation, or {@code null} if the document has none for it
   */
  JsonObject operation(String method, String path) {
    for (Template template : templates) {
      if (template.pattern.matcher(path).matches()) {
        return doc.getJsonObject("paths")
            .getJsonObject(template.path)
            .getJsonObject(method.toLowerCase(Locale.ROOT));
      }
    }
    return null;
  }

  /**
   * Checks an answer against the document.
   *
   * @param method the request's method
   * @param path the request's path, without the query string
   * @param status the answer's status
   * @param contentType the answer's {@code Content-Type}, or {@code null}
   * @param body the answer's body, possibly empty
   * @return {@code null} if the document describes the answer, else what disagrees
   */
  String disagreement(String method, String path, int status, String contentType, String body) {
    JsonObject operation = operation(method, path);
    if (operation == null) {
      return method + " " + path + " is not in the document";
    }
    JsonObject responses = operation.getJsonObject("responses");
    JsonObject response = responses.getJsonObject(String.valueOf(status));
    if (response == null) {
      response = responses.getJsonObject("default");
    }
    if (response == null) {
      return method + " " + path + " answered " + status + ", which the document does not list";
    }
    JsonObject content = response.getJsonObject("content");
    if (content == null || body == null || body.isEmpty()) {
      return content == null && body != null && !body.isEmpty()
          ? method + " " + path + " " + status + " has a body the document does not describe"
          : null;
    }
    String media = contentType == null ? "" : contentType.split(";")[0].strip();
    if (content.containsKey("*/*") && !content.containsKey(media)) {
      return null; // any type: a file's bytes, sent with the type it was stored with
    }
    if (!content.containsKey(media)) {
      return method
          + " "
          + path
          + " "
          + status
          + " answered "
          + contentType
          + ", not one of "
          + content.fieldNames();
    }
    JsonObject schema = content.getJsonObject(media).getJsonObject("schema");
    if (schema == null || !media.equals("application/json")) {
      return null;
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (RuntimeException e) {
      return method + " " + path + " " + status + " answered a body that is not JSON";
    }
    OutputUnit unit = validator(schema).validate(parsed);
    return unit.getValid()
        ? null
        : method
            + " "
            + path
            + " "
            + status
            + " body does not match the document: "
            + firstError(unit)
            + ": "
            + (body.length() > 300 ? body.substring(0, 300) : body);
  }

  /**
   * @param schema a resolved JSON schema from the document
   * @return a validator for it (JSON Schema 2020-12, as OpenAPI 3.1 uses)
   */
  Validator validator(JsonObject schema) {
    return validators.computeIfAbsent(
        schema.encode(),
        s ->
            Validator.create(
                JsonSchema.of(schema),
                new JsonSchemaOptions()
                    .setDraft(Draft.DRAFT202012)
                    .setBaseUri("https://homelab.invalid/")
                    .setOutputFormat(OutputFormat.Basic)));
  }

  /**
   * @param unit a failed validation
   * @return its most specific error, with where it is
   */
  static String firstError(OutputUnit unit) {
    List<OutputUnit> errors = unit.getErrors();
    if (errors == null || errors.isEmpty()) {
      return String.valueOf(unit.getError());
    }
    OutputUnit first = errors.get(errors.size() - 1);
    return first.getInstanceLocation() + " " + first.getError();
  }

  private static JsonObject load() {
    try (InputStream in = HomelabServer.class.getResourceAsStream("openapi.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The document with every local {@code $ref} replaced by what it points to. */
  static JsonObject resolve(JsonObject doc) {
    return (JsonObject) resolve(doc, doc, 0);
  }

  private static Object resolve(Object node, JsonObject doc, int depth) {
    if (depth > 64) {
      throw new IllegalStateException("$ref cycle in openapi.json");
    }
    if (node instanceof JsonObject object) {
      JsonObject out = new JsonObject();
      if (object.getValue("$ref") instanceof String ref && ref.startsWith("#/")) {
        Object target = doc;
        for (String part : ref.substring(2).split("/")) {
          target = ((JsonObject) target).getValue(part.replace("~1", "/").replace("~0", "~"));
        }
        out.mergeIn((JsonObject) resolve(target, doc, depth + 1));
        for (String key : object.fieldNames()) {
          if (!key.equals("$ref")) {
            out.put(key, resolve(object.getValue(key), doc, depth + 1));
          }
        }
        return out;
      }
      for (String key : object.fieldNames()) {
        out.put(key, resolve(object.getValue(key), doc, depth + 1));
      }
      return out;
    }
    if (node instanceof JsonArray array) {
      JsonArray out = new JsonArray();
      for (Object item : array) {
        out.add(resolve(item, doc, depth + 1));
      }
      return out;
    }
    return node;
  }
}
