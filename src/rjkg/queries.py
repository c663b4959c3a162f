"""The analyst's query library (queries/*.rq) and `rjkg query`.

Every library file opens with a comment block: `# en: …`, `# ru: …` (the competency question), `# shows: …` (what it
teaches about the model) and `# sources: …` (the documents that answer it). Queries are self-contained (they declare
their prefixes) so they can be pasted into any endpoint; `rjkg query` also preloads the project's prefixes for ad-hoc
queries.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from rjkg.errors import InputError

HEADER_RE = re.compile(r"^#\s*(en|ru|shows|sources)\s*:\s*(.*)$")


@dataclass(frozen=True)
class LibraryQuery:
    name: str  # file stem
    path: Path
    text: str
    en: str
    ru: str
    shows: str
    sources: str


def parse_header(text: str) -> dict[str, str]:
    """The leading comment block's keyed lines; continuation lines (`#   …`) extend the previous key.

    >>> parse_header("# en: Who met whom?\\n# ru: Кто с кем встречался?\\nSELECT * {}")["ru"]
    'Кто с кем встречался?'
    """
    out: dict[str, str] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = HEADER_RE.match(line)
        if m:
            last = m.group(1)
            out[last] = m.group(2).strip()
        elif last and line[1:].strip():
            out[last] += " " + line[1:].strip()
    return out


def load_library(folder: Path) -> list[LibraryQuery]:
    """Every queries/*.rq (not the qc/ subfolder), sorted by name."""
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        h = parse_header(text)
        out.append(
            LibraryQuery(
                path.stem,
                path,
                text,
                h.get("en", ""),
                h.get("ru", ""),
                h.get("shows", ""),
                h.get("sources", ""),
            )
        )
    return out


def open_graph_store(graph_dir: Path):
    """An in-memory pyoxigraph Store with the published dataset (graph/rjkg.nq), default graph = union."""
    import pyoxigraph as ox

    nq = graph_dir / "rjkg.nq"
    if not nq.is_file():
        raise InputError(
            f"no built graph at {nq}", where="--graph", hint="run `rjkg build` first, or pass --graph DIR"
        )
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    return store


def run_query(store, text: str):
    """Run SPARQL with the project's prefixes preloaded (the query's own PREFIX lines win)."""
    from rjkg.vocab import sparql_prefixes

    try:
        return store.query(sparql_prefixes() + text, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise InputError(f"SPARQL syntax error: {err}", where="query", hint="check the query text") from None
    except (OSError, ValueError) as err:  # pragma: no cover - evaluation errors
        raise InputError(f"query failed: {err}", where="query") from None


def term_text(term) -> str:
    """A readable cell: IRIs as-is, literals by value."""
    if term is None:
        return ""
    return term.value


def solutions_as_rows(result) -> tuple[list[str], list[list[str]]]:
    variables = [v.value for v in result.variables]
    rows = [[term_text(sol[v]) for v in variables] for sol in result]
    return variables, rows


def format_result(result, fmt: str) -> str:
    """Render a pyoxigraph result: SELECT/ASK as table/csv/tsv/json, CONSTRUCT/DESCRIBE as turtle."""
    import pyoxigraph as ox

    if isinstance(result, ox.QueryBoolean):
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": bool(result)})
        return "true" if bool(result) else "false"
    if isinstance(result, ox.QueryTriples):
        if fmt not in ("turtle", "table"):
            raise InputError(
                f"format {fmt!r} does not apply to a graph result", where="--format", hint="use turtle"
            )
        return result.serialize(format=ox.RdfFormat.TURTLE).decode("utf-8")
    if fmt == "json":
        return result.serialize(format=ox.QueryResultsFormat.JSON).decode("utf-8")
    if fmt == "tsv":
        return result.serialize(format=ox.QueryResultsFormat.TSV).decode("utf-8")
    variables, rows = solutions_as_rows(result)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(rows)
        return buf.getvalue()
    if fmt == "turtle":
        raise InputError("turtle output needs a CONSTRUCT or DESCRIBE query", where="--format")
    return render_table(variables, rows)


def render_table(variables: list[str], rows: list[list[str]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for v in variables:
        table.add_column(v, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = Console(file=io.StringIO(), width=160, force_terminal=False, color_system=None)
    console.print(table)
    console.print(f"{len(rows)} row(s)")
    return console.file.getvalue()


FORMATS = ("table", "csv", "tsv", "json", "turtle")


def query_cli(
    source: str | None, *, fmt: str = "table", list_only: bool = False, graph: Path | None = None
) -> int:
    from rjkg.config import GRAPH_DIR, QUERIES_DIR

    if list_only:
        for q in load_library(QUERIES_DIR):
            print(f"{q.name:40s} {q.en}")
        return 0
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}", where="--format", hint="use one of " + ", ".join(FORMATS))
    if not source:
        raise InputError(
            "no query given", where="SOURCE", hint="pass a .rq file, '-' for stdin, or SPARQL text"
        )
    question = ""
    if source == "-":
        text = sys.stdin.read()
    elif source.endswith(".rq") or Path(source).is_file():
        path = Path(source)
        if not path.is_file() and (QUERIES_DIR / source).is_file():
            path = QUERIES_DIR / source
        if not path.is_file():
            raise InputError(f"no such query file {source}", where="SOURCE", hint="see `rjkg query --list`")
        text = path.read_text(encoding="utf-8")
        question = parse_header(text).get("en", "")
    else:
        text = source
    store = open_graph_store(graph or GRAPH_DIR)
    result = run_query(store, text)
    out = format_result(result, fmt)
    if question and fmt == "table":
        print(question)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
