package dev.homelab.client.impl;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;

/**
 * An answer of the core HTTP client seen as the web client's {@link HttpResponse}, so that the
 * options' response hook and the error mapping treat streamed requests like the others.
 *
 * @param response the answer
 * @param body its body as read, or {@code null} when it is streamed to the caller instead
 */
record BufferedAnswer(HttpClientResponse response, Buffer body) implements HttpResponse<Buffer> {

  @Override
  public HttpVersion version() {
    return response.version();
  }

  @Override
  public int statusCode() {
    return response.statusCode();
  }

  @Override
  public String statusMessage() {
    return response.statusMessage();
  }

  @Override
  public MultiMap headers() {
    return response.headers();
  }

  @Override
  public String getHeader(String headerName) {
    return response.getHeader(headerName);
  }

  @Override
  public String getHeader(CharSequence headerName) {
    return response.getHeader(headerName);
  }

  @Override
  public List<String> cookies() {
    return response.cookies();
  }

  @Override
  public MultiMap trailers() {
    return response.trailers();
  }

  @Override
  public String getTrailer(String trailerName) {
    return response.getTrailer(trailerName);
  }

  @Override
  public Buffer bodyAsBuffer() {
    return body;
  }

  @Override
  public List<String> followedRedirects() {
    return List.of();
  }

  @Override
  public JsonArray bodyAsJsonArray() {
    return body == null ? null : new JsonArray(body);
  }
}
