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
    """Run natasha once over the whole text (segmentation, morphology, lemmas, NER: batched, so much faster than
    sentence by sentence), then hand each of ingest's sentences the tokens inside it; offsets index doc.text."""
    from natasha import Doc

    from rjkg.extract.nlp import nlp

    n = nlp()
    d = Doc(doc.text)
    d.segment(n.segmenter)
    d.tag_morph(n.morph_tagger)
    d.tag_ner(n.ner_tagger)
    tokens = []
    for t in d.tokens:
        try:
            t.lemmatize(n.morph_vocab)
            lemma = (t.lemma or t.text).lower()
        except Exception:  # noqa: BLE001 - a token pymorphy cannot lemmatise keeps its text
            lemma = t.text.lower()
        tokens.append(Token(t.start, t.stop, t.text, lemma, t.pos or "X", dict(t.feats or {})))
    sentences: list[Sentence] = []
    k = 0
    for start, end in doc.sentences:
        while k < len(tokens) and tokens[k].start < start:
            k += 1
        inside = []
        while k < len(tokens) and tokens[k].end <= end:
            inside.append(tokens[k])
            k += 1
        sentences.append(Sentence(start, end, tuple(inside)))
    skipped = doc.skipped
    ner = [
        (sp.type, sp.start, sp.stop)
        for sp in d.spans
        if not any(a < sp.stop and sp.start < b for a, b in skipped)
    ]
    return Context(doc=doc, sentences=sentences, ner=ner)


def extract(doc: Document) -> Extraction:
    """Every extraction step over one document (entities and posts first: the later steps refer to them)."""
    from rjkg.extract import events, institutions, instruments, names, posts, statements

    ctx = build_context(doc)
    warnings: list[str] = []
    if doc.encoding != "utf-8":
        warnings.append(f"{doc.path or doc.id}: read as {doc.encoding} (offsets index the decoded text)")
    ctx.entities = names.find_entities(ctx)
    ctx.posts = posts.find_posts(ctx)
    return Extraction(
        doc=doc,
        entities=tuple(ctx.entities),
        posts=tuple(ctx.posts),
        events=tuple(events.extract_events(ctx)),
        instruments=tuple(instruments.extract_instruments(ctx)),
        institutions=tuple(institutions.extract_institutions(ctx)),
        statements=tuple(statements.extract_statements(ctx)),
        warnings=tuple(warnings),
    )
