package dev.homelab.server;

import static org.assertj.core.api.Assertions.fail;

import dev.homelab.core.testing.PostgresExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OpenApiFuzzTest} on PostgreSQL: every operation of /openapi.json fuzzed against a server
 * on a fresh database (see {@link OpenApiFuzzer}). Replay a failure with the seed it prints: {@code
 * -Dhomelab.fuzz.seed=...}.
 */
class OpenApiFuzzIT {

  @RegisterExtension static final PostgresExtension PG = new PostgresExtension();

  @TempDir Path dir;

  /** Point 1 of issue 14: no input, however broken, makes the server log an ERROR. */
  @RegisterExtension final LogCapture logs = new LogCapture();

  @Test
  @Timeout(180)
  void everyAnswerAgreesWithTheDocument() {
    String url = PG.uriOf(PG.newDatabase());
    try (ServerTesting lab = ServerTesting.start(dir, Map.of("DATABASE_URL", url))) {
      OpenApiFuzzer fuzzer = new OpenApiFuzzer(lab, "PostgreSQL", 10);
      List<OpenApiFuzzer.Finding> findings = fuzzer.run();
      System.out.println(
          "OpenApiFuzzIT: "
              + fuzzer.sent()
              + " requests, seed "
              + fuzzer.seed()
              + ", "
              + fuzzer.tally());
      if (!findings.isEmpty()) {
        OpenApiFuzzer.write("openapi-fuzz-postgresql.txt", fuzzer.report(findings));
        fail(fuzzer.report(findings));
      }
    }
  }
}
