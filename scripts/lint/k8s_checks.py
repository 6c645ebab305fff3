#!/usr/bin/env python3
"""The checks kubernetes.sh runs on one rendered overlay: kubernetes-validate's verdict (accepting
"no schema" only for the custom resources checked here), the custom resources' structure, and the
invariants listed at the top of kubernetes.sh. Arguments: overlay name, rendered YAML, the validator's
output, its exit status, the Kubernetes version, the Secret template."""
import math
import re
import sys
from decimal import Decimal

import yaml

import k8s_custom_resources

overlay, rendered_path, kv_path, kv_rc, k8s_version, secret_template_path = sys.argv[1:7]
problems = []


def fail(msg):
    if msg not in problems:
        problems.append(msg)


with open(rendered_path) as f:
    docs = [d for d in yaml.safe_load_all(f) if d]
with open(secret_template_path) as f:
    secret_template = yaml.safe_load(f)
secret_template_keys = set((secret_template.get("stringData") or {}) | (secret_template.get("data") or {}))


def ident(d):
    return f"{d.get('kind')}/{(d.get('metadata') or {}).get('name')}"


def group_of(api_version):
    return api_version.split("/")[0] if "/" in api_version else ""


by_kind = {}
for d in docs:
    by_kind.setdefault(d.get("kind"), []).append(d)


def get(kind, name):
    for d in by_kind.get(kind, []):
        if d["metadata"]["name"] == name:
            return d
    return None


# --- kubernetes-validate's verdict --------------------------------------------------------------
# Custom resources the Kubernetes schemas cannot know; each gets a structural check below.
CRDS = {
    ("Rollout", "argoproj.io/v1alpha1"),
    ("AnalysisTemplate", "argoproj.io/v1alpha1"),
    ("PrometheusRule", "monitoring.coreos.com/v1"),
    ("ServiceMonitor", "monitoring.coreos.com/v1"),
}
skipped = set()
no_schema = re.compile(r"^WARN .*Couldn't find schema for kind (\S+) with api version (\S+) for kubernetes version")
with open(kv_path) as f:
    for line in f:
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("INFO "):
            continue
        m = no_schema.match(line)
        if m and (m.group(1), m.group(2)) in CRDS:
            skipped.add((m.group(1), m.group(2)))
        elif m:
            fail(f"kubernetes-validate has no schema for {m.group(1)} {m.group(2)} in Kubernetes {k8s_version} "
                 "(mistyped or removed apiVersion?)")
        else:
            fail("kubernetes-validate: " + line)
if kv_rc != "0" and not problems:
    fail(f"kubernetes-validate exited {kv_rc}")
for d in docs:
    key = (d.get("kind"), d.get("apiVersion"))
    if key in CRDS and key not in skipped:
        fail(f"{ident(d)}: expected kubernetes-validate to skip {key[0]}; its output changed, check this script")

# --- quantities ---------------------------------------------------------------------------------
SUFFIX = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60,
          "n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": 1,
          "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}


def qty(value):
    m = re.fullmatch(r"([0-9.]+(?:[eE][-+]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|)", str(value).strip())
    if not m:
        raise ValueError(f"not a quantity: {value!r}")
    return Decimal(m.group(1)) * Decimal(SUFFIX[m.group(2)])


def fmt_cpu(v):
    return f"{v.normalize():f}"


def fmt_mem(v):
    return f"{(v / Decimal(2**30)).quantize(Decimal('0.01'))}Gi"


# --- namespace --------------------------------------------------------------------------------
CLUSTER_KINDS = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
                 "PriorityClass", "StorageClass", "IngressClass", "PersistentVolume"}
namespaces = by_kind.get("Namespace", [])
if len(namespaces) != 1:
    fail(f"expected exactly one Namespace, found {len(namespaces)}")
    ns = None
else:
    ns = namespaces[0]["metadata"]["name"]
    for d in docs:
        if d["kind"] not in CLUSTER_KINDS and d["metadata"].get("namespace") != ns:
            fail(f"{ident(d)}: namespace {d['metadata'].get('namespace')!r}, expected {ns!r}")

# --- ResourceQuota: exactly these numbers -------------------------------------------------------
EXPECTED_QUOTA = {"requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8",
                  "limits.memory": "16Gi", "pods": "20", "persistentvolumeclaims": "5"}
quotas = by_kind.get("ResourceQuota", [])
quota = None
if len(quotas) != 1:
    fail(f"expected exactly one ResourceQuota, found {len(quotas)}")
else:
    hard = quotas[0]["spec"].get("hard") or {}
    if set(hard) != set(EXPECTED_QUOTA):
        fail(f"ResourceQuota keys {sorted(hard)} != {sorted(EXPECTED_QUOTA)}")
    for k, v in EXPECTED_QUOTA.items():
        if k in hard and qty(hard[k]) != qty(v):
            fail(f"ResourceQuota {k} is {hard[k]}, expected {v}")
    quota = {k: qty(v) for k, v in EXPECTED_QUOTA.items()}

# --- ServiceAccounts --------------------------------------------------------------------------
for sa in by_kind.get("ServiceAccount", []):
    if sa.get("automountServiceAccountToken") is not False:
        fail(f"{ident(sa)}: automountServiceAccountToken must be false")

# --- workloads and their pod templates ----------------------------------------------------------
WORKLOAD_KINDS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod", "Rollout"}


def template_of(d):
    k = d["kind"]
    if k == "Pod":
        return {"metadata": d["metadata"], "spec": d["spec"]}
    if k == "CronJob":
        return d["spec"]["jobTemplate"]["spec"]["template"]
    if k == "Rollout":
        ref = d["spec"].get("workloadRef")
        if ref:
            target = get(ref.get("kind"), ref.get("name"))
            return target["spec"]["template"] if target else None
        return d["spec"].get("template")
    return d["spec"]["template"]


def ceil_frac(value, replicas, default):
    value = default if value is None else value
    if isinstance(value, str) and value.endswith("%"):
        return math.ceil(replicas * int(value[:-1]) / 100)
    return int(value)


hpa_targets = {}
for h in by_kind.get("HorizontalPodAutoscaler", []):
    ref = h["spec"]["scaleTargetRef"]
    hpa_targets[(ref["kind"], ref["name"])] = h


def replicas_of(d):
    return d["spec"].get("replicas", 1)


def peak_pods(d):
    """Most pods this workload runs at once during a normal release."""
    k, s = d["kind"], d["spec"]
    if k == "Deployment":
        r = replicas_of(d)
        strategy = s.get("strategy") or {}
        if r == 0 or strategy.get("type") == "Recreate":
            return r
        return r + ceil_frac((strategy.get("rollingUpdate") or {}).get("maxSurge"), r, "25%")
    if k in ("StatefulSet", "ReplicaSet"):
        return replicas_of(d)
    if k == "Pod":
        return 1
    if k == "Job":
        return s.get("parallelism", 1)
    if k == "CronJob":
        policy = s.get("concurrencyPolicy", "Allow")
        per_job = s["jobTemplate"]["spec"].get("parallelism", 1)
        if policy == "Forbid":
            return per_job
        if policy == "Replace":
            return 2 * per_job  # the replaced Job's pods may still be terminating
        fail(f"{ident(d)}: concurrencyPolicy {policy} leaves the number of pods unbounded; use Forbid")
        return per_job
    if k == "Rollout":
        r = replicas_of(d)
        strategy = s.get("strategy") or {}
        if "blueGreen" in strategy:
            return 2 * r
        canary = strategy.get("canary") or {}
        if canary.get("trafficRouting"):
            # Stable stays at full size while the canary grows to 100 % (then promotion).
            return 2 * r
        return r + ceil_frac(canary.get("maxSurge"), r, "25%")
    fail(f"{ident(d)}: cannot bound the pods of a {k} for the quota check")
    return 0


def steady_pods(d):
    k = d["kind"]
    if k in ("Deployment", "StatefulSet", "ReplicaSet", "Rollout"):
        return replicas_of(d)
    return peak_pods(d)


def effective(pod_spec, kind, resource):
    total = Decimal(0)
    biggest_init = Decimal(0)
    for c in pod_spec.get("containers", []):
        total += qty(((c.get("resources") or {}).get(kind) or {}).get(resource, "0"))
    for c in pod_spec.get("initContainers", []) or []:
        v = qty(((c.get("resources") or {}).get(kind) or {}).get(resource, "0"))
        if c.get("restartPolicy") == "Always":
            total += v  # sidecar
        else:
            biggest_init = max(biggest_init, v)
    return max(total, biggest_init)


service_accounts = {sa["metadata"]["name"]: sa for sa in by_kind.get("ServiceAccount", [])}
configmaps = {c["metadata"]["name"]: c for c in by_kind.get("ConfigMap", [])}
secret_names = {s["metadata"]["name"] for s in by_kind.get("Secret", [])} | {secret_template["metadata"]["name"]}
pvcs = {p["metadata"]["name"] for p in by_kind.get("PersistentVolumeClaim", [])}
workloads = [d for d in docs if d.get("kind") in WORKLOAD_KINDS]
rollout_refs = {(r["spec"]["workloadRef"]["kind"], r["spec"]["workloadRef"]["name"])
                for r in by_kind.get("Rollout", []) if r["spec"].get("workloadRef")}


def env_value(container, name):
    """The value a container gets for `name` (env wins over envFrom ConfigMaps)."""
    for e in container.get("env") or []:
        if e["name"] == name and "value" in e:
            return e["value"]
    for src in container.get("envFrom") or []:
        ref = src.get("configMapRef")
        if ref and ref.get("name") in configmaps:
            data = configmaps[ref["name"]].get("data") or {}
            if name in data:
                return data[name]
    return None


def check_pod(owner, tpl):
    spec = tpl["spec"]
    where = ident(owner)
    psc = spec.get("securityContext") or {}
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if spec.get(flag):
            fail(f"{where}: {flag} must not be set")
    sa = spec.get("serviceAccountName", "default")
    if sa not in service_accounts and spec.get("automountServiceAccountToken") is not False:
        fail(f"{where}: uses ServiceAccount {sa!r}, not defined here, without automountServiceAccountToken: false")
    volumes = {v["name"]: v for v in spec.get("volumes") or []}
    for v in volumes.values():
        if "hostPath" in v:
            fail(f"{where}: hostPath volume {v['name']}")
        if "configMap" in v and v["configMap"]["name"] not in configmaps and not v["configMap"].get("optional"):
            fail(f"{where}: volume {v['name']} uses ConfigMap {v['configMap']['name']!r}, not defined here")
        if "secret" in v:
            sname = v["secret"]["secretName"]
            if sname not in secret_names:
                fail(f"{where}: volume {v['name']} uses Secret {sname!r}, neither rendered nor in secret.template.yaml")
            for item in v["secret"].get("items") or []:
                if sname == secret_template["metadata"]["name"] and item["key"] not in secret_template_keys:
                    fail(f"{where}: Secret key {item['key']} is not in secret.template.yaml")
        if "persistentVolumeClaim" in v and v["persistentVolumeClaim"]["claimName"] not in pvcs:
            fail(f"{where}: PersistentVolumeClaim {v['persistentVolumeClaim']['claimName']!r} not defined here")
    grace = spec.get("terminationGracePeriodSeconds", 30)
    all_containers = [("container", c) for c in spec.get("containers", [])] + \
                     [("initContainer", c) for c in spec.get("initContainers") or []]
    for what, c in all_containers:
        cw = f"{where} {what} {c['name']}"
        sc = c.get("securityContext") or {}
        if sc.get("allowPrivilegeEscalation") is not False:
            fail(f"{cw}: allowPrivilegeEscalation must be false")
        if sc.get("readOnlyRootFilesystem") is not True:
            fail(f"{cw}: readOnlyRootFilesystem must be true")
        if sc.get("privileged"):
            fail(f"{cw}: privileged")
        caps = sc.get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            fail(f"{cw}: capabilities.drop must include ALL")
        if set(caps.get("add") or []) - {"NET_BIND_SERVICE"}:
            fail(f"{cw}: adds capabilities {caps.get('add')}")
        if sc.get("runAsNonRoot", psc.get("runAsNonRoot")) is not True:
            fail(f"{cw}: runAsNonRoot must be true (pod or container)")
        if sc.get("runAsUser", psc.get("runAsUser")) == 0:
            fail(f"{cw}: runAsUser 0")
        seccomp = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            fail(f"{cw}: seccompProfile must be RuntimeDefault (pod or container), got {seccomp}")
        res = c.get("resources") or {}
        for kind in ("requests", "limits"):
            for r in ("cpu", "memory"):
                if r not in (res.get(kind) or {}):
                    fail(f"{cw}: missing resources.{kind}.{r}")
        image = c.get("image", "")
        if "@" not in image and (":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest")):
            fail(f"{cw}: image {image!r} needs an explicit tag (not latest) or digest")
        for src in c.get("envFrom") or []:
            ref = src.get("configMapRef")
            if ref and ref["name"] not in configmaps and not ref.get("optional"):
                fail(f"{cw}: envFrom ConfigMap {ref['name']!r} not defined here")
        # NAME_FILE variables must point at a key the mounted Secret will have.
        mounts = {m["mountPath"].rstrip("/"): volumes.get(m["name"]) for m in c.get("volumeMounts") or []}
        for m in c.get("volumeMounts") or []:
            if m["name"] not in volumes:
                fail(f"{cw}: mounts undefined volume {m['name']}")
        for e in c.get("env") or []:
            if not e["name"].endswith("_FILE") or "value" not in e:
                continue
            directory, _, filename = e["value"].rpartition("/")
            vol = mounts.get(directory)
            if vol is None:
                # (GAZETTEER_FILE, say, may name a file in the image; secrets live under /run/secrets.)
                if e["value"].startswith("/run/secrets/"):
                    fail(f"{cw}: {e['name']}={e['value']} is not inside a mounted volume")
            elif "secret" in vol:
                items = vol["secret"].get("items")
                keys = {i["path"] for i in items} if items else secret_template_keys
                if filename not in keys:
                    fail(f"{cw}: {e['name']}={e['value']}: no such key in Secret {vol['secret']['secretName']}")
        # Shutdown: preStop sleep + the app's drain must end before the kubelet's SIGKILL.
        drain = env_value(c, "SHUTDOWN_GRACE_PERIOD")
        if drain is not None:
            sleep = (((c.get("lifecycle") or {}).get("preStop") or {}).get("sleep") or {}).get("seconds", 0)
            if not grace > sleep + float(drain):
                fail(f"{cw}: terminationGracePeriodSeconds {grace} must exceed preStop sleep {sleep} + "
                     f"SHUTDOWN_GRACE_PERIOD {drain}")


templates = []  # (workload, template, peak, steady)
for d in workloads:
    tpl = template_of(d)
    if tpl is None:
        fail(f"{ident(d)}: no pod template (workloadRef target missing?)")
        continue
    if d["kind"] != "Rollout" or not d["spec"].get("workloadRef"):
        check_pod(d, tpl)  # a workloadRef'd template is checked as its Deployment
    templates.append((d, tpl, peak_pods(d), steady_pods(d)))


def matches(selector, labels):
    """A LabelSelector (matchLabels + matchExpressions) against a label map."""
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if (op == "In" and labels.get(key) not in values) or (op == "NotIn" and labels.get(key) in values) \
                or (op == "Exists" and key not in labels) or (op == "DoesNotExist" and key in labels):
            return False
    return True


def live_templates(selector):
    """Templates of workloads that run pods (a Deployment that only feeds a Rollout does not)."""
    return [(d, t) for d, t, peak, steady in templates
            if steady > 0 and d["kind"] not in ("Job", "CronJob", "Pod")
            and matches(selector, (t.get("metadata") or {}).get("labels") or {})]


for d, tpl, _, _ in templates:
    sel = d["spec"].get("selector")
    if sel is not None and not matches(sel, (tpl.get("metadata") or {}).get("labels") or {}):
        fail(f"{ident(d)}: selector does not match its pod template labels")

# --- quota fit ----------------------------------------------------------------------------------
summary_fit = ""
if quota:
    def totals(count_of):
        t = {"pods": Decimal(0)}
        for key in ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory"):
            t[key] = Decimal(0)
        for d, tpl, peak, steady in templates:
            n = count_of(d, peak, steady)
            t["pods"] += n
            for key in ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory"):
                kind, res = key.split(".")
                t[key] += n * effective(tpl["spec"], kind, res)
        return t

    def over(t):
        return [f"{k} {t[k]} > {quota[k]}" for k in ("pods", "requests.cpu", "requests.memory", "limits.cpu", "limits.memory")
                if t[k] > quota[k]]

    peak = totals(lambda d, p, s: p)
    for o in over(peak):
        fail(f"workloads at their peak (replicas + surge/canary, Jobs, CronJobs) exceed the quota: {o}")
    # Steady state with every HPA at its maximum (no release running).
    def at_hpa_max(d, p, s):
        h = hpa_targets.get((d["kind"], d["metadata"]["name"]))
        if h:
            return h["spec"]["maxReplicas"]
        return p if d["kind"] in ("Job", "CronJob", "Pod") else s
    if hpa_targets:
        for o in over(totals(at_hpa_max)):
            fail(f"workloads with every HPA at maxReplicas exceed the quota: {o}")
    summary_fit = (f"peak {peak['pods']}/{quota['pods']} pods, requests cpu {fmt_cpu(peak['requests.cpu'])}/"
                   f"{fmt_cpu(quota['requests.cpu'])} mem {fmt_mem(peak['requests.memory'])}/{fmt_mem(quota['requests.memory'])}, "
                   f"limits cpu {fmt_cpu(peak['limits.cpu'])}/{fmt_cpu(quota['limits.cpu'])} "
                   f"mem {fmt_mem(peak['limits.memory'])}/{fmt_mem(quota['limits.memory'])}")

    claims = len(by_kind.get("PersistentVolumeClaim", [])) + sum(
        len(d["spec"].get("volumeClaimTemplates") or []) * replicas_of(d) for d in by_kind.get("StatefulSet", []))
    if claims > quota["persistentvolumeclaims"]:
        fail(f"{claims} PersistentVolumeClaims exceed the quota of {quota['persistentvolumeclaims']}")

# Container limits within the LimitRange maximum (the API server would reject the pod otherwise).
for lr in by_kind.get("LimitRange", []):
    for item in lr["spec"].get("limits", []):
        if item.get("type") != "Container":
            continue
        for d, tpl, _, _ in templates:
            for c in tpl["spec"]["containers"] + (tpl["spec"].get("initContainers") or []):
                for r, ceiling in (item.get("max") or {}).items():
                    value = ((c.get("resources") or {}).get("limits") or {}).get(r)
                    if value is not None and qty(value) > qty(ceiling):
                        fail(f"{ident(d)} container {c['name']}: limits.{r} {value} above {ident(lr)} max {ceiling}")

# --- HPA, PDB --------------------------------------------------------------------------------------
for h in by_kind.get("HorizontalPodAutoscaler", []):
    ref = h["spec"]["scaleTargetRef"]
    target = get(ref["kind"], ref["name"])
    lo, hi = h["spec"].get("minReplicas", 1), h["spec"]["maxReplicas"]
    if target is None or group_of(target["apiVersion"]) != group_of(ref["apiVersion"]):
        fail(f"{ident(h)}: scaleTargetRef {ref['apiVersion']} {ref['kind']}/{ref['name']} is not rendered here")
        continue
    if (ref["kind"], ref["name"]) in rollout_refs:
        fail(f"{ident(h)}: scales {ref['kind']}/{ref['name']}, which only feeds a Rollout; target the Rollout")
    if not lo <= replicas_of(target) <= hi:
        fail(f"{ident(h)}: target replicas {replicas_of(target)} outside minReplicas..maxReplicas {lo}..{hi}")

for p in by_kind.get("PodDisruptionBudget", []):
    selected = live_templates(p["spec"]["selector"])
    if not selected:
        fail(f"{ident(p)}: selects no running workload")
        continue
    # The fewest pods there may be: an HPA may scale down to minReplicas.
    total = 0
    for d, _ in selected:
        h = hpa_targets.get((d["kind"], d["metadata"]["name"]))
        total += min(replicas_of(d), h["spec"].get("minReplicas", 1)) if h else replicas_of(d)
    spec = p["spec"]
    if "minAvailable" in spec:
        need = ceil_frac(spec["minAvailable"], total, 0)
        if need >= total:
            fail(f"{ident(p)}: minAvailable {spec['minAvailable']} with {total} pod(s) never allows an eviction "
                 "(node drains would hang)")
    elif "maxUnavailable" in spec:
        if ceil_frac(spec["maxUnavailable"], total, 0) < 1:
            fail(f"{ident(p)}: maxUnavailable {spec['maxUnavailable']} never allows an eviction")

# --- Services, Ingress, NetworkPolicy ---------------------------------------------------------------
services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
for s in services.values():
    selected = live_templates({"matchLabels": s["spec"].get("selector") or {}})
    if not selected:
        fail(f"{ident(s)}: selector matches no running workload")
    for port in s["spec"].get("ports", []):
        tp = port.get("targetPort", port["port"])
        if isinstance(tp, str):
            for d, t in selected:
                names = {cp.get("name") for c in t["spec"]["containers"] for cp in c.get("ports") or []}
                if tp not in names:
                    fail(f"{ident(s)}: targetPort {tp!r} is not a container port of {ident(d)}")

for ing in by_kind.get("Ingress", []):
    spec = ing["spec"]
    if not spec.get("ingressClassName"):
        fail(f"{ident(ing)}: no ingressClassName")
    tls_hosts = {h for t in spec.get("tls") or [] for h in t.get("hosts") or []}
    for rule in spec.get("rules", []):
        if rule.get("host") not in tls_hosts:
            fail(f"{ident(ing)}: host {rule.get('host')} has no TLS entry")
        for path in (rule.get("http") or {}).get("paths", []):
            backend = path["backend"]["service"]
            svc = services.get(backend["name"])
            if svc is None:
                fail(f"{ident(ing)}: backend Service {backend['name']} not defined here")
                continue
            port = backend["port"]
            if not any(p.get("name") == port.get("name") if "name" in port else p["port"] == port.get("number")
                       for p in svc["spec"]["ports"]):
                fail(f"{ident(ing)}: Service {backend['name']} has no port {port}")

if not any(n["spec"].get("podSelector") == {} and set(n["spec"].get("policyTypes") or []) == {"Ingress", "Egress"}
           and not n["spec"].get("ingress") and not n["spec"].get("egress")
           for n in by_kind.get("NetworkPolicy", [])):
    fail("no default-deny NetworkPolicy (podSelector {}, policyTypes Ingress+Egress, no rules)")

# --- custom resources: structure (k8s_custom_resources.py) ---------------------------------------
k8s_custom_resources.check_all(docs, CRDS, {
    "fail": fail, "get": get, "ident": ident, "replicas_of": replicas_of, "matches": matches,
    "services": services, "templates": templates})

# --- report ---------------------------------------------------------------------------------------
skipped_kinds = ", ".join(sorted(k for k, _ in skipped)) or "none"
if problems:
    for p in problems:
        print(f"FAIL {overlay}: {p}", file=sys.stderr)
    print(f"{overlay}: FAILED, {len(problems)} problem(s)")
    sys.exit(1)
print(f"{overlay}: OK, {len(docs)} objects valid against Kubernetes {k8s_version} (strict); "
      f"skipped by kubernetes-validate, checked structurally: {skipped_kinds}; {summary_fit}")
