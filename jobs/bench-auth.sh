#!/usr/bin/env bash
# bench-auth.sh: what Spark's authentication and RPC encryption cost a search on a standalone
# cluster. The same grid, on the same 2-worker cluster of jobs/standalone-cluster.sh, in three
# configurations, interleaved round by round (so a busy machine slows all of them alike):
#   off           spark.authenticate=false
#   auth          spark.authenticate=true (SASL DIGEST-MD5 handshake, traffic in clear)
#   auth+crypto   spark.authenticate=true, spark.network.crypto.enabled=true (AES; the default)
#
#   ROUNDS=3 jobs/bench-auth.sh --data ../shared/cifar10/cifar-10-batches-bin [--grid FILE]
#
# For each run: the cluster's start time, the search command's wall time, the search's own time
# (its "finished in" line) and the 1-minute load average before and after; then the median per configuration. Results in
# target/bench-auth/ (runs.tsv, summary.txt, one log per run).
set -euo pipefail
# shellcheck source=jobs/_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"

data="" grid="$ROOT/conf/grids/default.yaml" rounds="${ROUNDS:-2}" port="${BENCH_PORT:-17077}"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --grid) grid="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ -n "$data" ] || die "--data DIR is required (the CIFAR-10 binary folder)"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS is '$rounds', expected a positive integer"

OUT="$ROOT/target/bench-auth"
mkdir -p "$OUT"
export SPARKSWEEP_CLUSTER_DIR="$OUT/cluster"
base="$ROOT/conf/spark-defaults.conf"
variant() { # $1 name, $2 authenticate, $3 crypto
  grep -Ev '^[[:space:]]*spark\.(authenticate|network\.crypto\.enabled)[[:space:]]' "$base" >"$OUT/$1.conf"
  printf 'spark.authenticate %s\nspark.network.crypto.enabled %s\n' "$2" "$3" >>"$OUT/$1.conf"
}
variant off false false
variant auth true false
variant auth+crypto true true

ensure_app_jar
mkdir -p "$OUT/jar"
cp "$APP_JAR" "$OUT/jar/" # a fixed copy: editing the sources meanwhile triggers no rebuild
export SPARKSWEEP_APP_JAR="$OUT/jar/$(basename "$APP_JAR")"
printf 'round\tconfig\tcluster_start_s\tsearch_wall_s\tsearch_s\tok\tload1_before\tload1_after\n' >"$OUT/runs.tsv"
configs=(off auth auth+crypto)
for r in $(seq "$rounds"); do
  for k in 0 1 2; do # each round starts with the next configuration
    cfg="${configs[$(((r - 1 + k) % 3))]}"
    export SPARKSWEEP_SPARK_DEFAULTS="$OUT/$cfg.conf"
    log="$OUT/round-$r-$cfg.log"
    load0="$(cut -d' ' -f1 /proc/loadavg)"
    t0=$(date +%s.%N)
    "$ROOT/jobs/standalone-cluster.sh" start --workers 2 --port "$port" --ui-port 0 >"$log" 2>&1 \
      || { "$ROOT/jobs/standalone-cluster.sh" stop || true; die "cluster start failed (see $log)"; }
    t1=$(date +%s.%N)
    "$ROOT/jobs/sparksweep" search --grid "$grid" --data "$data" --master "spark://127.0.0.1:$port" \
      --warehouse "$OUT/warehouse" --runs-dir "$OUT/runs" --run-id "r$r-${cfg//+/_}-$(date +%s)" \
      >>"$log" 2>&1 || echo "search failed (see $log)" >&2
    t2=$(date +%s.%N)
    load1="$(cut -d' ' -f1 /proc/loadavg)"
    "$ROOT/jobs/standalone-cluster.sh" stop >>"$log" 2>&1 || true
    # "finished in 27.8 s: 8 OK, …", "… in 1 min 08 s: …" or "… in 1 h 02 min: …" (HumanDuration)
    search_s="$(sed -n 's/.* finished in \([^:]*\): .*/\1/p' "$log" | tail -1 | awk '{
      s = 0; for (i = 1; i < NF; i += 2) { u = $(i + 1); s += $i * (u == "h" ? 3600 : u == "min" ? 60 : 1) }
      if (NF >= 2) printf "%.1f", s }')"
    ok="$(sed -n 's/.* finished in [^:]*: \([0-9]*\) OK.*/\1/p' "$log" | tail -1)"
    printf '%s\t%s\t%.1f\t%.1f\t%s\t%s\t%s\t%s\n' "$r" "$cfg" "$(echo "$t1 - $t0" | bc)" \
      "$(echo "$t2 - $t1" | bc)" "${search_s:-NA}" "${ok:-0}" "$load0" "$load1" | tee -a "$OUT/runs.tsv"
  done
done
awk -F'\t' 'NR > 1 { w[$2] = w[$2] " " $4; s[$2] = s[$2] " " $5; c[$2] = c[$2] " " $3; l[$2] = l[$2] " " $7 "/" $8 }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  END { printf "%-12s %18s %18s %18s  %s\n", "config", "median wall (s)", "median search (s)", "median start (s)", "load before/after"
        split("off auth auth+crypto", order, " ")
        for (k = 1; k <= 3; k++) { cfg = order[k]; printf "%-12s %18.1f %18.1f %18.1f  %s\n", cfg, median(w[cfg]), median(s[cfg]), median(c[cfg]), l[cfg] } }' \
  "$OUT/runs.tsv" | tee "$OUT/summary.txt"
