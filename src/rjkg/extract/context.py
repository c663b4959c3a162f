"""What every extractor module receives: the document, its sentences and tokens, and what earlier steps found.

`extract/__init__.py` builds one Context per document (natasha runs once) and passes it through the extractors in
order: names/organisations/places → posts → dates → events, instruments, institutions → statements.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rjkg.records import Document, Entity, PartialDate, PostHolding


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    lemma: str  # lower-case normal form (pymorphy/natasha), text.lower() when unknown
    pos: str  # UD part of speech from natasha ("NOUN", "PROPN", "VERB", …)
    feats: dict = field(default_factory=dict, hash=False, compare=False)  # UD features (Case, Number, …)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]


@dataclass
class Context:
    doc: Document
    sentences: list[Sentence]
    entities: list[Entity] = field(default_factory=list)  # filled by the names step
    posts: list[PostHolding] = field(default_factory=list)  # filled by the posts step
    ner: list[tuple[str, int, int]] = field(
        default_factory=list
    )  # natasha NER spans (PER/LOC/ORG, start, end)

    @property
    def text(self) -> str:
        return self.doc.text

    @property
    def anchor(self) -> PartialDate | None:
        """The document's stated date, against which relative dates are resolved (None: leave them relative)."""
        return self.doc.meta.date

    def entities_in(self, start: int, end: int) -> list[tuple[Entity, int, int]]:
        """(entity, mention start, mention end) for every mention inside [start, end), in text order."""
        found = [
            (e, m.start, m.end)
            for e in self.entities
            for m in e.mentions
            if start <= m.start and m.end <= end
        ]
        return sorted(found, key=lambda t: (t[1], t[2]))

    def sentence_at(self, offset: int) -> Sentence | None:
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None
