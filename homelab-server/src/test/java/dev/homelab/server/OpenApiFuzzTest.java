package dev.homelab.server;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes every operation of /openapi.json on SQLite (see {@link OpenApiFuzzer}); {@code
 * OpenApiFuzzIT} does the same on PostgreSQL. Replay a failure with the seed it prints: {@code
 * -Dhomelab.fuzz.seed=...}.
 */
class OpenApiFuzzTest {

  @TempDir Path dir;

  /** Point 1 of issue 14: no input, however broken, makes the server log an ERROR. */
  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  @Timeout(180)
  void everyAnswerAgreesWithTheDocument() {
    try (ServerTesting lab = ServerTesting.start(dir)) {
      OpenApiFuzzer fuzzer = new OpenApiFuzzer(lab, "SQLite", 15);
      List<OpenApiFuzzer.Finding> findings = fuzzer.run();
      System.out.println(
          "OpenApiFuzzTest: "
              + fuzzer.sent()
              + " requests, seed "
              + fuzzer.seed()
              + ", "
              + fuzzer.tally());
      if (!findings.isEmpty()) {
        OpenApiFuzzer.write("openapi-fuzz-sqlite.txt", fuzzer.report(findings));
        fail(fuzzer.report(findings));
      }
    }
  }
}
