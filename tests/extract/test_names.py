"""Entities: each case (tests/extract/cases/names.yaml) lists every entity expected from its text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _cases_a import load_cases, n, run  # noqa: E402

CASES = load_cases("names.yaml")


def test_case_count():
    assert len(CASES) == 70


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_entities(case):
    ex = run(case["id"], case["text"])
    got = sorted((e.type, n(e.name_ru)) for e in ex.entities)
    want = sorted((e["type"], n(e["name_ru"])) for e in case["entities"])
    assert got == want
    by_name = {(e.type, n(e.name_ru)): e for e in ex.entities}
    for e in case["entities"]:
        surfaces = {case["text"][m.start : m.end] for m in by_name[(e["type"], n(e["name_ru"]))].mentions}
        assert set(e.get("mentions", ())) <= surfaces
        aliases = {n(a) for a in by_name[(e["type"], n(e["name_ru"]))].aliases}
        assert {n(a) for a in e.get("aliases", ())} <= aliases


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_mentions_are_spans_of_the_text(case):
    ex = run(case["id"], case["text"])
    for e in ex.entities:
        assert e.iri and e.mentions
        for m in e.mentions:
            assert 0 <= m.start < m.end <= len(case["text"])
