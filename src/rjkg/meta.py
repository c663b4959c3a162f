"""The dataset's self-description: VoID + DCAT 3 + SPARQL-SD, deterministic (no timestamps).

Two layers, because a file cannot contain its own checksum:

* `meta_triples(counts)` — the ``graph/meta`` named graph inside the dumps: the dataset, its licence and version,
  one ``void:subset`` per named graph with its triple count, the endpoint and URI space.
* `void_triples(counts, files)` — ``graph/void.ttl``: the same plus one ``dcat:Distribution`` / ``void:dataDump``
  per published file with its byte size and SHA-256 (``spdx:checksum``). ``SHA256SUMS`` covers void.ttl itself.
"""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, XSD

from rjkg import __version__
from rjkg.vocab import (
    DATASET,
    DCAT,
    DCT,
    DUMPS,
    G_CURATED,
    G_INFERRED,
    G_META,
    G_ONTOLOGY,
    GRAPH,
    ID,
    LICENSE,
    ONTOLOGY_IRI,
    PREFIXES,
    SD,
    SPARQL_ENDPOINT,
    SPDX,
    VOID,
)

MEDIA_TYPES = {
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".ttl": "text/turtle",
}
VOID_PREFIXES = {**PREFIXES, "spdx": str(SPDX)}


def _n(iri) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _lit(value, datatype=None, lang: str | None = None) -> ox.Literal:
    if lang:
        return ox.Literal(str(value), language=lang)
    return ox.Literal(str(value), datatype=_n(datatype) if datatype else None)


def _int(n: int) -> ox.Literal:
    return _lit(n, XSD.integer)


TYPE = _n(RDF.type)


def graph_title(graph: str) -> str:
    names = {
        str(G_ONTOLOGY): "ontology",
        str(G_CURATED): "curated gazetteer",
        str(G_INFERRED): "OWL 2 RL entailments",
    }
    if graph in names:
        return names[graph]
    if graph == str(G_META):
        return "dataset description"
    return "document " + graph.removeprefix(GRAPH + "doc/")


def dump_file(graph: str) -> str | None:
    """The per-graph file a named graph is published in."""
    files = {str(G_ONTOLOGY): "ontology.ttl", str(G_CURATED): "curated.ttl", str(G_INFERRED): "inferred.ttl"}
    if graph in files:
        return files[graph]
    if graph.startswith(GRAPH + "doc/"):
        return "doc/" + graph.removeprefix(GRAPH + "doc/") + ".ttl"
    return None


def _dataset_core(counts: dict[str, int]) -> list[ox.Triple]:
    ds = _n(DATASET)
    t = [
        ox.Triple(ds, TYPE, _n(VOID.Dataset)),
        ox.Triple(ds, TYPE, _n(DCAT.Dataset)),
        ox.Triple(ds, _n(DCT.title), _lit("rjkg: Russia–Japan relations knowledge graph", lang="en")),
        ox.Triple(ds, _n(DCT.title), _lit("rjkg: граф знаний о российско-японских отношениях", lang="ru")),
        ox.Triple(
            ds,
            _n(DCT.description),
            _lit(
                "Actors, posts, events, instruments, institutions and attributed statements extracted from "
                "Russian-language documents, each traced to its text span. Evidence offsets are Unicode code "
                "points into the decoded source file, half-open [start, end).",
                lang="en",
            ),
        ),
        ox.Triple(ds, _n(DCT.license), _n(LICENSE)),
        ox.Triple(ds, _n(DCAT.version), _lit(__version__)),
        ox.Triple(ds, _n(OWL.versionInfo), _lit(__version__)),
        ox.Triple(ds, _n(DCT.language), _n("http://id.loc.gov/vocabulary/iso639-1/ru")),
        ox.Triple(ds, _n(VOID.sparqlEndpoint), _n(SPARQL_ENDPOINT)),
        ox.Triple(ds, _n(VOID.uriSpace), _lit(ID)),
        ox.Triple(ds, _n(VOID.vocabulary), _n(ONTOLOGY_IRI)),
        ox.Triple(ds, _n(DCT.conformsTo), _n(ONTOLOGY_IRI)),
        ox.Triple(ds, _n(VOID.triples), _int(sum(counts.values()))),
    ]
    for g in sorted(counts):
        node = _n(g)
        t += [
            ox.Triple(ds, _n(VOID.subset), node),
            ox.Triple(node, TYPE, _n(VOID.Dataset)),
            ox.Triple(node, TYPE, _n(SD.NamedGraph)),
            ox.Triple(node, _n(SD.name), node),
            ox.Triple(node, _n(DCT.title), _lit(graph_title(g), lang="en")),
            ox.Triple(node, _n(VOID.triples), _int(counts[g])),
        ]
    svc = _n(SPARQL_ENDPOINT)
    t += [
        ox.Triple(svc, TYPE, _n(SD.Service)),
        ox.Triple(svc, _n(SD.endpoint), svc),
        ox.Triple(svc, _n(SD.supportedLanguage), _n(SD.SPARQL11Query)),
        ox.Triple(svc, _n(SD.defaultDataset), ds),
        ox.Triple(svc, _n(SD.feature), _n(SD.UnionDefaultGraph)),
    ]
    return t


def meta_triples(counts: dict[str, int]) -> list[ox.Triple]:
    """The meta named graph for data graphs with these triple counts (graph IRI → count, meta excluded).

    The meta graph's own count is a fixed point: counted with a placeholder, then filled in (same size).
    """
    meta = str(G_META)
    draft = _dataset_core({**counts, meta: 0})
    n_meta = len(set(draft))
    return _dataset_core({**counts, meta: n_meta})


def void_triples(counts: dict[str, int], files: dict[str, tuple[int, str]]) -> list[ox.Triple]:
    """void.ttl: the meta graph plus a distribution for each published file (name → (bytes, sha256))."""
    ds = _n(DATASET)
    triples = meta_triples(counts)
    by_file = {dump_file(g): g for g in counts if dump_file(g)}
    for name in sorted(files):
        size, digest = files[name]
        safe = quote(name, safe="/._-")
        url = _n(DUMPS + safe)
        dist = _n(f"{DATASET}-dist-{safe}")
        checksum = _n(f"{DATASET}-sha256-{safe}")
        ext = "." + name.rsplit(".", 1)[-1]
        triples += [
            ox.Triple(ds, _n(DCAT.distribution), dist),
            ox.Triple(dist, TYPE, _n(DCAT.Distribution)),
            ox.Triple(dist, _n(DCT.title), _lit(name)),
            ox.Triple(dist, _n(DCAT.downloadURL), url),
            ox.Triple(
                dist,
                _n(DCAT.mediaType),
                _n("https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[ext]),
            ),
            ox.Triple(dist, _n(DCAT.byteSize), _lit(size, XSD.nonNegativeInteger)),
            ox.Triple(dist, _n(DCT.license), _n(LICENSE)),
            ox.Triple(dist, _n(SPDX.checksum), checksum),
            ox.Triple(checksum, TYPE, _n(SPDX.Checksum)),
            ox.Triple(checksum, _n(SPDX.algorithm), _n(SPDX.checksumAlgorithm_sha256)),
            ox.Triple(checksum, _n(SPDX.checksumValue), _lit(digest, XSD.hexBinary)),
        ]
        subset = by_file.get(name)
        owner = _n(subset) if subset else ds
        triples.append(ox.Triple(owner, _n(VOID.dataDump), url))
    return triples
