#!/usr/bin/env bash
# `nginx -t` on deploy/nginx/nginx.conf, rendered the way the nginx image and the tests render it (the
# three template variables substituted, temp files under a throw-away prefix).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
template="$root/deploy/nginx/nginx.conf"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
[ -x "$nginx_bin" ] || { echo "lint/nginx: nginx not found (make deps installs it)" >&2; exit 1; }

# Every ${NAME} in the template must be one we substitute: anything else would reach nginx verbatim.
unknown=$(grep -o '\${[A-Za-z_][A-Za-z0-9_]*}' "$template" | sort -u |
    grep -v -x -e '${LISTEN_PORT}' -e '${UPSTREAM_SERVERS}' -e '${NGINX_ACCESS_LOG}' || true)
if [ -n "$unknown" ]; then
    echo "lint/nginx: unknown template variables: $unknown" >&2
    exit 1
fi

prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
sed -e 's/${LISTEN_PORT}/8080/' \
    -e 's/${UPSTREAM_SERVERS}/server 127.0.0.1:8081 max_fails=3 fail_timeout=10s; server 127.0.0.1:8082 max_fails=3 fail_timeout=10s;/' \
    -e "s#\${NGINX_ACCESS_LOG}#$prefix/access.log#" "$template" >"$prefix/nginx.conf"
"$nginx_bin" -t -q -p "$prefix/" -c "$prefix/nginx.conf" -g "pid $prefix/nginx.pid;"
echo "lint/nginx: deploy/nginx/nginx.conf OK ($("$nginx_bin" -v 2>&1 | sed 's/.*\///'))"
