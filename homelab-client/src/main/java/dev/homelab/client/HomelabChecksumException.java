package dev.homelab.client;

/**
 * Bytes that arrived do not have the checksum the server announced for them: a download whose
 * SHA-256 is not the file's. The transfer completed, but its result cannot be trusted.
 */
public class HomelabChecksumException extends HomelabClientException {

  private final String expected;
  private final String actual;

  /**
   * @param message what was checked
   * @param expected the checksum announced, hex
   * @param actual the checksum of the bytes received, hex
   */
  public HomelabChecksumException(String message, String expected, String actual) {
    super(message + ": expected SHA-256 " + expected + ", got " + actual, null);
    this.expected = expected;
    this.actual = actual;
  }

  private HomelabChecksumException(HomelabChecksumException original) {
    super(original.getMessage(), original);
    this.expected = original.expected;
    this.actual = original.actual;
  }

  /**
   * @return the checksum announced, hex
   */
  public String expected() {
    return expected;
  }

  /**
   * @return the checksum of the bytes received, hex
   */
  public String actual() {
    return actual;
  }

  @Override
  public HomelabChecksumException copyAsCause() {
    return new HomelabChecksumException(this);
  }
}
