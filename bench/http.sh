#!/usr/bin/env bash
# Load test of GET /healthz against the release build, through the full path every API route takes
# (connection → parser → router → middleware → handler pool). Access logging stays on, as in production,
# with the log going to /dev/null.
#
# usage: bench/http.sh [CONNECTIONS] [SECONDS]      (defaults 64 and 10; one wrk thread)
# Last line: rps=… p50_ms=… p99_ms=… rss_mb=…
set -euo pipefail
CONNS=${1:-64}
SECS=${2:-10}
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || scripts/install-deps
source bench/lib.sh
start_server
wrk -t1 -c"$CONNS" -d2s "http://127.0.0.1:$PORT/healthz" >/dev/null  # warm-up
OUT=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "http://127.0.0.1:$PORT/healthz")
echo "$OUT"
RSS_KB=$(awk '/VmRSS/ {print $2}' "/proc/$PID/status")
echo "$OUT" | awk -v rss="$RSS_KB" '
  function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v + 0 } if (v ~ /s$/) { sub(/s/, "", v); return v * 1000 } return v }
  /Requests\/sec/ { rps = $2 }
  $1 == "50%" { p50 = ms($2) }
  $1 == "99%" { p99 = ms($2) }
  END { printf "rps=%s p50_ms=%.3f p99_ms=%.3f rss_mb=%.1f\n", rps, p50, p99, rss / 1024 }'
