package dev.homelab.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets generated on first start and kept in the data directory, readable by the owner only (mode
 * 0600): the JWT signing key and the administrator's access token when they are not configured.
 * Blocking: call from a worker.
 */
public final class SecretFiles {

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretFiles() {}

  /**
   * Reads the secret in {@code file}, or creates the file with {@code bytes} random bytes
   * (base64url) if it does not exist. Two processes starting at once agree on one value: the file
   * is created exclusively and the loser reads the winner's.
   *
   * @param file the file
   * @param bytes how many random bytes a new secret has
   * @return the secret
   * @throws IOException if the file cannot be read or written
   */
  public static String readOrCreate(Path file, int bytes) throws IOException {
    if (!Files.exists(file)) {
      byte[] random = new byte[bytes];
      RANDOM.nextBytes(random);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        Path tmp = Files.createTempFile(file.getParent(), ".secret", ".tmp");
        restrict(tmp);
        Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        try {
          Files.createLink(file, tmp);
        } finally {
          Files.deleteIfExists(tmp);
        }
      } catch (FileAlreadyExistsException raced) {
        // another instance created it first: use theirs
      } catch (UnsupportedOperationException noHardLinks) {
        Files.writeString(
            file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        restrict(file);
      }
    }
    return Files.readString(file, StandardCharsets.UTF_8).strip();
  }

  private static void restrict(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
