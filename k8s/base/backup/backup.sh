#!/bin/sh
# Nightly logical backup of the TravelSense database (the backup CronJob runs it with `sh` in
# postgres:16-bookworm; it runs unchanged on any Debian host with the PostgreSQL client tools).
#
# Inputs (environment):
#   DATABASE_URL       postgres:// URL or libpq keyword string; or DATABASE_URL_FILE, the path of a
#                      file holding it (one of the two, not both, as the application itself requires)
#   BACKUP_DIR         where dumps are kept (default /backups)
#   RETENTION_DAYS     dumps more than this many whole days old are deleted (default 30)
#
# Writes "$BACKUP_DIR/travelsense-<UTC yyyymmddThhmmssZ>.dump" (pg_dump custom format, restorable
# with `pg_restore --no-owner -d <db> FILE`). The dump is written under a hidden temporary name,
# checked with `pg_restore --list`, and only then renamed: a file named travelsense-*.dump is always
# complete. Stdout is exactly one line naming the new file and its size; everything else goes to
# stderr. Exits non-zero on any failure, leaving no partial file behind.
set -eu

log() { printf 'backup: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- inputs -----------------------------------------------------------------------------------
url="${DATABASE_URL:-}"
url_file="${DATABASE_URL_FILE:-}"
if [ -n "$url" ] && [ -n "$url_file" ]; then
    die "set either DATABASE_URL or DATABASE_URL_FILE, not both"
fi
if [ -n "$url_file" ]; then
    [ -r "$url_file" ] || die "DATABASE_URL_FILE $url_file is not readable"
    url="$(cat "$url_file")" # $(...) drops the trailing newline(s) a secret file may end with
fi
[ -n "$url" ] || die "DATABASE_URL (or DATABASE_URL_FILE) is required"

backup_dir="${BACKUP_DIR:-/backups}"
retention_days="${RETENTION_DAYS:-30}"
case "$retention_days" in
    '' | *[!0-9]*) die "RETENTION_DAYS must be a whole number of days (got '$retention_days')" ;;
esac
[ -d "$backup_dir" ] || die "BACKUP_DIR $backup_dir is not a directory"
[ -w "$backup_dir" ] || die "BACKUP_DIR $backup_dir is not writable"

command -v pg_dump >/dev/null 2>&1 || die "pg_dump not found in PATH"
command -v pg_restore >/dev/null 2>&1 || die "pg_restore not found in PATH"

# Dumps hold every row, including the encrypted fields: owner-only permissions.
umask 077

# --- dump to a temporary name -----------------------------------------------------------------
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$backup_dir/travelsense-$stamp.dump"
# Hidden and with another suffix, so neither restore tooling nor the retention glob below ever
# mistakes it for a finished dump. Same directory as the final name, so the rename is atomic.
tmp="$backup_dir/.travelsense-$stamp.dump.partial"
[ ! -e "$final" ] || die "$final already exists (two runs in the same second?)"

dump_pid=""
cleanup() {
    if [ -n "$dump_pid" ]; then kill "$dump_pid" 2>/dev/null || true; fi
    rm -f "$tmp"
}
trap cleanup EXIT
# Signals run the EXIT trap too. The Job's deadline or a pod deletion sends TERM to this shell
# (PID 1 in the container): pg_dump runs in the background and we `wait` for it, because a shell
# only runs a trap once its foreground command has finished, which for a long dump is too late.
trap 'log "interrupted"; exit 1' HUP INT TERM

log "dumping to $tmp"
# --dbname accepts both URL and keyword forms. --no-owner/--no-privileges: the dump restores into
# any database as whichever role runs pg_restore (managed services rarely allow the original roles).
pg_dump --format=custom --no-owner --no-privileges --file="$tmp" --dbname="$url" &
dump_pid=$!
status=0
wait "$dump_pid" || status=$?
dump_pid=""
[ "$status" -eq 0 ] || die "pg_dump failed (exit $status)"

# A custom-format archive whose table of contents cannot be read is not a backup.
pg_restore --list "$tmp" >/dev/null || die "pg_restore --list cannot read $tmp"

# Flush the data before the rename makes it look complete (coreutils sync FILE; harmless if absent).
sync "$tmp" 2>/dev/null || true
mv "$tmp" "$final"
trap - EXIT

size="$(wc -c <"$final" | tr -d ' ')"
printf '%s %s bytes\n' "$final" "$size"

# --- retention --------------------------------------------------------------------------------
# find -mtime +N matches files whose age, rounded down to whole days, exceeds N: a dump goes once it
# is more than RETENTION_DAYS full days old, so RETENTION_DAYS (+1) daily dumps remain. Only this
# directory's travelsense-*.dump files (and partial files left by a killed run) are considered.
# $(...) rather than a pipeline, so that a failing find fails the run under set -e.
old_files="$(find "$backup_dir" -maxdepth 1 -type f \
    \( -name 'travelsense-*.dump' -mtime +"$retention_days" \
    -o -name '.travelsense-*.dump.partial' -mtime +0 \) -print)"
if [ -n "$old_files" ]; then
    printf '%s\n' "$old_files" | while IFS= read -r old; do
        rm -f -- "$old"
        log "deleted $old"
    done
fi
