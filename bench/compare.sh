#!/usr/bin/env bash
# Side-by-side /healthz comparison with Hummingbird 2, FlyingFox and nginx (../shared/bench), with our
# release build started here on a free port. usage: bench/compare.sh [CONNECTIONS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
COMPARE=${COMPARE:-../shared/bench/compare-healthz.sh}
[ -f "$COMPARE" ] || { echo "missing $COMPARE (the shared benchmark peers)" >&2; exit 2; }
swift build -c release --product travelsense >/dev/null
BIN=$(swift build -c release --show-bin-path)/travelsense
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
DATA=$(mktemp -d)
"$BIN" dev --port "$PORT" --data-dir "$DATA" >/dev/null 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
bash "$COMPARE" "$PORT" "${1:-64}" "${2:-3}"
