package dev.homelab.core.files;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file and where its content can be read: the blob is never changed in place (a new content is a
 * new blob), so it can be sent with {@code sendfile} or opened as it is.
 *
 * @param file the file
 * @param blob the content on disk
 */
public record FileContent(StoredFile file, Path blob) {

  /** Checks the components. */
  public FileContent {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(blob, "blob");
  }
}
