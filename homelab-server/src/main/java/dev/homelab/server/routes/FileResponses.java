package dev.homelab.server.routes;

import dev.homelab.core.NotFoundException;
import dev.homelab.core.files.FileContent;
import dev.homelab.core.files.FileStore;
import dev.homelab.core.files.StoredFile;
import dev.homelab.server.http.ErrorHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends a stored file: streamed from disk with {@code sendfile} (so memory does not grow with the
 * file), with one byte range (RFC 9110 {@code Range}, {@code If-Range}), an ETag from the SHA-256,
 * and headers that keep a browser from running anything it downloads: always an attachment, {@code
 * nosniff}, a sandboxing CSP, and active types (HTML, SVG, XML, scripts) sent as bytes.
 */
final class FileResponses {

  /** Types a browser would render or run: never sent as themselves. */
  private static final Set<String> ACTIVE =
      Set.of(
          "text/html",
          "application/xhtml+xml",
          "image/svg+xml",
          "text/xml",
          "application/xml",
          "text/xsl",
          "application/xslt+xml",
          "text/javascript",
          "application/javascript",
          "application/ecmascript",
          "text/ecmascript",
          "application/x-javascript",
          "text/cache-manifest",
          "application/wasm");

  private static final Pattern ONE_RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  private FileResponses() {}

  /** A byte range of a file: first and last byte, inclusive. */
  record Range(long first, long last) {
    long length() {
      return last - first + 1;
    }
  }

  /** What a request's {@code Range} and {@code If-Range} ask for. */
  sealed interface Wanted permits Whole, Part, Unsatisfiable {}

  /** The whole file. */
  record Whole() implements Wanted {}

  /** One range. */
  record Part(Range range) implements Wanted {}

  /** A range outside the file. */
  record Unsatisfiable() implements Wanted {}

  /**
   * @param ctx the request
   * @param file the file asked for
   * @return what to send: a syntactically bad {@code Range}, several ranges, or an {@code If-Range}
   *     that does not match the ETag all mean the whole file, as RFC 9110 allows
   */
  static Wanted wanted(RoutingContext ctx, StoredFile file) {
    String range = ctx.request().getHeader("Range");
    if (range == null) {
      return new Whole();
    }
    String ifRange = ctx.request().getHeader("If-Range");
    if (ifRange != null && !ifRange.strip().equals(etag(file))) {
      return new Whole();
    }
    Matcher m = ONE_RANGE.matcher(range.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return new Whole();
    }
    long size = file.size();
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || size == 0) {
          return new Unsatisfiable();
        }
        return new Part(new Range(Math.max(0, size - suffix), size - 1));
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? Long.MAX_VALUE : Long.parseLong(m.group(2));
      if (last < first) {
        return new Whole(); // not a valid range: ignored, as RFC 9110 says
      }
      if (first >= size) {
        return new Unsatisfiable();
      }
      return new Part(new Range(first, Math.min(last, size - 1)));
    } catch (NumberFormatException tooBig) {
      return new Unsatisfiable();
    }
  }

  /**
   * Sends the file, or the part of it the request asks for.
   *
   * @param ctx the request
   * @param content the file and its blob
   * @param wanted what {@link #wanted} said
   * @param cacheControl {@code private, no-cache} for an owner, {@code no-store} for a share link
   */
  static void send(RoutingContext ctx, FileContent content, Wanted wanted, String cacheControl) {
    StoredFile file = content.file();
    HttpServerResponse response = ctx.response();
    String etag = etag(file);
    response
        .putHeader(HttpHeaders.ETAG, etag)
        .putHeader(HttpHeaders.ACCEPT_RANGES, "bytes")
        .putHeader(HttpHeaders.LAST_MODIFIED, httpDate(file))
        .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
        .putHeader("Content-Disposition", contentDisposition(file.filename()))
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'none'; sandbox")
        // The bytes as stored: no compression, which would break lengths and ranges.
        .putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    if (notModified(ctx, etag)) {
      response.setStatusCode(304).end();
      return;
    }
    if (wanted instanceof Unsatisfiable) {
      response.putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + file.size());
      ctx.fail(
          new ErrorHandler.ApiException(
              416,
              "RANGE_NOT_SATISFIABLE",
              "the range asked for is outside the file's " + file.size() + " bytes"));
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, safeType(file.contentType()));
    long offset = 0;
    long length = file.size();
    if (wanted instanceof Part part) {
      offset = part.range().first();
      length = part.range().length();
      response
          .setStatusCode(206)
          .putHeader(
              HttpHeaders.CONTENT_RANGE,
              "bytes " + part.range().first() + "-" + part.range().last() + "/" + file.size());
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(length)).end();
      return;
    }
    response
        .sendFile(content.blob().toString(), offset, length)
        .onFailure(
            failure -> {
              if (!response.headWritten()) {
                // A delete between finding the file and opening its blob: gone, not broken.
                ctx.fail(
                    failure instanceof java.nio.file.NoSuchFileException
                            || failure.getCause() instanceof java.nio.file.NoSuchFileException
                            || failure instanceof java.io.FileNotFoundException
                            || failure.getCause() instanceof java.io.FileNotFoundException
                        ? new NotFoundException(FileStore.NOT_FOUND, "no file with this id")
                        : failure);
              } else {
                // Part of the body went out: only closing tells the client it is incomplete.
                ctx.request().connection().close();
              }
            });
  }

  /**
   * @param ctx the request
   * @param etag the file's ETag
   * @return whether its {@code If-None-Match} matches, so that the answer is a 304 without a body
   */
  static boolean notModified(RoutingContext ctx, String etag) {
    String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String c = candidate.strip();
      if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  static String etag(StoredFile file) {
    return "\"" + file.sha256() + "\"";
  }

  private static String httpDate(StoredFile file) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(file.createdAt().atOffset(ZoneOffset.UTC));
  }

  /**
   * @param contentType a stored media type
   * @return it, or {@code application/octet-stream} for a type a browser would render or run
   */
  static String safeType(String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    boolean active =
        ACTIVE.contains(type)
            || type.endsWith("+xml")
            || type.contains("javascript")
            || type.contains("html");
    return active ? "application/octet-stream" : contentType;
  }

  /**
   * @param filename a display name
   * @return {@code attachment} with an ASCII fallback name and the exact name in RFC 5987 form
   */
  static String contentDisposition(String filename) {
    StringBuilder ascii = new StringBuilder();
    filename
        .codePoints()
        .forEach(
            c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + rfc5987(filename);
  }

  private static String rfc5987(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean attrChar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$&+-.^_`|~".indexOf(c) >= 0;
      if (attrChar) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
