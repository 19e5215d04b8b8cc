#!/usr/bin/env bash
# openfsi benchmark: openfsi create vs genisoimage vs xorriso vs cat, on a 2 GiB file and on
# 50,000 small files. See bench/README.md.
#   bench/run.sh [--build DIR] [--tool PATH] [--runs N] [--only big|small] [--keep]
# Scratch space: $BENCH_DIR (default /var/tmp). Reports only; exits 0 even if targets are missed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/bin/python3 ]; then
    echo "bench: /usr/bin/python3 is required" >&2
    exit 2
fi
exec /usr/bin/python3 "$here/measure.py" "$@"
