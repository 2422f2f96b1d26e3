#!/usr/bin/env python3
"""Active data files of a Delta table (adds minus removes over its JSON log), per partition.

jobs/bench-storage.sh counts the physical files; OPTIMIZE leaves the files it compacted on disk
(tombstoned) until a VACUUM past the retention period, so this is the number a reader opens.
Usage: jobs/delta-active-files.py TABLE_DIR
"""
import json, os, sys

log = os.path.join(sys.argv[1], "_delta_log")
active = set()
for name in sorted(f for f in os.listdir(log) if f.endswith(".json")):
    with open(os.path.join(log, name)) as fh:
        for line in fh:
            action = json.loads(line)
            if "add" in action:
                active.add(action["add"]["path"])
            elif "remove" in action:
                active.discard(action["remove"]["path"])
print(len(active))
