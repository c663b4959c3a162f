"""The query library runs against the graph AS PUBLISHED (graph/rjkg.nq) and matches its expected answers.

Expected answers are sorted TSV in tests/answers/<query>.tsv; regenerate with `pytest --update-golden` and review the
diff (update them only when the graph truly improves). QC queries (queries/qc/*-violation.rq) must return no rows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from rjkg.queries import format_result, load_library, parse_header, run_query

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
ANSWERS = ROOT / "tests" / "answers"
GRAPH = ROOT / "graph"
LIBRARY = load_library(QUERIES)
QC = sorted((QUERIES / "qc").glob("*-violation.rq"))
assert len(LIBRARY) >= 20, f"query library has {len(LIBRARY)} queries, expected at least 20"
assert len(QC) >= 5, f"found {len(QC)} QC queries"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    nq = GRAPH / "rjkg.nq"
    assert nq.is_file(), "graph/rjkg.nq is missing: run `rjkg build` and commit graph/"
    s = ox.Store()
    s.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    return s


def sorted_tsv(result) -> str:
    """TSV with the header first and the rows sorted, so answers diff well and don't depend on engine order."""
    lines = result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8").splitlines()
    return "\n".join([lines[0], *sorted(lines[1:])]) + "\n"


@pytest.mark.parametrize("q", LIBRARY, ids=[q.name for q in LIBRARY])
def test_query_has_header(q):
    h = parse_header(q.text)
    missing = [k for k in ("en", "ru", "shows", "sources") if not h.get(k)]
    assert not missing, f"{q.path.name}: header lacks {missing}"
    assert any("\u0400" <= c <= "\u04ff" for c in h["ru"]), f"{q.path.name}: '# ru:' line is not Russian"


@pytest.mark.parametrize("q", LIBRARY, ids=[q.name for q in LIBRARY])
def test_query_answers(q, store, update_golden):
    actual = sorted_tsv(store.query(q.text, use_default_graph_as_union=True))
    golden = ANSWERS / f"{q.name}.tsv"
    if update_golden:
        ANSWERS.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), (
        f"no expected answer {golden.relative_to(ROOT)}: run pytest --update-golden and review"
    )
    assert actual.count("\n") > 1, f"{q.name} returns no rows on the published graph"
    assert actual == golden.read_text(encoding="utf-8")


def test_every_answer_has_a_query():
    names = {q.name for q in LIBRARY}
    orphans = sorted(p.name for p in ANSWERS.glob("*.tsv") if p.stem not in names)
    assert not orphans, f"answers without a query: {orphans}"


@pytest.mark.parametrize("path", QC, ids=[p.stem for p in QC])
def test_qc_violation_queries_match_nothing(path, store):
    rows = [
        " ".join(term.value if term is not None else "" for term in sol)
        for sol in store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
    ]
    assert not rows, f"{path.name}: {len(rows)} offenders:\n" + "\n".join(sorted(rows)[:20])


def test_project_prefixes_preloaded(store):
    result = run_query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?d a rjkg:SourceDocument }")
    assert int(next(iter(result))["n"].value) == 5


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_format_select(store, fmt):
    text = "SELECT ?d ?t WHERE { ?d a rjkg:SourceDocument ; dct:title ?t } ORDER BY ?d"
    out = format_result(run_query(store, text), fmt)
    if fmt == "json":
        assert len(json.loads(out)["results"]["bindings"]) == 5
    else:
        assert out.count("000_65615600f09a09cf") == 1


def test_format_construct_turtle(store):
    out = format_result(run_query(store, "CONSTRUCT WHERE { ?d a rjkg:SourceDocument }"), "turtle")
    assert out.count("SourceDocument") == 5


def _rjkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rjkg", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_cli_query_file_prints_question():
    r = _rjkg("query", "queries/posts-of-lavrov.rq")
    assert r.returncode == 0, r.stderr
    assert (
        r.stdout.splitlines()[0]
        == load_library(QUERIES)[[q.name for q in LIBRARY].index("posts-of-lavrov")].en
    )
    assert "Министр иностранных дел" in r.stdout


def test_cli_query_list():
    r = _rjkg("query", "--list")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.strip().splitlines()) == len(LIBRARY)


def test_cli_query_bad_sparql_is_a_clear_error():
    r = _rjkg("query", "SELECT WHERE {")
    assert r.returncode == 2
    assert "SPARQL syntax error" in r.stderr and "Traceback" not in r.stderr
