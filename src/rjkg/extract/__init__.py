"""extract(doc) → Extraction: natasha once per document, then every grammar, in order.

(Stub until the names/posts step lands: returns nothing but the document.)
"""

from __future__ import annotations

from rjkg.records import Document, Extraction


def extract(doc: Document) -> Extraction:
    return Extraction(doc=doc)
