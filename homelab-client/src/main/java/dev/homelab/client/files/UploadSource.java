package dev.homelab.client.files;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.InputStream;
import java.net.URLConnection;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file to upload: its display name, its media type and where its bytes come from. The bytes are
 * streamed as the connection takes them, never read whole into memory (except, of course, those of
 * {@link #of(String, String, byte[])}). A source is read once: a stream or an input stream cannot
 * be uploaded twice.
 */
public sealed interface UploadSource
    permits UploadSource.FromPath,
        UploadSource.FromBytes,
        UploadSource.FromInputStream,
        UploadSource.FromStream {

  /** The media type sent when none is given or can be guessed. */
  String OCTET_STREAM = "application/octet-stream";

  /**
   * @return the display name the file gets
   */
  String filename();

  /**
   * @return its media type
   */
  String contentType();

  /**
   * A file on disk, named as it is, its media type guessed from its extension.
   *
   * @param file the file
   * @return the source
   */
  static UploadSource of(Path file) {
    String name = String.valueOf(file.getFileName());
    return new FromPath(file, name, guessContentType(name));
  }

  /**
   * A file on disk with a media type of the caller's.
   *
   * @param file the file
   * @param contentType its media type
   * @return the source
   */
  static UploadSource of(Path file, String contentType) {
    return new FromPath(file, String.valueOf(file.getFileName()), contentType);
  }

  /**
   * Bytes in memory.
   *
   * @param filename the display name
   * @param contentType the media type
   * @param content the bytes; copied
   * @return the source
   */
  static UploadSource of(String filename, String contentType, byte[] content) {
    return new FromBytes(filename, contentType, Buffer.buffer(content.clone()));
  }

  /**
   * An input stream, read on a worker thread as the connection takes its bytes and closed at the
   * end or on failure.
   *
   * @param filename the display name
   * @param contentType the media type
   * @param length how many bytes it holds, or -1 if unknown (then the request is sent chunked)
   * @param content the bytes
   * @return the source
   */
  static UploadSource of(String filename, String contentType, long length, InputStream content) {
    return new FromInputStream(filename, contentType, length, content);
  }

  /**
   * A Vert.x stream, piped into the request with back-pressure.
   *
   * @param filename the display name
   * @param contentType the media type
   * @param length how many bytes it holds, or -1 if unknown (then the request is sent chunked)
   * @param content the bytes; not to be read elsewhere
   * @return the source
   */
  static UploadSource of(
      String filename, String contentType, long length, ReadStream<Buffer> content) {
    return new FromStream(filename, contentType, length, content);
  }

  /**
   * @param filename a file name
   * @return the media type its extension suggests, else {@value #OCTET_STREAM}
   */
  static String guessContentType(String filename) {
    String guessed = URLConnection.guessContentTypeFromName(filename);
    return guessed == null ? OCTET_STREAM : guessed;
  }

  /**
   * A file on disk.
   *
   * @param file the file
   * @param filename the display name
   * @param contentType the media type
   */
  record FromPath(Path file, String filename, String contentType) implements UploadSource {

    /**
     * Checks the fields.
     *
     * @param file the file
     * @param filename the display name
     * @param contentType the media type, or {@code null} for {@value #OCTET_STREAM}
     */
    public FromPath {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(filename, "filename");
      contentType = contentType == null ? OCTET_STREAM : contentType;
    }
  }

  /**
   * Bytes in memory.
   *
   * @param filename the display name
   * @param contentType the media type
   * @param content the bytes
   */
  record FromBytes(String filename, String contentType, Buffer content) implements UploadSource {

    /**
     * Checks the fields.
     *
     * @param filename the display name
     * @param contentType the media type, or {@code null} for {@value #OCTET_STREAM}
     * @param content the bytes
     */
    public FromBytes {
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(content, "content");
      contentType = contentType == null ? OCTET_STREAM : contentType;
    }
  }

  /**
   * An input stream.
   *
   * @param filename the display name
   * @param contentType the media type
   * @param length its length, or -1 if unknown
   * @param content the bytes
   */
  record FromInputStream(String filename, String contentType, long length, InputStream content)
      implements UploadSource {

    /**
     * Checks the fields.
     *
     * @param filename the display name
     * @param contentType the media type, or {@code null} for {@value #OCTET_STREAM}
     * @param length its length, or -1 if unknown
     * @param content the bytes
     */
    public FromInputStream {
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(content, "content");
      contentType = contentType == null ? OCTET_STREAM : contentType;
      if (length < -1) {
        throw new IllegalArgumentException("length must be -1 (unknown) or at least 0");
      }
    }
  }

  /**
   * A Vert.x stream.
   *
   * @param filename the display name
   * @param contentType the media type
   * @param length its length, or -1 if unknown
   * @param content the bytes
   */
  record FromStream(String filename, String contentType, long length, ReadStream<Buffer> content)
      implements UploadSource {

    /**
     * Checks the fields.
     *
     * @param filename the display name
     * @param contentType the media type, or {@code null} for {@value #OCTET_STREAM}
     * @param length its length, or -1 if unknown
     * @param content the bytes
     */
    public FromStream {
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(content, "content");
      contentType = contentType == null ? OCTET_STREAM : contentType;
      if (length < -1) {
        throw new IllegalArgumentException("length must be -1 (unknown) or at least 0");
      }
    }
  }
}
