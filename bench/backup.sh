#!/usr/bin/env bash
# Backup and restore speed, for the recovery-time objective: k8s/base/backup/backup.sh (the CronJob's
# script) dumps a throw-away PostgreSQL filled by `pgbench -i -s SCALE` (SCALE × 100,000 rows, ~15 MB
# each), then `pg_restore -j JOBS` loads the dump into an empty database, the way docs/operations.md
# restores. fsync stays on: restore time on a real disk is the figure that matters.
#
# usage: bench/backup.sh [SCALE] [JOBS]      (defaults 50 and 2)
# Last line: db_mb=… dump_mb=… dump_s=… restore_s=… restore_mb_per_s=… rows_equal=true|false
set -euo pipefail
SCALE=${1:-50}
JOBS=${2:-2}
PGBIN=/usr/lib/postgresql/15/bin
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
chmod 755 "$TMP"
as_postgres() { (cd "$TMP" && setpriv --reuid=postgres --regid=postgres --init-groups "$@"); }
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
mkdir "$TMP/data" "$TMP/backups"
chown postgres "$TMP" "$TMP/data"
as_postgres "$PGBIN/initdb" -D "$TMP/data" -U postgres -A trust >/dev/null
trap 'as_postgres "$PGBIN/pg_ctl" -D "$TMP/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT
as_postgres "$PGBIN/pg_ctl" -D "$TMP/data" -l "$TMP/log" -w \
    -o "-p $PORT -k $TMP -c listen_addresses=127.0.0.1 -c max_wal_size=4GB" start >/dev/null
SERVER=postgres://postgres@127.0.0.1:$PORT
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres source
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres restored
"$PGBIN/pgbench" -i -s "$SCALE" -q "$SERVER/source" >/dev/null 2>&1
size_mb() { "$PGBIN/psql" -Atq "$SERVER/$1" -c "SELECT pg_database_size(current_database()) / 1048576"; }
counts() { "$PGBIN/psql" -Atq "$SERVER/$1" -c "SELECT (SELECT count(*) FROM pgbench_accounts), (SELECT count(*) FROM pgbench_history), (SELECT count(*) FROM pgbench_branches)"; }

start=$(date +%s.%N)
DATABASE_URL="$SERVER/source" BACKUP_DIR="$TMP/backups" sh k8s/base/backup/backup.sh >"$TMP/backup.out"
dumped=$(date +%s.%N)
DUMP=$(cut -d' ' -f1 "$TMP/backup.out")
"$PGBIN/pg_restore" --no-owner --no-privileges --exit-on-error -j "$JOBS" --dbname "$SERVER/restored" "$DUMP"
restored=$(date +%s.%N)

DB_MB=$(size_mb source)
DUMP_MB=$(($(stat -c %s "$DUMP") / 1048576))
EQUAL=$([ "$(counts source)" = "$(counts restored)" ] && echo true || echo false)
awk -v a="$start" -v b="$dumped" -v c="$restored" -v db="$DB_MB" -v dump="$DUMP_MB" -v eq="$EQUAL" 'BEGIN {
    printf "db_mb=%d dump_mb=%d dump_s=%.1f restore_s=%.1f restore_mb_per_s=%.1f rows_equal=%s\n",
      db, dump, b - a, c - b, db / (c - b), eq }'
