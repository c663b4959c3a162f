"""OWL 2 RL materialisation (rjkg.reason): named entailments on small graphs, and owlrl as the oracle on the seeds.

Each rule test loads a tiny ontology + data into a pyoxigraph store, runs `materialise`, and checks one entailment
by name (and that nothing is written outside the inferred graph, and no tautology is kept).
"""

from __future__ import annotations

from pathlib import Path

import owlrl
import pyoxigraph as ox
import pytest
import rdflib

from rjkg import reason, store
from rjkg.vocab import G_INFERRED, G_META, G_ONTOLOGY, ID, doc_graph

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graph"
EX = "http://example.org/"
PREFIXES = f"""@prefix ex: <{EX}> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""
INF = ox.NamedNode(str(G_INFERRED))
DATA = ox.NamedNode(str(doc_graph("t")))


def run(ontology: str, data: str) -> ox.Store:
    st = ox.Store()
    st.load(
        (PREFIXES + ontology).encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(G_ONTOLOGY))
    )
    st.load((PREFIXES + data).encode(), format=ox.RdfFormat.TURTLE, to_graph=DATA)
    reason.materialise(st)
    return st


def inferred(st: ox.Store) -> set[tuple[str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in st.quads_for_pattern(None, None, None, INF)
    }


def ex(local: str) -> str:
    return EX + local


TYPE = str(rdflib.RDF.type)


def test_cax_sco_types_with_every_superclass_transitively():
    st = run(
        "ex:State rdfs:subClassOf ex:Actor . ex:Actor rdfs:subClassOf ex:Agent .", "ex:japan a ex:State ."
    )
    assert {(ex("japan"), TYPE, ex("Actor")), (ex("japan"), TYPE, ex("Agent"))} <= inferred(st)


def test_cax_sco_drops_owl_thing_and_asserted_types():
    st = run(
        "ex:State rdfs:subClassOf ex:Actor , owl:Thing .",
        "ex:japan a ex:State , ex:Actor .",
    )
    got = inferred(st)
    assert (ex("japan"), TYPE, str(rdflib.OWL.Thing)) not in got
    assert (ex("japan"), TYPE, ex("Actor")) not in got  # asserted already: not a new entailment


def test_cax_eqc_equivalent_classes_type_both_ways():
    st = run("ex:A owl:equivalentClass ex:B .", "ex:x a ex:A . ex:y a ex:B .")
    assert {(ex("x"), TYPE, ex("B")), (ex("y"), TYPE, ex("A"))} <= inferred(st)


def test_prp_spo1_subproperty_chain_of_superproperties():
    st = run(
        "ex:speaker rdfs:subPropertyOf ex:actor . ex:actor rdfs:subPropertyOf ex:involves .",
        "ex:s ex:speaker ex:p .",
    )
    assert {(ex("s"), ex("actor"), ex("p")), (ex("s"), ex("involves"), ex("p"))} <= inferred(st)


def test_prp_inv_inverse_both_directions():
    st = run(
        "ex:holds owl:inverseOf ex:heldBy .", "ex:kono ex:holds ex:post . ex:post2 ex:heldBy ex:lavrov ."
    )
    got = inferred(st)
    assert (ex("post"), ex("heldBy"), ex("kono")) in got
    assert (ex("lavrov"), ex("holds"), ex("post2")) in got


def test_prp_dom_types_the_subject():
    st = run("ex:participant rdfs:domain ex:Participation .", "ex:part1 ex:participant ex:kono .")
    assert (ex("part1"), TYPE, ex("Participation")) in inferred(st)


def test_prp_rng_types_the_object_but_never_a_literal():
    st = run(
        "ex:participant rdfs:range ex:Actor . ex:quote rdfs:range ex:Text .",
        'ex:part1 ex:participant ex:kono . ex:s ex:quote "слова" .',
    )
    got = inferred(st)
    assert (ex("kono"), TYPE, ex("Actor")) in got
    assert not [t for t in got if t[2] == ex("Text")]


def test_prp_trp_transitive_closure_over_three_hops():
    st = run(
        "ex:partOf a owl:TransitiveProperty .",
        "ex:a ex:partOf ex:b . ex:b ex:partOf ex:c . ex:c ex:partOf ex:d .",
    )
    got = inferred(st)
    assert {
        (ex("a"), ex("partOf"), ex("c")),
        (ex("a"), ex("partOf"), ex("d")),
        (ex("b"), ex("partOf"), ex("d")),
    } <= got


def test_prp_spo2_property_chain_derives_has_actor():
    st = run(
        "ex:hasActor owl:propertyChainAxiom ( ex:participation ex:participant ) .",
        "ex:meeting ex:participation ex:p1 . ex:p1 ex:participant ex:kono .",
    )
    assert (ex("meeting"), ex("hasActor"), ex("kono")) in inferred(st)


def test_rules_combine_to_a_fixpoint_chain_then_range_then_subclass():
    st = run(
        "ex:hasActor owl:propertyChainAxiom ( ex:participation ex:participant ) . ex:hasActor rdfs:range ex:Actor ."
        " ex:Actor rdfs:subClassOf ex:Agent .",
        "ex:meeting ex:participation ex:p1 . ex:p1 ex:participant ex:kono .",
    )
    assert (ex("kono"), TYPE, ex("Agent")) in inferred(st)


def test_rules_read_data_across_graphs_and_write_only_inferred():
    st = ox.Store()
    st.load(
        (PREFIXES + "ex:State rdfs:subClassOf ex:Actor .").encode(),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(str(G_ONTOLOGY)),
    )
    st.load((PREFIXES + "ex:japan a ex:State .").encode(), format=ox.RdfFormat.TURTLE, to_graph=DATA)
    before = {q for q in st if q.graph_name != INF}
    reason.materialise(st)
    assert {q for q in st if q.graph_name != INF} == before
    assert (ex("japan"), TYPE, ex("Actor")) in inferred(st)
    # the ontology graph is not data: no TBox entailments such as State ⊑ State
    assert not [t for t in inferred(st) if t[0] == ex("State")]


def test_materialise_is_idempotent():
    st = run("ex:State rdfs:subClassOf ex:Actor .", "ex:japan a ex:State .")
    first = inferred(st)
    reason.materialise(st)
    assert inferred(st) == first


# ---------------------------------------------------------------- owlrl as the oracle on the seed graph


def _to_rdflib(triples) -> set:
    out = set()
    for t in triples:
        terms = []
        for x in (t.subject, t.predicate, t.object):
            if isinstance(x, ox.NamedNode):
                terms.append(rdflib.URIRef(x.value))
            else:
                terms.append(None)
        out.add(tuple(terms))
    return out


def _entailment(t) -> bool:
    """Oracle triples we compare: about our resources, rdf:type to a real class or a property between IRIs."""
    s, p, o = t
    if not (isinstance(s, rdflib.URIRef) and str(s).startswith(ID)) or not isinstance(o, rdflib.URIRef):
        return False
    if p in (rdflib.OWL.sameAs, rdflib.OWL.differentFrom):
        return False
    return not (
        p == rdflib.RDF.type and o in (rdflib.OWL.Thing, rdflib.RDFS.Resource, rdflib.OWL.NamedIndividual)
    )


@pytest.mark.slow
def test_owlrl_oracle_agrees_on_the_seed_graph():
    """Same entailments as owlrl's OWL-RL closure (restricted to our resources, minus tautologies)."""
    if not (GRAPH / "rjkg.nq").is_file():
        pytest.fail("graph/rjkg.nq is missing: run `rjkg build`")
    st = store.open_memory(GRAPH)
    st.remove_graph(INF)
    reason.materialise(st)
    ours = _to_rdflib(q.triple for q in st.quads_for_pattern(None, None, None, INF))
    assert len(ours) > 100
    skip = {str(G_INFERRED), str(G_META)}
    base = [
        q.triple for q in st if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in skip)
    ]
    g = rdflib.Graph()
    g.parse(data=ox.serialize(base, format=ox.RdfFormat.N_TRIPLES), format="nt")
    asserted = set(g)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    oracle = {t for t in set(g) - asserted if _entailment(t)}
    ours_on_resources = {t for t in ours if str(t[0]).startswith(ID)}
    missing = sorted(oracle - ours_on_resources)
    extra = sorted(ours_on_resources - oracle)
    assert not missing, f"{len(missing)} owlrl entailments we lack, e.g. {missing[:5]}"
    assert not extra, f"{len(extra)} entailments owlrl does not make, e.g. {extra[:5]}"
    # what we infer about ontology individuals (e.g. genres typed by a range) owlrl infers too
    others = {t for t in ours if not str(t[0]).startswith(ID)}
    assert others <= set(g)
