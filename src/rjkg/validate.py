"""SHACL conformance: the graph (or any RDF files) against ontology/shapes.ttl, for the build and for users' CI.

Settings, chosen once: pyshacl with ``inference="none"``: the build has already materialised the OWL 2 RL closure
into the inferred graph (rjkg.reason), so validating data + inferred without pyshacl's own reasoning is both correct
and ~30× cheaper. The ontology is added to the data graph itself (so ``sh:class rjkg:Actor`` sees ``rjkg:State ⊑
rjkg:Actor``) instead of being passed as ``ont_graph``: pyshacl 0.40.1 "inoculates" an ont_graph by deep-cloning
every owl:NamedIndividual with no visited set, which took >250 s for our 1.3k-triple ontology on a 500-triple
document (measured); adding the triples directly takes milliseconds and validates the same data.

Exit codes of `rjkg validate`: 0 conforms, 1 violations (or warnings with --strict), 2 usage or input error
(unreadable file, syntax error — reported with line and column).
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

import pyoxigraph as ox
import rdflib
from rdflib import RDF, BNode, Graph, URIRef

from rjkg.errors import InputError
from rjkg.vocab import G_META, G_ONTOLOGY, PREFIXES, SH

# extension → (pyoxigraph format or None, rdflib format)
FORMATS: dict[str, tuple[ox.RdfFormat | None, str]] = {
    ".ttl": (ox.RdfFormat.TURTLE, "turtle"),
    ".turtle": (ox.RdfFormat.TURTLE, "turtle"),
    ".nt": (ox.RdfFormat.N_TRIPLES, "nt"),
    ".nq": (ox.RdfFormat.N_QUADS, "nquads"),
    ".trig": (ox.RdfFormat.TRIG, "trig"),
    ".n3": (ox.RdfFormat.N3, "n3"),
    ".rdf": (ox.RdfFormat.RDF_XML, "xml"),
    ".owl": (ox.RdfFormat.RDF_XML, "xml"),
    ".xml": (ox.RdfFormat.RDF_XML, "xml"),
    ".jsonld": (None, "json-ld"),
    ".json": (None, "json-ld"),
}
SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Result:
    shape: str  # the node shape (a property shape's owning node shape), as a prefixed name
    focus: str
    path: str
    value: str
    severity: str  # Violation | Warning | Info
    message: str
    component: str


@dataclass
class Report:
    results: list[Result]
    shapes: list[str]  # every named node shape in the shapes graph (for JUnit)
    graph: Graph  # the SHACL ValidationReport
    triples: int = 0
    seconds: float = 0.0
    sources: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]

    def conforms(self, strict: bool = False) -> bool:
        return not (self.results if strict else self.violations)


def qname(term) -> str:
    """A short readable name for a term: prefixed IRI, quoted literal, or _:b for blank nodes."""
    if term is None:
        return "—"
    if isinstance(term, URIRef):
        s = str(term)
        best = max((ns for ns in PREFIXES.values() if s.startswith(ns)), key=len, default=None)
        if best is not None:
            prefix = next(p for p, ns in PREFIXES.items() if ns == best)
            local = s[len(best) :]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", local or "_") and not local.endswith("."):
                return f"{prefix}:{local}"
        return f"<{s}>"
    if isinstance(term, BNode):
        return "_:" + str(term)
    return term.n3()


# ---------------------------------------------------------------- loading


def _syntax_where(path: Path, line: int | None, col: int | None) -> str:
    if line:
        return f"{path}:{line}:{col}" if col else f"{path}:{line}"
    return str(path)


def _line_col(message: str) -> tuple[int | None, int | None]:
    m = re.search(r"line (\d+)(?:,? column (\d+))?", message)
    if not m:
        return None, None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def read_rdf(path: Path) -> Graph:
    """Any RDF file as one rdflib Graph (datasets flattened); InputError with line/column on a syntax error."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(
            f"unknown RDF file extension {path.suffix!r}",
            where=str(path),
            hint="use .ttl, .nt, .nq, .trig, .n3, .rdf/.owl/.xml or .jsonld",
        )
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", where=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise InputError(
            "is a folder, not a file", where=str(path), hint="use --graph DIR for a built graph"
        ) from None
    except OSError as err:
        raise InputError(
            f"cannot read the file: {err.strerror}", where=str(path), hint="check its permissions"
        ) from None
    ox_fmt, rdflib_fmt = fmt
    g = Graph()
    if ox_fmt is not None:
        try:
            quads = list(ox.parse(raw, format=ox_fmt, base_iri=path.resolve().as_uri()))
        except SyntaxError as err:
            line, col = err.lineno, err.offset
            if line is None:
                line, col = _line_col(str(err))
            raise InputError(
                f"RDF syntax error: {err.msg}",
                where=_syntax_where(path, line, col),
                hint="fix the syntax and retry",
            ) from None
        triples = [q.triple if isinstance(q, ox.Quad) else q for q in quads]
        if triples:
            g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
        return g
    try:
        if rdflib_fmt == "json-ld":
            ds = rdflib.Dataset()
            ds.parse(data=raw, format="json-ld", publicID=path.resolve().as_uri())
            for s, p, o, _ in ds.quads((None, None, None, None)):
                g.add((s, p, o))
        else:  # pragma: no cover - every other format goes through pyoxigraph
            g.parse(data=raw, format=rdflib_fmt)
    except Exception as err:  # rdflib raises many types; report them all as input errors
        line, col = _line_col(str(err))
        raise InputError(
            f"RDF syntax error: {str(err).splitlines()[0]}",
            where=_syntax_where(path, line, col),
            hint="fix the syntax and retry",
        ) from None
    return g


_shapes_cache: dict[str, tuple[float, Graph]] = {}


def load_graph_file(path: Path) -> Graph:
    """Parse a Turtle file once per process (keyed by path and mtime)."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        raise InputError("file not found", where=str(path), hint="is the ontology/ folder there?") from None
    hit = _shapes_cache.get(str(path))
    if hit and hit[0] == mtime:
        return hit[1]
    g = read_rdf(path)
    _shapes_cache[str(path)] = (mtime, g)
    return g


def graph_from_quads(quads, *, exclude=(G_ONTOLOGY, G_META)) -> Graph:
    """The union of quads' named graphs (minus ontology and meta) as an rdflib Graph, for pyshacl."""
    skip = {str(g) for g in exclude}
    triples = {
        q.triple for q in quads if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in skip)
    }
    out = Graph()
    if triples:
        out.parse(data=ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES), format="nt")
    return out


# ---------------------------------------------------------------- validating


def _node_shape(shapes: Graph, shape) -> object:
    """A property shape's owning node shape (sh:property), else the shape itself."""
    for owner in shapes.subjects(SH.property, shape):
        return owner
    return shape


def named_shapes(shapes: Graph) -> list[str]:
    found = set(shapes.subjects(RDF.type, SH.NodeShape))
    found |= {s for s in shapes.subjects(SH.targetClass, None)}
    found |= {s for s in shapes.subjects(SH.targetSubjectsOf, None)}
    found |= {s for s in shapes.subjects(SH.targetObjectsOf, None)}
    found |= {s for s in shapes.subjects(SH.targetNode, None)}
    return sorted(qname(s) for s in found if isinstance(s, URIRef))


def validate_graph(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> Report:
    """pyshacl over `data` + the ontology, inference off (see module docstring). Adds the ontology to `data`."""
    from pyshacl import validate as shacl_validate

    from rjkg import config

    shapes = shapes if shapes is not None else load_graph_file(config.SHAPES_FILE)
    ontology = ontology if ontology is not None else load_graph_file(config.ONTOLOGY_FILE)
    t0 = time.perf_counter()
    n_data = len(data)
    for t in ontology:  # in place of ont_graph: see the module docstring
        data.add(t)
    _conforms, report_graph, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        advanced=True,
    )
    results = []
    for r in report_graph.subjects(RDF.type, SH.ValidationResult):
        source = report_graph.value(r, SH.sourceShape)
        messages = sorted(str(m) for m in report_graph.objects(r, SH.resultMessage))
        if not messages and source is not None:
            messages = sorted(str(m) for m in shapes.objects(source, SH.message))
        results.append(
            Result(
                shape=qname(_node_shape(shapes, source)),
                focus=qname(report_graph.value(r, SH.focusNode)),
                path=qname(report_graph.value(r, SH.resultPath)),
                value=qname(report_graph.value(r, SH.value)),
                severity=SEVERITY.get(report_graph.value(r, SH.resultSeverity), "Violation"),
                message="; ".join(messages) or "does not conform",
                component=qname(report_graph.value(r, SH.sourceConstraintComponent)),
            )
        )
    results.sort(key=lambda x: (x.shape, x.focus, x.path, x.value, x.message))
    return Report(
        results=results,
        shapes=named_shapes(shapes),
        graph=report_graph,
        triples=n_data,
        seconds=time.perf_counter() - t0,
    )


# ---------------------------------------------------------------- reports


def text_report(report: Report, strict: bool = False) -> str:
    v, w = len(report.violations), len(report.warnings)
    status = "conforms" if report.conforms(strict) else "does NOT conform"
    lines = [
        f"SHACL: {status} — {v} violation(s), {w} warning(s) over {report.triples} triples"
        + (f" ({', '.join(report.sources)})" if report.sources else "")
    ]
    by_shape: dict[str, list[Result]] = {}
    for r in report.results:
        by_shape.setdefault(r.shape, []).append(r)
    for shape in sorted(by_shape):
        rs = by_shape[shape]
        nv = sum(r.severity == "Violation" for r in rs)
        lines.append("")
        lines.append(f"{shape}: {nv} violation(s), {len(rs) - nv} warning(s)")
        focus_seen: dict[str, list[Result]] = {}
        for r in rs:
            focus_seen.setdefault(r.focus, []).append(r)
        for focus in sorted(focus_seen):
            lines.append(f"  {focus}")
            for r in focus_seen[focus]:
                mark = "✗" if r.severity == "Violation" else "!"
                lines.append(f"    {mark} {r.severity.lower()}: {r.message}")
                lines.append(f"      path {r.path}, value {r.value}  [{r.component}]")
    return "\n".join(lines) + "\n"


def json_report(report: Report, strict: bool = False) -> str:
    return json.dumps(
        {
            "conforms": report.conforms(strict),
            "violations": len(report.violations),
            "warnings": len(report.warnings),
            "triples": report.triples,
            "sources": report.sources,
            "results": [asdict(r) for r in report.results],
        },
        ensure_ascii=False,
        indent=1,
    )


def junit_xml(report: Report, strict: bool = False) -> bytes:
    """One testcase per named shape; a failure element for each shape with violations (warnings if strict)."""
    failing = {}
    for r in report.results:
        if r.severity == "Violation" or strict:
            failing.setdefault(r.shape, []).append(r)
    shapes = sorted(set(report.shapes) | set(failing))
    suite = ET.Element(
        "testsuite",
        name="rjkg SHACL",
        tests=str(len(shapes)),
        failures=str(len(failing)),
        errors="0",
        time=f"{report.seconds:.3f}",
    )
    for shape in shapes:
        case = ET.SubElement(suite, "testcase", classname="shacl", name=shape)
        if shape in failing:
            rs = failing[shape]
            fail = ET.SubElement(
                case, "failure", message=f"{len(rs)} result(s): {rs[0].message}", type="shacl"
            )
            fail.text = "\n".join(f"{r.focus} {r.path} = {r.value}: {r.message}" for r in rs)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# ---------------------------------------------------------------- CLI


def load_built_graph(graph_dir: Path) -> tuple[Graph, Graph | None]:
    """Data + inferred of a built graph folder as one Graph, and the ontology it was built with (if published)."""
    from rjkg import store as store_mod

    graph_dir = Path(graph_dir)
    if not graph_dir.is_dir():
        raise InputError("not a folder", where=str(graph_dir), hint="run `rjkg build` or pass --graph DIR")
    nq = graph_dir / store_mod.DUMP_NQ
    if not nq.is_file():
        raise InputError(
            f"no {store_mod.DUMP_NQ} here", where=str(graph_dir), hint="run `rjkg build` or pass --graph DIR"
        )
    try:  # parsed, not loaded into a Store: the Store would rewrite xsd:nonNegativeInteger to xsd:integer
        quads = list(ox.parse(path=str(nq), format=ox.RdfFormat.N_QUADS))
    except SyntaxError as err:
        raise InputError(
            f"RDF syntax error: {err.msg}",
            where=_syntax_where(nq, err.lineno, err.offset),
            hint="rebuild with `rjkg build`",
        ) from None
    data = graph_from_quads(quads)
    onto = graph_dir / "ontology.ttl"
    return data, (read_rdf(onto) if onto.is_file() else None)


def validate_cli(
    files: list[Path],
    *,
    graph: Path | None = None,
    fmt: str = "text",
    junit: Path | None = None,
    strict: bool = False,
) -> int:
    """`rjkg validate`: 0 conforms, 1 violations, 2 usage/input errors (raised as InputError)."""
    from rjkg import config

    if fmt not in ("text", "turtle", "json"):
        raise InputError(f"unknown format {fmt!r}", where="--format", hint="use text, turtle or json")
    if files and graph is not None:
        raise InputError("give either FILES or --graph, not both", where="--graph")
    ontology = None
    if files:
        data = Graph()
        for f in files:
            for t in read_rdf(Path(f)):
                data.add(t)
        sources = [str(f) for f in files]
    else:
        gdir = Path(graph) if graph is not None else config.GRAPH_DIR
        data, ontology = load_built_graph(gdir)
        sources = [str(gdir)]
    report = validate_graph(data, ontology=ontology)
    report.sources = sources
    if fmt == "text":
        sys.stdout.write(text_report(report, strict))
    elif fmt == "json":
        sys.stdout.write(json_report(report, strict) + "\n")
    else:
        for p, ns in PREFIXES.items():
            report.graph.bind(p, ns, override=True, replace=True)
        sys.stdout.write(report.graph.serialize(format="turtle"))
    sys.stdout.flush()
    if junit is not None:
        try:
            Path(junit).write_bytes(junit_xml(report, strict))
        except OSError as err:
            raise InputError(f"cannot write the JUnit report: {err.strerror}", where=str(junit)) from None
    return 0 if report.conforms(strict) else 1
