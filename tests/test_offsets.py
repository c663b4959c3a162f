"""Every evidence offset in every seed's graph slices the stored source text to its quote (checked with SPARQL).

The source text is read here from the file itself (decoded UTF-8), not taken from the pipeline, so an ingest step
that silently changed the text (BOM, normalisation, deleted boilerplate) would show up as a mismatch.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from conftest import SEED_FILES
from rjkg import build
from rjkg.evaluate import load_graph
from rjkg.vocab import NS, sparql_prefixes

XSD_NNI = "http://www.w3.org/2001/XMLSchema#nonNegativeInteger"
OA = "http://www.w3.org/ns/oa#"

SELECTORS = """
SELECT ?span ?start ?end ?exact ?prefix ?suffix WHERE {
  ?span a oa:SpecificResource ; oa:hasSource <{doc}> ; oa:hasSelector ?pos , ?quote .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?quote oa:prefix ?prefix } OPTIONAL { ?quote oa:suffix ?suffix }
} ORDER BY ?span
"""


@pytest.fixture(scope="module")
def seed_graphs(seed_extractions):
    assert len(seed_extractions) == 5
    return {stem: build.document_graph(ex) for stem, ex in seed_extractions.items()}


def select(graph, query: str) -> list[dict]:
    """SPARQL over the graph (pyoxigraph: rdflib's engine takes minutes on this join)."""
    store = ox.Store()
    load_graph(store, graph, "urn:x-test:g")
    res = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    names = [v.value for v in res.variables]
    return [{n: row[n] for n in names} for row in res]


@pytest.mark.parametrize("n", range(len(SEED_FILES)), ids=[p.stem for p in SEED_FILES])
def test_every_offset_slices_the_source_text(n, seed_files, seed_graphs):
    path = seed_files[n]
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    g = seed_graphs[path.stem]
    doc = NS["doc"][path.stem]
    assert str(g.value(doc, build.RJKG.textSha256)) == hashlib.sha256(raw).hexdigest()
    rows = select(g, SELECTORS.replace("{doc}", str(doc)))
    assert len(rows) > 0, f"{path.name}: no evidence spans in the graph"
    # the datatype is checked on the rdflib graph: pyoxigraph 0.5 stores xsd:nonNegativeInteger as xsd:integer
    offsets = [o for p in ("start", "end") for o in g.objects(None, URIRef(OA + p))]
    assert len(offsets) == 2 * len(rows) and all(str(o.datatype) == XSD_NNI for o in offsets)
    bad = []
    for r in rows:
        span, start, end = r["span"].value, int(r["start"].value), int(r["end"].value)
        if not 0 <= start < end <= len(text):
            bad.append(f"{span}: offsets {r['start']} {r['end']}")
            continue
        exact = r["exact"].value
        if text[start:end] != exact:
            bad.append(f"{span}: text[{start}:{end}] = {text[start:end]!r} ≠ exact {exact!r}")
        prefix = r["prefix"].value if r["prefix"] is not None else ""
        suffix = r["suffix"].value if r["suffix"] is not None else ""
        if text[max(0, start - 32) : start] != prefix:
            bad.append(f"{span}: prefix {prefix!r}")
        if text[end : end + 32] != suffix:
            bad.append(f"{span}: suffix {suffix!r}")
    assert not bad, f"{path.name}: {len(bad)} of {len(rows)} spans wrong:\n" + "\n".join(bad[:30])
    # every span node has exactly one position and one quote selector (no duplicates from merged records)
    spans = {r["span"].value for r in rows}
    assert len(spans) == len(rows), f"{path.name}: a span has more than one selector of a kind"
