"""The ontology as data for its documentation page, read from ontology/rjkg.ttl and shapes.ttl with rdflib.

Documentation is derived from the ontology files only (never kept by hand elsewhere). The same model gives the
other pages class labels and the subclass closure, so they can show an entity's most specific type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from rjkg.errors import InputError
from rjkg.vocab import PREFIXES, SH


def curie(iri: str) -> str:
    """Shortest prefixed name for an IRI using the project's prefixes.

    >>> curie("https://w3id.org/rjkg/ontology#Person")
    'rjkg:Person'
    """
    best = None
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = p
    if best is None:
        return iri
    return f"{best}:{iri[len(PREFIXES[best]) :]}"


def anchor_of(iri: str) -> str:
    """HTML id for a term: the local name for rjkg terms (so …/ontology#Person lands on it), else prefix-name.

    >>> anchor_of("https://w3id.org/rjkg/ontology#Person"), anchor_of("http://xmlns.com/foaf/0.1/Person")
    ('Person', 'foaf-Person')
    """
    if iri.startswith(PREFIXES["rjkg"]):
        return iri[len(PREFIXES["rjkg"]) :]
    return re.sub(r"[^A-Za-z0-9_.-]", "-", curie(iri))


@dataclass
class Constraint:
    shape: str
    path: str
    text: str  # human summary: "1..1, datatype xsd:string"


@dataclass
class Term:
    iri: str
    kind: str  # class | object property | datatype property | annotation property | property | individual
    labels: dict[str, str] = field(default_factory=dict)  # lang -> label
    comments: dict[str, str] = field(default_factory=dict)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    supers: list[str] = field(default_factory=list)
    subs: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # for individuals
    shapes: list[str] = field(default_factory=list)  # node shapes targeting the class
    constraints: list[Constraint] = field(
        default_factory=list
    )  # property constraints (on a class or a property)

    @property
    def curie(self) -> str:
        return curie(self.iri)

    @property
    def anchor(self) -> str:
        return anchor_of(self.iri)


@dataclass
class OntologyModel:
    """Classes, properties and individuals, each sorted by prefixed name."""

    classes: list[Term]
    properties: list[Term]
    individuals: list[Term]
    supers_closure: dict[str, set[str]]  # class -> all its (named) superclasses, itself excluded
    ontology_iri: str | None = None
    title: dict[str, str] = field(default_factory=dict)
    version: str | None = None

    def term(self, iri: str) -> Term | None:
        for t in (*self.classes, *self.properties, *self.individuals):
            if t.iri == iri:
                return t
        return None

    def most_specific(self, classes: list[str]) -> list[str]:
        """Drop every class that is a superclass of another one in the list."""
        cs = set(classes)
        return sorted(c for c in cs if not any(c in self.supers_closure.get(o, ()) for o in cs if o != c))

    def label(self, iri: str, lang: str = "en") -> str:
        t = self.term(iri)
        if t and t.labels:
            return t.labels.get(lang) or t.labels.get("en") or next(iter(t.labels.values()))
        return curie(iri)


PROPERTY_KINDS = {
    OWL.ObjectProperty: "object property",
    OWL.DatatypeProperty: "datatype property",
    OWL.AnnotationProperty: "annotation property",
    RDF.Property: "property",
}


def _lang_map(g: Graph, s, preds) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in preds:
        for o in g.objects(s, p):
            if isinstance(o, Literal):
                out.setdefault(o.language or "", str(o))
    return out


def _class_expr(g: Graph, node) -> list[str]:
    """Named IRIs of a class expression: an IRI, or the members of owl:unionOf; else a short description."""
    if isinstance(node, URIRef):
        return [str(node)]
    if isinstance(node, BNode):
        for p in (OWL.unionOf, OWL.intersectionOf, OWL.oneOf):
            lst = g.value(node, p)
            if lst is not None:
                return [str(x) if isinstance(x, URIRef) else "(…)" for x in Collection(g, lst)]
        prop = g.value(node, OWL.onProperty)
        if prop is not None:
            return [f"restriction on {curie(str(prop))}"]
    return []


def _constraint_text(g: Graph, ps) -> str:
    bits = []
    lo, hi = g.value(ps, SH.minCount), g.value(ps, SH.maxCount)
    if lo is not None or hi is not None:
        bits.append(f"{lo if lo is not None else 0}..{hi if hi is not None else '*'}")
    for p, name in ((SH.datatype, "datatype"), (SH["class"], "class"), (SH.nodeKind, "node kind")):
        for o in g.objects(ps, p):
            bits.append(f"{name} {curie(str(o))}")
    for p, name in ((SH.pattern, "pattern"), (SH.minInclusive, "≥"), (SH.maxInclusive, "≤")):
        for o in g.objects(ps, p):
            bits.append(f"{name} {o}")
    lst = g.value(ps, SH["in"])
    if lst is not None:
        bits.append("in {" + ", ".join(curie(str(x)) for x in Collection(g, lst)) + "}")
    if g.value(ps, SH.severity) is not None:
        bits.append(f"severity {curie(str(g.value(ps, SH.severity)))}")
    return ", ".join(bits) or "—"


def _path_text(g: Graph, path) -> str:
    if isinstance(path, URIRef):
        return str(path)
    inv = g.value(path, SH.inversePath)
    if inv is not None:
        return f"^{curie(str(inv))}"
    if g.value(path, RDF.first) is not None:
        return "/".join(curie(str(x)) for x in Collection(g, path))
    return "(complex path)"


def _parse(path: Path, what: str) -> Graph:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as err:  # rdflib raises many types for bad Turtle
        raise InputError(
            f"cannot read the {what}: {err}",
            where=str(path),
            hint="fix the Turtle syntax (rdflib reports the line)",
        ) from None
    return g


def load_ontology(ontology_file: Path, shapes_file: Path | None = None) -> OntologyModel:
    """Read the ontology (and shapes, when present) into a documentation model."""
    g = _parse(ontology_file, "ontology")
    sg = _parse(shapes_file, "shapes") if shapes_file and shapes_file.is_file() else Graph()

    class_iris = {s for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    class_iris |= {s for s in g.subjects(RDF.type, RDFS.Class) if isinstance(s, URIRef)}
    prop_kind: dict[URIRef, str] = {}
    for t, kind in PROPERTY_KINDS.items():
        for s in g.subjects(RDF.type, t):
            if isinstance(s, URIRef):
                prop_kind.setdefault(s, kind)
    indiv = {s for s in g.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)}
    for s, o in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and o in class_iris:
            indiv.add(s)
    indiv -= class_iris | set(prop_kind)

    def term(s: URIRef, kind: str) -> Term:
        t = Term(str(s), kind)
        t.labels = _lang_map(g, s, (RDFS.label, SKOS.prefLabel))
        t.comments = _lang_map(g, s, (RDFS.comment, SKOS.definition))
        return t

    supers: dict[str, set[str]] = {}
    classes = []
    for c in class_iris:
        t = term(c, "class")
        for o in g.objects(c, RDFS.subClassOf):
            t.supers += _class_expr(g, o)
        for o in g.objects(c, OWL.equivalentClass):
            t.supers += [f"≡ {x}" if not x.startswith("http") else x for x in _class_expr(g, o)]
        t.subs = sorted(str(s) for s in g.subjects(RDFS.subClassOf, c) if isinstance(s, URIRef))
        supers[str(c)] = {str(o) for o in g.transitive_objects(c, RDFS.subClassOf) if isinstance(o, URIRef)}
        supers[str(c)].discard(str(c))
        classes.append(t)
    props = []
    for p, kind in prop_kind.items():
        t = term(p, kind)
        for o in g.objects(p, RDFS.domain):
            t.domain += _class_expr(g, o)
        for o in g.objects(p, RDFS.range):
            t.range += _class_expr(g, o)
        t.supers = sorted(str(o) for o in g.objects(p, RDFS.subPropertyOf) if isinstance(o, URIRef))
        t.subs = sorted(str(s) for s in g.subjects(RDFS.subPropertyOf, p) if isinstance(s, URIRef))
        inv = g.value(p, OWL.inverseOf)
        if inv is not None:
            t.supers.append(f"inverse of {curie(str(inv))}")
        props.append(t)
    individuals = []
    for i in indiv:
        t = term(i, "individual")
        t.types = sorted(str(o) for o in g.objects(i, RDF.type) if o != OWL.NamedIndividual)
        individuals.append(t)

    by_iri = {t.iri: t for t in (*classes, *props)}
    for shape in set(sg.subjects(SH.targetClass, None)) | set(sg.subjects(RDF.type, SH.NodeShape)):
        targets = [str(o) for o in sg.objects(shape, SH.targetClass)]
        if (shape, RDF.type, OWL.Class) in g or (shape, RDF.type, RDFS.Class) in g:
            targets.append(str(shape))  # implicit class target
        name = curie(str(shape)) if isinstance(shape, URIRef) else "(anonymous shape)"
        for tgt in targets:
            if tgt in by_iri:
                by_iri[tgt].shapes.append(name)
        for ps in sg.objects(shape, SH.property):
            path = sg.value(ps, SH.path)
            if path is None:
                continue
            ptext = _path_text(sg, path)
            c = Constraint(name, curie(ptext), _constraint_text(sg, ps))
            for tgt in targets:
                if tgt in by_iri:
                    by_iri[tgt].constraints.append(c)
            if ptext in by_iri:
                by_iri[ptext].constraints.append(c)

    onto = next((s for s in g.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef)), None)
    model = OntologyModel(
        classes=sorted(classes, key=lambda t: t.curie),
        properties=sorted(props, key=lambda t: t.curie),
        individuals=sorted(individuals, key=lambda t: t.curie),
        supers_closure=supers,
        ontology_iri=str(onto) if onto else None,
    )
    if onto is not None:
        model.title = _lang_map(g, onto, (DCTERMS.title, RDFS.label))
        v = g.value(onto, OWL.versionInfo)
        model.version = str(v) if v is not None else None
    return model
