"""The AI gateway's added latency and streaming throughput (bench/ai-gateway.sh runs it).

usage: ai_gateway.py UPSTREAM_BASE GATEWAY_BASE TOKEN N STREAM_WORDS STREAM_RUNS

Latency: N non-streamed completions straight to the upstream and N through the gateway, over one
keep-alive connection each, interleaved in blocks of 100 so drift on this noisy machine hits both
sides alike; each request carries a unique prompt (no cache hit) at the default temperature.
Streaming: STREAM_RUNS streamed completions of STREAM_WORDS tokens each (scripted on the upstream),
directly and through the gateway; tokens/s = content events / (time from request to `data: [DONE]`).
Prints `key=value` lines.
"""

import http.client
import json
import statistics
import sys
import time
import urllib.parse


def connection(base):
    u = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60), u.path.rstrip("/")


def post(conn, path, body, headers):
    data = json.dumps(body).encode()
    conn.request("POST", path, body=data, headers={"Content-Type": "application/json", **headers})
    return conn.getresponse()


def timed_completion(conn, path, headers, i):
    body = {"model": "fake-small", "messages": [{"role": "user", "content": "bench request %d" % i}]}
    start = time.perf_counter_ns()
    r = post(conn, path, body, headers)
    data = r.read()
    elapsed = time.perf_counter_ns() - start
    if r.status != 200:
        sys.exit("HTTP %d: %s" % (r.status, data[:300]))
    return elapsed / 1e6


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def streamed(conn, path, headers, control, words):
    control.request("POST", "/__script", body=json.dumps([{"reply": " ".join(["tok"] * words)}]),
                    headers={"Content-Type": "application/json"})
    control.getresponse().read()
    body = {"model": "fake-small", "stream": True, "messages": [{"role": "user", "content": "stream"}]}
    start = time.perf_counter()
    r = post(conn, path, body, headers)
    tokens, done, buffer = 0, False, b""
    while not done:
        piece = r.read1(65536) if hasattr(r, "read1") else r.read(65536)
        if not piece:
            break
        buffer += piece
        while b"\n\n" in buffer:
            event, buffer = buffer.split(b"\n\n", 1)
            if event == b"data: [DONE]":
                done = True
                break
            if event.startswith(b"data: "):
                obj = json.loads(event[6:])
                for c in obj.get("choices") or []:
                    if (c.get("delta") or {}).get("content"):
                        tokens += 1
    r.read()
    elapsed = time.perf_counter() - start
    if not done or tokens < words:
        sys.exit("stream ended early: %d of %d tokens" % (tokens, words))
    return tokens / elapsed


def main():
    upstream, gateway, token, n, words, runs = sys.argv[1:7]
    n, words, runs = int(n), int(words), int(runs)
    up, up_path = connection(upstream)
    gw, gw_path = connection(gateway)
    control, _ = connection(upstream)
    auth = {"Authorization": "Bearer " + token}
    for i in range(200):  # warm-up: connections, pools, caches of both
        timed_completion(up, up_path + "/chat/completions", {}, -i)
        timed_completion(gw, gw_path + "/chat/completions", auth, -i)
    direct, proxied = [], []
    i = 0
    while len(direct) < n:
        for _ in range(100):
            i += 1
            direct.append(timed_completion(up, up_path + "/chat/completions", {}, i))
        for _ in range(100):
            i += 1
            proxied.append(timed_completion(gw, gw_path + "/chat/completions", auth, i))
    print("requests=%d" % len(direct))
    for name, values in (("direct", direct), ("gateway", proxied)):
        print("%s_p50_ms=%.3f" % (name, percentile(values, 50)))
        print("%s_p99_ms=%.3f" % (name, percentile(values, 99)))
    print("added_p50_ms=%.3f" % (percentile(proxied, 50) - percentile(direct, 50)))
    print("added_p99_ms=%.3f" % (percentile(proxied, 99) - percentile(direct, 99)))

    direct_rates, gateway_rates = [], []
    for _ in range(runs):
        direct_rates.append(streamed(up, up_path + "/chat/completions", {}, control, words))
        gateway_rates.append(streamed(gw, gw_path + "/chat/completions", auth, control, words))
    print("stream_tokens=%d" % words)
    print("direct_tokens_per_s=%.0f" % statistics.median(direct_rates))
    print("gateway_tokens_per_s=%.0f" % statistics.median(gateway_rates))
    print("stream_ratio=%.2f" % (statistics.median(gateway_rates) / statistics.median(direct_rates)))


main()
