"""The SHACL shapes, run on example graphs as the build runs them (OWL RL closure, then pyshacl inference="none").

tests/shapes/valid/*.ttl must produce no result at all (neither violation nor warning); each
tests/shapes/invalid/*.ttl names in a ``# expect: rjkg:XShape …`` header the exact set of node shapes that report
on it (and ``# severity: Warning`` when every result must be a warning).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import RDFS

from ontology_checks import (
    closed_file,
    curie,
    describe_results,
    expected_shapes,
    failing_shapes,
    focus_nodes,
    load,
    node_shapes,
    validate_graph,
)
from rjkg.vocab import SH

HERE = Path(__file__).parent / "shapes"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))
assert len(VALID) == 2, f"expected 2 valid shape examples, found {len(VALID)}"
assert len(INVALID) == 32, f"expected 32 invalid shape examples, found {len(INVALID)}"


@pytest.fixture(scope="session")
def ontology(root) -> Graph:
    return load(root / "ontology" / "rjkg.ttl")


@pytest.fixture(scope="session")
def shapes(root) -> Graph:
    return load(root / "ontology" / "shapes.ttl")


ONTOLOGY_PATH = str(Path(__file__).parents[1] / "ontology" / "rjkg.ttl")


def closed(path: Path) -> Graph:
    return closed_file(str(path), ONTOLOGY_PATH)


@pytest.fixture(scope="session")
def closed_valid() -> dict[str, Graph]:
    """Each valid example closed under OWL RL with the ontology (cached across modules)."""
    return {p.name: closed(p) for p in VALID}


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_example_conforms(path, shapes):
    report = validate_graph(closed(path), shapes)
    assert failing_shapes(report, shapes) == {}, describe_results(report)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_fails_with_expected_shapes(path, shapes):
    expected = expected_shapes(path)
    assert expected, f"{path.name}: no '# expect: rjkg:XShape' header"
    report = validate_graph(closed(path), shapes)
    found = failing_shapes(report, shapes)
    assert set(found) == expected, describe_results(report)
    if "# severity: Warning" in path.read_text(encoding="utf-8"):
        assert all(sev == {"Warning"} for sev in found.values()), describe_results(report)
    else:
        assert any("Violation" in sev for sev in found.values()), describe_results(report)


def test_every_shape_has_an_invalid_example(shapes):
    covered = set().union(*(expected_shapes(p) for p in INVALID))
    missing = sorted(curie(s) for s in node_shapes(shapes) if curie(s) not in covered)
    assert missing == []


def test_invalid_examples_name_only_existing_shapes(shapes):
    known = {curie(s) for s in node_shapes(shapes)}
    unknown = sorted(f"{p.name}: {n}" for p in INVALID for n in expected_shapes(p) if n not in known)
    assert unknown == []


def test_every_shape_is_exercised_by_a_valid_example(shapes, closed_valid):
    idle = sorted(
        curie(s)
        for s in node_shapes(shapes)
        if not any(focus_nodes(s, shapes, g) for g in closed_valid.values())
    )
    assert idle == []


def test_every_shape_is_documented(shapes):
    """Each node shape says why (rdfs:comment) and what to fix (sh:message); each property shape has a message."""
    offenders = [
        f"{curie(s)}: no rdfs:comment" for s in node_shapes(shapes) if not shapes.value(s, RDFS.comment)
    ]
    offenders += [
        f"{curie(s)}: no sh:message" for s in node_shapes(shapes) if not shapes.value(s, SH.message)
    ]
    for s in node_shapes(shapes):
        for ps in shapes.objects(s, SH.property):
            if shapes.value(ps, SH.message) is None:
                offenders.append(
                    f"{curie(s)}: property shape on {shapes.value(ps, SH.path)} has no sh:message"
                )
    assert sorted(offenders) == []


def test_every_class_shape_pins_the_iri_pattern(shapes, ontology):
    """Each class target is covered by a shape with sh:nodeKind sh:IRI and an sh:pattern under /id/ (the shape
    itself or the shape of an rjkg superclass, e.g. MemorandumShape relies on InstrumentShape)."""
    pinned = {
        cls
        for s in node_shapes(shapes)
        if str(shapes.value(s, SH.pattern)).startswith(r"^https://w3id\.org/rjkg/id/")
        and (s, SH.nodeKind, SH.IRI) in shapes
        for cls in shapes.objects(s, SH.targetClass)
    }
    unpinned = sorted(
        f"{curie(s)} → {curie(cls)}"
        for s in node_shapes(shapes)
        for cls in shapes.objects(s, SH.targetClass)
        if not pinned & set(ontology.transitive_objects(cls, RDFS.subClassOf))
    )
    assert unpinned == []


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_examples_have_no_blank_nodes(path):
    """The data has no blank nodes (ontology/README.md), so the examples have none either."""
    g = load(path)
    assert sorted(str(n) for t in g for n in t if isinstance(n, BNode)) == []
