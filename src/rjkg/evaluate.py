"""`rjkg evaluate`: score extraction as it ends up in the graph, against gold annotations.

Each document goes through the real pipeline (ingest → extract → resolve → build), its named graph and the curated
graph are loaded into an in-memory pyoxigraph store, and the items are READ BACK WITH SPARQL as ontology/README.md
("Reading it back") says — so a fact the build drops or mistypes costs points. Scoring itself is `rjkg.score`.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from rjkg import config, score
from rjkg.errors import InputError, RjkgError
from rjkg.records import Extraction
from rjkg.vocab import (
    ENTITY_TYPES,
    EVENT_TYPES,
    G_CURATED,
    INSTITUTION_TYPES,
    INSTRUMENT_TYPES,
    NS,
    RJKG,
    TIME,
    doc_graph,
    sparql_prefixes,
)

DEFAULT_GOLD = config.ROOT / "tests" / "gold" / "seeds"
Extractor = Callable[[Path], Extraction]


@dataclass
class Evaluation:
    report: score.Report
    documents: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # document → why it yielded nothing
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {**self.report.as_dict(), "errors": self.errors, "seconds": round(self.seconds, 2)}


# ---------------------------------------------------------------------------------------------------- inputs


def gold_files(gold_dir: Path) -> list[Path]:
    if not gold_dir.is_dir():
        raise InputError(
            "gold folder not found", where=str(gold_dir), hint="pass --gold DIR with *.yaml gold files"
        )
    files = sorted([*gold_dir.glob("*.yaml"), *gold_dir.glob("*.yml")])
    if not files:
        raise InputError("no gold files (*.yaml) in the folder", where=str(gold_dir),
                         hint="see tests/gold/README.md for the format")  # fmt: skip
    return files


def document_for(gold: score.GoldDoc, gold_path: Path, docs_dir: Path) -> Path:
    """The document a gold file describes: `document.file` in DOCS, else the gold file's stem + .txt."""
    for candidate in (docs_dir / Path(gold.file).name, docs_dir / f"{gold_path.stem}.txt"):
        if candidate.is_file():
            return candidate
    raise InputError(
        f"document {gold.file!r} named by the gold file is not in the documents folder",
        where=f"{gold_path}: document.file",
        hint=f"put {Path(gold.file).name} in {docs_dir} or pass the right --docs folder",
    )


def _default_extractor(docs_dir: Path) -> Extractor:
    from rjkg import pipeline

    meta = docs_dir / "metadata.yaml"
    return lambda path: pipeline.extract_document(path, meta if meta.is_file() else None)


# ---------------------------------------------------------------------------------------------------- read-back


class GraphReader:
    """Reads the scored items of one document graph back from a pyoxigraph store (with the curated graph)."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.prefixes = sparql_prefixes()

    def select(self, query: str) -> list[dict[str, ox.NamedNode | ox.Literal]]:
        res = self.store.query(self.prefixes + query)
        names = [v.value for v in res.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in res]

    def read(self, doc_id: str) -> score.Extracted:
        g = f"<{doc_graph(doc_id)}>"
        doc = f"<{NS['doc'][doc_id]}>"
        self._labels = self._read_labels(g)
        self._times = self._read_times(g)
        return score.Extracted(
            entities=self._entities(g, doc),
            posts=self._posts(g),
            events=self._events(g),
            instruments=self._instruments(g),
            institutions=self._institutions(g),
            statements=self._statements(g),
        )

    # -- labels and times

    def _read_labels(self, g: str) -> dict[str, str]:
        """node → its Russian label: skos:prefLabel@ru (or dct:title@ru) from the document graph, else curated."""
        rows = self.select(
            f"""SELECT ?s ?l ?g WHERE {{ VALUES ?g {{ {g} <{G_CURATED}> }}
                  GRAPH ?g {{ ?s skos:prefLabel|dct:title ?l }} FILTER(langMatches(lang(?l), "ru")) }}"""
        )
        best: dict[str, tuple[int, str]] = {}
        for r in rows:
            rank = 0 if f"<{r['g'].value}>" == g else 1
            key, val = r["s"].value, r["l"].value
            if key not in best or (rank, val) < best[key]:
                best[key] = (rank, val)
        return {k: v for k, (_, v) in best.items()}

    def label(self, node) -> str:
        return self._labels.get(node.value, "") if node is not None else ""

    def _read_times(self, g: str) -> dict[str, dict[str, str]]:
        rows = self.select(
            f"""SELECT ?t ?p ?v WHERE {{ GRAPH {g} {{ ?t ?p ?v }}
                  VALUES ?p {{ time:inXSDDate time:inXSDgYearMonth time:inXSDgYear time:month time:day
                               time:hasBeginning }} }}"""
        )
        times: dict[str, dict[str, str]] = {}
        for r in rows:
            times.setdefault(r["t"].value, {})[r["p"].value] = r["v"].value
        return times

    def iso(self, node) -> str | None:
        """The ISO string of a time node: the inXSD literal, --MM-DD for a DateTimeDescription, an interval's start."""
        if node is None:
            return None
        t = self._times.get(node.value, {})
        if str(TIME.hasBeginning) in t:
            return self.iso(ox.NamedNode(t[str(TIME.hasBeginning)]))
        for p in (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear):
            if str(p) in t:
                return t[str(p)]
        month = t.get(str(TIME.month))
        if month:
            day = t.get(str(TIME.day))
            return month + (f"-{day.lstrip('-')}" if day else "")
        return None

    # -- categories

    @staticmethod
    def _values(types) -> str:
        return " ".join(f"rjkg:{t}" for t in types)

    def _entities(self, g: str, doc: str) -> list[score.XEntity]:
        rows = self.select(
            f"""SELECT DISTINCT ?e ?cls WHERE {{ GRAPH {g} {{ ?e rjkg:mentionedIn {doc} ; a ?cls }}
                  VALUES ?cls {{ {self._values(ENTITY_TYPES)} }} }} ORDER BY ?e ?cls"""
        )
        return [score.XEntity(_local(r["cls"]), self.label(r["e"])) for r in rows]

    def _posts(self, g: str) -> list[score.XPost]:
        rows = self.select(
            f"""SELECT ?h ?person ?post ?org WHERE {{ GRAPH {g} {{
                  ?h a rjkg:PostHolding ; org:member ?person ; rjkg:post ?post .
                  OPTIONAL {{ ?h org:organization ?org }} }} }} ORDER BY ?h ?org"""
        )
        types = self._multi(
            f"""SELECT ?s ?v WHERE {{ VALUES ?g {{ {g} <{G_CURATED}> }} GRAPH ?g {{ ?s a ?v }}
                  VALUES ?v {{ {self._values(ENTITY_TYPES)} }} }} ORDER BY ?s ?v"""
        )
        seen: dict[str, score.XPost] = {}
        for r in rows:  # one item per holding (a holding with two organisations keeps the first)
            person_types = sorted(
                (_local(t) for t in types.get(r["person"].value, [])), key=lambda t: t != "Person"
            )
            seen.setdefault(
                r["h"].value,
                score.XPost(
                    self.label(r["person"]),
                    self.label(r["post"]),
                    self.label(r.get("org")) or None,
                    person_types[0] if person_types else None,
                ),
            )
        return list(seen.values())

    def _events(self, g: str) -> list[score.XEvent]:
        rows = self.select(
            f"""SELECT ?ev ?cls ?t WHERE {{ GRAPH {g} {{ ?ev a ?cls . OPTIONAL {{ ?ev sem:hasTime ?t }} }}
                  VALUES ?cls {{ {self._values(EVENT_TYPES)} }} }} ORDER BY ?ev ?cls ?t"""
        )
        parts = self._multi(
            f"SELECT ?s ?v WHERE {{ GRAPH {g} {{ ?s rjkg:participation/rjkg:participant ?v }} }} ORDER BY ?s ?v"
        )
        items: dict[tuple[str, str], score.XEvent] = {}
        for r in rows:
            key = (r["ev"].value, r["cls"].value)
            if key not in items:
                who = tuple(self.label(p) for p in parts.get(r["ev"].value, []))
                items[key] = score.XEvent(_local(r["cls"]), self.iso(r.get("t")), who)
        return list(items.values())

    def _instruments(self, g: str) -> list[score.XInstrument]:
        rows = self.select(
            f"""SELECT ?i ?cls ?title ?label ?signed ?proposed ?terminated WHERE {{ GRAPH {g} {{ ?i a ?cls .
                  OPTIONAL {{ ?i dct:title ?title }} OPTIONAL {{ ?i skos:prefLabel ?label }}
                  OPTIONAL {{ ?i rjkg:signingTime ?signed }} OPTIONAL {{ ?i rjkg:proposalTime ?proposed }}
                  OPTIONAL {{ ?i rjkg:terminationTime ?terminated }} }}
                  VALUES ?cls {{ {self._values(INSTRUMENT_TYPES)} }} }}
                ORDER BY ?i ?cls ?title ?label"""
        )
        items: dict[tuple[str, str], score.XInstrument] = {}
        for r in rows:
            key = (r["i"].value, r["cls"].value)
            if key in items:
                continue
            title = r.get("title") or r.get("label")
            dates = tuple((kind, d) for kind in score.DATE_KINDS if (d := self.iso(r.get(kind))) is not None)
            items[key] = score.XInstrument(_local(r["cls"]), title.value if title else None, dates)
        return list(items.values())

    def _institutions(self, g: str) -> list[score.XInstitution]:
        rows = self.select(
            f"""SELECT DISTINCT ?i ?cls WHERE {{ GRAPH {g} {{ ?i a ?cls }}
                  VALUES ?cls {{ {self._values(INSTITUTION_TYPES)} }} }} ORDER BY ?i ?cls"""
        )
        return [score.XInstitution(_local(r["cls"]), self.label(r["i"])) for r in rows]

    def _statements(self, g: str) -> list[score.XStatement]:
        rows = self.select(
            f"""SELECT ?s (SAMPLE(?quote) AS ?q) WHERE {{ GRAPH {g} {{ ?s a rjkg:Statement .
                  OPTIONAL {{ ?s rjkg:quote ?quote }} }} }} GROUP BY ?s ORDER BY ?s"""
        )
        speakers = self._multi(f"SELECT ?s ?v WHERE {{ GRAPH {g} {{ ?s rjkg:speaker ?v }} }} ORDER BY ?s ?v")
        return [
            score.XStatement(
                tuple(self.label(v) for v in speakers.get(r["s"].value, [])), r["q"].value if "q" in r else ""
            )
            for r in rows
        ]

    def _multi(self, query: str) -> dict[str, list]:
        out: dict[str, list] = {}
        for r in self.select(query):
            out.setdefault(r["s"].value, []).append(r["v"])
        return out


def _local(node) -> str:
    return node.value.removeprefix(str(RJKG))


# ---------------------------------------------------------------------------------------------------- evaluate


def load_graph(store: ox.Store, graph, name) -> None:
    """Put an rdflib Graph into a named graph of the store (N-Triples: no blank nodes, exact literals)."""
    data = graph.serialize(format="nt", encoding="utf-8")
    store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(name)))


def read_back(ex: Extraction, store: ox.Store | None = None) -> score.Extracted:
    """Build one extraction's graph, load it (with the curated graph when the store is new) and read it back."""
    from rjkg import build

    if store is None:
        store = ox.Store()
        load_graph(store, build.curated_graph(), G_CURATED)
    load_graph(store, build.document_graph(ex), doc_graph(ex.doc.id))
    return GraphReader(store).read(ex.doc.id)


def evaluate(
    docs: Path | None = None, gold: Path | None = None, extractor: Extractor | None = None, progress=None
) -> Evaluation:
    """Extract every gold-annotated document, build its graph, read it back with SPARQL and score it."""
    from rjkg import build

    docs_dir = Path(docs) if docs else config.SEEDS_DIR
    gold_dir = Path(gold) if gold else DEFAULT_GOLD
    if not docs_dir.is_dir():
        raise InputError(
            "documents folder not found", where=str(docs_dir), hint="pass --docs DIR with the .txt files"
        )
    files = gold_files(gold_dir)
    golds = [(path, score.load_gold(path)) for path in files]
    pairs = [(path, gd, document_for(gd, path, docs_dir)) for path, gd in golds]
    extract = extractor or _default_extractor(docs_dir)

    t0 = time.perf_counter()
    store = ox.Store()
    load_graph(store, build.curated_graph(), G_CURATED)
    result = Evaluation(report=score.Report())
    for _gold_path, gd, doc_path in pairs:
        name = doc_path.name
        if progress:
            progress(name)
        result.documents.append(name)
        try:
            extracted = read_back(extract(doc_path), store)
        except RjkgError as err:
            result.errors[name] = err.render()
            extracted = score.Extracted()
        except Exception as err:  # a bug in a stage: report it for this document, score the others
            result.errors[name] = f"internal error: {type(err).__name__}: {err}"
            extracted = score.Extracted()
        result.report.add(name, score.score_document(gd, extracted))
    result.seconds = time.perf_counter() - t0
    return result


# ---------------------------------------------------------------------------------------------------- CLI


def render_table(result: Evaluation, console) -> None:
    from rich.table import Table

    table = Table(title=f"rjkg evaluate — {len(result.documents)} documents", title_justify="left")
    for col in ("category", "P", "R", "F1", "TP", "FP", "FN"):
        table.add_column(col, justify="left" if col == "category" else "right")

    def row(name: str, c: score.Counts, style: str | None = None) -> None:
        table.add_row(name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.fp),
                      str(c.fn), style=style)  # fmt: skip

    for cat in score.MICRO_CATEGORIES:
        row(cat, result.report.totals[cat])
    row("micro-average", result.report.micro, style="bold")
    table.add_section()
    row("statements", result.report.totals["statements"])
    console.print(table)
    per_doc = Table(title="per document (F1)", title_justify="left")
    for col in ("document", *score.MICRO_CATEGORIES, "micro", "statements"):
        per_doc.add_column(col, justify="left" if col == "document" else "right")
    for doc, counts in result.report.per_document.items():
        micro = score.Counts()
        for cat in score.MICRO_CATEGORIES:
            micro += counts[cat]
        cells = [counts[c].f1 for c in score.MICRO_CATEGORIES] + [micro.f1, counts["statements"].f1]
        per_doc.add_row(doc, *(f"{f:.2f}" for f in cells))
    console.print(per_doc)
    for doc, why in result.errors.items():
        console.print(f"[red]{doc}: no items scored: {why}[/red]")
    console.print(f"({result.seconds:.1f} s)")


def evaluate_cli(*, docs: Path | None = None, gold: Path | None = None, as_json: bool = False) -> int:
    """`rjkg evaluate`: the table (or JSON with --json) on stdout; exit 0 when every document was scored."""
    from rich.console import Console

    err = Console(stderr=True)
    progress = None if as_json else (lambda name: err.print(f"[dim]extracting {name}[/dim]"))
    result = evaluate(docs, gold, progress=progress)
    if as_json:
        json.dump(result.as_dict(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        sys.stdout.write("\n")
    else:
        render_table(result, Console())
    return 1 if result.errors else 0
