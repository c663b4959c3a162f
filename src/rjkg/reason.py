"""OWL 2 RL materialisation inside pyoxigraph: the rules our ontology uses, as SPARQL updates, to a fixpoint.

owlrl is the reference (tests/test_reason.py compares both on the seed graph) but does not scale: ~60 s at 100k
triples. Here each rule is one SPARQL ``INSERT … USING … WHERE`` run inside the store, so the work stays in Rust:

=========  ==========================================================================
cax-sco    ``?x a C``, C ⊑ D (reflexive-transitive closure precomputed)  → ``?x a D``
cax-eqc    equivalent classes are treated as mutual subclasses
prp-spo1   ``?x p ?y``, p ⊑ q (closure)                                  → ``?x q ?y``
prp-eqp    equivalent properties are treated as mutual subproperties
prp-inv    ``?x p ?y``, p ≡ q⁻                                           → ``?y q ?x``
prp-dom    ``?x p ?y``, p rdfs:domain D                                  → ``?x a D``
prp-rng    ``?x p ?y``, p rdfs:range R, ?y not a literal                 → ``?y a R``
prp-symp   ``?x p ?y``, p symmetric                                       → ``?y p ?x``
prp-trp    ``?x p ?y . ?y p ?z``, p transitive                            → ``?x p ?z``
prp-spo2   ``?x p1 ?a . ?a p2 ?y``, q owl:propertyChainAxiom (p1 p2 …)    → ``?x q ?y``
=========  ==========================================================================

The rules read the data graphs (curated, doc/*) and the inferred graph, never the ontology graph as data, so no
TBox noise is produced. Results go to the inferred graph only; afterwards triples that are asserted in any other
graph, reflexive owl:sameAs and owl:Thing/rdfs:Resource typings are removed (no tautologies).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import OWL, RDF, RDFS

from rjkg.vocab import G_INFERRED, G_META, G_ONTOLOGY

TRIVIAL_CLASSES = {str(OWL.Thing), str(RDFS.Resource), str(OWL.NamedIndividual), str(RDFS.Class)}
MAX_ROUNDS = 50


@dataclass
class Schema:
    """The axioms of the ontology the rules need, read once from the ontology graph."""

    subclass: dict[str, set[str]] = field(default_factory=dict)  # C -> all strict superclasses
    subproperty: dict[str, set[str]] = field(default_factory=dict)  # p -> all strict superproperties
    inverse: set[tuple[str, str]] = field(default_factory=set)  # (p, q): ?x p ?y -> ?y q ?x
    domain: set[tuple[str, str]] = field(default_factory=set)
    range: set[tuple[str, str]] = field(default_factory=set)
    transitive: set[str] = field(default_factory=set)
    symmetric: set[str] = field(default_factory=set)
    chains: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)


@dataclass
class ReasonStats:
    rounds: int = 0
    inferred: int = 0
    seconds: float = 0.0
    per_rule: dict[str, int] = field(default_factory=dict)


def _closure(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """Strict transitive closure of a directed graph given as adjacency sets."""
    out: dict[str, set[str]] = {}
    for start in edges:
        seen: set[str] = set()
        stack = list(edges[start])
        while stack:
            n = stack.pop()
            if n in seen:
                continue
            seen.add(n)
            stack.extend(edges.get(n, ()))
        seen.discard(start)
        out[start] = seen
    return out


def _iris(store: ox.Store, query: str, graph: ox.NamedNode) -> list[tuple[str, ...]]:
    rows = []
    for sol in store.query(query, default_graph=graph):
        vals = tuple(t.value if isinstance(t, ox.NamedNode) else None for t in sol)
        if all(vals):
            rows.append(vals)
    return rows


def read_schema(store: ox.Store, graph: ox.NamedNode | None = None) -> Schema:
    """Collect the axioms from the ontology graph of `store` (blank-node axioms other than chains are ignored)."""
    g = graph or ox.NamedNode(str(G_ONTOLOGY))
    sub: dict[str, set[str]] = defaultdict(set)
    for c, d in _iris(store, f"SELECT ?c ?d {{ ?c <{RDFS.subClassOf}> ?d }}", g):
        sub[c].add(d)
    for c, d in _iris(store, f"SELECT ?c ?d {{ ?c <{OWL.equivalentClass}> ?d }}", g):
        sub[c].add(d)
        sub[d].add(c)
    subp: dict[str, set[str]] = defaultdict(set)
    for p, q in _iris(store, f"SELECT ?p ?q {{ ?p <{RDFS.subPropertyOf}> ?q }}", g):
        subp[p].add(q)
    for p, q in _iris(store, f"SELECT ?p ?q {{ ?p <{OWL.equivalentProperty}> ?q }}", g):
        subp[p].add(q)
        subp[q].add(p)
    schema = Schema(subclass=_closure(sub), subproperty=_closure(subp))
    for p, q in _iris(store, f"SELECT ?p ?q {{ ?p <{OWL.inverseOf}> ?q }}", g):
        schema.inverse.add((p, q))
        schema.inverse.add((q, p))
    schema.domain = set(_iris(store, f"SELECT ?p ?c {{ ?p <{RDFS.domain}> ?c }}", g))
    schema.range = set(_iris(store, f"SELECT ?p ?c {{ ?p <{RDFS.range}> ?c }}", g))
    schema.transitive = {r[0] for r in _iris(store, f"SELECT ?p {{ ?p a <{OWL.TransitiveProperty}> }}", g)}
    schema.symmetric = {r[0] for r in _iris(store, f"SELECT ?p {{ ?p a <{OWL.SymmetricProperty}> }}", g)}
    chain_q = f"""SELECT ?q ?list {{ ?q <{OWL.propertyChainAxiom}> ?list }}"""
    for sol in store.query(chain_q, default_graph=g):
        q, head = sol["q"], sol["list"]
        steps: list[str] = []
        node = head
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == str(RDF.nil)):
            first = next(store.quads_for_pattern(node, ox.NamedNode(str(RDF.first)), None, g), None)
            rest = next(store.quads_for_pattern(node, ox.NamedNode(str(RDF.rest)), None, g), None)
            if first is None or not isinstance(first.object, ox.NamedNode):
                steps = []
                break
            steps.append(first.object.value)
            node = rest.object if rest else None
        if isinstance(q, ox.NamedNode) and len(steps) >= 2:
            schema.chains.append((q.value, tuple(steps)))
    schema.chains.sort()
    return schema


def _values(pairs, *names: str) -> str:
    rows = " ".join("(" + " ".join(f"<{v}>" for v in row) + ")" for row in sorted(pairs))
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"


def rules(schema: Schema) -> list[tuple[str, str]]:
    """(rule name, WHERE body producing ?s ?p ?o) for every rule with axioms to apply."""
    out: list[tuple[str, str]] = []
    sco = [(c, d) for c, ds in schema.subclass.items() for d in ds if d not in TRIVIAL_CLASSES]
    if sco:
        out.append(("cax-sco", f"?s a ?c . {_values(sco, 'c', 'o')} BIND(<{RDF.type}> AS ?p)"))
    spo = [(p, q) for p, qs in schema.subproperty.items() for q in qs]
    if spo:
        out.append(("prp-spo1", f"?s ?q ?o . {_values(spo, 'q', 'p')}"))
    if schema.inverse:
        out.append(("prp-inv", f"?o ?q ?s . {_values(schema.inverse, 'q', 'p')} FILTER(!isLiteral(?s))"))
    dom = [(p, c) for p, c in schema.domain if c not in TRIVIAL_CLASSES]
    if dom:
        out.append(("prp-dom", f"?s ?q ?x . {_values(dom, 'q', 'o')} BIND(<{RDF.type}> AS ?p)"))
    rng = [(p, c) for p, c in schema.range if c not in TRIVIAL_CLASSES]
    if rng:
        out.append(
            (
                "prp-rng",
                f"?x ?q ?s . {_values(rng, 'q', 'o')} FILTER(!isLiteral(?s)) BIND(<{RDF.type}> AS ?p)",
            )
        )
    if schema.symmetric:
        out.append(("prp-symp", f"?o ?p ?s . {_values([(p,) for p in schema.symmetric], 'p')}"))
    if schema.transitive:
        out.append(("prp-trp", f"?s ?p ?x . ?x ?p ?o . {_values([(p,) for p in schema.transitive], 'p')}"))
    for q, steps in schema.chains:
        hops = []
        for i, step in enumerate(steps):
            a = "?s" if i == 0 else f"?m{i}"
            b = "?o" if i == len(steps) - 1 else f"?m{i + 1}"
            hops.append(f"{a} <{step}> {b} .")
        out.append((f"prp-spo2 {q}", " ".join(hops) + f" BIND(<{q}> AS ?p)"))
    return out


def data_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """Graphs the rules read as data: every named graph except ontology, meta and inferred."""
    skip = {str(G_ONTOLOGY), str(G_META), str(G_INFERRED)}
    return sorted(
        (g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value not in skip), key=str
    )


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    q = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    return int(next(iter(store.query(q, default_graph=graph)))["n"].value)


def materialise(store: ox.Store, schema: Schema | None = None) -> ReasonStats:
    """Apply the rules to the data graphs of `store` until nothing new; write into the inferred graph only."""
    t0 = time.perf_counter()
    schema = schema or read_schema(store)
    inferred = ox.NamedNode(str(G_INFERRED))
    sources = [*data_graphs(store), inferred]
    using = " ".join(f"USING <{g.value}>" for g in sources)
    stats = ReasonStats()
    rule_list = rules(schema)
    size = _count(store, inferred)
    for _ in range(MAX_ROUNDS):
        stats.rounds += 1
        for name, body in rule_list:
            before = _count(store, inferred) if name not in stats.per_rule else None
            store.update(
                f"INSERT {{ GRAPH <{inferred.value}> {{ ?s ?p ?o }} }} {using} "
                f"WHERE {{ {body} FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
            )
            if before is not None:
                stats.per_rule[name] = _count(store, inferred) - before
        new_size = _count(store, inferred)
        if new_size == size:
            break
        size = new_size
    drop_tautologies(store)
    stats.inferred = _count(store, inferred)
    stats.seconds = time.perf_counter() - t0
    return stats


def drop_tautologies(store: ox.Store) -> None:
    """Remove from the inferred graph what is asserted elsewhere, reflexive sameAs and trivial typings."""
    inf = str(G_INFERRED)
    store.update(
        f"DELETE {{ GRAPH <{inf}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{inf}> {{ ?s ?p ?o }} "
        f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{inf}>) }}"
    )
    store.update(f"DELETE WHERE {{ GRAPH <{inf}> {{ ?s <{OWL.sameAs}> ?s }} }}")
    trivial = " ".join(f"<{c}>" for c in sorted(TRIVIAL_CLASSES))
    store.update(
        f"DELETE {{ GRAPH <{inf}> {{ ?s a ?c }} }} WHERE {{ GRAPH <{inf}> {{ ?s a ?c }} VALUES ?c {{ {trivial} }} }}"
    )


def infer(
    ontology: list[ox.Quad], data: list[ox.Quad], schema: Schema | None = None
) -> tuple[list[ox.Quad], Schema]:
    """The inferred graph for a dataset given as quads: the data graphs are merged into one graph of a private
    store first (rules with ``USING`` over hundreds of graphs are slow), then `materialise` runs there.

    Returns the inferred quads (in the inferred graph) and the schema, to reuse on the next call.
    """
    onto_g, data_g, inf = (
        ox.NamedNode(str(G_ONTOLOGY)),
        ox.NamedNode(str(G_INFERRED) + "-data"),
        ox.NamedNode(str(G_INFERRED)),
    )
    st = ox.Store()
    st.extend(ox.Quad(q.subject, q.predicate, q.object, onto_g) for q in ontology)
    st.extend(ox.Quad(q.subject, q.predicate, q.object, data_g) for q in data)
    schema = schema or read_schema(st)
    materialise(st, schema)
    return list(st.quads_for_pattern(None, None, None, inf)), schema
