package dev.homelab.client.impl;

import dev.homelab.client.files.StoredFile;
import dev.homelab.client.files.UploadOptions;
import dev.homelab.client.files.UploadSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.FileSystem;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One {@code POST /api/files/upload}: a {@code multipart/form-data} body made of the tags' text
 * field, a {@code filename} text field per source with its exact name, and a file part per source,
 * streamed from the sources as the connection takes it. Its {@code Content-Length} is known when
 * every source's length is, else it is sent chunked.
 */
final class MultipartUpload {

  static final String PATH = FilesClient.FILES + "/upload";

  private final Transport transport;
  private final Context context;
  private final List<UploadSource> sources;
  private final UploadOptions options;
  private final List<AsyncFile> opened = new ArrayList<>();

  MultipartUpload(
      Transport transport, Context context, List<UploadSource> sources, UploadOptions options) {
    this.transport = transport;
    this.context = context;
    this.sources = List.copyOf(sources);
    this.options = options;
  }

  /** Opens every source, sends the body, and closes the files it opened, whatever happens. */
  Future<List<StoredFile>> send() {
    List<Future<ConcatStream.Part>> contents = new ArrayList<>();
    List<Future<Long>> lengths = new ArrayList<>();
    for (UploadSource source : sources) {
      Future<Long> length = length(source);
      lengths.add(length);
      contents.add(length.compose(known -> content(source)));
    }
    return Future.all(contents)
        .compose(all -> post(contentsOf(contents), lengthsOf(lengths)))
        .andThen(
            done -> {
              opened.forEach(AsyncFile::close);
              // An input stream the request did not read to its end (it failed first) is closed
              // too, as UploadSource promises; closing one twice does no harm.
              for (UploadSource source : sources) {
                if (source instanceof UploadSource.FromInputStream in) {
                  closeQuietly(in.content());
                }
              }
            });
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing was to be read from it any more
    }
  }

  private Future<List<StoredFile>> post(List<ConcatStream.Part> contents, List<Long> lengths) {
    String boundary = FilesClient.boundary();
    List<ConcatStream.Part> parts = new ArrayList<>();
    if (!options.tags().isEmpty()) {
      parts.add(text(boundary, "tags", String.join(",", options.tags())));
    }
    // The exact names, one per file in their order: the server's multipart parser mangles = ; , :
    // tabs and quotes in a part's own filename, and takes these fields instead.
    for (UploadSource source : sources) {
      parts.add(text(boundary, "filename", source.filename()));
    }
    for (int i = 0; i < sources.size(); i++) {
      UploadSource source = sources.get(i);
      parts.add(
          ConcatStream.Part.framing(
              "--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                  + quoted(source.filename())
                  + "\"\r\nContent-Type: "
                  + source.contentType().replaceAll("[\\r\\n]", "")
                  + "\r\n\r\n"));
      parts.add(contents.get(i));
      parts.add(ConcatStream.Part.framing("\r\n"));
    }
    parts.add(ConcatStream.Part.framing("--" + boundary + "--\r\n"));

    long total = 0;
    for (long length : lengths) {
      total = length < 0 || total < 0 ? -1 : total + length;
    }
    long bodyLength = total;
    if (bodyLength >= 0) {
      for (ConcatStream.Part part : parts) {
        if (part.bytes() != null && !part.content()) {
          bodyLength += part.bytes().length();
        }
      }
    }
    long contentTotal = total;
    long[] sent = {0};
    ConcatStream body =
        new ConcatStream(
            parts,
            bytes -> {
              sent[0] += bytes;
              options.progress().progress(sent[0], contentTotal);
            });
    return transport
        .upload(
            HttpMethod.POST,
            PATH,
            Map.of(),
            new UploadBody(body, bodyLength, "multipart/form-data; boundary=" + boundary),
            201)
        .map(response -> FilesClient.files(response.bodyAsJsonObject()));
  }

  /** A text field of the form, in UTF-8. */
  private static ConcatStream.Part text(String boundary, String name, String value) {
    return ConcatStream.Part.framing(
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
            + value
            + "\r\n");
  }

  /**
   * A file name in a quoted parameter, as browsers write it (HTML's multipart encoding): UTF-8,
   * with {@code "}, CR and LF percent-encoded. The server keeps only a display name of it anyway.
   */
  static String quoted(String filename) {
    return filename.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  private Future<Long> length(UploadSource source) {
    if (source instanceof UploadSource.FromPath path) {
      return transport
          .vertx()
          .fileSystem()
          .props(path.file().toAbsolutePath().toString())
          .map(p -> p.size());
    }
    if (source instanceof UploadSource.FromBytes bytes) {
      return Future.succeededFuture((long) bytes.content().length());
    }
    if (source instanceof UploadSource.FromInputStream in) {
      return Future.succeededFuture(in.length());
    }
    return Future.succeededFuture(((UploadSource.FromStream) source).length());
  }

  private Future<ConcatStream.Part> content(UploadSource source) {
    if (source instanceof UploadSource.FromPath path) {
      FileSystem fs = transport.vertx().fileSystem();
      return fs.open(path.file().toAbsolutePath().toString(), new OpenOptions().setRead(true))
          .map(
              file -> {
                opened.add(file);
                return ConcatStream.Part.content(file);
              });
    }
    if (source instanceof UploadSource.FromBytes bytes) {
      return Future.succeededFuture(ConcatStream.Part.content(bytes.content()));
    }
    if (source instanceof UploadSource.FromInputStream in) {
      return Future.succeededFuture(
          ConcatStream.Part.content(new InputStreamSource(context, in.content())));
    }
    return Future.succeededFuture(
        ConcatStream.Part.content(((UploadSource.FromStream) source).content()));
  }

  private static List<ConcatStream.Part> contentsOf(List<Future<ConcatStream.Part>> futures) {
    return futures.stream().map(Future::result).toList();
  }

  private static List<Long> lengthsOf(List<Future<Long>> futures) {
    return futures.stream().map(Future::result).toList();
  }
}
