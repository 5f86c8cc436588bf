"""Load on the public surface: the pages anyone can open and the camera push API, under `dearjohn serve`.

Builds a demo database in a temporary data dir, gives one demo camera an API
token, starts `dearjohn serve` (gunicorn) on 127.0.0.1, and drives it from
this process with N concurrent clients (default 50) for a bounded time and
request count. Requests arrive through the trusted local proxy address with
X-Forwarded-For, as visitors behind the department's reverse proxy would;
each client stands for 20 visitors (addresses) by default, so per-address
rate limits apply as they would to real visitors. The mix per client:

  respond   GET /r/             the letter-response page (target: p95 <= 300 ms)
  submit    GET /submit/        the public submission page
  policy    GET /policy/        the public policy page
  health    GET /healthz        the load balancer's probe
  camera    POST /api/cameras/<id>/captures   a small, unique JPEG each time

It prints requests/second held, p50/p95/p99 latency per kind, the error
rate (anything but 2xx/3xx, and connection failures; 429 answers are counted
apart), and checks the camera API lost and duplicated nothing: every image
sent once and answered 2xx is exactly one capture with exactly one receipt.

    .venv/bin/python bench/public_load.py                       # 50 clients, 30 s
    .venv/bin/python bench/public_load.py --clients 50 --seconds 60 --workers 2
    .venv/bin/python bench/public_load.py --only respond          # the response page alone
"""

import argparse
import http.client
import io
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEARJOHN = [sys.executable, "-m", "dearjohn"]
MIX = [("respond", 40), ("submit", 15), ("policy", 15), ("health", 10), ("camera", 20)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env):
    subprocess.run([*DEARJOHN, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    code = ("import django; django.setup()\n"
            "from dearjohn.evidence.models import Camera\n"
            "camera = Camera.objects.order_by('pk').first(); token = camera.issue_token(); camera.save()\n"
            "print(camera.pk, token)")
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True).stdout.split()
    return int(out[0]), out[1]


def jpeg(marker):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 240), (random.randint(0, 255), 90, 120))
    ImageDraw.Draw(image).text((10, 10), marker, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def multipart(fields, file_bytes):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="cam.jpg"\r\n'
                 f"Content-Type: image/jpeg\r\n\r\n".encode() + file_bytes + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client(threading.Thread):
    def __init__(self, n, args, camera, token, deadline, budget, results):
        super().__init__(daemon=True)
        self.n, self.args, self.camera, self.token = n, args, camera, token
        self.deadline, self.budget, self.results = deadline, budget, results
        # Each client stands for several visitors, so one busy client is not a single flooding address.
        self.addresses = [f"198.18.{(n * args.visitors_per_client + v) // 250 % 256}.{(n * args.visitors_per_client + v) % 250 + 1}"
                          for v in range(args.visitors_per_client)]
        self.rng = random.Random(n)
        self.images = [jpeg(f"bench {n} {i} {uuid.uuid4().hex}") for i in range(args.images_per_client)]

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.args.port, timeout=30)

    def run(self):
        conn = self.connect()
        kinds, weights = zip(*MIX)
        while time.monotonic() < self.deadline and self.budget.take():
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "camera" and not self.images:
                kind = "respond" if weights[0] else "health"
            headers = {"X-Forwarded-For": self.rng.choice(self.addresses)}
            body = None
            if kind == "camera":
                image = self.images.pop()
                body, ctype = multipart({"taken_at": "2026-11-20T22:15:00-08:00"}, image)
                headers.update({"Authorization": f"Bearer {self.token}", "Content-Type": ctype})
                method, path = "POST", f"/api/cameras/{self.camera}/captures"
            else:
                method, path = "GET", {"respond": "/r/", "submit": "/submit/", "policy": "/policy/", "health": "/healthz"}[kind]
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = self.connect()
            except (OSError, http.client.HTTPException):
                status, payload = 0, b""
                conn.close()
                conn = self.connect()
            elapsed = time.perf_counter() - started
            self.results.add(kind, status, elapsed)
            if kind == "camera":
                self.results.camera(image, status, payload)
        conn.close()


class Budget:
    def __init__(self, count):
        self.left, self.lock = count, threading.Lock()

    def take(self):
        with self.lock:
            self.left -= 1
            return self.left >= 0


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = defaultdict(list)
        self.statuses = defaultdict(lambda: defaultdict(int))
        self.sent_images = []

    def add(self, kind, status, elapsed):
        with self.lock:
            self.times[kind].append(elapsed)
            self.statuses[kind][status] += 1

    def camera(self, image, status, payload):
        import hashlib
        with self.lock:
            self.sent_images.append((hashlib.sha256(image).hexdigest(), status))


def server_cpu_seconds(pid):
    """User+system CPU of a process and its children (gunicorn master and workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, stack = 0.0, [pid]
    while stack:
        p = stack.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{p}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def check_camera(env, results):
    accepted = [sha for sha, status in results.sent_images if 200 <= status < 300]
    code = ("import django, json, sys; django.setup()\n"
            "from django.db.models import Count\n"
            "from dearjohn.evidence.models import Capture\n"
            "shas = json.load(sys.stdin)\n"
            "rows = Capture.objects.filter(sha256__in=shas).annotate(n=Count('receipts')).values_list('sha256', 'n')\n"
            "print(json.dumps(dict(rows)))")
    import json
    out = subprocess.run([sys.executable, "-c", code], env=env, input=json.dumps([s for s, _ in results.sent_images]),
                         capture_output=True, text=True, check=True).stdout
    stored = json.loads(out)
    lost = [s for s in accepted if s not in stored]
    duplicated = [s for s, n in stored.items() if n != 1]
    refused_but_stored = [s for s, status in results.sent_images if not 200 <= status < 300 and s in stored]
    return len(results.sent_images), len(accepted), lost, duplicated, refused_but_stored


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=30000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--images-per-client", type=int, default=40)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--visitors-per-client", type=int, default=20, help="addresses each client sends from, in turn")
    parser.add_argument("--only", choices=[kind for kind, _ in MIX], help="drive one kind of request only, e.g. respond")
    args = parser.parse_args()
    if args.only:
        MIX[:] = [(kind, 1 if kind == args.only else 0) for kind, _ in MIX]
    args.port = args.port or free_port()

    data = tempfile.mkdtemp(prefix="dearjohn-bench-public-")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEARJOHN_", "DJANGO_"))}
    env.update({"DEARJOHN_DATA_DIR": data, "DJANGO_SETTINGS_MODULE": "dearjohn.site.settings",
                "DEARJOHN_PROXY_IPS": "127.0.0.1", "DEARJOHN_LOG_LEVEL": "WARNING"})
    print(f"Preparing the demo database in {data} ...", flush=True)
    camera, token = prepare(env)
    server = subprocess.Popen([*DEARJOHN, "serve", "--port", str(args.port), "--workers", str(args.workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        print(f"dearjohn serve: {args.workers} workers x 4 threads on 127.0.0.1:{args.port}, pid {server.pid}; "
              f"{args.clients} clients, at most {args.seconds:g} s / {args.max_requests} requests", flush=True)
        results = Results()
        budget = Budget(args.max_requests)
        clients = [Client(n, args, camera, token, None, budget, results) for n in range(args.clients)]
        cpu_before = server_cpu_seconds(server.pid)
        client_cpu_before = time.process_time()
        started = time.monotonic()
        for c in clients:
            c.deadline = started + args.seconds
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        elapsed = time.monotonic() - started
        server_cpu = server_cpu_seconds(server.pid) - cpu_before
        client_cpu = time.process_time() - client_cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)

    total = sum(len(v) for v in results.times.values())
    errors = sum(n for kind in results.statuses.values() for status, n in kind.items() if status == 0 or status >= 400 and status != 429)
    limited = sum(kind.get(429, 0) for kind in results.statuses.values())
    print(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.0f} requests/second; "
          f"error rate {errors / max(total, 1):.2%} ({errors}); rate-limited (429) {limited}")
    print(f"{'kind':<8} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}  statuses")
    for kind, _ in MIX:
        times = results.times.get(kind, [])
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(results.statuses[kind].items()))
        print(f"{kind:<8} {len(times):>6} {percentile(times, .5) * 1000:>8.1f} {percentile(times, .95) * 1000:>8.1f} "
              f"{percentile(times, .99) * 1000:>8.1f}  {statuses}")
    print(f"\nserver CPU {server_cpu:.1f} s = {server_cpu / max(total, 1) * 1000:.2f} ms per request "
          f"(capacity on 2 dedicated cores ~ {2 * total / max(server_cpu, 1e-9):.0f} req/s); load generator CPU {client_cpu:.1f} s; "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    sent, accepted, lost, duplicated, refused_but_stored = check_camera(env, results)
    print(f"\ncamera API: {sent} images sent once each, {accepted} answered 2xx; lost {len(lost)}, "
          f"stored more than once {len(duplicated)}, refused yet stored {len(refused_but_stored)}")
    respond = results.times.get("respond", [])
    ok = (total / elapsed >= 200 and percentile(respond, .95) <= 0.300 and not lost and not duplicated
          and errors == 0 and limited == 0)
    print("target (>= 200 req/s, response page p95 <= 300 ms, no camera request lost or duplicated):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
