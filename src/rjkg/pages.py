"""HTML pages for analysts: home with the SPARQL editor, entity and document pages, ontology docs, timeline.

Pages are rendered on the server with Jinja2 (autoescape on) and work without JavaScript; only the query editor
needs it (CodeMirror 5 and a small table renderer, bundled under static/: no CDN). The server module mounts
``page_routes(ctx)`` next to its /sparql endpoint and calls ``resource_html`` / ``ontology_html`` /
``query_page_html`` for browsers; everything reads the graph only through ``ctx.select`` (SPARQL-JSON bindings).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from rjkg import __version__, config
from rjkg.pages_ontology import OntologyModel, anchor_of, curie, load_ontology
from rjkg.vocab import BASE, PREFIXES

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
DUMP_FILES = ("rjkg.trig", "rjkg.nq", "rjkg.ttl", "ontology.ttl", "curated.ttl", "inferred.ttl", "void.ttl")

Select = Callable[[str], Awaitable[list[dict]]]


def default_local_url(base: str) -> Callable[[str], str]:
    """IRIs under ``base`` become site paths (…/id/person/x → /id/person/x); others are left as they are."""

    def local(iri: str) -> str:
        return "/" + iri[len(base) :] if iri.startswith(base) else iri

    return local


@dataclass
class PageContext:
    """What the pages need from the server: a SELECT function and where the published files are."""

    select: Select
    base: str = BASE
    graph_dir: Path = config.GRAPH_DIR
    ontology_file: Path = config.ONTOLOGY_FILE
    shapes_file: Path = config.SHAPES_FILE
    queries_dir: Path = config.QUERIES_DIR
    documents_dir: Path | None = config.SEEDS_DIR
    local_url: Callable[[str], str] | None = None
    endpoint: str = "/sparql"
    _ontology: list = field(default_factory=list, init=False, repr=False)  # [model or None] once loaded

    def __post_init__(self) -> None:
        if self.local_url is None:
            self.local_url = default_local_url(self.base)

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` points: a local page for our IRIs, the IRI itself for the rest of the web."""
        local = self.local_url(iri)  # type: ignore[misc]
        if local != iri:
            return local
        return iri if iri.startswith(("http://", "https://")) else "#"

    @property
    def local_root(self) -> str:
        """The local path of the base IRI, for the editor's links to entity pages."""
        return self.local_url(self.base)  # type: ignore[misc]

    def ontology(self) -> OntologyModel | None:
        """The ontology model (loaded once; None when the ontology file is missing)."""
        if not self._ontology:
            ok = self.ontology_file is not None and Path(self.ontology_file).is_file()
            self._ontology.append(load_ontology(Path(self.ontology_file), self.shapes_file) if ok else None)
        return self._ontology[0]

    def ontology_label(self, iri: str) -> str:
        model = self.ontology()
        return model.label(iri) if model else curie(iri)


@dataclass(frozen=True)
class Example:
    name: str
    en: str
    ru: str
    text: str  # the query, with any project prefix it uses but does not declare added


class Pages:
    """Renders templates; one per process (the Jinja environment compiles templates once)."""

    @cached_property
    def env(self) -> Environment:
        env = Environment(
            loader=FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.globals.update(version=__version__, curie=curie, anchor_of=anchor_of)
        return env

    def render(self, name: str, ctx: PageContext, **data) -> str:
        return self.env.get_template(name).render(ctx=ctx, **data)


PAGES = Pages()


def with_prefixes(query: str) -> str:
    """Prepend PREFIX lines for the project prefixes a query uses without declaring them.

    >>> with_prefixes("# en: Persons?\\nSELECT * WHERE { ?x a rjkg:Person }").splitlines()[:2]
    ['# en: Persons?', 'PREFIX rjkg: <https://w3id.org/rjkg/ontology#>']
    """
    declared = {m.lower() for m in re.findall(r"(?im)^\s*PREFIX\s+([\w-]*):", query)}
    body = re.sub(r"<[^>\s]*>|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|#[^\n]*", " ", query)
    used = set(re.findall(r"(?<![\w?$:/-])([A-Za-z][\w-]*):", body))
    add = "".join(
        f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in PREFIXES if p in used and p.lower() not in declared
    )
    lines = query.splitlines(keepends=True)
    head = 0
    while head < len(lines) and lines[head].lstrip().startswith("#"):
        head += 1  # keep the question comments on top
    return "".join(lines[:head]) + add + "".join(lines[head:])


def load_examples(queries_dir: Path | None) -> list[Example]:
    """queries/*.rq with their `# en:` / `# ru:` questions (the query library's own reader)."""
    if queries_dir is None or not Path(queries_dir).is_dir():
        return []
    from rjkg.queries import load_library

    return [
        Example(q.name, q.en or q.name, q.ru, with_prefixes(q.text)) for q in load_library(Path(queries_dir))
    ]


def default_query() -> str:
    from rjkg.vocab import sparql_prefixes

    return sparql_prefixes() + (
        "\nSELECT ?class (COUNT(?x) AS ?n)\nWHERE { ?x a ?class }\nGROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 50\n"
    )


def build_info(graph_dir: Path) -> dict:
    """Version, dates and size of the build, read from graph/void.ttl (whatever of them it states)."""
    from rdflib import Graph
    from rdflib.namespace import DCTERMS, OWL, RDF

    from rjkg.vocab import DCAT, SCHEMA, VOID

    info: dict = {"dumps": [], "void": False}
    if graph_dir is None:
        return info
    graph_dir = Path(graph_dir)
    info["dumps"] = [f for f in DUMP_FILES if (graph_dir / f).is_file()]
    info["doc_dumps"] = (graph_dir / "doc").is_dir()
    void = graph_dir / "void.ttl"
    if not void.is_file():
        return info
    g = Graph()
    try:
        g.parse(void, format="turtle")
    except Exception as err:  # rdflib raises many types for bad Turtle
        info["error"] = f"{void.name} could not be read: {err}"
        return info
    info["void"] = True
    # a deterministic build states no timestamp; the file's date says when this copy was published
    info["file_date"] = datetime.fromtimestamp(void.stat().st_mtime, tz=UTC).strftime("%Y-%m-%d")
    datasets = list(g.subjects(RDF.type, VOID.Dataset)) or list(g.subjects(RDF.type, DCAT.Dataset))
    # the top dataset is the one that is nobody's subset
    top = next((d for d in datasets if (None, VOID.subset, d) not in g), datasets[0] if datasets else None)
    if top is None:
        return info
    for key, preds in (
        ("version", (OWL.versionInfo, DCAT.version, SCHEMA.version)),
        ("modified", (DCTERMS.modified,)),
        ("issued", (DCTERMS.issued,)),
        ("created", (DCTERMS.created,)),
        ("triples", (VOID.triples,)),
        ("title", (DCTERMS.title,)),
        ("description", (DCTERMS.description,)),
    ):
        for p in preds:
            v = g.value(top, p)
            if v is not None:
                info[key] = str(v)
                break
    return info


# ---------------------------------------------------------------- entry points the server calls


async def resource_html(ctx: PageContext, iri: str) -> str | None:
    """The HTML page for a resource IRI (a document page for …/id/doc/X), or None when unknown."""
    from rjkg import pages_data

    if iri.startswith(ctx.base + "id/doc/"):
        data = await pages_data.document_page(ctx, iri)
        if data is None:
            return None
        return PAGES.render("document.html", ctx, doc=data, dump_href=_doc_dump_href(ctx, data["id"]))
    data = await pages_data.entity_page(ctx, iri)
    if data is None:
        return None
    return PAGES.render("entity.html", ctx, e=data)


def _doc_dump_href(ctx: PageContext, doc_id: str) -> str | None:
    return f"/dumps/doc/{doc_id}.ttl"


async def ontology_html(ctx: PageContext) -> str:
    """Documentation of every class and property, generated from the ontology and its shapes."""
    return PAGES.render("ontology.html", ctx, model=ctx.ontology(), path=ctx.ontology_file)


async def query_page_html(ctx: PageContext, query: str | None = None, example: str | None = None) -> str:
    """The SPARQL editor page (also what GET /sparql shows a browser)."""
    examples = load_examples(ctx.queries_dir)
    text = query
    if text is None and example:
        text = next((e.text for e in examples if e.name == example), None)
    return PAGES.render("query.html", ctx, examples=examples, query=text or default_query())


async def home_html(ctx: PageContext) -> str:
    from rjkg import pages_data

    counts = await pages_data.home_counts(ctx)
    return PAGES.render(
        "home.html",
        ctx,
        counts=counts,
        info=build_info(ctx.graph_dir),
        examples=load_examples(ctx.queries_dir),
        query=default_query(),
    )


async def timeline_html(
    ctx: PageContext, actor: str | None = None, type_: str | None = None, statements: bool = False
) -> str:
    from rjkg import pages_data

    data = await pages_data.timeline(ctx, actor or None, type_ or None, statements)
    return PAGES.render("timeline.html", ctx, t=data)


def page_routes(ctx: PageContext) -> list[BaseRoute]:
    """Routes for /, /query, /timeline, /ontology (HTML) and /static/…; the server adds /sparql and /id/…."""

    async def home(request: Request) -> HTMLResponse:
        return HTMLResponse(await home_html(ctx))

    async def query(request: Request) -> HTMLResponse:
        qp = request.query_params
        return HTMLResponse(await query_page_html(ctx, qp.get("query"), qp.get("example")))

    async def timeline_page(request: Request) -> HTMLResponse:
        qp = request.query_params
        with_statements = qp.get("statements") in ("1", "on", "true")
        return HTMLResponse(await timeline_html(ctx, qp.get("actor"), qp.get("type"), with_statements))

    async def ontology(request: Request) -> HTMLResponse:
        return HTMLResponse(await ontology_html(ctx))

    return [
        Route("/", home, methods=["GET", "HEAD"]),
        Route("/query", query, methods=["GET", "HEAD"]),
        Route("/timeline", timeline_page, methods=["GET", "HEAD"]),
        Route("/ontology", ontology, methods=["GET", "HEAD"]),
        Mount("/static", app=StaticFiles(directory=str(STATIC_DIR)), name="static"),
    ]
