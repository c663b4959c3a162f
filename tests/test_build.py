"""build.document_graph / curated_graph: properties the graph contract (ontology/README.md) promises."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import RDF, SKOS

from case_records import date_value, load_case
from rjkg import build, config
from rjkg.errors import DocumentError
from rjkg.records import DocMeta, Document, Entity, Event, Extraction, Span, Statement
from rjkg.vocab import ID, NS, OA, PREFIXES, RJKG, SEM, TIME, WD

CASES = sorted(p for p in (Path(__file__).parent / "cases").glob("build-*") if (p / "records.yaml").is_file())
EXTRACTED_KINDS = ("person", "state", "org", "place", "project", "institution", "post", "holding", "event",
                   "instrument", "statement")  # fmt: skip
RESOURCE = re.compile(rf"^{re.escape(ID)}(?P<kind>[a-z]+)/(?P<slug>[A-Za-z0-9_-]+)(?:#(?P<frag>[a-z-]+))?$")


@pytest.fixture(scope="module")
def case_graphs(root):
    assert len(CASES) == 5
    return {c.name: (load_case(c, root), build.document_graph(load_case(c, root))) for c in CASES}


def test_no_blank_nodes_and_iris_follow_the_scheme(case_graphs):
    bad = []
    for name, (_, g) in case_graphs.items():
        for term in {t for triple in g for t in triple}:
            if isinstance(term, BNode):
                bad.append(f"{name}: blank node")
            elif isinstance(term, URIRef) and str(term).startswith(ID):
                m = RESOURCE.match(str(term))
                if not m or m["kind"] not in NS or len(m["slug"]) > 69:
                    bad.append(f"{name}: {term}")
    assert not bad, "\n".join(sorted(bad))


def test_pure_same_records_same_triples(case_graphs):
    for ex, g in case_graphs.values():
        assert set(build.document_graph(ex)) == set(g)


def test_every_extracted_node_has_evidence(case_graphs):
    missing = []
    for name, (_, g) in case_graphs.items():
        for s in set(g.subjects(RDF.type, None)):
            m = RESOURCE.match(str(s))
            if m and m["kind"] in EXTRACTED_KINDS and not m["frag"] and (s, RJKG.evidence, None) not in g:
                missing.append(f"{name}: {s}")
    assert not missing, "\n".join(sorted(missing))


def test_evidence_selectors_slice_the_text(case_graphs):
    checked = 0
    for ex, g in case_graphs.values():
        for span in g.subjects(RDF.type, OA.SpecificResource):
            pos, quote = URIRef(f"{span}#pos"), URIRef(f"{span}#quote")
            start, end = int(g.value(pos, OA.start)), int(g.value(pos, OA.end))
            assert g.value(pos, OA.start).datatype == rns.XSD.nonNegativeInteger
            assert ex.doc.text[start:end] == str(g.value(quote, OA.exact))
            assert ex.doc.text[:start].endswith(str(g.value(quote, OA.prefix) or ""))
            assert ex.doc.text[end:].startswith(str(g.value(quote, OA.suffix) or ""))
            assert str(span).endswith(f"-{start}-{end}")
            checked += 1
    assert checked > 30


TIMES = [
    ("2019-05-31", TIME.Instant, TIME.inXSDDate, rns.XSD.date),
    ("2019-05", TIME.Instant, TIME.inXSDgYearMonth, rns.XSD.gYearMonth),
    ("2019", TIME.Instant, TIME.inXSDgYear, rns.XSD.gYear),
    ("--05-31", TIME.DateTimeDescription, TIME.month, rns.XSD.gMonth),
]


@pytest.mark.parametrize("iso, cls, prop, datatype", TIMES, ids=[t[0] for t in TIMES])
def test_time_node_datatype_is_the_precision(iso, cls, prop, datatype):
    g = build.document_graph(_one_event(date_value(iso)))
    (ev,) = g.subjects(RDF.type, RJKG.Meeting)
    node = g.value(ev, SEM.hasTime)
    assert node == URIRef(f"{ev}#time")
    assert g.value(node, RDF.type) == cls
    assert g.value(node, prop).datatype == datatype
    if cls == TIME.Instant:
        assert str(g.value(node, prop)) == iso
    else:
        assert (g.value(node, TIME.month), g.value(node, TIME.day)) == (
            Literal("--05", datatype=rns.XSD.gMonth), Literal("---31", datatype=rns.XSD.gDay))  # fmt: skip


def test_interval_has_hash_begin_and_end():
    g = build.document_graph(_one_event(date_value("2019-08-20/2019-08-25")))
    (ev,) = g.subjects(RDF.type, RJKG.Meeting)
    node = g.value(ev, SEM.hasTime)
    assert g.value(node, RDF.type) == TIME.ProperInterval
    assert g.value(node, TIME.hasBeginning) == URIRef(f"{ev}#time-begin")
    assert str(g.value(URIRef(f"{ev}#time-end"), TIME.inXSDDate)) == "2019-08-25"


def test_range_without_any_year_is_the_start_description():
    g = build.document_graph(_one_event(date_value("--08-20/--08-25")))
    (ev,) = g.subjects(RDF.type, RJKG.Meeting)
    node = g.value(ev, SEM.hasTime)
    assert (
        g.value(node, RDF.type) == TIME.DateTimeDescription
    )  # an interval needs Instants, Instants need a year
    assert str(g.value(node, TIME.day)) == "---20"


BOUNDS = [
    ("2019", ("2019-01-01", "2019-12-31")),
    ("2020-02", ("2020-02-01", "2020-02-29")),
    ("2019-05-31", ("2019-05-31", "2019-05-31")),
    ("2019-08-20/2019-08-25", ("2019-08-20", "2019-08-25")),
    ("2019-08-20/--08-25", ("2019-08-20", "2019-08-25")),  # the year written once
    ("2018-11/2019", ("2018-11-01", "2019-12-31")),
    ("--12-20/2020-01-05", ("2019-12-20", "2020-01-05")),  # the months wrap: a year back
    ("2019-12-20/--01-05", ("2019-12-20", "2020-01-05")),
    ("--08-22", None),  # no year: no xsd:date bound can be stated
]


@pytest.mark.parametrize("iso, expected", BOUNDS, ids=[b[0] for b in BOUNDS])
def test_bounds_are_materialised_as_dates(iso, expected):
    g = build.document_graph(_one_event(date_value(iso)))
    (ev,) = g.subjects(RDF.type, RJKG.Meeting)
    begin, end = g.value(ev, SEM.hasEarliestBeginTimeStamp), g.value(ev, SEM.hasLatestEndTimeStamp)
    if expected is None:
        assert begin is None and end is None
    else:
        assert (str(begin), str(end)) == expected
        assert begin.datatype == end.datatype == rns.XSD.date


def test_document_node_metadata_and_run():
    g = build.document_graph(_one_event(None))
    doc = NS["doc"]["t-1"]
    assert g.value(doc, RDF.type) == RJKG.SourceDocument
    assert g.value(doc, RJKG.genre) == RJKG.Communique
    assert str(g.value(doc, RJKG.charCount)) == str(len(TEXT))
    assert g.value(doc, RJKG.textSha256) == Literal("0" * 64)
    assert (
        str(g.value(doc, URIRef(PREFIXES["dct"] + "source"))) == "t-1.txt"
    )  # outside the checkout: the name
    assert g.value(doc, URIRef(PREFIXES["dct"] + "issued")) is None  # no stated date, no dct:issued
    run = g.value(doc, URIRef(PREFIXES["prov"] + "wasGeneratedBy"))
    assert re.fullmatch(rf"{NS['run']}extract-[0-9a-f]{{8}}", str(run))
    assert build.pipeline_hash() == build.pipeline_hash() and len(build.pipeline_hash()) == 64


def test_statement_speakers():
    g = build.document_graph(_one_event(None))
    (st,) = g.subjects(RDF.type, RJKG.Statement)
    assert str(st) == f"{NS['statement']}t-1-0-5"
    assert set(g.objects(st, RJKG.speaker)) == {NS["person"]["ivan-petrov"], NS["state"]["japan"]}
    assert g.value(st, RJKG.jointStatement) == Literal(True)
    assert g.value(st, RJKG.speakerUnnamed) == Literal(True)  # Japan (a state) speaks
    assert g.value(st, RJKG.reportedIn) == NS["doc"]["t-1"]
    assert g.value(st, RJKG.speechMode) == RJKG.ReportedSpeech


BAD_SPANS = [Span(5, 5), Span(-1, 3), Span(10, 10_000)]


@pytest.mark.parametrize("span", BAD_SPANS, ids=[f"{s.start}-{s.end}" for s in BAD_SPANS])
def test_bad_span_is_a_document_error(span):
    ex = _one_event(None)
    bad = Extraction(doc=ex.doc, entities=(Entity("x", "Person", "Иван Петров", (span,)),))
    with pytest.raises(DocumentError, match="evidence span") as err:
        build.document_graph(bad)
    assert "t-1.txt" in err.value.render()


def test_curated_graph_links_only_verified_qids():
    from rjkg import resolve

    with config.WIKIDATA_FILE.open(encoding="utf-8") as f:
        verified = {row["qid"] for row in csv.DictReader(f)}
    entries = resolve.load_gazetteer().entries
    g = build.curated_graph()
    assert len(entries) > 20
    typed = {s for s, o in g.subject_objects(RDF.type) if not str(s).startswith(str(NS["label"]))}
    assert len(typed) == len(entries)
    linked = {str(o).removeprefix(str(WD)) for o in g.objects(None, SKOS.exactMatch)}
    assert linked and linked <= verified
    assert all(str(o).startswith(str(WD)) for o in g.objects(None, SKOS.exactMatch))
    for e in entries:
        node = build.curated_iri(e.type, e.slug)
        assert (node, SKOS.prefLabel, Literal(e.name_ru, lang="ru")) in g
        assert (node, RDF.type, RJKG[e.type]) in g
    assert not any(isinstance(t, BNode) for triple in g for t in triple)


TEXT = "Петров и Япония встретились 31 мая. Петров заявил о мире."


def _one_event(date) -> Extraction:
    doc = Document(id="t-1", text=TEXT, sha256="0" * 64, path="t-1.txt",
                   meta=DocMeta(title="Т", date=None, genre="Communique"))  # fmt: skip
    petrov = Entity("p", "Person", "Иван Петров", (Span(0, 6), Span(36, 42)))
    japan = Entity("j", "State", "Япония", (Span(9, 15),), iri=str(NS["state"]["japan"]))
    ev = Event("Meeting", "встреча", (Span(0, 34),), date=date)
    st = Statement(("p", "j", "unknown-key"), "Петро", (Span(0, 5),))
    return Extraction(doc=doc, entities=(petrov, japan), events=(ev,), statements=(st,))


def test_contested_names_are_labels_with_their_users():
    from rjkg.vocab import SKOSXL

    g = build.curated_graph()
    rows = build.contested_names()
    labels = set(g.subjects(RDF.type, SKOSXL.Label))
    assert len(rows) >= 5 and len(labels) == len({(r["lang"], r["literal"]) for r in rows})
    north = NS["label"]["ru-severnye-territorii"]
    assert g.value(north, SKOSXL.literalForm) == Literal("Северные территории", lang="ru")
    assert set(g.objects(north, RJKG.usedBy)) == {NS["state"]["japan"]}
    assert (NS["place"]["south-kurils"], SKOSXL.altLabel, north) in g


BAD_NAMES = [
    ("names: [{place: atlantis, literal: Атлантида, lang: ru}]\n", "unknown gazetteer slug"),
    ("names: [{place: south-kurils, literal: X, lang: ru, used_by: [nobody]}]\n", "unknown gazetteer slug"),
    ("names: [{place: south-kurils}]\n", "needs place, literal and lang"),
    ("names: [unclosed\n", "cannot read"),
]


@pytest.mark.parametrize("text, message", BAD_NAMES, ids=[b[1] + str(i) for i, b in enumerate(BAD_NAMES)])
def test_bad_contested_names_file_is_a_clear_error(tmp_path, text, message):
    from rjkg import resolve
    from rjkg.errors import InputError

    path = tmp_path / "contested-names.yaml"
    path.write_text(text, encoding="utf-8")
    known = {e.slug: e.type for e in resolve.load_gazetteer().entries}
    with pytest.raises(InputError, match=message) as err:
        build.contested_names(path, known)
    assert str(path) in err.value.render()
