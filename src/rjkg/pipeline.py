"""The only place that knows the stage order: ingest → extract → resolve → build → reason → validate → store.

`cli.py` commands are thin wrappers over the *_cli functions here.
"""

from __future__ import annotations

import json
from pathlib import Path

from rjkg.records import Extraction


def extract_document(path: Path, metadata: Path | None = None) -> Extraction:
    """ingest → extract → resolve for one file."""
    from rjkg import extract, ingest, resolve

    meta = ingest.load_metadata(metadata or path.parent / "metadata.yaml")
    doc = ingest.load_document(path, meta.get(path.name))
    return resolve.resolve(extract.extract(doc))


def extract_cli(path: Path, *, format: str = "turtle", metadata: Path | None = None) -> int:
    """`rjkg extract`: print one document's named graph."""
    from rdflib import Dataset

    from rjkg import build
    from rjkg.errors import InputError
    from rjkg.vocab import bind_prefixes, doc_graph

    if format not in ("turtle", "trig", "json"):
        raise InputError(f"unknown format {format!r}", where="--format", hint="use turtle, trig or json")
    ex = extract_document(path, metadata)
    g = build.document_graph(ex)
    if format == "turtle":
        bind_prefixes(g)
        print(g.serialize(format="turtle"))
    elif format == "trig":
        ds = Dataset()
        bind_prefixes(ds)
        named = ds.graph(doc_graph(ex.doc.id))
        for t in g:
            named.add(t)
        print(ds.serialize(format="trig"))
    else:
        print(json.dumps(json.loads(g.serialize(format="json-ld")), ensure_ascii=False, indent=1, sort_keys=True))
    return 0


def build_cli(*, seeds=None, out=None, jobs=0, quiet=False, use_cache=True) -> int:
    """`rjkg build` (see issue: build): extract all, merge layers, reason, validate, publish atomically."""
    raise NotImplementedError("rjkg build is not implemented yet")
