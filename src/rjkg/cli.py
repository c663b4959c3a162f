"""The rjkg command line: one command per pipeline stage, in pipeline order.

Each command is a thin wrapper: it parses options, calls one function of the stage's module (imported lazily so
`rjkg --help` stays fast), and turns an `RjkgError` into a clear message and its exit code — never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from rjkg import __version__
from rjkg.errors import RjkgError

app = typer.Typer(
    name="rjkg",
    help="Russia–Japan relations knowledge graph: documents in, SHACL-checked RDF out, served over SPARQL.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"rjkg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version."
    ),
) -> None:
    """rjkg: ingest → extract → resolve → build → reason → validate → store → serve."""


def _run(fn, *args, **kwargs) -> int:
    """Call a stage function; turn our errors into a message on stderr and an exit code."""
    try:
        code = fn(*args, **kwargs)
    except RjkgError as err:
        typer.echo(f"rjkg: error: {err.render()}", err=True)
        raise typer.Exit(err.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("rjkg: interrupted", err=True)
        raise typer.Exit(130) from None
    raise typer.Exit(code or 0)


@app.command()
def extract(
    doc: Path = typer.Argument(..., help="A document (.txt) to extract."),
    format: str = typer.Option("turtle", "--format", "-f", help="turtle | trig | json"),
    metadata: Path | None = typer.Option(
        None, "--metadata", help="metadata.yaml to read the document's date/title from (default: beside DOC)"
    ),
) -> None:
    """Print one document's graph (its named graph: document, metadata, extracted things, evidence)."""
    from rjkg import pipeline

    _run(pipeline.extract_cli, doc, format=format, metadata=metadata)


@app.command()
def build(
    jobs: int = typer.Option(0, "--jobs", "-j", help="Parallel extraction processes (0 = number of cores)."),
    seeds: Path | None = typer.Option(None, "--seeds", help="Folder of documents (default: seeds/)."),
    out: Path | None = typer.Option(None, "--out", help="Output folder (default: graph/)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bars or summary."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Re-extract every document."),
) -> None:
    """Extract every document, reason, validate with SHACL, then publish graph/ atomically."""
    from rjkg import pipeline

    _run(pipeline.build_cli, seeds=seeds, out=out, jobs=jobs, quiet=quiet, use_cache=not no_cache)


@app.command()
def validate(
    files: list[Path] | None = typer.Argument(None, help="RDF files to validate (default: the built graph)."),
    graph: Path | None = typer.Option(None, "--graph", help="A built graph folder (default: graph/)."),
    format: str = typer.Option("text", "--format", "-f", help="text | turtle | json"),
    junit: Path | None = typer.Option(None, "--junit", help="Also write a JUnit XML report here."),
    strict: bool = typer.Option(False, "--strict", help="Warnings fail too."),
) -> None:
    """SHACL conformance check: exit 0 conforms, 1 violations, 2 usage or input error."""
    from rjkg import validate as validate_mod

    _run(validate_mod.validate_cli, files or [], graph=graph, fmt=format, junit=junit, strict=strict)


@app.command()
def evaluate(
    docs: Path | None = typer.Option(None, "--docs", help="Folder of documents (default: seeds/)."),
    gold: Path | None = typer.Option(None, "--gold", help="Folder of gold YAML (default: tests/gold/seeds)."),
    json_out: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Score extraction, read back from the graph with SPARQL, against gold annotations."""
    from rjkg import evaluate as evaluate_mod

    _run(evaluate_mod.evaluate_cli, docs=docs, gold=gold, as_json=json_out)


@app.command()
def query(
    source: str | None = typer.Argument(None, help="A .rq file, '-' for stdin, or SPARQL text."),
    format: str = typer.Option("table", "--format", "-f", help="table | csv | tsv | json | turtle"),
    list_: bool = typer.Option(False, "--list", help="List the query library, one line per question."),
    graph: Path | None = typer.Option(None, "--graph", help="A built graph folder (default: graph/)."),
) -> None:
    """Run a SPARQL query against the local store with the project's prefixes preloaded."""
    from rjkg import queries

    _run(queries.query_cli, source, fmt=format, list_only=list_, graph=graph)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = typer.Option(0, "--workers", help="Query worker processes (0 = one per core, 2..8)."),
    timeout: float = typer.Option(30.0, "--timeout", help="Hard per-query limit in seconds (503 after)."),
    base: str | None = typer.Option(None, "--base", help="Public base IRI mapped onto this server."),
    graph: Path | None = typer.Option(None, "--graph", help="A built graph folder (default: graph/)."),
) -> None:
    """Serve SPARQL 1.1, linked data, dumps and pages; builds the graph first if there is none."""
    from rjkg import serve as serve_mod

    _run(serve_mod.serve_cli, host=host, port=port, workers=workers, timeout=timeout, base=base, graph=graph)


@app.command()
def publish(
    endpoint: str = typer.Option(..., "--endpoint", help="SPARQL endpoint of the target store."),
    graph_store: str | None = typer.Option(None, "--graph-store", help="Graph Store Protocol URL."),
    auth: str | None = typer.Option(None, "--auth", help="user:password for HTTP basic auth."),
    graph: Path | None = typer.Option(None, "--graph", help="A built graph folder (default: graph/)."),
) -> None:
    """Upload every named graph to another SPARQL store (Graph Store Protocol PUT, idempotent)."""
    from rjkg import publish as publish_mod

    _run(publish_mod.publish_cli, endpoint=endpoint, graph_store=graph_store, auth=auth, graph=graph)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
