"""Extraction throughput on one core (issue: extraction, item 5). Run on demand:

    .venv/bin/python benchmarks/bench_extract.py [--rounds 5] [--docs seeds]

Models are loaded once per process; their load time is reported separately. The reference measured in the same run
is natasha's own pipeline (segment + morph + NER) over the same texts, so the figure to read is the ratio
rjkg/natasha, which machine noise affects much less than seconds do.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=Path, default=ROOT / "seeds")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    from rjkg import ingest

    meta = ingest.load_metadata(args.docs / "metadata.yaml")
    docs = [ingest.load_document(p, meta.get(p.name)) for p in ingest.find_documents(args.docs)]
    chars = sum(len(d.text) for d in docs)

    t0 = time.perf_counter()
    from natasha import Doc

    from rjkg.extract import extract
    from rjkg.extract.nlp import nlp
    from rjkg.resolve import load_gazetteer, resolve

    n = nlp()
    load_gazetteer()
    warm = docs[0]
    resolve(extract(warm))  # first call builds lazy tables (grammars, gazetteer matcher)
    load_s = time.perf_counter() - t0

    def run_rjkg() -> None:
        for d in docs:
            resolve(extract(d))

    def run_natasha() -> None:
        for d in docs:
            nd = Doc(d.text)
            nd.segment(n.segmenter)
            nd.tag_morph(n.morph_tagger)
            nd.tag_ner(n.ner_tagger)

    timings = {}
    for name, fn in (("natasha", run_natasha), ("rjkg", run_rjkg)):
        best = float("inf")
        for _ in range(args.rounds):
            t = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t)
        timings[name] = best
    report = {
        "documents": len(docs),
        "characters": chars,
        "model_load_s": round(load_s, 2),
        "rjkg_docs_per_s": round(len(docs) / timings["rjkg"], 2),
        "rjkg_chars_per_s": round(chars / timings["rjkg"]),
        "natasha_docs_per_s": round(len(docs) / timings["natasha"], 2),
        "natasha_chars_per_s": round(chars / timings["natasha"]),
        "rjkg_time_over_natasha": round(timings["rjkg"] / timings["natasha"], 2),
    }
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for k, v in report.items():
            print(f"{k:24s} {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
