#!/usr/bin/env bash
# What Trips costs: GET /v1/trips/{id}/itinerary of a 50-item trip with a warm Redis cache (one
# PostgreSQL membership read + one Redis GET per request) and POST /v1/trips/{id}/items (one
# transaction: the trip's row lock, a position read, the insert), next to GET /healthz on the same
# server, and `pgbench -S` against the same PostgreSQL as the database's own ceiling for one-row reads.
#
# usage: bench/trips.sh [CONNECTIONS] [SECONDS]      (defaults 64 and 10; one wrk thread)
# Last line: itinerary_rps=… items_post_rps=… healthz_rps=… itinerary_ratio=… post_ratio=… itinerary_p99_ms=… pgbench_select_tps=…
set -euo pipefail
CONNS=${1:-64}
SECS=${2:-10}
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || scripts/install-deps
source bench/lib.sh
# The per-user limit would (rightly) stop a load generator; lift it for the measurement.
export RATE_LIMIT_API=100000000/s RATE_LIMIT_REGISTER=100000000/s
start_server
B="http://127.0.0.1:$PORT"
curl -fsS -X POST "$B/v1/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 123","display_name":"Bench"}' >"$BENCH_DATA/session.json"
TOKEN=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["access_token"])' "$BENCH_DATA/session.json")

# One trip with 50 located items over its 7 days (the itinerary), and 40 empty trips the POST load
# spreads over (a trip holds at most 2,000 items).
python3 - "$B" "$TOKEN" "$BENCH_DATA" <<'PY'
import json, sys, urllib.request
base, token, out = sys.argv[1:4]
def call(method, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method,
        headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    return json.load(urllib.request.urlopen(req))
trip = {"title": "Bench", "start_date": "2027-05-01", "end_date": "2027-05-07", "timezone": "Europe/Lisbon", "currency": "EUR",
        "destination": {"name": "Lisbon", "lat": 38.72, "lon": -9.14}}
main = call("POST", "/v1/trips", trip)["id"]
for i in range(50):
    call("POST", f"/v1/trips/{main}/items", {"kind": "activity", "title": f"Stop {i}", "day": f"2027-05-0{1 + i % 7}",
         "start_time": f"{8 + i % 10:02d}:00", "place": {"name": f"P{i}", "lat": 38.70 + i * 0.001, "lon": -9.15 + i * 0.001},
         "cost": {"amount": 1000 + i, "currency": "EUR"}, "notes": "A few words about this stop."})
others = [call("POST", "/v1/trips", trip)["id"] for _ in range(40)]
open(out + "/trip", "w").write(main)
with open(out + "/post.lua", "w") as f:
    f.write("local trips = {" + ",".join('"%s"' % t for t in others) + "}\n")
    f.write('local n = 0\nwrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
    f.write('wrk.body = \'{"kind":"food","title":"Lunch","day":"2027-05-03","cost":{"amount":1500,"currency":"EUR"}}\'\n')
    f.write('request = function()\n  n = n + 1\n  return wrk.format(nil, "/v1/trips/" .. trips[n % #trips + 1] .. "/items")\nend\n')
PY
TRIP=$(cat "$BENCH_DATA/trip")
rps() { awk '/Requests\/sec/ { print $2 }'; }
p99() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } print v }'; }
fail_on_errors() { if echo "$2" | grep -q "Non-2xx"; then echo "$1 answered errors under load" >&2; exit 1; fi; }

curl -fsS "$B/v1/trips/$TRIP/itinerary" -H "Authorization: Bearer $TOKEN" -o /dev/null # fills the cache
wrk -t1 -c"$CONNS" -d2s -H "Authorization: Bearer $TOKEN" "$B/v1/trips/$TRIP/itinerary" >/dev/null # warm-up
IT=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H "Authorization: Bearer $TOKEN" "$B/v1/trips/$TRIP/itinerary")
echo "$IT"
fail_on_errors itinerary "$IT"
POST=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -s "$BENCH_DATA/post.lua" "$B")
echo "$POST"
fail_on_errors "POST items" "$POST"
HZ=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$B/healthz")
echo "$HZ"

# pgbench -S on the server's own PostgreSQL (dev prints where it runs; its password is in the data dir).
PG_PORT=$(grep -o 'PostgreSQL on 127.0.0.1:[0-9]*' "$BENCH_DATA/server.log" | head -1 | cut -d: -f2)
export PGPASSWORD
PGPASSWORD=$(cat "$BENCH_DATA/postgres/password")
PGB=/usr/lib/postgresql/15/bin/pgbench
"$PGB" -i -s 10 -q -h 127.0.0.1 -p "$PG_PORT" -U travelsense travelsense >/dev/null 2>&1
PGS=$("$PGB" -S -c 8 -j 2 -T "$SECS" -h 127.0.0.1 -p "$PG_PORT" -U travelsense travelsense 2>/dev/null)
echo "$PGS"
PG_TPS=$(echo "$PGS" | awk '/^tps/ { printf "%.0f", $3; exit }')

IT_RPS=$(echo "$IT" | rps)
POST_RPS=$(echo "$POST" | rps)
HZ_RPS=$(echo "$HZ" | rps)
echo "itinerary_rps=$IT_RPS items_post_rps=$POST_RPS healthz_rps=$HZ_RPS" \
    "itinerary_ratio=$(awk -v a="$IT_RPS" -v b="$HZ_RPS" 'BEGIN { printf "%.2f", a / b }')" \
    "post_ratio=$(awk -v a="$POST_RPS" -v b="$HZ_RPS" 'BEGIN { printf "%.3f", a / b }')" \
    "itinerary_p99_ms=$(echo "$IT" | p99) pgbench_select_tps=$PG_TPS"
