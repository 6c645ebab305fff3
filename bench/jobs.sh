#!/usr/bin/env bash
# End-to-end no-op job throughput (enqueue → claim → complete) with bench/jobs-bench, in release.
# Runs it RUNS times (default 3) and prints each run's figures, then the median as the last line:
#   jobs_per_second=N
# Uses DATABASE_URL when set (its user must be able to CREATE DATABASE); otherwise each run starts a
# throw-away PostgreSQL. Extra arguments go to jobs-bench (--jobs N --workers N --batch N).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
# SWIFT_FLAGS as in the Makefile, e.g. SWIFT_FLAGS="--scratch-path .build-bench".
read -r -a flags <<<"${SWIFT_FLAGS:-}"
swift build -c release "${flags[@]}" --product jobs-bench >/dev/null
bin=$(swift build -c release "${flags[@]}" --show-bin-path)/jobs-bench
figures=()
for run in $(seq 1 "$RUNS"); do
    echo "# run $run of $RUNS" >&2
    out=$("$bin" "$@")
    echo "$out" | sed 's/^/  /' >&2
    figures+=("$(echo "$out" | sed -n 's/^jobs_per_second=//p' | tail -1)")
done
median=$(printf '%s\n' "${figures[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
echo "runs: ${figures[*]}" >&2
echo "jobs_per_second=$median"
