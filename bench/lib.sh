# Shared by the bench scripts: build the release binary and start `travelsense dev` on a free port (with
# its own PostgreSQL and Redis in a temporary data directory, unless DATABASE_URL/REDIS_URL are set).
# After `start_server`, $PORT and $PID are set and the server answers /readyz; it stops on exit.
start_server() {
    swift build -c release --product travelsense >/dev/null
    local bin
    bin=$(swift build -c release --show-bin-path)/travelsense
    PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    BENCH_DATA=$(mktemp -d)
    chmod 755 "$BENCH_DATA" # PostgreSQL runs as the postgres user when we are root: it must reach its data
    "$bin" dev --port "$PORT" --data-dir "$BENCH_DATA" >/dev/null 2>"$BENCH_DATA/server.log" &
    PID=$!
    trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$BENCH_DATA"' EXIT
    for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done
    echo "the server did not become ready on port $PORT:" >&2
    tail -20 "$BENCH_DATA/server.log" >&2
    return 1
}
