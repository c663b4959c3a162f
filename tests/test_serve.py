"""`rjkg serve` over the fixture graph, through a real server process on 127.0.0.1 and real clients:
the SPARQL protocol and formats, linked data (200 + Content-Location), dumps with HTTP validators, CORS, health."""

from __future__ import annotations

import csv
import gzip
import io
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rjkg.vocab import sparql_prefixes
from test_serve_fixture import FIXTURE, Server, fixture_store  # noqa: F401 - fixture_store is a fixture

P = sparql_prefixes()
LAVROV = "https://w3id.org/rjkg/id/person/lavrov-sergei-viktorovich"
LABELS_Q = (
    P + "SELECT ?s ?l WHERE { ?s a rjkg:State ; skos:prefLabel ?l FILTER(lang(?l) = 'en') } ORDER BY ?l"
)


@pytest.fixture(scope="module")
def server(fixture_store):  # noqa: F811
    srv = Server(FIXTURE, fixture_store, timeout=2.0)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


# ------------------------------------------------------------------------------------------------ protocol

# (accept header, format parameter) → expected Content-Type for a SELECT
SELECT_FORMATS = [
    (None, None, "application/sparql-results+json"),
    ("*/*", None, "application/sparql-results+json"),
    ("application/sparql-results+json", None, "application/sparql-results+json"),
    ("application/json", None, "application/sparql-results+json"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("text/turtle;q=0.5, text/csv;q=0.9", None, "text/csv"),
    (None, "csv", "text/csv"),
    (None, "tsv", "text/tab-separated-values"),
    (None, "xml", "application/sparql-results+xml"),
    ("text/csv", "json", "application/sparql-results+json"),
]


def _parse_select(media: str, body: bytes) -> list[tuple[str, str]]:
    """(state IRI, English label) rows, whatever the format."""
    if media.endswith("json"):
        b = json.loads(body)["results"]["bindings"]
        return [(r["s"]["value"], r["l"]["value"]) for r in b]
    if media.endswith("xml"):
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        rows = []
        for res in ET.fromstring(body).iterfind(".//r:result", ns):
            vals = {b.get("name"): "".join(b.itertext()).strip() for b in res.iterfind("r:binding", ns)}
            rows.append((vals["s"], vals["l"]))
        return rows
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["s", "l"]
        return [(r[0], r[1]) for r in rows[1:]]
    lines = body.decode().splitlines()
    assert lines[0] == "?s\t?l"
    return [(a.strip("<>"), b.split('"')[1]) for a, b in (line.split("\t") for line in lines[1:])]


@pytest.mark.parametrize("accept, fmt, media", SELECT_FORMATS, ids=[f"{a}|{f}" for a, f, _ in SELECT_FORMATS])
def test_select_formats(http, accept, fmt, media):
    params = {"query": LABELS_Q, **({"format": fmt} if fmt else {})}
    r = http.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    expected = [
        ("https://w3id.org/rjkg/id/state/japan", "Japan"),
        ("https://w3id.org/rjkg/id/state/russia", "Russia"),
    ]
    assert _parse_select(media, r.content) == expected


CONSTRUCT_Q = P + "CONSTRUCT { ?s skos:prefLabel ?l } WHERE { ?s a rjkg:State ; skos:prefLabel ?l }"
# accept/format → (Content-Type, pyoxigraph format to parse it back)
GRAPH_FORMATS = [
    (None, None, "text/turtle"),
    ("*/*", None, "text/turtle"),
    ("application/n-triples", None, "application/n-triples"),
    ("application/ld+json", None, "application/ld+json"),
    ("application/rdf+xml", None, "application/rdf+xml"),
    ("application/trig", None, "application/trig"),
    ("application/n-quads", None, "application/n-quads"),
    ("application/sparql-results+json", None, "application/ld+json"),
    (None, "nt", "application/n-triples"),
    (None, "jsonld", "application/ld+json"),
]


@pytest.mark.parametrize("accept, fmt, media", GRAPH_FORMATS, ids=[f"{a}|{f}" for a, f, _ in GRAPH_FORMATS])
def test_construct_formats(http, accept, fmt, media):
    params = {"query": CONSTRUCT_Q, **({"format": fmt} if fmt else {})}
    r = http.post("/sparql", data=params, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    triples = {
        (q.subject.value, q.object.value)
        for q in ox.parse(r.content, format=ox.RdfFormat.from_media_type(media))
    }
    assert len(triples) == 4
    assert ("https://w3id.org/rjkg/id/state/japan", "Япония") in triples


DATASET_CASES = [
    # default graph = union of all graphs
    ({}, P + "ASK { ?p rjkg:mentionedIn doc:000_fixture0001 . ?p skos:prefLabel 'Сергей Лавров'@ru }", True),
    # every document's graph reachable with GRAPH
    (
        {},
        P
        + "ASK { GRAPH <https://w3id.org/rjkg/graph/doc/001_fixture0002> { orgid:fsb rjkg:surfaceForm 'ФСБ'@ru } }",
        True,
    ),
    # default-graph-uri replaces the union
    (
        {"default-graph-uri": "https://w3id.org/rjkg/graph/curated"},
        P + "ASK { ?p rjkg:mentionedIn ?d }",
        False,
    ),
    (
        {"default-graph-uri": "https://w3id.org/rjkg/graph/curated"},
        P + "ASK { state:japan skos:prefLabel 'Japan'@en }",
        True,
    ),
    (
        {"named-graph-uri": "https://w3id.org/rjkg/graph/curated"},
        P + "ASK { GRAPH ?g { ?s rjkg:mentionedIn ?d } }",
        False,
    ),
]


@pytest.mark.parametrize("params, query, expected", DATASET_CASES, ids=range(len(DATASET_CASES)))
def test_dataset(http, params, query, expected):
    r = http.post(
        "/sparql", params=params, content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["boolean"] is expected


# (method, params, body, content-type, accept) → status; every refusal names what to do
ERROR_CASES = [
    ("GET", {"query": "SELECT * WHERE { ?s ?p }"}, None, None, None, 400, "syntax"),
    ("GET", [("query", "ASK {}"), ("query", "ASK {}")], None, None, None, 400, "more than one"),
    ("POST", {}, b"ASK {}", "text/plain", None, 415, "Content-Type"),
    ("POST", {}, b"query=ASK%20%7B%7D", None, None, 415, "Content-Type"),
    ("POST", {}, "ASK {}".encode("utf-16"), "application/sparql-query", None, 400, "UTF-8"),
    ("GET", {"query": "ASK {}"}, None, None, "image/png", 406, "cannot answer"),
    ("GET", {"query": "ASK {}", "format": "png"}, None, None, None, 406, "unknown format"),
    ("GET", {"query": "SELECT * {}"}, None, None, "text/turtle", 406, "SELECT"),
    ("GET", {"update": "CLEAR ALL"}, None, None, None, 403, "read-only"),
    ("POST", {}, b"INSERT DATA { <a:a> <a:b> <a:c> }", "application/sparql-query", None, 403, "read-only"),
    ("POST", {}, b"LOAD <http://127.0.0.1:9/x>", "application/sparql-update", None, 403, "read-only"),
    ("POST", {}, b"update=DROP%20ALL", "application/x-www-form-urlencoded", None, 403, "read-only"),
    ("PUT", {}, b"ASK {}", "application/sparql-query", None, 405, ""),
    ("GET", {"query": "ASK {}", "default-graph-uri": "not an iri"}, None, None, None, 400, "graph IRI"),
]


@pytest.mark.parametrize(
    "method, params, body, ctype, accept, status, words", ERROR_CASES, ids=range(len(ERROR_CASES))
)
def test_protocol_errors(http, method, params, body, ctype, accept, status, words):
    headers = {k: v for k, v in (("Content-Type", ctype), ("Accept", accept)) if v}
    r = http.request(method, "/sparql", params=params, content=body, headers=headers)
    assert r.status_code == status, r.text
    assert words in r.text


def test_syntax_error_carries_the_parser_message(http):
    r = http.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o"})
    assert r.status_code == 400
    assert "error at 1:" in r.text and "expected" in r.text


def test_etag_and_304(http):
    r1 = http.get("/sparql", params={"query": LABELS_Q})
    etag = r1.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    r2 = http.get("/sparql", params={"query": LABELS_Q}, headers={"If-None-Match": etag})
    assert r2.status_code == 304 and r2.content == b""
    r3 = http.get("/sparql", params={"query": LABELS_Q, "format": "csv"}, headers={"If-None-Match": etag})
    assert r3.status_code == 200 and r3.headers["etag"] != etag


def test_service_description(http, server):
    r = http.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = ox.Store()
    g.load(r.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert g.query(f"ASK {{ ?s a <{sd}Service> ; <{sd}endpoint> <{server.url}/sparql> }}")
    assert g.query(
        f"ASK {{ ?s <{sd}supportedLanguage> <{sd}SPARQL11Query> ; <{sd}feature> <{sd}UnionDefaultGraph> }}"
    )
    assert not g.query(f"ASK {{ ?s <{sd}feature> <{sd}BasicFederatedQuery> }}")
    names = {b["n"].value for b in g.query(f"SELECT ?n WHERE {{ ?x <{sd}name> ?n }}")}
    assert "https://w3id.org/rjkg/graph/doc/000_fixture0001" in names
    html = http.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")


# ------------------------------------------------------------------------------------------------ linked data

# Accept → (Content-Type, Content-Location suffix)
RESOURCE_CASES = [
    (None, "text/turtle", ".ttl"),
    ("*/*", "text/turtle", ".ttl"),
    ("text/turtle", "text/turtle", ".ttl"),
    ("application/ld+json", "application/ld+json", ".jsonld"),
    ("application/n-triples", "application/n-triples", ".nt"),
    ("application/rdf+xml", "application/rdf+xml", ".rdf"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html", ".html"),
]


@pytest.mark.parametrize("accept, media, ext", RESOURCE_CASES, ids=[str(c[0]) for c in RESOURCE_CASES])
def test_resource_200_with_content_location(http, accept, media, ext):
    r = http.get("/id/person/lavrov-sergei-viktorovich", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    assert r.headers["content-location"] == "/id/person/lavrov-sergei-viktorovich" + ext
    assert "Accept" in r.headers["vary"]
    assert 'rel="alternate"; type="application/ld+json"' in r.headers["link"]
    if media == "text/html":
        assert "Лавров" in r.text
        return
    triples = {
        (t.subject.value, t.predicate.value, t.object.value)
        for t in ox.parse(r.content, format=ox.RdfFormat.from_media_type(media))
    }
    rjkg = "https://w3id.org/rjkg/ontology#"
    assert (
        LAVROV,
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "Сергей Лавров",
    ) in triples  # its triples
    part = "https://w3id.org/rjkg/id/participation/000_fixture0001-meeting-15--lavrov-sergei-viktorovich"
    assert (part, rjkg + "participant", LAVROV) in triples  # incoming links
    stmt = "https://w3id.org/rjkg/id/statement/000_fixture0001-40-90"
    assert (stmt, rjkg + "speaker", LAVROV) in triples
    assert (
        "https://w3id.org/rjkg/id/doc/000_fixture0001",
        "http://purl.org/dc/terms/title",
        "Лавров встретился с послом Японии",
    ) in triples  # labels of what it links to
    quote = "https://w3id.org/rjkg/id/span/000_fixture0001-0-14#quote"
    assert (quote, "http://www.w3.org/ns/oa#exact", "Сергей Лавров") in triples  # evidence spans


def test_resource_representation_urls_and_hash_parts(http):
    r = http.get("/id/event/000_fixture0001-meeting-15.nt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/n-triples")
    assert (
        "<https://w3id.org/rjkg/id/event/000_fixture0001-meeting-15#time> <http://www.w3.org/2006/time#inXSDDate>"
        in r.text
    )
    assert "Москва" in r.text


NOT_FOUND = [
    "/id/person/nobody-at-all",
    "/id/nokind/lavrov-sergei-viktorovich",
    "/id/person/..%2F..%2Fetc%2Fpasswd",
    "/id/person/lavrov-sergei-viktorovich.exe",
    "/id/person/%2e%2e",
    "/dumps/../pyproject.toml",
    "/dumps/%2e%2e/%2e%2e/pyproject.toml",
    "/dumps/doc/..%2F..%2Fsource.trig",
    "/dumps/nothing.nq",
    "/dumps/doc/../../../../etc/passwd",
    "/graph/doc/..%2Fsecret",
    "/graph/nothing",
]


@pytest.mark.parametrize("path", NOT_FOUND)
def test_unknown_and_traversal_404(server, path):
    # raw paths (httpx would normalise the dots away)
    out = subprocess.run(
        ["curl", "-s", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", server.url + path],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert out.stdout == "404", path


def test_ontology_and_void(http):
    r = http.get("/ontology", headers={"Accept": "text/turtle"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    assert "Ontology" in r.text
    j = http.get("/ontology", headers={"Accept": "application/ld+json"})
    assert j.status_code == 200 and json.loads(j.content)
    v = http.get("/.well-known/void")
    assert v.status_code == 200 and v.headers["content-type"].startswith("text/turtle")
    assert "http://rdfs.org/ns/void#" in v.text and v.headers["content-location"] == "/dumps/void.ttl"
    g = http.get("/graph/doc/000_fixture0001")
    assert g.status_code == 200 and g.headers["content-location"] == "/dumps/doc/000_fixture0001.ttl"


# ------------------------------------------------------------------------------------------------ dumps

DUMPS = [
    ("rjkg.nq", "application/n-quads"),
    ("rjkg.trig", "application/trig"),
    ("rjkg.ttl", "text/turtle"),
    ("ontology.ttl", "text/turtle"),
    ("curated.ttl", "text/turtle"),
    ("inferred.ttl", "text/turtle"),
    ("void.ttl", "text/turtle"),
    ("doc/000_fixture0001.ttl", "text/turtle"),
]


@pytest.mark.parametrize("name, media", DUMPS, ids=[d[0] for d in DUMPS])
def test_dump_validators(http, name, media):
    data = (FIXTURE / name).read_bytes()
    r = http.get(f"/dumps/{name}", headers={"Accept-Encoding": "identity"})
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-type"].split(";")[0] == media
    assert int(r.headers["content-length"]) == len(data)
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert etag.startswith('"') and modified.endswith("GMT")
    assert (
        http.get(f"/dumps/{name}", headers={"If-None-Match": etag, "Accept-Encoding": "identity"}).status_code
        == 304
    )
    assert (
        http.get(
            f"/dumps/{name}", headers={"If-Modified-Since": modified, "Accept-Encoding": "identity"}
        ).status_code
        == 304
    )
    part = http.get(f"/dumps/{name}", headers={"Range": "bytes=10-19", "Accept-Encoding": "identity"})
    assert part.status_code == 206 and part.content == data[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    tail = http.get(f"/dumps/{name}", headers={"Range": "bytes=-5", "Accept-Encoding": "identity"})
    assert tail.status_code == 206 and tail.content == data[-5:]
    bad = http.get(
        f"/dumps/{name}", headers={"Range": f"bytes={len(data) + 10}-", "Accept-Encoding": "identity"}
    )
    assert bad.status_code == 416 and bad.headers["content-range"] == f"bytes */{len(data)}"


def test_dump_gzip(server):
    raw = httpx.get(server.url + "/dumps/rjkg.nq", headers={"Accept-Encoding": "gzip"})  # httpx decodes
    assert raw.headers["content-encoding"] == "gzip" and raw.content == (FIXTURE / "rjkg.nq").read_bytes()
    with httpx.stream("GET", server.url + "/dumps/rjkg.nq", headers={"Accept-Encoding": "gzip"}) as s:
        body = b"".join(s.iter_raw())
    assert gzip.decompress(body) == (FIXTURE / "rjkg.nq").read_bytes()
    plain = httpx.get(server.url + "/dumps/rjkg.nq", headers={"Accept-Encoding": "identity"})
    assert plain.headers["etag"] != raw.headers["etag"]


def test_dumps_index_lists_files(http):
    r = http.get("/dumps/", headers={"Accept": "application/json"})
    names = {f["name"] for f in r.json()["files"]}
    assert {"rjkg.nq", "void.ttl", "doc/000_fixture0001.ttl"} <= names


# ------------------------------------------------------------------------------------------------ CORS, health


def test_cors_preflight_and_simple(http):
    pre = http.options(
        "/sparql",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()
    r = http.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"


def test_health(http):
    assert http.get("/healthz").json()["status"] == "ok"
    ready = http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["workers"] == 2


# ------------------------------------------------------------------------------------------------ real clients


def test_sparqlwrapper(server):
    from SPARQLWrapper import CSV, JSON, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(LABELS_Q)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert [r["l"]["value"] for r in rows] == ["Japan", "Russia"]
    sw.setReturnFormat(CSV)
    assert sw.query().convert().decode().splitlines()[1:] == [
        "https://w3id.org/rjkg/id/state/japan,Japan",
        "https://w3id.org/rjkg/id/state/russia,Russia",
    ]
    sw.setMethod("POST")
    sw.setQuery(CONSTRUCT_Q)
    sw.setReturnFormat(TURTLE)
    assert "Япония" in sw.query().convert().decode()


def test_rdflib_sparqlstore(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(server.url + "/sparql", returnFormat="json"))
    rows = list(g.query(LABELS_Q))
    assert [str(r.l) for r in rows] == ["Japan", "Russia"]


def test_curl(server):
    out = subprocess.run(
        ["curl", "-sS", "-f", "-H", "Accept: text/tab-separated-values", "--data-urlencode", f"query={LABELS_Q}",
         server.url + "/sparql"],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "?s\t?l",
        '<https://w3id.org/rjkg/id/state/japan>\t"Japan"@en',
        '<https://w3id.org/rjkg/id/state/russia>\t"Russia"@en',
    ]
    head = subprocess.run(
        ["curl", "-sSI", server.url + "/id/state/japan"], capture_output=True, text=True, timeout=30
    )
    assert (
        head.stdout.startswith("HTTP/1.1 200")
        and "content-location: /id/state/japan.ttl" in head.stdout.lower()
    )


# ------------------------------------------------------------------------------------------------ fuzz

PARAM_NAMES = st.sampled_from(
    ["query", "format", "output", "default-graph-uri", "named-graph-uri", "update", "x", ""]
)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60) | st.sampled_from(
    ["ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "json", "csv", "turtle",
     "DESCRIBE <https://w3id.org/rjkg/id/state/japan>", "SELECT * { SERVICE <http://127.0.0.1:9/> {} }", "\\u0000"]
)  # fmt: skip
ACCEPT = st.sampled_from(
    [None, "*/*", "text/csv", "application/ld+json", "image/png", "text/turtle;q=0", ";;;", "a/b;q=x"]
)
CTYPE = st.sampled_from(
    [
        None,
        "application/sparql-query",
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    method=st.sampled_from(["GET", "POST"]),
    params=st.lists(st.tuples(PARAM_NAMES, TEXT), max_size=4),
    body=st.binary(max_size=80) | TEXT.map(lambda t: t.encode()),
    accept=ACCEPT,
    ctype=CTYPE,
)
def test_fuzz_parameters_never_500(http, method, params, body, accept, ctype):
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", ctype)) if v}
    r = http.request(
        method, "/sparql", params=params, content=body if method == "POST" else None, headers=headers
    )
    assert r.status_code < 500 or r.status_code == 503, (r.status_code, r.text)


# ------------------------------------------------------------------------------------------------ command line


def test_serve_cli_builds_the_graph_first(tmp_path, monkeypatch):
    """With no graph/rjkg.nq, `rjkg serve` runs the build, then builds the store and starts uvicorn."""
    import shutil

    import uvicorn

    from rjkg import config, pipeline, serve

    graph = tmp_path / "graph"
    monkeypatch.setattr(config, "GRAPH_DIR", graph)
    monkeypatch.setattr(config, "STORE_DIR", tmp_path / "store")
    built, ran = [], {}
    monkeypatch.setattr(
        pipeline, "build_cli", lambda **kw: built.append(kw) or shutil.copytree(FIXTURE, graph) and 0
    )
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.update(app=app, **kw))
    assert serve.serve_cli(port=1234, workers=1) == 0
    assert built == [{"quiet": True}]
    assert ran["host"] == "127.0.0.1" and ran["port"] == 1234
    assert (tmp_path / "store" / "SOURCE-SHA256").is_file()


CLI_ERRORS = [
    ({"graph": Path("/nonexistent/graph")}, "--graph"),
    ({"workers": -1, "graph": FIXTURE}, "--workers"),
    ({"timeout": 0, "graph": FIXTURE}, "--timeout"),
]


@pytest.mark.parametrize("kwargs, where", CLI_ERRORS, ids=[c[1] for c in CLI_ERRORS])
def test_serve_cli_errors(kwargs, where):
    from rjkg.errors import InputError
    from rjkg.serve import serve_cli

    with pytest.raises(InputError) as info:
        serve_cli(**kwargs)
    assert info.value.where == where


def test_rjkg_serve_reports_errors_without_traceback():
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "rjkg", "serve", "--graph", "/nonexistent/graph"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("rjkg: error: --graph:") and "Traceback" not in out.stderr


def test_html_escapes_labels(http):
    """The fixture's quote holds `<script>alert(1)</script>`: the statement's HTML page shows it escaped."""
    r = http.get("/id/statement/000_fixture0001-40-90", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text


def test_base_maps_a_public_base_onto_the_server(tmp_path):
    """`--base`: IRIs under another public base are served at /id/… of this server."""
    from rjkg import store as store_mod

    graph = tmp_path / "graph"
    graph.mkdir()
    base = "http://data.example.org/kg/"
    text = (FIXTURE / "rjkg.nq").read_text(encoding="utf-8").replace("https://w3id.org/rjkg/", base)
    (graph / "rjkg.nq").write_text(text, encoding="utf-8")
    srv = Server(
        graph, store_mod.ensure_store(graph, tmp_path / "store"), "--base", base, "--no-pages", workers=1
    )
    try:
        r = httpx.get(srv.url + "/id/state/japan", headers={"Accept": "application/n-triples"})
        assert r.status_code == 200, r.text
        assert (
            f'<{base}id/state/japan> <http://www.w3.org/2004/02/skos/core#prefLabel> "Japan"@en .' in r.text
        )
        assert httpx.get(srv.url + "/id/state/atlantis").status_code == 404
    finally:
        srv.stop()


def test_large_answers_are_gzipped(server):
    q = "SELECT * WHERE { ?s ?p ?o . ?a ?b ?c } LIMIT 3000"
    with httpx.stream(
        "GET", server.url + "/sparql", params={"query": q}, headers={"Accept-Encoding": "gzip"}
    ) as r:
        raw = b"".join(r.iter_raw())
        assert (
            r.status_code == 200
            and r.headers["content-encoding"] == "gzip"
            and r.headers["etag"].endswith('-gz"')
        )
    assert len(json.loads(gzip.decompress(raw))["results"]["bindings"]) == 3000
    again = httpx.get(
        server.url + "/sparql", params={"query": q}, headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    plain = httpx.get(server.url + "/sparql", params={"query": q}, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and len(plain.content) > len(raw)
