"""Records → RDF: one document's named graph, and the curated (gazetteer) graph.

Writes exactly what ontology/README.md (the graph contract) says: most specific class only, deterministic IRIs from
the slug recipes, evidence spans with position and quote selectors, hash-IRI time nodes, no blank nodes. Pure: the
same Extraction gives the same triples, so dumps diff cleanly and the per-document cache can key on inputs alone.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from rjkg import __version__, config
from rjkg.errors import DocumentError, InputError
from rjkg.ids import short_hash, slugify
from rjkg.records import (
    DateValue,
    Entity,
    Event,
    Extraction,
    Institution,
    Instrument,
    PartialDate,
    PostHolding,
    Span,
    Statement,
)
from rjkg.vocab import (
    ELI,
    ENTITY_KIND,
    GENRES,
    INSTITUTION_STATUS,
    INSTITUTION_TYPES,
    INSTRUMENT_STATUS,
    NS,
    OA,
    ORG,
    RJKG,
    SCHEMA,
    SEM,
    SKOSXL,
    TIME,
    WD,
)

PIPELINE_VERSION = __version__
QUOTE_CONTEXT = 32  # characters of oa:prefix / oa:suffix
# sources whose change changes extraction output (the run IRI and cache keys cover them)
_PIPELINE_SOURCES = ("ingest.py", "resolve.py", "build.py", "records.py", "vocab.py", "ids.py", "extract")


# ---------------------------------------------------------------------------------------------------- versioning


@cache
def pipeline_hash() -> str:
    """SHA-256 over the package version, the ontology, the data files (gazetteer …) and the extraction code.

    No clock: the same inputs always give the same run IRI and cache keys.
    """
    h = hashlib.sha256(f"rjkg {PIPELINE_VERSION}\n".encode())
    files: list[Path] = []
    if config.ONTOLOGY_FILE.is_file():
        files.append(config.ONTOLOGY_FILE)
    if config.DATA_DIR.is_dir():
        files += sorted(p for p in config.DATA_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for name in _PIPELINE_SOURCES:
        p = config.PACKAGE_DIR / name
        files += sorted(p.rglob("*.py")) if p.is_dir() else [p] if p.is_file() else []
    for p in files:
        rel = p.relative_to(config.PACKAGE_DIR) if p.is_relative_to(config.PACKAGE_DIR) else Path(p.name)
        h.update(f"\n{rel.as_posix()}\n".encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def run_iri() -> URIRef:
    return NS["run"][f"extract-{pipeline_hash()[:8]}"]


# ---------------------------------------------------------------------------------------------------- IRIs


def _last_segment(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def doc_iri(doc_id: str) -> URIRef:
    return NS["doc"][doc_id]


def span_iri(doc_id: str, span: Span) -> URIRef:
    return NS["span"][f"{doc_id}-{span.start}-{span.end}"]


def entity_iri(entity: Entity) -> URIRef:
    """Resolve's IRI, else one minted from type + normalised name (the contract's fallback)."""
    if entity.iri:
        return URIRef(entity.iri)
    return NS[ENTITY_KIND.get(entity.type, "org")][slugify(entity.name_ru)]


def institution_iri(inst: Institution) -> URIRef:
    if inst.iri:
        return URIRef(inst.iri)
    return NS["institution"][slugify(inst.name_ru)]


def post_iri(title: str, org: URIRef | None) -> URIRef:
    title_slug = slugify(title)
    return NS["post"][f"{_last_segment(org)}--{title_slug}" if org is not None else title_slug]


def _hash_node(owner: URIRef, name: str) -> URIRef:
    return URIRef(f"{owner}#{name}")


# ---------------------------------------------------------------------------------------------------- literals


def date_literal(d: PartialDate) -> tuple[URIRef, Literal] | None:
    """(time property, typed literal) for a date with a year: the datatype is the precision."""
    if d.year is None:
        return None
    if d.precision == "day":
        return TIME.inXSDDate, Literal(d.iso(), datatype=XSD.date)
    if d.precision == "month":
        return TIME.inXSDgYearMonth, Literal(d.iso(), datatype=XSD.gYearMonth)
    return TIME.inXSDgYear, Literal(d.iso(), datatype=XSD.gYear)


def _typed_date(d: PartialDate | None) -> Literal | None:
    pair = date_literal(d) if d else None
    return pair[1] if pair else None


def _first_day(d: PartialDate) -> str | None:
    if d.year is None:
        return None
    return f"{d.year:04d}-{d.month or 1:02d}-{d.day or 1:02d}"


def _last_day(d: PartialDate) -> str | None:
    if d.year is None:
        return None
    month = d.month or 12
    day = d.day or calendar.monthrange(d.year, month)[1]
    return f"{d.year:04d}-{month:02d}-{day:02d}"


def complete_range(dv: DateValue) -> DateValue:
    """A range with the year written once ("с 20 по 25 августа 2019", "с 20 декабря 2019 по 5 января") gets it on
    both ends (a year back or on when the months wrap). A range with no year at all stays as it is: the time node is
    then the start's day-month description (an interval needs two Instants, which need a year)."""
    start, end = dv.start, dv.end
    if end is None or (start.year is None) == (end.year is None):
        return dv
    if start.year is None:
        year = end.year - (1 if (start.month or 0, start.day or 0) > (end.month or 0, end.day or 0) else 0)
        start = PartialDate(year, start.month, start.day)
    else:
        year = start.year + (1 if (end.month or 0, end.day or 0) < (start.month or 0, start.day or 0) else 0)
        end = PartialDate(year, end.month, end.day)
    return DateValue(start, end, dv.resolved_from, dv.relative)


def _ru(text: str) -> Literal:
    return Literal(text, lang="ru")


def _label_lang(text: str) -> Literal:
    """Aliases: Cyrillic ones are @ru, Latin abbreviations (JBIC, METI) @en."""
    return Literal(text, lang="ru" if any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in text) else "en")


# ---------------------------------------------------------------------------------------------------- the builder


class _DocBuilder:
    """Accumulates one document's triples; keeps the key → IRI maps the records refer through."""

    def __init__(self, ex: Extraction):
        self.ex = ex
        self.doc = ex.doc
        self.g = Graph()
        self.doc_node = doc_iri(self.doc.id)
        self.keys: dict[str, URIRef] = {}
        self.types: dict[str, str] = {}
        for e in ex.entities:
            self.keys.setdefault(e.key, entity_iri(e))
            self.types.setdefault(e.key, e.type)
        for inst in ex.institutions:
            self.keys.setdefault(inst.key, institution_iri(inst))
            self.types.setdefault(inst.key, inst.type)
        self.holding_posts: dict[tuple[str, str], URIRef] = {}

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def ref(self, key: str | None) -> URIRef | None:
        return self.keys.get(key) if key else None

    # -- evidence

    def span(self, span: Span) -> URIRef:
        text, doc_id = self.doc.text, self.doc.id
        if not (0 <= span.start < span.end <= len(text)):
            raise DocumentError(
                f"evidence span {span.start}-{span.end} lies outside the text (0-{len(text)}) or is empty",
                where=self.doc.path or doc_id,
                hint="an extractor produced a bad offset; report it with this document",
            )
        node = span_iri(doc_id, span)
        pos, quote = _hash_node(node, "pos"), _hash_node(node, "quote")
        self.add(node, RDF.type, OA.SpecificResource)
        self.add(node, OA.hasSource, self.doc_node)
        self.add(node, OA.hasSelector, pos)
        self.add(node, OA.hasSelector, quote)
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(pos, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(text[span.start : span.end]))
        prefix = text[max(0, span.start - QUOTE_CONTEXT) : span.start]
        suffix = text[span.end : span.end + QUOTE_CONTEXT]
        if prefix:
            self.add(quote, OA.prefix, Literal(prefix))
        if suffix:
            self.add(quote, OA.suffix, Literal(suffix))
        return node

    def evidence(self, node: URIRef, spans: Iterable[Span]) -> None:
        for sp in spans:
            self.add(node, RJKG.evidence, self.span(sp))

    # -- time

    def instant(self, node: URIRef, d: PartialDate) -> None:
        pair = date_literal(d)
        if pair:
            self.add(node, RDF.type, TIME.Instant)
            self.add(node, *pair)
        else:  # day and month without a year
            self.add(node, RDF.type, TIME.DateTimeDescription)
            if d.month:
                self.add(node, TIME.month, Literal(f"--{d.month:02d}", datatype=XSD.gMonth))
            if d.day:
                self.add(node, TIME.day, Literal(f"---{d.day:02d}", datatype=XSD.gDay))

    def time(self, owner: URIRef, prop: URIRef, name: str, dv: DateValue | None) -> None:
        """`owner prop <owner#name>`: an Instant, a DateTimeDescription, or a ProperInterval over two of them."""
        if dv is None:
            return
        dv = complete_range(dv)
        node = _hash_node(owner, name)
        self.add(owner, prop, node)
        if dv.end is not None and dv.end != dv.start and dv.start.year is not None:
            begin, end = _hash_node(owner, f"{name}-begin"), _hash_node(owner, f"{name}-end")
            self.add(node, RDF.type, TIME.ProperInterval)
            self.add(node, TIME.hasBeginning, begin)
            self.add(node, TIME.hasEnd, end)
            self.instant(begin, dv.start)
            self.instant(end, dv.end)
        else:
            self.instant(node, dv.start)

    def bounds(self, owner: URIRef, dv: DateValue | None) -> None:
        """sem:hasEarliestBeginTimeStamp / hasLatestEndTimeStamp as xsd:date (SPARQL can't compare gYearMonth)."""
        if dv is None:
            return
        dv = complete_range(dv)
        if dv.start.year is None:
            return
        end = dv.end or dv.start
        self.add(owner, SEM.hasEarliestBeginTimeStamp, Literal(_first_day(dv.start), datatype=XSD.date))
        self.add(owner, SEM.hasLatestEndTimeStamp, Literal(_last_day(end), datatype=XSD.date))

    # -- document

    def document(self) -> None:
        doc, node, meta = self.doc, self.doc_node, self.doc.meta
        self.add(node, RDF.type, RJKG.SourceDocument)
        if meta.title:
            self.add(node, DCTERMS.title, _ru(meta.title))
        issued = _typed_date(meta.date)
        if issued is not None:
            self.add(node, DCTERMS.issued, issued)
        if meta.publisher:
            self.add(node, RJKG.publisherName, Literal(meta.publisher))
        if meta.genre in GENRES:
            self.add(node, RJKG.genre, RJKG[meta.genre])
        self.add(node, DCTERMS.language, Literal(meta.language or "ru"))
        self.add(node, RJKG.textSha256, Literal(doc.sha256))
        self.add(node, RJKG.charCount, Literal(len(doc.text), datatype=XSD.integer))
        self.add(node, DCTERMS.source, Literal(_source_path(doc.path, doc.id)))
        run = run_iri()
        self.add(node, PROV.wasGeneratedBy, run)
        self.add(run, RDF.type, PROV.Activity)

    # -- entities

    def entity(self, e: Entity) -> None:
        node = self.keys[e.key]
        self.add(node, RDF.type, RJKG[e.type])
        self.add(node, SKOS.prefLabel, _ru(e.name_ru))
        if e.name_en:
            self.add(node, SKOS.prefLabel, Literal(e.name_en, lang="en"))
        for alias in e.aliases:
            if alias not in (e.name_ru, e.name_en):
                self.add(node, SKOS.altLabel, _label_lang(alias))
        self.add(node, RJKG.mentionedIn, self.doc_node)
        for m in e.mentions:
            self.add(node, RJKG.surfaceForm, _ru(m.quote(self.doc.text)))
        self.evidence(node, e.mentions)

    # -- posts

    def holding(self, h: PostHolding) -> None:
        person = self.ref(h.person)
        if person is None:
            return
        org = self.ref(h.org)
        post = post_iri(h.title, org)
        self.holding_posts[(h.person, h.full_title)] = post
        self.holding_posts.setdefault((h.person, h.title), post)
        self.add(post, RDF.type, ORG.Post)
        self.add(post, SKOS.prefLabel, _ru(h.title))
        self.add(post, RJKG.fullTitle, _ru(h.full_title or h.title))
        if org is not None:
            self.add(post, ORG.postIn, org)
        self.evidence(post, h.evidence)
        node = NS["holding"][f"{_last_segment(person)}--{_last_segment(post)}"]
        self.add(node, RDF.type, RJKG.PostHolding)
        self.add(node, ORG.member, person)
        self.add(node, RJKG.post, post)
        if org is not None:
            self.add(node, ORG.organization, org)
        attested = _typed_date(self.doc.meta.date)
        if attested is not None:
            self.add(node, RJKG.attestedOn, attested)
        self.evidence(node, h.evidence)

    # -- events

    def event(self, ev: Event, taken: set[URIRef]) -> None:
        start = min(s.start for s in ev.evidence) if ev.evidence else 0
        node = NS["event"][f"{self.doc.id}-{slugify(ev.type)}-{start}"]
        if node in taken:  # two events of one type starting at one offset: keep them apart, deterministically
            node = URIRef(f"{node}-{int(short_hash(repr((ev.label, ev.date, ev.participants))), 16)}")
        taken.add(node)
        self.add(node, RDF.type, RJKG[ev.type])
        self.add(node, SKOS.prefLabel, _ru(ev.label))
        self.time(node, SEM.hasTime, "time", ev.date)
        self.bounds(node, ev.date)
        place = self.ref(ev.place)
        if place is not None:
            self.add(node, SEM.hasPlace, place)
        for p in ev.participants:
            who = self.ref(p.entity)
            if who is None:
                continue
            part = NS["participation"][f"{_last_segment(node)}--{_last_segment(who)}"]
            self.add(node, RJKG.participation, part)
            self.add(part, RDF.type, RJKG.Participation)
            self.add(part, RJKG.participant, who)
            capacity = self.holding_posts.get((p.entity, p.capacity)) if p.capacity else None
            if capacity is not None:
                self.add(part, RJKG.inCapacityOf, capacity)
        if ev.ordinal is not None:
            self.add(node, RJKG.ordinal, Literal(ev.ordinal, datatype=XSD.integer))
        if ev.ordinal_as_written:
            self.add(node, RJKG.ordinalAsWritten, Literal(ev.ordinal_as_written))
        if ev.planned:
            self.add(node, SCHEMA.eventStatus, SCHEMA.EventScheduled)
            self.add(node, RJKG.plannedIn, self.doc_node)
        for topic in ev.topics:
            self.add(node, RJKG.topic, _ru(topic))
        self.evidence(node, ev.evidence)

    # -- instruments

    def instrument_nodes(self) -> list[URIRef]:
        nodes, taken = [], set()
        for ins in self.ex.instruments:
            if ins.key:
                node = NS["instrument"][slugify(ins.key)]
            else:
                start = min(s.start for s in ins.evidence) if ins.evidence else 0
                node = NS["instrument"][f"{self.doc.id}-{slugify(ins.type)}-{start}"]
                if node in taken:
                    node = URIRef(
                        f"{node}-{short_hash(repr((ins.title, ins.label, ins.signed, ins.status)))}"
                    )
            taken.add(node)
            nodes.append(node)
        return nodes

    def instrument(self, ins: Instrument, node: URIRef, nodes: list[URIRef]) -> None:
        self.add(node, RDF.type, RJKG[ins.type])
        if ins.title:
            self.add(node, DCTERMS.title, _ru(ins.title))
        else:
            label = ins.label or (ins.evidence[0].quote(self.doc.text) if ins.evidence else ins.type)
            self.add(node, SKOS.prefLabel, _ru(label))
        if ins.status in INSTRUMENT_STATUS:
            self.add(node, RJKG.lifecycleStatus, INSTRUMENT_STATUS[ins.status])
        self.time(node, RJKG.signingTime, "signed", ins.signed)
        if (
            ins.signed
            and ins.signed.start.precision == "day"
            and (ins.signed.end in (None, ins.signed.start))
        ):
            self.add(node, ELI.date_document, Literal(ins.signed.start.iso(), datatype=XSD.date))
        for prop, key in ((RJKG.signedAt, ins.signed_place), (RJKG.proposedBy, ins.proposed_by)):
            target = self.ref(key)
            if target is not None:
                self.add(node, prop, target)
        for prop, keys in ((RJKG.party, ins.parties), (RJKG.signatory, ins.signatories)):
            for key in keys:
                target = self.ref(key)
                if target is not None:
                    self.add(node, prop, target)
        self.time(node, RJKG.proposalTime, "proposed", ins.proposed)
        self.time(node, RJKG.terminationTime, "terminated", ins.terminated)
        terminated_by = self.ref(ins.terminated_by)
        if terminated_by is not None:
            self.add(node, RJKG.terminatedBy, terminated_by)
        i = ins.terminated_by_instrument
        if i is not None and 0 <= i < len(nodes) and nodes[i] != node:
            self.add(node, RJKG.terminatedByInstrument, nodes[i])
        governs = self.ref(ins.governs)
        if governs is not None:
            self.add(node, RJKG.governs, governs)
        if ins.item_count is not None:
            self.add(node, RJKG.declaredItemCount, Literal(ins.item_count, datatype=XSD.integer))
        self.evidence(node, ins.evidence)

    # -- institutions

    def institution(self, inst: Institution) -> None:
        node = self.keys[inst.key]
        self.add(node, RDF.type, RJKG[inst.type])
        self.add(node, SKOS.prefLabel, _ru(inst.name_ru))
        for m in inst.mentions:
            self.add(node, RJKG.surfaceForm, _ru(m.quote(self.doc.text)))
        if inst.count is not None:
            self.add(node, RJKG.memberCount, Literal(inst.count, datatype=XSD.integer))
        for prop, keys in (
            (RJKG.country, (inst.country,)),
            (RJKG.location, inst.locations),
            (RJKG.establishedBy, inst.established_by),
        ):
            for key in keys:
                target = self.ref(key)
                if target is not None:
                    self.add(node, prop, target)
        self.time(node, RJKG.inception, "founded", inst.founded)
        self.time(node, RJKG.closure, "closed", inst.closed)
        if inst.status in INSTITUTION_STATUS:
            self.add(node, RJKG.institutionStatus, INSTITUTION_STATUS[inst.status])
        self.evidence(node, inst.mentions)

    # -- statements

    def statement(self, st: Statement) -> None:
        first = st.evidence[0] if st.evidence else None
        node = NS["statement"][f"{self.doc.id}-{first.start}-{first.end}" if first else f"{self.doc.id}-x"]
        self.add(node, RDF.type, RJKG.Statement)
        speakers = [k for k in dict.fromkeys(st.speakers) if self.ref(k) is not None]
        for key in speakers:
            self.add(node, RJKG.speaker, self.keys[key])
        if len(speakers) >= 2:
            self.add(node, RJKG.jointStatement, Literal(True))
        if any(self.types.get(k) != "Person" for k in speakers):
            self.add(node, RJKG.speakerUnnamed, Literal(True))
        self.add(node, RJKG.quote, _ru(st.quote))
        mode = st.mode if st.mode in ("DirectQuote", "ReportedSpeech") else "ReportedSpeech"
        self.add(node, RJKG.speechMode, RJKG[mode])
        self.add(node, RJKG.reportedIn, self.doc_node)
        self.time(node, SEM.hasTime, "time", st.date)
        self.evidence(node, st.evidence)

    def build(self) -> Graph:
        self.document()
        for e in self.ex.entities:
            self.entity(e)
        for h in self.ex.posts:
            self.holding(h)
        taken: set[URIRef] = set()
        for ev in self.ex.events:
            self.event(ev, taken)
        nodes = self.instrument_nodes()
        for ins, node in zip(self.ex.instruments, nodes, strict=True):
            self.instrument(ins, node, nodes)
        for inst in self.ex.institutions:
            self.institution(inst)
        for st in self.ex.statements:
            self.statement(st)
        return self.g


def _source_path(path: str, doc_id: str) -> str:
    """`dct:source`: the path relative to the checkout (seeds/X.txt), else the bare file name (no machine paths)."""
    if not path:
        return f"{doc_id}.txt"
    p = Path(path)
    try:
        return p.resolve().relative_to(config.ROOT).as_posix()
    except ValueError:
        return p.name


def document_graph(ex: Extraction) -> Graph:
    """The triples of `…/graph/doc/{id}` for one extraction (pure: same records, same triples)."""
    return _DocBuilder(ex).build()


# ---------------------------------------------------------------------------------------------------- curated


@cache
def verified_qids() -> frozenset[str]:
    """Wikidata IDs listed in data/wikidata-qids.csv: the only ones the graph may link to."""
    if not config.WIKIDATA_FILE.is_file():
        return frozenset()
    with config.WIKIDATA_FILE.open(encoding="utf-8", newline="") as f:
        return frozenset(row["qid"].strip() for row in csv.DictReader(f) if row.get("qid"))


def _field(entry, name: str, default=None):
    return entry.get(name, default) if isinstance(entry, dict) else getattr(entry, name, default)


def curated_iri(kind_type: str, slug: str) -> URIRef:
    kind = "institution" if kind_type in INSTITUTION_TYPES else ENTITY_KIND.get(kind_type, "org")
    return NS[kind][slug]


CONTESTED_NAMES_FILE = config.DATA_DIR / "contested-names.yaml"


def contested_names(path: Path | None = None, known: dict[str, str] | None = None) -> list[dict]:
    """data/contested-names.yaml, checked: every place and user is a gazetteer slug (known: slug → type)."""
    import yaml

    path = Path(path or CONTESTED_NAMES_FILE)
    if not path.is_file():
        return []
    try:
        rows = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("names") or []
    except (OSError, yaml.YAMLError, AttributeError) as err:
        raise InputError(f"cannot read the contested names: {err}", where=str(path)) from None
    out = []
    for i, row in enumerate(rows):
        where = f"{path}: names[{i}]"
        if not isinstance(row, dict) or not {"place", "literal", "lang"} <= set(row):
            raise InputError("each name needs place, literal and lang", where=where)
        slugs = [row["place"], *(row.get("used_by") or [])]
        unknown = [s for s in slugs if known is not None and s not in known]
        if unknown:
            raise InputError(
                f"unknown gazetteer slug(s) {unknown}", where=where, hint="add them to gazetteer.yaml"
            )
        out.append(row)
    return out


def curated_graph() -> Graph:
    """`…/graph/curated`: the gazetteer's canonical entities with ru/en labels, aliases and verified Wikidata links."""
    from rjkg import resolve

    gaz = resolve.load_gazetteer()
    entries = _field(gaz, "entries", gaz)
    if isinstance(entries, dict):
        entries = list(entries.values())
    qids = verified_qids()
    g = Graph()
    for entry in entries:
        slug, typ = _field(entry, "slug"), _field(entry, "type")
        if not slug or not typ:
            continue
        node = curated_iri(typ, slug)
        g.add((node, RDF.type, RJKG[typ]))
        name_ru, name_en = _field(entry, "name_ru"), _field(entry, "name_en")
        if name_ru:
            g.add((node, SKOS.prefLabel, _ru(name_ru)))
        if name_en:
            g.add((node, SKOS.prefLabel, Literal(name_en, lang="en")))
        for alias in _field(entry, "aliases", ()) or ():
            if alias and alias not in (name_ru, name_en):
                g.add((node, SKOS.altLabel, _label_lang(alias)))
        qid = _field(entry, "wikidata")
        if qid and str(qid).strip() in qids:
            g.add((node, SKOS.exactMatch, WD[str(qid).strip()]))
    types = {_field(e, "slug"): _field(e, "type") for e in entries}
    for row in contested_names(known=types):
        label = NS["label"][f"{row['lang']}-{slugify(row['literal'])}"]
        g.add((curated_iri(types[row["place"]], row["place"]), SKOSXL.altLabel, label))
        g.add((label, RDF.type, SKOSXL.Label))
        g.add((label, SKOSXL.literalForm, Literal(row["literal"], lang=row["lang"])))
        for user in row.get("used_by") or ():
            g.add((label, RJKG.usedBy, curated_iri(types[user], user)))
    return g
