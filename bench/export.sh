#!/usr/bin/env bash
# What an export costs: for a trip of 2,000 items (the most a trip holds) and one of 200, each format
# (json ics gpx kml csv pdf zip) as an export job (POST /v1/trips/{id}/exports, polled every 20 ms):
# its server-side time (finished_at − created_at, median of RUNS; the poll loop's wall time as a
# cross-check), the file's size, and the peak memory the render added to the server; for the text
# formats also GET /v1/trips/{id}/export.{fmt} (client-side time, median of RUNS).
#
# `travelsense dev` (bench/lib.sh, with WORKERS=0) provides PostgreSQL, Redis, the migrated database,
# the keys and the two trips (imported as trip documents). Each (format, size) then gets a fresh
# `travelsense serve` with WORKERS=1 on the same database, so its one job worker renders every export
# in that process: VmHWM after the first export minus VmRSS just before requesting it is the render's
# peak addition (the peak is reset to the current RSS via /proc/PID/clear_refs first). The memory
# figure is the first run's; later runs only time.
#
# usage: RUNS=3 bench/export.sh [FORMAT…]      (default: all seven formats)
# Last lines: one per format, mem_ratio_<fmt>=… (peak added at 2,000 items / at 200 items).
set -euo pipefail
RUNS=${RUNS:-3}
SIZES=(200 2000)
if [ $# -gt 0 ]; then FORMATS=("$@"); else FORMATS=(json ics gpx kml csv pdf zip); fi
cd "$(dirname "$0")/.."
source bench/lib.sh
# Polling every 20 ms is more than the per-user API limit allows; lift it for the measurement.
export RATE_LIMIT_API=100000000/s RATE_LIMIT_REGISTER=100000000/s LOG_LEVEL=warning ACCESS_LOG=false
WORKERS=0 start_server
BIN=$(swift build -c release --show-bin-path 2>/dev/null)/travelsense
B="http://127.0.0.1:$PORT"
curl -fsS -X POST "$B/v1/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 123","display_name":"Bench"}' >"$BENCH_DATA/session.json"
TOKEN=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["access_token"])' "$BENCH_DATA/session.json")

declare -A TRIP
for n in "${SIZES[@]}"; do
    python3 bench/export_trip.py document "$n" >"$BENCH_DATA/trip-$n.json"
    curl -fsS -X POST "$B/v1/trips/import" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
        --data-binary "@$BENCH_DATA/trip-$n.json" >"$BENCH_DATA/imported-$n.json"
    TRIP[$n]=$(python3 -c 'import json,sys;d=json.load(open(sys.argv[1]));print(d["id"]);assert d["item_count"]==int(sys.argv[2]),d["item_count"]' \
        "$BENCH_DATA/imported-$n.json" "$n")
done

# `serve` on dev's PostgreSQL and Redis with dev's keys (tokens and sealed fields stay valid).
PG_PORT=$(grep -o 'PostgreSQL on 127.0.0.1:[0-9]*' "$BENCH_DATA/server.log" | head -1 | cut -d: -f2)
REDIS_PORT=$(grep -o 'Redis on 127.0.0.1:[0-9]*' "$BENCH_DATA/server.log" | head -1 | cut -d: -f2)
DATABASE_URL="postgres://travelsense:$(cat "$BENCH_DATA/postgres/password")@127.0.0.1:$PG_PORT/travelsense"
REDIS_URL="redis://:$(cat "$BENCH_DATA/redis/password")@127.0.0.1:$REDIS_PORT/0"
JWT_SIGNING_KEYS="dev-1:$(cat "$BENCH_DATA/keys/jwt-signing-key")"
FIELD_ENCRYPTION_KEYS="1:$(cat "$BENCH_DATA/keys/field-encryption-key")"
export DATABASE_URL REDIS_URL JWT_SIGNING_KEYS FIELD_ENCRYPTION_KEYS
export EXPORT_DIR="$BENCH_DATA/bench-exports" HOST=127.0.0.1 WORKERS=1
"$BIN" migrate >/dev/null # dev applied them already; this only confirms the schema is current

SERVE_PID=
stop_serve() { if [ -n "$SERVE_PID" ]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=; fi; }
trap 'stop_serve; kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$BENCH_DATA"' EXIT
start_serve() {
    SERVE_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    PORT=$SERVE_PORT "$BIN" serve >/dev/null 2>"$BENCH_DATA/serve.log" &
    SERVE_PID=$!
    for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$SERVE_PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "travelsense serve did not become ready:" >&2
    tail -20 "$BENCH_DATA/serve.log" >&2
    return 1
}

declare -A FIG
echo "# RUNS=$RUNS; a fresh 'travelsense serve' (WORKERS=1) per row; peak_rss_added = VmHWM after the first job" \
    "− VmRSS just before requesting it (first run only); job_ms = finished_at − created_at (median)" >&2
for fmt in "${FORMATS[@]}"; do
    for n in "${SIZES[@]}"; do
        start_serve
        line=$(python3 bench/export_trip.py measure "http://127.0.0.1:$SERVE_PORT" "$TOKEN" "${TRIP[$n]}" "$fmt" "$RUNS" "$SERVE_PID")
        stop_serve
        echo "# $fmt $n: $line" >&2
        FIG[$fmt.$n]=$line
    done
done

# Every export must have been rendered by the serve processes (into their EXPORT_DIR), none by dev.
stored=$(find "$EXPORT_DIR" -type f | wc -l)
if [ "$stored" -ne $((${#FORMATS[@]} * ${#SIZES[@]} * RUNS)) ]; then
    echo "expected the serve processes to store every export, found $stored files in $EXPORT_DIR" >&2
    exit 1
fi
get() { echo "${FIG[$1.$2]}" | tr ' ' '\n' | sed -n "s/^$3=//p"; }
printf '\n%-6s %6s %15s %12s %10s %12s %19s\n' format items "job_ms(median)" wall_ms direct_ms file_bytes peak_rss_added_MiB
for fmt in "${FORMATS[@]}"; do
    for n in "${SIZES[@]}"; do
        printf '%-6s %6s %15s %12s %10s %12s %19s\n' "$fmt" "$n" "$(get "$fmt" "$n" job_ms)" "$(get "$fmt" "$n" wall_ms)" \
            "$(get "$fmt" "$n" direct_ms | grep . || echo -)" "$(get "$fmt" "$n" bytes)" "$(get "$fmt" "$n" added_mib)"
    done
done
echo
for fmt in "${FORMATS[@]}"; do
    awk -v f="$fmt" -v a="$(get "$fmt" 2000 added_mib)" -v b="$(get "$fmt" 200 added_mib)" \
        -v sa="$(get "$fmt" 2000 bytes)" -v sb="$(get "$fmt" 200 bytes)" 'BEGIN {
        printf "mem_ratio_%s=%.1f (2000 items: %.1f MiB, 200 items: %.1f MiB, +%.1f MiB; file %.1fx)\n",
            f, (b > 0.05 ? a / b : 0), a, b, a - b, sa / sb }'
done
