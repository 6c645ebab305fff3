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
swift build -c release --product travelsense >/dev/null
BIN=$(swift build -c release --show-bin-path)/travelsense
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
DATA=$(mktemp -d)
"$BIN" dev --port "$PORT" --data-dir "$DATA" >/dev/null 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
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
