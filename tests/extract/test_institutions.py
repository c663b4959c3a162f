"""Institutions: technical-assistance centres, centres/funds/platforms, special economic zones
(cases_b/institutions.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _cases_b import build_context, check, document_sets, iso, load_cases, score_category  # noqa: E402

from rjkg.extract.institutions import extract_institutions  # noqa: E402
from rjkg.ids import slugify  # noqa: E402
from rjkg.vocab import INSTITUTION_STATUS, INSTITUTION_TYPES  # noqa: E402

CASES = load_cases("institutions")
assert len(CASES) >= 8, f"institution cases missing: {len(CASES)}"


def _view(x):
    return {
        "type": x.type, "key": x.key, "name": x.name_ru, "count": x.count, "country": x.country,
        "locations": list(x.locations), "founded": iso(x.founded), "status": x.status,
        "established_by": list(x.established_by),
    }  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_institution_case(case):
    ctx = build_context(case)
    got = extract_institutions(ctx)
    check(case["id"], case["expect"], got, _view)
    for x in got:
        assert x.type in INSTITUTION_TYPES and x.status in INSTITUTION_STATUS
        assert slugify(x.key)
        for m in x.mentions:
            assert 0 <= m.start < m.end <= len(ctx.text)


# F1 floors on whole documents with gold entities (regression guards, below the measured values; see the report)
FLOORS = {"seeds": 0.90, "written": 0.85}


DOCUMENT_SETS = document_sets()


@pytest.mark.parametrize(("name", "items"), DOCUMENT_SETS, ids=[name for name, _ in DOCUMENT_SETS])
def test_institutions_on_documents(name, items):
    counts = score_category("institutions", extract_institutions, items)
    assert counts.f1 >= FLOORS[name], f"institutions F1 on {name} documents: {counts.as_dict()}"
