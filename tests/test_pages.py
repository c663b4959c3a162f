"""The analyst pages, in-process (Starlette TestClient) over the hand-written fixture in tests/fixtures/pages/.

Text in → expected HTML facts out. The same checks run against the published graph/ when it has been built.
"""

from __future__ import annotations

import asyncio
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF
from starlette.testclient import TestClient

from pages_app import FIXTURE, fixture_store, make_app, make_context, nq_store
from rjkg import pages
from rjkg.pages_text import Mark, highlight
from rjkg.vocab import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
DOC_TEXT = (FIXTURE / "docs" / "pg_001.txt").read_text(encoding="utf-8")
VOID_ELEMENTS = {"meta", "link", "br", "hr", "img", "input", "col", "area", "base", "wbr", "source"}


class Tree(HTMLParser):
    """Checks HTML nesting and collects text per element id / class."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.ids: set[str] = set()
        self.source_text: list[str] = []
        self.in_source = 0
        self.nested_links = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag in VOID_ELEMENTS:
            return
        if tag == "a" and any(t == "a" for t, _ in self.stack):
            self.nested_links += 1
        self.stack.append((tag, a))
        if "source" in (a.get("class") or "").split():
            self.in_source = len(self.stack)

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        if self.in_source == len(self.stack):
            self.in_source = 0
        self.stack.pop()

    def handle_data(self, data):
        if self.in_source:
            self.source_text.append(data)


def parse(html: str) -> Tree:
    t = Tree()
    t.feed(html)
    t.close()
    assert not t.errors, t.errors[:5]
    assert [tag for tag, _ in t.stack] == [], "unclosed elements"
    return t


@pytest.fixture(scope="module")
def client():
    store = fixture_store()
    return TestClient(make_app(make_context(store), store))


def get(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    assert r.headers["content-type"].startswith("text/html")
    return r.text


# ---------------------------------------------------------------- highlighting (pure)

# (name, text, spans [(start, end, kind)], expected pieces: (text, kinds covering it, outermost first))
HIGHLIGHT_CASES = [
    ("nested", "Министр Лавров сказал", [(0, 14, "post"), (8, 14, "person")],
     [("Министр ", ["post"]), ("Лавров", ["post", "person"]), (" сказал", [])]),
    ("crossing", "abcdef", [(0, 4, "event"), (2, 6, "person")],
     [("ab", ["event"]), ("cd", ["event", "person"]), ("ef", ["person"])]),
    ("three levels", "abcdef", [(0, 6, "statement"), (1, 5, "post"), (2, 4, "person")],
     [("a", ["statement"]), ("b", ["statement", "post"]), ("cd", ["statement", "post", "person"]),
      ("e", ["statement", "post"]), ("f", ["statement"])]),
    ("adjacent", "РоссияЯпония", [(0, 6, "org"), (6, 12, "org")], [("Россия", ["org"]), ("Япония", ["org"])]),
    ("out of range is ignored", "abc", [(1, 9, "org"), (-1, 2, "org"), (2, 2, "org")], [("abc", [])]),
    ("code points, not UTF-16", "😀 Кит", [(2, 5, "org")], [("😀 ", []), ("Кит", ["org"])]),
    ("markup in text stays text", "<b>&", [(0, 3, "org")], [("<b>", ["org"]), ("&", [])]),
]  # fmt: skip
assert len(HIGHLIGHT_CASES) == 7


class Pieces(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[tuple[str, list[str]]] = []
        self.cur: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "hl" in (a.get("class") or "").split():
            self.cur = a["data-span"].split()

    def handle_endtag(self, tag):
        self.cur = None

    def handle_data(self, data):
        self.pieces.append((data, self.cur or []))


@pytest.mark.parametrize("name,text,spans,expected", HIGHLIGHT_CASES, ids=[c[0] for c in HIGHLIGHT_CASES])
def test_highlight(name, text, spans, expected):
    marks = [Mark(s, e, k, f"/id/x/{i}", [f"fact {i}"]) for i, (s, e, k) in enumerate(spans)]
    html = highlight(text, marks)
    tree = parse(f'<div class="source">{html}</div>')
    assert "".join(tree.source_text) == text
    assert tree.nested_links == 0
    p = Pieces()
    p.feed(html)
    by_range = {f"{s}-{e}": k for s, e, k in spans}
    got = [(t, [by_range[r] for r in rs]) for t, rs in p.pieces]
    assert got == expected
    for s, e, _ in spans:
        if 0 <= s < e <= len(text):
            assert f"span-{s}-{e}" in tree.ids


# ---------------------------------------------------------------- home and query page


def test_home_counts_build_and_links(client):
    html = get(client, "/")
    parse(html)
    assert "9.9.9-test" in html and "2026-11-22" in html  # version and date from void.ttl
    assert 'href="/dumps/rjkg.trig"' in html and 'href="/dumps/void.ttl"' in html
    assert 'href="/dumps/rjkg.nq"' not in html  # only dumps that exist
    for link in ('href="/ontology"', 'href="/.well-known/void"', 'href="/sparql"', 'href="/timeline"'):
        assert link in html
    # per document: pg_001 mentions 7 entities, reports 1 statement, has 17 spans
    row = re.search(r"pg_001</span></td><td>2019-05-31</td>(.*?)</tr>", html).group(1)
    assert re.findall(r'class="num">(\d+)<', row) == ["7", "1", "17"]
    # per class: 5 participations, 2 persons (asserted, not double-counted across graphs)
    assert re.search(r"Participation</a>.*?class=\"num\">5<", html, re.S)
    assert re.search(r">Person</a>.*?class=\"num\">2<", html, re.S)


def test_editor_has_prefixes_and_examples(client):
    html = get(client, "/")
    tree = parse(html)
    assert "query-text" in tree.ids
    for p, ns in PREFIXES.items():
        assert f"PREFIX {p}: &lt;{ns}&gt;" in html
    examples = re.findall(r'<a class="example" href="/query\?example=([\w-]+)"', html)
    assert examples == ["persons", "statements"]
    assert "Какие лица есть в графе, с русскими именами?" in html
    assert 'data-endpoint="/sparql"' in html and 'data-base="https://w3id.org/rjkg/"' in html
    for asset in ("codemirror/codemirror.js", "codemirror/sparql.js", "editor.js", "rjkg.css"):
        assert f"/static/{asset}" in html
        assert client.get(f"/static/{asset}").status_code == 200
    assert client.get("/static/codemirror/LICENSE").status_code == 200


def test_query_page_preloads_example_with_missing_prefixes(client):
    html = get(client, "/query?example=persons")
    text = re.search(r'<textarea id="query-text"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert text.startswith("# en: Which persons")
    assert "PREFIX rjkg: &lt;https://w3id.org/rjkg/ontology#&gt;" in text
    assert "PREFIX skos:" in text and "PREFIX owl:" not in text  # only what the query uses


def test_query_page_html_for_sparql_get():
    store = fixture_store()
    html = asyncio.run(pages.query_page_html(make_context(store)))
    parse(html)
    assert "<h1>SPARQL query editor</h1>" in html


def test_example_queries_run(client):
    """Every example the page offers runs on the endpoint as loaded into the editor."""
    examples = pages.load_examples(FIXTURE / "queries")
    assert len(examples) == 2
    for ex in examples:
        r = client.post(
            "/sparql", data={"query": ex.text}, headers={"accept": "application/sparql-results+json"}
        )
        assert r.status_code == 200, r.text
        assert len(r.json()["results"]["bindings"]) >= 1


# ---------------------------------------------------------------- entity pages


def test_person_page(client):
    html = get(client, "/id/person/sergey-lavrov")
    parse(html)
    assert '<h1 lang="ru">Сергей Лавров</h1>' in html
    for name, lang in (("Sergey Lavrov", "en"), ("セルゲイ・ラブロフ", "ja"), ("С.В. Лавров", "ru")):
        assert f'lang="{lang}">{name}<' in html
    assert "wikidata.org" not in html  # the fixture has no verified Wikidata ID for him
    assert (
        ">Person</a>" in html and ">Actor</a>" not in html.split('id="names-h"')[0]
    )  # most specific type only
    posts = html.split('id="posts-h"')[1].split("</section>")[0]
    assert "Министр иностранных дел" in posts and "МИД России" in posts and "<time>2019-05-31</time>" in posts
    assert 'href="/id/doc/pg_001#span-38-82"' in posts
    events = html.split('id="events-h"')[1].split("</section>")[0]
    assert events.index("Саммит 2018 года") < events.index("Переговоры Лаврова и Коно в Токио")
    assert "<time>2018</time>" in events and "as " in events
    instruments = html.split('id="instr-h"')[1].split("</section>")[0]
    assert "Меморандум о сотрудничестве" in instruments and "signatory" in instruments
    assert 'href="/id/doc/pg_001#span-226-271"' in instruments
    statements = html.split('id="stmt-h"')[1].split("</section>")[0]
    assert '<blockquote lang="ru">Мы договорились продолжить диалог</blockquote>' in statements
    assert 'href="/id/doc/pg_001#span-172-224"' in statements
    assert html.count('href="/id/doc/pg_002#span-0-6"') >= 1
    assert "Links to this" in html and "All triples (15)" in html


def test_dates_keep_precision(client):
    html = get(client, "/id/person/taro-kono")
    assert "<time>2019-05</time>" in html and "2019-05-01" not in html
    assert "<time>--09-02</time>" in html
    assert 'href="http://www.wikidata.org/entity/Q1161024"' in html


def test_event_page_lists_participants_and_time(client):
    html = get(client, "/id/event/pg_001-negotiation-69")
    parse(html)
    part = html.split('id="part-h"')[1].split("</section>")[0]
    assert "Сергей Лавров" in part and "Таро Коно" in part and "Министр иностранных дел" in part
    assert "2019-05-31" in html and "Токио" in html
    assert "#time" not in html.split("All triples")[0]  # time nodes are shown as dates, not as links


def test_unknown_and_unsafe_iris(client):
    assert client.get("/id/person/nobody").status_code == 404
    ctx = make_context(fixture_store())
    for iri in (
        "https://w3id.org/rjkg/id/person/x> } ; DROP ALL ; {",
        "https://w3id.org/rjkg/id/person/a b",
        "",
    ):
        assert asyncio.run(pages.resource_html(ctx, iri)) is None


# ---------------------------------------------------------------- document pages


def test_document_page_highlights_every_span(client):
    html = get(client, "/id/doc/pg_001")
    tree = parse(html)
    assert "".join(tree.source_text) == DOC_TEXT  # markup added, no character changed or lost
    assert tree.nested_links == 0
    for s, e in ((0, 6), (38, 82), (69, 82), (69, 106), (172, 224), (218, 224), (318, 348), (357, 367)):
        assert f"span-{s}-{e}" in tree.ids
    assert 'class="hl k-person" href="/id/person/sergey-lavrov"' in html
    assert 'class="hl k-statement" href="/id/statement/pg_001-172-224"' in html
    assert re.search(
        r'class="hl k-person nested outer-statement" href="/id/person/sergey-lavrov" title="[^"]*Statement',
        html,
    )
    assert 'href="/dumps/doc/pg_001.ttl"' in html
    # the stale span is listed, not painted over the wrong words
    assert "1 span(s) do not match" in html and 'data-span="360-365"' not in html
    side = html.split('id="ex-h"')[1]
    assert "Сергей Лавров — Министр иностранных дел" in side and 'href="#span-226-271"' in side


def test_document_without_text_shows_quotes(client):
    html = get(client, "/id/doc/pg_002")
    parse(html)
    assert "not available here" in html and '<li id="span-0-6">' in html


# ---------------------------------------------------------------- ontology and timeline


def test_ontology_page_documents_every_term(client):
    html = get(client, "/ontology")
    tree = parse(html)
    g = Graph().parse(FIXTURE / "ontology.ttl")
    classes = sorted(str(c) for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(PREFIXES["rjkg"]))
    props = sorted(
        str(p) for t in (OWL.ObjectProperty, OWL.DatatypeProperty) for p in g.subjects(RDF.type, t)
    )
    assert len(classes) == 22 and len(props) == 15
    for iri in classes + props:
        assert iri.split("#")[1] in tree.ids, iri
    person = html.split('id="Person"')[1].split("</section>")[0]
    assert "Лицо" in person and "A human being named in a document." in person
    assert 'href="#Actor"' in person and "foaf:Person" in person and "rjkg:PersonShape" in person
    assert "datatype rdf:langString" in person
    speaker = html.split('id="speaker"')[1].split("</section>")[0]
    assert all(f'href="#{c}"' in speaker for c in ("Person", "State", "GovernmentBody", "Statement"))
    assert "in {rjkg:DirectQuote}" in html


def test_timeline_order_precision_and_filters(client):
    html = get(client, "/timeline")
    dates = re.findall(r"<tr><td class=\"date\"><time>([^<]*)</time>", html)
    assert dates == ["2018", "2018-09-11 – 2018-09-13", "2019-05-31", "2019-08", "--09-02"]
    assert "planned" in html
    html = get(client, "/timeline?actor=https://w3id.org/rjkg/id/person/taro-kono")
    assert re.findall(r"<tr><td class=\"date\"><time>([^<]*)</time>", html) == ["2019-05-31", "--09-02"]
    html = get(client, "/timeline?type=rjkg:Meeting")
    assert re.findall(r"<tr><td class=\"date\"><time>([^<]*)</time>", html) == ["2019-08"]
    assert "No dated events" in get(client, "/timeline?type=rjkg:Nothing")
    # statements (speech acts) only when asked for
    html = get(client, "/timeline?statements=1")
    assert re.findall(r"<tr><td class=\"date\"><time>([^<]*)</time>", html).count("2019-05-31") == 2
    html = get(client, "/timeline?type=rjkg:Statement")
    assert re.findall(r"<tr><td class=\"date\"><time>([^<]*)</time>", html) == ["2019-05-31"]
    assert "Мы договорились продолжить диалог" in html


# ---------------------------------------------------------------- escaping


XSS_PAGES = [
    "/",
    "/query",
    "/timeline",
    "/ontology",
    "/id/org/xss-fund",
    "/id/doc/pg_001",
    "/id/event/pg_002-forum-90",
]
assert len(XSS_PAGES) == 7


@pytest.mark.parametrize("path", XSS_PAGES)
def test_labels_are_escaped(client, path):
    html = get(client, path)
    assert "<script>alert" not in html and "<b>" not in html and "<em>" not in html
    probes = ("&lt;script&gt;alert(1)", "&lt;script&gt;alert(2)", "&lt;b&gt;ВЭФ", "Association &lt;em&gt;")
    if path not in ("/", "/query"):
        assert any(p in html for p in probes)


# ---------------------------------------------------------------- the real ontology and the published graph


def test_real_ontology_renders():
    onto = ROOT / "ontology" / "rjkg.ttl"
    if not onto.is_file():
        pytest.skip("ontology/rjkg.ttl not written yet")
    ctx = make_context(fixture_store(), ontology_file=onto, shapes_file=ROOT / "ontology" / "shapes.ttl")
    html = asyncio.run(pages.ontology_html(ctx))
    tree = parse(html)
    g = Graph().parse(onto)
    terms = {str(c) for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(PREFIXES["rjkg"])}
    assert len(terms) >= 20
    missing = sorted(t for t in terms if t.split("#")[1] not in tree.ids)
    assert not missing, missing


@pytest.fixture(scope="module")
def published():
    graph = ROOT / "graph"
    if not (graph / "rjkg.nq").is_file():
        pytest.skip("graph/ not built yet (rjkg build)")
    store = nq_store(graph / "rjkg.nq")
    ctx = make_context(
        store,
        graph_dir=graph,
        ontology_file=ROOT / "ontology" / "rjkg.ttl",
        shapes_file=ROOT / "ontology" / "shapes.ttl",
        queries_dir=ROOT / "queries",
        documents_dir=ROOT / "seeds",
    )
    return TestClient(make_app(ctx, store))


def test_published_graph_pages(published):
    """Every published document's page: the seed text exactly, every span on its words, highlights present."""
    home = get(published, "/")
    parse(home)
    assert "0.1.0" in home or "Version" in home
    parse(get(published, "/timeline"))
    docs = sorted(p.stem for p in (ROOT / "graph" / "doc").glob("*.ttl"))
    assert len(docs) >= 1, "graph/doc/ is empty"
    for doc_id in docs:
        html = get(published, f"/id/doc/{doc_id}")
        tree = parse(html)
        text = (ROOT / "seeds" / f"{doc_id}.txt").read_text(encoding="utf-8").removeprefix("\ufeff")
        assert "".join(tree.source_text) == text, doc_id
        assert "do not match the text" not in html, doc_id
        assert len(re.findall(r'class="hl ', html)) >= 5, doc_id


def test_pages_mounted_by_rjkg_serve():
    """The real server mounts these pages: every resource of its fixture graph gets an HTML page from us."""
    serve = pytest.importorskip("rjkg.serve")
    import pyoxigraph as ox

    graph = ROOT / "tests" / "fixtures" / "graph"
    if not (graph / "rjkg.nq").is_file():
        pytest.skip("the server's fixture graph is missing")
    store = nq_store(graph / "rjkg.nq")
    iris = sorted(
        {
            q.subject.value
            for q in store
            if isinstance(q.subject, ox.NamedNode)
            and "/id/" in q.subject.value
            and "#" not in q.subject.value
        }
    )
    assert len(iris) >= 5
    html = {"accept": "text/html"}
    with TestClient(serve.create_app(graph_dir=graph, workers=1, timeout=5)) as c:
        for path in ("/", "/timeline", "/ontology", "/sparql"):
            r = c.get(path, headers=html)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), path
            parse(r.text)
        for iri in iris:
            r = c.get("/" + iri.removeprefix("https://w3id.org/rjkg/"), headers=html)
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html"), iri
            parse(r.text)
