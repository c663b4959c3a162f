"""A tiny Starlette app for the pages tests: our page routes, resource pages and a minimal /sparql over pyoxigraph.

The real server (rjkg.serve) mounts the same routes next to its hardened endpoint; this one only exists so the
pages can be tested in-process and in a real browser without depending on it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from rjkg import pages
from rjkg.vocab import G_ONTOLOGY, sparql_prefixes

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "pages"


def fixture_store(trig: Path = FIXTURE / "data.trig", ontology: Path = FIXTURE / "ontology.ttl") -> ox.Store:
    store = ox.Store()
    store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    store.load(path=str(ontology), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(G_ONTOLOGY)))
    return store


def nq_store(nq: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    return store


def term_json(t) -> dict:
    """A pyoxigraph term as a SPARQL-JSON term."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        d["datatype"] = t.datatype.value
    return d


def make_select(store: ox.Store):
    def run(q: str) -> list[dict]:
        res = store.query(q, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        return [{n: term_json(s[n]) for n in names if s[n] is not None} for s in res]

    async def select(q: str) -> list[dict]:
        return await asyncio.to_thread(run, q)

    return select


def make_context(store: ox.Store, **kw) -> pages.PageContext:
    defaults = dict(
        graph_dir=FIXTURE / "graph",
        ontology_file=FIXTURE / "ontology.ttl",
        shapes_file=FIXTURE / "shapes.ttl",
        queries_dir=FIXTURE / "queries",
        documents_dir=FIXTURE / "docs",
    )
    return pages.PageContext(select=make_select(store), **{**defaults, **kw})


def _run_query(store: ox.Store, q: str, fmt: str) -> tuple[bytes, str]:
    res = store.query(q, use_default_graph_as_union=True)
    if isinstance(res, ox.QueryTriples):
        return res.serialize(format=ox.RdfFormat.TURTLE), "text/turtle"
    kind = {
        "csv": (ox.QueryResultsFormat.CSV, "text/csv"),
        "tsv": (ox.QueryResultsFormat.TSV, "text/tab-separated-values"),
    }.get(fmt, (ox.QueryResultsFormat.JSON, "application/sparql-results+json"))
    return res.serialize(format=kind[0]), kind[1]


def make_app(ctx: pages.PageContext, store: ox.Store) -> Starlette:
    async def resource(request: Request) -> Response:
        iri = ctx.base + "id/" + request.path_params["path"]
        html = await pages.resource_html(ctx, iri)
        if html is None:
            return PlainTextResponse("not found", status_code=404)
        return HTMLResponse(html)

    async def sparql(request: Request) -> Response:
        params = dict(request.query_params)
        if request.method == "POST":
            params.update({k: str(v) for k, v in (await request.form()).items()})
        q = params.get("query")
        if not q:
            return HTMLResponse(await pages.query_page_html(ctx))
        fmt = params.get("format") or ("csv" if "text/csv" in request.headers.get("accept", "") else "json")
        try:
            # pyoxigraph results are bound to the thread that made them: query and serialise in one thread
            body, media = await asyncio.to_thread(_run_query, store, q, fmt)
        except SyntaxError as err:
            return PlainTextResponse(f"query syntax error: {err}", status_code=400)
        return Response(body, media_type=media)

    routes = [
        *pages.page_routes(ctx),
        Route("/id/{path:path}", resource, methods=["GET"]),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Mount("/dumps", app=StaticFiles(directory=str(ctx.graph_dir)), name="dumps"),
    ]
    return Starlette(routes=routes)


__all__ = ["fixture_store", "make_app", "make_context", "nq_store", "sparql_prefixes"]
