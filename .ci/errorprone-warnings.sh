#!/usr/bin/env bash
# Prints the pom's <errorprone.warnings.as.errors> value for the pinned Error Prone version: every check
# Error Prone enables as a WARNING, raised to ERROR. Run after changing errorprone.version (offline,
# from ~/.m2 after one build). Checks the pom turns OFF (errorprone.common) are left out.
set -euo pipefail
cd "$(dirname "$0")/.."
v=$(sed -n 's:.*<errorprone.version>\(.*\)</errorprone.version>.*:\1:p' pom.xml)
off=$(sed -n 's:.*<errorprone.common>\(.*\)</errorprone.common>.*:\1:p' pom.xml | grep -o 'Xep:[A-Za-z]*:OFF' | cut -d: -f2)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/pom.xml" <<POM
<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>x</artifactId><version>1</version>
<dependencies><dependency><groupId>com.google.errorprone</groupId><artifactId>error_prone_core</artifactId>
<version>$v</version></dependency></dependencies></project>
POM
mvn -B -q -o -f "$tmp/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$tmp/cp.txt" >&2
cp=$(cat "$tmp/cp.txt")
cat > "$tmp/W.java" <<'JAVA'
public class W {
  public static void main(String[] a) {
    new java.util.TreeSet<String>(
            com.google.errorprone.scanner.BuiltInCheckerSuppliers.ENABLED_WARNINGS.stream()
                .map(com.google.errorprone.BugCheckerInfo::canonicalName)
                .toList())
        .forEach(System.out::println);
  }
}
JAVA
java -cp "$cp" "$tmp/W.java" | grep -vxF "$off" | sed 's/.*/-Xep:&:ERROR/' | paste -sd' '
