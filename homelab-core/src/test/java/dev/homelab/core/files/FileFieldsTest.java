package dev.homelab.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.homelab.core.ValidationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileFieldsTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      nullValues = "NULL",
      value = {
        "report.pdf              | report.pdf",
        "../../x                 | x",
        "/etc/passwd             | passwd",
        "..\\..\\x               | x",
        "C:\\Users\\me\\a b.txt  | a b.txt",
        "dir/                    | file",
        "\"  spaced name.txt  \" | spaced name.txt",
        ".                       | file",
        "..                      | file",
        "a/..                    | file",
        ".hidden                 | .hidden",
        "...                     | ...",
        "\"\"                    | file",
        "\"   \"                 | file",
        "NULL                    | file",
        "Grüße 🙂.txt           | Grüße 🙂.txt",
      })
  void cleansDisplayNames(String given, String expected) {
    assertThat(FileFields.filename(given)).isEqualTo(expected);
  }

  @Test
  void dropsControlCharactersAndDirectionOverrides() {
    assertThat(FileFields.filename("a\u0000b.txt")).isEqualTo("ab.txt");
    assertThat(FileFields.filename("evil\r\nX-Header: 1.txt")).isEqualTo("evilX-Header: 1.txt");
    assertThat(FileFields.filename("line\nbreak.txt")).isEqualTo("linebreak.txt");
    assertThat(FileFields.filename("tab\there\u007f\u0085.txt")).isEqualTo("tabhere.txt");
    // U+202E would show "gpj.exe" as "exe.jpg".
    assertThat(FileFields.filename("photo\u202egpj.exe")).isEqualTo("photogpj.exe");
    assertThat(FileFields.filename("\u0000")).isEqualTo("file");
    assertThat(FileFields.filename("\u0000/..\u0000")).isEqualTo("file");
    assertThat(FileFields.filename("x\ud800y")).as("an unpaired surrogate").isEqualTo("xy");
    assertThat(FileFields.filename("👩\u200d💻.png"))
        .as("a joiner stays")
        .isEqualTo("👩\u200d💻.png");
  }

  @Test
  void cutsLongNamesAtCodePoints() {
    String ascii = "a".repeat(300);
    assertThat(FileFields.filename(ascii)).hasSize(FileFields.MAX_FILENAME);

    // Each 🙂 is two UTF-16 chars: the cut counts characters, never splits a pair.
    String emoji = "🙂".repeat(300);
    String cut = FileFields.filename(emoji);
    assertThat(cut.codePointCount(0, cut.length())).isEqualTo(FileFields.MAX_FILENAME);
    assertThat(cut).isEqualTo("🙂".repeat(FileFields.MAX_FILENAME));

    String mixed = "é".repeat(254) + "🙂🙂🙂";
    String mixedCut = FileFields.filename(mixed);
    assertThat(mixedCut).isEqualTo("é".repeat(254) + "🙂");
    assertThat(Character.isHighSurrogate(mixedCut.charAt(mixedCut.length() - 1))).isFalse();

    // A cut that ends on a space is trimmed again.
    assertThat(FileFields.filename("b".repeat(254) + " tail")).isEqualTo("b".repeat(254));
    // The path part is dropped before the length counts.
    assertThat(FileFields.filename("d/".repeat(200) + "name.txt")).isEqualTo("name.txt");
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "application/pdf                | application/pdf",
        "TEXT/Plain; charset=UTF-8      | text/plain",
        "image/svg+xml                  | image/svg+xml",
        "application/vnd.ms-excel       | application/vnd.ms-excel",
        "NULL                           | application/octet-stream",
        "''                             | application/octet-stream",
        "text                           | application/octet-stream",
        "*/*                            | application/octet-stream",
        "'text/ plain'                  | application/octet-stream",
        "a/b/c                          | application/octet-stream",
      })
  void cleansMediaTypes(String given, String expected) {
    assertThat(FileFields.contentType(given == null ? null : given.replace("'", "")))
        .isEqualTo(expected);
  }

  @Test
  void aMediaTypeWithALineBreakIsNotKept() {
    assertThat(FileFields.contentType("text/html\r\nX-Evil: 1"))
        .isEqualTo(FileFields.DEFAULT_CONTENT_TYPE);
  }

  @Test
  void tagsAreTrimmedLowerCasedUniqueAndSorted() {
    assertThat(FileFields.tags(List.of(" Docs ", "2026", "docs", "a:b-c_d.e f", "Ünïcode")))
        .containsExactly("2026", "a:b-c_d.e f", "docs", "ünïcode");
    assertThat(FileFields.tags(null)).isEmpty();
    assertThat(FileFields.tags(List.of())).isEmpty();
    assertThat(FileFields.tagList(" docs, 2026 ,,Docs ")).containsExactly("2026", "docs");
    assertThat(FileFields.tagList(null)).isEmpty();
    assertThat(FileFields.tagList("  ")).isEmpty();
    // A capital whose lower case is a letter and a combining mark is still a valid tag.
    assertThat(FileFields.tags(List.of("İstanbul"))).containsExactly("İstanbul".toLowerCase());
    assertThat(FileFields.tags(List.of("x".repeat(FileFields.MAX_TAG)))).hasSize(1);
    List<String> most = new ArrayList<>();
    for (int i = 0; i < FileFields.MAX_TAGS; i++) {
      most.add("t" + i);
    }
    assertThat(FileFields.tags(most)).hasSize(FileFields.MAX_TAGS);
    // Duplicates count once.
    most.add("T0");
    assertThat(FileFields.tags(most)).hasSize(FileFields.MAX_TAGS);
  }

  @Test
  void badTagsAreRefusedOnTheTagsField() {
    List<String> tooMany = new ArrayList<>();
    for (int i = 0; i <= FileFields.MAX_TAGS; i++) {
      tooMany.add("t" + i);
    }
    for (List<String> bad :
        List.of(
            List.of(""),
            List.of("   "),
            Arrays.asList("ok", null),
            List.of("x".repeat(FileFields.MAX_TAG + 1)),
            List.of("a/b"),
            List.of("a,b"),
            List.of("tab\there"),
            List.of("nul\u0000"),
            List.of("<script>"),
            List.of("emoji🙂"),
            tooMany)) {
      Throwable refused = catchThrowable(() -> FileFields.tags(bad));
      assertThat(refused).as("%s", bad).isInstanceOf(ValidationException.class);
      assertThat(((ValidationException) refused).field()).isEqualTo("tags");
    }
    assertThat(catchThrowable(() -> new NewFile("a", null, List.of("bad/tag"))))
        .isInstanceOf(ValidationException.class);
    assertThat(catchThrowable(() -> FileFields.tagList("fine, bad/tag")))
        .isInstanceOf(ValidationException.class);
  }

  @Test
  void newFilesAndPatchesCleanTheirFields() {
    NewFile file =
        new NewFile("../../etc/passwd\u0000", "Text/Plain; charset=x", List.of("B", "a"));
    assertThat(file.filename()).isEqualTo("passwd");
    assertThat(file.contentType()).isEqualTo("text/plain");
    assertThat(file.tags()).containsExactly("a", "b");

    FilePatch patch =
        FilePatch.fromJson(
            new io.vertx.core.json.JsonObject()
                .put("filename", "x/y/z.txt")
                .put("tags", new io.vertx.core.json.JsonArray().add("Q")));
    assertThat(patch.filename()).isEqualTo("z.txt");
    assertThat(patch.tags()).containsExactly("q");
    assertThat(FilePatch.fromJson(new io.vertx.core.json.JsonObject()).isEmpty()).isTrue();
    for (String body :
        List.of(
            "{\"filename\":\"\"}",
            "{\"filename\":7}",
            "{\"tags\":\"a\"}",
            "{\"tags\":[1]}",
            "{\"owner_id\":\"x\"}")) {
      assertThat(catchThrowable(() -> FilePatch.fromJson(new io.vertx.core.json.JsonObject(body))))
          .as(body)
          .isInstanceOf(ValidationException.class);
    }
  }

  @Test
  void queriesCheckTheirFields() {
    FileQuery query = new FileQuery(" Docs ", "  Report ", 10, null);
    assertThat(query.tag()).isEqualTo("docs");
    assertThat(query.q()).isEqualTo("report");
    assertThat(new FileQuery(null, "   ", 1, null).q()).isNull();
    java.util.Map<String, Runnable> bad = new java.util.LinkedHashMap<>();
    bad.put("limit", () -> new FileQuery(null, null, 0, null));
    bad.put("limit ", () -> new FileQuery(null, null, FileQuery.MAX_LIMIT + 1, null));
    bad.put("cursor", () -> new FileQuery(null, null, 10, "' OR 1=1 --"));
    bad.put("tag", () -> new FileQuery("a/b", null, 10, null));
    bad.put("q", () -> new FileQuery(null, "q".repeat(256), 10, null));
    bad.forEach(
        (field, make) ->
            assertThat(catchThrowable(make::run))
                .isInstanceOfSatisfying(
                    ValidationException.class,
                    e -> assertThat(e.field()).isEqualTo(field.strip())));
  }

  @Test
  void shareSpecsAndChecksumsCheckTheirFields() {
    assertThat(ShareSpec.fromJson(new io.vertx.core.json.JsonObject()).validFor())
        .isEqualTo(ShareSpec.DEFAULT_VALIDITY);
    for (String body :
        List.of(
            "{\"expires_in_seconds\":59}",
            "{\"expires_in_seconds\":31536001}",
            "{\"expires_in_seconds\":1.5}",
            "{\"max_downloads\":0}",
            "{\"max_downloads\":1000001}",
            "{\"max_downloads\":\"3\"}",
            "{\"token\":\"x\"}")) {
      assertThat(catchThrowable(() -> ShareSpec.fromJson(new io.vertx.core.json.JsonObject(body))))
          .as(body)
          .isInstanceOf(ValidationException.class);
    }
    Checksum sha1 = Checksum.parse("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0=");
    assertThat(sha1.algorithm()).isEqualTo("sha1");
    assertThat(catchThrowable(() -> Checksum.parse("crc32 AAAA")))
        .isInstanceOfSatisfying(
            dev.homelab.core.HomelabException.class,
            e -> assertThat(e.errorCode()).isEqualTo(Checksum.UNSUPPORTED));
    assertThat(catchThrowable(() -> Checksum.parse("sha256 not*base64")))
        .isInstanceOf(dev.homelab.core.HomelabException.class);
    assertThat(catchThrowable(() -> Checksum.parse("md5")))
        .isInstanceOf(dev.homelab.core.HomelabException.class);
  }
}
