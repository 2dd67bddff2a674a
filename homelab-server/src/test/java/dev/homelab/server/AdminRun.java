package dev.homelab.server;

import dev.homelab.server.admin.AdminCommands;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** One run of a sub-command of the server jar, in-process, with what it printed. */
record AdminRun(int code, String out, String err) {

  static AdminRun of(Map<String, String> env, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        AdminCommands.run(
            args,
            env,
            new Properties(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new AdminRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * @return everything printed, to look for secrets in
   */
  String printed() {
    return out + err;
  }
}
