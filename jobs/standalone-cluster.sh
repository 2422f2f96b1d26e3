#!/usr/bin/env bash
# standalone-cluster.sh: a real Spark standalone cluster on this machine (127.0.0.1), from the
# pom's Maven jars: one Master JVM and N Worker JVMs, each worker starting its own executor JVMs.
#
#   jobs/standalone-cluster.sh start [--workers N] [--cores C] [--memory M] [--port P] [--ui-port P]
#   jobs/standalone-cluster.sh status
#   jobs/standalone-cluster.sh kill-executor [N]   # SIGKILL worker N's executor JVMs (default 1)
#   jobs/standalone-cluster.sh stop
#
# Defaults: 2 workers × 1 core × 2g, master port 7077, master web UI 8080. `start` prints the
# master URL (also in target/standalone/master-url); then, for example:
#   jobs/sparksweep search --grid grids/small.yaml --master "$(cat target/standalone/master-url)"
#   jobs/submit.sh --master spark://127.0.0.1:7077 -- search --grid grids/small.yaml
# Pids, logs (master.log, worker-N.log) and the workers' folders (executor logs under
# work/worker-N/app-*/) are in target/standalone/ ($SPARKSWEEP_CLUSTER_DIR). The workers'
# SPARK_HOME is target/standalone/spark-home, whose jars/ links to the Maven jars.
#
# Security: only processes that know the cluster's secret can talk to it (spark.authenticate, RPC
# encrypted by spark.network.crypto.enabled; both in conf/spark-defaults.conf). `start` writes a
# fresh 256-bit secret to target/standalone/secret/auth-secret (0600, folder 0700; never printed)
# and hands it to the master and workers in their environment, never on a command line;
# jobs/sparksweep and jobs/submit.sh pass the file to the driver. `stop` deletes it. The master's
# REST submission server is off; master and workers listen on 127.0.0.1 only.
#
# Environment: SPARKSWEEP_SPARK_DEFAULTS (default conf/spark-defaults.conf) becomes the cluster's
# spark-defaults.conf, as jobs/sparksweep applies it to the driver; SPARKSWEEP_CLUSTER_DIR.
set -euo pipefail
# shellcheck source=jobs/_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

DIR="$CLUSTER_DIR"
HOST=127.0.0.1
DEFAULTS="${SPARKSWEEP_SPARK_DEFAULTS:-$ROOT/conf/spark-defaults.conf}"

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

start() {
  local workers=2 cores=1 memory=2g port=7077 ui_port=8080
  while [ $# -gt 0 ]; do
    case "$1" in
      --workers) workers="$2"; shift 2 ;;
      --cores) cores="$2"; shift 2 ;;
      --memory) memory="$2"; shift 2 ;;
      --port) port="$2"; shift 2 ;;
      --ui-port) ui_port="$2"; shift 2 ;;
      -h|--help) usage; exit 0 ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
  done
  [[ "$workers" =~ ^[1-9][0-9]*$ ]] || die "--workers is '$workers', expected a positive integer"
  [[ "$cores" =~ ^[1-9][0-9]*$ ]] || die "--cores is '$cores', expected a positive integer"
  [[ "$memory" =~ ^[1-9][0-9]*[mMgG]$ ]] || die "--memory is '$memory', expected e.g. 2g or 512m"
  if alive "$DIR/master.pid"; then
    die "already running ($(cat "$DIR/master-url")); run '$0 stop' first"
  fi
  port_open "$port" && die "port $port is in use; pick another with --port"
  [ -f "$DEFAULTS" ] || die "SPARKSWEEP_SPARK_DEFAULTS is '$DEFAULTS': no such file"

  ensure_classpath
  mkdir -p "$DIR"
  rm -f "$DIR"/*.pid "$DIR"/*.log "$DIR/master-url"
  make_spark_home "$DIR/spark-home"
  cp "$DEFAULTS" "$DIR/spark-home/conf/spark-defaults.conf"
  generate_secret
  if ! auth_enabled_in "$DEFAULTS"; then
    echo "warning: spark.authenticate is not true in $DEFAULTS: anyone who can reach" \
      "$HOST:$port can run code on this cluster" >&2
  fi

  local java_opts url i
  java_opts="$(spark_jvm_options)"
  url="spark://$HOST:$port"
  export SPARK_HOME="$DIR/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=$HOST
  openblas_env

  # The secret reaches Spark in its _SPARK_AUTH_SECRET variable, set for these JVMs only (a
  # process's environment is readable by its owner alone; its command line by everyone).
  local secret
  secret="$(<"$CLUSTER_SECRET_FILE")"
  # shellcheck disable=SC2086
  _SPARK_AUTH_SECRET="$secret" nohup java -Xmx512m $java_opts -Dspark.master.rest.enabled=false \
    -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.master.Master \
    --host "$HOST" --port "$port" --webui-port "$ui_port" >"$DIR/master.log" 2>&1 &
  echo $! >"$DIR/master.pid"
  for _ in $(seq 120); do
    port_open "$port" && break
    alive "$DIR/master.pid" || { tail -20 "$DIR/master.log" >&2; die "the master exited"; }
    sleep 0.5
  done
  port_open "$port" || die "the master did not listen on $port (see $DIR/master.log)"

  for i in $(seq "$workers"); do
    mkdir -p "$DIR/work/worker-$i"
    # shellcheck disable=SC2086
    _SPARK_AUTH_SECRET="$secret" nohup java -Xmx512m $java_opts \
      -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.worker.Worker \
      --host "$HOST" --cores "$cores" --memory "$memory" --webui-port 0 \
      --work-dir "$DIR/work/worker-$i" "$url" >"$DIR/worker-$i.log" 2>&1 &
    echo $! >"$DIR/worker-$i.pid"
  done
  for i in $(seq "$workers"); do
    for _ in $(seq 240); do # 2 min: a loaded machine needs more than one
      grep -q "Successfully registered with master" "$DIR/worker-$i.log" && break
      alive "$DIR/worker-$i.pid" || { tail -20 "$DIR/worker-$i.log" >&2; die "worker $i exited"; }
      sleep 0.5
    done
    grep -q "Successfully registered with master" "$DIR/worker-$i.log" \
      || die "worker $i did not register (see $DIR/worker-$i.log)"
  done
  echo "$url" >"$DIR/master-url"
  echo "standalone cluster: $workers worker(s) × $cores core(s) × $memory; web UI http://$HOST:$ui_port" >&2
  echo "$url"
}

stop() {
  local f pid stopped=false
  # Workers first (each stops its executors), then the master.
  for f in "$DIR"/worker-*.pid "$DIR/master.pid"; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      stopped=true
    fi
    rm -f "$f"
  done
  rm -f "$DIR/master-url" "$CLUSTER_SECRET_FILE"
  $stopped && echo "stopped" >&2 || echo "not running" >&2
}

status() {
  local f running=1
  if alive "$DIR/master.pid"; then
    echo "master  pid $(cat "$DIR/master.pid")  $(cat "$DIR/master-url" 2>/dev/null || echo '(starting)')"
    running=0
  else
    echo "master  not running"
  fi
  for f in "$DIR"/worker-*.pid; do
    [ -f "$f" ] || continue
    if alive "$f"; then
      echo "$(basename "$f" .pid)  pid $(cat "$f")"
    else
      echo "$(basename "$f" .pid)  not running"
    fi
  done
  return $running
}

# Fault injection: kill -9 the executor JVMs of one worker, as a crashed or OOM-killed executor.
# Spark re-runs their tasks elsewhere and the worker starts a new executor.
kill_executor() {
  local worker="${1:-1}" pid executors
  [[ "$worker" =~ ^[1-9][0-9]*$ ]] || die "worker is '$worker', expected a number like 1"
  alive "$DIR/worker-$worker.pid" || die "worker $worker is not running"
  pid="$(cat "$DIR/worker-$worker.pid")"
  executors="$(pgrep -P "$pid" -f CoarseGrainedExecutorBackend || true)"
  [ -n "$executors" ] || die "worker $worker runs no executor now (is an application running?)"
  for e in $executors; do
    kill -9 "$e"
    echo "killed executor JVM $e of worker $worker" >&2
  done
}

case "${1:-}" in
  start) shift; start "$@" ;;
  kill-executor) shift; kill_executor "$@" ;;
  stop) stop ;;
  status) status ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
