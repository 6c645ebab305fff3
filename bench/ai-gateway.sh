#!/usr/bin/env bash
# The AI gateway's cost: latency it adds to a non-streamed completion (p50/p99 through
# POST /v1/ai/chat/completions minus the same request straight to the upstream, target < 1 ms at p50)
# and streamed tokens/s through the gateway against the upstream alone.
#
# The upstream is Tests/TestSupport/Resources/fake_llm.py (OpenAI's wire format, Python's standard
# library), configured as the only provider of `travelsense dev` (bench/lib.sh: release build, its own
# PostgreSQL and Redis). The caller is a registered user with an API key of scope `ai`, no budget, no
# cache hits (every prompt differs), redaction on (the default).
#
# usage: N=2000 STREAM_WORDS=5000 STREAM_RUNS=5 bench/ai-gateway.sh
set -euo pipefail
N=${N:-2000}
STREAM_WORDS=${STREAM_WORDS:-5000}
STREAM_RUNS=${STREAM_RUNS:-5}
cd "$(dirname "$0")/.."
source bench/lib.sh

UPSTREAM_LOG=$(mktemp)
python3 Tests/TestSupport/Resources/fake_llm.py >"$UPSTREAM_LOG" &
UPSTREAM_PID=$!
for _ in $(seq 1 50); do [ -s "$UPSTREAM_LOG" ] && break; sleep 0.1; done
UPSTREAM="http://127.0.0.1:$(head -1 "$UPSTREAM_LOG")/v1"

export AI_PROVIDERS=fake AI_FAKE_KIND=openai AI_FAKE_BASE_URL="$UPSTREAM" AI_FAKE_MODELS=fake-small
export AI_FAKE_PRICES=fake-small=0.15/0.60
export RATE_LIMIT_API=100000000/s RATE_LIMIT_REGISTER=100000000/s LOG_LEVEL=warning ACCESS_LOG=false
start_server
trap 'kill "$PID" "$UPSTREAM_PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$BENCH_DATA" "$UPSTREAM_LOG"' EXIT
B="http://127.0.0.1:$PORT"
TOKEN=$(curl -fsS -X POST "$B/v1/auth/register" -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench password 123","display_name":"Bench"}' |
    python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])')
KEY=$(curl -fsS -X POST "$B/v1/api-keys" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"name":"bench","scopes":["ai"]}' | python3 -c 'import json,sys;print(json.load(sys.stdin)["key"])')

echo "# N=$N per side, interleaved in blocks of 100 after 200 warm-up requests each; one keep-alive connection per side" >&2
python3 bench/ai_gateway.py "$UPSTREAM" "$B/v1/ai" "$KEY" "$N" "$STREAM_WORDS" "$STREAM_RUNS"
