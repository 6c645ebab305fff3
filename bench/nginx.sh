#!/usr/bin/env bash
# What the edge costs: GET /healthz and an authenticated GET /v1/me straight to `travelsense` and through
# nginx running deploy/nginx/nginx.conf (rendered as the nginx image renders it), and /v1/me through nginx
# with upstream keep-alive switched off (`Connection: close` to the app), to show what reusing upstream
# connections is worth. nginx, the app, PostgreSQL, Redis and wrk share the machine's cores.
#
# usage: bench/nginx.sh [CONNECTIONS] [SECONDS]      (defaults 64 and 10; one wrk thread)
# Last line: healthz_direct_rps=… healthz_nginx_rps=… me_direct_rps=… me_nginx_rps=… me_nginx_no_keepalive_rps=…
#            me_nginx_ratio=… me_nginx_p99_ms=…
set -euo pipefail
CONNS=${1:-64}
SECS=${2:-10}
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || scripts/install-deps
source bench/lib.sh
export RATE_LIMIT_API=100000000/s RATE_LIMIT_REGISTER=100000000/s TRUSTED_PROXIES=127.0.0.1/32
start_server
B="http://127.0.0.1:$PORT"
TOKEN=$(curl -fsS -X POST "$B/v1/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"edge@example.com","password":"bench password 123","display_name":"Edge"}' |
    python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')

NGINX_PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
NGINX_DIR="$BENCH_DATA/nginx"
mkdir -p "$NGINX_DIR"
# $1: extra sed expression applied to the rendered config (empty: the config as shipped).
start_nginx() {
    [ -f "$NGINX_DIR/nginx.pid" ] && nginx -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -g "pid $NGINX_DIR/nginx.pid;" -s quit && sleep 1
    sed -e "s/\${LISTEN_PORT}/127.0.0.1:$NGINX_PORT/" \
        -e "s/\${UPSTREAM_SERVERS}/server 127.0.0.1:$PORT max_fails=3 fail_timeout=10s;/" \
        -e "s#\${NGINX_ACCESS_LOG}#/dev/null#" -e "${1:-}" deploy/nginx/nginx.conf >"$NGINX_DIR/nginx.conf"
    nginx -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -g "pid $NGINX_DIR/nginx.pid;"
    for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$NGINX_PORT/nginx-healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "nginx did not start" >&2
    return 1
}
trap 'nginx -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" -g "pid $NGINX_DIR/nginx.pid;" -s quit 2>/dev/null; kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$BENCH_DATA"' EXIT

# $1 label, $2 URL, then extra wrk arguments. Prints "label rps p99_ms".
measure() {
    local label=$1 url=$2
    shift 2
    wrk -t1 -c"$CONNS" -d2s "$@" "$url" >/dev/null
    wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" | awk -v label="$label" '
      function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 } if (v ~ /ms$/) { sub(/ms/, "", v); return v + 0 } if (v ~ /s$/) { sub(/s/, "", v); return v * 1000 } return v }
      /Requests\/sec/ { rps = $2 }
      /Non-2xx/ { bad = $NF }
      $1 == "99%" { p99 = ms($2) }
      END { if (bad) { print label ": " bad " non-2xx responses" > "/dev/stderr"; exit 1 } printf "%s %d %.2f\n", label, rps, p99 }'
}

start_nginx
AUTH=(-H "Authorization: Bearer $TOKEN")
RESULTS=$(
    measure healthz_direct "$B/healthz"
    measure healthz_nginx "http://127.0.0.1:$NGINX_PORT/healthz"
    measure me_direct "$B/v1/me" "${AUTH[@]}"
    measure me_nginx "http://127.0.0.1:$NGINX_PORT/v1/me" "${AUTH[@]}"
)
start_nginx 's/proxy_set_header Connection "";/proxy_set_header Connection "close";/'
RESULTS+=$'\n'$(measure me_nginx_no_keepalive "http://127.0.0.1:$NGINX_PORT/v1/me" "${AUTH[@]}")
echo "$RESULTS"
echo "$RESULTS" | awk '
  { rps[$1] = $2; p99[$1] = $3 }
  END {
    printf "healthz_direct_rps=%d healthz_nginx_rps=%d me_direct_rps=%d me_nginx_rps=%d me_nginx_no_keepalive_rps=%d me_nginx_ratio=%.2f me_nginx_p99_ms=%.2f\n",
      rps["healthz_direct"], rps["healthz_nginx"], rps["me_direct"], rps["me_nginx"], rps["me_nginx_no_keepalive"],
      rps["me_nginx"] / rps["me_direct"], p99["me_nginx"]
  }'
