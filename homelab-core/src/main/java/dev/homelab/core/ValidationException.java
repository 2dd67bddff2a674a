package dev.homelab.core;

/**
 * Input that breaks a rule of the domain: the operation was refused and nothing changed.
 *
 * <p>Its kind is {@link ErrorKind#INVALID} and its code {@code VALIDATION_FAILED}; the server
 * answers it with 422 and names the {@link #field()} in the body.
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
    super(ErrorKind.INVALID, "VALIDATION_FAILED", message);
    this.field = field;
  }

  /**
   * @return the name of the offending field, as the API spells it
   */
  public String field() {
    return field;
  }
}
