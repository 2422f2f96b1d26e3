package io.sparksweep.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rule of ARCHITECTURE.md: data flows one way, and only spark/cli know Spark. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sparksweep");
  }

  @Test
  void numericCoreNeverImportsSpark() {
    noClasses()
        .that()
        .resideOutsideOfPackages("io.sparksweep.spark..", "io.sparksweep.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.spark..", "scala..")
        .check(classes);
  }

  @Test
  void tensorUsesNothingElseOfOurs() {
    onlyOursAllowed("tensor");
  }

  @Test
  void layerUsesOnlyTensor() {
    onlyOursAllowed("layer", "tensor");
  }

  @Test
  void lossUsesOnlyTensor() {
    onlyOursAllowed("loss", "tensor");
  }

  @Test
  void gradcheckUsesOnlyTensor() {
    onlyOursAllowed("gradcheck", "tensor");
  }

  @Test
  void optimUsesOnlyTensor() {
    onlyOursAllowed("optim", "tensor");
  }

  @Test
  void dataUsesOnlyTensor() {
    onlyOursAllowed("data", "tensor");
  }

  @Test
  void modelUsesLayerLossTensor() {
    onlyOursAllowed("model", "layer", "loss", "tensor");
  }

  @Test
  void trainUsesModelOptimData() {
    onlyOursAllowed("train", "model", "optim", "data", "tensor", "layer", "loss");
  }

  @Test
  void searchNeverUsesSparkOrCli() {
    onlyOursAllowed(
        "search", "train", "model", "optim", "data", "tensor", "layer", "loss", "gradcheck");
  }

  @Test
  void reportUsesSearchRecordsAndBelowOnly() {
    onlyOursAllowed(
        "report",
        "search",
        "train",
        "model",
        "optim",
        "data",
        "tensor",
        "layer",
        "loss",
        "gradcheck");
  }

  @Test
  void reportNeverImportsSpark() {
    noClasses()
        .that()
        .resideInAPackage("io.sparksweep.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.spark..", "scala..", "io.sparksweep.spark..", "io.sparksweep.cli..")
        .check(classes);
  }

  @Test
  void benchUsesTrainAndBelowNeverSparkSearchReportOrCli() {
    onlyOursAllowed("bench", "train", "model", "optim", "data", "tensor", "layer", "loss");
    noClasses()
        .that()
        .resideInAPackage("io.sparksweep.bench..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.spark..", "scala..")
        .check(classes);
  }

  @Test
  void sparkDoesNotUseCli() {
    noClasses()
        .that()
        .resideInAPackage("io.sparksweep.spark..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.sparksweep.cli..")
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("io.sparksweep.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyCliPrintsToTheConsole() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.sparksweep.cli..")
        .should()
        .accessField(System.class, "out")
        .check(classes);
  }

  private static void onlyOursAllowed(String pkg, String... allowed) {
    String[] forbidden =
        java.util.stream.Stream.of(
                "tensor",
                "layer",
                "loss",
                "model",
                "optim",
                "train",
                "gradcheck",
                "data",
                "search",
                "report",
                "spark",
                "bench",
                "cli")
            .filter(p -> !p.equals(pkg) && !java.util.Arrays.asList(allowed).contains(p))
            .map(p -> "io.sparksweep." + p + "..")
            .toArray(String[]::new);
    noClasses()
        .that()
        .resideInAPackage("io.sparksweep." + pkg + "..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .allowEmptyShould(true)
        .check(classes);
  }
}
