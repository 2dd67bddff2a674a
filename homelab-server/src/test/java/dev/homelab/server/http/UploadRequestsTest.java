package dev.homelab.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.homelab.server.routes.FileRoutes;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * Which requests send an upload's body, and so are not bounded by the request timeout: exactly a
 * multipart upload and a tus chunk, with or without the trailing slash the router also matches;
 * nothing else under the files' paths.
 */
class UploadRequestsTest {

  @Test
  void onlyAMultipartUploadAndATusChunkAreUploads() {
    assertThat(FileRoutes.isUpload(HttpMethod.POST, "/api/files/upload")).isTrue();
    assertThat(FileRoutes.isUpload(HttpMethod.POST, "/api/files/upload/")).isTrue();
    assertThat(FileRoutes.isUpload(HttpMethod.PATCH, "/api/files/uploads/abc")).isTrue();
    assertThat(FileRoutes.isUpload(HttpMethod.PATCH, "/api/files/uploads/abc/")).isTrue();

    assertThat(FileRoutes.isUpload(HttpMethod.GET, "/api/files/upload")).isFalse();
    assertThat(FileRoutes.isUpload(HttpMethod.POST, "/api/files/uploads")).isFalse();
    assertThat(FileRoutes.isUpload(HttpMethod.OPTIONS, "/api/files/uploads")).isFalse();
    assertThat(FileRoutes.isUpload(HttpMethod.HEAD, "/api/files/uploads/abc")).isFalse();
    assertThat(FileRoutes.isUpload(HttpMethod.DELETE, "/api/files/uploads/abc")).isFalse();
    assertThat(FileRoutes.isUpload(HttpMethod.GET, "/api/files/abc/download")).isFalse();
    assertThat(FileRoutes.isUpload(HttpMethod.POST, "/api/files/uploadsx")).isFalse();
    assertThat(FileRoutes.isUpload(HttpMethod.PATCH, "/api/files/abc")).isFalse();
  }
}
