"""What the pages show, gathered with SPARQL through ``PageContext.select`` and shaped into plain values.

Queries run one after another (never gathered): the server's worker pool is small and answers 503 when its queue
is full, and pages must not trip it. Every IRI put into a query comes from the store or passes ``safe_iri``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rjkg.pages_ontology import curie
from rjkg.vocab import DCT, ORG, RDF, RDFS, RJKG, SCHEMA, SEM, SKOS, TIME, WD, sparql_prefixes

if TYPE_CHECKING:
    from rjkg.pages import PageContext

Binding = dict[str, dict]

LABEL_PREDICATES = (str(SKOS.prefLabel), str(DCT.title), str(RDFS.label))
TIME_PREDICATES = {
    str(SEM.hasTime), str(RJKG.signingTime), str(RJKG.proposalTime), str(RJKG.terminationTime),
    str(RJKG.inception), str(RJKG.closure),
}  # fmt: skip
INSTANT_PREDICATES = (str(TIME.inXSDDate), str(TIME.inXSDgYearMonth), str(TIME.inXSDgYear))
ROLE_PREDICATES = {
    str(RJKG.party): "party", str(RJKG.signatory): "signatory", str(RJKG.proposedBy): "proposed by",
    str(RJKG.terminatedBy): "terminated by",
}  # fmt: skip
KIND_CSS = {
    "person": "person", "state": "org", "org": "org", "place": "place", "project": "org", "institution": "institution",
    "post": "post", "holding": "post", "event": "event", "participation": "event", "instrument": "instrument",
    "statement": "statement", "label": "place",
}  # fmt: skip
KIND_ORDER = ["person", "org", "place", "institution", "post", "event", "instrument", "statement", "other"]
LANG_ORDER = {"ru": 0, "en": 1, "ja": 2, "": 3}
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def safe_iri(iri: str) -> str | None:
    """The IRI if it can be written as <…> in SPARQL without escaping, else None (never build a query from it)."""
    if not iri or _BAD_IRI.search(iri) or not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", iri):
        return None
    return iri


def values(iris) -> str:
    return " ".join(f"<{i}>" for i in sorted(set(iris)) if safe_iri(i))


@dataclass
class Val:
    """A value ready to render: text with its language, optionally a link."""

    text: str
    href: str | None = None
    lang: str | None = None
    title: str | None = None
    iri: str | None = None
    css: str | None = None


@dataclass
class Evidence:
    href: str
    doc: str
    start: int | None
    end: int | None
    exact: str | None

    @property
    def label(self) -> str:
        return f"{self.doc} [{self.start}–{self.end})" if self.start is not None else self.doc


@dataclass
class Fact:
    """One row on a page: a thing with columns and its evidence links."""

    node: Val
    cols: dict[str, list[Val]] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    sort: tuple = ()
    date: str = ""


def iri_kind(iri: str, base: str) -> str | None:
    """'person' for …/id/person/x, else None."""
    if iri.startswith(base + "id/"):
        return iri[len(base) + 3 :].split("/", 1)[0]
    return None


def lit(b: dict | None) -> str:
    return b["value"] if b else ""


def date_sort_key(text: str) -> tuple[int, int, int]:
    """Sort key for an ISO date at any precision; a date without a year sorts last.

    >>> date_sort_key("2019-08") < date_sort_key("2019-08-01") < date_sort_key("--05-01")
    True
    """
    m = re.match(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if m:
        return (int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0))
    m = re.match(r"^--(\d{2})(?:-(\d{2}))?", text)
    if m:
        return (9999, int(m.group(1)), int(m.group(2) or 0))
    return (9999, 99, 99)


class Graphs:
    """Small read helpers over ``ctx.select``: labels, descriptions, time nodes and evidence of IRIs."""

    def __init__(self, ctx: PageContext):
        self.ctx = ctx
        self.labels: dict[str, tuple[str, str]] = {}  # iri -> (text, lang)

    async def q(self, body: str) -> list[Binding]:
        return await self.ctx.select(sparql_prefixes() + body)

    async def load_labels(self, iris) -> None:
        todo = {i for i in iris if i not in self.labels and safe_iri(i)}
        if not todo:
            return
        rows = await self.q(
            f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values(todo)} }} "
            f"VALUES ?p {{ skos:prefLabel dct:title rdfs:label rjkg:quote }} ?x ?p ?l }}"
        )
        best: dict[str, tuple[tuple[int, int], str, str]] = {}
        pref = [*LABEL_PREDICATES, str(RJKG.quote)]
        for r in rows:
            lang = r["l"].get("xml:lang", "")
            rank = (pref.index(r["p"]["value"]), LANG_ORDER.get(lang, 3))
            x = r["x"]["value"]
            if x not in best or rank < best[x][0]:
                best[x] = (rank, r["l"]["value"], lang)
        for x, (_, text, lang) in best.items():
            self.labels[x] = (text if len(text) <= 120 else text[:117] + "…", lang)

    def name_composites(self, desc: dict[str, dict[str, list[dict]]]) -> None:
        """Label unlabelled post holdings and participations from their parts ("Лавров — Министр …")."""
        for x, d in desc.items():
            if x in self.labels:
                continue
            if d.get(str(ORG.member)):
                self.labels[x] = (f"{self.names(d, ORG.member)} — {self.names(d, RJKG.post)}", "ru")
            elif d.get(str(RJKG.participant)):
                self.labels[x] = (self.names(d, RJKG.participant), "ru")

    def names(self, d: dict[str, list[dict]], p) -> str:
        return ", ".join(self.val(o).text for o in d.get(str(p), []) if o["type"] == "uri")

    def val(self, b: dict | str) -> Val:
        """A Val for a SPARQL-JSON term (or a bare IRI): labelled, linked, language-tagged."""
        if isinstance(b, str):
            b = {"type": "uri", "value": b}
        if b["type"] == "uri":
            iri = b["value"]
            model = self.ctx.ontology()
            t = model.term(iri) if model else None
            if t is not None and t.labels:  # ontology terms read in the page's language (English)
                lang = "en" if "en" in t.labels else next(iter(t.labels))
                text = t.labels[lang]
            else:
                text, lang = self.labels.get(iri, (curie(iri), None))
            kind = iri_kind(iri, self.ctx.base)
            return Val(
                text, self.ctx.href(iri), lang or None, curie(iri), iri, KIND_CSS.get(kind or "", None)
            )
        if b["type"] == "bnode":
            return Val("_:" + b["value"])
        dt = b.get("datatype")
        return Val(b["value"], lang=b.get("xml:lang") or None, title=curie(dt) if dt else None)

    async def describe(self, nodes) -> dict[str, dict[str, list[dict]]]:
        """Outgoing triples of each node: node -> predicate -> objects (SPARQL-JSON terms)."""
        out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        todo = values(nodes)
        if not todo:
            return out
        rows = await self.q(f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {todo} }} ?s ?p ?o }}")
        for r in rows:
            out[r["s"]["value"]][r["p"]["value"]].append(r["o"])
        return out

    async def times(self, nodes) -> dict[str, str]:
        """Time node -> its date text at the stated precision ('2019-08', '--05-31', 'a – b')."""
        todo = values(nodes)
        if not todo:
            return {}
        rows = await self.q(
            f"SELECT ?t ?p ?o ?p2 ?o2 WHERE {{ VALUES ?t {{ {todo} }} ?t ?p ?o "
            f"OPTIONAL {{ ?o ?p2 ?o2 FILTER(?p IN (time:hasBeginning, time:hasEnd)) }} }}"
        )
        facts: dict[str, dict[str, str]] = defaultdict(dict)
        parts: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        for r in rows:
            t, p = r["t"]["value"], r["p"]["value"]
            facts[t][p] = r["o"]["value"]
            if "p2" in r:
                parts[t][p][r["p2"]["value"]] = r["o2"]["value"]

        def instant(d: dict[str, str]) -> str | None:
            for p in INSTANT_PREDICATES:
                if p in d:
                    return d[p]
            month, day = d.get(str(TIME.month)), d.get(str(TIME.day))
            if month:
                return month + (day[2:] if day else "")
            return None

        out = {}
        for t, d in facts.items():
            text = instant(d)
            if text is None and (str(TIME.hasBeginning) in d or str(TIME.hasEnd) in d):
                b = instant(parts[t].get(str(TIME.hasBeginning), {})) or "…"
                e = instant(parts[t].get(str(TIME.hasEnd), {})) or "…"
                text = f"{b} – {e}"
            if text:
                out[t] = text
        return out

    async def evidence(self, nodes) -> dict[str, list[Evidence]]:
        todo = values(nodes)
        if not todo:
            return {}
        rows = await self.q(
            f"SELECT DISTINCT ?x ?doc ?s ?e ?exact WHERE {{ VALUES ?x {{ {todo} }} ?x rjkg:evidence ?sp . "
            f"OPTIONAL {{ ?sp oa:hasSource ?doc }} "
            f"OPTIONAL {{ ?sp oa:hasSelector ?pos . ?pos oa:start ?s ; oa:end ?e }} "
            f"OPTIONAL {{ ?sp oa:hasSelector ?qs . ?qs oa:exact ?exact }} }}"
        )
        out: dict[str, list[Evidence]] = defaultdict(list)
        for r in rows:
            doc = lit(r.get("doc"))
            s = int(r["s"]["value"]) if "s" in r else None
            e = int(r["e"]["value"]) if "e" in r else None
            href = self.ctx.href(doc) + (f"#span-{s}-{e}" if s is not None else "") if doc else "#"
            out[r["x"]["value"]].append(
                Evidence(href, doc.rsplit("/", 1)[-1], s, e, lit(r.get("exact")) or None)
            )
        for v in out.values():
            v.sort(key=lambda ev: (ev.doc, ev.start or 0))
        return out


# ---------------------------------------------------------------- entity pages


async def entity_page(ctx: PageContext, iri: str) -> dict | None:
    """Everything the entity page shows, or None when the store knows nothing about ``iri``."""
    if not safe_iri(iri):
        return None
    g = Graphs(ctx)
    raw = await g.q(f"SELECT DISTINCT ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} LIMIT 3000")
    if not raw:
        raw = await g.q(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 3000")
    incoming = await g.q(f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> }} LIMIT 1000")
    if not raw and not incoming:
        return None
    out: dict[str, list[dict]] = defaultdict(list)
    for r in raw:
        if r["o"] not in out[r["p"]["value"]]:
            out[r["p"]["value"]].append(r["o"])

    inc_by_p: dict[str, list[str]] = defaultdict(list)
    for r in incoming:
        if r["s"]["type"] == "uri":
            inc_by_p[r["p"]["value"]].append(r["s"]["value"])
    holdings = inc_by_p.get(str(ORG.member), [])
    parts = inc_by_p.get(str(RJKG.participant), [])
    instr_roles = [(s, ROLE_PREDICATES[p]) for p, ss in inc_by_p.items() if p in ROLE_PREDICATES for s in ss]
    statements = inc_by_p.get(str(RJKG.speaker), [])
    events_of: dict[str, str] = {}
    if parts:
        rows = await g.q(
            f"SELECT ?ev ?part WHERE {{ VALUES ?part {{ {values(parts)} }} ?ev rjkg:participation ?part }}"
        )
        events_of = {r["ev"]["value"]: r["part"]["value"] for r in rows}
    own_parts = [o["value"] for o in out.get(str(RJKG.participation), []) if o["type"] == "uri"]

    nodes = {*holdings, *parts, *events_of, *(s for s, _ in instr_roles), *statements, *own_parts}
    desc = await g.describe(nodes)
    time_nodes = {
        o["value"]
        for d in [out, *desc.values()]
        for p, os in d.items()
        if p in TIME_PREDICATES
        for o in os
        if o["type"] == "uri"
    }
    times = await g.times(time_nodes)
    ev = await g.evidence({iri, *nodes})
    linked = {r["o"]["value"] for r in raw if r["o"]["type"] == "uri"}
    linked |= {r["s"]["value"] for r in incoming if r["s"]["type"] == "uri"}
    linked |= {o["value"] for d in desc.values() for os in d.values() for o in os if o["type"] == "uri"}
    await g.load_labels(linked | nodes | {iri})
    g.name_composites(desc)

    def first(d: dict[str, list[dict]], p) -> dict | None:
        os = d.get(str(p), [])
        return os[0] if os else None

    def vals(d: dict[str, list[dict]], p) -> list[Val]:
        res = []
        for o in d.get(str(p), []):
            res.append(Val(times[o["value"]]) if o["type"] == "uri" and o["value"] in times else g.val(o))
        return res

    def when(d: dict[str, list[dict]], *preds) -> str:
        for p in preds:
            o = first(d, p)
            if o is not None:
                return times.get(o["value"], o["value"]) if o["type"] == "uri" else o["value"]
        return ""

    posts = []
    for h in holdings:
        d = desc.get(h, {})
        date = when(d, RJKG.attestedOn)
        f = Fact(g.val(h), {"post": vals(d, RJKG.post), "org": vals(d, ORG.organization)}, ev.get(h, []))
        f.date, f.sort = date, (date_sort_key(date), f.node.text)
        posts.append(f)
    posts.sort(key=lambda f: f.sort)

    events = []
    for e, part in events_of.items():
        d, pd = desc.get(e, {}), desc.get(part, {})
        date = when(d, SEM.hasTime)
        early = lit(first(d, SEM.hasEarliestBeginTimeStamp))
        cols = {
            "type": types_of(ctx, g, d),
            "capacity": vals(pd, RJKG.inCapacityOf),
            "place": vals(d, SEM.hasPlace),
        }
        f = Fact(g.val(e), cols, ev.get(e, []) + ev.get(part, []))
        f.date, f.sort = date, (date_sort_key(early or date), date_sort_key(date), f.node.text)
        events.append(f)
    events.sort(key=lambda f: f.sort)

    instruments = []
    for s, role in instr_roles:
        d = desc.get(s, {})
        date = when(d, RJKG.signingTime, RJKG.proposalTime)
        cols = {"role": [Val(role)], "type": types_of(ctx, g, d), "status": vals(d, RJKG.lifecycleStatus)}
        f = Fact(g.val(s), cols, ev.get(s, []))
        f.date, f.sort = date, (date_sort_key(date), f.node.text)
        instruments.append(f)
    instruments.sort(key=lambda f: f.sort)

    stmts = []
    for s in statements:
        d = desc.get(s, {})
        date = when(d, SEM.hasTime)
        cols = {
            "quote": vals(d, RJKG.quote),
            "mode": vals(d, RJKG.speechMode),
            "doc": vals(d, RJKG.reportedIn),
        }
        f = Fact(g.val(s), cols, ev.get(s, []))
        f.date, f.sort = date, (date_sort_key(date), f.node.text)
        stmts.append(f)
    stmts.sort(key=lambda f: f.sort)

    participants = []
    for p in own_parts:
        d = desc.get(p, {})
        participants.append(
            Fact(
                g.val(p),
                {"who": vals(d, RJKG.participant), "capacity": vals(d, RJKG.inCapacityOf)},
                ev.get(p, []),
            )
        )

    names: dict[str, list[tuple[str, Val]]] = defaultdict(list)
    for p, what in (
        (SKOS.prefLabel, "preferred"), (DCT.title, "title"), (RDFS.label, "label"), (SKOS.altLabel, "alternative"),
        (RJKG.surfaceForm, "as written"),
    ):  # fmt: skip
        for o in out.get(str(p), []):
            if o["type"] == "literal":
                names[o.get("xml:lang", "")].append((what, g.val(o)))
    names_sorted = sorted(names.items(), key=lambda kv: LANG_ORDER.get(kv[0], 3))

    shown = {
        str(RDF.type), str(SKOS.prefLabel), str(DCT.title), str(RDFS.label), str(SKOS.altLabel),
        str(RJKG.surfaceForm), str(SKOS.exactMatch), str(RJKG.evidence), str(RJKG.participation),
    }  # fmt: skip
    props = [
        (g.val(p), vals(out, p)) for p in sorted(out, key=lambda p: ctx.ontology_label(p)) if p not in shown
    ]
    wikidata = [g.val(o) for o in out.get(str(SKOS.exactMatch), []) if o["value"].startswith(str(WD))]
    others = [g.val(o) for o in out.get(str(SKOS.exactMatch), []) if not o["value"].startswith(str(WD))]
    label_text, label_lang = g.labels.get(iri, (None, None))
    kind = iri_kind(iri, ctx.base)
    return {
        "iri": iri,
        "kind": kind,
        "title": Val(label_text or curie(iri), lang=label_lang or None),
        "types": types_of(ctx, g, out),
        "names": names_sorted,
        "wikidata": wikidata,
        "matches": others,
        "posts": posts,
        "events": events,
        "instruments": instruments,
        "statements": stmts,
        "participants": participants,
        "props": props,
        "evidence": ev.get(iri, []),
        "incoming": sorted(
            ((g.val(r["s"]), g.val(r["p"])) for r in incoming if r["s"]["type"] == "uri"),
            key=lambda t: (t[1].text, t[0].text),
        ),
        "raw": [
            (g.val(r["p"]), g.val(r["o"]), curie(r["g"]["value"]) if "g" in r else "")
            for r in sorted(raw, key=lambda r: (r["p"]["value"], r["o"]["value"]))
        ],
        "dump": None,
    }


def types_of(ctx: PageContext, g: Graphs, d: dict[str, list[dict]]) -> list[Val]:
    """The most specific asserted classes (superclasses come from the inferred graph; hide them)."""
    classes = [o["value"] for o in d.get(str(RDF.type), []) if o["type"] == "uri"]
    model = ctx.ontology()
    if model is not None:
        classes = model.most_specific(classes)
    return [g.val(c) for c in sorted(classes)]


# ---------------------------------------------------------------- document pages


async def document_page(ctx: PageContext, iri: str) -> dict | None:
    """The document's metadata, text with evidence marks and the list of what was extracted."""
    from rjkg.pages_text import Mark, highlight

    if not safe_iri(iri):
        return None
    g = Graphs(ctx)
    doc_id = iri.rstrip("/").rsplit("/", 1)[-1]
    meta_rows = await g.q(f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    spans = await g.q(
        f"SELECT DISTINCT ?sp ?s ?e ?exact ?x WHERE {{ ?sp oa:hasSource <{iri}> ; oa:hasSelector ?pos . "
        f"?pos oa:start ?s ; oa:end ?e . OPTIONAL {{ ?sp oa:hasSelector ?qs . ?qs oa:exact ?exact }} "
        f"OPTIONAL {{ ?x rjkg:evidence ?sp }} }}"
    )
    if not meta_rows and not spans:
        return None
    meta: dict[str, list[dict]] = defaultdict(list)
    for r in meta_rows:
        meta[r["p"]["value"]].append(r["o"])
    things = {r["x"]["value"] for r in spans if "x" in r}
    desc = await g.describe(things)
    linked = {o["value"] for d in desc.values() for os in d.values() for o in os if o["type"] == "uri"}
    await g.load_labels(things | linked)
    g.name_composites(desc)
    text, text_note = read_text(ctx, doc_id, meta)

    def fact_line(x: str) -> tuple[str, str]:
        d = desc.get(x, {})
        kind = iri_kind(x, ctx.base) or "other"
        types = [t.text for t in types_of(ctx, g, d)] or [kind]
        label = g.labels.get(x, (None, None))[0]
        if kind == "holding":
            who = [g.val(o).text for o in d.get(str(ORG.member), [])]
            post = [g.val(o).text for o in d.get(str(RJKG.post), [])]
            label = f"{', '.join(who)} — {', '.join(post)}"
        elif kind == "participation":
            who = [g.val(o).text for o in d.get(str(RJKG.participant), [])]
            label = "participant: " + ", ".join(who)
        elif kind == "statement":
            who = ", ".join(g.val(o).text for o in d.get(str(RJKG.speaker), []))
            label = f"{who}: «{label or ''}»"
        return KIND_CSS.get(kind, "other"), f"{' / '.join(types)}: {label or curie(x)}"

    by_span: dict[tuple[int, int], dict] = {}
    mismatched = []
    for r in spans:
        s, e = int(r["s"]["value"]), int(r["e"]["value"])
        entry = by_span.setdefault((s, e), {"exact": lit(r.get("exact")), "things": []})
        if "x" in r and r["x"]["value"] not in entry["things"]:
            entry["things"].append(r["x"]["value"])
    marks = []
    for (s, e), entry in sorted(by_span.items()):
        if text is not None and entry["exact"] and text[s:e] != entry["exact"]:
            mismatched.append((s, e, entry["exact"]))
            continue
        lines = [fact_line(x) for x in entry["things"]]
        # the primary fact: an entity (the most specific thing a reader wants) before posts, events, statements
        order = sorted(
            range(len(lines)),
            key=lambda i: KIND_ORDER.index(lines[i][0]) if lines[i][0] in KIND_ORDER else 99,
        )
        kind = lines[order[0]][0] if lines else "other"
        href = ctx.href(entry["things"][order[0]]) if lines else None
        marks.append(Mark(s, e, kind, href, [lines[i][1] for i in order] or [f"[{s}–{e})"]))

    extracted: dict[str, list[tuple[Val, str, list[str]]]] = defaultdict(list)
    for x in sorted(things):
        kind, line = fact_line(x)
        anchors = [f"span-{s}-{e}" for (s, e), en in sorted(by_span.items()) if x in en["things"]]
        node = g.val(x)
        if x not in g.labels:  # unlabelled things: the fact line says more than an IRI
            node.text = line.split(": ", 1)[-1]
        d = desc.get(x, {})
        note = ", ".join(t.text for t in types_of(ctx, g, d))
        if d.get(str(RJKG.speaker)):
            note += " by " + g.names(d, RJKG.speaker)
        extracted[kind].append((node, note, anchors))
    groups = [(k, sorted(extracted[k], key=lambda t: t[0].text)) for k in KIND_ORDER if k in extracted]
    return {
        "iri": iri,
        "id": doc_id,
        "title": g.val(meta[str(DCT.title)][0]) if meta.get(str(DCT.title)) else Val(doc_id),
        "meta": [
            (g.val(p), types_of(ctx, g, meta) if p == str(RDF.type) else [g.val(o) for o in os])
            for p, os in sorted(meta.items(), key=lambda kv: ctx.ontology_label(kv[0]))
            if p != str(DCT.title)
        ],
        "html": highlight(text, marks) if text is not None else None,
        "text_note": text_note,
        "marks": len(marks),
        "mismatched": mismatched,
        "quotes": [(s, e, en["exact"]) for (s, e), en in sorted(by_span.items())],
        "groups": groups,
        "kinds": [k for k, _ in groups],
    }


def read_text(ctx: PageContext, doc_id: str, meta: dict[str, list[dict]]) -> tuple[str | None, str | None]:
    """The decoded document text exactly as offsets index it (rjkg.ingest decodes), or a note saying why not."""
    from rjkg.errors import RjkgError
    from rjkg.ingest import load_document

    if not re.fullmatch(r"[A-Za-z0-9_.-]+", doc_id) or ctx.documents_dir is None:
        return None, "the source text is not available here"
    path = ctx.documents_dir / f"{doc_id}.txt"
    if not path.is_file():
        return None, f"the source text ({path.name}) is not available here; showing the evidence quotes only"
    try:
        text = load_document(path).text
    except RjkgError as err:
        return None, f"the source text could not be read: {err.message}"
    count = meta.get(str(RJKG.charCount))
    if count and count[0]["value"].isdigit() and int(count[0]["value"]) != len(text):
        return text, (
            f"the text on disk has {len(text)} characters but the graph was built from {count[0]['value']}: "
            "it may have changed since the build"
        )
    return text, None


# ---------------------------------------------------------------- home and timeline


async def home_counts(ctx: PageContext) -> dict:
    """Counts per class, per document and per named graph (the first things a linked-data consumer asks)."""
    g = Graphs(ctx)
    classes = await g.q("SELECT ?cls (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?cls } GROUP BY ?cls")
    docs = await g.q(
        "SELECT ?doc (SAMPLE(?t) AS ?title) (SAMPLE(?d) AS ?date) (COUNT(DISTINCT ?sp) AS ?spans) WHERE { "
        "?doc a rjkg:SourceDocument . OPTIONAL { ?doc dct:title ?t } OPTIONAL { ?doc dct:issued ?d } "
        "OPTIONAL { ?sp oa:hasSource ?doc } } GROUP BY ?doc"
    )
    ents = await g.q(
        "SELECT ?doc (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x rjkg:mentionedIn ?doc } GROUP BY ?doc"
    )
    stmts = await g.q(
        "SELECT ?doc (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x rjkg:reportedIn ?doc } GROUP BY ?doc"
    )
    graphs = await g.q("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    n_ent = {r["doc"]["value"]: int(r["n"]["value"]) for r in ents}
    n_stmt = {r["doc"]["value"]: int(r["n"]["value"]) for r in stmts}
    own = [r for r in classes if r["cls"]["value"].startswith(str(RJKG))]  # not superclasses from elsewhere
    class_rows = sorted(
        ((g.val(r["cls"]), int(r["n"]["value"])) for r in own or classes), key=lambda t: (-t[1], t[0].text)
    )
    doc_rows = []
    for r in docs:
        d = r["doc"]["value"]
        title = g.val(r["title"]) if "title" in r else Val(d.rsplit("/", 1)[-1])
        title.href = ctx.href(d)
        doc_rows.append(
            (
                title,
                lit(r.get("date")),
                n_ent.get(d, 0),
                n_stmt.get(d, 0),
                int(r["spans"]["value"]),
                d.rsplit("/", 1)[-1],
            )
        )
    doc_rows.sort(key=lambda t: (date_sort_key(t[1]), t[5]))
    graph_rows = sorted((curie(r["g"]["value"]), int(r["n"]["value"])) for r in graphs)
    other = len(classes) - len(own) if own else 0
    return {"classes": class_rows, "other_classes": other, "docs": doc_rows, "graphs": graph_rows}


async def timeline(ctx: PageContext, actor: str | None, type_: str | None, statements: bool = False) -> dict:
    """Every dated event, ordered by date at its precision, with the filters' choices.

    Statements are speech acts (⊑ sem:Event) and outnumber events; they are listed only when asked for (the
    checkbox, or type=rjkg:Statement)."""
    g = Graphs(ctx)
    rows = await g.q(
        "SELECT DISTINCT ?ev ?t ?early WHERE { ?ev sem:hasTime ?t . "
        "OPTIONAL { ?ev sem:hasEarliestBeginTimeStamp ?early } }"
    )
    evs = {r["ev"]["value"] for r in rows}
    actors_rows = await g.q(
        "SELECT DISTINCT ?ev ?a WHERE { ?ev sem:hasTime ?t . "
        "{ ?ev rjkg:participation/rjkg:participant ?a } UNION { ?ev rjkg:speaker ?a } }"
    )
    desc = await g.describe(evs)
    times = await g.times({r["t"]["value"] for r in rows})
    ev = await g.evidence(evs)
    actors: dict[str, set[str]] = defaultdict(set)
    for r in actors_rows:
        actors[r["ev"]["value"]].add(r["a"]["value"])
    all_actors = {a for s in actors.values() for a in s}
    places = {o["value"] for d in desc.values() for o in d.get(str(SEM.hasPlace), [])}
    await g.load_labels(evs | all_actors | places)
    items = []
    type_choices: dict[str, Val] = {}
    for r in rows:
        e = r["ev"]["value"]
        d = desc.get(e, {})
        types = types_of(ctx, g, d)
        for t in types:
            type_choices[t.iri or t.text] = t
        date = times.get(r["t"]["value"], "")
        is_statement = str(RJKG.Statement) in {t.iri for t in types}
        if is_statement and not statements and type_ not in (str(RJKG.Statement), "rjkg:Statement"):
            continue
        if actor and actor not in actors.get(e, set()):
            continue
        if type_ and type_ not in {t.iri for t in types} and type_ not in {curie(t.iri or "") for t in types}:
            continue
        cols = {
            "type": types,
            "who": sorted((g.val(a) for a in actors.get(e, ())), key=lambda v: v.text),
            "place": [g.val(o) for o in d.get(str(SEM.hasPlace), [])],
            "planned": [Val("planned")] if d.get(str(SCHEMA.eventStatus)) else [],
        }
        f = Fact(g.val(e), cols, ev.get(e, []))
        early = lit(r.get("early"))
        f.date, f.sort = date, (date_sort_key(early or date), date_sort_key(date), f.node.text)
        items.append(f)
    items.sort(key=lambda f: f.sort)
    return {
        "events": items,
        "actors": sorted((g.val(a) for a in all_actors), key=lambda v: v.text),
        "types": sorted(type_choices.values(), key=lambda v: v.text),
        "actor": actor or "",
        "type": type_ or "",
        "statements": statements,
    }
