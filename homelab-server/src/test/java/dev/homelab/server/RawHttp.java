package dev.homelab.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A raw TCP connection to a test server, for what an HTTP client library would not send: ambiguous
 * framing, smuggled requests, stalled heads. Every read is bounded by a socket timeout.
 */
final class RawHttp implements AutoCloseable {

  /** What the server sent, and whether it closed the connection. */
  record Received(String text, boolean closed) {

    /**
     * @return the number of HTTP responses in what was received
     */
    int responses() {
      int count = 0;
      for (int i = text.indexOf("HTTP/1."); i >= 0; i = text.indexOf("HTTP/1.", i + 1)) {
        if (i == 0 || text.startsWith("}HTTP/1.", i - 1) || text.startsWith("\n", i - 1)) {
          count++;
        }
      }
      return count;
    }

    /**
     * @return the first status line
     */
    String statusLine() {
      int end = text.indexOf("\r\n");
      return end < 0 ? text : text.substring(0, end);
    }

    /**
     * @param name a header name, case-insensitive
     * @return the first response's value of it, or {@code null}
     */
    String header(String name) {
      int headEnd = text.indexOf("\r\n\r\n");
      for (String line : text.substring(0, headEnd < 0 ? text.length() : headEnd).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).strip();
        }
      }
      return null;
    }

    /**
     * @return the first response's body
     */
    String body() {
      int headEnd = text.indexOf("\r\n\r\n");
      String rest = text.substring(headEnd + 4);
      String length = header("Content-Length");
      return length == null ? rest : rest.substring(0, Integer.parseInt(length));
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  /**
   * @param text bytes to send, as ISO-8859-1 text
   * @return this
   */
  RawHttp send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /**
   * @return the connection's output, for a test that streams a body from a thread of its own while
   *     this one reads the answer
   */
  OutputStream output() {
    return out;
  }

  /**
   * Reads until the server closes the connection or is silent for {@code quietMillis}.
   *
   * @param quietMillis how long a silence ends the read
   * @return what was received
   */
  Received read(int quietMillis) throws IOException {
    return read(quietMillis, false);
  }

  /**
   * Reads one response with a {@code Content-Length}, returning as soon as it is complete, or what
   * came before the server closed the connection or was silent for {@code quietMillis}.
   *
   * @param quietMillis how long a silence ends the read
   * @return what was received
   */
  Received readResponse(int quietMillis) throws IOException {
    return read(quietMillis, true);
  }

  private static boolean isCompleteResponse(String text) {
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return false;
    }
    String length = new Received(text, false).header("Content-Length");
    return length != null
        && text.getBytes(StandardCharsets.UTF_8).length - headEnd - 4 >= Integer.parseInt(length);
  }

  private Received read(int quietMillis, boolean oneResponse) throws IOException {
    socket.setSoTimeout(quietMillis);
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    boolean closed = false;
    try {
      for (int n = in.read(buffer); ; n = in.read(buffer)) {
        if (n < 0) {
          closed = true;
          break;
        }
        received.write(buffer, 0, n);
        if (oneResponse && isCompleteResponse(received.toString(StandardCharsets.UTF_8))) {
          break;
        }
      }
    } catch (SocketTimeoutException quiet) {
      // the server has said all it will for now
    } catch (IOException reset) {
      closed = true;
    }
    return new Received(received.toString(StandardCharsets.UTF_8), closed);
  }

  /**
   * @return whether the server has closed the connection (a read sees its end)
   */
  boolean isClosedByServer(int waitMillis) throws IOException {
    return read(waitMillis).closed();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
