"""Every namespace and named-graph IRI rjkg uses (one place, like pySHACL's consts.py).

The IRI scheme is documented in ontology/README.md; no IRI string appears elsewhere in the code.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/rjkg/"
RJKG = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = URIRef(BASE + "ontology")
ID = BASE + "id/"
GRAPH = BASE + "graph/"

ORG = Namespace("http://www.w3.org/ns/org#")
TIME = Namespace("http://www.w3.org/2006/time#")
SKOSXL = Namespace("http://www.w3.org/2008/05/skos-xl#")
SCHEMA = Namespace("https://schema.org/")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
OA = Namespace("http://www.w3.org/ns/oa#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCT = DCTERMS

KINDS = (
    "doc",
    "span",
    "person",
    "state",
    "org",
    "place",
    "project",
    "institution",
    "post",
    "holding",
    "event",
    "participation",
    "instrument",
    "statement",
    "label",
    "run",
)
# one namespace per resource kind (a "/" in a prefixed name would need escaping)
NS = {kind: Namespace(f"{ID}{kind}/") for kind in KINDS}
# the Turtle prefix used for each kind in dumps and queries
KIND_PREFIX = {
    "doc": "doc",
    "span": "span",
    "person": "person",
    "state": "state",
    "org": "orgid",
    "place": "place",
    "project": "project",
    "institution": "inst",
    "post": "post",
    "holding": "holding",
    "event": "event",
    "participation": "part",
    "instrument": "instr",
    "statement": "stmt",
    "label": "label",
    "run": "run",
}

# gold entity type -> IRI kind
ENTITY_KIND = {
    "Person": "person",
    "State": "state",
    "GovernmentBody": "org",
    "Association": "org",
    "Company": "org",
    "Bank": "org",
    "InternationalOrganization": "org",
    "MediaOutlet": "org",
    "Municipality": "place",
    "Region": "place",
    "Place": "place",
    "Project": "project",
}
ENTITY_TYPES = tuple(ENTITY_KIND)
EVENT_TYPES = (
    "Meeting",
    "Consultation",
    "Visit",
    "Forum",
    "Summit",
    "PressConference",
    "BusinessMission",
    "Decision",
    "Closure",
    "Inspection",
    "Sanctions",
    "Negotiation",
    "Announcement",
    "Termination",
    "WorkingGroupSession",
)
INSTRUMENT_TYPES = (
    "Memorandum",
    "Communique",
    "Agreement",
    "Plan",
    "Treaty",
    "GovernmentOrder",
    "JointStatement",
    "Programme",
)
INSTITUTION_TYPES = ("TechnicalAssistanceCenter", "CenterOrFund", "SpecialEconomicZone")
GENRES = ("NewsArticle", "PressRelease", "Transcript", "Communique", "Statement")
INSTRUMENT_STATUS = {
    "planned": RJKG.StatusPlanned,
    "concluded": RJKG.StatusConcluded,
    "in_force": RJKG.StatusInForce,
    "terminated": RJKG.StatusTerminated,
    "not_concluded": RJKG.StatusNotConcluded,
}
INSTITUTION_STATUS = {
    "planned": RJKG.StatusPlanned,
    "operating": RJKG.StatusOperating,
    "closed": RJKG.StatusClosed,
}


def graph_iri(name: str) -> URIRef:
    """Named graph IRI: 'ontology', 'curated', 'inferred', 'meta' or 'doc/{id}'."""
    return URIRef(GRAPH + name)


def doc_graph(doc_id: str) -> URIRef:
    return graph_iri(f"doc/{doc_id}")


G_ONTOLOGY = graph_iri("ontology")
G_CURATED = graph_iri("curated")
G_INFERRED = graph_iri("inferred")
G_META = graph_iri("meta")
# publication: the dataset node (hash IRI on the meta graph), dump downloads, the SPARQL endpoint, licence
DATASET = URIRef(str(G_META) + "#dataset")
DUMPS = BASE + "dumps/"
SPARQL_ENDPOINT = URIRef(BASE + "sparql")
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "skosxl": str(SKOSXL),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "prov": str(PROV),
    "org": str(ORG),
    "time": str(TIME),
    "schema": str(SCHEMA),
    "sem": str(SEM),
    "oa": str(OA),
    "eli": str(ELI),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sd": str(SD),
    "wd": str(WD),
    "rjkg": str(RJKG),
    **{KIND_PREFIX[k]: str(NS[k]) for k in KINDS},
}


def sparql_prefixes() -> str:
    """PREFIX lines for every prefix above, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def bind_prefixes(graph) -> None:
    """Bind our prefixes on an rdflib Graph/Dataset so dumps read well."""
    for p, ns in PREFIXES.items():
        graph.bind(p, ns, override=True, replace=True)
