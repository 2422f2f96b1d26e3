package io.sparksweep;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the project (grid files, jobs, docs) for tests. Surefire runs the tests in an empty
 * working directory ({@code target/test-cwd}, see docs/architecture.md "Tests never see
 * ../shared"), so a relative path such as {@code conf/grids/default.yaml} does not resolve there;
 * resolve it against the system property {@code project.basedir} (set by the pom) instead.
 */
public final class ProjectFiles {
  private ProjectFiles() {}

  /** The project's root folder: {@code project.basedir}, or the working directory without it. */
  public static Path root() {
    String base = System.getProperty("project.basedir");
    Path root = base == null ? Path.of("").toAbsolutePath() : Path.of(base);
    if (!Files.isRegularFile(root.resolve("pom.xml"))) {
      throw new IllegalStateException(
          "no pom.xml in " + root + "; run the tests with -Dproject.basedir=<project root>");
    }
    return root;
  }

  /** A project file, e.g. {@code path("conf/grids/default.yaml")}. */
  public static Path path(String relative) {
    return root().resolve(relative);
  }
}
