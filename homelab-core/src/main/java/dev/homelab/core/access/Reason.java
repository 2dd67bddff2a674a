package dev.homelab.core.access;

import java.util.Locale;

/** Why a card was let in or not. Exactly one reason per decision, checked in this order. */
public enum Reason {
  /** The reader is locked out after too many denied scans; the card was not looked at. */
  LOCKED_OUT,
  /** No policy has this card. */
  UNKNOWN_CARD,
  /** The card's policy is disabled. */
  DISABLED,
  /** The card's validity has not started yet. */
  NOT_YET_VALID,
  /** The card's validity has ended. */
  EXPIRED,
  /** The card may not use this reader. */
  READER_NOT_ALLOWED,
  /** The card may use this reader, but not at this time of the week. */
  OUTSIDE_SCHEDULE,
  /** Let in. */
  GRANTED;

  /**
   * @return whether this reason lets the card in
   */
  public boolean granted() {
    return this == GRANTED;
  }

  /**
   * @param text a reason's name, in any case
   * @return the reason, or {@code null} if there is none by that name
   */
  public static Reason parseOrNull(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
