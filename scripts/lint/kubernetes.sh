#!/usr/bin/env bash
# Validates the Kubernetes manifests in k8s/ without a cluster:
#   1. renders every overlay (k8s/overlays/*) with `kubectl kustomize` (kustomize >= 4);
#   2. validates the result with `kubernetes-validate --strict` against the Kubernetes API schemas
#      of $KUBERNETES_VERSION (default 1.32.0);
#   3. checks structurally the custom resources it has no schema for (Argo Rollouts, Prometheus
#      operator), and checks the invariants below with Python + PyYAML:
#      - the ResourceQuota is exactly requests.cpu 4, requests.memory 8Gi, limits.cpu 8,
#        limits.memory 16Gi, pods 20, persistentvolumeclaims 5;
#      - every container runs hardened (runAsNonRoot, readOnlyRootFilesystem, capabilities drop
#        ALL, allowPrivilegeEscalation false, seccomp RuntimeDefault) with requests and limits;
#      - every ServiceAccount has automountServiceAccountToken: false;
#      - all workloads at their peak (replicas + rolling-update surge, a traffic-routed canary at
#        twice the replicas, one pod per Job/CronJob) fit the quota, and so does the HPA maximum;
#      - references resolve (ConfigMaps, Secrets keys, Services, PVCs, HPA and Rollout targets),
#        PodDisruptionBudgets can allow an eviction, termination grace covers preStop + drain.
# Prints one summary line per overlay; exits non-zero if anything fails.
#
# Tools: kubectl (kustomize >= 4), kubernetes-validate and PyYAML. scripts/lint/install puts the
# last two into .tools/venv, whose bin/ is put first on PATH here when it exists.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -d "$root/.tools/venv/bin" ]; then
    PATH="$root/.tools/venv/bin:$PATH"
fi
k8s_version="${KUBERNETES_VERSION:-1.32.0}"

die() {
    echo "kubernetes.sh: $*" >&2
    exit 1
}

# --- tools ------------------------------------------------------------------------------------
need_kustomize="kustomize >= 4 is needed to render k8s/overlays: a kubectl whose \`kubectl version --client\` reports Kustomize v4 or newer (kubectl 1.24+)"
command -v kubectl >/dev/null 2>&1 || die "kubectl not found on PATH: $need_kustomize"
client="$(kubectl version --client 2>/dev/null || true)"
kustomize_version="$(sed -n 's/^Kustomize Version: v\{0,1\}\([0-9][0-9.]*\).*/\1/p' <<<"$client" | head -n 1)"
if [ -z "$kustomize_version" ]; then
    die "\`kubectl version --client\` reports no Kustomize version: $need_kustomize"
fi
if [ "${kustomize_version%%.*}" -lt 4 ]; then
    die "kubectl bundles kustomize v$kustomize_version: $need_kustomize"
fi
command -v kubernetes-validate >/dev/null 2>&1 ||
    die "kubernetes-validate not found: run scripts/lint/install (it installs into .tools/venv)"
command -v python3 >/dev/null 2>&1 || die "python3 not found"
python3 -c 'import yaml' 2>/dev/null ||
    die "python3 ($(command -v python3)) cannot import yaml: run scripts/lint/install, or apt-get install python3-yaml"

shopt -s nullglob
overlays=("$root"/k8s/overlays/*/)
[ "${#overlays[@]}" -gt 0 ] || die "no overlays under $root/k8s/overlays"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0

# --- the Secret template is not rendered by any overlay: validate it on its own ----------------
secret_template="$root/k8s/base/secret.template.yaml"
if ! kubernetes-validate --strict --quiet --kubernetes-version "$k8s_version" "$secret_template" >"$tmp/secret.kv" 2>&1 ||
    [ -s "$tmp/secret.kv" ]; then
    echo "FAIL k8s/base/secret.template.yaml:" >&2
    sed 's/^/  /' "$tmp/secret.kv" >&2
    status=1
fi

# --- every overlay ----------------------------------------------------------------------------
for dir in "${overlays[@]}"; do
    name="$(basename "$dir")"
    rendered="$tmp/$name.yaml"
    if ! kubectl kustomize "$dir" >"$rendered" 2>"$tmp/$name.err"; then
        echo "FAIL $name: kubectl kustomize k8s/overlays/$name failed:" >&2
        sed 's/^/  /' "$tmp/$name.err" >&2
        status=1
        continue
    fi
    # Exit status 0 does not mean "all validated": kubernetes-validate only WARNs (and exits 0) for
    # a kind it has no schema for, and has no flag to restrict that to chosen kinds. The Python
    # below therefore reads its output, accepts the warning only for the expected custom resources
    # (which it then checks itself) and fails on any other, e.g. a mistyped or removed apiVersion.
    kv_rc=0
    kubernetes-validate --strict --quiet --kubernetes-version "$k8s_version" "$rendered" >"$tmp/$name.kv" 2>&1 || kv_rc=$?
    python3 "$root/scripts/lint/k8s_checks.py" "$name" "$rendered" "$tmp/$name.kv" "$kv_rc" "$k8s_version" "$secret_template" || status=1
done

if [ "$status" -ne 0 ]; then
    echo "kubernetes.sh: FAILED" >&2
fi
exit "$status"
