package dev.homelab.core;

/**
 * Input that breaks a rule of the domain: the operation was refused and nothing changed.
 *
 * <p>The server answers it with 422 and names the {@link #field()}.
 */
public final class ValidationException extends HomelabException {

  private final String field;

  /**
   * Creates a validation failure.
   *
   * @param field the name of the offending field, as the API spells it
   * @param message why the value was refused, safe to show to a user
   */
  public ValidationException(String field, String message) {
    super(message, true);
    this.field = field;
  }

  /**
   * @return the name of the offending field, as the API spells it
   */
  public String field() {
    return field;
  }
}
