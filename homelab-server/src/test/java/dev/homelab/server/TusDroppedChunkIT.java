package dev.homelab.server;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TusDroppedChunkTest}'s scenario against the server jar in a process of its own, where the
 * timing of a request's steps differs from a server in the test's process.
 */
@Timeout(120)
class TusDroppedChunkIT {

  private final ServerJar jars = new ServerJar();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    jars.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1000})
  void aChunkDroppedBeforeItWasReadLeavesTheUploadResumable(int sent) throws Exception {
    ServerJar.Started server = jars.start(dir, Map.of());
    TusDroppedChunkTest.dropAndResume(server.port(), server.jwt(), sent);
  }
}
