package dev.homelab.core.files;

import java.util.List;

/**
 * What a client says about a file it uploads. The constructor cleans the fields ({@link
 * FileFields}): the name becomes a display name, an unusable media type becomes {@value
 * FileFields#DEFAULT_CONTENT_TYPE}, and bad tags are refused.
 *
 * @param filename the display name
 * @param contentType the media type
 * @param tags the tags
 */
public record NewFile(String filename, String contentType, List<String> tags) {

  /** Cleans the fields. */
  public NewFile {
    filename = FileFields.filename(filename);
    contentType = FileFields.contentType(contentType);
    tags = FileFields.tags(tags);
  }
}
