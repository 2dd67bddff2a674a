package dev.homelab.core.internal;

/**
 * Text lengths as /openapi.json counts them: JSON Schema's {@code minLength} and {@code maxLength}
 * count characters (code points), so an emoji is one character, not the two UTF-16 units of {@link
 * String#length()}.
 */
public final class Texts {

  private Texts() {}

  /**
   * @param text the text
   * @return its length in code points; a lone surrogate counts as one
   */
  public static int length(String text) {
    return text.codePointCount(0, text.length());
  }

  /**
   * @param text the text
   * @param min the fewest characters accepted
   * @param max the most characters accepted
   * @return whether {@code text} has {@code min} to {@code max} code points
   */
  public static boolean lengthBetween(String text, int min, int max) {
    // Cheap bounds first: n units hold n/2 to n code points.
    if (text.length() < min || (text.length() + 1) / 2 > max) {
      return false;
    }
    int length = length(text);
    return length >= min && length <= max;
  }
}
