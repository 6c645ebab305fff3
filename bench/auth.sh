#!/usr/bin/env bash
# What authentication costs: GET /v1/me with a valid access token (Ed25519 verify, one Redis round trip
# for the revocation marker and the per-user rate limit, one PostgreSQL read) next to GET /healthz on the
# same server, and password logins per second at the production scrypt cost (bounded by the hashing
# queue: PASSWORD_HASH_CONCURRENCY, cores − 1 by default).
#
# usage: bench/auth.sh [CONNECTIONS] [SECONDS]      (defaults 64 and 10; one wrk thread)
# Last line: me_rps=… healthz_rps=… ratio=… me_p99_ms=… logins_per_second=…
set -euo pipefail
CONNS=${1:-64}
SECS=${2:-10}
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || scripts/install-deps
source bench/lib.sh
# The per-IP and per-user limits would (rightly) stop a load generator; lift them for the measurement.
export RATE_LIMIT_API=100000000/s RATE_LIMIT_LOGIN=100000000/s RATE_LIMIT_REGISTER=100000000/s
start_server
B="http://127.0.0.1:$PORT"
curl -fsS -X POST "$B/v1/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 123","display_name":"Bench"}' >"$BENCH_DATA/session.json"
TOKEN=$(python3 -c 'import json,sys;print(json.load(open(sys.argv[1]))["access_token"])' "$BENCH_DATA/session.json")

rps() { awk '/Requests\/sec/ { print $2 }'; }
p99() { awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } print v }'; }

wrk -t1 -c"$CONNS" -d2s -H "Authorization: Bearer $TOKEN" "$B/v1/me" >/dev/null # warm-up
ME=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -H "Authorization: Bearer $TOKEN" "$B/v1/me")
echo "$ME"
if echo "$ME" | grep -q "Non-2xx"; then
    echo "GET /v1/me answered errors under load:" >&2
    curl -s "$B/v1/me" -H "Authorization: Bearer $TOKEN" >&2
    exit 1
fi
HZ=$(wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$B/healthz")
echo "$HZ"

# Logins: a few connections are enough to keep the hashing queue busy; 503s (queue full) do not count.
cat >"$BENCH_DATA/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@example.com","password":"bench password 123"}'
LUA
LOGIN=$(wrk -t1 -c4 -d"${SECS}s" -s "$BENCH_DATA/login.lua" "$B/v1/auth/login")
echo "$LOGIN"
LOGINS_OK=$(echo "$LOGIN" | awk -v secs="$SECS" '
  / requests in / { total = $1 } /Non-2xx or 3xx responses/ { bad = $5 } END { printf "%.1f", (total - bad) / secs }')

ME_RPS=$(echo "$ME" | rps)
HZ_RPS=$(echo "$HZ" | rps)
echo "me_rps=$ME_RPS healthz_rps=$HZ_RPS ratio=$(awk -v a="$ME_RPS" -v b="$HZ_RPS" 'BEGIN { printf "%.2f", a / b }') me_p99_ms=$(echo "$ME" | p99) logins_per_second=$LOGINS_OK"
