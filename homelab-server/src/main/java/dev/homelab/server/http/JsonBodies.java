package dev.homelab.server.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.homelab.core.ValidationException;
import dev.homelab.core.internal.Texts;
import dev.homelab.server.http.ErrorHandler.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The server's rules for JSON request bodies, stricter than Vert.x's own parser: RFC 8259 JSON and
 * nothing more, and text without control characters.
 *
 * <p>Refused with 400 {@code MALFORMED_JSON}: duplicate keys (a second {@code "token"} must not
 * silently win), comments, trailing content, numbers too large for a double ({@code 1e400} would
 * become {@code Infinity}), unpaired UTF-16 surrogates in escapes (they would be stored as {@code
 * ?}), bytes that are not UTF-8, nesting deeper than {@value #MAX_DEPTH} levels and more than
 * {@value #MAX_TOKENS} tokens. Refused with 422 naming the field: control characters in any string,
 * other than tab, line feed and carriage return inside values. Neither the document nor the stores
 * can keep them faithfully (PostgreSQL refuses U+0000 outright), and no field has a use for them.
 */
public final class JsonBodies {

  /** The deepest nesting a body may have (Jackson's default, said here). */
  static final int MAX_DEPTH = 1_000;

  /**
   * The most JSON tokens (values, keys, brackets) one body may hold, whatever {@code MAX_BODY_SIZE}
   * allows: a body is parsed and checked on the event loop, and a megabyte of {@code [0,0,...]} is
   * half a million values to build and walk. The largest body a route documents (1000 sensor
   * readings) holds about a tenth of this.
   */
  static final long MAX_TOKENS = 100_000;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_DEPTH)
                  .maxTokenCount(MAX_TOKENS)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .build();

  private JsonBodies() {}

  /**
   * Whether a {@code Content-Type} declares a JSON body: {@code application/json} exactly, with
   * parameters allowed only if the charset, when given, is UTF-8.
   *
   * @param contentType the header, or {@code null}
   * @return whether it is acceptable
   */
  public static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().equalsIgnoreCase("application/json")) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      if (parameter.isEmpty()) {
        continue; // "application/json;" is allowed (RFC 9110 §5.6.6)
      }
      int eq = parameter.indexOf('=');
      if (eq < 0) {
        return false;
      }
      String name = parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = parameter.substring(eq + 1).strip().replace("\"", "");
      if (name.equals("charset") && !value.equalsIgnoreCase("utf-8")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a body strictly.
   *
   * @param body the request body
   * @return the value: a {@link JsonObject}, {@link JsonArray}, string, number, boolean or {@code
   *     null}
   * @throws ApiException 400 {@code MALFORMED_JSON} naming what is wrong
   */
  public static Object parse(Buffer body) {
    String text;
    try {
      // Decoded here, strictly: given bytes, Jackson would guess UTF-16 or UTF-32 as well.
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(body.getBytes()))
              .toString();
    } catch (CharacterCodingException e) {
      throw malformed("the request body is not UTF-8");
    }
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw malformed("the request body is empty");
      }
      Object value = read(parser, first);
      if (parser.nextToken() != null) {
        throw malformed("the request body has content after its JSON value");
      }
      return value;
    } catch (StreamConstraintsException e) {
      throw malformed(
          "the request body nests deeper than "
              + MAX_DEPTH
              + " levels or holds more than "
              + MAX_TOKENS
              + " JSON tokens");
    } catch (JsonProcessingException e) {
      String why = e.getOriginalMessage();
      if (why != null && why.startsWith("Duplicate field")) {
        throw malformed("the request body has a duplicate key: " + why.substring(16));
      }
      throw malformed("the request body is not valid JSON");
    } catch (IOException e) {
      throw malformed("the request body is not valid JSON");
    }
  }

  private static Object read(JsonParser parser, JsonToken token) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        JsonObject object = new JsonObject();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String key = text(parser.currentName());
          object.put(key, read(parser, parser.nextToken()));
        }
        return object;
      }
      case START_ARRAY -> {
        JsonArray array = new JsonArray();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(read(parser, t));
        }
        return array;
      }
      case VALUE_STRING -> {
        return text(parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        double number = parser.getDoubleValue();
        if (!Double.isFinite(number)) {
          throw malformed("the request body has a number too large to represent");
        }
        return number;
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw malformed("the request body is not valid JSON");
    }
  }

  /** A string as parsed, refused if an escape left half of a surrogate pair. */
  private static String text(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw malformed("the request body has a string with an unpaired UTF-16 surrogate");
      }
    }
    return value;
  }

  /**
   * Refuses control characters anywhere in a parsed body, by the rule core applies to the fields it
   * validates itself ({@link Texts#requireNoControl}).
   *
   * @param body a parsed body
   * @throws ValidationException naming the first offending field, as a path such as {@code
   *     metadata.room} or {@code days[2]}
   */
  public static void requireCleanText(JsonObject body) {
    Texts.requireNoControl(null, body);
  }

  private static ApiException malformed(String detail) {
    return new ApiException(400, "MALFORMED_JSON", detail);
  }
}
