"""Time `rjkg build` per stage for corpora of N documents (benchmarks/corpus.py), on demand — not a test.

For each N: a full build (cold cache) in a fresh process, then one document is added and the build rerun with
the cache (incremental). Reports seconds per stage, triples per layer, peak RSS of the build process and of its
extraction workers, the ratio of the largest N to the one 10× smaller, and incremental / full.

    .venv/bin/python benchmarks/bench_build.py --sizes 5,100 --jobs 2
    .venv/bin/python benchmarks/bench_build.py --sizes 1000 --jobs 2 --json   # long: ~1 s per document per core
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402


def one_build(seeds: Path, out: Path, cache: Path, jobs: int, version: str) -> dict:
    """Run in a child process: one build, its stage timings and peak memory (as JSON on stdout).

    The pipeline version hash is fixed for the whole benchmark (`version`), so source edits made while it runs
    do not turn the incremental rebuild into a full one.
    """
    from rjkg import cache as cache_mod
    from rjkg import pipeline

    cache_mod.pipeline_hash = lambda: version

    t0 = time.perf_counter()
    r = pipeline.build(seeds, out, jobs=jobs, quiet=True, cache_dir=cache)
    total = time.perf_counter() - t0
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "documents": r.documents,
        "published": r.published,
        "failed": len(r.failures),
        "extracted": r.extracted,
        "cached": r.cached,
        "triples": r.triples,
        "seconds": {**{k: round(v, 2) for k, v in r.seconds.items()}, "total": round(total, 2)},
        "peak_rss_mb": round(self_kb / 1024, 1),
        "peak_worker_rss_mb": round(child_kb / 1024, 1),
    }


def run_child(seeds: Path, out: Path, cache: Path, jobs: int, version: str) -> dict:
    cmd = [sys.executable, __file__, "--child", str(seeds), str(out), str(cache), str(jobs), version]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(n: int, jobs: int, work: Path, version: str) -> dict:
    seeds = work / f"corpus-{n}"
    corpus.make_corpus(n, seeds)
    full = run_child(seeds, work / f"graph-{n}", work / f"cache-{n}", jobs, version)
    corpus.add_document(seeds)
    incremental = run_child(seeds, work / f"graph-{n}", work / f"cache-{n}", jobs, version)
    return {"n": n, "full": full, "incremental": incremental}


def table(results: list[dict]) -> str:
    stages = ("extract", "merge", "reason", "validate", "write", "swap", "total")
    head = (
        "| N | run | docs ok/failed | triples (docs / inferred) | "
        + " | ".join(stages)
        + " | peak RSS MB (main / worker) |"
    )
    lines = [head, "|" + "---|" * (len(stages) + 5)]
    for r in results:
        for kind in ("full", "incremental"):
            x = r[kind]
            t = x["triples"]
            lines.append(
                f"| {r['n']} | {kind} ({x['extracted']} extracted) | {x['published']}/{x['failed']} | "
                f"{t.get('documents', 0):,} / {t.get('inferred', 0):,} | "
                + " | ".join(f"{x['seconds'].get(s, 0):.2f}" for s in stages)
                + f" | {x['peak_rss_mb']} / {x['peak_worker_rss_mb']} |"
            )
    by_n = {r["n"]: r for r in results}
    notes = []
    for n in sorted(by_n):
        if n // 10 in by_n:
            a, b = by_n[n]["full"]["seconds"]["total"], by_n[n // 10]["full"]["seconds"]["total"]
            notes.append(f"- full build {n}/{n // 10} documents: {a / b:.1f}× the time (linear = 10×)")
    for n in sorted(by_n):
        inc, full = by_n[n]["incremental"]["seconds"]["total"], by_n[n]["full"]["seconds"]["total"]
        notes.append(
            f"- N={n}: incremental rebuild after adding one document = {inc / full:.0%} of the full build"
        )
    return "\n".join(lines + [""] + notes)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        seeds, out, cache, jobs, version = sys.argv[2:7]
        print(json.dumps(one_build(Path(seeds), Path(out), Path(cache), int(jobs), version)))
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="5,100", help="comma-separated corpus sizes (e.g. 5,100,1000)")
    ap.add_argument("--jobs", type=int, default=0, help="extraction processes (0 = cores)")
    ap.add_argument("--work", type=Path, default=None, help="working folder (default: a temporary one)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a Markdown table")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="rjkg-bench-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        from rjkg.cache import pipeline_hash

        version = pipeline_hash()
        results = []
        for n in sizes:
            print(f"N={n} …", file=sys.stderr, flush=True)
            results.append(bench(n, args.jobs, work, version))
            # partial results on stderr survive an interrupted run
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
        print(json.dumps(results, indent=1) if args.json else table(results))


if __name__ == "__main__":
    main()
