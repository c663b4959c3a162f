"""Outside benchmark: our extraction scored on the factRuEval-2016 devset (issue 7).

    .venv/bin/python benchmarks/factrueval.py [--data DIR] [--limit N] [--json] [--errors FILE]

Runs the code path that fills the graph — ``ingest.load_document`` → ``extract.extract`` → ``resolve.resolve`` —
on every document, and natasha's own NER (slovnet spans, nothing else) as the same-run reference, then scores both
with ``rjkg.factrueval`` (type mapping and matching rules: benchmarks/README-factrueval.md). The data is not in the
repository: the default folder is ``../shared/benchmarks/factRuEval-2016/devset`` relative to the repository root.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rjkg import factrueval as fre
from rjkg.errors import RjkgError

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "factRuEval-2016" / "devset"
# natasha (slovnet NER) on the factRuEval-2016 *test* set, token-level F1 as published by natasha/naeval
PUBLISHED = {"PER": 0.959, "LOC": 0.915, "ORG": 0.825}
TARGET_OCCUPATION_PAIR_F1 = 0.60

Predictor = Callable[[fre.FreDoc], fre.Prediction]


def _natasha_objects():
    """Segmenter and NER tagger: the project's shared natasha objects when they exist (loaded once)."""
    try:
        from rjkg.extract.nlp import nlp

        n = nlp()
        return n.segmenter, n.ner_tagger
    except (ImportError, AttributeError):  # the shared module is not there yet
        from natasha import NewsEmbedding, NewsNERTagger, Segmenter

        return Segmenter(), NewsNERTagger(NewsEmbedding())


def natasha_predictor() -> Predictor:
    """natasha's NER alone: its PER/LOC/ORG spans as they come, overlapping spans dropped (naeval's adapter)."""
    from natasha import Doc

    segmenter, tagger = _natasha_objects()

    def predict(doc: fre.FreDoc) -> fre.Prediction:
        d = Doc(doc.text)
        d.segment(segmenter)
        d.tag_ner(tagger)
        spans = [fre.TypedSpan(s.type, s.start, s.stop) for s in d.spans if s.type in fre.TYPES]
        return fre.Prediction(entities=tuple(fre.filter_overlapping(spans)))

    return predict


def _document(doc: fre.FreDoc, warnings: list[str]):
    """The records.Document our pipeline reads, made by ingest when it can (offsets must stay those of the file)."""
    from rjkg.records import Document

    try:
        from rjkg import ingest

        made = ingest.load_document(doc.path, None)
        if made.text == doc.text:
            return made
        warnings.append(f"{doc.id}: ingest changed the text; using the file as is")
    except (ImportError, AttributeError):
        pass
    raw = doc.path.read_bytes()
    return Document(id=doc.id, text=doc.text, sha256=hashlib.sha256(raw).hexdigest(), path=str(doc.path))


def ours_predictor(locorg: str, warnings: list[str], failed: list[str]) -> Predictor:
    """ingest → extract → resolve, exactly as `rjkg build` runs them, then the Extraction as factRuEval sees it.

    A document our code rejects (RjkgError) or crashes on scores as an empty prediction and is listed in
    ``failed`` (reported, never hidden), so one bad document does not lose the whole run."""
    from rjkg import extract

    try:
        from rjkg import resolve

        resolve_fn = resolve.resolve
    except (ImportError, AttributeError):
        warnings.append("rjkg.resolve is not available: scoring unresolved extractions")

        def resolve_fn(ex):
            return ex

    def predict(doc: fre.FreDoc) -> fre.Prediction:
        try:
            ex = resolve_fn(extract.extract(_document(doc, warnings)))
        except RjkgError as err:
            failed.append(f"{doc.id}: {err.render()}")
            return fre.Prediction()
        except Exception as err:  # noqa: BLE001 - a crash in extraction is a finding, reported below
            failed.append(f"{doc.id}: {type(err).__name__}: {err}")
            return fre.Prediction()
        return fre.from_extraction(ex, locorg)

    return predict


def run(docs: list[fre.FreDoc], predict: Predictor, locorg: str, keep: bool = False):
    """Score one system over the documents; with ``keep``, also return every prediction (for --errors)."""
    score, preds = fre.Score(), []
    t0 = time.perf_counter()
    for doc in docs:
        pred = predict(doc)
        score.add_document(doc, pred, locorg)
        if keep:
            preds.append(pred)
    return score, time.perf_counter() - t0, preds


def targets(scores: dict[str, fre.Score]) -> dict[str, dict]:
    """Issue 7's targets: entity F1 (token, per class and all) at least natasha's own on the same documents, and
    Occupation (person, job) F1 ≥ 0.60."""
    ours, out = scores["rjkg"], {}
    ref = scores.get("natasha NER (same run)")
    if ref:
        for t in (*fre.TYPES, "all"):
            mine = ours.entity_total("token") if t == "all" else ours.entities["token"][t]
            theirs = ref.entity_total("token") if t == "all" else ref.entities["token"][t]
            out[f"entity token F1 {t} ≥ natasha same run"] = (mine.f1, theirs.f1)
    out["Occupation (person, job) F1 ≥ 0.60"] = (ours.occupations["pair"].f1, TARGET_OCCUPATION_PAIR_F1)
    return {k: {"value": round(v, 4), "target": round(t, 4), "met": v >= t} for k, (v, t) in out.items()}


def _f(x: float) -> str:
    return f"{x:.3f}"


def table(scores: dict[str, fre.Score], seconds: dict[str, float]) -> str:
    """The human report: entity F1 per class and mode, then facts; published natasha figures alongside."""
    lines = []
    head = (
        f"{'system':<24}{'mode':<9}" + "".join(f"{t + ' P/R/F1':>20}" for t in fre.TYPES) + f"{'all F1':>9}"
    )
    lines += [
        "Entities (P/R/F1; token = naeval's token-level measure, comparable with the published row)",
        head,
    ]
    for name, sc in scores.items():
        for mode in fre.MODES:
            cells = "".join(
                f"{'/'.join(_f(x) for x in (c.precision, c.recall, c.f1)):>20}"
                for c in (sc.entities[mode][t] for t in fre.TYPES)
            )
            lines.append(f"{name:<24}{mode:<9}{cells}{_f(sc.entity_total(mode).f1):>9}")
    pub = "".join(f"{'F1 ' + _f(PUBLISHED[t]):>20}" for t in fre.TYPES)
    lines.append(f"{'natasha (published)':<24}{'token':<9}{pub}   (factRuEval test set)")
    lines += ["", "Facts (P/R/F1, tp/pred/gold)"]
    for name, sc in scores.items():
        if name.startswith("natasha"):  # NER only: no facts to score
            continue
        for label, c in (
            ("Occupation (person, job)", sc.occupations["pair"]),
            ("Occupation (person, job, org)", sc.occupations["triple"]),
            ("Meeting participant pairs", sc.meetings),
        ):
            prf = "/".join(_f(x) for x in (c.precision, c.recall, c.f1))
            lines.append(f"{name:<24}{label:<32}{prf:>18}   {c.tp}/{c.pred}/{c.gold}")
    lines += ["", "Targets (issue 7)"]
    for name, t in targets(scores).items():
        lines.append(f"  {name:<52}{t['value']:.3f} vs {t['target']:.3f}  {'met' if t['met'] else 'NOT MET'}")
    lines += ["", "Seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items())]
    return "\n".join(lines)


def _diagnoses(docs, preds, refs, locorg) -> list[list[tuple[str, str]]]:
    refs = refs or [None] * len(docs)
    return [fre.diagnose(d, p, locorg, r) for d, p, r in zip(docs, preds, refs, strict=True)]


def diagnosis(docs: list[fre.FreDoc], found: list[list[tuple[str, str]]], examples: int = 3) -> str:
    """Our errors grouped into general weaknesses: count and the first few examples of each category."""
    groups: dict[str, list[str]] = {}
    for doc, items in zip(docs, found, strict=True):
        for cat, ex in items:
            groups.setdefault(cat, []).append(f"{doc.id}: {ex}")
    lines = ["Weaknesses (category: count; examples)"]
    for cat, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        lines.append(f"{cat}: {len(items)}")
        lines += [f"    {x}" for x in items[:examples]]
    return "\n".join(lines)


def write_errors(path: Path, docs, preds, refs, locorg: str) -> None:
    """The weakness summary, then every error of ours per document, for reading (not part of the score).
    ``refs`` (natasha's predictions, or None) mark the entities natasha's NER finds and we miss."""
    found = _diagnoses(docs, preds, refs, locorg)
    out = [diagnosis(docs, found, examples=8), ""]
    for doc, items in zip(docs, found, strict=True):
        out.append(f"## {doc.id}")
        out += [f"{cat}: {ex}" for cat, ex in items]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="factRuEval folder (default: %(default)s)"
    )
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument(
        "--locorg", choices=("LOC", "ORG"), default="LOC", help="class of gold LocOrg / our State"
    )
    ap.add_argument("--no-natasha", action="store_true", help="skip the natasha reference run")
    ap.add_argument("--errors", type=Path, default=None, help="write our system's errors to this file")
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        print("factrueval: error: --limit must be at least 1", file=sys.stderr)
        return 2
    try:
        docs = fre.load_devset(args.data, args.limit)
        warnings: list[str] = []
        failed: list[str] = []
        scores, seconds = {}, {}
        scores["rjkg"], seconds["rjkg"], preds = run(
            docs, ours_predictor(args.locorg, warnings, failed), args.locorg, keep=bool(args.errors)
        )
        refs = None
        if not args.no_natasha:
            scores["natasha NER (same run)"], seconds["natasha"], refs = run(
                docs, natasha_predictor(), args.locorg, keep=bool(args.errors)
            )
    except RjkgError as err:
        print(f"factrueval: error: {err.render()}", file=sys.stderr)
        return err.exit_code
    if args.errors:
        write_errors(args.errors, docs, preds, refs, args.locorg)
        print(f"errors of ours written to {args.errors}", file=sys.stderr)
    if args.json:
        report = {
            "data": str(args.data),
            "documents": len(docs),
            "locorg": args.locorg,
            "systems": {k: v.as_dict() for k, v in scores.items()},
            "seconds": {k: round(v, 2) for k, v in seconds.items()},
            "published_natasha_test_f1": PUBLISHED,
            "targets": targets(scores),
            "warnings": list(dict.fromkeys(warnings)),
            "failed": failed,
        }
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(f"factRuEval-2016: {len(docs)} documents from {args.data} (LocOrg/State → {args.locorg})\n")
        print(table(scores, seconds))
        for w in dict.fromkeys(warnings):
            print(f"warning: {w}", file=sys.stderr)
        if failed:
            print(f"\n{len(failed)} document(s) FAILED in our extraction (scored as empty):", file=sys.stderr)
            for f in failed[:10]:
                print(f"  {f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
