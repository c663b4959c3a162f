"""Content negotiation: pick a media type from an Accept header (RFC 9110 §12.5.1) or a `format=` parameter.

Why our own: the choices differ per route (results vs graphs vs pages), defaults matter (Turtle, not N-Quads, for
graphs; SPARQL JSON for results) and an unknown `format=` must become a clear 406, not a silent default.

>>> choose("text/csv;q=0.9, application/sparql-results+json", RESULTS)
'application/sparql-results+json'
>>> choose(None, GRAPHS)
'text/turtle'
>>> choose("image/png", GRAPHS) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

# media type -> (pyoxigraph format name, file extension); the first entry is the default
RESULTS: dict[str, tuple[str, str]] = {
    "application/sparql-results+json": ("JSON", "srj"),
    "application/sparql-results+xml": ("XML", "srx"),
    "text/csv": ("CSV", "csv"),
    "text/tab-separated-values": ("TSV", "tsv"),
}
GRAPHS: dict[str, tuple[str, str]] = {
    "text/turtle": ("TURTLE", "ttl"),
    "application/n-triples": ("N_TRIPLES", "nt"),
    "application/ld+json": ("JSON_LD", "jsonld"),
    "application/rdf+xml": ("RDF_XML", "rdf"),
    "application/trig": ("TRIG", "trig"),
    "application/n-quads": ("N_QUADS", "nq"),
}
# what an RDF resource page offers (a dataset format makes no sense for one resource's description)
RESOURCE: dict[str, tuple[str, str]] = {
    "text/html": ("HTML", "html"),
    **{k: v for k, v in GRAPHS.items() if k not in ("application/trig", "application/n-quads")},
}
# aliases clients send (SPARQLWrapper, browsers, curl users)
ALIASES = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/n3": "text/turtle",
    "application/xhtml+xml": "text/html",
}
# short names accepted in `format=` (plus any full media type)
FORMAT_NAMES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "rdf/xml": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
    "html": "text/html",
}
# a results format asked for by a graph query (and vice versa) maps onto its natural counterpart
JSON_FOR_GRAPHS = {
    "application/sparql-results+json": "application/ld+json",
    "application/json": "application/ld+json",
}
XML_FOR_GRAPHS = {
    "application/sparql-results+xml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
}


@dataclass(frozen=True)
class Range:
    media: str  # "type/subtype", possibly with "*"
    q: float
    order: int


def parse_accept(header: str | None) -> list[Range]:
    """Media ranges sorted by preference (q, specificity, order). Malformed parts are skipped, never an error."""
    if not header:
        return []
    ranges = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            if media == "*":
                media = "*/*"
            else:
                continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        ranges.append(Range(media, q, i))
    spec = {"*/*": 0}
    return sorted(
        ranges, key=lambda r: (-r.q, spec.get(r.media, 2 if not r.media.endswith("/*") else 1), r.order)
    )


def _matches(rng: str, media: str) -> bool:
    if rng == "*/*" or rng == media:
        return True
    return rng.endswith("/*") and media.split("/")[0] == rng[:-2]


def choose(accept: str | None, offers: dict[str, tuple[str, str]]) -> str | None:
    """The offered media type the client prefers most; the first offer when it states no preference; None → 406."""
    ranges = parse_accept(accept)
    if not ranges:
        return next(iter(offers))
    refused = {m for r in ranges if r.q == 0 for m in (r.media, ALIASES.get(r.media))}
    for r in ranges:
        if r.q == 0:
            continue
        if r.media == "*/*":
            return next((o for o in offers if o not in refused), None)
        for media in (r.media, ALIASES.get(r.media)):
            for offer in offers:
                if media and offer not in refused and _matches(media, offer):
                    return offer
    return None


def from_format_param(value: str, offers: dict[str, tuple[str, str]]) -> str | None:
    """Map `format=json` (or a full media type) onto an offer; None when this route cannot produce it."""
    v = value.strip().lower()
    media = FORMAT_NAMES.get(v) or ALIASES.get(v) or v.split(";")[0].strip()
    if media in offers:
        return media
    if offers is GRAPHS or offers is RESOURCE:
        return next((m for m in (JSON_FOR_GRAPHS.get(media), XML_FOR_GRAPHS.get(media)) if m in offers), None)
    return None


def content_type(media: str) -> str:
    """The Content-Type header for a media type (UTF-8 stated for every text format we write)."""
    if media.startswith("text/") or media.endswith("+json") or media.endswith("+xml") or media in GRAPHS:
        return f"{media}; charset=utf-8"
    return media
