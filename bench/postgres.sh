#!/usr/bin/env bash
# PostgreSQL client benchmark: pool checkout overhead and single-row query round trips/s of the Postgres
# module (bench/postgres-bench), with `pgbench -S -c 8` on the same server as the ceiling. Ours and pgbench
# alternate, RUNS times; the summary shows medians. Client CPU per statement (query_cpu_us,
# pgbench_cpu_us) is the figure least disturbed by other load on the machine.
#
# usage: [DATABASE_URL=postgres://…] bench/postgres.sh [SECONDS] [RUNS]      (defaults 10 and 3)
# Without DATABASE_URL a throw-away PostgreSQL is started, and removed on exit. With it, the pgbench_*
# tables of that database are recreated by `pgbench -i -s 10`.
# Last lines: checkout_ns=… checkout_ns_8t=…, query_rps=…, pgbench_rps=…, ratio=…
set -euo pipefail
SECS=${1:-10}
RUNS=${2:-3}
PGBIN=/usr/lib/postgresql/15/bin
cd "$(dirname "$0")/.."
swift build -c release --product postgres-bench --scratch-path .build-pgbench >/dev/null
BIN=$(swift build -c release --scratch-path .build-pgbench --show-bin-path)/postgres-bench
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
if [ -z "${DATABASE_URL:-}" ]; then
    as_postgres() { (cd "$TMP" && setpriv --reuid=postgres --regid=postgres --init-groups "$@"); }
    PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    chown postgres "$TMP"
    as_postgres "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust >/dev/null
    trap 'as_postgres "$PGBIN/pg_ctl" -D "$TMP/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
    as_postgres "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/log" -w \
        -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/postgres
fi
"$PGBIN/pgbench" -i -s 10 -q "$DATABASE_URL" >/dev/null 2>&1

for _ in $(seq "$RUNS"); do
    "$BIN" "$DATABASE_URL" "$SECS" >>"$TMP/runs"
    for mode in prepared simple; do
        /usr/bin/time -o "$TMP/time" -f '%U %S' \
            "$PGBIN/pgbench" -n -S -c 8 -j 2 -T "$SECS" -M "$mode" "$DATABASE_URL" >"$TMP/pgbench" 2>&1
        awk -v m="$mode" 'NR == FNR { cpu = $1 + $2; next } /actually processed/ { n = $NF }
            /^tps/ { printf "pgbench_rps_%s=%.1f\n", m, $3 } END { printf "pgbench_cpu_us_%s=%.1f\n", m, cpu * 1e6 / n }' \
            "$TMP/time" "$TMP/pgbench" >>"$TMP/runs"
    done
done

echo "medians of $RUNS runs, ${SECS}s each; pool of 8 and pgbench -c 8 -j 2 on $(nproc) cores:"
sort -t= -k1,1 -k2,2g "$TMP/runs" | awk -F= '
    { v[$1, ++n[$1]] = $2; if (n[$1] == 1) keys[++k] = $1 }
    END {
        for (i = 1; i <= k; i++) { m[keys[i]] = v[keys[i], int((n[keys[i]] + 1) / 2)]; print "  " keys[i] "=" m[keys[i]] }
        printf "checkout_ns=%s checkout_ns_8t=%s\nquery_rps=%s\npgbench_rps=%s\nratio=%.2f\n", m["checkout_ns"],
            m["checkout_ns_8t"], m["query_rps"], m["pgbench_rps_prepared"], m["query_rps"] / m["pgbench_rps_prepared"]
    }'
