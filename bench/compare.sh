#!/usr/bin/env bash
# Side-by-side /healthz comparison with Hummingbird 2, FlyingFox and nginx (../shared/bench), with our
# release build started here on a free port. usage: bench/compare.sh [CONNECTIONS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
COMPARE=${COMPARE:-../shared/bench/compare-healthz.sh}
[ -f "$COMPARE" ] || { echo "missing $COMPARE (the shared benchmark peers)" >&2; exit 2; }
source bench/lib.sh
start_server
bash "$COMPARE" "$PORT" "${1:-64}" "${2:-3}"
