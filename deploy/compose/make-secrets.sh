#!/usr/bin/env bash
# Writes the secret files docker-compose.prod.yml mounts (deploy/compose/secrets/*) with fresh random
# values from `openssl rand`. Never overwrites a file that exists: a value that depends on another
# (database_url on postgres_password, redis_url on redis_password) is built from the file already there.
#
# Modes: the directory is 0700 (no other host user can list or read it); the files are 0644 because
# Compose mounts file secrets as bind mounts with the host's owner and mode, and they are read inside the
# containers by non-root users (postgres 999, redis 999, travelsense 10001).
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)/secrets"
mkdir -p "$dir"
chmod 0700 "$dir"

# write NAME VALUE: creates $dir/NAME holding VALUE unless it already exists.
write() {
    local file="$dir/$1"
    if [ -e "$file" ]; then
        echo "make-secrets: keeping $1"
    else
        (umask 022 && printf '%s\n' "$2" >"$file")
        echo "make-secrets: wrote $1"
    fi
}

# read_or_new NAME: the value in $dir/NAME, or a new random one (64 hex digits: URL-safe, no quoting).
read_or_new() {
    if [ -s "$dir/$1" ]; then head -n 1 "$dir/$1"; else openssl rand -hex 32; fi
}

postgres_password="$(read_or_new postgres_password)"
redis_password="$(read_or_new redis_password)"
write postgres_password "$postgres_password"
write database_url "postgres://travelsense:${postgres_password}@postgres:5432/travelsense"
write redis_password "$redis_password"
write redis_url "redis://:${redis_password}@redis:6379/0"
# kid:secret; the kid names the key in JWT headers and /.well-known/jwks.json (rotate: prepend a new one).
write jwt_signing_keys "$(date -u +k%Y%m%d):$(openssl rand -hex 32)"
# id:secret with id 1-255, stored with every encrypted value (rotate: prepend id 2, keep id 1 to decrypt).
write field_encryption_keys "1:$(openssl rand -hex 32)"
# Left empty: the application treats an empty file as unset (mail jobs retry and say why). Fill in
# smtp://user:password@host:587 (STARTTLS) or smtps://user:password@host:465.
write smtp_url ""
# Object storage credentials for the Export module; fill in.
write s3_access_key_id ""
write s3_secret_access_key ""
# The AI provider's API key (sk-...); empty is fine while AI_PROVIDERS is unset.
write ai_openai_api_key ""
