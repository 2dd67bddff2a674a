package dev.homelab.server;

import dev.homelab.core.HomelabException;
import java.util.List;

/** The configuration has problems; nothing was started. */
public final class InvalidConfigException extends HomelabException {

  private final List<String> problems;

  /**
   * @param problems every problem found, one sentence each
   */
  public InvalidConfigException(List<String> problems) {
    super("Invalid configuration:\n  - " + String.join("\n  - ", problems), true);
    this.problems = List.copyOf(problems);
  }

  /**
   * @return every problem found, one sentence each
   */
  public List<String> problems() {
    return problems;
  }
}
