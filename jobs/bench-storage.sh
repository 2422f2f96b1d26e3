#!/usr/bin/env bash
# bench-storage.sh: what the results storage costs a large search (docs/storage.md). One tiny grid
# of N trials (default 10,000: N/1,000 learning rates x 1,000 seeds, or one point x N seeds up to
# 1,000; an FC net 3072 -> [8] -> 10, one
# epoch on 300 images), run by `sparksweep search` in local[2], then measured:
#   - wall time of the search command and the search's own time; overhead per trial beyond its
#     training = (search time x 2 slots - sum of train_seconds) / N
#   - the driver's peak RSS (/usr/bin/time: local mode's driver is the whole JVM)
#   - files per table after the run (data files, log files) and in the run's folder
#   - after a fresh session start: a top-5 query and a resume's read-back of the run's rows
#     (jobs/BenchStorageMeasure.java), each twice; and in a second fresh JVM the read-back first,
#     as a resumed driver does it (resume_read_back_cold_s)
#
#   jobs/bench-storage.sh --data ../shared/cifar10/cifar-10-batches-bin [--trials N] \
#       [--root /work/wt-before] [--label before]
#
# --root: the checkout whose jobs/sparksweep and app jar run (default: this one), so the same
# script measures an older design built in another worktree. Results in
# target/bench-storage/<label>/ and one line per run appended to target/bench-storage/summary.tsv,
# with the 1-minute load average before and after.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

data="" trials="${TRIALS:-10000}" root="$(cd "$HERE/.." && pwd)" label=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --trials) trials="$2"; shift 2 ;;
    --root) root="$(cd "$2" && pwd)"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-storage.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$data" ] || { echo "bench-storage.sh: --data DIR is required (CIFAR-10 binary folder)" >&2; exit 2; }
[[ "$trials" =~ ^[1-9][0-9]*$ ]] || { echo "bench-storage.sh: --trials is '$trials', expected a positive integer" >&2; exit 2; }
data="$(cd "$data" && pwd)"
label="${label:-$(basename "$root")}"
BASE="${BENCH_OUT:-$(cd "$HERE/.." && pwd)/target/bench-storage}"
OUT="$BASE/$label"
rm -rf "$OUT"
mkdir -p "$OUT"

# A grid allows at most 1,000 repeats of a point: N > 1,000 trials are N/1,000 learning rates x 1,000.
points=$(( (trials + 999) / 1000 ))
repeats=$(( trials / points ))
[ $((points * repeats)) -eq "$trials" ] || { echo "bench-storage.sh: --trials $trials: above 1,000 it must be a multiple of 1,000" >&2; exit 2; }
rates=$(python3 -c "import sys; n=int(sys.argv[1]); print('[' + ', '.join('%.4g' % (1e-3 * (1 + i / 10)) for i in range(n)) + ']')" "$points")
cat >"$OUT/grid.yaml" <<GRID
name: bench-storage
description: Storage benchmark - $trials tiny FC trials ($points points x $repeats seeds), 1 epoch on 300 images.
seed: 11
repeats: $repeats
max_trials: $trials
model: fc
hidden_dims: [8]
update_rule: adam
learning_rate: $rates
weight_scale: 1e-2
batch_size: 100
num_epochs: 1
num_train: 300
GRID

load() { cut -d' ' -f1 /proc/loadavg; }
load_before="$(load)"
start=$(date +%s.%N)
/usr/bin/time -v -o "$OUT/time.txt" "$root/jobs/sparksweep" search --grid "$OUT/grid.yaml" --force \
  --data "$data" --master 'local[2]' --warehouse "$OUT/warehouse" --run-id bench --top-k 3 \
  --heartbeat 60 >"$OUT/search.log" 2>&1 || { tail -20 "$OUT/search.log" >&2; exit 1; }
wall=$(echo "$(date +%s.%N) - $start" | bc)
load_after="$(load)"
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/time.txt")

data_files() { find "$1" -type f -name '*.parquet' -not -path '*/_delta_log/*' 2>/dev/null | wc -l; }
log_files() { find "$1/_delta_log" -type f -not -name '*.crc' 2>/dev/null | wc -l; }
all_files() { find "$1" -type f -not -name '*.crc' 2>/dev/null | wc -l; }

# shellcheck disable=SC1091
source "$root/jobs/_lib.sh" # ROOT, app_jar, CLASSPATH_FILE, spark_jvm_options of --root
jar="$(app_jar)"
# Two fresh JVMs: a query session (top-5 first), then a resumed driver's order (read-back first).
for order in query-first read-back-first; do
  # shellcheck disable=SC2046
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx4g $(spark_jvm_options) \
    "-Dlog4j2.configurationFile=$root/conf/log4j2.properties" \
    -cp "$jar:$(cat "$CLASSPATH_FILE")" "$HERE/BenchStorageMeasure.java" "$OUT/warehouse" bench \
    "$order" >"$OUT/measure-$order.tsv" 2>"$OUT/measure-$order.err" \
    || { tail -20 "$OUT/measure-$order.err" >&2; exit 1; }
done
# The whole `jobs/sparksweep query` command (JVM start, session, the top-5), twice: its wall time
# and the statement's own time (its "time:" line).
top5="SELECT trial_key, \`repeat\`, best_val_acc FROM trials WHERE run_id = 'bench' ORDER BY best_val_acc DESC, trial_index LIMIT 5"
for i in 1 2; do
  q_start=$(date +%s.%N)
  "$root/jobs/sparksweep" query --warehouse "$OUT/warehouse" "$top5" >"$OUT/query-command-$i.out" 2>"$OUT/query-command-$i.err" \
    || { tail -20 "$OUT/query-command-$i.err" >&2; exit 1; }
  printf 'query_command_%d_wall_s\t%.2f\nquery_command_%d_statement_s\t%s\n' "$i" \
    "$(echo "$(date +%s.%N) - $q_start" | bc)" "$i" \
    "$(sed -n 's/^time: \([0-9.]*\) s$/\1/p' "$OUT/query-command-$i.err")" | tee -a "$OUT/query-command.tsv"
done
get() { sed -n "s/^$1\t//p" "$OUT/measure-query-first.tsv"; }
get_resume() { sed -n "s/^$1\t//p" "$OUT/measure-read-back-first.tsv"; }

# "run bench finished in 12.3 s: …", "… in 4 min 05 s: …" or "… in 1 h 02 min: …" (HumanDuration)
search_s=$(python3 -c '
import re, sys
m = None
for line in open(sys.argv[1]):
    m = re.search(r"run \S+ finished in ([^:]+):", line) or m
if m:
    d = m.group(1)
    h = re.fullmatch(r"(\d+) h (\d+) min", d); mi = re.fullmatch(r"(\d+) min (\d+) s", d); s = re.fullmatch(r"([\d.]+) s", d)
    print(int(h[1]) * 3600 + int(h[2]) * 60 if h else int(mi[1]) * 60 + int(mi[2]) if mi else float(s[1]))
' "$OUT/search.log")
train_sum=$(get train_seconds_sum)
summary="$BASE/summary.tsv"
[ -s "$summary" ] || printf 'label\ttrials\tcommand_wall_s\tsearch_s\ttrain_s_sum\toverhead_ms_per_trial\tdriver_peak_rss_mb\ttrials_data_files\ttrials_log_files\tepochs_data_files\tepochs_log_files\trun_folder_files\tsession_start_s\ttop5_1_s\ttop5_2_s\tread_back_1_s\tread_back_2_s\trows_trials\trows_epochs\tload_before\tload_after\tresume_read_back_cold_s\n' >"$summary"
overhead="?"
[ -n "$search_s" ] && overhead=$(echo "scale=1; ($search_s * 2 - $train_sum) * 1000 / $trials" | bc)
printf '%s\t%s\t%.0f\t%s\t%.0f\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
  "$label" "$trials" "$wall" "${search_s:-?}" "$train_sum" "$overhead" "$((rss_kb / 1024))" \
  "$(data_files "$OUT/warehouse/trials")" "$(log_files "$OUT/warehouse/trials")" \
  "$(data_files "$OUT/warehouse/epochs")" "$(log_files "$OUT/warehouse/epochs")" \
  "$(all_files "$OUT/warehouse/runs/bench")" \
  "$(get session_start_s)" "$(get top5_query_1_s)" "$(get top5_query_2_s)" \
  "$(get resume_read_back_1_s)" "$(get resume_read_back_2_s)" \
  "$(get trials_rows)" "$(get epochs_rows)" "$load_before" "$load_after" \
  "$(get_resume resume_read_back_1_s)" | tee -a "$summary"
