"""extract(doc) → Extraction: natasha once per document, then every grammar, in order.

Order: names/organisations/places (entities) → posts → dates → events, instruments, institutions → statements. Each
step reads the Context (sentences, tokens, what earlier steps found) and returns plain records.
"""

from __future__ import annotations

import logging

from rjkg.extract.context import Context, Sentence, Token
from rjkg.records import Document, Extraction

log = logging.getLogger("rjkg.extract")


def build_context(doc: Document) -> Context:
    """Run natasha (segmentation, morphology, lemmas) sentence by sentence; offsets index doc.text."""
    from natasha import Doc

    from rjkg.extract.nlp import nlp

    n = nlp()
    sentences: list[Sentence] = []
    for start, end in doc.sentences:
        chunk = doc.text[start:end]
        d = Doc(chunk)
        d.segment(n.segmenter)
        d.tag_morph(n.morph_tagger)
        tokens = []
        for t in d.tokens:
            try:
                t.lemmatize(n.morph_vocab)
                lemma = (t.lemma or t.text).lower()
            except Exception:  # noqa: BLE001 - a token pymorphy cannot lemmatise keeps its text
                lemma = t.text.lower()
            tokens.append(
                Token(start + t.start, start + t.stop, t.text, lemma, t.pos or "X", dict(t.feats or {}))
            )
        sentences.append(Sentence(start, end, tuple(tokens)))
    return Context(doc=doc, sentences=sentences)


def _optional(module: str, func: str, ctx: Context, warnings: list[str]) -> list:
    """Call extract.<module>.<func>(ctx) if that step exists yet (other engineers write it)."""
    import importlib

    try:
        fn = getattr(importlib.import_module(f"rjkg.extract.{module}"), func)
    except (ImportError, AttributeError):
        return []
    return list(fn(ctx) or [])


def extract(doc: Document) -> Extraction:
    from rjkg.extract import names, posts

    ctx = build_context(doc)
    warnings: list[str] = []
    ctx.entities = names.find_entities(ctx)
    ctx.posts = posts.find_posts(ctx)
    events = _optional("events", "extract_events", ctx, warnings)
    instruments = _optional("instruments", "extract_instruments", ctx, warnings)
    institutions = _optional("institutions", "extract_institutions", ctx, warnings)
    statements = _optional("statements", "extract_statements", ctx, warnings)
    return Extraction(
        doc=doc,
        entities=tuple(ctx.entities),
        posts=tuple(ctx.posts),
        events=tuple(events),
        instruments=tuple(instruments),
        institutions=tuple(institutions),
        statements=tuple(statements),
        warnings=tuple(warnings),
    )
