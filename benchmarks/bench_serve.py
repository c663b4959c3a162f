"""Benchmark (on demand): `rjkg serve` vs `oxigraph serve-read-only` on the same RocksDB store, in one run.

    .venv/bin/python benchmarks/bench_serve.py [--graph graph/] [--seconds 10] [--clients 8 64] [--queries lookup join]

For each server, query (a simple lookup, a join, and the whole query library in rotation) and client count, keep-alive
HTTP/1.1 clients (threads spread over a few processes) send GET requests for a bounded time. "cold" makes every
request text unique (a trailing comment with a counter), so our result cache never hits; "warm" repeats one text, so
our cache answers (oxigraph has no cache: its cold and warm are the same work). Reported: throughput, p50/p99
latency, errors, and our/oxigraph throughput ratios against the targets (joins ≥ 0.7×, lookups ≥ 0.25×, p99 ≤ 50 ms
at 64 clients). The load generator shares the machine's cores with the servers; both servers pay the same cost.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rjkg import store as store_mod  # noqa: E402
from rjkg.vocab import sparql_prefixes  # noqa: E402

P = sparql_prefixes()
QUERIES = {
    "lookup": P + "SELECT ?l WHERE { state:japan skos:prefLabel ?l }",
    "join": P
    + "SELECT ?doc (COUNT(DISTINCT ?x) AS ?n) (SAMPLE(?l) AS ?label) WHERE { ?x rjkg:mentionedIn ?doc ; "
    "skos:prefLabel ?l . ?doc dct:title ?t } GROUP BY ?doc ORDER BY DESC(?n)",
}


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def _client_proc(
    port: int, path: str, query: str | list[str], threads: int, seconds: float, vary: bool, out
) -> None:
    queries = [query] if isinstance(query, str) else query
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def run(tid: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, n = [], 0
        while time.monotonic() < stop:
            base = queries[(tid + n) % len(queries)]
            q = f"{base}\n# {tid}-{n}-{time.monotonic_ns()}" if vary else base
            n += 1
            t = time.perf_counter()
            try:
                conn.request(
                    "GET", f"{path}?query={quote(q)}", headers={"Accept": "application/sparql-results+json"}
                )
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - t)
            if not ok:
                with lock:
                    errors[0] += 1
        with lock:
            lat.extend(mine)

    ts = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put((lat, errors[0]))


def load(port: int, path: str, query: str | list[str], clients: int, seconds: float, vary: bool) -> dict:
    procs_n = min(4, clients)
    per = [clients // procs_n + (1 if i < clients % procs_n else 0) for i in range(procs_n)]
    q: mp.Queue = mp.Queue()
    procs = [mp.Process(target=_client_proc, args=(port, path, query, n, seconds, vary, q)) for n in per]
    for p in procs:
        p.start()
    lat, errors = [], 0
    for _ in procs:
        lt, e = q.get()
        lat += lt
        errors += e
    for p in procs:
        p.join()
    lat.sort()
    n = len(lat)
    return {
        "rps": n / seconds,
        "p50": 1000 * statistics.median(lat) if lat else float("nan"),
        "p99": 1000 * lat[min(n - 1, int(n * 0.99))] if lat else float("nan"),
        "errors": errors,
        "n": n,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--graph", type=Path, default=None, help="graph folder (default: graph/, else the test fixture)"
    )
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--clients", type=int, nargs="+", default=[8, 64])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries", nargs="+", default=["lookup", "join", "library"], help="scenarios to run")
    a = ap.parse_args()
    graph = a.graph or (
        ROOT / "graph" if (ROOT / "graph" / "rjkg.nq").is_file() else ROOT / "tests/fixtures/graph"
    )
    tmp = Path(tempfile.mkdtemp(prefix="rjkg-bench-"))
    store = store_mod.ensure_store(graph, tmp / "store")
    ours_port, oxi_port = _free_port(), _free_port()
    ours = subprocess.Popen(
        [sys.executable, "-m", "rjkg.serve", "--graph", str(graph), "--store", str(store), "--port", str(ours_port),
         "--workers", str(a.workers), "--max-pending", "1024"],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    oxi = subprocess.Popen(
        [str(Path(sys.executable).parent / "oxigraph"), "serve-read-only", "--location", str(store),
         "--bind", f"127.0.0.1:{oxi_port}", "--union-default-graph"],
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{ours_port}/readyz")
        _wait(f"http://127.0.0.1:{oxi_port}/query?query=ASK%7B%7D")
        triples = httpx.get(f"http://127.0.0.1:{oxi_port}/query", params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
                            headers={"Accept": "text/csv"}).text.split()[-1]  # fmt: skip
        print(f"graph {graph} ({triples} quads), {a.seconds:g} s per run, {a.workers} workers")
        print(
            f"{'query':7} {'clients':>7} {'mode':5} {'server':9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}"
        )
        library = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "queries").glob("*.rq"))]
        scenarios = {**QUERIES, **({"library": library} if library else {})}
        scenarios = {k: v for k, v in scenarios.items() if k in a.queries}
        for name, query in scenarios.items():
            for clients in a.clients:
                base = None
                for mode, vary in (("cold", True), ("warm", False)):
                    for server, port, path in (
                        ("oxigraph", oxi_port, "/query"),
                        ("rjkg", ours_port, "/sparql"),
                    ):
                        if server == "oxigraph" and mode == "warm":
                            continue
                        r = load(port, path, query, clients, a.seconds, vary)
                        if server == "oxigraph":
                            base = r["rps"]
                        ratio = f"  {r['rps'] / base:.2f}x oxigraph" if server == "rjkg" and base else ""
                        print(f"{name:7} {clients:>7} {mode:5} {server:9} {r['rps']:>9.0f} {r['p50']:>8.2f} "
                              f"{r['p99']:>8.2f} {r['errors']:>6}{ratio}", flush=True)  # fmt: skip
    finally:
        for p in (ours, oxi):
            p.terminate()
            p.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
