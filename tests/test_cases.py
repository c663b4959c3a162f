"""Golden graph cases: tests/cases/<kind>-NNNN/{input.txt, records.yaml?, expected.ttl}, compared as graphs.

`build-*` cases turn hand-made records (records.yaml, see case_records.py) into a document graph, so they test the
build alone. `e2e-*` cases run the whole extraction (ingest → extract → resolve → build) on input.txt.
Regenerate expected.ttl with `pytest tests/test_cases.py --update-golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from case_records import load_case
from rjkg import build
from rjkg.vocab import NS, bind_prefixes

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir() and (p / "input.txt").is_file())
EXPECTED_COUNTS = {"build": 5, "e2e": 2}
PINNED_RUN = NS["run"]["extract-00000000"]


def test_case_folder_counts():
    kinds = {k: sum(1 for c in CASES if c.name.startswith(f"{k}-")) for k in EXPECTED_COUNTS}
    assert kinds == EXPECTED_COUNTS
    assert len(CASES) == sum(EXPECTED_COUNTS.values()), "a case folder has an unknown kind"


def pin_run(g: Graph) -> Graph:
    """The run IRI hashes the code: pin it so a code change doesn't rewrite every golden file."""
    run, out = build.run_iri(), Graph()
    for s, p, o in g:
        out.add((PINNED_RUN if s == run else s, p, PINNED_RUN if o == run else o))
    return out


def case_graph(case: Path, root: Path) -> Graph:
    if case.name.startswith("build-"):
        return build.document_graph(load_case(case, root))
    from rjkg import pipeline

    meta = case / "metadata.yaml"
    return build.document_graph(
        pipeline.extract_document(case / "input.txt", meta if meta.is_file() else None)
    )


def _nt(g: Graph) -> list[str]:
    return sorted(line for line in g.serialize(format="nt").splitlines() if line.strip())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, root: Path, update_golden: bool):
    got = pin_run(case_graph(case, root))
    expected_file = case / "expected.ttl"
    if update_golden:
        bind_prefixes(got)
        expected_file.write_text(got.serialize(format="turtle"), encoding="utf-8")
    assert expected_file.is_file(), f"{expected_file} is missing: run pytest {__file__} --update-golden"
    expected = Graph().parse(expected_file, format="turtle")
    _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(got))
    assert not missing and not extra, (
        f"{case.name}: graph differs from expected.ttl\n--- missing:\n"
        + "\n".join(_nt(missing))
        + "\n+++ extra:\n"
        + "\n".join(_nt(extra))
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_graph_conforms_to_the_shapes(case: Path, root: Path):
    """The build writes what ontology/shapes.ttl accepts (violations only; warnings such as a missing @en label
    belong to the data, not to the build)."""
    from rjkg import validate

    report = validate.validate_graph(case_graph(case, root))
    assert report.triples > 50
    assert not report.violations, "\n".join(
        f"{r.shape} {r.focus} {r.path}: {r.message}" for r in report.violations
    )
