package dev.homelab.client.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of a file or of a part of it, computed on a worker thread, a buffer at a time. */
final class Digests {

  private static final int BUFFER = 64 * 1024;

  private Digests() {}

  /**
   * @param vertx where to find a worker
   * @param file the file
   * @param offset the first byte to hash
   * @param length how many bytes to hash, or -1 for all from {@code offset} to the end
   * @return the digest; fails if the file holds fewer bytes
   */
  static Future<byte[]> sha256(Vertx vertx, Path file, long offset, long length) {
    return vertx.executeBlocking(() -> digest(file, offset, length), false);
  }

  /**
   * @param digest a digest
   * @return it as lowercase hex
   */
  static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  private static byte[] digest(Path file, long offset, long length) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = length < 0 ? channel.size() : offset + length;
      ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
      long position = offset;
      // Bounded: each turn advances by at least one byte or ends.
      while (position < end) {
        buffer.clear().limit((int) Math.min(BUFFER, end - position));
        int read = channel.read(buffer, position);
        if (read < 0) {
          throw new IOException(file + " ends at " + position + ", before byte " + end);
        }
        buffer.flip();
        sha.update(buffer);
        position += read;
      }
    }
    return sha.digest();
  }
}
