package dev.homelab.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Error bodies become the exception that fits their status. */
class HomelabHttpExceptionTest {

  private static final String INVALID =
      "{\"detail\":\"metadata.room: metadata.room must not contain control characters\","
          + "\"error_code\":\"VALIDATION_FAILED\",\"timestamp\":\"2026-12-06T20:00:00Z\","
          + "\"request_id\":\"r-1\",\"field\":\"metadata.room\"}";

  @Test
  void a422IsAValidationExceptionNamingItsField() {
    HomelabHttpException e = HomelabHttpException.of(422, INVALID, null, -1);
    assertThat(e).isInstanceOf(HomelabValidationException.class);
    HomelabValidationException invalid = (HomelabValidationException) e;
    assertThat(invalid.field()).isEqualTo("metadata.room");
    assertThat(invalid.errorCode()).isEqualTo("VALIDATION_FAILED");
    assertThat(invalid.requestId()).isEqualTo("r-1");
    assertThat(invalid.getMessage()).contains("r-1");
  }

  @Test
  void theBlockingCopyKeepsTheField() {
    HomelabValidationException copy =
        ((HomelabValidationException) HomelabHttpException.of(422, INVALID, null, -1))
            .copyAsCause();
    assertThat(copy.field()).isEqualTo("metadata.room");
    assertThat(copy.getCause()).isInstanceOf(HomelabValidationException.class);
  }

  @Test
  void a422WithoutTheStandardBodyStillHasItsType() {
    HomelabHttpException e = HomelabHttpException.of(422, "not json", "hdr-id", -1);
    assertThat(e).isInstanceOf(HomelabValidationException.class);
    assertThat(((HomelabValidationException) e).field()).isNull();
    assertThat(e.requestId()).isEqualTo("hdr-id");
  }
}
