"""`rjkg validate`: exit codes, reports (text, Turtle, JSON, JUnit XML), syntax errors with line and column.

Most cases run the real command line in-process (typer's CliRunner) against the test shapes in
tests/fixtures/build/ontology; one test checks every invalid example of the real shapes (tests/shapes/invalid).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import rdflib
from typer.testing import CliRunner

from rjkg import config
from rjkg.cli import app

TESTS = Path(__file__).resolve().parent
FIX = TESTS / "fixtures" / "validate"
BUILD_FIX = TESTS / "fixtures" / "build"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

CASES = {  # file -> expected exit code
    "valid.ttl": 0,
    "valid.jsonld": 0,
    "dataset.trig": 0,
    "warning_only.ttl": 0,
    "invalid.ttl": 1,
    "syntax_error.ttl": 2,
    "broken.jsonld": 2,
}


def test_every_fixture_has_a_case():
    found = sorted(p.name for p in FIX.iterdir() if p.is_file())
    assert len(found) == 7
    assert found == sorted(CASES)


@pytest.fixture
def test_shapes(monkeypatch):
    monkeypatch.setattr(config, "SHAPES_FILE", BUILD_FIX / "ontology" / "shapes.ttl")
    monkeypatch.setattr(config, "ONTOLOGY_FILE", BUILD_FIX / "ontology" / "rjkg.ttl")


def invoke(*args: str):
    return CliRunner().invoke(app, ["validate", *args], catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_exit_code(test_shapes, name):
    result = invoke(str(FIX / name))
    assert result.exit_code == CASES[name], result.output
    assert "Traceback" not in result.output


def expected_shapes(path: Path) -> set[str]:
    m = re.search(r"^# expect: (.+)$", path.read_text(encoding="utf-8"), re.M)
    assert m, f"{path} has no '# expect:' line"
    return set(m.group(1).split())


def test_text_report_groups_by_shape_and_focus(test_shapes):
    result = invoke(str(FIX / "invalid.ttl"))
    out = result.output
    assert result.exit_code == 1
    assert "does NOT conform" in out
    assert "rjkg:PersonShape: 1 violation(s)" in out
    assert "  person:nameless" in out
    assert "A person needs a skos:prefLabel in Russian." in out
    assert "rjkg:ActorShape" in out and "value person:kono-taro" in out


def test_warnings_fail_only_with_strict(test_shapes):
    assert invoke(str(FIX / "warning_only.ttl")).exit_code == 0
    strict = invoke("--strict", str(FIX / "warning_only.ttl"))
    assert strict.exit_code == 1
    assert "A person should have an alternative label." in strict.output


def test_syntax_error_names_line_and_column(test_shapes):
    result = CliRunner().invoke(app, ["validate", str(FIX / "syntax_error.ttl")])
    assert result.exit_code == 2
    assert f"{FIX / 'syntax_error.ttl'}:5:" in result.output
    assert "syntax error" in result.output


def test_jsonld_syntax_error_names_line_and_column(test_shapes):
    result = CliRunner().invoke(app, ["validate", str(FIX / "broken.jsonld")])
    assert result.exit_code == 2
    assert f"{FIX / 'broken.jsonld'}:2:11:" in result.output


def test_unreadable_and_unknown_files_are_input_errors(test_shapes, tmp_path):
    missing = CliRunner().invoke(app, ["validate", str(tmp_path / "nope.ttl")])
    assert missing.exit_code == 2 and "no such file" in missing.output
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    unknown = CliRunner().invoke(app, ["validate", str(odd)])
    assert unknown.exit_code == 2 and "extension" in unknown.output
    both = CliRunner().invoke(app, ["validate", "--graph", str(tmp_path), str(FIX / "valid.ttl")])
    assert both.exit_code == 2
    fmt = CliRunner().invoke(app, ["validate", "--format", "xml", str(FIX / "valid.ttl")])
    assert fmt.exit_code == 2 and "--format" in fmt.output


def test_turtle_output_is_the_shacl_validation_report(test_shapes):
    result = invoke("--format", "turtle", str(FIX / "invalid.ttl"))
    g = rdflib.Graph().parse(data=result.output, format="turtle")
    report = next(g.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms) == rdflib.Literal(False)
    assert len(list(g.subjects(rdflib.RDF.type, SH.ValidationResult))) == 2


def test_json_output_for_machines(test_shapes):
    result = invoke("--format", "json", str(FIX / "invalid.ttl"))
    data = json.loads(result.output)
    assert data["conforms"] is False and data["violations"] == 2
    assert {r["shape"] for r in data["results"] if r["severity"] == "Violation"} == expected_shapes(
        FIX / "invalid.ttl"
    )
    assert {"focus", "path", "value", "message", "component"} <= set(data["results"][0])


def test_junit_lists_failing_shapes(test_shapes, tmp_path):
    junit = tmp_path / "shacl.xml"
    result = invoke("--junit", str(junit), str(FIX / "invalid.ttl"))
    assert result.exit_code == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {"rjkg:PersonShape", "rjkg:PersonEnglishShape", "rjkg:ActorShape"}
    failing = {name for name, c in cases.items() if c.find("failure") is not None}
    assert failing == expected_shapes(FIX / "invalid.ttl")
    assert suite.get("tests") == "3" and suite.get("failures") == "2"


def test_graph_folder(test_shapes, tmp_path):
    """--graph validates data + inferred of a built folder (here: the dataset fixture as rjkg.nq)."""
    import pyoxigraph as ox

    quads = ox.parse(path=str(FIX / "dataset.trig"), format=ox.RdfFormat.TRIG)
    (tmp_path / "rjkg.nq").write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    assert invoke("--graph", str(tmp_path)).exit_code == 0
    missing = CliRunner().invoke(app, ["validate", "--graph", str(tmp_path / "none")])
    assert missing.exit_code == 2


# ---------------------------------------------------------------- the real shapes


INVALID = sorted((TESTS / "shapes" / "invalid").glob("*.ttl"))


@pytest.mark.slow
def test_real_shapes_reject_every_invalid_example(tmp_path):
    """Each tests/shapes/invalid example exits 1 with --strict (some expect only a warning) and its JUnit report
    fails the shape(s) it expects."""
    assert len(INVALID) >= 5, f"expected the ontology's invalid examples, found {len(INVALID)}"
    wrong = []
    for path in INVALID:
        junit = tmp_path / (path.stem + ".xml")
        result = CliRunner().invoke(app, ["validate", "--strict", "--junit", str(junit), str(path)])
        if result.exit_code != 1:
            wrong.append(f"{path.name}: exit {result.exit_code}")
            continue
        suite = ET.parse(junit).getroot().find("testsuite")
        failing = {c.get("name") for c in suite.iter("testcase") if c.find("failure") is not None}
        missing = expected_shapes(path) - failing
        if missing:
            wrong.append(f"{path.name}: {sorted(missing)} not failing (failing: {sorted(failing)})")
    assert not wrong, "\n".join(wrong)
