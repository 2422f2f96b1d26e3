package io.sparksweep.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.sparksweep.ProjectFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code docs/architecture.md}, read from that file: the dependency table (packages of
 * ours and libraries each package may use), no cycles, the numeric core without Spark, Hadoop,
 * Delta or Jackson, and no console output outside {@code cli}. The table is parsed, not copied, so
 * the document and the rule cannot drift.
 */
class ArchitectureTest {
  private static final String BASE = "io.sparksweep.";
  private static final List<String> JDK =
      List.of("java.", "javax.", "jdk.internal.", "com.sun.", "sun.", "org.w3c.", "org.xml.");
  private static final List<String> NUMERIC_CORE =
      List.of(
          "tensor",
          "layer",
          "loss",
          "model",
          "optim",
          "train",
          "gradcheck",
          "data",
          "search",
          "search.schedule");

  /** The one class outside cli allowed to write to stderr (docs/architecture.md, Console). */
  private static final String CONSOLE_EXEMPT = BASE + "spark.ChaosPoints";

  private static final List<String> CLUSTER_LIBRARIES =
      List.of("org.apache.spark.", "scala.", "org.apache.hadoop.", "io.delta.", "com.fasterxml.");

  /** One row of the table: what a package may use. */
  record Row(Set<String> ours, Set<String> libraries) {
    boolean anyOurs() {
      return ours.contains("*");
    }

    boolean anyLibrary() {
      return libraries.contains("*");
    }
  }

  private static JavaClasses classes;
  private static Map<String, Row> table;

  @BeforeAll
  static void importClassesAndTable() throws IOException {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sparksweep");
    table = parseTable(Files.readString(ProjectFiles.path("docs/architecture.md")));
  }

  /** The dependency table of docs/architecture.md: package -> (may use, libraries). */
  static Map<String, Row> parseTable(String markdown) {
    Map<String, Row> rows = new LinkedHashMap<>();
    boolean inTable = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.startsWith("| package | holds | may use | libraries |")) {
        inTable = true;
        continue;
      }
      if (!inTable || line.startsWith("| ---")) {
        continue;
      }
      if (!line.startsWith("|")) {
        break;
      }
      String[] cells = line.split("\\|", -1);
      if (cells.length != 6) {
        fail("docs/architecture.md: a table row needs 4 cells: " + line);
      }
      String pkg = single(cells[1], line);
      rows.put(pkg, new Row(names(cells[3]), names(cells[4])));
    }
    if (rows.isEmpty()) {
      fail("docs/architecture.md has no '| package | holds | may use | libraries |' table");
    }
    return rows;
  }

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  private static Set<String> names(String cell) {
    Set<String> out = new TreeSet<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String single(String cell, String line) {
    Set<String> n = names(cell);
    if (n.size() != 1) {
      fail("docs/architecture.md: the package cell must name one package: " + line);
    }
    return n.iterator().next();
  }

  /** Our package of a class ("search.schedule"), or null if it is not ours. */
  private static String ourPackage(JavaClass c) {
    String p = c.getPackageName();
    return p.startsWith(BASE) ? p.substring(BASE.length()) : null;
  }

  @Test
  void everyPackageHasARowInTheTable() {
    Set<String> missing = new TreeSet<>();
    for (JavaClass c : classes) {
      String p = ourPackage(c);
      if (p != null && !table.containsKey(p)) {
        missing.add(p);
      }
    }
    assertTrue(
        missing.isEmpty(),
        "packages without a row in docs/architecture.md's dependency table: " + missing);
  }

  @Test
  void everyDependencyIsInTheTable() {
    List<String> violations = new ArrayList<>();
    for (JavaClass c : classes) {
      String from = ourPackage(c);
      Row row = from == null ? null : table.get(from);
      if (row == null) {
        continue; // reported by everyPackageHasARowInTheTable
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        if (target.isPrimitive()
            || target.isArray() && target.getBaseComponentType().isPrimitive()) {
          continue;
        }
        JavaClass base = target.isArray() ? target.getBaseComponentType() : target;
        String name = base.getName();
        String to = ourPackage(base);
        boolean allowed;
        if (to != null) {
          allowed = to.equals(from) || row.anyOurs() || row.ours().contains(to);
        } else {
          allowed =
              JDK.stream().anyMatch(name::startsWith)
                  || row.anyLibrary()
                  || row.libraries().stream().anyMatch(l -> name.startsWith(l + "."));
        }
        if (!allowed) {
          violations.add(from + " -> " + (to != null ? to : name) + ": " + d.getDescription());
        }
      }
    }
    assertTrue(
        violations.isEmpty(),
        "dependencies not allowed by docs/architecture.md's table ("
            + violations.size()
            + "):\n"
            + String.join("\n", violations.stream().limit(40).toList()));
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.sparksweep.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theNumericCoreKnowsNoCluster() {
    for (String p : NUMERIC_CORE) {
      assertTrue(table.containsKey(p), "docs/architecture.md's table has no row for " + p);
    }
    noClasses()
        .that()
        .resideInAnyPackage(NUMERIC_CORE.stream().map(p -> BASE + p).toArray(String[]::new))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(CLUSTER_LIBRARIES.stream().map(l -> l + ".").toArray(String[]::new))
        .because("the numeric core imports neither Spark, Hadoop, Delta nor Jackson")
        .check(classes);
  }

  @Test
  void onlyCliWritesToTheConsole() {
    noClasses()
        .that()
        .resideOutsideOfPackage(BASE + "cli..")
        .and()
        .doNotHaveFullyQualifiedName(CONSOLE_EXEMPT)
        .should()
        .accessField(System.class, "out")
        .orShould()
        .accessField(System.class, "err")
        .orShould()
        .callMethodWhere(
            JavaCall.Predicates.target(HasName.Predicates.name("printStackTrace"))
                .and(
                    JavaCall.Predicates.target(
                        HasOwner.Predicates.With.owner(
                            JavaClass.Predicates.assignableTo(Throwable.class)))))
        .because("only cli writes to the console (docs/architecture.md, Console)")
        .check(classes);
  }

  @Test
  void theTableParserReadsRowsAndRefusesMalformedOnes() {
    Map<String, Row> t =
        parseTable(
            "x\n| package | holds | may use | libraries |\n| --- | --- | --- | --- |\n"
                + "| `a` | things | `b`, `c` | — |\n| `d` | more | `*` | `org.x` |\n\nafter\n");
    assertEquals(List.of("a", "d"), List.copyOf(t.keySet()));
    assertEquals(Set.of("b", "c"), t.get("a").ours());
    assertTrue(t.get("a").libraries().isEmpty());
    assertTrue(t.get("d").anyOurs());
    assertFalse(t.get("d").anyLibrary());
    assertEquals(Set.of("org.x"), t.get("d").libraries());
  }
}
