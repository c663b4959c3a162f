"""The only place that knows the stage order: ingest → extract → resolve → build → reason → validate → store.

`cli.py` commands are thin wrappers over the *_cli functions here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rjkg.errors import BuildError, InputError, RjkgError
from rjkg.records import Extraction


def extract_document(path: Path, metadata: Path | None = None) -> Extraction:
    """ingest → extract → resolve for one file."""
    from rjkg import extract, ingest, resolve

    meta = ingest.load_metadata(metadata or path.parent / "metadata.yaml")
    doc = ingest.load_document(path, meta.get(path.name))
    return resolve.resolve(extract.extract(doc))


def extract_cli(path: Path, *, format: str = "turtle", metadata: Path | None = None) -> int:
    """`rjkg extract`: print one document's named graph."""
    from rdflib import Dataset

    from rjkg import build
    from rjkg.errors import InputError
    from rjkg.vocab import bind_prefixes, doc_graph

    if format not in ("turtle", "trig", "json"):
        raise InputError(f"unknown format {format!r}", where="--format", hint="use turtle, trig or json")
    ex = extract_document(path, metadata)
    g = build.document_graph(ex)
    if format == "turtle":
        bind_prefixes(g)
        print(g.serialize(format="turtle"))
    elif format == "trig":
        ds = Dataset()
        bind_prefixes(ds)
        named = ds.graph(doc_graph(ex.doc.id))
        for t in g:
            named.add(t)
        print(ds.serialize(format="trig"))
    else:
        print(
            json.dumps(
                json.loads(g.serialize(format="json-ld")), ensure_ascii=False, indent=1, sort_keys=True
            )
        )
    return 0


# ====================================================================== rjkg build: the whole graph

STAGES = ("extract", "merge", "reason", "validate", "write", "swap")
PAUSE_ENV = "RJKG_TEST_PAUSE_AT"  # fault tests: make the build wait at a stage so it can be killed there
MAX_SHACL_PASSES = 5

# an extractor turns (document path, metadata.yaml path or None) into the document's graph (rdflib Graph)
Extractor = Callable[[Path, "Path | None"], object]


def pause_point(stage: str) -> None:
    """If RJKG_TEST_PAUSE_AT names this stage, say so on stderr and wait (the fault test kills us here)."""
    if os.environ.get(PAUSE_ENV) == stage:
        print(f"rjkg: paused at {stage}", file=sys.stderr, flush=True)
        time.sleep(3600)


@dataclass
class DocFailure:
    path: str
    reason: str


@dataclass
class BuildResult:
    out: Path
    documents: int = 0  # documents found
    published: int = 0  # document graphs in the published graph
    extracted: int = 0  # documents extracted in this run (cache misses)
    cached: int = 0  # documents taken from the cache
    validated: int = 0  # documents SHACL-validated in this run (the others' outcome was cached)
    failures: list[DocFailure] = field(default_factory=list)
    triples: dict[str, int] = field(default_factory=dict)  # layer -> triples
    violations: int = 0
    warnings: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    files: dict[str, tuple[int, str]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["out"] = str(self.out)
        return d


def default_extractor(path: Path, metadata: Path | None):
    """ingest → extract → resolve → build.document_graph for one file (runs in a worker process)."""
    from rjkg import build

    return build.document_graph(extract_document(path, metadata))


def _graph_to_ntriples(graph) -> str:
    """An rdflib graph as sorted N-Triples text (the cache's and the merge's unit)."""
    data = graph.serialize(format="nt")
    if isinstance(data, bytes):
        data = data.decode("utf-8")
    return "".join(sorted({line + "\n" for line in data.splitlines() if line.strip()}))


_WORKER_EXTRACTOR: Extractor | None = None


def _worker_init(extractor: Extractor) -> None:
    """Once per worker process: remember the extractor and load natasha (so it is loaded once per worker)."""
    global _WORKER_EXTRACTOR
    _WORKER_EXTRACTOR = extractor
    if extractor is default_extractor:
        try:
            from rjkg.extract.nlp import nlp

            nlp()
        except Exception:  # noqa: BLE001 - a broken model shows up per document with its message
            pass


def _extract_one(path: str, metadata: str | None, extractor: Extractor | None = None) -> tuple[str, str]:
    """('ok', N-Triples) or ('error', reason) — never raises, so one bad document cannot stop the others."""
    fn = extractor or _WORKER_EXTRACTOR or default_extractor
    try:
        g = fn(Path(path), Path(metadata) if metadata else None)
        return "ok", _graph_to_ntriples(g)
    except RjkgError as err:
        return "error", err.message + (f" ({err.hint})" if err.hint else "")
    except Exception as err:  # noqa: BLE001 - reported per document, with its type
        return "error", f"internal error {type(err).__name__}: {err}"


def _check_output(out: Path) -> None:
    """Refuse early (BuildError) when the output folder or its parent cannot be written."""
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BuildError(
            f"cannot create the output's parent folder: {err.strerror}",
            where=str(parent),
            hint="check the path",
        ) from None
    if out.exists() and not out.is_dir():
        raise BuildError("the output exists and is not a folder", where=str(out), hint="pass --out DIR")
    # mode bits too: the build runs as root in containers, where os.access ignores them
    for folder in (out, parent):
        if folder.exists() and (not os.access(folder, os.W_OK) or not folder.stat().st_mode & 0o222):
            raise BuildError(
                "the output folder is read-only",
                where=str(folder),
                hint="make it writable (chmod u+w) or pass --out to another folder",
            )
    probe = parent / f".{out.name}.probe-{os.getpid()}"
    try:
        probe.write_bytes(b"")
    except OSError as err:
        raise BuildError(
            f"cannot write next to the output folder: {err.strerror}",
            where=str(parent),
            hint="make it writable, free some disk space, or pass --out",
        ) from None
    finally:
        probe.unlink(missing_ok=True)


class _Reporter:
    """Progress and summary on a rich console; silent with --quiet (failures still go to stderr)."""

    def __init__(self, quiet: bool):
        from rich.console import Console

        self.quiet = quiet
        self.err = Console(stderr=True, highlight=False)
        self.out = Console(highlight=False)

    def stage(self, name: str):
        import contextlib

        if self.quiet:
            return contextlib.nullcontext()
        return self.err.status(f"[bold]{name}[/]…")

    def progress(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        return Progress(
            TextColumn("[bold]extract[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=self.err,
            disable=self.quiet,
            transient=True,
        )

    def failure(self, f: DocFailure) -> None:
        self.err.print(f"[red]rjkg: document failed[/] {f.path}: {f.reason}", soft_wrap=True)

    def summary(self, r: BuildResult) -> None:
        if self.quiet:
            return
        from rich.table import Table

        t = Table(title=f"rjkg build → {r.out}", show_header=True)
        t.add_column("what")
        t.add_column("value", justify="right")
        t.add_row("documents found", str(r.documents))
        t.add_row("  published", str(r.published))
        t.add_row("  extracted now / from cache", f"{r.extracted} / {r.cached}")
        t.add_row("  SHACL-validated now", str(r.validated))
        t.add_row("  failed", str(len(r.failures)))
        for layer, n in r.triples.items():
            t.add_row(f"triples: {layer}", f"{n:,}")
        t.add_row("SHACL violations / warnings", f"{r.violations} / {r.warnings}")
        for stage, s in r.seconds.items():
            t.add_row(f"seconds: {stage}", f"{s:.2f}")
        self.out.print(t)


def _extract_all(
    paths: list[Path],
    metadata: Path | None,
    metas: dict,
    cache,
    pipeline: str,
    jobs: int,
    extractor: Extractor,
    rep: _Reporter,
    result: BuildResult,
    keys: dict[str, str],
) -> dict[str, str]:
    """Document id → N-Triples of its graph, from the cache or extracted in parallel worker processes."""
    from rjkg.cache import document_key

    graphs: dict[str, str] = {}
    todo: list[tuple[Path, str]] = []
    for p in paths:
        try:
            raw = p.read_bytes()
        except OSError as err:
            result.failures.append(DocFailure(str(p), f"cannot read the file: {err.strerror}"))
            continue
        meta = metas.get(p.name)
        key = document_key(raw, asdict(meta) if meta is not None else None, pipeline)
        keys[p.stem] = key
        hit = cache.get(key)
        if hit is not None:
            graphs[p.stem] = hit
            result.cached += 1
        else:
            todo.append((p, key))
    md = str(metadata) if metadata else None

    def done(p: Path, key: str, status: str, payload: str) -> None:
        if status == "ok":
            graphs[p.stem] = payload
            cache.put(key, payload)
            result.extracted += 1
        else:
            result.failures.append(DocFailure(str(p), payload))

    with rep.progress() as prog:
        task = prog.add_task("", total=len(todo))
        workers = min(jobs, len(todo))
        if workers <= 1:
            _worker_init(extractor)
            for p, key in todo:
                prog.update(task, description=p.name)
                done(p, key, *_extract_one(str(p), md, extractor))
                prog.advance(task)
        else:
            ctx = get_context("fork")
            with ProcessPoolExecutor(
                workers, mp_context=ctx, initializer=_worker_init, initargs=(extractor,)
            ) as pool:
                futures = {pool.submit(_extract_one, str(p), md): (p, key) for p, key in todo}
                for fut in as_completed(futures):
                    p, key = futures[fut]
                    try:
                        status, payload = fut.result()
                    except BrokenProcessPool:
                        status, payload = "error", "the extraction worker died (out of memory or killed?)"
                    done(p, key, status, payload)
                    prog.update(task, description=p.name)
                    prog.advance(task)
    return graphs


def _parse_graph(data: bytes, graph, fmt=None) -> list:
    """Quads of one named graph exactly as written (parsed, not via a Store: see `build`)."""
    import pyoxigraph as ox

    parsed = ox.parse(data, format=fmt or ox.RdfFormat.N_TRIPLES)
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]


def _curated_ntriples(curated: Callable[[], object] | None) -> str:
    """The curated layer (build.curated_graph()) as N-Triples; empty until that function exists."""
    if curated is None:
        try:
            from rjkg import build

            curated = build.curated_graph
        except (ImportError, AttributeError):
            return ""
    return _graph_to_ntriples(curated())


def _subject_index(layers: dict) -> dict[str, set[str]]:
    """Subject IRI → ids of the document graphs that describe it (to blame SHACL violations on documents)."""
    from rjkg.vocab import GRAPH

    prefix = GRAPH + "doc/"
    index: dict[str, set[str]] = {}
    for g, quads in layers.items():
        if g.startswith(prefix):
            for q in quads:
                index.setdefault(getattr(q.subject, "value", ""), set()).add(g[len(prefix) :])
    return index


def _doc_graphs_of(index: dict[str, set[str]], focus: str) -> set[str]:
    iri = focus[1:-1] if focus.startswith("<") and focus.endswith(">") else _expand(focus)
    return set(index.get(iri, ())) if iri else set()


def _resource_nodes(quads) -> set[str]:
    """Our resources (…/id/… IRIs, hash part dropped) a graph mentions: what two documents can share."""
    import pyoxigraph as ox

    from rjkg.vocab import ID

    out = set()
    for q in quads:
        for t in (q.subject, q.object):
            if isinstance(t, ox.NamedNode) and t.value.startswith(ID):
                out.add(t.value.split("#", 1)[0])
    return out


def _validate_docs(layers: dict, docs: list[str], inferred: list, shapes, ontology):
    """SHACL over the curated layer + these documents' graphs + the inferred triples about their nodes."""
    from rjkg import validate
    from rjkg.vocab import G_CURATED, doc_graph

    data = list(layers.get(str(G_CURATED), []))
    for d in docs:
        data.extend(layers[str(doc_graph(d))])
    nodes = {t for q in data for t in (q.subject, q.object)}
    data.extend(q for q in inferred if q.subject in nodes)
    return validate.validate_graph(validate.graph_from_quads(data), shapes=shapes, ontology=ontology)


VALIDATE_CHUNK = 20  # documents per pyshacl call: keeps each data graph small, so validation stays linear
_VALIDATION_STATE: tuple | None = None  # what forked validation workers read (set just before the fork)


def _validate_chunk(docs: list[str]) -> list:
    layers, inferred, shapes, ontology = _VALIDATION_STATE
    return _validate_docs(layers, docs, inferred, shapes, ontology).results


def _validate_many(layers: dict, todo: list[str], inferred: list, shapes, ontology, jobs: int) -> list:
    """SHACL results for these documents, validated in chunks, in parallel forked processes when jobs > 1."""
    global _VALIDATION_STATE
    chunks = [todo[i : i + VALIDATE_CHUNK] for i in range(0, len(todo), VALIDATE_CHUNK)] or [[]]
    _VALIDATION_STATE = (layers, inferred, shapes, ontology)
    try:
        if jobs <= 1 or len(chunks) == 1:
            found = [r for chunk in chunks for r in _validate_chunk(chunk)]
        else:
            with ProcessPoolExecutor(min(jobs, len(chunks)), mp_context=get_context("fork")) as pool:
                found = [r for rs in pool.map(_validate_chunk, chunks) for r in rs]
    finally:
        _VALIDATION_STATE = None
    return sorted(set(found), key=lambda x: (x.shape, x.focus, x.path, x.value, x.message))


def _expand(qname: str) -> str | None:
    from rjkg.vocab import PREFIXES

    prefix, _, local = qname.partition(":")
    ns = PREFIXES.get(prefix)
    return ns + local if ns else None


def build(
    seeds: Path | None = None,
    out: Path | None = None,
    *,
    jobs: int = 0,
    quiet: bool = True,
    use_cache: bool = True,
    cache_dir: Path | None = None,
    extractor: Extractor | None = None,
    curated: Callable[[], object] | None = None,
    ontology_file: Path | None = None,
    shapes_file: Path | None = None,
) -> BuildResult:
    """extract all (parallel, cached) → merge named graphs → reason → validate → write → swap into `out`.

    Raises InputError (usage) or BuildError (could not publish; `out` untouched). Documents that fail to extract,
    or whose graph violates the shapes, are listed in `result.failures` and left out; the rest is published.
    """
    import pyoxigraph as ox

    from rjkg import config, ingest, meta, reason, validate
    from rjkg import store as store_mod
    from rjkg.cache import DocumentCache, ShaclCache, pipeline_hash
    from rjkg.vocab import G_CURATED, G_INFERRED, G_META, G_ONTOLOGY, GRAPH, doc_graph

    seeds = Path(seeds) if seeds else config.SEEDS_DIR
    out = Path(out) if out else config.GRAPH_DIR
    out = out.absolute()
    ontology_file = Path(ontology_file) if ontology_file else config.ONTOLOGY_FILE
    shapes_file = Path(shapes_file) if shapes_file else config.SHAPES_FILE
    if jobs < 0:
        raise InputError(f"--jobs must be 0 (all cores) or more, not {jobs}", where="--jobs")
    jobs = jobs or os.cpu_count() or 1
    if not seeds.is_dir():
        raise InputError("not a folder of documents", where=str(seeds), hint="pass --seeds DIR")
    for f, what in ((ontology_file, "ontology"), (shapes_file, "SHACL shapes")):
        if not f.is_file():
            raise BuildError(
                f"the {what} file is missing", where=str(f), hint="restore ontology/ from the repository"
            )
    rep = _Reporter(quiet)
    result = BuildResult(out=out)
    _check_output(out)
    lock = config.STATE_DIR / "locks" / f"build-{hashlib.sha256(str(out).encode()).hexdigest()[:16]}.lock"
    with store_mod.file_lock(lock, what=f"build into {out}"):
        store_mod.recover_dir(out)
        # ---- extract
        t0 = time.perf_counter()
        pause_point("extract")
        paths = ingest.find_documents(seeds)
        result.documents = len(paths)
        metadata = seeds / "metadata.yaml"
        metas = ingest.load_metadata(metadata) if metadata.is_file() else {}
        cache = DocumentCache(cache_dir or config.CACHE_DIR, enabled=use_cache)
        doc_keys: dict[str, str] = {}
        graphs = _extract_all(
            paths,
            metadata if metadata.is_file() else None,
            metas,
            cache,
            pipeline_hash(),
            jobs,
            extractor or default_extractor,
            rep,
            result,
            doc_keys,
        )
        result.seconds["extract"] = time.perf_counter() - t0
        # ---- merge
        t0 = time.perf_counter()
        pause_point("merge")
        with rep.stage("merge"):
            # exact quads per named graph: pyoxigraph 0.5.13's Store rewrites xsd:integer subtypes (e.g.
            # xsd:nonNegativeInteger offsets) to xsd:integer, so the Store is used for reasoning only and the
            # dumps and SHACL see the literals as extracted
            layers: dict[str, list] = {}
            try:
                layers[str(G_ONTOLOGY)] = _parse_graph(
                    ontology_file.read_bytes(), ox.NamedNode(str(G_ONTOLOGY)), ox.RdfFormat.TURTLE
                )
            except SyntaxError as err:
                raise BuildError(
                    f"the ontology does not parse: {err.msg}",
                    where=f"{ontology_file}:{err.lineno}:{err.offset}",
                ) from None
            nt = _curated_ntriples(curated)
            if nt:
                layers[str(G_CURATED)] = _parse_graph(nt.encode("utf-8"), ox.NamedNode(str(G_CURATED)))
            for doc_id in sorted(graphs):
                g = ox.NamedNode(str(doc_graph(doc_id)))
                layers[g.value] = _parse_graph(graphs[doc_id].encode("utf-8"), g)
        result.seconds["merge"] = time.perf_counter() - t0
        # ---- reason + validate. Documents whose graphs violate the shapes are dropped (reported) and the rest
        # published. Each document's outcome is cached, so an incremental build validates only new documents
        # (with the curated layer and the inferred triples about their nodes).
        shapes = validate.load_graph_file(shapes_file)
        ontology = validate.load_graph_file(ontology_file)
        shacl_cache = ShaclCache(cache_dir or config.CACHE_DIR, enabled=use_cache)
        context = hashlib.sha256(
            shapes_file.read_bytes() + b"\0" + ontology_file.read_bytes() + b"\0" + nt.encode("utf-8")
        ).hexdigest()
        skeys = {d: ShaclCache.key(doc_keys.get(d, d), context) for d in graphs}
        by_stem = {p.stem: p for p in paths}
        result.seconds["reason"] = result.seconds["validate"] = 0.0
        warnings = 0

        def drop(d: str, reason_text: str) -> None:
            result.failures.append(DocFailure(str(by_stem.get(d, d)), reason_text))
            layers.pop(str(doc_graph(d)), None)
            graphs.pop(d, None)

        todo = []
        for d in sorted(graphs):
            outcome = shacl_cache.get(skeys[d])
            if outcome is None:
                todo.append(d)
            elif outcome["violations"]:
                drop(d, outcome["violations"])
            else:
                warnings += outcome["warnings"]
        schema = None

        def reasoned() -> list:
            nonlocal schema
            data = [q for g, qs in layers.items() if g != str(G_ONTOLOGY) for q in qs]
            inferred, schema = reason.infer(layers[str(G_ONTOLOGY)], data, schema)
            return inferred

        for attempt in range(MAX_SHACL_PASSES):
            t0 = time.perf_counter()
            pause_point("reason")
            with rep.stage("reason (OWL 2 RL)"):
                inferred = reasoned()
            result.seconds["reason"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            pause_point("validate")
            result.validated += len(todo)
            with rep.stage(f"validate (SHACL, {len(todo)} document(s))"):
                results = _validate_many(layers, todo, inferred, shapes, ontology, jobs)
            result.seconds["validate"] += time.perf_counter() - t0
            blamed: dict[str, list] = {}
            warned: dict[str, int] = {}
            index = _subject_index(layers)
            unblamed = []
            for v in results:
                docs = _doc_graphs_of(index, v.focus) & set(todo)
                if v.severity != "Violation":
                    for d in docs:
                        warned[d] = warned.get(d, 0) + 1
                    continue
                if not docs:
                    unblamed.append(v)
                for d in docs:
                    blamed.setdefault(d, []).append(v)
            if unblamed or (blamed and attempt == MAX_SHACL_PASSES - 1):
                shown = "\n".join(f"  {v.shape} {v.focus} {v.path}: {v.message}" for v in unblamed[:20])
                raise BuildError(
                    f"SHACL validation failed: {sum(v.severity == 'Violation' for v in results)} violation(s), "
                    f"{len(unblamed)} not attributable to one document; nothing published\n{shown}",
                    where=str(shapes_file),
                    hint="run `rjkg validate` on the data for the full report; fix the curated data or the shapes",
                )
            dropped_nodes: set[str] = set()
            for d in sorted(blamed):
                vs = blamed[d]
                summary = "; ".join(sorted({f"{v.shape} {v.path}: {v.message}" for v in vs})[:3])
                text = f"SHACL: {len(vs)} violation(s): {summary}"
                dropped_nodes |= _resource_nodes(layers.get(str(doc_graph(d)), []))
                shacl_cache.put(skeys[d], {"violations": text, "warnings": warned.get(d, 0)})
                drop(d, text)
            # the curated layer types its own entities, so sharing one of them is no reason to recheck
            dropped_nodes -= _resource_nodes(layers.get(str(G_CURATED), []))
            ok = [d for d in todo if d not in blamed]
            # a document sharing resources with a dropped one may have leant on its inferred triples: recheck it
            todo = [d for d in ok if _resource_nodes(layers[str(doc_graph(d))]) & dropped_nodes]
            for d in ok:
                if d not in todo:
                    shacl_cache.put(skeys[d], {"violations": "", "warnings": warned.get(d, 0)})
                    warnings += warned.get(d, 0)
            if not todo:
                if blamed:  # the inferred graph still holds what the dropped documents entailed
                    t0 = time.perf_counter()
                    inferred = reasoned()
                    result.seconds["reason"] += time.perf_counter() - t0
                break
        result.violations, result.warnings = 0, warnings
        if result.documents and not graphs:
            listed = "\n".join(f"  {f.path}: {f.reason}" for f in result.failures[:20])
            raise BuildError(
                f"no document could be built; the previous graph is kept\n{listed}",
                where=str(seeds),
                hint="see the failures listed above",
            )
        # ---- describe, write, swap
        t0 = time.perf_counter()
        layers[str(G_INFERRED)] = inferred
        counts = {g: len(set(qs)) for g, qs in layers.items() if qs}
        meta_graph = ox.NamedNode(str(G_META))
        layers[str(G_META)] = [
            ox.Quad(t.subject, t.predicate, t.object, meta_graph) for t in meta.meta_triples(counts)
        ]
        result.published = len(graphs)
        doc_prefix = GRAPH + "doc/"
        result.triples = {
            "ontology": counts.get(str(G_ONTOLOGY), 0),
            "curated": counts.get(str(G_CURATED), 0),
            "documents": sum(n for g, n in counts.items() if g.startswith(doc_prefix)),
            "inferred": counts.get(str(G_INFERRED), 0),
            "meta": len(layers[str(G_META)]),
        }
        tmp = out.parent / f".{out.name}.tmp-{os.getpid()}"
        try:
            with rep.stage("write"):
                pause_point("write")
                files = store_mod.write_dumps(
                    [q for qs in layers.values() for q in qs],
                    tmp,
                    ontology_file=ontology_file,
                    on_file=lambda name: name == "rjkg.nq" and pause_point("write-partial"),
                )
                void = store_mod.turtle_bytes(meta.void_triples(counts, files), meta.VOID_PREFIXES)
                store_mod.write_bytes(tmp / store_mod.VOID_FILE, void)
                files[store_mod.VOID_FILE] = (len(void), hashlib.sha256(void).hexdigest())
                store_mod.write_checksums(tmp, files)
            result.files = files
            result.seconds["write"] = time.perf_counter() - t0
            t0 = time.perf_counter()
            pause_point("swap")
            store_mod.swap_dir(tmp, out, between=lambda: pause_point("swap-between"))
            result.seconds["swap"] = time.perf_counter() - t0
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return result


def build_cli(*, seeds=None, out=None, jobs=0, quiet=False, use_cache=True) -> int:
    """`rjkg build`: 0 all good, 1 some documents failed (the rest is published), 2 usage, 3 could not publish."""
    rep = _Reporter(quiet)
    t0 = time.perf_counter()
    try:
        result = build(seeds, out, jobs=jobs, quiet=quiet, use_cache=use_cache)
    except (RjkgError, KeyboardInterrupt):
        raise
    except OSError as err:
        raise BuildError(
            f"{err.strerror or err}",
            where=err.filename or "build",
            hint="check the paths, permissions and free space",
        ) from None
    except Exception as err:  # a bug: say what, not a traceback; graph/ is untouched
        raise BuildError(
            f"internal error {type(err).__name__}: {err}; nothing was published",
            where="rjkg build",
            hint="please report it with the command you ran",
        ) from None
    for f in result.failures:
        rep.failure(f)
    result.seconds["total"] = time.perf_counter() - t0
    rep.summary(result)
    return 1 if result.failures else 0
