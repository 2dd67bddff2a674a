package dev.homelab.core.access;

import dev.homelab.core.ValidationException;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Card UIDs in one canonical form: upper-case hex, no separators, an even number of digits.
 *
 * <p>Readers print the same card differently: {@code BA839D07} (Tasmota RC522), {@code f9c2f720}
 * (esp-rfid), {@code ba:83:9d:07} or {@code 74-10-37-94} (libraries and phone apps), and Wiegand
 * readers send a decimal number ({@code 7748328}, or {@code "763AE8h"} with Tasmota's {@code
 * SetOption123}). All of them map to the same canonical string, so a policy written in one form
 * matches a scan reported in another.
 *
 * <p>The rules, in order:
 *
 * <ul>
 *   <li>a JSON number is a decimal card number;
 *   <li>{@code 0x...} and {@code ...h} are hex;
 *   <li>hex digits separated by {@code :}, {@code -} or spaces are bytes, two digits each, with a
 *       byte on each side of every separator ({@code ":"}, {@code "::"} or {@code "ba:"} are
 *       refused);
 *   <li>a string with a hex letter is hex;
 *   <li>a string of digits only is hex when it has exactly 8, 14 or 20 digits (the printed form of
 *       a 4-, 7- or 10-byte UID), and a decimal card number otherwise. Send a JSON number to force
 *       decimal.
 * </ul>
 *
 * <p>A decimal number becomes its big-endian bytes, without leading zero bytes. At most 16 bytes.
 * Stateless and thread-safe.
 */
public final class CardUid {

  /** The longest UID, in bytes. ISO 14443 stops at 10; UHF EPCs reach 12. */
  public static final int MAX_BYTES = 16;

  private static final String FIELD = "card_uid";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private CardUid() {}

  /**
   * @param raw a UID as a reader or a person wrote it: a string or a JSON number
   * @return the canonical form
   * @throws ValidationException naming {@code card_uid} if it is not a card UID
   */
  public static String normalize(Object raw) {
    return normalize(FIELD, raw);
  }

  /**
   * Like {@link #normalize(Object)}, naming another field in the failure.
   *
   * @param field the field name for the failure
   * @param raw a UID
   * @return the canonical form
   */
  public static String normalize(String field, Object raw) {
    if (raw instanceof Number number) {
      return decimal(field, number.toString());
    }
    if (!(raw instanceof String text)) {
      throw invalid(field, "must be a string or a number");
    }
    String uid = fastPath(text);
    return uid != null ? uid : slowPath(field, text.strip());
  }

  /**
   * Checks that a UID is already canonical, without reinterpreting it. Use it where a UID comes
   * from this library or its API (a stored policy, a cursor): normalising again would read a
   * canonical UID of digits only, such as {@code 1234}, as a decimal number.
   *
   * @param field the field name for the failure
   * @param uid a canonical UID
   * @return the UID
   * @throws ValidationException naming the field if it is not canonical
   */
  public static String requireCanonical(String field, String uid) {
    if (uid == null || uid.isEmpty() || uid.length() > 2 * MAX_BYTES || (uid.length() & 1) != 0) {
      throw invalid(field, "must be a canonical UID: pairs of upper-case hex digits");
    }
    for (int i = 0; i < uid.length(); i++) {
      char c = uid.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'F')) {
        throw invalid(field, "must be a canonical UID: pairs of upper-case hex digits");
      }
    }
    return uid;
  }

  /**
   * @param uid a canonical UID
   * @return whether every printed form that equals it normalises back to it: true when it has a hex
   *     letter; a UID of digits only may also be read as a decimal number
   */
  public static boolean isUnambiguous(String uid) {
    for (int i = 0; i < uid.length(); i++) {
      if (uid.charAt(i) > '9') {
        return true;
      }
    }
    return false;
  }

  /**
   * @param uid a UID
   * @return whether {@link #normalize(Object)} accepts it
   */
  public static boolean isValid(Object uid) {
    try {
      normalize(uid);
      return true;
    } catch (ValidationException e) {
      return false;
    }
  }

  /**
   * Reads the card UID out of a reader's MQTT payload: esp-rfid ({@code {"uid": "f9c2f720"}}),
   * Tasmota RC522/PN532 ({@code {"RC522": {"UID": "BA839D07"}}}) and Tasmota Wiegand ({@code
   * {"Wiegand": {"UID": 7748328}}}), or a bare {@code {"card_uid": ...}}.
   *
   * @param payload a reader's message
   * @return the canonical UID
   * @throws ValidationException if the payload holds no valid UID
   */
  public static String fromReaderPayload(JsonObject payload) {
    for (String field : new String[] {"card_uid", "uid", "UID"}) {
      if (payload.containsKey(field)) {
        return normalize(FIELD, payload.getValue(field));
      }
    }
    for (String sensor : new String[] {"RC522", "PN532", "Wiegand", "MFRC522", "RDM6300"}) {
      if (payload.getValue(sensor) instanceof JsonObject reading && reading.containsKey("UID")) {
        return normalize(FIELD, reading.getValue("UID"));
      }
    }
    throw new ValidationException(FIELD, "the payload holds no card UID");
  }

  // The common case, already-clean hex of an even length, without allocating a matcher.
  private static String fastPath(String text) {
    int length = text.length();
    if (length < 2 || length > 2 * MAX_BYTES || (length & 1) != 0) {
      return null;
    }
    boolean upper = true;
    boolean letter = false;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= '0' && c <= '9') {
        continue;
      }
      if (c >= 'A' && c <= 'F') {
        letter = true;
      } else if (c >= 'a' && c <= 'f') {
        letter = true;
        upper = false;
      } else {
        return null;
      }
    }
    if (!letter && length != 8 && length != 14 && length != 20) {
      return null; // digits only: maybe decimal, let the slow path decide
    }
    return upper ? text : text.toUpperCase(Locale.ROOT);
  }

  private static String slowPath(String field, String text) {
    if (text.isEmpty()) {
      throw invalid(field, "must not be empty");
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("0x")) {
      return hex(field, text.substring(2));
    }
    if (lower.endsWith("h") && text.length() > 1) {
      return hex(field, text.substring(0, text.length() - 1));
    }
    if (text.indexOf(':') >= 0 || text.indexOf('-') >= 0 || text.indexOf(' ') >= 0) {
      return separated(field, text);
    }
    boolean digitsOnly = text.chars().allMatch(c -> c >= '0' && c <= '9');
    if (digitsOnly && text.length() != 8 && text.length() != 14 && text.length() != 20) {
      return decimal(field, text);
    }
    return hex(field, text);
  }

  private static String separated(String field, String text) {
    // The limit -1 keeps trailing empty parts: without it ":" splits into no parts at all and
    // "ba:" into one, and a UID of separators only came out empty.
    String[] parts = text.split("[:\\- ]", -1);
    StringBuilder out = new StringBuilder(parts.length * 2);
    for (String part : parts) {
      if (part.length() != 2 || !isHex(part)) {
        throw invalid(field, "separated UIDs must be pairs of hex digits, like ba:83:9d:07");
      }
      out.append(part.toUpperCase(Locale.ROOT));
    }
    return checkLength(field, out.toString());
  }

  private static String hex(String field, String digits) {
    if (digits.isEmpty() || !isHex(digits)) {
      throw invalid(field, "must be hex digits, a decimal card number, or hex pairs with : or -");
    }
    String upper = digits.toUpperCase(Locale.ROOT);
    return checkLength(field, (upper.length() & 1) == 0 ? upper : "0" + upper);
  }

  private static String decimal(String field, String digits) {
    BigInteger value;
    try {
      value = new BigInteger(digits);
    } catch (NumberFormatException e) {
      throw invalid(field, "a numeric card UID must be a whole number");
    }
    if (value.signum() <= 0) {
      throw invalid(field, "a numeric card UID must be positive");
    }
    byte[] bytes = value.toByteArray();
    int start = bytes[0] == 0 && bytes.length > 1 ? 1 : 0; // BigInteger's sign byte
    if (bytes.length - start > MAX_BYTES) {
      throw invalid(field, "must be at most " + MAX_BYTES + " bytes");
    }
    char[] out = new char[(bytes.length - start) * 2];
    for (int i = start; i < bytes.length; i++) {
      out[(i - start) * 2] = HEX[(bytes[i] >> 4) & 0xF];
      out[(i - start) * 2 + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  private static String checkLength(String field, String canonical) {
    if (canonical.isEmpty()) { // no path may hand out an empty UID: it names no card
      throw invalid(field, "must not be empty");
    }
    if (canonical.length() > 2 * MAX_BYTES) {
      throw invalid(field, "must be at most " + MAX_BYTES + " bytes");
    }
    return canonical;
  }

  private static boolean isHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // ASCII only: Character.digit would also accept other scripts' digits.
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return false;
      }
    }
    return true;
  }

  private static ValidationException invalid(String field, String why) {
    return new ValidationException(field, field + " " + why);
  }
}
