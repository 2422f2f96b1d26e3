#!/usr/bin/env bash
# bench.sh: the training-throughput comparison of docs/performance.md, repeated. Runs ROUNDS
# invocations of `sparksweep bench --compare-pytorch --blas both` (each one interleaves, workload by
# workload, PyTorch with its default malloc, PyTorch with a no-trim malloc, ours on native OpenBLAS
# and ours on the pure-Java BLAS in a child JVM), keeps every round's table and JSON lines under
# target/bench/<time>/, and prints the median over the rounds of every figure as a Markdown table.
#
#   jobs/bench.sh                                  # 3 rounds, fc, fcbn and conv
#   ROUNDS=5 jobs/bench.sh --workloads conv --reps 5
#
# Environment:
#   ROUNDS                 invocations (default 3); the machine is shared, so one is not enough
#   SPARKSWEEP_JAVA_OPTS   extra JVM options
#   TORCH_BENCH            torch_nets.py (default ../shared/bench/pytorch/torch_nets.py)
#   BENCH_BLAS             loaded, java or both (default both): which BLAS of ours to measure
# Extra arguments go to `sparksweep bench` (see `sparksweep bench --help`).
set -euo pipefail

# shellcheck source=jobs/_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/_lib.sh"
ROUNDS="${ROUNDS:-3}"
BENCH_BLAS="${BENCH_BLAS:-both}"
TORCH_BENCH="${TORCH_BENCH:-$ROOT/../shared/bench/pytorch/torch_nets.py}"
OUT="$ROOT/target/bench/$(date +%Y%m%d-%H%M%S)"

command -v java >/dev/null || die "java (17+) is not on the PATH"
command -v python3 >/dev/null || die "python3 is needed for the summary"
ensure_app_jar
# The command line links Spark's classes (search, query) even for bench: put them on the classpath.
ensure_classpath

mkdir -p "$OUT"
export OPENBLAS_NUM_THREADS=1
openblas_env
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round of $ROUNDS ($(date +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  # shellcheck disable=SC2086
  java -Xmx6g --add-modules=jdk.incubator.vector ${SPARKSWEEP_JAVA_OPTS:-} -cp "$APP_JAR:$SPARK_CLASSPATH" \
    io.sparksweep.cli.Main bench --compare-pytorch --blas "$BENCH_BLAS" --pytorch-script "$TORCH_BENCH" \
    --json "$OUT/round-$round.jsonl" "$@" 2> >(grep -v -E '^(WARNING|INFO|[A-Z][a-z]{2} [0-9]+, 20)' >&2) \
    | tee "$OUT/round-$round.txt"
done

python3 - "$OUT"/round-*.jsonl <<'PY' | tee "$OUT/summary.md"
import json, statistics, sys
rows = {}
for path in sys.argv[1:]:
    for line in open(path):
        r = json.loads(line)
        rows.setdefault((r["workload"], r["blas"]), []).append(r)
med = lambda key, rs: statistics.median(r[key] for r in rs if r.get(key) is not None)
works = [w for w in ("fc", "fcbn", "conv") if any(k[0] == w for k in rows)]
impls = sorted({k[1] for k in rows}, key=lambda b: (b.startswith("torch") is False, b))
print(f"rounds: {len(sys.argv) - 1}; cells: median over rounds of each round's median img/s"
      " (in brackets: images per CPU-second of the measuring process)\n")
print("| workload | " + " | ".join(impls) + " |")
print("|---" * (len(impls) + 1) + "|")
for w in works:
    cells = []
    for b in impls:
        rs = rows.get((w, b))
        cells.append(f"{med('median_rate', rs):,.0f} [{med('cpu_median_rate', rs):,.0f}]" if rs else "")
    print(f"| {w} | " + " | ".join(cells) + " |")
print("\nours / PyTorch, median over rounds of each round's ratio (per CPU-second in brackets):\n")
torches = [b for b in impls if b.startswith("torch")]
print("| workload | ours | " + " | ".join(f"vs {t}" for t in torches) + " |")
print("|---" * (len(torches) + 2) + "|")
for w in works:
    for b in impls:
        if b.startswith("torch") or (w, b) not in rows:
            continue
        rs = rows[(w, b)]
        cells = []
        for t in torches:
            key = t.replace("/", "_").replace("-", "_")
            try:
                cells.append(f"{med('ratio_vs_' + key, rs):.2f}× [{med('cpu_ratio_vs_' + key, rs):.2f}×]")
            except statistics.StatisticsError:
                cells.append("")
        print(f"| {w} | {b} | " + " | ".join(cells) + " |")
PY
echo "rounds and summary in $OUT" >&2
