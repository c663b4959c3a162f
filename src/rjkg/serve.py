"""`rjkg serve`: a read-only SPARQL 1.1 endpoint, linked data, dumps and the analysts' pages, in one ASGI app.

Why this shape (measured facts in SERVING.md): oxigraph executes SERVICE, answers 200 before evaluating and cannot stop
a sort, so the public surface is a Starlette app in front of `workers.WorkerPool` (processes killed on deadline).

Decisions, each tested in tests/test_serve*.py:
- `/sparql` (also `/sparql/`): GET, POST form, POST `application/sparql-query`. The default graph is the **union of
  all graphs**; `default-graph-uri`/`named-graph-uri` replace the dataset (what is not given is empty).
  Results: SPARQL JSON (default), XML, CSV, TSV; graphs: Turtle (default), N-Triples, JSON-LD, RDF/XML, TriG,
  N-Quads; by Accept or `format=` (`output=` too). 406 when nothing fits, 415 for a wrong body type, 400 for bad
  syntax (with the parser's message), several `query` parameters or non-UTF-8 text, **403** for any update,
  **400** for SERVICE (sparql_guard tokenises; nothing is sent anywhere), **413** for a body over `body_cap`,
  **503 + Retry-After** when all workers and the queue are busy or when the query is killed for passing the hard
  timeout or the worker memory cap (2 GiB by default: a sort over a cartesian product grows ~0.5 GB/s),
  **422 + `X-RJKG-Result-Capped`** when a result exceeds the byte cap (never a truncated 200).
  GET without a query: a Service Description (Turtle, or HTML query page for browsers).
  Answers are cached per graph version (the fingerprint of the dumps) with a strong ETag; `If-None-Match` → 304.
- Linked data: `/id/{kind}/{slug}` answers **200 with `Content-Location` and `Vary: Accept`** (Trifid style: no
  extra round trip, the representation URL is `/id/{kind}/{slug}.{ttl|nt|jsonld|rdf|html}`), with
  `Link: rel="alternate"` headers; HTML from `pages.resource_html`, RDF from a bounded CONSTRUCT (the resource's
  triples, its hash-IRI parts, labels of what it links to, incoming links with their labels, evidence spans).
  Unknown IRIs, bad slugs and path traversal → 404. `/ontology` serves ontology/rjkg.ttl to RDF clients and the
  pages' HTML to browsers; `/graph/…` (named-graph IRIs) and `/.well-known/void` serve the matching dump.
- Dumps at `/dumps/{file}` and `/dumps/doc/{id}.ttl`: media types, strong ETag (SHA-256 of the bytes),
  Last-Modified, Content-Length, 304, single byte ranges (206/416), gzip when accepted (its own ETag).
- CORS `*` on everything read-only, preflight with methods and headers; `/healthz` (alive), `/readyz` (a worker
  answered `ASK {}` within 1 s). Query answers of 64 KiB or more are gzipped for clients that accept it.
- Deployment: binds 127.0.0.1 by default; put a TLS reverse proxy (and any per-client rate limit, 429) in front,
  and as defence in depth deny the workers network egress (systemd `IPAddressDeny=any`) and cap memory by cgroup.
  `python -m rjkg.serve --help` lists the operator knobs (store, queue, byte/body/memory caps).
- Speed without cutting corners (benchmarks/bench_serve.py): jobs are pipelined to the workers (workers.WorkerPool),
  each answer leaves in one socket write (http_fast), GET query strings are decoded in C, the disconnect watcher
  starts only for queries still running after WATCH_AFTER, and each job is JSON-encoded once (frame and cache key).
  Worker count defaults to the number of cores (2 to 8).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import hashlib
import json
import os
import re
import sys
from collections import OrderedDict
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qsl, quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from rjkg import config, negotiate, sparql_guard
from rjkg.errors import InputError
from rjkg.http_fast import parse_query_string
from rjkg.vocab import BASE, KINDS, PREFIXES
from rjkg.workers import Busy, ClientGone, QueryTimeout, QueryTooLarge, Result, WorkerCrashed, WorkerPool

BODY_CAP = 256 * 1024
DEFAULT_WORKERS = max(2, min(os.cpu_count() or 2, 8))  # queries are CPU-bound: one worker per core
MEM_CAP = 2 * 1024**3
WATCH_AFTER = 0.02  # seconds a query runs before its client's connection is watched for a disconnect
GZIP_MIN = 64 * 1024  # query answers at least this large are gzipped for clients that accept it
BYTE_CAP = 50 * 1024 * 1024
DESCRIBE_LIMIT = 2000  # triples per part of a resource description
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,200}$")
DUMP_NAME = re.compile(r"^(?:doc/)?[A-Za-z0-9][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9]+)+$|^SHA256SUMS$")
DUMP_MEDIA = {
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".rdf": "application/rdf+xml",
    ".gz": "application/gzip",
    ".json": "application/json",
    ".csv": "text/csv",
    "SHA256SUMS": "text/plain",
}
EXT_MEDIA = {ext: media for media, (_, ext) in negotiate.RESOURCE.items()}
RESOURCE_OFFERS = {
    m: negotiate.RESOURCE[m]
    for m in (
        "text/turtle",
        "text/html",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    )
}
RDF_OFFERS = {m: v for m, v in RESOURCE_OFFERS.items() if m != "text/html"}
FORMATS_NS = "http://www.w3.org/ns/formats/"
SD_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
              "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "TriG", "N-Quads")  # fmt: skip
CORS_HEADERS = [
    "Accept",
    "Content-Type",
    "If-None-Match",
    "If-Modified-Since",
    "Range",
    "If-Range",
    "Cache-Control",
]
EXPOSE_HEADERS = ["ETag", "Content-Location", "Link", "Retry-After", "X-RJKG-Result-Capped", "Content-Range"]


@dataclass
class Settings:
    """Everything create_app needs; defaults are the public-deployment values."""

    graph_dir: Path = config.GRAPH_DIR
    store: Path | None = None  # a RocksDB store folder; None → store.ensure_store(graph_dir)
    base: str = BASE
    workers: int = DEFAULT_WORKERS
    timeout: float = 30.0
    max_pending: int = 128
    byte_cap: int = BYTE_CAP
    body_cap: int = BODY_CAP
    cache_bytes: int = 64 * 1024 * 1024
    mem_cap: int = MEM_CAP  # resident bytes a worker may reach while answering (0: no cap)
    pages: bool = True
    ontology_file: Path | None = None


# ---------------------------------------------------------------------------------------------- helpers


def _text(status: int, message: str, headers: dict | None = None) -> Response:
    return PlainTextResponse(message.rstrip() + "\n", status_code=status, headers=headers)


def _retry(status: int, message: str, seconds: int) -> Response:
    return _text(status, message, {"Retry-After": str(max(1, seconds))})


class ResultCache:
    """LRU of complete 200 answers keyed by (graph version, request); bounded in bytes."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.size = max_bytes, 0
        self.items: OrderedDict[str, Result] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: str) -> Result | None:
        r = self.items.get(key)
        if r is None:
            self.misses += 1
            return None
        self.items.move_to_end(key)
        self.hits += 1
        return r

    def put(self, key: str, result: Result) -> None:
        n = len(result.body)
        if result.status != 200 or n > self.max_bytes // 8:
            return
        old = self.items.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.items[key] = result
        self.size += n
        while self.size > self.max_bytes and self.items:
            _, gone = self.items.popitem(last=False)
            self.size -= len(gone.body)


class Engine:
    """The pool, the cache and the graph version, shared by every route."""

    def __init__(self, settings: Settings, store: Path, version: str):
        self.settings, self.store, self.version = settings, store, version
        self.pool = WorkerPool(
            store, settings.workers, settings.timeout, settings.max_pending, settings.mem_cap
        )
        self.cache = ResultCache(settings.cache_bytes)
        self.named_graphs: list[str] | None = None

    def encode(self, job: dict) -> tuple[bytes, str]:
        """The job as the worker reads it (JSON) and its cache key; the code builds jobs in a fixed key order."""
        data = json.dumps(job, ensure_ascii=False).encode()
        return data, hashlib.sha256(self.version.encode() + b"\0" + data).hexdigest()

    def key(self, job: dict) -> str:
        return self.encode(job)[1]

    def etag(self, key: str) -> str:
        return f'"q-{key[:40]}"'

    def complete(self, job: dict) -> dict:
        return {"byte_cap": self.settings.byte_cap, **job}

    async def run(
        self, job: dict, gone: asyncio.Future | None = None, key: str | None = None, data: bytes | None = None
    ) -> tuple[Result, str]:
        """The answer to a job, from the cache or a worker; `data`/`key` as Engine.encode gave them, if known."""
        if data is None or key is None:
            data, key = self.encode(self.complete(job))
        hit = self.cache.get(key)
        if hit is not None:
            return hit, key
        result = await self.pool.run(data, gone)
        self.cache.put(key, result)
        return result, key

    async def select(self, sparql: str) -> list[dict]:
        """SPARQL-JSON bindings for the pages (503 to the browser when the pool is busy)."""
        try:
            result, _ = await self.run({"query": sparql, "results_media": "application/sparql-results+json"})
        except (Busy, QueryTimeout, QueryTooLarge, WorkerCrashed) as err:
            raise HTTPException(
                503, f"the query service is busy ({type(err).__name__}); retry shortly"
            ) from err
        if result.status != 200:
            raise HTTPException(500 if result.status >= 500 else 400, result.body.decode(errors="replace"))
        data = json.loads(result.body)
        if "boolean" in data:
            return [{"boolean": {"type": "literal", "value": str(data["boolean"]).lower()}}]
        return data["results"]["bindings"]


async def _wait_disconnect(request: Request) -> None:
    """Completes when the client closes the connection (read after the body has been consumed)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _read_body(request: Request, cap: int) -> bytes | None:
    """The request body, or None when it exceeds `cap` (→ 413)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _accepts_gzip(request: Request) -> bool:
    for part in request.headers.get("accept-encoding", "").split(","):
        fields = [f.strip().lower() for f in part.split(";")]
        if fields[0] in ("gzip", "*"):
            q = next((f[2:] for f in fields[1:] if f.startswith("q=")), "1")
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _etag_matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


# ---------------------------------------------------------------------------------------------- SPARQL protocol


def _sparql_job(params: list[tuple[str, str]], accept: str | None) -> tuple[dict | None, Response | None]:
    """Turn protocol parameters into a worker job, or an error response."""
    queries = [v for k, v in params if k == "query"]
    if any(k == "update" for k, _ in params):
        return None, _text(403, "this endpoint is read-only: SPARQL Update is not accepted")
    if len(queries) > 1:
        return None, _text(400, "more than one 'query' parameter; send exactly one")
    if not queries or not queries[0].strip():
        return None, _text(
            400,
            "missing 'query' parameter (GET ?query=…, POST form query=…, or POST application/sparql-query)",
        )
    query = queries[0]
    found = sparql_guard.analyse(query)
    if found.update:
        return None, _text(403, "this endpoint is read-only: SPARQL Update (INSERT/DELETE/LOAD/…) is refused")
    if found.federated:
        return None, _text(
            400,
            "SERVICE (federated query) is not allowed on this endpoint; query remote endpoints yourself. "
            "(A prefix label containing 'service' also triggers this check: rename the prefix.)",
        )
    fmt = next((v for k, v in params if k in ("format", "output")), None)
    if fmt is not None:
        results = negotiate.from_format_param(fmt, negotiate.RESULTS)
        graphs = negotiate.from_format_param(fmt, negotiate.GRAPHS)
        if results is None and graphs is None:
            names = ", ".join(sorted(negotiate.FORMAT_NAMES))
            return None, _text(406, f"unknown format {fmt!r}; use one of: {names}")
    else:
        results = negotiate.choose(accept, negotiate.RESULTS)
        graphs = negotiate.choose(accept, negotiate.GRAPHS)
        if graphs is None:  # SPARQLWrapper & co. ask for results JSON/XML even for CONSTRUCT
            for r in negotiate.parse_accept(accept):
                media = negotiate.ALIASES.get(r.media, r.media)
                graphs = negotiate.JSON_FOR_GRAPHS.get(media) or negotiate.XML_FOR_GRAPHS.get(media)
                if graphs:
                    break
        if results is None and graphs is None:
            return None, _text(
                406,
                f"cannot answer in any of: {accept}; results: JSON, XML, CSV, TSV; graphs: Turtle, N-Triples, JSON-LD, RDF/XML, TriG, N-Quads",
            )
    # the query form is only tokenised when one kind of answer is impossible
    if (results is None and found.form in ("select", "ask")) or (
        graphs is None and found.form in ("construct", "describe")
    ):
        return None, _text(406, f"a {found.form.upper()} answer cannot be given as {fmt or accept}")
    dg = [v for k, v in params if k == "default-graph-uri"]
    ng = [v for k, v in params if k == "named-graph-uri"]
    job = {"query": query, "results_media": results, "graph_media": graphs}
    if dg or ng:
        job["default_graphs"], job["named_graphs"] = dg, ng
    return job, None


def _service_description(endpoint: str, graphs: list[str]) -> str:
    formats = ", ".join(f"<{FORMATS_NS}{f}>" for f in SD_FORMATS)
    named = "".join(
        f"    sd:namedGraph [ a sd:NamedGraph ; sd:name <{g}> ] ;\n" for g in graphs if ">" not in g
    )
    return (
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n"
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n\n"
        f"<{endpoint}#service> a sd:Service ;\n"
        f"  sd:endpoint <{endpoint}> ;\n"
        "  sd:supportedLanguage sd:SPARQL11Query ;\n"
        f"  sd:resultFormat {formats} ;\n"
        "  sd:feature sd:UnionDefaultGraph ;\n"
        '  dct:description "Read-only rjkg endpoint: the default graph is the union of all named graphs; '
        'SERVICE and updates are refused." ;\n'
        "  sd:defaultDataset [ a sd:Dataset ;\n"
        "    sd:defaultGraph [ a sd:Graph ] ;\n"
        f"{named}"
        "  ] .\n"
    )


def _convert_turtle(data: bytes, media: str, base: str | None = None) -> bytes:
    """Re-serialise Turtle text into another RDF media type (small files only: ontology, VoID, SD)."""
    import pyoxigraph as ox

    if media == "text/turtle":
        return data
    triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=base)]
    return ox.serialize(triples, format=ox.RdfFormat.from_media_type(media))


# ---------------------------------------------------------------------------------------------- the app


def create_app(settings: Settings | None = None, **overrides) -> Starlette:
    """The ASGI app. `settings.store` must be a built store folder, else it is built with store.ensure_store."""
    s = settings or Settings()
    for k, v in overrides.items():
        setattr(s, k, v)
    graph_dir = Path(s.graph_dir)
    from rjkg import store as store_mod

    store = Path(s.store) if s.store else store_mod.ensure_store(graph_dir)
    version = (
        (store / store_mod.STAMP).read_text().strip()
        if (store / store_mod.STAMP).is_file()
        else "unversioned"
    )
    if version == "unversioned" and (graph_dir / store_mod.DUMP_NQ).is_file():
        version = store_mod.dump_fingerprint(graph_dir)
    engine = Engine(s, store, version)
    base = s.base if s.base.endswith(("/", "#")) else s.base + "/"
    ontology_file = Path(s.ontology_file) if s.ontology_file else None
    if ontology_file is None or not ontology_file.is_file():
        ontology_file = config.ONTOLOGY_FILE if config.ONTOLOGY_FILE.is_file() else graph_dir / "ontology.ttl"

    pages_mod, ctx = None, None
    if s.pages:
        try:
            from rjkg import pages as pages_mod  # type: ignore[no-redef]

            ctx = pages_mod.PageContext(
                select=engine.select, base=base, graph_dir=graph_dir, ontology_file=ontology_file,
                endpoint="/sparql",
            )  # fmt: skip
        except Exception:  # noqa: BLE001 - the endpoint works without the pages
            pages_mod, ctx = None, None

    file_etags: dict[tuple, str] = {}
    gz_cache: OrderedDict[str, bytes] = OrderedDict()
    endpoint_urls: dict[tuple, str] = {}
    raw_keys: OrderedDict[tuple, str] = OrderedDict()  # (query string, Accept, Host) of a GET → its cache key

    # ------------------------------------------------------------------ /sparql

    def not_modified(request: Request, key: str) -> bool:
        inm, etag = request.headers.get("if-none-match"), engine.etag(key)
        return _etag_matches(inm, etag) or _etag_matches(inm, etag[:-1] + '-gz"')

    def endpoint_url(request: Request) -> str:
        """The request URL without query or fragment (memoised: building a Starlette URL costs per request)."""
        scope = request.scope
        k = (scope.get("scheme"), request.headers.get("host"), scope.get("root_path"), scope.get("path"))
        url = endpoint_urls.get(k)
        if url is None:
            url = str(request.url.replace(query="", fragment=""))
            if len(endpoint_urls) < 256:
                endpoint_urls[k] = url
        return url

    async def sparql(request: Request) -> Response:
        raw = None
        if request.method in ("GET", "HEAD"):  # a repeated request is answered before any parsing
            raw = (
                request.scope.get("query_string", b""),
                request.headers.get("accept"),
                request.headers.get("host"),
            )
            known = raw_keys.get(raw)
            hit = engine.cache.get(known) if known else None
            if hit is not None:
                if not_modified(request, known):
                    return Response(status_code=304, headers={"ETag": engine.etag(known), "Vary": "Accept"})
                return await answer(request, hit, known)
        params = parse_query_string(request.scope.get("query_string", b""))
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await _read_body(request, s.body_cap)
            if body is None:
                return _text(413, f"request body larger than {s.body_cap} bytes; shorten the query")
            if ctype == "application/sparql-update":
                return _text(403, "this endpoint is read-only: SPARQL Update is not accepted")
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return _text(400, "the request body is not UTF-8; encode the query as UTF-8")
            if ctype == "application/x-www-form-urlencoded":
                try:
                    params += parse_qsl(text, keep_blank_values=True, errors="strict")
                except (UnicodeDecodeError, ValueError):
                    return _text(400, "the form body is not valid UTF-8 url-encoding")
            elif ctype == "application/sparql-query":
                params.append(("query", text))
            else:
                return _text(
                    415,
                    f"unsupported Content-Type {ctype or '(none)'!r}; POST application/sparql-query "
                    "or application/x-www-form-urlencoded",
                )
        elif not params:
            return await service_description(request)
        job, error = _sparql_job(params, request.headers.get("accept"))
        if error is not None:
            return error
        job["base_iri"] = endpoint_url(request)  # for relative IRIs such as <s>
        data, key = engine.encode(engine.complete(job))
        if request.method in ("GET", "HEAD") and not_modified(request, key):
            return Response(status_code=304, headers={"ETag": engine.etag(key), "Vary": "Accept"})
        return await execute(request, job, key, raw, data)

    async def execute(request: Request, job: dict, key: str, raw: tuple | None, data: bytes) -> Response:
        # most answers take a millisecond: the disconnect watcher (a task) starts only if this one does not
        loop = asyncio.get_running_loop()
        gone = loop.create_future()
        watcher: list[asyncio.Task] = []

        def watch() -> None:
            task = asyncio.ensure_future(_wait_disconnect(request))
            task.add_done_callback(lambda t: gone.done() or t.cancelled() or gone.set_result(None))
            watcher.append(task)

        later = loop.call_later(WATCH_AFTER, watch)
        try:
            result, _ = await engine.run(job, gone, key, data)
        except Busy:
            return _retry(503, "all query workers are busy; retry shortly", 1)
        except QueryTimeout:
            return _retry(
                503, f"query cancelled after the {s.timeout:g} s limit; simplify it or add LIMIT", 5
            )
        except QueryTooLarge:
            mb = s.mem_cap // 2**20
            return _retry(
                503, f"query cancelled: it needed more than {mb} MB of memory; simplify it or add LIMIT", 5
            )
        except WorkerCrashed:
            return _retry(503, "the query worker crashed and is being restarted; retry shortly", 2)
        except ClientGone:
            return Response(status_code=499)
        finally:
            later.cancel()
            for task in watcher:
                task.cancel()
        if result.status == 200 and raw is not None:
            raw_keys[raw] = key
            while len(raw_keys) > 8192:
                raw_keys.popitem(last=False)
        return await answer(request, result, key)

    async def answer(request: Request, result: Result, key: str) -> Response:
        headers = dict(result.extra)
        if result.status != 200:
            return _text(result.status, result.body.decode(errors="replace"), headers)
        etag = engine.etag(key)
        headers.update(
            {"ETag": etag, "Vary": "Accept, Accept-Encoding", "Cache-Control": "public, max-age=300"}
        )
        body = result.body
        if len(body) >= GZIP_MIN and _accepts_gzip(request):  # large answers travel compressed
            packed = gz_cache.get(key)
            if packed is None:
                packed = gz_cache[key] = await asyncio.to_thread(gzip.compress, body, 5, mtime=0)
                while len(gz_cache) > 64:
                    gz_cache.popitem(last=False)
            body = packed
            headers.update({"Content-Encoding": "gzip", "ETag": etag[:-1] + '-gz"'})
        return Response(body, 200, headers=headers, media_type=negotiate.content_type(result.media))

    async def service_description(request: Request) -> Response:
        offers = dict(RDF_OFFERS)
        if pages_mod is not None:
            offers = {"text/turtle": offers.pop("text/turtle"), "text/html": ("HTML", "html"), **offers}
        media = negotiate.choose(request.headers.get("accept"), offers)
        if media is None:
            return _text(
                406, "the service description is available as Turtle, N-Triples, JSON-LD, RDF/XML or HTML"
            )
        if media == "text/html":
            return HTMLResponse(await pages_mod.query_page_html(ctx), headers={"Vary": "Accept"})
        if engine.named_graphs is None:
            try:
                rows = await engine.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
                engine.named_graphs = [r["g"]["value"] for r in rows if "g" in r]
            except HTTPException:
                engine.named_graphs = []
        endpoint = quote(str(request.url.replace(query="", fragment="")), safe=":/?#[]@!$&'()*+,;=%-._~")
        data = _service_description(endpoint, engine.named_graphs).encode()
        body = _convert_turtle(data, media)
        return Response(body, headers={"Vary": "Accept"}, media_type=negotiate.content_type(media))

    # ------------------------------------------------------------------ linked data

    def describe_query(iri: str) -> str:
        i = f"<{iri}>"
        labels = "(<http://www.w3.org/2004/02/skos/core#prefLabel>, <http://www.w3.org/2000/01/rdf-schema#label>, <http://purl.org/dc/terms/title>)"
        evidence = f"<{PREFIXES['rjkg']}evidence>"
        selector = f"<{PREFIXES['oa']}hasSelector>"
        part = iri + "#"
        lim = DESCRIBE_LIMIT
        parts = [
            f"SELECT ({i} AS ?s) ?p ?o WHERE {{ {i} ?p ?o }} LIMIT {lim}",
            f"SELECT ?s ?p ({i} AS ?o) WHERE {{ ?s ?p {i} }} LIMIT {lim}",
            f"SELECT ?s ?p ?o WHERE {{ {i} ?x ?s . FILTER(isIRI(?s)) ?s ?p ?o . FILTER(?p IN {labels}) }} LIMIT {lim}",
            f"SELECT ?s ?p ?o WHERE {{ ?s ?x {i} . ?s ?p ?o . FILTER(?p IN {labels}) }} LIMIT {lim}",
            f'SELECT ?s ?p ?o WHERE {{ {i} ?x ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{part}")) ?s ?p ?o }} LIMIT {lim}',
            f'SELECT ?s ?p ?o WHERE {{ {i} ?x ?m . FILTER(isIRI(?m) && STRSTARTS(STR(?m), "{part}")) ?m ?y ?s . '
            f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{part}")) ?s ?p ?o }} LIMIT {lim}',
            f"SELECT ?s ?p ?o WHERE {{ {i} {evidence} ?s . ?s ?p ?o }} LIMIT {lim}",
            f"SELECT ?s ?p ?o WHERE {{ {i} {evidence} ?e . ?e {selector} ?s . ?s ?p ?o }} LIMIT {lim}",
        ]
        return "CONSTRUCT { ?s ?p ?o } WHERE { " + " UNION ".join("{ " + p + " }" for p in parts) + " }"

    def alternates(path: str) -> str:
        return ", ".join(
            f'<{path}.{ext}>; rel="alternate"; type="{media}"' for media, (_, ext) in RESOURCE_OFFERS.items()
        )

    async def resource(request: Request) -> Response:
        kind, slug = request.path_params["kind"], request.path_params["slug"]
        ext = None
        if "." in slug:
            slug, _, ext = slug.partition(".")
            if ext not in EXT_MEDIA:
                return _text(404, f"no representation '.{ext}'; use one of .ttl .nt .jsonld .rdf .html")
        if kind not in KINDS or not SLUG.match(slug):
            return _text(404, f"no resource /id/{kind}/{slug}")
        path = f"/id/{kind}/{slug}"
        iri = f"{base}id/{kind}/{slug}"
        if ext:
            media = EXT_MEDIA[ext]
        else:
            offers = RESOURCE_OFFERS if pages_mod is not None else RDF_OFFERS
            media = negotiate.choose(request.headers.get("accept"), offers)
            if media is None:
                return _text(
                    406,
                    "available as text/html, text/turtle, application/n-triples, application/ld+json, application/rdf+xml",
                )
        headers = {
            "Content-Location": f"{path}.{negotiate.RESOURCE[media][1]}",
            "Link": alternates(path),
            "Vary": "Accept",
            "Cache-Control": "public, max-age=300",
        }
        if media == "text/html":
            if pages_mod is None:
                return _text(404, "this deployment serves no HTML pages; ask for .ttl, .nt, .jsonld or .rdf")
            html = await pages_mod.resource_html(ctx, iri)
            if html is None:
                return _text(404, f"unknown resource {iri}")
            return HTMLResponse(html, headers=headers)
        job = {"query": describe_query(iri), "graph_media": media, "count": True, "prefixes": PREFIXES}
        try:
            result, key = await engine.run(job)
        except (Busy, QueryTimeout, QueryTooLarge, WorkerCrashed):
            return _retry(503, "the query service is busy; retry shortly", 1)
        if result.status != 200:
            return _text(result.status, result.body.decode(errors="replace"))
        if result.extra.get("X-RJKG-Count") == "0":
            return _text(404, f"unknown resource {iri}")
        headers["ETag"] = engine.etag(key)
        if _etag_matches(request.headers.get("if-none-match"), headers["ETag"]):
            return Response(status_code=304, headers=headers)
        return Response(result.body, headers=headers, media_type=negotiate.content_type(media))

    async def ontology(request: Request) -> Response:
        offers = RESOURCE_OFFERS if pages_mod is not None else RDF_OFFERS
        media = negotiate.choose(request.headers.get("accept"), offers)
        if media is None:
            return _text(406, "the ontology is available as HTML, Turtle, N-Triples, JSON-LD and RDF/XML")
        headers = {"Vary": "Accept", "Link": '</dumps/ontology.ttl>; rel="alternate"; type="text/turtle"'}
        if media == "text/html":
            return HTMLResponse(await pages_mod.ontology_html(ctx), headers=headers)
        if not ontology_file.is_file():
            return _text(404, "the ontology file is missing from this deployment")
        body = _convert_turtle(ontology_file.read_bytes(), media, base=base + "ontology")
        return Response(body, headers=headers, media_type=negotiate.content_type(media))

    # ------------------------------------------------------------------ dumps

    def dump_path(rel: str) -> Path | None:
        if not DUMP_NAME.match(rel) or ".." in rel:
            return None
        p = (graph_dir / rel).resolve()
        root = graph_dir.resolve()
        if root not in p.parents or not p.is_file():
            return None
        return p

    def file_etag(p: Path, st) -> str:
        k = (str(p), st.st_mtime_ns, st.st_size)
        tag = file_etags.get(k)
        if tag is None:
            h = hashlib.sha256()
            with p.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            tag = file_etags[k] = f'"{h.hexdigest()[:40]}"'
        return tag

    def serve_file(request: Request, p: Path, extra: dict | None = None) -> Response:
        """A dump with validators, ranges and gzip (run in a thread: hashing and compressing take time)."""
        st = p.stat()
        suffix = p.name if p.name == "SHA256SUMS" else p.suffix
        media = DUMP_MEDIA.get(suffix, "application/octet-stream")
        etag = file_etag(p, st)
        headers = {
            "Last-Modified": formatdate(st.st_mtime, usegmt=True),
            "Cache-Control": "public, max-age=300",
            "Accept-Ranges": "bytes",
            "Vary": "Accept-Encoding",
            **(extra or {}),
        }
        use_gzip = _accepts_gzip(request) and media != "application/gzip" and st.st_size > 256
        rng = request.headers.get("range")
        if rng and request.headers.get("if-range"):
            ir = request.headers["if-range"].strip()
            if ir != etag:
                try:
                    if parsedate_to_datetime(ir).timestamp() < int(st.st_mtime):
                        rng = None
                except (TypeError, ValueError):
                    rng = None
        if rng:
            use_gzip = False
        tag = etag[:-1] + '-gz"' if use_gzip else etag
        headers["ETag"] = tag
        inm = request.headers.get("if-none-match")
        if inm is not None:
            if _etag_matches(inm, tag):
                return Response(status_code=304, headers=headers)
        elif request.headers.get("if-modified-since"):
            try:
                if (
                    int(st.st_mtime)
                    <= parsedate_to_datetime(request.headers["if-modified-since"]).timestamp()
                ):
                    return Response(status_code=304, headers=headers)
            except (TypeError, ValueError):
                pass
        ctype = negotiate.content_type(media) if media.startswith("text/") else media
        if rng:
            m = re.fullmatch(r"\s*bytes=(\d*)-(\d*)\s*", rng)
            if m and (m.group(1) or m.group(2)):
                size = st.st_size
                if m.group(1):
                    start = int(m.group(1))
                    end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
                else:
                    start, end = max(0, size - int(m.group(2))), size - 1
                if start >= size or end < start:
                    headers["Content-Range"] = f"bytes */{size}"
                    return Response(status_code=416, headers=headers)
                with p.open("rb") as f:
                    f.seek(start)
                    chunk = f.read(end - start + 1)
                headers["Content-Range"] = f"bytes {start}-{end}/{size}"
                return Response(chunk, 206, headers=headers, media_type=ctype)
        data = p.read_bytes()
        if use_gzip:
            body = gz_cache.get(tag)
            if body is None:
                body = gzip.compress(data, compresslevel=6, mtime=0)
                gz_cache[tag] = body
                while len(gz_cache) > 64:
                    gz_cache.popitem(last=False)
            headers["Content-Encoding"] = "gzip"
            return Response(body, headers=headers, media_type=ctype)
        return Response(data, headers=headers, media_type=ctype)

    async def dumps(request: Request) -> Response:
        rel = request.path_params["path"]
        p = dump_path(rel)
        if p is None:
            return _text(404, f"no dump named {rel!r}; see /dumps/")
        return await asyncio.to_thread(serve_file, request, p)

    async def dumps_index(request: Request) -> Response:
        root = graph_dir.resolve()
        files = sorted(
            str(p.relative_to(root))
            for p in root.rglob("*")
            if p.is_file() and DUMP_NAME.match(str(p.relative_to(root)))
        )
        if (
            negotiate.choose(
                request.headers.get("accept"), {"text/html": ("", ""), "application/json": ("", "")}
            )
            == "application/json"
        ):
            return JSONResponse(
                {
                    "files": [
                        {"name": f, "url": f"/dumps/{f}", "bytes": (root / f).stat().st_size} for f in files
                    ]
                }
            )
        from html import escape

        items = "".join(
            f'<li><a href="/dumps/{escape(f)}">{escape(f)}</a> ({(root / f).stat().st_size} bytes)</li>'
            for f in files
        )
        return HTMLResponse(
            f"<!doctype html><html lang=en><title>rjkg dumps</title><h1>Dumps</h1><ul>{items}</ul></html>"
        )

    async def named_graph(request: Request) -> Response:
        name = request.path_params["name"]
        m = re.fullmatch(r"doc/([A-Za-z0-9][A-Za-z0-9_\-]*)|(ontology|curated|inferred|meta)", name)
        if not m:
            return _text(404, f"no named graph {name!r}")
        rel = (
            f"doc/{m.group(1)}.ttl"
            if m.group(1)
            else ("void.ttl" if m.group(2) == "meta" else f"{m.group(2)}.ttl")
        )
        p = dump_path(rel)
        if p is None:
            return _text(404, f"no named graph {name!r}")
        return await asyncio.to_thread(serve_file, request, p, {"Content-Location": f"/dumps/{rel}"})

    async def void(request: Request) -> Response:
        p = dump_path("void.ttl")
        if p is None:
            return _text(404, "no VoID description in this deployment")
        return await asyncio.to_thread(serve_file, request, p, {"Content-Location": "/dumps/void.ttl"})

    # ------------------------------------------------------------------ health

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": engine.version[:16]})

    async def readyz(request: Request) -> Response:
        try:
            result = await asyncio.wait_for(
                engine.pool.run({"query": "ASK {}", "results_media": "application/sparql-results+json"}), 1.0
            )
        except (TimeoutError, Busy, QueryTimeout, QueryTooLarge, WorkerCrashed):
            return _retry(503, "no query worker answered within 1 s", 1)
        if result.status != 200:
            return _retry(503, "the query worker is not healthy", 1)
        return JSONResponse({"status": "ready", "workers": engine.pool.size, "version": engine.version[:16]})

    async def home(request: Request) -> Response:
        return HTMLResponse(
            "<!doctype html><html lang=en><title>rjkg</title><h1>rjkg</h1><ul>"
            '<li><a href="/sparql">SPARQL endpoint</a></li><li><a href="/dumps/">Dumps</a></li>'
            '<li><a href="/.well-known/void">VoID</a></li><li><a href="/ontology">Ontology</a></li></ul></html>'
        )

    routes: list[BaseRoute] = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/sparql/", sparql, methods=["GET", "POST"]),
        Route("/id/{kind}/{slug}", resource, methods=["GET"]),
        Route("/ontology", ontology, methods=["GET"]),
        Route("/.well-known/void", void, methods=["GET"]),
        Route("/dumps", lambda r: RedirectResponse("/dumps/", 301), methods=["GET"]),
        Route("/dumps/", dumps_index, methods=["GET"]),
        Route("/dumps/{path:path}", dumps, methods=["GET"]),
        Route("/graph/{name:path}", named_graph, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    if pages_mod is not None:
        routes += pages_mod.page_routes(ctx)
    else:
        routes.append(Route("/", home, methods=["GET"]))

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await engine.pool.start()
        try:
            yield
        finally:
            await engine.pool.close()

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST", "HEAD", "OPTIONS"],
                allow_headers=CORS_HEADERS,
                expose_headers=EXPOSE_HEADERS,
                max_age=86400,
            )
        ],
    )
    app.state.engine = engine
    return app


# ---------------------------------------------------------------------------------------------- command line


def _store_for(graph_dir: Path) -> Path | None:
    """Where the store of a graph folder lives: .rjkg/store for graph/, one folder per other graph folder."""
    if graph_dir.resolve() == config.GRAPH_DIR.resolve():
        return None
    digest = hashlib.sha256(str(graph_dir.resolve()).encode()).hexdigest()[:12]
    return config.STATE_DIR / "stores" / digest


def serve_cli(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = DEFAULT_WORKERS,
    timeout: float = 30.0,
    base: str | None = None,
    graph: Path | None = None,
    store: Path | None = None,
    max_pending: int = 128,
    byte_cap: int = BYTE_CAP,
    body_cap: int = BODY_CAP,
    mem_cap: int = MEM_CAP,
    pages: bool = True,
) -> int:
    """`rjkg serve`: build the graph if there is none, build/reuse the store, then run uvicorn until interrupted."""
    import uvicorn

    from rjkg import store as store_mod

    graph_dir = Path(graph) if graph else config.GRAPH_DIR
    if workers == 0:
        workers = DEFAULT_WORKERS
    if workers < 1:
        raise InputError(
            f"--workers must be at least 1 (or 0 for one per core), got {workers}", where="--workers"
        )
    if timeout <= 0:
        raise InputError(f"--timeout must be positive, got {timeout}", where="--timeout")
    if not (graph_dir / store_mod.DUMP_NQ).is_file():
        if graph is not None:
            raise InputError(
                f"no {store_mod.DUMP_NQ} in {graph_dir}",
                where="--graph",
                hint="point --graph at a built graph folder",
            )
        from rjkg import pipeline

        print("rjkg: no graph yet; building it first (rjkg build)", file=sys.stderr)
        pipeline.build_cli(quiet=True)
        if not (graph_dir / store_mod.DUMP_NQ).is_file():
            raise InputError(
                f"the build published no {store_mod.DUMP_NQ}",
                where=str(graph_dir),
                hint="run `rjkg build` and read its report",
            )
    store_dir = Path(store) if store else store_mod.ensure_store(graph_dir, _store_for(graph_dir))
    if store and not (store_dir / store_mod.STAMP).is_file():
        store_dir = store_mod.ensure_store(graph_dir, store_dir)
    settings = Settings(
        graph_dir=graph_dir, store=store_dir, base=base or BASE, workers=workers, timeout=timeout,
        max_pending=max_pending, byte_cap=byte_cap, body_cap=body_cap, mem_cap=mem_cap, pages=pages,
    )  # fmt: skip
    app = create_app(settings)
    extra = {}
    with contextlib.suppress(ImportError):
        from rjkg.http_fast import coalescing_httptools_protocol

        extra["http"] = coalescing_httptools_protocol()  # one write per answer; needs httptools
    with contextlib.suppress(ImportError):
        import uvloop  # noqa: F401

        extra["loop"] = "uvloop"
    print(
        f"rjkg: serving http://{host}:{port}/ (SPARQL at /sparql, {workers} workers)",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=3, **extra
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m rjkg.serve`: the same as `rjkg serve`, plus the operator knobs (store, caps, queue)."""
    ap = argparse.ArgumentParser(prog="python -m rjkg.serve", description=serve_cli.__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--base")
    ap.add_argument("--graph", type=Path)
    ap.add_argument("--store", type=Path, help="store folder (built from --graph when missing)")
    ap.add_argument("--max-pending", type=int, default=128, help="queries running or queued before 503")
    ap.add_argument("--byte-cap", type=int, default=BYTE_CAP, help="largest answer in bytes (422 above)")
    ap.add_argument(
        "--body-cap", type=int, default=BODY_CAP, help="largest request body in bytes (413 above)"
    )
    ap.add_argument(
        "--mem-cap-mb", type=int, default=MEM_CAP // 2**20, help="worker memory while answering (0: none)"
    )
    ap.add_argument("--no-pages", action="store_true", help="do not mount the HTML pages")
    a = ap.parse_args(argv)
    from rjkg.errors import RjkgError

    try:
        return serve_cli(
            host=a.host, port=a.port, workers=a.workers, timeout=a.timeout, base=a.base, graph=a.graph,
            store=a.store, max_pending=a.max_pending, byte_cap=a.byte_cap, body_cap=a.body_cap,
            mem_cap=a.mem_cap_mb * 2**20, pages=not a.no_pages,
        )  # fmt: skip
    except RjkgError as err:
        print(f"rjkg: error: {err.render()}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
