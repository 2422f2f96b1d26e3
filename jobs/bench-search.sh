#!/usr/bin/env bash
# bench-search.sh: the search-scaling measurement of docs/search-scaling.md. Runs one grid of equal
# trials (default conf/grids/bench-scaling.yaml: 8 trials of ≈23 s on one core) as a search in
#   local1   local[1]: one task slot in the driver JVM
#   local2   local[2]: two task slots in the driver JVM
#   cluster  a standalone cluster of 2 workers × 1 core on 127.0.0.1 (jobs/standalone-cluster.sh),
#            started before and stopped after that search (also on exit or Ctrl-C)
# ROUNDS times, with OPENBLAS_NUM_THREADS=1 and Spark's event log on. Then
# jobs/bench-search-summary.py reads every run's event log, its rows of the trials table and the
# launcher's timings, and prints per run: wall time (command and job), startup (command start →
# first task), Σ train_seconds, ideal = Σ ÷ slots, (wall − startup) ÷ ideal, trials/min and the
# ratio to one slot, per-task overhead, the broadcast cost per executor, GC, the driver's and the
# executors' peak RSS and heap, and how busy the machine was. Raw files and the summary go under
# target/bench-search/<time>/.
#
#   jobs/bench-search.sh --data /path/to/cifar-10-batches-bin
#   ROUNDS=3 jobs/bench-search.sh --data DIR --configs local1,local2
#   jobs/bench-search.sh --data DIR -- --conf spark.executor.extraJavaOptions=-Xmn256m
#   jobs/bench-search.sh --summarize target/bench-search/20260115-093012   # summary only
#
# Options:
#   --data DIR          CIFAR-10 folder or tarball (default: data)
#   --grid FILE         the grid (default: conf/grids/bench-scaling.yaml)
#   --configs LIST      comma-separated subset of local1,local2,cluster (default: all three)
#   --worker-memory M   memory of each standalone worker (default: 2g)
#   --port P            standalone master port (default: 7177, the web UI on P+1000)
#   --summarize DIR     print the summary of an earlier invocation's folder and exit
#   -- ARGS             passed to every `sparksweep search` (e.g. --conf k=v)
#
# Environment:
#   ROUNDS                    rounds over the configurations (default 2); the machine is shared
#   SPARKSWEEP_DRIVER_MEMORY  driver heap (jobs/sparksweep; default 6g)
#   SPARKSWEEP_JAVA_OPTS      extra driver JVM options (jobs/sparksweep)
#
# The driver, the executors and (for `cluster`) the master and worker JVMs all run on this machine:
# on a 2-core machine the driver shares the cores with the task slots. Run it on a quiet machine;
# the summary reports the load and the CPU other processes used during each run.
set -euo pipefail

# shellcheck source=jobs/_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
SUMMARY="$ROOT/jobs/bench-search-summary.py"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

ROUNDS="${ROUNDS:-2}"
data=data
grid="$ROOT/conf/grids/bench-scaling.yaml"
configs=local1,local2,cluster
worker_memory=2g
port=7177
search_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --grid) grid="$2"; shift 2 ;;
    --configs) configs="$2"; shift 2 ;;
    --worker-memory) worker_memory="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --summarize) exec python3 "$SUMMARY" "$2" ;;
    -h|--help) usage; exit 0 ;;
    --) shift; search_args=("$@"); break ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS is '$ROUNDS', expected a positive integer"
[[ "$port" =~ ^[1-9][0-9]*$ ]] || die "--port is '$port', expected a port number"
[ -f "$grid" ] || die "--grid $grid: no such file"
[ -e "$data" ] || die "--data $data: no such file or folder (get it with 'jobs/sparksweep data download')"
IFS=',' read -r -a config_list <<<"$configs"
for c in "${config_list[@]}"; do
  case "$c" in local1|local2|cluster) ;; *) die "--configs: unknown '$c', expected local1, local2 or cluster" ;; esac
done
command -v java >/dev/null || die "java (17+) is not on the PATH"
command -v python3 >/dev/null || die "python3 is needed for the summary"
grid="$(cd "$(dirname "$grid")" && pwd)/$(basename "$grid")"
data="$(cd "$(dirname "$data")" && pwd)/$(basename "$data")"

OUT="$ROOT/target/bench-search/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
export OPENBLAS_NUM_THREADS=1
openblas_env

cluster_up=false
stop_cluster() {
  if $cluster_up; then
    "$ROOT/jobs/standalone-cluster.sh" stop >/dev/null 2>&1 || true
    cluster_up=false
  fi
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

# Busy and total jiffies of all CPUs (/proc/stat's first line).
cpu_jiffies() { awk '/^cpu /{b=$2+$3+$4+$7+$8+$9; print b, b+$5+$6}' /proc/stat; }

# utime + stime jiffies of the given processes (all their threads), 0 for none.
proc_jiffies() {
  local total=0 pid stat rest f
  for pid in "$@"; do
    stat="$(cat "/proc/$pid/stat" 2>/dev/null)" || continue
    rest="${stat##*) }" # the fields after "(comm) "; utime and stime are its 12th and 13th
    read -r -a f <<<"$rest"
    total=$((total + f[11] + f[12]))
  done
  echo "$total"
}

# Appends "tid<TAB>name<TAB>jiffies" (utime + stime) of every thread of JVM $1 to $2; the summary
# keeps each thread's largest value, so threads that ended (and the JVM's exit) lose at most 1 s.
thread_snapshot() {
  awk -v OFS='\t' '{
    line = $0; o = index(line, "("); c = 0
    for (i = length(line); i > 0; i--) if (substr(line, i, 1) == ")") { c = i; break }
    name = substr(line, o + 1, c - o - 1)
    split(substr(line, c + 2), f, " ")
    print $1, name, f[12] + f[13]
  }' /proc/"$1"/task/*/stat >>"$2" 2>/dev/null || true
}

# Every second until killed: "time_ms machine_busy driver executors" (jiffies) of the search whose
# launcher (GNU time) is $1; executors are the children of this script's standalone workers. Each
# JVM's per-thread CPU goes to $2/threads-<driver|executor-pid>.tsv.
sample_cpu() {
  local time_pid="$1" dir="$2" driver="" workers executors e
  while :; do
    [ -n "$driver" ] || driver="$(pgrep -P "$time_pid" | head -1 || true)"
    executors=()
    if $cluster_up; then
      workers="$(cat "$ROOT"/target/standalone/worker-*.pid 2>/dev/null || true)"
      for w in $workers; do
        mapfile -t -O "${#executors[@]}" executors < <(pgrep -P "$w" || true)
      done
    fi
    echo "$(date +%s%3N) $(cpu_jiffies | cut -d' ' -f1) $(proc_jiffies $driver) $(proc_jiffies "${executors[@]}")"
    [ -z "$driver" ] || thread_snapshot "$driver" "$dir/threads-driver.tsv"
    for e in "${executors[@]}"; do thread_snapshot "$e" "$dir/threads-executor-$e.tsv"; done
    sleep 1
  done
}

# One search: $1 round, $2 config; its files go to $OUT/round-$1/$2/.
run_one() {
  local round="$1" config="$2" dir master slots run_id rc
  dir="$OUT/round-$round/$config"
  mkdir -p "$dir/eventlog"
  case "$config" in
    local1) master='local[1]'; slots=1 ;;
    local2) master='local[2]'; slots=2 ;;
    cluster)
      master="$("$ROOT/jobs/standalone-cluster.sh" start --workers 2 --cores 1 \
        --memory "$worker_memory" --port "$port" --ui-port $((port + 1000)) 2>"$dir/cluster-start.log")" \
        || { cat "$dir/cluster-start.log" >&2; die "the standalone cluster did not start"; }
      cluster_up=true
      slots=2
      ;;
  esac
  run_id="r$round-$config"
  {
    echo "config=$config"
    echo "round=$round"
    echo "master=$master"
    echo "slots=$slots"
    echo "run_id=$run_id"
    echo "grid=$grid"
    echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "cpu_before=$(cpu_jiffies)"
    echo "clk_tck=$(getconf CLK_TCK)"
    echo "start_ms=$(date +%s%3N)"
  } >"$dir/run.txt"
  echo "== round $round/$ROUNDS, $config ($master), $(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  set +e
  /usr/bin/time -f 'maxrss_kb=%M
user_s=%U
sys_s=%S' -o "$dir/time.txt" \
    "$ROOT/jobs/sparksweep" search --grid "$grid" --data "$data" --master "$master" \
    --warehouse "$OUT/warehouse" --runs-dir "$OUT/runs" --run-id "$run_id" --top-k 1 \
    --conf spark.eventLog.enabled=true \
    --conf "spark.eventLog.dir=file:$dir/eventlog" \
    --conf spark.eventLog.compress=false \
    --conf spark.eventLog.rolling.enabled=false \
    --conf spark.eventLog.logStageExecutorMetrics=true \
    --conf spark.executor.processTreeMetrics.enabled=true \
    --conf spark.executor.metrics.pollingInterval=1s \
    "${search_args[@]}" >"$dir/stdout.txt" 2>"$dir/stderr.txt" &
  local search_pid=$!
  sample_cpu "$search_pid" "$dir" >"$dir/cpu.txt" &
  local sampler_pid=$!
  wait "$search_pid"
  rc=$?
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  set -e
  {
    echo "end_ms=$(date +%s%3N)"
    echo "cpu_after=$(cpu_jiffies)"
    echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "exit=$rc"
    cat "$dir/time.txt"
  } >>"$dir/run.txt"
  grep -E '^(\[|run )' "$dir/stdout.txt" | tail -3 >&2 || true
  if [ "$config" = cluster ]; then
    cp "$ROOT"/target/standalone/*.log "$dir/" 2>/dev/null || true
    stop_cluster
  fi
  [ "$rc" -eq 0 ] || die "the search failed (exit $rc); see $dir/stderr.txt"
}

if [ ! -x /usr/bin/time ]; then
  die "/usr/bin/time (GNU time) is needed for the driver's peak RSS; install the 'time' package"
fi
for round in $(seq 1 "$ROUNDS"); do
  for config in "${config_list[@]}"; do
    run_one "$round" "$config"
  done
done

echo "== reading the trials table" >&2
"$ROOT/jobs/sparksweep" query --warehouse "$OUT/warehouse" --format json \
  "SELECT run_id, trial_key, repeat, status, train_seconds, executor, started_at, finished_at FROM trials" \
  >"$OUT/trials.json" 2>"$OUT/query.stderr.txt" || die "the query failed; see $OUT/query.stderr.txt"

python3 "$SUMMARY" "$OUT" | tee "$OUT/summary.md"
echo "runs, event logs and summary in $OUT" >&2
