"""W3C SPARQL 1.1 conformance of `rjkg serve`, replayed with raw http.client against a real server on 127.0.0.1.

- protocol/manifest.ttl: 34 tests. The 27 that apply to a read-only endpoint (13 query positives, 14 bad_*) must
  pass. The 7 update positives are NOT APPLICABLE: rjkg is read-only by design, so each is checked to get 403.
- json-res/ and csv-tsv-res/: the result-format tests (4 + 6), compared as solutions (blank nodes up to renaming,
  "x"^^xsd:string = "x", xsd:double by value, columns by name since SELECT * fixes no column order). csv03 and
  tsv03 are strict xfails: the store keeps numbers as values, so "1.0E6"^^xsd:double comes back as 1000000 and
  "-3"^^xsd:negativeInteger as an xsd:integer (the data is changed on load, before any serialiser runs).
- service-description/: the 3 checks the manifest describes in prose (returns RDF, sd:endpoint, a SHACL shape).
Test data: tests/w3c (copied from w3c/rdf-tests, W3C test-suite licence in tests/w3c/LICENSE.md).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from test_serve_fixture import Server

W3C = Path(__file__).resolve().parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
XSD = "http://www.w3.org/2001/XMLSchema#"
FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    },
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "application/ld+json"},
}  # the strict list: N-Quads is not an answer to "RDF"
NOT_APPLICABLE = "read-only endpoint: SPARQL Update is refused by design (403)"


def _manifest(folder: str) -> tuple[Graph, list[URIRef]]:
    g = Graph().parse(
        W3C / folder / "manifest.ttl", format="turtle", publicID=(W3C / folder / "manifest.ttl").as_uri()
    )
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    return g, list(Collection(g, g.value(manifest, MF.entries)))


PROTO, PROTO_TESTS = _manifest("protocol")
assert len(PROTO_TESTS) == 34, len(PROTO_TESTS)


def _requests(test: URIRef) -> list[dict]:
    conn = PROTO.value(test, MF.action)
    out = []
    for req in Collection(PROTO, PROTO.value(conn, HT.requests)):
        headers = {}
        hl = PROTO.value(req, HT.headers)
        if hl is not None:
            for h in Collection(PROTO, hl):
                headers[str(PROTO.value(h, HT.fieldName))] = str(PROTO.value(h, HT.fieldValue))
        body = None
        b = PROTO.value(req, HT.body)
        if b is not None:
            enc = str(PROTO.value(b, CNT.characterEncoding) or "UTF-8")
            body = str(PROTO.value(b, CNT.chars)).encode(enc.lower())
        resp = PROTO.value(req, HT.resp)
        statuses = {str(s).removeprefix(HTS) for s in PROTO.objects(resp, MF.expectedStatus)}
        fmt = PROTO.value(resp, MF.expectedFormat)
        boolean = PROTO.value(resp, MF.expectedBoolean)
        out.append({
            "method": str(PROTO.value(req, HT.methodName)),
            "path": str(PROTO.value(req, HT.absolutePath)),
            "headers": headers,
            "body": body,
            "statuses": statuses,
            "format": str(fmt) if fmt is not None else None,
            "boolean": boolean.toPython() if boolean is not None else None,
        })  # fmt: skip
    return out


def _is_update_positive(name: str) -> bool:
    return name.startswith("update_")


NAMES = [str(t).rsplit("#", 1)[1] for t in PROTO_TESTS]
APPLICABLE = [n for n in NAMES if not _is_update_positive(n)]
assert len(APPLICABLE) == 27 and len(NAMES) - len(APPLICABLE) == 7


def _graph_folder(tmp: Path) -> Path:
    """A graph folder (rjkg.nq) holding every test's data in its own named graph."""
    quads: list[ox.Quad] = []
    for test in PROTO_TESTS:
        for gd in PROTO.objects(test, UT.graphData):
            path = Path(str(PROTO.value(gd, UT.graph)).removeprefix("file://"))
            name = ox.NamedNode(str(PROTO.value(gd, RDFS.label)))
            quads += [
                ox.Quad(t.subject, t.predicate, t.object, name)
                for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)
            ]
    for folder, data in (("json-res", "data.ttl"), ("csv-tsv-res", "data.ttl"), ("csv-tsv-res", "data2.ttl")):
        name = ox.NamedNode(f"urn:w3c:{folder}:{data}")
        parsed = ox.parse(path=str(W3C / folder / data), format=ox.RdfFormat.TURTLE)
        quads += [ox.Quad(t.subject, t.predicate, t.object, name) for t in parsed]
    out = tmp / "graph"
    out.mkdir()
    (out / "rjkg.nq").write_bytes(ox.serialize(sorted(set(quads), key=str), format=ox.RdfFormat.N_QUADS))
    return out


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("w3c")
    graph = _graph_folder(tmp)
    srv = Server(graph, tmp / "store", "--no-pages", timeout=5.0)
    yield srv
    srv.stop()


def _send(server, req: dict) -> tuple[int, str, bytes]:
    path = re.sub(r"^/sparql/", "/sparql", req["path"])
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    try:
        conn.request(req["method"], path, body=req["body"], headers=req["headers"])
        r = conn.getresponse()
        return r.status, (r.getheader("Content-Type") or "").split(";")[0].strip(), r.read()
    finally:
        conn.close()


def _boolean(media: str, body: bytes) -> bool:
    if media.endswith("json"):
        return json.loads(body)["boolean"]
    el = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
    return el.text.strip() == "true"


@pytest.mark.parametrize("name", APPLICABLE)
def test_protocol(server, name):
    test = PROTO_TESTS[NAMES.index(name)]
    for req in _requests(test):
        status, media, body = _send(server, req)
        assert f"{status // 100}xx" in req["statuses"], (status, body[:300])
        if req["format"]:
            assert media in FORMATS[req["format"]], media
        if req["boolean"] is not None:
            assert _boolean(media, body) is req["boolean"]


@pytest.mark.parametrize("name", [n for n in NAMES if _is_update_positive(n)])
def test_protocol_update_not_applicable(server, name):
    """Not applicable (see NOT_APPLICABLE): the update request must be refused with 403, and nothing changes."""
    first = _requests(PROTO_TESTS[NAMES.index(name)])[0]
    status, _, body = _send(server, first)
    assert status == 403, body
    ask = {"method": "GET", "path": "/sparql?query=ASK%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
           "headers": {"Accept": "application/sparql-results+json"}, "body": None}  # fmt: skip
    assert _boolean(*_send(server, ask)[1:]) is True


# ------------------------------------------------------------------------------------------------ result formats


def _norm_term(term: dict | None, bnodes: dict) -> tuple | None:
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "bnode":
        return ("bnode", bnodes.setdefault(value, len(bnodes)))
    if kind == "uri":
        return ("uri", value)
    dt = term.get("datatype")
    if dt == XSD + "string":
        dt = None
    if dt == XSD + "double":
        return ("literal", float(value), dt)
    return ("literal", value, dt, term.get("xml:lang"))


def _tsv_term(cell: str, bnodes: dict) -> tuple | None:
    if cell == "":
        return None
    if cell.startswith("<"):
        return _norm_term({"type": "uri", "value": cell[1:-1]}, bnodes)
    if cell.startswith("_:"):
        return _norm_term({"type": "bnode", "value": cell[2:]}, bnodes)
    m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(?:@([\w-]+)|\^\^<([^>]*)>)?', cell)
    if m:
        value = m.group(1).encode().decode("unicode_escape") if "\\" in m.group(1) else m.group(1)
        t = {"type": "literal", "value": value, **({"xml:lang": m.group(2)} if m.group(2) else {})}
        if m.group(3):
            t["datatype"] = m.group(3)
        return _norm_term(t, bnodes)
    if re.fullmatch(r"[+-]?\d+", cell):
        return _norm_term({"type": "literal", "value": cell, "datatype": XSD + "integer"}, bnodes)
    if re.fullmatch(r"[+-]?\d*\.\d+", cell):
        return _norm_term({"type": "literal", "value": cell, "datatype": XSD + "decimal"}, bnodes)
    return _norm_term({"type": "literal", "value": cell, "datatype": XSD + "double"}, bnodes)


def _rows_srj(data: bytes) -> tuple[set, list]:
    doc = json.loads(data)
    if "boolean" in doc:
        return set(), [doc["boolean"]]
    bnodes: dict = {}
    vars_ = doc["head"]["vars"]
    rows = [{v: _norm_term(b.get(v), bnodes) for v in vars_} for b in doc["results"]["bindings"]]
    return set(vars_), rows


def _rows_tsv(data: bytes) -> tuple[set, list]:
    lines = data.decode().replace("\r\n", "\n").rstrip("\n").split("\n")
    vars_ = [v.removeprefix("?") for v in lines[0].split("\t")]
    bnodes: dict = {}
    return set(vars_), [
        dict(zip(vars_, (_tsv_term(c, bnodes) for c in line.split("\t")), strict=True)) for line in lines[1:]
    ]


def _rows_csv(data: bytes) -> tuple[set, list]:
    text = data.decode().replace("\r\n", "\n")
    rows = list(csv.reader(io.StringIO(text)))
    vars_ = rows[0]
    bnodes: dict = {}

    def cell(c: str) -> str:
        return f"_:b{bnodes.setdefault(c, len(bnodes))}" if c.startswith("_:") else c

    return set(vars_), [dict(zip(vars_, (cell(c) for c in r), strict=True)) for r in rows[1:]]


RESULT_TESTS = []
for folder in ("json-res", "csv-tsv-res"):
    g, entries = _manifest(folder)
    for t in entries:
        action = g.value(t, MF.action)
        query = Path(str(g.value(action, QT.query)).removeprefix("file://"))
        data = Path(str(g.value(action, QT.data)).removeprefix("file://"))
        result = Path(str(g.value(t, MF.result)).removeprefix("file://"))
        RESULT_TESTS.append(
            (f"{folder}/{str(t).rsplit('#', 1)[1]}", query, f"urn:w3c:{folder}:{data.name}", result)
        )
assert len(RESULT_TESTS) == 10, [r[0] for r in RESULT_TESTS]
RESULT_MEDIA = {
    ".srj": "application/sparql-results+json",
    ".tsv": "text/tab-separated-values",
    ".csv": "text/csv",
}
PARSERS = {".srj": _rows_srj, ".tsv": _rows_tsv, ".csv": _rows_csv}


# known deviations of the store, strict xfail: oxigraph 0.5.13 keeps numbers as values, so "1.0E6"^^xsd:double comes
# back as "1000000" and "-3"^^xsd:negativeInteger as "-3"^^xsd:integer (the RDF term changes on load)
_CANON = (
    "oxigraph canonicalises numeric literals on load (1.0E6 -> 1000000, xsd:negativeInteger -> xsd:integer)"
)
DEVIATIONS = {"csv-tsv-res/csv03": _CANON, "csv-tsv-res/tsv03": _CANON}
RESULT_PARAMS = [
    pytest.param(
        *r,
        id=r[0],
        marks=[pytest.mark.xfail(reason=DEVIATIONS[r[0]], strict=True)] if r[0] in DEVIATIONS else [],
    )
    for r in RESULT_TESTS
]


@pytest.mark.parametrize("name, query, graph, result", RESULT_PARAMS)
def test_result_format(server, name, query, graph, result):
    from urllib.parse import urlencode

    media = RESULT_MEDIA[result.suffix]
    req = {
        "method": "GET",
        "path": "/sparql?" + urlencode({"query": query.read_text(), "default-graph-uri": graph}),
        "headers": {"Accept": media},
        "body": None,
    }
    status, got_media, body = _send(server, req)
    assert status == 200 and got_media == media, body
    parse = PARSERS[result.suffix]
    assert parse(body) == parse(result.read_bytes())


# ------------------------------------------------------------------------------------------------ service description

SD_SHAPE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
[] a sh:NodeShape ; sh:targetClass sd:Service ;
  sh:property [ sh:path sd:endpoint ; sh:minCount 1 ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:supportedLanguage ; sh:minCount 1 ;
                sh:in ( sd:SPARQL10Query sd:SPARQL11Query sd:SPARQL11Update ) ] ;
  sh:property [ sh:path sd:resultFormat ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:feature ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path sd:defaultDataset ; sh:maxCount 1 ; sh:class sd:Dataset ] .
"""
SD_TESTS = ["returns-rdf", "has-endpoint-triple", "conforms-to-schema"]
_sd_graph, _sd_entries = _manifest("service-description")
assert sorted(str(e).rsplit("#", 1)[1] for e in _sd_entries) == sorted(SD_TESTS)


@pytest.mark.parametrize("check", SD_TESTS)
def test_service_description(server, check):
    status, media, body = _send(server, {"method": "GET", "path": "/sparql", "headers": {}, "body": None})
    assert status == 200 and media in FORMATS["RDF"]
    g = Graph().parse(
        data=body, format={"text/turtle": "turtle", "application/n-triples": "nt"}.get(media, media)
    )
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    if check == "returns-rdf":
        assert len(g) > 5
    elif check == "has-endpoint-triple":
        assert (None, sd.endpoint, URIRef(f"http://127.0.0.1:{server.port}/sparql")) in g
    else:
        from pyshacl import validate

        conforms, _, text = validate(g, shacl_graph=Graph().parse(data=SD_SHAPE, format="turtle"))
        assert conforms, text
        assert len(list(g.subjects(RDF.type, sd.Service))) == 1
