"""The endpoint under attack, each case against a real server process: SERVICE (SSRF) refused with a canary proving
nothing leaves, hard timeouts answered 503 while others are served, disconnects kill the worker, caps (body 413,
result 422, concurrency 503 + Retry-After), ReDoS-safe regex. Plus the guard's tokeniser as a table."""

from __future__ import annotations

import http.server
import socket
import threading
import time
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest

from rjkg.sparql_guard import analyse
from test_serve_fixture import FIXTURE, Server, fixture_store  # noqa: F401 - fixture_store is a fixture

CARTESIAN_ORDER_BY = (
    "SELECT ?a ?b ?c WHERE { ?a ?p1 ?o1 . ?b ?p2 ?o2 . ?c ?p3 ?o3 } ORDER BY ?a ?b ?c LIMIT 1"
)
CHEAP = "ASK { ?s ?p ?o }"


class Canary:
    """An HTTP listener on 127.0.0.1 that records every request it gets (and answers like a SPARQL endpoint)."""

    def __init__(self):
        self.requests: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                canary.requests.append(f"{self.command} {self.path}")
                body = b'{"head":{"vars":["secret"]},"results":{"bindings":[{"secret":{"type":"literal","value":"leak"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture(scope="module")
def server(fixture_store):  # noqa: F811
    srv = Server(FIXTURE, fixture_store, timeout=2.0, workers=2)
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def tight(fixture_store):  # noqa: F811
    """One worker, no queue, tiny caps: for the concurrency, body and result caps."""
    srv = Server(
        FIXTURE,
        fixture_store,
        "--max-pending",
        "1",
        "--byte-cap",
        "2000",
        "--body-cap",
        "4096",
        timeout=2.0,
        workers=1,
    )
    yield srv
    srv.stop()


@pytest.fixture()
def canary():
    c = Canary()
    yield c
    c.close()


# ------------------------------------------------------------------------------------------------ SERVICE

# queries pyoxigraph 0.5.13 would send to the canary ({c} is its URL); each must be refused and nothing sent
FEDERATED = [
    "SELECT * WHERE {{ SERVICE <{c}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SeRvIcE <{c}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{c}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{c}> {{ ?s ?p ?o }} }}",
    "PREFIX : <{c}> SELECT * WHERE {{ SERVICE:x {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{c}> SELECT * WHERE {{ SERVICEex: {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o.SERVICE <{c}> {{ ?a ?b ?d }} }}",
    'SELECT * WHERE {{ ?s ?p "x\\u0022" SERVICE <{c}> {{ ?a ?b ?d }} }}',
    "SELECT * WHERE {{ ?s ?p ?o # comment\nSERVICE<{c}>{{ ?a ?b ?d }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ SERVICE <{c}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER(?o < ?s) SERVICE <{c}> {{ ?a ?b ?d }} }}",
]
# queries that only look federated: they must run (200)
NOT_FEDERATED = [
    'SELECT ?o WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "Federal Security Service")) }',
    "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:service ?o } LIMIT 1",
    "SELECT * WHERE { _:service ?p ?o } LIMIT 1",
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:9/> {}"@en } LIMIT 1',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:9/>\nLIMIT 1",
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    "SELECT * WHERE { ?s ?p '''multi\nline SERVICE'''@en }",
]


@pytest.mark.parametrize("template", FEDERATED, ids=range(len(FEDERATED)))
def test_service_refused_and_nothing_leaves(server, canary, template):
    query = template.format(c=canary.url)
    for method, kwargs in (
        ("GET", {"params": {"query": query}}),
        ("POST", {"data": {"query": query}}),
        ("POST", {"content": query.encode(), "headers": {"Content-Type": "application/sparql-query"}}),
    ):
        r = httpx.request(method, server.url + "/sparql", timeout=10, **kwargs)
        assert r.status_code == 400, (method, r.text)
        assert "SERVICE" in r.text
    time.sleep(0.2)
    assert canary.requests == []


def test_canary_is_real(canary):
    """Without the guard, pyoxigraph sends the query to the canary: the refusals above are not vacuous."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.NamedNode("http://e/o")))
    executed = 0
    for template in FEDERATED:
        try:
            list(store.query(template.format(c=canary.url)))
        except (SyntaxError, OSError, RuntimeError):
            pass
        executed = len(canary.requests)
    assert executed >= 8, canary.requests


@pytest.mark.parametrize("query", NOT_FEDERATED, ids=range(len(NOT_FEDERATED)))
def test_lookalikes_allowed(server, query):
    r = httpx.get(server.url + "/sparql", params={"query": query}, timeout=10)
    assert r.status_code == 200, r.text


def test_literal_federal_security_service_is_answered(server):
    q = 'SELECT ?s WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> "Federal Security Service"@en }'
    r = httpx.get(server.url + "/sparql", params={"query": q}, timeout=10)
    assert r.status_code == 200
    assert [b["s"]["value"] for b in r.json()["results"]["bindings"]] == ["https://w3id.org/rjkg/id/org/fsb"]


# text → (federated, update, form)
GUARD_CASES = [
    ("SELECT * { ?s ?p ?o }", (False, False, "select")),
    (
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> SELECT * { ?s sd:endpoint ?o }",
        (False, False, "select"),
    ),
    ("PREFIX sd: <http://x/service#> SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", (True, False, "select")),
    ("ask {}", (False, False, "ask")),
    ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", (True, False, "select")),
    ("SELECT * { ?s ?p true } ", (False, False, "select")),
    ("SELECT * { ?s ?p trueSERVICE <http://x/> {} }", (True, False, "select")),
    ("SELECT * { ?s ?p 1e5SERVICE <http://x/> {} }", (True, False, "select")),
    ("SELECT * { ?s ?p 'a'@en-SERVICE }", (False, False, "select")),
    ("SELECT * { ?s <http://x/?q=SERVICE> ?o }", (False, False, "select")),
    ('SELECT * { ?s ?p """SERVICE""" }', (False, False, "select")),
    ('SELECT * { ?s ?p "\\"SERVICE" }', (False, False, "select")),
    ("DELETE WHERE { ?s ?p ?o }", (False, True, None)),
    ("CLEAR ALL", (False, True, None)),
    ("# DROP ALL\nCONSTRUCT WHERE { ?s ?p ?o }", (False, False, "construct")),
    ("DESCRIBE <http://x/add>", (False, False, "describe")),
]


@pytest.mark.parametrize("text, expected", GUARD_CASES, ids=[c[0][:30] for c in GUARD_CASES])
def test_guard(text, expected):
    a = analyse(text)
    assert (a.federated, a.update, a.form) == expected


# ------------------------------------------------------------------------------------------------ limits


def test_pathological_order_by_is_cut_off_while_others_are_served(server):
    results: dict = {}

    def heavy():
        t = time.monotonic()
        r = httpx.get(server.url + "/sparql", params={"query": CARTESIAN_ORDER_BY}, timeout=20)
        results["heavy"] = (r.status_code, r.headers.get("retry-after"), time.monotonic() - t, r.text)

    th = threading.Thread(target=heavy)
    th.start()
    time.sleep(0.5)
    cheap = httpx.get(server.url + "/sparql", params={"query": CHEAP, "format": "json"}, timeout=10)
    assert cheap.status_code == 200 and cheap.json()["boolean"] is True
    th.join(30)
    status, retry, elapsed, text = results["heavy"]
    assert status == 503 and retry and int(retry) >= 1, text
    assert elapsed < 2.0 + 1.0, elapsed
    assert "limit" in text
    # the pool healed: a replacement worker answers again
    deadline = time.monotonic() + 10
    while httpx.get(server.url + "/readyz", timeout=10).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200


def test_deep_property_path_is_cut_off(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<x:y>)* ?b . ?c (!<x:y>)* ?d }"
    r = httpx.get(server.url + "/sparql", params={"query": q}, timeout=20)
    assert r.status_code in (200, 503), r.text  # either it finishes or it is cut off, never a truncated 200
    if r.status_code == 200:
        assert int(r.json()["results"]["bindings"][0]["n"]["value"]) > 0


def test_client_disconnect_kills_the_worker(server):
    deadline = time.monotonic() + 10
    while httpx.get(server.url + "/readyz", timeout=10).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    before = server.worker_pids()
    assert len(before) == 2
    req = f"GET /sparql?query={quote(CARTESIAN_ORDER_BY)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    sock = socket.create_connection(("127.0.0.1", server.port))
    sock.sendall(req.encode())
    time.sleep(0.3)
    sock.close()  # gone long before the 2 s limit
    time.sleep(0.9)  # well before the timeout would have killed it
    after = server.worker_pids()
    assert len(before - after) == 1, (before, after)


def test_body_cap_413(server):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (300 * 1024)
    r = httpx.post(
        server.url + "/sparql",
        content=big.encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=10,
    )
    assert r.status_code == 413
    r = httpx.post(server.url + "/sparql", data={"query": big}, timeout=10)
    assert r.status_code == 413


def test_regex_redos_finishes(server):
    """`^(a+)+$` over 30,001 characters: answered (200, not cut off by the 2 s limit) by the linear-time engine."""
    subject = "a" * 30000 + "b"
    q = f'SELECT * WHERE {{ BIND("{subject}" AS ?x) FILTER(REGEX(?x, "^(a+)+$")) }}'
    r = httpx.post(server.url + "/sparql", data={"query": q}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"] == []


def test_concurrency_cap_503_retry_after(tight):
    done: dict = {}

    def heavy():
        done["r"] = httpx.get(tight.url + "/sparql", params={"query": CARTESIAN_ORDER_BY}, timeout=20)

    th = threading.Thread(target=heavy)
    th.start()
    time.sleep(0.5)
    r = httpx.get(tight.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"}, timeout=10)
    assert r.status_code == 503 and int(r.headers["retry-after"]) >= 1, r.text
    th.join(30)
    assert done["r"].status_code == 503


def test_result_cap_is_explicit(tight):
    deadline = time.monotonic() + 10
    while httpx.get(tight.url + "/readyz", timeout=10).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    r = httpx.get(tight.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"}, timeout=10)
    assert r.status_code == 422, r.text
    assert r.headers["x-rjkg-result-capped"] == "bytes=2000"
    assert "LIMIT" in r.text
    small = httpx.get(
        tight.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"}, timeout=10
    )
    assert small.status_code == 200 and len(small.json()["results"]["bindings"]) == 2
    body = httpx.post(tight.url + "/sparql", data={"query": "ASK {} #" + "x" * 5000}, timeout=10)
    assert body.status_code == 413


def test_memory_cap_kills_a_growing_query(fixture_store):  # noqa: F811
    """A sort over a cartesian product grows ~0.5 GB/s: with a 300 MB cap it is killed long before the timeout."""
    srv = Server(FIXTURE, fixture_store, "--mem-cap-mb", "300", "--no-pages", timeout=20.0, workers=1)
    try:
        t = time.monotonic()
        r = httpx.get(srv.url + "/sparql", params={"query": CARTESIAN_ORDER_BY}, timeout=30)
        assert r.status_code == 503 and "memory" in r.text and int(r.headers["retry-after"]) >= 1, r.text
        assert time.monotonic() - t < 20.0
        deadline = time.monotonic() + 10
        while httpx.get(srv.url + "/readyz", timeout=10).status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert httpx.get(srv.url + "/sparql", params={"query": CHEAP}, timeout=10).json()["boolean"] is True
    finally:
        srv.stop()
