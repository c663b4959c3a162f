"""Every evidence offset in every seed's graph slices the stored source text to its quote (checked with SPARQL).

The source text is read here from the file itself (decoded UTF-8), not taken from the pipeline, so an ingest step
that silently changed the text (BOM, normalisation, deleted boilerplate) would show up as a mismatch.
"""

from __future__ import annotations

import hashlib

import pytest
from rdflib import namespace as rns

from rjkg import build
from rjkg.vocab import NS, sparql_prefixes

SELECTORS = """
SELECT ?span ?start ?end ?exact ?prefix ?suffix WHERE {
  ?span a oa:SpecificResource ; oa:hasSource ?doc ; oa:hasSelector ?pos , ?quote .
  ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?quote oa:prefix ?prefix } OPTIONAL { ?quote oa:suffix ?suffix }
} ORDER BY ?span
"""


@pytest.fixture(scope="module")
def seed_graphs(seed_extractions):
    assert len(seed_extractions) == 5
    return {stem: build.document_graph(ex) for stem, ex in seed_extractions.items()}


@pytest.mark.parametrize("n", range(5), ids=[f"seed-{n}" for n in range(5)])
def test_every_offset_slices_the_source_text(n, seed_files, seed_graphs):
    path = seed_files[n]
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    g = seed_graphs[path.stem]
    doc = NS["doc"][path.stem]
    assert str(g.value(doc, build.RJKG.textSha256)) == hashlib.sha256(raw).hexdigest()
    rows = list(g.query(sparql_prefixes() + SELECTORS, initBindings={"doc": doc}))
    assert len(rows) > 0, f"{path.name}: no evidence spans in the graph"
    bad = []
    for r in rows:
        start, end = int(r.start), int(r.end)
        if r.start.datatype != rns.XSD.nonNegativeInteger or not 0 <= start < end <= len(text):
            bad.append(f"{r.span}: offsets {r.start!r} {r.end!r}")
            continue
        if text[start:end] != str(r.exact):
            bad.append(f"{r.span}: text[{start}:{end}] = {text[start:end]!r} ≠ exact {str(r.exact)!r}")
        prefix, suffix = str(r.prefix or ""), str(r.suffix or "")
        if not text[:start].endswith(prefix) or text[max(0, start - 32) : start] != prefix:
            bad.append(f"{r.span}: prefix {prefix!r}")
        if not text[end:].startswith(suffix) or text[end : end + 32] != suffix:
            bad.append(f"{r.span}: suffix {suffix!r}")
    assert not bad, f"{path.name}: {len(bad)} of {len(rows)} spans wrong:\n" + "\n".join(bad[:30])
    # every span node has exactly one position and one quote selector (no duplicates from merged records)
    spans = {r.span for r in rows}
    assert len(spans) == len(rows), f"{path.name}: a span has more than one selector of a kind"
