package dev.homelab.core.store.impl;

/** Checks for optional drivers without loading them. */
public final class ClassPath {

  private ClassPath() {}

  /**
   * @param names fully qualified class names
   * @return {@code true} if every class can be found by core's class loader
   */
  public static boolean hasAll(String... names) {
    for (String name : names) {
      try {
        Class.forName(name, false, ClassPath.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }
    return true;
  }
}
