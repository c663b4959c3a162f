"""Hand-made extraction records for golden build cases, written as YAML (tests/cases/<kind>-NNNN/records.yaml).

Spans are given as the quoted text, not offsets, so a case stays readable and can't drift from its input.txt:
"Коно" is the first occurrence, "Коно#2" the second. Dates: "2019-05-31", "2019-05", "2019", "--05-31",
or a range "2019-08-20/2019-08-25".
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from rjkg.records import (
    DateValue,
    DocMeta,
    Document,
    Entity,
    Event,
    Extraction,
    Institution,
    Instrument,
    PartialDate,
    Participant,
    PostHolding,
    Span,
    Statement,
)


def partial_date(iso: str) -> PartialDate:
    if iso.startswith("--"):
        month, _, day = iso[2:].partition("-")
        return PartialDate(None, int(month), int(day) if day else None)
    parts = [int(p) for p in iso.split("-")]
    return PartialDate(*parts)


def date_value(spec) -> DateValue | None:
    if not spec:
        return None
    start, _, end = str(spec).partition("/")
    return DateValue(partial_date(start), partial_date(end) if end else None, resolved_from=str(spec))


class _Spans:
    def __init__(self, text: str, where: str):
        self.text, self.where = text, where

    def __call__(self, quoted: str) -> Span:
        needle, _, nth = quoted.rpartition("#") if "#" in quoted else (quoted, "", "1")
        pos = -1
        for _ in range(int(nth)):
            pos = self.text.find(needle, pos + 1)
            if pos < 0:
                raise AssertionError(f"{self.where}: {quoted!r} not found in input.txt")
        return Span(pos, pos + len(needle))

    def many(self, items) -> tuple[Span, ...]:
        return tuple(self(q) for q in items or ())


def load_case(case_dir: Path, root: Path) -> Extraction:
    """input.txt + records.yaml → the Extraction the build turns into expected.ttl."""
    raw = (case_dir / "input.txt").read_bytes()
    text = raw.decode("utf-8")
    spec = yaml.safe_load((case_dir / "records.yaml").read_text(encoding="utf-8")) or {}
    sp = _Spans(text, str(case_dir))
    d = spec.get("doc") or {}
    meta = DocMeta(
        title=d.get("title"), date=partial_date(str(d["date"])) if d.get("date") else None,
        publisher=d.get("publisher"), genre=d.get("genre"), source_url=d.get("source_url"),
    )  # fmt: skip
    doc = Document(
        id=d.get("id", case_dir.name), text=text, sha256=hashlib.sha256(raw).hexdigest(), meta=meta,
        path=str((case_dir / "input.txt").relative_to(root)),
    )  # fmt: skip
    entities = tuple(
        Entity(key=e["key"], type=e["type"], name_ru=e["name_ru"], mentions=sp.many(e.get("mentions")),
               name_en=e.get("name_en"), aliases=tuple(e.get("aliases") or ()), iri=e.get("iri"))
        for e in spec.get("entities") or []
    )  # fmt: skip
    posts = tuple(
        PostHolding(person=p["person"], title=p["title"], full_title=p.get("full_title", p["title"]),
                    org=p.get("org"), evidence=sp.many(p.get("evidence")))
        for p in spec.get("posts") or []
    )  # fmt: skip
    events = tuple(
        Event(
            type=ev["type"], label=ev["label"], evidence=sp.many(ev.get("evidence")), date=date_value(ev.get("date")),
            place=ev.get("place"),
            participants=tuple(
                Participant(p, None) if isinstance(p, str) else Participant(p["entity"], p.get("capacity"))
                for p in ev.get("participants") or ()
            ),
            ordinal=ev.get("ordinal"), ordinal_as_written=ev.get("ordinal_as_written"),
            planned=bool(ev.get("planned")), topics=tuple(ev.get("topics") or ()),
        )
        for ev in spec.get("events") or []
    )  # fmt: skip
    instruments = tuple(
        Instrument(
            type=i["type"], status=i["status"], evidence=sp.many(i.get("evidence")), title=i.get("title"),
            label=i.get("label"), key=i.get("key"), signed=date_value(i.get("signed")),
            signed_place=i.get("signed_place"), proposed=date_value(i.get("proposed")),
            proposed_by=i.get("proposed_by"), parties=tuple(i.get("parties") or ()),
            signatories=tuple(i.get("signatories") or ()), terminated=date_value(i.get("terminated")),
            terminated_by=i.get("terminated_by"), terminated_by_instrument=i.get("terminated_by_instrument"),
            governs=i.get("governs"), item_count=i.get("item_count"),
        )
        for i in spec.get("instruments") or []
    )  # fmt: skip
    institutions = tuple(
        Institution(
            key=i["key"], type=i["type"], name_ru=i["name_ru"], mentions=sp.many(i.get("mentions")),
            count=i.get("count"), country=i.get("country"), locations=tuple(i.get("locations") or ()),
            founded=date_value(i.get("founded")), closed=date_value(i.get("closed")), status=i.get("status"),
            established_by=tuple(i.get("established_by") or ()), iri=i.get("iri"),
        )
        for i in spec.get("institutions") or []
    )  # fmt: skip
    statements = tuple(
        Statement(speakers=tuple(s["speakers"]), quote=s["quote"], evidence=(sp(s["quote"]),),
                  mode=s.get("mode", "ReportedSpeech"), date=date_value(s.get("date")))
        for s in spec.get("statements") or []
    )  # fmt: skip
    return Extraction(doc=doc, entities=entities, posts=posts, events=events, instruments=instruments,
                      institutions=institutions, statements=statements)  # fmt: skip
