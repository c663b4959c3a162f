"""`rjkg publish` against a real `oxigraph serve` process on 127.0.0.1: every named graph uploaded (twice: PUT is
idempotent), then the query library and our own queries answer the same there and on `rjkg serve`. Retries on 5xx and
clear errors on 4xx are checked against a small scripted Graph Store on 127.0.0.1."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from rjkg.errors import InputError, RjkgError
from rjkg.publish import load_graphs, publish
from rjkg.vocab import sparql_prefixes
from test_serve_fixture import FIXTURE, Server, fixture_store, free_port  # noqa: F401 - fixture_store is a fixture

ROOT = Path(__file__).resolve().parents[1]
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
LIBRARY = sorted((ROOT / "queries").glob("*.rq"))
assert len(LIBRARY) >= 10, f"query library missing: {len(LIBRARY)} files"
P = sparql_prefixes()
OWN = [
    P + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    P + "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }",
    P
    + "SELECT ?e ?d ?who WHERE { ?e a rjkg:Meeting ; sem:hasTime/time:inXSDDate ?d ; rjkg:participation/rjkg:participant ?who }",
    P + "SELECT ?doc (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x rjkg:mentionedIn ?doc } GROUP BY ?doc",
    P + "ASK { GRAPH <https://w3id.org/rjkg/graph/doc/001_fixture0002> { state:japan rjkg:mentionedIn ?d } }",
    P + "SELECT ?q WHERE { ?st rjkg:speaker ?p ; rjkg:quote ?q }",
]


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory):
    port = free_port()
    loc = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(loc / "db"), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.fixture(scope="module")
def ours(fixture_store):  # noqa: F811
    srv = Server(FIXTURE, fixture_store, "--no-pages", timeout=10.0)
    yield srv
    srv.stop()


def _rows(r: httpx.Response) -> object:
    assert r.status_code == 200, r.text
    data = r.json()
    if "boolean" in data:
        return data["boolean"]

    def term(t: dict) -> tuple:
        dt = t.get("datatype")
        dt = None if dt == "http://www.w3.org/2001/XMLSchema#string" else dt
        return (t["type"], "_" if t["type"] == "bnode" else t["value"], dt, t.get("xml:lang"))

    return sorted(sorted((v, term(t)) for v, t in b.items()) for b in data["results"]["bindings"])


def test_publish_then_same_answers(oxigraph, ours):
    cmd = [
        sys.executable,
        "-m",
        "rjkg",
        "publish",
        "--endpoint",
        oxigraph + "/query",
        "--graph",
        str(FIXTURE),
    ]
    for _ in range(2):  # idempotent: the second run replaces each graph with itself
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert "published 6 graphs" in out.stdout and "(verified)" in out.stdout
    sent = load_graphs(FIXTURE)
    total = httpx.get(oxigraph + "/query", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"},
                      headers={"Accept": "application/sparql-results+json"}).json()  # fmt: skip
    assert int(total["results"]["bindings"][0]["n"]["value"]) == sum(len(t) for t in sent.values())
    queries = [q.read_text(encoding="utf-8") for q in LIBRARY] + OWN
    nonempty = 0
    for q in queries:
        theirs = _rows(
            httpx.post(
                oxigraph + "/query",
                data={"query": q},
                headers={"Accept": "application/sparql-results+json"},
                timeout=30,
            )
        )
        mine = _rows(
            httpx.post(
                ours.url + "/sparql",
                data={"query": q},
                headers={"Accept": "application/sparql-results+json"},
                timeout=30,
            )
        )
        assert mine == theirs, q
        nonempty += bool(mine)
    assert nonempty >= len(OWN)


class ScriptedStore:
    """A Graph Store on 127.0.0.1 answering PUTs with a scripted list of statuses (then 204)."""

    def __init__(self, statuses: list[int]):
        self.statuses, self.seen = list(statuses), []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                owner.seen.append(
                    (self.path, self.headers.get("Content-Type"), self.headers.get("Authorization"))
                )
                status = owner.statuses.pop(0) if owner.statuses else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


def test_retries_5xx_then_succeeds():
    store = ScriptedStore([503, 502])
    sent = publish(FIXTURE, store.url + "/query", auth="ann:pw", backoff=0.01, verify=False)
    assert len(sent) == 6
    assert len(store.seen) == 6 + 2  # two retried PUTs
    path, ctype, auth = store.seen[0]
    assert (
        path.startswith("/store?graph=https%3A%2F%2Fw3id.org%2Frjkg%2Fgraph%2F")
        and ctype == "application/n-triples"
    )
    assert auth.startswith("Basic ")


ERRORS = [
    ([401], InputError, "--auth"),
    ([404], InputError, "--graph-store"),
    ([503] * 10, RjkgError, "failed after 3 attempts"),
]


@pytest.mark.parametrize("statuses, error, words", ERRORS, ids=[str(e[0][0]) for e in ERRORS])
def test_clear_errors(statuses, error, words):
    store = ScriptedStore(statuses)
    with pytest.raises(error) as info:
        publish(FIXTURE, store.url + "/query", retries=2, backoff=0.01, verify=False)
    assert words in info.value.render()


BAD_ARGS = [
    ({"endpoint": "ftp://x/query"}, "--endpoint"),
    ({"endpoint": "http://127.0.0.1:9/sparql-endpoint"}, "--graph-store"),
    ({"endpoint": "http://127.0.0.1:9/query", "auth": "nocolon"}, "--auth"),
    ({"endpoint": "http://127.0.0.1:9/query", "graph_dir": Path("/nonexistent")}, "--graph"),
]


@pytest.mark.parametrize("kwargs, where", BAD_ARGS, ids=[b[1] for b in BAD_ARGS])
def test_bad_arguments(kwargs, where):
    args = {"graph_dir": FIXTURE, **kwargs}
    with pytest.raises(InputError) as info:
        publish(args.pop("graph_dir"), args.pop("endpoint"), **{k: v for k, v in args.items()}, verify=False)
    assert info.value.where == where


def test_connection_refused_is_retried_then_reported():
    port = free_port()  # nothing listens there
    with pytest.raises(RjkgError) as info:
        publish(FIXTURE, f"http://127.0.0.1:{port}/query", retries=1, backoff=0.01, verify=False)
    assert "connection failed" in info.value.render()
