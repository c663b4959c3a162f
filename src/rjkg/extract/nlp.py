"""natasha objects, built once per process and only when first needed (loading them takes ~1 s).

pymorphy2 finds its dictionaries through ``pkg_resources``, which recent setuptools no longer ships; pointing
PYMORPHY2_DICT_PATH at ``pymorphy2_dicts_ru`` first avoids that (STYLE.md §2.9).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Nlp:
    segmenter: object
    morph_vocab: object
    morph_tagger: object
    ner_tagger: object


@lru_cache(maxsize=1)
def nlp() -> Nlp:
    """The shared natasha pipeline (segmenter, morphology vocabulary, morph and NER taggers)."""
    try:
        import pymorphy2_dicts_ru

        os.environ.setdefault("PYMORPHY2_DICT_PATH", pymorphy2_dicts_ru.get_path())
    except ImportError:  # pragma: no cover - the package is a natasha dependency
        pass
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    return Nlp(Segmenter(), MorphVocab(), NewsMorphTagger(emb), NewsNERTagger(emb))


@lru_cache(maxsize=1)
def morph():
    """A plain pymorphy2 analyser (its Parse objects can inflect; natasha's MorphVocab returns simpler forms)."""
    nlp()  # sets PYMORPHY2_DICT_PATH and applies yargy's Python 3.11 patch
    import yargy.morph  # noqa: F401 - pymorphy2_311_hotfix
    from pymorphy2 import MorphAnalyzer

    return MorphAnalyzer()


@lru_cache(maxsize=65536)
def parse(word: str):
    """pymorphy parses of one word, cached."""
    return morph().parse(word)


def lemma(word: str) -> str:
    """Lower-case normal form of one word (first pymorphy parse)."""
    p = parse(word)
    return p[0].normal_form if p else word.lower()
