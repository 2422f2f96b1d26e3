# Shared by the launchers in jobs/ (sourced, not run). Finds the repository, builds the app jar
# when it is missing or older than the sources, and caches Spark's runtime classpath (the
# `provided` dependencies of the pom: Spark runs from Maven jars, no Spark install needed).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLASSPATH_FILE="$ROOT/target/classpath-provided.txt"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

# OpenBLAS settings for every JVM these scripts start (and what those start: executors of a
# standalone cluster started here, the PyTorch side of the benchmark): one BLAS thread per task
# slot, and on AMD Zen 4 (family 25 with AVX-512) the Haswell kernels. OpenBLAS 0.3.21 (Debian 12)
# picks its Cooperlake (AVX-512) kernels there, which run the convnet's per-image products 10-46%
# slower than its Haswell ones (conv training 2,349 -> 2,707 img/s, fc and fcbn within 1%;
# docs/performance.md, 2026-12-04). A set OPENBLAS_CORETYPE is kept; SPARKSWEEP_OPENBLAS_CORETYPE
# overrides the choice (a core name, or `auto`: leave it to OpenBLAS). $SPARKSWEEP_CPUINFO stands
# for /proc/cpuinfo in the tests.
openblas_env() {
  export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
  [ -z "${OPENBLAS_CORETYPE:-}" ] || return 0
  local choice="${SPARKSWEEP_OPENBLAS_CORETYPE:-}" cpuinfo="${SPARKSWEEP_CPUINFO:-/proc/cpuinfo}"
  if [ -z "$choice" ] && [ -r "$cpuinfo" ] \
    && grep -q -m1 '^vendor_id[[:space:]]*: AuthenticAMD' "$cpuinfo" \
    && grep -q -m1 '^cpu family[[:space:]]*: 25$' "$cpuinfo" \
    && grep -m1 '^flags' "$cpuinfo" | grep -q -w avx512f; then
    choice=Haswell
  fi
  if [ -n "$choice" ] && [ "$choice" != auto ]; then
    # OpenBLAS takes an unknown name silently and falls back to its slowest (Prescott) kernels.
    local known=" katmai coppermine northwood prescott banias atom core2 penryn dunnington nehalem"
    known+=" athlon opteron opteron_sse3 barcelona nano sandybridge bobcat bulldozer piledriver"
    known+=" haswell steamroller excavator zen skylakex cooperlake sapphirerapids "
    case "$known" in
      *" ${choice,,} "*) ;;
      *) die "SPARKSWEEP_OPENBLAS_CORETYPE='$choice' is not an OpenBLAS x86-64 core name; expected auto or one of:$known(e.g. Haswell)" ;;
    esac
    export OPENBLAS_CORETYPE="$choice"
  else
    unset OPENBLAS_CORETYPE
  fi
}

# Spark's launcher JVM options (--add-opens … for Java 17), kept in one place: the pom.
spark_jvm_options() {
  sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$ROOT/pom.xml"
}

# The shaded app jar (our code + picocli, YAML, netlib; Spark is provided).
app_jar() {
  local jars=("$ROOT"/target/sparksweep-*-app.jar)
  [ -e "${jars[0]}" ] && echo "${jars[0]}"
}

# Builds the app jar with `./mvnw -q -DskipTests package` if it is missing or older than the sources.
ensure_app_jar() {
  local jar
  jar="$(app_jar || true)"
  if [ -z "$jar" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$jar" -type f -print -quit)" ]; then
    echo "building the app jar (./mvnw -q -DskipTests package)…" >&2
    (cd "$ROOT" && ./mvnw -B -ntp -q -Dstyle.color=never -DskipTests package) >&2 || die "mvn package failed"
    jar="$(app_jar)" || die "mvn package did not produce target/sparksweep-*-app.jar"
  fi
  APP_JAR="$jar"
}

# Caches the classpath of the pom's provided dependencies (Spark and what it needs).
# $SPARKSWEEP_SPARK_CLASSPATH, when set, is used as is (the tests pass their own).
ensure_classpath() {
  if [ -n "${SPARKSWEEP_SPARK_CLASSPATH:-}" ]; then
    SPARK_CLASSPATH="$SPARKSWEEP_SPARK_CLASSPATH"
    return
  fi
  if [ ! -s "$CLASSPATH_FILE" ] || [ "$ROOT/pom.xml" -nt "$CLASSPATH_FILE" ]; then
    echo "resolving Spark's classpath (./mvnw dependency:build-classpath)…" >&2
    mkdir -p "$ROOT/target"
    (cd "$ROOT" && ./mvnw -B -ntp -q -Dstyle.color=never dependency:build-classpath -DincludeScope=provided \
      -Dmdep.outputFile="$CLASSPATH_FILE") >&2 || die "mvn dependency:build-classpath failed"
    # The plugin leaves an unchanged file untouched: mark it fresh, or every launch re-resolves.
    touch "$CLASSPATH_FILE"
  fi
  SPARK_CLASSPATH="$(cat "$CLASSPATH_FILE")"
}

# A SPARK_HOME for Maven-jar Spark: $1/jars holds links to the classpath's jars. Workers need it to
# build their executors' classpath; spark-submit from Maven jars needs it for the same reason.
make_spark_home() {
  local home="$1" jar
  rm -rf "$home/jars"
  mkdir -p "$home/jars" "$home/conf"
  IFS=':' read -r -a jars <<<"$SPARK_CLASSPATH"
  for jar in "${jars[@]}"; do
    case "$jar" in *.jar) ln -sf "$jar" "$home/jars/" ;; esac
  done
}

# The state folder of jobs/standalone-cluster.sh (pids, logs, the secret) and the cluster's
# authentication secret: 256 random bits, hex, in a 0600 file of a 0700 folder. The launchers
# (jobs/sparksweep, jobs/submit.sh) pass its path to the driver as $SPARKSWEEP_SECRET_FILE; the
# secret itself never goes on a command line, where `ps` would show it.
CLUSTER_DIR="${SPARKSWEEP_CLUSTER_DIR:-$ROOT/target/standalone}"
CLUSTER_SECRET_FILE="$CLUSTER_DIR/secret/auth-secret"

# Writes a fresh secret to $CLUSTER_SECRET_FILE (never printed).
generate_secret() {
  local dir tmp
  dir="$(dirname "$CLUSTER_SECRET_FILE")"
  (
    umask 077
    mkdir -p "$dir"
    chmod 700 "$dir"
    tmp="$(mktemp "$dir/.auth-secret.XXXXXX")"
    head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' >"$tmp"
    [ "$(wc -c <"$tmp")" -eq 64 ] || { rm -f "$tmp"; exit 1; }
    chmod 600 "$tmp"
    mv -f "$tmp" "$CLUSTER_SECRET_FILE"
  ) || die "cannot write the cluster secret $CLUSTER_SECRET_FILE"
}

# Exports SPARKSWEEP_SECRET_FILE for the driver when the user did not set it and a cluster started
# by jobs/standalone-cluster.sh has a secret. The driver uses it for spark:// masters only.
export_cluster_secret() {
  if [ -z "${SPARKSWEEP_SECRET_FILE:-}" ] && [ -f "$CLUSTER_SECRET_FILE" ]; then
    export SPARKSWEEP_SECRET_FILE="$CLUSTER_SECRET_FILE"
  fi
}

# Whether a spark-defaults.conf-style file turns spark.authenticate on.
auth_enabled_in() {
  grep -Eq '^[[:space:]]*spark\.authenticate[[:space:]=]+true[[:space:]]*$' "$1"
}

# Class-data sharing for jobs/sparksweep (see there). Sets CDS_OPTIONS (JVM options) and, for the
# run that records the archive, CDS_DUMP (the file the JVM writes) and CDS_ARCHIVE (its final name).
# $1: the sparksweep command; only commands that start Spark record an archive.
cds_setup() {
  CDS_OPTIONS=() CDS_DUMP="" CDS_ARCHIVE=""
  [ "${SPARKSWEEP_CDS:-1}" != 0 ] || return 0
  [ -z "${SPARKSWEEP_SPARK_CLASSPATH:-}" ] || return 0 # the tests' classpath has class folders
  local entry java_bin key dir="$ROOT/target/cds"
  IFS=':' read -r -a entries <<<"$APP_JAR:$SPARK_CLASSPATH"
  for entry in "${entries[@]}"; do
    case "$entry" in *.jar) [ -f "$entry" ] || return 0 ;; *) return 0 ;; esac # CDS: jars only
  done
  java_bin="$(readlink -f "$(command -v java)")"
  key="$({ echo "$java_bin"; stat -c '%s %Y' "$java_bin" "$APP_JAR"; echo "$APP_JAR:$SPARK_CLASSPATH"; } \
    | sha256sum | cut -c1-16)"
  CDS_ARCHIVE="$dir/sparksweep-$key.jsa"
  if [ -s "$CDS_ARCHIVE" ]; then
    CDS_OPTIONS=("-XX:SharedArchiveFile=$CDS_ARCHIVE" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
    return 0
  fi
  case "$1" in search|query|runs|report|best) ;; *) return 0 ;; esac
  mkdir -p "$dir" || return 0
  find "$dir" -name 'sparksweep-*.jsa' -delete 2>/dev/null || true # archives of older builds
  CDS_DUMP="$dir/.sparksweep-$key.$$.jsa"
  CDS_OPTIONS=("-XX:ArchiveClassesAtExit=$CDS_DUMP" -Xlog:cds=off -Xlog:cds+dynamic=off)
}
