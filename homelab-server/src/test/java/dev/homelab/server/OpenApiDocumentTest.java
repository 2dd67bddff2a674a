package dev.homelab.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The check every test client runs on every answer finds what it should, and only that. */
class OpenApiDocumentTest {

  private static final OpenApiDocument DOC = OpenApiDocument.SERVED;

  private static final String SETTING =
      "{\"key\":\"theme\",\"value\":\"dark\",\"updated_at\":\"2026-12-06T10:00:00Z\"}";

  @Test
  void aDocumentedAnswerPasses() {
    assertThat(DOC.disagreement("GET", "/api/settings/theme", 200, "application/json", SETTING))
        .isNull();
    assertThat(DOC.disagreement("DELETE", "/api/settings/theme", 204, null, "")).isNull();
  }

  @Test
  void anUndocumentedStatusABodyOfTheWrongShapeOrAnUnknownPathIsFound() {
    assertThat(DOC.disagreement("GET", "/api/settings/theme", 418, "application/json", SETTING))
        .contains("418");
    assertThat(
            DOC.disagreement("GET", "/api/settings/theme", 200, "application/json", "{\"key\":42}"))
        .contains("does not match");
    assertThat(DOC.disagreement("GET", "/api/nothing/here", 200, "application/json", "{}"))
        .contains("not in the document");
    assertThat(DOC.disagreement("GET", "/api/settings/theme", 200, "text/plain", "dark"))
        .contains("text/plain");
  }
}
