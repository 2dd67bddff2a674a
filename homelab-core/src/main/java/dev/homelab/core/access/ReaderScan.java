package dev.homelab.core.access;

/**
 * A card scan read out of a reader's MQTT message by {@link ReaderMessages}.
 *
 * @param readerId the reader, from the topic
 * @param cardUid the card, in {@link CardUid canonical form}
 * @param format which firmware's message it was: {@code homelab}, {@code esp-rfid} or {@code
 *     tasmota}
 */
public record ReaderScan(String readerId, String cardUid, String format) {}
