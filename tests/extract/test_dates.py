"""Date expressions of every precision, ranges and relative forms (cases_b/dates.yaml)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from _cases_b import end_iso, iso, load_cases  # noqa: E402

from rjkg.extract.dates import find_dates  # noqa: E402
from rjkg.ingest import parse_date  # noqa: E402

CASES = load_cases("dates")
assert len(CASES) >= 25, f"date cases missing: {len(CASES)}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_date_case(case):
    text = case["text"]
    anchor = parse_date(case["date"], where="case") if case.get("date") else None
    got = find_dates(text, 0, len(text), anchor)
    view = [[span.quote(text), iso(dv), end_iso(dv), dv.relative] for span, dv in got]
    assert view == case["expect"]
    for span, dv in got:
        assert dv.resolved_from == span.quote(text)


def test_window_offsets_index_the_whole_text():
    text = "Начало. Встреча прошла 2 мая 2019 г. в Токио."
    ((span, dv),) = find_dates(text, 8, len(text), None)
    assert text[span.start : span.end] == "2 мая 2019 г."
    assert dv.start.iso() == "2019-05-02"
