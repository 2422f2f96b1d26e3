#!/usr/bin/env python3
"""Summary of a jobs/bench-search.sh folder (python3, standard library only).

    python3 jobs/bench-search-summary.py target/bench-search/<time>

Reads, for every run under round-*/<config>/: run.txt (the launcher's clock, load, /proc/stat and
GNU time figures), the Spark event log under eventlog/, and the run's rows of trials.json (the
trials table as `sparksweep query --format json` prints it). Prints Markdown tables:

* timing: command wall time, startup (command start -> first task launch), job time (the search
  job's submission -> end in the event log), the tasks' span (first launch -> last finish), the sum
  of train_seconds, ideal = sum / slots, (wall - startup) / ideal (target <= 1.10), trials per
  minute over the job and the ratio to the round's 1-slot run (target >= 1.85 local[2], 1.7 cluster);
* where the time goes: JVM + data load, session + broadcast, waiting for executors, the tasks'
  span split into training, per-task overhead and idle slots, and the tail after the job;
* per task: overhead = (finish - launch) - train_seconds, split into before the trial (task
  deserialisation, broadcast fetch + decode) and after it (result serialisation and transfer);
  the first task on each executor against the median of the later ones ("broadcast cost per
  executor"), and the first trial's train_seconds against the later ones (fresh-JVM warm-up);
* memory and CPU: the driver's peak RSS (GNU time, VmHWM of the launcher's JVM), peak RSS and heap
  of every executor (the event log's ProcessTreeJVMRSSMemory and JVMHeapMemory peaks; in local
  mode the driver is the executor), GC time, and the CPUs the machine and other processes used.
"""

import datetime
import glob
import json
import os
import statistics
import sys


def read_kv(path):
    out = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                out[k] = v
    return out


def event_lines(run_dir):
    files = sorted(glob.glob(os.path.join(run_dir, "eventlog", "*")))
    paths = []
    for p in files:
        if os.path.isdir(p):  # rolling event log: eventlog_v2_<app>/events_<n>_<app>
            parts = glob.glob(os.path.join(p, "events_*"))
            paths += sorted(parts, key=lambda q: int(os.path.basename(q).split("_")[1]))
        elif not os.path.basename(p).startswith("."):
            paths.append(p)
    if not paths:
        raise SystemExit(f"{run_dir}: no event log under eventlog/")
    for p in paths:
        if p.endswith((".zstd", ".lz4", ".snappy", ".lzf")):
            raise SystemExit(f"{p}: compressed event log; run with spark.eventLog.compress=false")
        with open(p) as f:
            for line in f:
                line = line.strip()
                if line:
                    yield json.loads(line)


def iso_ms(s):
    """Milliseconds since the epoch of an ISO timestamp such as 2026-01-15T09:30:12.345Z."""
    if s is None:
        return None
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    return d.timestamp() * 1000.0


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def analyse(run_dir, trials_by_run):
    meta = read_kv(os.path.join(run_dir, "run.txt"))
    run_id = meta["run_id"]
    slots = int(meta["slots"])
    start_ms, end_ms = float(meta["start_ms"]), float(meta["end_ms"])

    app_start = None
    job_id = None
    job_submit = job_end = None
    stages = set()
    tasks = []
    executors_added = {}
    peaks = {}  # executor id -> {metric: max}

    def peak(executor, metrics):
        if not metrics:
            return
        p = peaks.setdefault(executor, {})
        for k, v in metrics.items():
            p[k] = max(p.get(k, 0), v)

    events = list(event_lines(run_dir))
    for e in events:
        kind = e["Event"]
        if kind == "SparkListenerApplicationStart":
            app_start = e["Timestamp"]
        elif kind == "SparkListenerExecutorAdded":
            executors_added[e["Executor ID"]] = e["Timestamp"]
        elif kind == "SparkListenerJobStart":
            if e.get("Properties", {}).get("spark.jobGroup.id") == run_id:
                job_id = e["Job ID"]
                job_submit = e["Submission Time"]
                stages.update(e["Stage IDs"])
        elif kind == "SparkListenerJobEnd" and e["Job ID"] == job_id:
            job_end = e["Completion Time"]
        elif kind == "SparkListenerStageExecutorMetrics":
            peak(e["Executor ID"], e["Executor Metrics"])
        elif kind == "SparkListenerExecutorMetricsUpdate":
            for u in e.get("Executor Metrics Updated", []):
                peak(e["Executor ID"], u["Executor Metrics"])
        elif kind == "SparkListenerTaskEnd":
            info = e["Task Info"]
            peak(info["Executor ID"], e.get("Task Executor Metrics"))
            if e["Stage ID"] in stages and e["Task End Reason"]["Reason"] == "Success":
                m = e["Task Metrics"]
                tasks.append(
                    {
                        "index": info["Index"],
                        "executor": info["Executor ID"],
                        "launch": info["Launch Time"],
                        "finish": info["Finish Time"],
                        "deser": m["Executor Deserialize Time"] / 1000.0,
                        "run": m["Executor Run Time"] / 1000.0,
                        "cpu": m["Executor CPU Time"] / 1e9,
                        "gc": m["JVM GC Time"] / 1000.0,
                        "result_ser": m["Result Serialization Time"] / 1000.0,
                        "result_bytes": m["Result Size"],
                    }
                )
    if job_id is None or job_end is None or not tasks:
        raise SystemExit(f"{run_dir}: the event log has no finished search job of run {run_id}")

    # Join each task with its trial row: same executor, trial start inside the task.
    rows = trials_by_run.get(run_id, [])
    unmatched = list(rows)
    # In launch order, each task takes the earliest-starting unmatched trial in its time range (a
    # task's finish time is when the driver has its result, after its slot has started the next).
    for t in sorted(tasks, key=lambda t: t["launch"]):
        candidates = [
            r
            for r in unmatched
            if (r.get("executor") or "").split("@")[0] == t["executor"]
            and t["launch"] - 1 <= iso_ms(r["started_at"]) <= t["finish"] + 1
        ]
        if not candidates:
            raise SystemExit(f"{run_dir}: task {t['index']} has no trial row in trials.json")
        r = min(candidates, key=lambda r: iso_ms(r["started_at"]))
        t["train"] = r["train_seconds"]
        t["trial_start"] = iso_ms(r["started_at"])
        t["trial_end"] = iso_ms(r["finished_at"])
        unmatched.remove(r)
    for t in tasks:
        t["span"] = (t["finish"] - t["launch"]) / 1000.0
        t["overhead"] = t["span"] - t["train"]
        t["before"] = (t["trial_start"] - t["launch"]) / 1000.0
        t["after"] = (t["finish"] - t["trial_end"]) / 1000.0

    first_launch = min(t["launch"] for t in tasks)
    last_finish = max(t["finish"] for t in tasks)
    n = len(tasks)
    wall = (end_ms - start_ms) / 1000.0
    startup = (first_launch - start_ms) / 1000.0
    job = (job_end - job_submit) / 1000.0
    span = (last_finish - first_launch) / 1000.0
    train_sum = sum(t["train"] for t in tasks)
    ideal = train_sum / slots

    # Slots: tasks of one executor in launch order, each on the slot free the longest.
    by_exec = {}
    for t in sorted(tasks, key=lambda t: t["launch"]):
        by_exec.setdefault(t["executor"], []).append(t)
    cores = max(1, slots // max(1, len(by_exec)))
    gaps = 0.0
    tail_idle = 0.0
    slot_ends = []
    for ex, ts in by_exec.items():
        free = [first_launch] * cores
        for t in ts:
            i = min(range(cores), key=lambda k: free[k])
            gaps += max(0.0, t["launch"] - free[i]) / 1000.0
            free[i] = t["finish"]
        slot_ends += free
    for f in slot_ends:
        tail_idle += (last_finish - f) / 1000.0
    overhead_sum = sum(t["overhead"] for t in tasks)

    first_tasks, later_tasks = [], []
    for ex, ts in by_exec.items():
        firsts = ts[:cores]
        first_tasks += firsts
        later_tasks += ts[cores:]

    clk = float(meta.get("clk_tck", "100"))
    b0, t0 = (float(x) for x in meta["cpu_before"].split())
    b1, t1 = (float(x) for x in meta["cpu_after"].split())
    ncpu = os.cpu_count() or 1
    machine_busy = (b1 - b0) / clk / max(wall, 1e-9)  # CPUs busy on average
    driver_cpu = float(meta.get("user_s", "nan")) + float(meta.get("sys_s", "nan"))
    remote_cpu = 0.0
    if meta["config"] == "cluster":
        remote_cpu = sum(t["cpu"] + t["deser"] for t in tasks)
    others = machine_busy - (driver_cpu + remote_cpu) / wall

    # CPUs in use during the tasks' span, from the launcher's 1 s samples of /proc: the machine,
    # the driver JVM (all its threads), the executor JVMs (cluster), and the task threads.
    span_cpu = {}
    samples = []
    cpu_path = os.path.join(run_dir, "cpu.txt")
    if os.path.exists(cpu_path):
        with open(cpu_path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 4:
                    samples.append([float(x) for x in parts])
    inside = [x for x in samples if first_launch <= x[0] <= last_finish]
    if len(inside) >= 2:
        a, b = inside[0], inside[-1]
        dt = (b[0] - a[0]) / 1000.0
        machine = (b[1] - a[1]) / clk / dt
        driver = (b[2] - a[2]) / clk / dt
        execs = (b[3] - a[3]) / clk / dt
        task_threads = sum(t["cpu"] for t in tasks) / (span)
        span_cpu = {
            "machine": machine,
            "driver": driver,
            "executors": execs,
            "tasks": task_threads,
            "jvm_other": driver + execs - task_threads,
            "others": machine - driver - execs,
        }

    # CPU seconds per thread class of each JVM over its life (the sampler's last snapshot).
    threads = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "threads-*.tsv"))):
        jvm = "driver" if os.path.basename(path) == "threads-driver.tsv" else "executors"
        bucket = threads.setdefault(jvm, {})
        last = {}  # tid -> (name, largest jiffies seen)
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3:
                    continue
                tid, name, jiffies = parts
                if float(jiffies) >= last.get(tid, ("", -1.0))[1]:
                    last[tid] = (name, float(jiffies))
        for name, jiffies in last.values():
            cls = thread_class(name)
            bucket.setdefault(cls, {}).setdefault(name, 0.0)
            bucket[cls][name] += jiffies / clk

    driver_peaks = peaks.get("driver", {})
    exec_peaks = {k: v for k, v in peaks.items() if k != "driver"}
    if not exec_peaks:  # local mode: the driver is the executor
        exec_peaks = {"driver": driver_peaks}
    return {
        "config": meta["config"],
        "round": int(meta["round"]),
        "master": meta["master"],
        "slots": slots,
        "trials": n,
        "load": meta.get("load_before", "").split()[0] if meta.get("load_before") else "",
        "wall": wall,
        "startup": startup,
        "job": job,
        "span": span,
        "train_sum": train_sum,
        "ideal": ideal,
        "target_ratio": (wall - startup) / ideal,
        "span_ratio": span / ideal,
        "throughput": n / job * 60.0,
        "phases": {
            "jvm_data": (app_start - start_ms) / 1000.0,
            "session_broadcast": (job_submit - app_start) / 1000.0,
            "to_first_task": (first_launch - job_submit) / 1000.0,
            "span": span,
            "to_job_end": (job_end - last_finish) / 1000.0,
            "tail": (end_ms - job_end) / 1000.0,
        },
        "span_parts": {
            "train": train_sum / slots,
            "overhead": overhead_sum / slots,
            "gaps": gaps / slots,
            "tail_idle": tail_idle / slots,
        },
        "overhead_median": median([t["overhead"] for t in tasks]),
        "before_first": median([t["before"] for t in first_tasks]),
        "before_later": median([t["before"] for t in later_tasks]),
        "after_median": median([t["after"] for t in tasks]),
        "deser_first": median([t["deser"] for t in first_tasks]),
        "train_first": median([t["train"] for t in first_tasks]),
        "train_later": median([t["train"] for t in later_tasks]),
        "train_min": min(t["train"] for t in tasks),
        "train_max": max(t["train"] for t in tasks),
        "cpu_per_train": sum(t["cpu"] for t in tasks) / train_sum,
        "gc_tasks": sum(t["gc"] for t in tasks),
        "driver_rss_time": float(meta.get("maxrss_kb", "nan")) * 1024,
        "driver_rss_log": driver_peaks.get("ProcessTreeJVMRSSMemory", float("nan")),
        "driver_heap": driver_peaks.get("JVMHeapMemory", float("nan")),
        "exec_rss": max(p.get("ProcessTreeJVMRSSMemory", 0) for p in exec_peaks.values()),
        "exec_heap": max(p.get("JVMHeapMemory", 0) for p in exec_peaks.values()),
        "exec_gc": sum(p.get("TotalGCTime", 0) for p in exec_peaks.values()) / 1000.0,
        "executors": len(by_exec),
        "machine_busy": machine_busy,
        "ncpu": ncpu,
        "others": others,
        "driver_cpu": driver_cpu,
        "span_cpu": span_cpu,
        "threads": threads,
    }


THREAD_CLASSES = ("tasks", "main", "GC", "JIT", "other")


def thread_class(name):
    """A JVM thread's class from its (15-character) Linux name."""
    if name.startswith("Executor task"):
        return "tasks"
    if name == "java":
        return "main"
    if name.startswith(("GC Thread", "G1 ", "VM Thread", "VM Periodic")):
        return "GC"
    if name.startswith(("C1 Compiler", "C2 Compiler")):
        return "JIT"
    return "other"


def gib(x):
    return f"{x / 2**30:.2f}" if x == x else "?"


def main(out):
    trials_by_run = {}
    trials_path = os.path.join(out, "trials.json")
    if not os.path.exists(trials_path):
        raise SystemExit(f"{trials_path}: missing (the trials table, sparksweep query --format json)")
    with open(trials_path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("{"):
                r = json.loads(line)
                trials_by_run.setdefault(r["run_id"], []).append(r)
    runs = []
    for d in sorted(glob.glob(os.path.join(out, "round-*", "*"))):
        if os.path.exists(os.path.join(d, "run.txt")):
            runs.append(analyse(d, trials_by_run))
    if not runs:
        raise SystemExit(f"{out}: no runs (round-*/<config>/run.txt)")
    order = {"local1": 0, "local2": 1, "cluster": 2}
    runs.sort(key=lambda r: (r["round"], order.get(r["config"], 9), r["config"]))
    base = {r["round"]: r["throughput"] for r in runs if r["slots"] == 1}

    print(f"folder: {out}\n")
    print("### Wall time against ideal + startup, throughput\n")
    print(
        "Times in seconds. ideal = Σ train_seconds ÷ slots; target: wall ≤ 1.10 × ideal + startup,"
        " i.e. (wall − startup) ÷ ideal ≤ 1.10; 2 slots ≥ 1.85× (local[2]) or 1.7× (cluster) the trials/min of 1 slot.\n"
    )
    print(
        "| round | config | load | wall | startup | job | tasks' span | Σ train | ideal"
        " | (wall − startup) ÷ ideal | span ÷ ideal | trials/min | × 1 slot |"
    )
    print("|---" * 13 + "|")
    for r in runs:
        ratio = r["throughput"] / base[r["round"]] if r["round"] in base else float("nan")
        print(
            f"| {r['round']} | {r['config']} | {r['load']} | {r['wall']:.1f} | {r['startup']:.1f}"
            f" | {r['job']:.1f} | {r['span']:.1f} | {r['train_sum']:.1f} | {r['ideal']:.1f}"
            f" | {r['target_ratio']:.3f} | {r['span_ratio']:.3f} | {r['throughput']:.2f}"
            f" | {ratio:.2f}× |"
        )

    print("\n### Where the wall time goes (seconds)\n")
    print(
        "JVM + data: command start → Spark application start (launcher, JVM, reading CIFAR-10);"
        " session + broadcast: → search job submitted (session, manifest, tables, broadcast);"
        " wait: → first task launched; span: first launch → last task finished, per slot split"
        " into training, per-task overhead, idle between tasks and idle at the end; tail: last task"
        " → command end (top-k paths, table refresh, session stop).\n"
    )
    print(
        "| round | config | JVM + data | session + broadcast | wait | span | = train | + overhead"
        " | + idle between | + idle at end | tail |"
    )
    print("|---" * 11 + "|")
    for r in runs:
        p, s = r["phases"], r["span_parts"]
        print(
            f"| {r['round']} | {r['config']} | {p['jvm_data']:.1f} | {p['session_broadcast']:.1f}"
            f" | {p['to_first_task']:.1f} | {p['span']:.1f} | {s['train']:.1f}"
            f" | {s['overhead']:.2f} | {s['gaps']:.2f} | {s['tail_idle']:.2f}"
            f" | {p['to_job_end'] + p['tail']:.1f} |"
        )

    print("\n### Per task (seconds)\n")
    print(
        "overhead = (task finish − launch) − train_seconds; before = launch → trial start (task"
        " deserialisation, broadcast fetch + decode on a fresh executor), after = trial end → task"
        " finish (result serialisation, ≈1.3 MB with the model, and transfer). First = each"
        " slot's first task. Broadcast cost per executor ≈ before (first) − before (later).\n"
    )
    print(
        "| round | config | overhead (median) | before, first | before, later | broadcast"
        " per executor | after (median) | train, first | train, later | train min–max"
        " | CPU ÷ train |"
    )
    print("|---" * 11 + "|")
    for r in runs:
        bc = r["before_first"] - (r["before_later"] if r["before_later"] == r["before_later"] else 0)
        print(
            f"| {r['round']} | {r['config']} | {r['overhead_median']:.2f} | {r['before_first']:.2f}"
            f" | {r['before_later']:.2f} | {bc:.2f} | {r['after_median']:.2f}"
            f" | {r['train_first']:.1f} | {r['train_later']:.1f}"
            f" | {r['train_min']:.1f}–{r['train_max']:.1f} | {r['cpu_per_train']:.2f} |"
        )

    print("\n### Memory, GC and CPU\n")
    print(
        "Driver peak RSS: GNU time's maximum RSS of the launcher's JVM (event log's"
        " ProcessTreeJVMRSSMemory peak in brackets); executor: the largest peak over the"
        " executors (local mode: the driver). GC: the tasks' JVM GC time. machine: CPUs busy on"
        f" average of the {runs[0]['ncpu']} (/proc/stat); others: that minus the driver's and the"
        " executors' CPU time.\n"
    )
    print(
        "| round | config | driver peak RSS GiB | driver peak heap GiB | executor peak RSS GiB"
        " | executor peak heap GiB | GC s (tasks) | driver CPU s | machine CPUs, whole run | others, whole run |"
    )
    print("|---" * 10 + "|")
    for r in runs:
        print(
            f"| {r['round']} | {r['config']} | {gib(r['driver_rss_time'])} ({gib(r['driver_rss_log'])})"
            f" | {gib(r['driver_heap'])} | {gib(r['exec_rss'])} | {gib(r['exec_heap'])}"
            f" | {r['gc_tasks']:.1f} | {r['driver_cpu']:.1f} | {r['machine_busy']:.2f}"
            f" | {r['others']:.2f} |"
        )

    print("\n### CPUs in use during the tasks' span\n")
    print(
        "Average CPUs busy from the first task's launch to the last task's end (1 s samples of"
        " /proc): the machine; the driver JVM and the executor JVMs (all threads); the task"
        " threads (the tasks' executor CPU time ÷ span); the JVMs' other threads (GC, JIT, Spark's"
        " own threads) = JVMs − task threads; other processes = machine − JVMs.\n"
    )
    print(
        "| round | config | machine | driver JVM | executor JVMs | task threads"
        " | JVMs' other threads | other processes |"
    )
    print("|---" * 8 + "|")
    for r in runs:
        c = r["span_cpu"]
        if not c:
            print(f"| {r['round']} | {r['config']} | ? | ? | ? | ? | ? | ? |")
            continue
        print(
            f"| {r['round']} | {r['config']} | {c['machine']:.2f} | {c['driver']:.2f}"
            f" | {c['executors']:.2f} | {c['tasks']:.2f} | {c['jvm_other']:.2f}"
            f" | {c['others']:.2f} |"
        )

    print("\n### CPU seconds by JVM thread, whole run\n")
    print(
        "Each JVM's threads over its life (1 s snapshots of /proc/<pid>/task, each thread's last"
        " value, so up to a second per thread is missing): task threads (Spark's 'Executor task launch"
        " worker', training), main (the driver's: data, session, broadcast, recording results),"
        " GC (G1 workers, concurrent and VM threads), JIT (C1/C2), other (Spark's RPC, block"
        " manager, heartbeats, listeners; the largest named). Executors: summed over both.\n"
    )
    print("| round | config | JVM | " + " | ".join(THREAD_CLASSES) + " | largest other |")
    print("|---" * (len(THREAD_CLASSES) + 4) + "|")
    for r in runs:
        for jvm in ("driver", "executors"):
            b = r["threads"].get(jvm)
            if not b:
                continue
            cells = [f"{sum(b.get(c, {}).values()):.1f}" for c in THREAD_CLASSES]
            other = sorted(b.get("other", {}).items(), key=lambda kv: -kv[1])[:2]
            top = ", ".join(f"{n} {v:.1f}" for n, v in other)
            print(f"| {r['round']} | {r['config']} | {jvm} | " + " | ".join(cells) + f" | {top} |")

    print("\n### Against the targets\n")
    for r in runs:
        ok = r["target_ratio"] <= 1.10
        line = (
            f"- round {r['round']}, {r['config']}: wall {r['wall']:.1f} s vs 1.10 × ideal + startup"
            f" = {1.10 * r['ideal'] + r['startup']:.1f} s: {'met' if ok else 'missed'}"
            f" ((wall − startup) ÷ ideal = {r['target_ratio']:.3f})"
        )
        if r["slots"] == 2 and r["round"] in base:
            x = r["throughput"] / base[r["round"]]
            # issue 13's targets: 1.85× for local[2], 1.7× for the 2-worker cluster
            goal = 1.7 if r["config"] == "cluster" else 1.85
            line += f"; throughput {x:.2f}× of 1 slot: {'met' if x >= goal else 'missed'} (≥ {goal}×)"
        print(line)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) == 2 else 2)
    main(sys.argv[1])
