#!/usr/bin/env bash
# submit.sh: runs sparksweep through spark-submit on any cluster manager (standalone, YARN,
# Kubernetes) with the app jar.
#
#   jobs/submit.sh [spark-submit options] -- <sparksweep command and options>
#
# Examples:
#   # a standalone cluster (e.g. one started by jobs/standalone-cluster.sh), driver here:
#   jobs/submit.sh --master spark://127.0.0.1:7077 --executor-memory 2g -- \
#       search --grid grids/small.yaml --data data/cifar-10-batches-bin
#
#   # YARN, driver on this host; the warehouse must be storage every executor can write:
#   jobs/submit.sh --master yarn --num-executors 8 --executor-cores 2 --executor-memory 4g \
#       --driver-memory 6g -- search --grid grids/big.yaml --data data/cifar-10-batches-bin \
#       --warehouse hdfs:///user/$USER/sparksweep/warehouse
#
#   # Kubernetes, driver in the cluster, image built from docker/Dockerfile:
#   SPARKSWEEP_APP_JAR=local:///opt/sparksweep/sparksweep.jar jobs/submit.sh \
#       --master k8s://https://kubernetes.example:6443 --deploy-mode cluster \
#       --conf spark.kubernetes.container.image=sparksweep:0.1.0 \
#       --conf spark.executor.instances=4 -- \
#       search --grid /opt/sparksweep/grids/small.yaml --data /data/cifar-10-batches-bin \
#       --warehouse s3a://bucket/sparksweep/warehouse
#
# spark-submit is taken from $SPARK_HOME/bin, else from the PATH. Without either, the
# standalone/local masters still work: SparkSubmit then runs from the pom's Maven jars (YARN and
# Kubernetes need a real Spark distribution, whose spark-yarn/spark-kubernetes jars are not in the
# pom).
#
# Settings: conf/spark-defaults.conf is passed first as --conf pairs (your --conf options win);
# in client mode the driver logs with conf/log4j2.properties. The driver's heap is
# --driver-memory (default here 6g). Environment: SPARKSWEEP_APP_JAR (default: the shaded jar
# in target/, built if missing or stale), SPARK_LOCAL_IP (default 127.0.0.1 for local and
# spark://127.0.0.1 masters only), SPARKSWEEP_SECRET_FILE (a spark:// cluster's authentication
# secret, default: the one of jobs/standalone-cluster.sh while it runs; read by the driver, so
# client mode only; YARN and Kubernetes make their own secret per application).
set -euo pipefail
# shellcheck source=jobs/_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

submit_args=()
app_args=()
seen_separator=false
for arg in "$@"; do
  if ! $seen_separator && [ "$arg" = "--" ]; then
    seen_separator=true
  elif $seen_separator; then
    app_args+=("$arg")
  else
    submit_args+=("$arg")
  fi
done
if ! $seen_separator; then
  case "${1:-}" in -h|--help) usage; exit 0 ;; esac
  usage >&2
  die "put '--' between the spark-submit options and the sparksweep command"
fi
[ ${#app_args[@]} -gt 0 ] || die "no sparksweep command after '--' (e.g. search --grid FILE)"

master="" deploy_mode="client" has_driver_memory=false
for ((i = 0; i < ${#submit_args[@]}; i++)); do
  case "${submit_args[$i]}" in
    --master) master="${submit_args[$((i + 1))]:-}" ;;
    --master=*) master="${submit_args[$i]#--master=}" ;;
    --deploy-mode) deploy_mode="${submit_args[$((i + 1))]:-}" ;;
    --deploy-mode=*) deploy_mode="${submit_args[$i]#--deploy-mode=}" ;;
    --driver-memory|--driver-memory=*) has_driver_memory=true ;;
  esac
done
[ -n "$master" ] || die "--master is required (local[*], spark://host:7077, yarn, k8s://…)"

if [ -n "${SPARKSWEEP_APP_JAR:-}" ]; then
  APP_JAR="$SPARKSWEEP_APP_JAR"
else
  ensure_app_jar
fi

defaults=()
while read -r key value; do
  case "$key" in ''|'#'*) continue ;; esac
  defaults+=(--conf "$key=$value")
done <"$ROOT/conf/spark-defaults.conf"

extra=()
$has_driver_memory || extra+=(--driver-memory 6g)
if [ "$deploy_mode" = "client" ]; then
  extra+=(--driver-java-options "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties")
fi
case "$master" in
  local*|spark://127.0.0.1*|spark://localhost*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;;
esac
openblas_env
export_cluster_secret

if [ -n "${SPARK_HOME:-}" ] && [ -x "$SPARK_HOME/bin/spark-submit" ]; then
  submit=("$SPARK_HOME/bin/spark-submit")
elif command -v spark-submit >/dev/null; then
  submit=(spark-submit)
else
  case "$master" in
    local*|spark://*) ;;
    *) die "no spark-submit (set SPARK_HOME): the Maven jars only cover local and spark:// masters" ;;
  esac
  ensure_classpath
  make_spark_home "$ROOT/target/spark-home"
  export SPARK_HOME="$ROOT/target/spark-home" SPARK_SCALA_VERSION=2.13
  # SparkSubmit runs the driver in this JVM in client mode: give it the driver's heap and options.
  driver_memory=6g
  for ((i = 0; i < ${#submit_args[@]}; i++)); do
    case "${submit_args[$i]}" in
      --driver-memory) driver_memory="${submit_args[$((i + 1))]}" ;;
      --driver-memory=*) driver_memory="${submit_args[$i]#--driver-memory=}" ;;
    esac
  done
  # shellcheck disable=SC2046
  submit=(java "-Xmx$driver_memory" $(spark_jvm_options) \
    "-Dlog4j2.configurationFile=$ROOT/conf/log4j2.properties" \
    -cp "$SPARK_CLASSPATH" org.apache.spark.deploy.SparkSubmit)
fi

exec "${submit[@]}" "${defaults[@]}" "${extra[@]}" "${submit_args[@]}" \
  --class io.sparksweep.cli.Main "$APP_JAR" "${app_args[@]}"
