#!/usr/bin/env bash
# Lints the container and CI files without a Docker engine: hadolint on the Dockerfile, the Compose
# Specification schema on both Compose files, GitHub's workflow schema on CI (schemas vendored in
# check-jsonschema, so no network), then consistency checks no schema can express (secrets, depends_on,
# the nginx template, trusted proxies, pinned actions, the Swift image). Runs every check, prints every
# problem, exits 1 if there was any.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

venv_bin="$root/.tools/venv/bin"
if [ ! -x "$venv_bin/hadolint" ] || [ ! -x "$venv_bin/check-jsonschema" ]; then
    venv_bin="$(bash "$root/scripts/lint/install")"
fi
export PATH="$venv_bin:$PATH"
if ! "$venv_bin/python" -c 'import yaml' 2>/dev/null; then
    echo "containers.sh: PyYAML is not importable from $venv_bin/python (scripts/lint/requirements.txt pins it)" >&2
    exit 1
fi

status=0
run() {
    echo "+ $*"
    "$@" || status=1
}

run hadolint --config .hadolint.yaml Dockerfile
run check-jsonschema --builtin-schema vendor.compose-spec docker-compose.dev.yml docker-compose.prod.yml
run check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/ci.yml
run "$venv_bin/python" "$root/scripts/lint/compose_checks.py"

exit "$status"
