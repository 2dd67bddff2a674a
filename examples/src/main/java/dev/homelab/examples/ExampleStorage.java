package dev.homelab.examples;

import dev.homelab.core.store.StorageOptions;
import java.io.IOException;
import java.nio.file.Files;

/** Where the examples keep their data: the url given as first argument, else a new SQLite file. */
final class ExampleStorage {

  private ExampleStorage() {}

  /**
   * @param args the example's arguments; a {@code postgres://} or {@code sqlite:} url first, or
   *     none
   * @return options for that store, or for a fresh SQLite file in a temporary directory
   * @throws IOException if the temporary directory cannot be made
   */
  static StorageOptions fromArgs(String[] args) throws IOException {
    return args.length > 0
        ? StorageOptions.fromUri(args[0])
        : new StorageOptions()
            .setSqlitePath(
                Files.createTempDirectory("homelab-example").resolve("homelab.db").toString());
  }
}
