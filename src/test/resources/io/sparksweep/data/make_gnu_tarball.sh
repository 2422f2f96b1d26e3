#!/usr/bin/env bash
# Makes the tarballs read by Cifar10ReaderTest, written by GNU tar (not by our TarWriter), CIFAR
# layout with 2 records per file. File k (0-4 = data_batch_{k+1}.bin, 5 = test_batch.bin), record
# r: label (3k + r) % 10, then pixel j = (31k + 7r + j) % 256.
#   gnu-tar-2-per-file.tar.gz       cifar-10-batches-bin/…, GNU format
#   gnu-tar-long-names.tar.gz       <240 x's>/cifar-10-batches-bin/…, GNU format (./@LongLink 'L')
#   pax-tar-long-names.tar.gz       the same in pax format (extended 'x' headers with path=)
set -euo pipefail
tmp=$(mktemp -d)
long=$(printf 'x%.0s' $(seq 240))
mkdir -p "$tmp/cifar-10-batches-bin"
python3 - "$tmp/cifar-10-batches-bin" <<'PY'
import sys
names = [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]
for k, name in enumerate(names):
    out = bytearray()
    for r in range(2):
        out.append((3 * k + r) % 10)
        out.extend((31 * k + 7 * r + j) % 256 for j in range(3072))
    open(f"{sys.argv[1]}/{name}", "wb").write(out)
open(f"{sys.argv[1]}/batches.meta.txt", "w").write("airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n")
PY
opts=(--owner=0 --group=0 --mtime=@0 --sort=name)
tar --format=gnu "${opts[@]}" -C "$tmp" -cf - cifar-10-batches-bin | gzip -n -9 > gnu-tar-2-per-file.tar.gz
mkdir "$tmp/$long"
mv "$tmp/cifar-10-batches-bin" "$tmp/$long/"
tar --format=gnu "${opts[@]}" -C "$tmp" -cf - "$long" | gzip -n -9 > gnu-tar-long-names.tar.gz
tar --format=pax "${opts[@]}" --pax-option=delete=atime,delete=ctime -C "$tmp" -cf - "$long" | gzip -n -9 > pax-tar-long-names.tar.gz
rm -r "$tmp"
