"""Posts: each case (tests/extract/cases/posts.yaml) lists every post expected from its text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _cases_a import load_cases, n, run  # noqa: E402

CASES = load_cases("posts.yaml")


def test_case_count():
    assert len(CASES) == 36


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_posts(case):
    ex = run(case["id"], case["text"])
    names = {e.key: e.name_ru for e in ex.entities}
    got = sorted((n(names[p.person]), n(p.title), n(names.get(p.org)) if p.org else None) for p in ex.posts)
    want = sorted((n(p["person"]), n(p["title"]), n(p["org"])) for p in case["posts"])
    assert got == want
    for p in ex.posts:
        assert p.title[:1].isupper() and p.full_title[:1].isupper()
        assert p.evidence and all(0 <= s.start < s.end <= len(case["text"]) for s in p.evidence)
