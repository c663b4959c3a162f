"""The OWL ontology: declarations, labels, references, OWL 2 RL consistency and the entailments the build relies on.

Each check returns a sorted offender list and asserts it is empty, so one failure names every offender.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from ontology_checks import (
    closed_file,
    declared_terms,
    duplicate_labels,
    label_offenders,
    load,
    node_shapes,
    own_terms,
    rl_closure,
    rl_errors,
    undeclared_terms,
    unresolved_references,
)
from rjkg import vocab
from rjkg.vocab import RJKG, SH

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "tests" / "shapes").glob("*/*.ttl"))
assert len(EXAMPLES) == 34, f"expected 34 shape examples (valid + invalid), found {len(EXAMPLES)}"
VANN = "http://purl.org/vocab/vann/"


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load(ROOT / "ontology" / "rjkg.ttl")


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load(ROOT / "ontology" / "shapes.ttl")


@pytest.fixture(scope="session")
def ontology_closure(ontology) -> Graph:
    return rl_closure(ontology)


# --- header ---------------------------------------------------------------------------------------------------


def test_header(ontology):
    onto = vocab.ONTOLOGY_IRI
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionIRI) == URIRef(str(onto) + "/0.1.0")
    assert ontology.value(onto, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(onto, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert ontology.value(onto, DCTERMS.creator) is not None
    assert {t.language for t in ontology.objects(onto, DCTERMS.title)} == {"en", "ru"}
    assert ontology.value(onto, DCTERMS.description) is not None
    assert ontology.value(onto, URIRef(VANN + "preferredNamespacePrefix")) == Literal("rjkg")
    assert ontology.value(onto, URIRef(VANN + "preferredNamespaceUri")) == Literal(str(RJKG))


def test_no_rdf_star(root):
    """rdflib (hence pyshacl) cannot read triple terms; the ontology and shapes stay plain RDF 1.1."""
    offenders = [p.name for p in (root / "ontology").glob("*.ttl") if "<<" in p.read_text(encoding="utf-8")]
    assert offenders == []


# --- declarations and labels ----------------------------------------------------------------------------------


def test_every_rjkg_term_has_one_en_and_one_ru_label_a_comment_and_is_defined_by(ontology):
    assert len(own_terms(ontology)) > 130
    assert label_offenders(ontology) == []


def test_labels_unique_per_language(ontology):
    assert duplicate_labels(ontology) == []


def test_external_terms_have_label_and_defined_by(ontology):
    offenders = sorted(
        str(t)
        for t in declared_terms(ontology)
        if not str(t).startswith(str(RJKG))
        and t != vocab.ONTOLOGY_IRI
        and (ontology.value(t, RDFS.label) is None or ontology.value(t, RDFS.isDefinedBy) is None)
    )
    assert offenders == []


def test_terms_used_in_ontology_are_declared(ontology):
    assert undeclared_terms(ontology, ontology) == []


def test_terms_used_in_shapes_are_declared(ontology, shapes):
    assert undeclared_terms(shapes, ontology) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[f"{p.parent.name}-{p.stem}" for p in EXAMPLES])
def test_terms_used_in_shape_examples_are_declared(path, ontology):
    assert undeclared_terms(load(path), ontology) == []


# Publication vocabularies of the meta graph (VoID, DCAT, SPDX, SPARQL-SD) describe the dataset, not its content.
META_NAMESPACES = (
    str(vocab.VOID),
    str(vocab.DCAT),
    str(vocab.SD),
    "http://spdx.org/rdf/terms#",
)


def test_terms_used_in_published_graph_are_declared(ontology, root):
    """Every term in the committed graph/ dump (all named graphs) is declared in the ontology."""
    dump = root / "graph" / "rjkg.trig"
    if not dump.is_file():
        pytest.skip("graph/rjkg.trig not built yet (run `rjkg build`)")
    ds = Dataset()
    ds.parse(dump, format="trig")
    flat = Graph()
    for s, p, o, _g in ds.quads():
        flat.add((s, p, o))
    assert len(flat) > 1000
    assert undeclared_terms(flat, ontology, ignore_namespaces=META_NAMESPACES) == []


CURIE = re.compile(r"(?<![\w/#])([a-z]+):([A-Za-z][A-Za-z0-9_]*(?:\|[A-Za-z][A-Za-z0-9_]*)*)")
VOCAB_PREFIXES = {
    "rjkg",
    "org",
    "prov",
    "time",
    "dct",
    "foaf",
    "skos",
    "skosxl",
    "schema",
    "sem",
    "oa",
    "eli",
}


def contract_terms(readme: str) -> set[URIRef]:
    """Every vocabulary CURIE in ontology/README.md (``rjkg:A|B|C`` expands to three terms)."""
    terms = set()
    for prefix, names in CURIE.findall(readme):
        if prefix in VOCAB_PREFIXES:
            terms |= {URIRef(vocab.PREFIXES[prefix] + n) for n in names.split("|")}
    return terms


def test_every_term_the_contract_names_is_declared(ontology, shapes, root):
    """Every CURIE ontology/README.md names is declared: a term of the ontology, or a shape of shapes.ttl."""
    readme = (root / "ontology" / "README.md").read_text(encoding="utf-8")
    terms = contract_terms(readme)
    assert len(terms) > 100
    assert sorted(str(t) for t in terms - declared_terms(ontology) - set(node_shapes(shapes))) == []


CLASS_GROUPS = [
    (vocab.ENTITY_TYPES, None),
    (vocab.EVENT_TYPES, RJKG.Event),
    (vocab.INSTRUMENT_TYPES, RJKG.Instrument),
    (vocab.INSTITUTION_TYPES, RJKG.Institution),
]


@pytest.mark.parametrize(
    "names, parent", CLASS_GROUPS, ids=["entities", "events", "instruments", "institutions"]
)
def test_vocab_classes_are_declared_under_their_parent(names, parent, ontology):
    offenders = []
    for name in names:
        cls = RJKG[name]
        if (cls, RDF.type, OWL.Class) not in ontology:
            offenders.append(f"{name}: not an owl:Class")
        if parent is not None and (cls, RDFS.subClassOf, parent) not in ontology:
            offenders.append(f"{name}: not rdfs:subClassOf {parent}")
    assert offenders == []


def test_entity_classes_are_actors_or_places(ontology_closure):
    actor_or_place = {RJKG.Actor, URIRef(vocab.SEM + "Place"), RJKG.Project}
    offenders = sorted(
        n
        for n in vocab.ENTITY_TYPES
        if not actor_or_place & set(ontology_closure.objects(RJKG[n], RDFS.subClassOf))
    )
    assert offenders == []


def test_status_and_genre_individuals(ontology):
    want = [(iri, RJKG.LifecycleStatus) for iri in vocab.INSTRUMENT_STATUS.values()]
    want += [(iri, RJKG.InstitutionStatus) for iri in vocab.INSTITUTION_STATUS.values()]
    want += [(RJKG[g], RJKG.Genre) for g in vocab.GENRES]
    assert sorted(f"{i} a {c}" for i, c in want if (i, RDF.type, c) not in ontology) == []


def test_shape_targets_classes_and_paths_are_declared(ontology, shapes):
    """sh:targetClass, sh:class, sh:path (also inside inverse/alternative paths), target predicates and sh:in IRIs."""
    declared = declared_terms(ontology) | {RDF.subject, RDF.predicate, RDF.object}
    used: set[URIRef] = set()
    for p in (SH.targetClass, SH["class"], SH.targetSubjectsOf, SH.targetObjectsOf):
        used |= {o for o in shapes.objects(None, p) if isinstance(o, URIRef)}
    for path in shapes.objects(None, SH.path):
        used |= _path_iris(shapes, path)
    for lst in shapes.objects(None, SH["in"]):
        used |= {x for x in shapes.items(lst) if isinstance(x, URIRef)}
    assert sorted(str(t) for t in used - declared) == []


def _path_iris(g: Graph, path) -> set[URIRef]:
    if isinstance(path, URIRef):
        return {path}
    out: set[URIRef] = set()
    for p in (SH.inversePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath):
        for sub in g.objects(path, p):
            out |= _path_iris(g, sub)
    for lst in g.objects(path, SH.alternativePath):
        for sub in g.items(lst):
            out |= _path_iris(g, sub)
    if g.value(path, RDF.first) is not None:  # a sequence path
        for sub in g.items(path):
            out |= _path_iris(g, sub)
    return out


def test_domains_ranges_superclasses_resolve(ontology):
    assert unresolved_references(ontology) == []


def test_named_individuals_link_without_cycles(ontology):
    """pyshacl's ont_graph mixing deep-clones every owl:NamedIndividual to depth 10: a cycle between individuals
    (e.g. skos:hasTopConcept next to skos:topConceptOf) made one validation take minutes."""
    individuals = set(ontology.subjects(RDF.type, OWL.NamedIndividual))
    edges = {
        i: {o for p, o in ontology.predicate_objects(i) if o in individuals and p != RDF.type}
        for i in individuals
    }
    cyclic = []
    for start in sorted(individuals):
        seen, todo = set(), list(edges[start])
        while todo:
            n = todo.pop()
            if n == start:
                cyclic.append(str(start))
                break
            if n not in seen:
                seen.add(n)
                todo.extend(edges.get(n, ()))
    assert cyclic == []


# --- OWL 2 RL -------------------------------------------------------------------------------------------------


def test_rl_closure_of_ontology_is_consistent(ontology_closure):
    assert rl_errors(ontology_closure) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[f"{p.parent.name}-{p.stem}" for p in EXAMPLES])
def test_rl_closure_of_ontology_and_example_is_consistent(path):
    assert rl_errors(closed_file(str(path), str(ROOT / "ontology" / "rjkg.ttl"))) == []


PREFIXES = vocab.sparql_prefixes().replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")

# (name, data in, triples the OWL RL closure must contain) — the axioms the build's reasoner materialises.
ENTAILMENTS = [
    (
        "prp_spo2_participant_is_actor",
        "event:e a rjkg:Meeting ; rjkg:participation part:p . part:p rjkg:participant person:kono .",
        "event:e sem:hasActor person:kono .",
    ),
    (
        "prp_spo2_holder_holds_post",
        "holding:h a rjkg:PostHolding ; org:member person:kono ; rjkg:post post:mid--ministr .",
        "person:kono org:holds post:mid--ministr . post:mid--ministr org:heldBy person:kono .",
    ),
    (
        "prp_inv_governed_by",
        "instr:m a rjkg:Memorandum ; rjkg:governs inst:c .",
        "inst:c rjkg:governedBy instr:m .",
    ),
    (
        "prp_inv_terminates",
        "instr:m rjkg:terminatedByInstrument instr:o .",
        "instr:o rjkg:terminates instr:m . instr:o eli:changes instr:m . instr:m eli:changed_by instr:o .",
    ),
    (
        "cax_sco_event_chain",
        "event:e a rjkg:Termination .",
        "event:e a rjkg:Event , sem:Event , prov:Activity .",
    ),
    (
        "cax_sco_memorandum_is_legal_resource",
        "instr:m a rjkg:Memorandum .",
        "instr:m a rjkg:Instrument , eli:LegalResource , prov:Entity .",
    ),
    (
        "cax_sco_statement_is_event_not_rjkg_event",
        "stmt:s a rjkg:Statement ; rjkg:speaker person:kono .",
        "stmt:s a sem:Event , prov:Entity . stmt:s sem:hasActor person:kono . person:kono a rjkg:Actor .",
    ),
    (
        "prp_spo1_evidence_is_derivation",
        "event:e rjkg:evidence span:d-1-2 . person:kono rjkg:mentionedIn doc:d .",
        "event:e prov:wasDerivedFrom span:d-1-2 . doc:d dct:isReferencedBy person:kono .".replace(
            "doc:d dct:isReferencedBy person:kono", "person:kono dct:isReferencedBy doc:d"
        ),
    ),
    (
        "prp_rng_party_is_actor",
        "instr:m rjkg:party place:khabarovsk .",
        "place:khabarovsk a rjkg:Actor , sem:Actor , prov:Agent .",
    ),
]


@pytest.mark.parametrize("name, data, expected", ENTAILMENTS, ids=[e[0] for e in ENTAILMENTS])
def test_entailment(name, data, expected, ontology):
    closed = rl_closure(Graph().parse(data=PREFIXES + data, format="turtle"), ontology)
    want = Graph().parse(data=PREFIXES + expected, format="turtle")
    assert sorted(f"{s} {p} {o}" for s, p, o in want if (s, p, o) not in closed) == []
    assert rl_errors(closed) == []


# (name, data in) — each must make the OWL RL closure inconsistent: the kinds the ontology keeps apart.
INCONSISTENCIES = [
    ("cax_dw_person_is_not_an_organisation", "person:x a rjkg:Person , rjkg:GovernmentBody ."),
    ("cax_adc_statement_is_not_an_event", "stmt:s a rjkg:Statement , rjkg:Meeting ."),
    ("cax_adc_instrument_is_not_an_institution", "instr:i a rjkg:Agreement , rjkg:CenterOrFund ."),
    ("prp_rng_signatory_must_be_a_person", "state:japan a rjkg:State . instr:m rjkg:signatory state:japan ."),
]


@pytest.mark.parametrize("name, data", INCONSISTENCIES, ids=[e[0] for e in INCONSISTENCIES])
def test_inconsistency_is_detected(name, data, ontology):
    closed = rl_closure(Graph().parse(data=PREFIXES + data, format="turtle"), ontology)
    assert rl_errors(closed) != []
