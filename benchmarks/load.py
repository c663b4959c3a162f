"""Load benchmark (issue: robustness): many concurrent clients mixing the query library against `rjkg serve`.

Run on demand, bounded in time and count, loopback only:

    .venv/bin/python benchmarks/load.py --clients 64 --seconds 60

It starts `rjkg serve` on 127.0.0.1 over the published graph/, then runs N client threads that each loop over the
queries in queries/*.rq (shuffled per client, fixed seed) until the time is up; every 10th request of a client is
a "rude" one that sends a query and disconnects before reading the answer. It reports throughput, p50/p99 latency,
errors (any status other than 200 counts, except the rude requests which are not read), and the server's memory
(RSS of the server and its worker processes, sampled every second) at the start, peak and end, plus the number of
open file descriptors of the server before and after (a leak would grow it).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    """RSS of a process and all its descendants (KiB), from /proc."""
    total = 0
    pids = [pid]
    seen = set()
    while pids:
        p = pids.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for child in Path(f"/proc/{p}/task").iterdir():
                kids = Path(f"/proc/{p}/task/{child.name}/children").read_text().split()
                pids.extend(int(k) for k in kids)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def open_fds(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def wait_ready(port: int, deadline: float) -> None:
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("server did not become ready")


def load_queries() -> list[tuple[str, str]]:
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "queries").glob("*.rq"))]


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.rude = 0

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def error(self, what: str) -> None:
        with self.lock:
            self.errors[what] = self.errors.get(what, 0) + 1


def client(port: int, queries, stop: float, seed: int, stats: Stats) -> None:
    rng = random.Random(seed)
    order = list(queries)
    rng.shuffle(order)
    i = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.time() < stop:
        name, text = order[i % len(order)]
        i += 1
        body = urllib.parse.urlencode({"query": text})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        }
        if i % 10 == 0:  # rude client: send and hang up without reading
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=5)
                req = (
                    f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {headers['Content-Type']}\r\n"
                    f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
                )
                s.sendall(req.encode())
                s.close()
                with stats.lock:
                    stats.rude += 1
            except OSError as err:
                stats.error(f"rude:{type(err).__name__}")
            continue
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/sparql", body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            if resp.status == 200:
                json.loads(data)
                stats.ok(time.perf_counter() - t0)
            else:
                stats.error(f"{name}:{resp.status}")
        except (OSError, http.client.HTTPException, ValueError) as err:
            stats.error(f"{name}:{type(err).__name__}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "rjkg", "serve", "--port", str(port), "--workers", str(args.workers)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_ready(port, time.time() + 120)
        queries = load_queries()
        rss_start, fds_start = rss_kib(server.pid), open_fds(server.pid)
        samples = [rss_start]
        stats = Stats()
        stop = time.time() + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, queries, stop, seed, stats), daemon=True)
            for seed in range(args.clients)
        ]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            samples.append(rss_kib(server.pid))
        elapsed = time.perf_counter() - t0
        time.sleep(2)  # let killed/abandoned work settle before the last reading
        rss_end, fds_end = rss_kib(server.pid), open_fds(server.pid)
        lat = sorted(stats.latencies)
        report = {
            "clients": args.clients,
            "seconds": round(elapsed, 1),
            "requests_ok": len(lat),
            "rude_disconnects": stats.rude,
            "errors": stats.errors,
            "throughput_rps": round(len(lat) / elapsed, 1),
            "p50_ms": round(1000 * statistics.median(lat), 1) if lat else None,
            "p99_ms": round(1000 * lat[int(0.99 * (len(lat) - 1))], 1) if lat else None,
            "rss_mib": {
                "start": round(rss_start / 1024, 1),
                "peak": round(max(samples) / 1024, 1),
                "end": round(rss_end / 1024, 1),
            },
            "server_fds": {"start": fds_start, "end": fds_end},
        }
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for k, v in report.items():
            print(f"{k:18s} {v}")
    return 0 if not report["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
