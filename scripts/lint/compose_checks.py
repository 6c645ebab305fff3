#!/usr/bin/env python3
"""Consistency checks across Dockerfile, Compose files, CI workflow and deploy/ files (run from the
repository root, as containers.sh does)."""
import ipaddress
import os
import re
import sys

import yaml

problems = []


def problem(where, message):
    problems.append(f"{where}: {message}")


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)  # resolves the << merge keys the Compose files use


def env_of(service):
    env = service.get("environment") or {}
    if isinstance(env, list):  # KEY=value list form
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {k: ("" if v is None else str(v)) for k, v in env.items()}


def names(value):
    """Entries of a short-or-long-syntax list (secrets, networks, depends_on) as names."""
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value)
    return [v if isinstance(v, str) else v.get("source") for v in value]


def seconds(text):
    m = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(text))
    if not m or not any(m.groups()):
        return None
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


dockerfile = open("Dockerfile").read()
m = re.search(r"^ARG SWIFT_IMAGE=(\S+)$", dockerfile, re.M)
swift_image = m.group(1) if m else None
if not swift_image:
    problem("Dockerfile", "no `ARG SWIFT_IMAGE=<image>` default")
if not re.search(r"^HEALTHCHECK ", dockerfile, re.M):
    problem("Dockerfile", "the runtime image has no HEALTHCHECK (the Compose files rely on it)")
users = re.findall(r"^USER (\S+)", dockerfile, re.M)
if not users or not re.fullmatch(r"[1-9]\d*:[1-9]\d*", users[-1]):
    problem("Dockerfile", "the last USER must be a numeric non-root uid:gid")


def runtime_image(service):
    """The production image, which brings its own HEALTHCHECK (the dev stage has none)."""
    return "TRAVELSENSE_IMAGE" in str(service.get("image", ""))


def check_compose(path, prod):
    doc = load(path)
    services = doc.get("services") or {}
    declared = {
        kind: set((doc.get(kind) or {}).keys()) for kind in ("secrets", "volumes", "networks")
    }
    used_secrets = set()
    for name, svc in services.items():
        where = f"{path}: service {name}"
        env = env_of(svc)
        svc_secrets = set(names(svc.get("secrets")))
        used_secrets |= svc_secrets
        for s in svc_secrets - declared["secrets"]:
            problem(where, f"uses secret {s!r}, which is not declared under top-level secrets")
        nets = svc.get("networks")
        for n in names(nets):
            if n not in declared["networks"]:
                problem(where, f"joins network {n!r}, which is not declared")
        for v in svc.get("volumes") or []:
            if isinstance(v, str):
                source = v.split(":", 1)[0]
                kind = "bind" if source.startswith((".", "/")) else "volume"
            else:
                source, kind = v.get("source"), v.get("type")
            if kind == "volume" and source not in declared["volumes"]:
                problem(where, f"mounts volume {source!r}, which is not declared")
            if kind == "bind" and not os.path.exists(source):
                problem(where, f"bind-mounts {source!r}, which does not exist")
        # Every NAME_FILE names a secret this service mounts, at its /run/secrets path.
        for key, value in env.items():
            if not key.endswith("_FILE"):
                continue
            m = re.fullmatch(r"/run/secrets/([A-Za-z0-9_.-]+)", value)
            if not m:
                problem(where, f"{key}={value!r} does not point into /run/secrets/")
            elif m.group(1) not in declared["secrets"]:
                problem(where, f"{key} points at {m.group(1)!r}, which is not a declared secret")
            elif m.group(1) not in svc_secrets:
                problem(where, f"{key} points at secret {m.group(1)!r}, which this service does not mount")
        # depends_on targets exist and can satisfy their condition.
        depends = svc.get("depends_on") or {}
        if isinstance(depends, list):
            depends = {d: {"condition": "service_started"} for d in depends}
        for target, spec in depends.items():
            if target not in services:
                problem(where, f"depends on {target!r}, which is not a service")
                continue
            condition = (spec or {}).get("condition", "service_started")
            other = services[target]
            if condition == "service_healthy" and "healthcheck" not in other and not runtime_image(other):
                problem(where, f"waits for {target!r} to be healthy, but it has no healthcheck")
            if condition == "service_completed_successfully" and str(other.get("restart", "no")) != "no":
                problem(where, f"waits for {target!r} to complete, but it restarts (restart must be \"no\")")
        if runtime_image(svc) and str(svc.get("user", "")) in ("root", "0", "0:0"):
            problem(where, "runs the application as root")
    for s in declared["secrets"] - used_secrets:
        problem(path, f"secret {s!r} is declared but no service uses it")
    if prod:
        check_prod(path, doc, services)


SENSITIVE = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|_KEYS?$|_KEY_ID$|^DATABASE_URL$|^REDIS_URL$|^SMTP_URL$)")
URL_CREDENTIALS = re.compile(r"[a-z][a-z0-9+.-]*://[^/@\s:]*:[^/@\s]+@", re.I)


def check_prod(path, doc, services):
    # No secret values in the file: sensitive names only as NAME_FILE, no credentials in URLs or commands.
    for name, svc in services.items():
        where = f"{path}: service {name}"
        for key, value in env_of(svc).items():
            if key.endswith("_FILE"):
                continue
            if SENSITIVE.search(key) and value:
                problem(where, f"{key} holds a value; pass secrets as {key}_FILE and a secret")
            if URL_CREDENTIALS.search(value):
                problem(where, f"{key} has credentials in a URL")
        command = svc.get("command") or []
        text = " ".join(command) if isinstance(command, list) else str(command)
        if re.search(r"requirepass\s+[^$\s]", text) or URL_CREDENTIALS.search(text):
            problem(where, "the command contains a literal password")
    # Secret files live in the git-ignored secrets/ directory, each with a fake example beside it.
    for name, spec in (doc.get("secrets") or {}).items():
        source = (spec or {}).get("file", "")
        if not source.startswith("./deploy/compose/secrets/"):
            problem(path, f"secret {name!r} is not a file under ./deploy/compose/secrets/")
            continue
        example = os.path.join("deploy/compose/secrets.example", os.path.basename(source))
        if not os.path.isfile(example):
            problem(path, f"secret {name!r} has no example file {example}")
        elif "EXAMPLE-ONLY" not in open(example).read():
            problem(example, "example secrets must say EXAMPLE-ONLY so nobody mistakes them for real ones")
    # nginx renders deploy/nginx/nginx.conf as an envsubst template into /etc/nginx/nginx.conf.
    nginx = services.get("nginx")
    if not nginx:
        problem(path, "no nginx service")
        return
    mounts = {}
    for v in nginx.get("volumes") or []:
        if isinstance(v, str):
            parts = v.split(":")
            mounts[parts[1]] = parts[0]
        else:
            mounts[v.get("target")] = v.get("source")
    template_target = "/etc/nginx/templates/nginx.conf.template"
    if os.path.normpath(mounts.get(template_target, "")) != "deploy/nginx/nginx.conf":
        problem(path, f"nginx must mount ./deploy/nginx/nginx.conf at {template_target}")
    nginx_env = env_of(nginx)
    if nginx_env.get("NGINX_ENVSUBST_OUTPUT_DIR") != "/etc/nginx":
        problem(path, "nginx needs NGINX_ENVSUBST_OUTPUT_DIR=/etc/nginx to render nginx.conf itself")
    if os.path.isfile("deploy/nginx/nginx.conf"):
        variables = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)\}", open("deploy/nginx/nginx.conf").read()))
        for var in sorted(variables - set(nginx_env)):
            problem(path, f"deploy/nginx/nginx.conf uses ${{{var}}}, which the nginx service does not set")
    else:
        problem(path, "deploy/nginx/nginx.conf does not exist")
    # The upstream is a service that listens on the port named there.
    for host, port in re.findall(r"server\s+([A-Za-z0-9_.-]+):(\d+)", nginx_env.get("UPSTREAM_SERVERS", "")):
        upstream = services.get(host)
        if not upstream:
            problem(path, f"UPSTREAM_SERVERS names {host!r}, which is not a service")
        elif env_of(upstream).get("PORT", "8080") != port:
            problem(path, f"UPSTREAM_SERVERS uses port {port}, but {host} listens on {env_of(upstream).get('PORT')}")
        elif not set(names(upstream.get("networks"))) & set(names(nginx.get("networks"))):
            problem(path, f"nginx and {host} share no network")
    # TRUSTED_PROXIES is exactly nginx's fixed address, inside its network's subnet.
    nginx_addresses = {}
    for net, spec in (nginx.get("networks") or {}).items() if isinstance(nginx.get("networks"), dict) else []:
        if spec and spec.get("ipv4_address"):
            nginx_addresses[net] = spec["ipv4_address"]
    for net, address in nginx_addresses.items():
        subnets = [c.get("subnet") for c in (((doc.get("networks") or {}).get(net) or {}).get("ipam") or {}).get("config", [])]
        if not any(s and ipaddress.ip_address(address) in ipaddress.ip_network(s) for s in subnets):
            problem(path, f"nginx's address {address} is not inside a fixed subnet of network {net!r}")
    for name, svc in services.items():
        env = env_of(svc)
        if "TRUSTED_PROXIES" not in env:
            continue
        trusted = {t.strip() for t in env["TRUSTED_PROXIES"].split(",") if t.strip()}
        if trusted != set(nginx_addresses.values()):
            problem(path, f"service {name}: TRUSTED_PROXIES={env['TRUSTED_PROXIES']!r} is not nginx's fixed address")
    # Drain time: the container is killed stop_grace_period after SIGTERM.
    for name, svc in services.items():
        env = env_of(svc)
        if "SHUTDOWN_GRACE_PERIOD" in env:
            grace = seconds(svc.get("stop_grace_period", "10s"))
            if grace is None or grace < int(env["SHUTDOWN_GRACE_PERIOD"]) + 5:
                problem(path, f"service {name}: stop_grace_period must exceed SHUTDOWN_GRACE_PERIOD by at least 5 s")


def check_workflow(path):
    doc = load(path)
    text = open(path).read()
    # Exact versions only: vX.Y.Z tags or full commit SHAs, never a branch or a major tag.
    for action, ref in re.findall(r"uses:\s*([^@\s]+)@(\S+)", text):
        if not (re.fullmatch(r"v\d+\.\d+\.\d+", ref) or re.fullmatch(r"[0-9a-f]{40}", ref)):
            problem(path, f"{action}@{ref} is not pinned to an exact release (vX.Y.Z) or a commit SHA")
    if doc.get("permissions") != {"contents": "read"}:
        problem(path, "top-level permissions must be exactly `contents: read`")
    jobs = doc.get("jobs") or {}
    for name, job in jobs.items():
        if "timeout-minutes" not in job:
            problem(path, f"job {name} has no timeout-minutes")
        perms = job.get("permissions") or {}
        if perms.get("security-events") == "write" and name != "scan":
            problem(path, f"job {name} asks for security-events: write (only the scan job uploads SARIF)")
        if perms.get("packages") == "write" and name != "image":
            problem(path, f"job {name} asks for packages: write (only the image job pushes)")
        container = job.get("container")
        image = container.get("image") if isinstance(container, dict) else container
        if image and str(image).startswith("swift:") and image != swift_image:
            problem(path, f"job {name} runs {image}, but the Dockerfile builds with {swift_image}")
    if swift_image:
        expected = swift_image.replace(":", "-")
        for key in re.findall(r"key:\s*(\S+)", text):
            if key.startswith("swift-") and not key.startswith(expected + "-"):
                problem(path, f"cache key {key} does not start with {expected}-")


check_compose("docker-compose.dev.yml", prod=False)
check_compose("docker-compose.prod.yml", prod=True)
check_workflow(".github/workflows/ci.yml")

for p in problems:
    print(f"containers: {p}", file=sys.stderr)
if problems:
    sys.exit(1)
print("ok -- consistency checks passed")
