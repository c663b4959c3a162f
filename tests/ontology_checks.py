"""Reusable checks on the ontology, the shapes and any rjkg graph (used by test_ontology.py and test_shapes.py).

The functions return sorted offender lists so a test reads ``assert offenders == []`` and a failure names every
offender at once (schema.org style "assert no match").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import owlrl
from owlrl.Namespaces import ERRNS
from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import _toPythonMapping

from rjkg.vocab import RJKG, SH

VANN = "http://purl.org/vocab/vann/"
# Namespaces whose terms need no declaration: the languages the ontology and shapes are written in.
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD), str(SH))
# Vocabulary namespaces: every IRI in one of these is a term (wherever it appears) and must be declared.
# Resource IRIs (https://w3id.org/rjkg/id/…), graphs and Wikidata entities are data, not terms.
VOCAB_NAMESPACES = (
    str(RJKG),
    "http://purl.org/dc/terms/",
    VANN,
    "http://xmlns.com/foaf/0.1/",
    "http://www.w3.org/ns/org#",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2006/time#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://www.w3.org/2008/05/skos-xl#",
    "https://schema.org/",
    "http://schema.org/",
    "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "http://www.w3.org/ns/oa#",
    "http://data.europa.eu/eli/ontology#",
)
DECLARATION_TYPES = (
    OWL.Class,
    RDFS.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
    OWL.NamedIndividual,
    OWL.Ontology,
)
SHAPE_TYPES = (SH.NodeShape, SH.PropertyShape)


def load(path: Path | str) -> Graph:
    return Graph().parse(str(path))


def declared_terms(ontology: Graph) -> set[URIRef]:
    """IRIs the ontology declares: typed as a class, property, individual or the ontology itself."""
    return {s for t in DECLARATION_TYPES for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)}


def used_terms(graph: Graph, *, vocab_namespaces: Iterable[str] = VOCAB_NAMESPACES) -> set[URIRef]:
    """Terms a graph uses: every predicate, every rdf:type object, every IRI in a vocabulary namespace."""
    vocab = tuple(vocab_namespaces)
    terms: set[URIRef] = set()
    for s, p, o in graph:
        terms.add(p)  # type: ignore[arg-type]
        if p == RDF.type and isinstance(o, URIRef):
            terms.add(o)
        for node in (s, o):
            # a namespace IRI itself (rdfs:isDefinedBy dct:) names the vocabulary, not a term
            if isinstance(node, URIRef) and str(node).startswith(vocab) and str(node) not in vocab:
                terms.add(node)
    return terms


def undeclared_terms(graph: Graph, ontology: Graph, *, ignore_namespaces: Iterable[str] = ()) -> list[str]:
    """Sorted terms used in ``graph`` that neither ``ontology`` nor ``graph`` itself declares.

    Built-in namespaces (RDF, RDFS, OWL, XSD, SHACL) are allowed; shapes declared in ``graph`` (sh:NodeShape,
    sh:PropertyShape) count as declared there. ``ignore_namespaces`` lets a caller allow extra publication
    vocabularies (VoID, DCAT) that are outside the ontology on purpose.
    """
    allowed = BUILTIN_NAMESPACES + tuple(ignore_namespaces)
    declared = declared_terms(ontology) | declared_terms(graph)
    declared |= {s for t in SHAPE_TYPES for s in graph.subjects(RDF.type, t) if isinstance(s, URIRef)}
    return sorted(str(t) for t in used_terms(graph) if t not in declared and not str(t).startswith(allowed))


def own_terms(ontology: Graph) -> list[URIRef]:
    """Every rjkg: term the ontology declares, sorted."""
    return sorted(t for t in declared_terms(ontology) if str(t).startswith(str(RJKG)))


def label_offenders(ontology: Graph) -> list[str]:
    """rjkg terms without exactly one rdfs:label @en and one @ru, an rdfs:comment @en and rdfs:isDefinedBy."""
    onto_iri = next(ontology.subjects(RDF.type, OWL.Ontology))
    out = []
    for t in own_terms(ontology):
        labels = list(ontology.objects(t, RDFS.label))
        for lang in ("en", "ru"):
            n = sum(1 for x in labels if isinstance(x, Literal) and x.language == lang)
            if n != 1:
                out.append(f"{t}: {n} rdfs:label @{lang}")
        if len(labels) != 2:
            out.append(f"{t}: {len(labels)} rdfs:label values (want exactly en + ru)")
        comments = [
            c for c in ontology.objects(t, RDFS.comment) if isinstance(c, Literal) and c.language == "en"
        ]
        if len(comments) != 1:
            out.append(f"{t}: {len(comments)} rdfs:comment @en")
        if (t, RDFS.isDefinedBy, onto_iri) not in ontology:
            out.append(f"{t}: no rdfs:isDefinedBy {onto_iri}")
    return sorted(out)


def duplicate_labels(ontology: Graph) -> list[str]:
    """rdfs:label values used by two rjkg terms in the same language (case-insensitive). Reused terms keep the
    labels of their own vocabularies (rjkg:Person and foaf:Person are both "person")."""
    seen: dict[tuple[str, str], set[str]] = {}
    for t in own_terms(ontology):
        for lab in ontology.objects(t, RDFS.label):
            if isinstance(lab, Literal):
                seen.setdefault((str(lab).casefold(), lab.language or ""), set()).add(str(t))
    return sorted(f"{lab!r}@{lang}: {sorted(ts)}" for (lab, lang), ts in seen.items() if len(ts) > 1)


def unresolved_references(ontology: Graph) -> list[str]:
    """Domains, ranges, superclasses, superproperties, inverses and chain members that are not declared."""
    declared = declared_terms(ontology)
    builtin = {RDFS.Literal, RDF.langString, OWL.Thing, RDF.Statement}
    out = []
    for p in (RDFS.domain, RDFS.range, RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, OWL.disjointWith):
        for s, o in ontology.subject_objects(p):
            if (
                isinstance(o, URIRef)
                and o not in declared
                and o not in builtin
                and not str(o).startswith(str(XSD))
            ):
                out.append(f"{s} {ontology.qname(p)} {o}")
    for p in (OWL.propertyChainAxiom, OWL.members):
        for s, lst in ontology.subject_objects(p):
            for member in ontology.items(lst):
                if member not in declared:
                    out.append(f"{s} {ontology.qname(p)} … {member}")
    return sorted(out)


# owlrl installs its own lexical converters for xsd:gMonth/gDay/gMonthDay and never removes them: they reject the
# valid XSD forms "--09" and "---02" (owlrl 7.6.2 DatatypeHandling), so after any closure in a process rdflib marks
# such literals ill-typed and pyshacl's sh:datatype fails. rdflib itself has no converter for these three.
_OWLRL_ONLY_DATATYPES = (XSD.gMonth, XSD.gDay, XSD.gMonthDay)


def _drop_owlrl_converters(graph: Graph) -> None:
    """Remove owlrl's leftover converters and re-create the literals they marked ill-typed."""
    for dt in _OWLRL_ONLY_DATATYPES:
        fn = _toPythonMapping.get(dt)
        if fn is not None and fn.__module__.startswith("owlrl"):
            del _toPythonMapping[dt]
    for s, p, o in list(graph):
        if isinstance(o, Literal) and o.datatype in _OWLRL_ONLY_DATATYPES and o.ill_typed:
            graph.remove((s, p, o))
            graph.add((s, p, Literal(str(o), datatype=o.datatype)))


def rl_closure(*graphs: Graph) -> Graph:
    """A new graph: the union of ``graphs`` closed under OWL 2 RL (owlrl), as the build's inferred layer."""
    g = Graph()
    for x in graphs:
        g += x
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    _drop_owlrl_converters(g)
    return g


def rl_errors(graph: Graph) -> list[str]:
    """owlrl reports an inconsistency as triples in the graph (ERRNS.error), not as an exception."""
    return sorted(str(m) for m in graph.objects(None, ERRNS.error))


@functools.cache
def load_cached(path: str) -> Graph:
    """Parse once per session; callers must not modify the returned graph."""
    return load(path)


@functools.cache
def closed_file(path: str, ontology_path: str) -> Graph:
    """OWL RL closure of one example file with the ontology, once per session (shared by the test modules);
    callers must not modify the returned graph."""
    return rl_closure(load_cached(path), load_cached(ontology_path))


def validate_graph(closed: Graph, shapes: Graph) -> Graph:
    """pyshacl with inference="none" on an already closed graph; returns the report graph."""
    _conforms, report, _text = validate(closed, shacl_graph=shapes, inference="none")
    return report


def validate_closed(data: Graph, ontology: Graph, shapes: Graph) -> Graph:
    """Validate as the build does: OWL RL closure of data + ontology, then pyshacl with inference="none".

    The closure already contains the ontology, so it is not passed again as ``ont_graph`` (pyshacl would clone
    and re-mix it for nothing). Returns the validation report graph.
    """
    closed = rl_closure(data, ontology)
    _conforms, report, _text = validate(closed, shacl_graph=shapes, inference="none")
    return report


def node_shape_of(shape: URIRef | BNode, shapes: Graph) -> URIRef | BNode:
    """The node shape a result belongs to: the shape itself, or the node shape whose sh:property it is."""
    if (shape, RDF.type, SH.NodeShape) in shapes:
        return shape
    parents = list(shapes.subjects(SH.property, shape))
    return node_shape_of(parents[0], shapes) if parents else shape


def failing_shapes(report: Graph, shapes: Graph) -> dict[str, set[str]]:
    """{shape CURIE: {severity local names}} for every result in a SHACL validation report."""
    out: dict[str, set[str]] = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = node_shape_of(report.value(r, SH.sourceShape), shapes)  # type: ignore[arg-type]
        severity = str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]
        out.setdefault(curie(shape), set()).add(severity)
    return out


def describe_results(report: Graph) -> str:
    """One line per result (focus, path, message), for assertion messages."""
    lines = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        lines.append(
            f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: {report.value(r, SH.resultMessage)}"
        )
    return "\n".join(sorted(lines))


def curie(node) -> str:
    s = str(node)
    return "rjkg:" + s[len(str(RJKG)) :] if s.startswith(str(RJKG)) else s


def node_shapes(shapes: Graph) -> list[URIRef]:
    return sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


def focus_nodes(shape: URIRef, shapes: Graph, data: Graph) -> set:
    """The focus nodes of a node shape's targets in ``data`` (class targets follow rdfs:subClassOf*)."""
    nodes: set = set(shapes.objects(shape, SH.targetNode))
    for cls in shapes.objects(shape, SH.targetClass):
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes |= set(data.subjects(RDF.type, sub))
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(p, None))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes |= set(data.objects(None, p))
    return nodes


EXPECT = re.compile(r"^#\s*expect:\s*(.+)$", re.MULTILINE)


def expected_shapes(path: Path) -> set[str]:
    """Shapes named in the file's ``# expect: rjkg:AShape rjkg:BShape`` header lines."""
    return {name for line in EXPECT.findall(path.read_text(encoding="utf-8")) for name in line.split()}
