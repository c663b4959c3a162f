"""Descriptors referring back (tests/extract/cases/anaphora.yaml): resolve_descriptor finds the entity they stand for."""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _cases_a import load_cases, n  # noqa: E402

from rjkg import ingest  # noqa: E402
from rjkg.extract import build_context, names, posts  # noqa: E402
from rjkg.extract.anaphora import resolve_descriptor  # noqa: E402
from rjkg.extract.context import Context  # noqa: E402
from rjkg.records import Document  # noqa: E402

CASES = load_cases("anaphora.yaml")


@lru_cache(maxsize=16)
def _context(case_id: str, text: str) -> Context:
    doc = Document(case_id, text, "", sentences=tuple(ingest.split_sentences(text, [])))
    ctx = build_context(doc)
    ctx.entities = names.find_entities(ctx)
    ctx.posts = posts.find_posts(ctx)
    return ctx


def test_case_count():
    assert len(CASES) == 5
    assert sum(len(c["lookups"]) for c in CASES) == 16


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_resolve_descriptor(case):
    ctx = _context(case["id"], case["text"])
    by_key = {e.key: e for e in ctx.entities}
    for lk in case["lookups"]:
        start = case["text"].index(lk["at"])
        got = resolve_descriptor(ctx, start, lk["lemma"])
        names_of = {n(by_key[got].name_ru), *(n(a) for a in by_key[got].aliases)} if got else None
        if lk["want"] is None:
            assert got is None, (lk, by_key[got].name_ru)
        else:
            assert names_of and n(lk["want"]) in names_of, (lk, got)


def test_unknown_descriptor_is_none():
    ctx = _context(CASES[0]["id"], CASES[0]["text"])
    assert resolve_descriptor(ctx, len(CASES[0]["text"]), "самовар") is None
