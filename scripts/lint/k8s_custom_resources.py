"""Structural checks of the custom resources kubernetes-validate has no schema for (Argo Rollouts'
Rollout and AnalysisTemplate, the Prometheus operator's PrometheusRule and ServiceMonitor). Used by
k8s_checks.py, which hands over its helpers with `check_all`."""
import re

# Bound by check_all to k8s_checks.py's: report a problem, look an object up, name an object, a
# workload's replica count, match a label selector; the rendered Services by name and the workloads'
# pod templates as (workload, template, peak pods, steady pods).
fail = get = ident = replicas_of = matches = None
services = {}
templates = []


# --- structure --------------------------------------------------------------
DURATION = re.compile(r"^(0|([0-9]+(ms|s|m|h|d|w|y))+)$")
RUNBOOK = "https://github.com/travelsense/travelsense/blob/main/docs/operations.md#"
CANARY_WEIGHTS = [5, 25, 50, 100]


def balanced(expr):
    pairs, stack, quote = {")": "(", "]": "[", "}": "{"}, [], None
    for ch in expr:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "\"'`":
            quote = ch
        elif ch in "([{":
            stack.append(ch)
        elif ch in pairs:
            if not stack or stack.pop() != pairs[ch]:
                return False
    return not stack and quote is None


# What the application exports (plus Prometheus' own `up`): a query naming anything else is a typo
# that would silently never fire.
KNOWN_METRICS = {
    "up",
    "http_requests_total", "http_request_duration_seconds_bucket", "http_request_duration_seconds_sum",
    "http_request_duration_seconds_count", "http_load_shed_total", "http_handler_queue_depth",
    "http_handler_busy_threads", "http_open_connections",
    "jobs_queue_depth", "jobs_runs_total", "jobs_discarded_total",
    "pg_pool_connections", "pg_pool_connections_in_use", "pg_pool_connections_max",
    "pg_pool_acquire_timeouts_total", "redis_errors_total",
}


def unknown_metrics(expr):
    return set(re.findall(r"\b([A-Za-z_:][A-Za-z0-9_:]*)\s*\{", expr)) - KNOWN_METRICS


def check_prometheus_rule(d):
    groups = (d.get("spec") or {}).get("groups") or []
    if not groups:
        fail(f"{ident(d)}: spec.groups is empty")
    seen_groups, seen_alerts = set(), set()
    for g in groups:
        if not g.get("name") or g["name"] in seen_groups:
            fail(f"{ident(d)}: group name missing or duplicated: {g.get('name')!r}")
        seen_groups.add(g.get("name"))
        if not g.get("rules"):
            fail(f"{ident(d)}: group {g.get('name')} has no rules")
        for r in g.get("rules") or []:
            name = r.get("alert") or r.get("record")
            if bool(r.get("alert")) == bool(r.get("record")):
                fail(f"{ident(d)}: a rule needs exactly one of alert/record: {r}")
                continue
            expr = r.get("expr")
            if not isinstance(expr, str) or not expr.strip() or not balanced(expr):
                fail(f"{ident(d)} {name}: expr missing or unbalanced")
            elif unknown_metrics(expr):
                fail(f"{ident(d)} {name}: unknown metric(s) {sorted(unknown_metrics(expr))}")
            if "for" in r and not DURATION.match(str(r["for"])):
                fail(f"{ident(d)} {name}: bad duration for: {r['for']!r}")
            if r.get("record"):
                continue
            if name in seen_alerts:
                fail(f"{ident(d)}: alert {name} defined twice")
            seen_alerts.add(name)
            if (r.get("labels") or {}).get("severity") not in ("critical", "warning", "info"):
                fail(f"{ident(d)} {name}: labels.severity must be critical, warning or info")
            ann = r.get("annotations") or {}
            if not ann.get("summary"):
                fail(f"{ident(d)} {name}: annotations.summary missing")
            if ann.get("runbook_url") != RUNBOOK + name.lower():
                fail(f"{ident(d)} {name}: runbook_url must be {RUNBOOK + name.lower()}")


def check_service_monitor(d):
    spec = d.get("spec") or {}
    selector = spec.get("selector") or {}
    matched = [s for s in services.values() if matches(selector, s["metadata"].get("labels") or {})]
    if not matched:
        fail(f"{ident(d)}: selector matches no Service")
    endpoints = spec.get("endpoints") or []
    if not endpoints:
        fail(f"{ident(d)}: no endpoints")
    for ep in endpoints:
        if not ep.get("port"):
            fail(f"{ident(d)}: endpoint without a named port")
        if not str(ep.get("path", "/metrics")).startswith("/"):
            fail(f"{ident(d)}: endpoint path must start with /")
        for key in ("interval", "scrapeTimeout"):
            if key in ep and not DURATION.match(str(ep[key])):
                fail(f"{ident(d)}: bad {key} {ep[key]!r}")
        for s in matched:
            if ep.get("port") not in {p.get("name") for p in s["spec"]["ports"]}:
                fail(f"{ident(d)}: Service {s['metadata']['name']} has no port named {ep.get('port')!r}")
    # Every long-running workload serving metrics (a container port named like the endpoint) is scraped.
    ports = {ep.get("port") for ep in endpoints}
    for w, t, peak, steady in templates:
        if w["kind"] in ("Job", "CronJob", "Pod") or steady == 0:
            continue
        if not any(cp.get("name") in ports for c in t["spec"]["containers"] for cp in c.get("ports") or []):
            continue
        labels = (t.get("metadata") or {}).get("labels") or {}
        if not any(matches({"matchLabels": s["spec"].get("selector") or {}}, labels) for s in matched):
            fail(f"{ident(d)}: does not scrape {ident(w)}")


def placeholders(obj):
    """The {{args.NAME}} names used in any string inside obj."""
    if isinstance(obj, str):
        return set(re.findall(r"\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}", obj))
    items = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, list) else []
    return set().union(*(placeholders(i) for i in items))


def check_analysis_template(d):
    spec = d.get("spec") or {}
    declared = {a.get("name") for a in spec.get("args") or []}
    metrics = spec.get("metrics") or []
    if not metrics:
        fail(f"{ident(d)}: spec.metrics is empty")
    for m in metrics:
        where = f"{ident(d)} metric {m.get('name')!r}"
        if not m.get("name"):
            fail(f"{ident(d)}: metric without a name")
        if not (m.get("successCondition") or m.get("failureCondition")):
            fail(f"{where}: needs successCondition or failureCondition")
        if "failureLimit" not in m or not isinstance(m["failureLimit"], int) or m["failureLimit"] < 0:
            fail(f"{where}: failureLimit must be a non-negative integer")
        if not DURATION.match(str(m.get("interval", ""))):
            fail(f"{where}: interval missing or not a duration")
        provider = m.get("provider") or {}
        if len(provider) != 1:
            fail(f"{where}: exactly one provider expected, got {sorted(provider)}")
        web = provider.get("web")
        if web is not None:
            if not re.match(r"^https?://[^/]+/", str(web.get("url", ""))):
                fail(f"{where}: web.url must be an http(s) URL with a path")
            if not str(web.get("jsonPath", "")).startswith("{$"):
                fail(f"{where}: web.jsonPath must select from the answer, e.g. {{$.status}}")
        prom = provider.get("prometheus")
        if prom is not None:
            if not re.match(r"^https?://", str(prom.get("address", ""))):
                fail(f"{where}: prometheus.address must be an http(s) URL")
            if not str(prom.get("query", "")).strip() or not balanced(prom["query"]):
                fail(f"{where}: prometheus.query missing or unbalanced")
            elif unknown_metrics(prom["query"]):
                fail(f"{where}: unknown metric(s) {sorted(unknown_metrics(prom['query']))}")
    for p in placeholders(spec.get("metrics")) - declared:
        fail(f"{ident(d)}: uses {{{{args.{p}}}}} but declares no such arg")


def check_rollout(d):
    spec = d.get("spec") or {}
    if bool(spec.get("template")) == bool(spec.get("workloadRef")):
        fail(f"{ident(d)}: needs exactly one of spec.template and spec.workloadRef")
    if not (spec.get("selector") or {}).get("matchLabels"):
        fail(f"{ident(d)}: spec.selector.matchLabels missing")
    ref = spec.get("workloadRef")
    if ref:
        target = get(ref.get("kind"), ref.get("name"))
        if target is None or target["apiVersion"] != ref.get("apiVersion"):
            fail(f"{ident(d)}: workloadRef {ref} is not rendered here")
        elif replicas_of(target) != 0:
            fail(f"{ident(d)}: workloadRef {ident(target)} must be declared with replicas: 0 "
                 "(it only provides the pod template; otherwise it runs pods next to the Rollout)")
        if ref.get("scaleDown", "never") not in ("never", "onsuccess", "progressively"):
            fail(f"{ident(d)}: workloadRef.scaleDown {ref.get('scaleDown')!r}")
    strategy = spec.get("strategy") or {}
    if "blueGreen" in strategy:
        check_blue_green(d, strategy["blueGreen"])
        return
    canary = strategy.get("canary")
    if not canary:
        fail(f"{ident(d)}: strategy.canary or strategy.blueGreen missing")
        return
    for key in ("stableService", "canaryService"):
        if canary.get(key) not in services:
            fail(f"{ident(d)}: {key} {canary.get(key)!r} is not a Service rendered here")
    if canary.get("stableService") == canary.get("canaryService"):
        fail(f"{ident(d)}: stableService and canaryService must differ")
    nginx = (canary.get("trafficRouting") or {}).get("nginx")
    if not nginx:
        fail(f"{ident(d)}: trafficRouting.nginx missing")
    else:
        ing = get("Ingress", nginx.get("stableIngress"))
        if ing is None:
            fail(f"{ident(d)}: stableIngress {nginx.get('stableIngress')!r} is not rendered here")
        else:
            backends = {p["backend"]["service"]["name"] for r in ing["spec"].get("rules", [])
                        for p in (r.get("http") or {}).get("paths", [])}
            if backends != {canary.get("stableService")}:
                fail(f"{ident(d)}: stableIngress must route only to stableService, routes to {sorted(backends)}")
    steps = canary.get("steps") or []
    weights = [s["setWeight"] for s in steps if "setWeight" in s]
    if weights != CANARY_WEIGHTS:
        fail(f"{ident(d)}: canary setWeight steps are {weights}, expected {CANARY_WEIGHTS}")
    # The first weight must be followed by an analysis step before the next weight (or a background
    # analysis must run), so that a bad canary is caught at 5 %.
    first = next((i for i, st in enumerate(steps) if "setWeight" in st), None)
    if first is not None and not canary.get("analysis"):
        following = []
        for st in steps[first + 1:]:
            if "setWeight" in st:
                break
            following.append(st)
        if not any("analysis" in st for st in following):
            fail(f"{ident(d)}: no analysis between setWeight {steps[first]['setWeight']} and the next weight")
    # Every analysis (inline steps, background) names existing templates and supplies their args.
    analyses = [(st["analysis"], True) for st in steps if "analysis" in st]
    if canary.get("analysis"):
        analyses.append((canary["analysis"], False))
    if not analyses:
        fail(f"{ident(d)}: no analysis: a bad canary would never be aborted automatically")
    check_analyses(d, analyses)


def check_blue_green(d, bg):
    """Blue-green: distinct active and preview Services, a pre-promotion analysis that gates an automatic
    promotion, and the old stack kept up for a while so a rollback is a selector switch."""
    for key in ("activeService", "previewService"):
        if bg.get(key) not in services:
            fail(f"{ident(d)}: {key} {bg.get(key)!r} is not a Service rendered here")
    if bg.get("activeService") == bg.get("previewService"):
        fail(f"{ident(d)}: activeService and previewService must differ")
    analysis = bg.get("prePromotionAnalysis")
    if not analysis:
        fail(f"{ident(d)}: no prePromotionAnalysis: a broken green stack would be promoted")
    else:
        check_analyses(d, [(analysis, True)])
    if int(bg.get("scaleDownDelaySeconds", 30)) < 60:
        fail(f"{ident(d)}: scaleDownDelaySeconds below 60 leaves no window for an instant switch back")


def check_analyses(d, analyses):
    """Each (analysis, runs-to-completion) names rendered templates, supplies their args, and, when it
    gates a step, has metrics with a count so it finishes."""
    for a, inline in analyses:
        given = {arg["name"] for arg in a.get("args") or []}
        for t in a.get("templates") or []:
            tmpl = get("AnalysisTemplate", t.get("templateName"))
            if tmpl is None:
                fail(f"{ident(d)}: AnalysisTemplate {t.get('templateName')!r} is not rendered here")
                continue
            for arg in tmpl["spec"].get("args") or []:
                if "value" not in arg and "valueFrom" not in arg and arg["name"] not in given:
                    fail(f"{ident(d)}: analysis with {ident(tmpl)} does not supply arg {arg['name']}")
            if inline:
                for m in tmpl["spec"].get("metrics") or []:
                    if "count" not in m:
                        fail(f"{ident(tmpl)} metric {m.get('name')}: used as a step, so it needs a count "
                             "(or the step never finishes)")


STRUCTURAL = {"Rollout": check_rollout, "AnalysisTemplate": check_analysis_template,
              "PrometheusRule": check_prometheus_rule, "ServiceMonitor": check_service_monitor}


def check_all(docs, crds, helpers):
    """Checks every rendered object whose (kind, apiVersion) is in `crds`."""
    globals().update(helpers)
    for d in docs:
        if (d.get("kind"), d.get("apiVersion")) in crds:
            STRUCTURAL[d["kind"]](d)
