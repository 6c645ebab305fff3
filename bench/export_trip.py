"""Helpers for bench/export.sh.

  export_trip.py document ITEMS            a travelsense.trip v1 document with ITEMS items on stdout
  export_trip.py measure BASE TOKEN TRIP FORMAT RUNS PID
      requests FORMAT as an export job RUNS times (polling every 20 ms) and, for the text formats,
      fetches GET /v1/trips/TRIP/export.FORMAT RUNS times; prints one line of key=value figures.
      Memory: PID's VmHWM after the first job minus its VmRSS just before requesting it (the peak
      is reset to the current RSS first through /proc/PID/clear_refs when the kernel allows it).
"""
import datetime
import http.client
import json
import random
import statistics
import sys
import time
import urllib.parse

DIRECT = {"json", "ics", "gpx", "kml", "csv"}


def document(count):
    rnd = random.Random(2000 + count)  # the same trip every run
    start = datetime.date(2027, 6, 1)
    days = 14
    places = [("Café Zürich", 47.3717, 8.5423), ("Uetliberg", 47.3493, 8.4913), ("Landesmuseum", 47.3790, 8.5405),
              ("Lindenhof", 47.3730, 8.5408), ("Grossmünster", 47.3701, 8.5440), ("Kunsthaus", 47.3703, 8.5481),
              ("Bahnhof Stadelhofen", 47.3667, 8.5487), ("Rigiblick", 47.3885, 8.5545), ("東京 Ramen", 47.3770, 8.5330)]
    words = ("walk along the lake, buy tickets at the desk, bring a jacket, Café Zürich — 東京 style ramen nearby, "
             "ask for the terrace table, cash only after 18:00, meet Zoë at the tram stop, Grüezi!").split(" ")
    items = []
    for i in range(count):
        day = start + datetime.timedelta(days=i * days // count)
        name, lat, lon = places[i % len(places)]
        notes = " ".join(rnd.choice(words) for _ in range(rnd.randint(18, 50)))[:300]
        item = {"ref": f"i{i}", "title": f"{name} #{i}", "day": day.isoformat(), "notes": notes,
                "cost": {"amount": rnd.randint(500, 25000), "currency": "CHF"}}
        minute = 6 * 60 + (i * 7) % (16 * 60)
        if i % 50 == 7:  # a lodging spanning two nights
            check_in = min(day, start + datetime.timedelta(days=days - 3))
            item.update(kind="lodging", check_in=check_in.isoformat(),
                        check_out=(check_in + datetime.timedelta(days=2)).isoformat(),
                        place={"name": f"Hotel {name}", "lat": lat, "lon": lon}, confirmation_code=f"HZ-{i:05d}")
            del item["day"]
        elif i % 10 == 3:
            item.update(kind="transport", mode="train", carrier="SBB", number=f"IR {i % 90 + 10}",
                        start_time=f"{minute // 60:02d}:{minute % 60:02d}",
                        end_time=f"{(minute + 25) // 60:02d}:{(minute + 25) % 60:02d}",
                        **{"from": {"name": name, "lat": lat, "lon": lon},
                           "to": {"name": "Luzern", "lat": 47.0502, "lon": 8.3093}})
        else:
            end = minute + rnd.choice((30, 45, 60, 90))
            item.update(kind="food" if i % 4 == 1 else "activity", start_time=f"{minute // 60:02d}:{minute % 60:02d}",
                        end_time=f"{end // 60:02d}:{end % 60:02d}",
                        place={"name": name, "lat": round(lat + rnd.uniform(-0.01, 0.01), 6),
                               "lon": round(lon + rnd.uniform(-0.01, 0.01), 6)})
        items.append(item)
    return {"format": "travelsense.trip", "version": 1, "exported_at": "2027-05-01T10:00:00Z",
            "trip": {"title": f"Zürich & Alps — {count} stops", "description": "Bench trip: Café Zürich — 東京",
                     "start_date": start.isoformat(), "end_date": (start + datetime.timedelta(days=days - 1)).isoformat(),
                     "timezone": "Europe/Zurich", "currency": "CHF",
                     "destination": {"name": "Zürich", "lat": 47.3769, "lon": 8.5417}},
            "items": items, "expenses": [], "checklists": [], "people": []}


class Client:
    def __init__(self, base, token):
        self.netloc = urllib.parse.urlsplit(base).netloc
        self.headers = {"Authorization": "Bearer " + token}
        self.conn = http.client.HTTPConnection(self.netloc, timeout=600)

    def call(self, method, path, body=None):
        headers = dict(self.headers)
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):  # one reconnect if the server closed a kept-alive connection
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.netloc, timeout=600)
                if attempt == 2:
                    raise


def proc_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/{pid}/status")


def reset_peak(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")  # VmHWM := VmRSS (Linux ≥ 4.0)
        return True
    except OSError:
        return False


def stamp(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def job(client, trip, fmt):
    started = time.monotonic()
    status, body = client.call("POST", f"/v1/trips/{trip}/exports", {"format": fmt})
    if status != 202:
        raise SystemExit(f"POST exports {fmt}: {status} {body[:300]!r}")
    export = json.loads(body)["id"]
    while True:
        status, body = client.call("GET", f"/v1/exports/{export}")
        view = json.loads(body)
        if status != 200 or view["status"] == "failed":
            raise SystemExit(f"export {fmt} {export} failed: {status} {view.get('error') or view}")
        if view["status"] == "ready":
            wall = (time.monotonic() - started) * 1000
            return (stamp(view["finished_at"]) - stamp(view["created_at"])).total_seconds() * 1000, wall, view["size"]
        time.sleep(0.02)


def measure(base, token, trip, fmt, runs, pid):
    client = Client(base, token)
    client.call("GET", "/readyz")  # the connection is open before the baseline is read
    exact = reset_peak(pid)
    before = proc_kib(pid, "VmRSS")
    jobs = [job(client, trip, fmt)]
    peak = proc_kib(pid, "VmHWM")
    jobs += [job(client, trip, fmt) for _ in range(runs - 1)]
    figures = {"job_ms": statistics.median(j[0] for j in jobs), "wall_ms": statistics.median(j[1] for j in jobs),
               "bytes": jobs[0][2], "rss_before_mib": before / 1024, "added_mib": (peak - before) / 1024,
               "peak_reset": "yes" if exact else "no"}
    if fmt in DIRECT:
        times = []
        for _ in range(runs):
            started = time.monotonic()
            status, body = client.call("GET", f"/v1/trips/{trip}/export.{fmt}")
            times.append((time.monotonic() - started) * 1000)
            if status != 200:
                raise SystemExit(f"GET export.{fmt}: {status} {body[:300]!r}")
        figures["direct_ms"] = statistics.median(times)
        figures["direct_bytes"] = len(body)
    print(" ".join(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    if sys.argv[1] == "document":
        json.dump(document(int(sys.argv[2])), sys.stdout, ensure_ascii=False)
    else:
        base, token, trip, fmt, runs, pid = sys.argv[2:8]
        measure(base, token, trip, fmt, int(runs), int(pid))
