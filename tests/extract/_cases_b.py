"""Support for the cases_b/*.yaml tables: a Context built by hand from a case, and record matching.

A case gives the text, optionally the document date/genre/title, and the entities as (key, type, name, mention
strings); every occurrence of a mention string becomes a mention span. Sentences come from the real ingest
splitter, so no natasha is needed. Expected records list only the fields that matter; each must match one
extracted record, and the number of extracted records must equal the number expected.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from rjkg.extract.context import Context, Sentence
from rjkg.ingest import parse_date, split_sentences
from rjkg.records import DateValue, DocMeta, Document, Entity, PostHolding, Span

CASES_DIR = Path(__file__).parent / "cases_b"


def load_cases(kind: str) -> list[dict]:
    data = yaml.safe_load((CASES_DIR / f"{kind}.yaml").read_text(encoding="utf-8"))
    return data["cases"]


def build_context(case: dict) -> Context:
    text = case["text"]
    date = parse_date(case["date"], where="case") if case.get("date") else None
    meta = DocMeta(title=case.get("title"), date=date, genre=case.get("genre", "NewsArticle"))
    sents = split_sentences(text, [])
    doc = Document(id=case["id"], text=text, sha256="", meta=meta, sentences=tuple(sents))
    entities = []
    for key, etype, name, *mentions in case.get("entities", []):
        spans = []
        for m in sorted(set(mentions or [name]), key=len, reverse=True):
            for hit in re.finditer(r"(?<!\w)" + re.escape(m) + r"(?!\w)", text):
                if not any(s.start <= hit.start() < s.end for s in spans):
                    spans.append(Span(hit.start(), hit.end()))
        assert spans, f"case {case['id']}: no mention of {key} in the text"
        entities.append(
            Entity(key=key, type=etype, name_ru=name, mentions=tuple(sorted(spans, key=lambda s: s.start)))
        )
    posts = [
        PostHolding(
            person=p["person"], title=p["title"], full_title=p["title"], org=p.get("org"),
            evidence=tuple(Span(m.start(), m.end()) for m in re.finditer(re.escape(p.get("evidence") or "\x00"), text)),
        )
        for p in case.get("posts", [])
    ]  # fmt: skip
    return Context(doc=doc, sentences=[Sentence(s, e, ()) for s, e in sents], entities=entities, posts=posts)


def iso(d: DateValue | None) -> str | None:
    return d.start.iso() if d else None


def end_iso(d: DateValue | None) -> str | None:
    return d.end.iso() if d and d.end else None


def check(case_id: str, expected: list[dict], got: list, fields) -> None:
    """Each expected record matches a distinct extracted one; nothing extra is extracted."""
    views = [fields(x) for x in got]
    free = list(range(len(views)))
    for exp in expected:
        hit = next((i for i in free if _matches(exp, views[i])), None)
        assert hit is not None, f"{case_id}: no extracted record matches {exp}\nextracted: {views}"
        free.remove(hit)
    assert len(got) == len(expected), f"{case_id}: {len(got)} extracted, {len(expected)} expected\n{views}"


def _matches(exp: dict, view: dict) -> bool:
    for k, v in exp.items():
        if k.endswith("_contains"):
            if str(v).casefold() not in str(view.get(k[: -len("_contains")]) or "").casefold():
                return False
        elif k.endswith("_include"):
            if not set(v) <= set(view.get(k[: -len("_include")]) or ()):
                return False
        elif isinstance(v, list):
            if list(view.get(k) or ()) != v:
                return False
        elif view.get(k) != v:
            return False
    return True


# ------------------------------------------------------------------------------------------ whole documents

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
SEED_GOLD_DIR = Path(__file__).resolve().parents[1] / "gold" / "seeds"
DOCS_DIR = CASES_DIR / "docs"


def gold_context(txt: Path, gold: Path, metadata: Path) -> Context:
    """A Context for a whole document whose entities and posts are the gold's (mentions found verbatim), so that
    only this team's extractors are measured, independent of NER."""
    from rjkg.ingest import load_document, load_metadata

    doc = load_document(txt, load_metadata(metadata).get(txt.name))
    data = yaml.safe_load(gold.read_text(encoding="utf-8"))
    text = doc.text
    entities = []
    for e in data["entities"]:
        spans: list[Span] = []
        for m in sorted(set(e["mentions"]), key=len, reverse=True):
            for hit in re.finditer(r"(?<!\w)" + re.escape(m) + r"(?!\w)", text):
                skipped = any(a <= hit.start() < b for a, b in doc.skipped)
                if not skipped and not any(s.start <= hit.start() < s.end for s in spans):
                    spans.append(Span(hit.start(), hit.end()))
        entities.append(
            Entity(
                key=e["id"],
                type=e["type"],
                name_ru=e["name_ru"],
                mentions=tuple(sorted(spans, key=lambda s: s.start)),
            )
        )
    posts = []
    for p in data["posts"]:
        orgs = p.get("organization") or [None]
        for org in orgs if isinstance(orgs, list) else [orgs]:
            posts.append(
                PostHolding(p["person"], p["post_ru"], p.get("post_ru_full") or p["post_ru"], org, ())
            )
    sents = [Sentence(s, e, ()) for s, e in doc.sentences]
    return Context(doc=doc, sentences=sents, entities=entities, posts=posts)


def document_sets() -> list[tuple[str, list[tuple[Path, Path, Path]]]]:
    """(name, [(text, gold, metadata)]) for the seeds and for the documents written for these tests."""
    seeds = [
        (t, SEED_GOLD_DIR / f"{t.stem}.yaml", SEEDS_DIR / "metadata.yaml")
        for t in sorted(SEEDS_DIR.glob("*.txt"))
    ]
    docs = [
        (t, DOCS_DIR / "gold" / f"{t.stem}.yaml", DOCS_DIR / "metadata.yaml")
        for t in sorted(DOCS_DIR.glob("*.txt"))
    ]
    assert len(seeds) == 5 and len(docs) >= 5, f"documents missing: {len(seeds)} seeds, {len(docs)} written"
    return [("seeds", seeds), ("written", docs)]


def score_category(category: str, extract, items: list[tuple[Path, Path, Path]]):
    """Summed counts of one category over documents, scored by rjkg.score exactly as `rjkg evaluate` does."""
    from rjkg import score

    total = score.Counts()
    for txt, gold, metadata in items:
        ctx = gold_context(txt, gold, metadata)
        names = {e.key: e.name_ru for e in ctx.entities}
        got = extract(ctx)
        if category == "events":
            xs = [
                score.XEvent(
                    x.type, iso(x.date), tuple(names.get(p.entity, p.entity) for p in x.participants)
                )
                for x in got
            ]
        elif category == "instruments":
            xs = [
                score.XInstrument(x.type, x.title or x.label, tuple(sorted(
                    (k, v.start.iso()) for k, v in (("signed", x.signed), ("proposed", x.proposed), ("terminated", x.terminated)) if v
                )))
                for x in got
            ]  # fmt: skip
        elif category == "institutions":
            xs = [score.XInstitution(x.type, x.name_ru) for x in got]
        else:
            xs = [score.XStatement(tuple(names.get(s, s) for s in x.speakers), x.quote) for x in got]
        total += score.count(category, getattr(score.load_gold(gold), category), xs)
    return total
