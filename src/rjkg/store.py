"""graph/ dumps ↔ pyoxigraph stores. Canonical dump writing lives here and only here.

Two entry points the server relies on:

* `ensure_store(graph_dir, store_dir=None) -> Path` — a RocksDB store built from ``graph/rjkg.nq`` (plus
  ``graph/void.ttl`` into the meta graph), reused while a stamp file says it matches the dumps' SHA-256, otherwise
  rebuilt in a temporary folder next to it and renamed into place. Never half-written: a reader either sees the old
  complete store or the new complete one. Open it with ``pyoxigraph.Store.read_only(path)``.
* `open_memory(graph_dir) -> pyoxigraph.Store` — the same content in an in-memory store, for tests and one-off
  queries.

Caveat (measured, pyoxigraph 0.5.13): a ``Store`` rewrites literals of xsd:integer's subtypes (nonNegativeInteger,
positiveInteger, int, long, …) to xsd:integer, while ``pyoxigraph.parse`` and ``Dataset`` keep them. The dumps keep
the datatypes as extracted (the build never round-trips data through a Store); query results from a Store show
xsd:integer for those literals.

Dumps are byte-for-byte deterministic: quads are sorted by their N-Quads form, Turtle/TriG are written from sorted
input with fixed prefixes, and any blank nodes are canonicalised with RDFC-1.0 first.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from rjkg.errors import BuildError, InputError
from rjkg.vocab import G_META, PREFIXES

DUMP_NQ = "rjkg.nq"
VOID_FILE = "void.ttl"
STAMP = "SOURCE-SHA256"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- canonical writing


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads in a canonical order (by N-Quads text); blank nodes, if any, relabelled with RDFC-1.0 first."""
    quads = list(quads)
    if any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object, q.graph_name)):
        ds = ox.Dataset(quads)
        ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        quads = list(ds)
    return sorted(set(quads), key=str)


def nquads_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """Sorted, canonical N-Quads (one quad per line, sorted bytewise)."""
    data = ox.serialize(sorted_quads(quads), format=ox.RdfFormat.N_QUADS)
    lines = sorted(set(data.splitlines(keepends=True)))
    return b"".join(lines)


def _sort_prefix_lines(data: bytes) -> bytes:
    """pyoxigraph writes @prefix lines in hash-map order; sort them so the bytes are stable across runs."""
    lines = data.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"".join(sorted(lines[:n]) + lines[n:])


def turtle_bytes(triples: Iterable[ox.Triple], prefixes: dict[str, str] | None = None) -> bytes:
    """Turtle with the project's prefixes, from sorted distinct triples (deterministic)."""
    items = sorted(set(triples), key=str)
    return _sort_prefix_lines(ox.serialize(items, format=ox.RdfFormat.TURTLE, prefixes=prefixes or PREFIXES))


def trig_bytes(quads: Iterable[ox.Quad]) -> bytes:
    """TriG with the project's prefixes, graphs in IRI order, triples sorted within each graph."""
    items = sorted(set(quads), key=lambda q: (str(q.graph_name), str(q.triple)))
    return _sort_prefix_lines(ox.serialize(items, format=ox.RdfFormat.TRIG, prefixes=PREFIXES))


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file fully and fsync it; a clear BuildError on a read-only folder or a full disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as err:
        raise BuildError(
            f"cannot write {path.name}: {err.strerror or err}",
            where=str(path),
            hint="check free disk space and that the output folder is writable",
        ) from err


# ---------------------------------------------------------------- reading dumps


def load_dump(store: ox.Store, graph_dir: Path) -> None:
    """Load graph/rjkg.nq (and void.ttl into the meta graph) into a store."""
    nq = graph_dir / DUMP_NQ
    if not nq.is_file():
        raise InputError(
            f"no {DUMP_NQ} in {graph_dir}",
            where=str(graph_dir),
            hint="run `rjkg build` first (or pass --graph)",
        )
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    void = graph_dir / VOID_FILE
    if void.is_file():
        store.bulk_load(path=str(void), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(G_META)))


def open_memory(graph_dir: Path) -> ox.Store:
    """An in-memory pyoxigraph Store holding graph/rjkg.nq (all named graphs) and void.ttl (meta graph).

    Query it with ``use_default_graph_as_union=True`` to get the endpoint's default graph (union of all graphs).
    """
    store = ox.Store()
    load_dump(store, Path(graph_dir))
    return store


def dump_fingerprint(graph_dir: Path) -> str:
    """SHA-256 over the files a store is built from (rjkg.nq, void.ttl)."""
    h = hashlib.sha256()
    for name in (DUMP_NQ, VOID_FILE):
        p = graph_dir / name
        h.update(name.encode() + b"\0" + (sha256_file(p).encode() if p.is_file() else b"-") + b"\n")
    return h.hexdigest()


@contextlib.contextmanager
def file_lock(lock_path: Path, *, what: str) -> Iterator[None]:
    """An exclusive, non-blocking flock; released by the OS if the process dies. BuildError when held."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise BuildError(
            f"cannot create the lock file: {err.strerror or err}",
            where=str(lock_path),
            hint="make the folder writable",
        ) from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(
                f"another {what} is running (lock held)",
                where=str(lock_path),
                hint=f"wait for the other {what} to finish, then retry",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where the OS or libc lacks it."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: the filesystem cannot exchange
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_dir(new: Path, target: Path, between=None) -> None:
    """Put a complete folder `new` in place of `target`.

    On Linux this is one atomic renameat2(RENAME_EXCHANGE): readers and a SIGKILL at any instant see either the old
    or the new folder, never none. Elsewhere two renames, and `recover_dir` undoes a swap cut between them.
    `between` is the fault tests' pause hook, called after the point of no return and before cleanup.
    """
    if target.exists() and _exchange(new, target):
        if between is not None:
            between()
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous folder
        return
    old = target.parent / f".{target.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.rename(target, old)
    if between is not None:
        between()
    os.rename(new, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


def recover_dir(target: Path) -> None:
    """Undo a swap interrupted between its renames, and remove leftovers of killed runs."""
    old = target.parent / f".{target.name}.old"
    if old.exists():
        if target.exists():
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(old, target)
    if target.parent.is_dir():
        for leftover in target.parent.glob(f".{target.name}.tmp-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def ensure_store(graph_dir: Path, store_dir: Path | None = None) -> Path:
    """Return a RocksDB pyoxigraph store folder holding graph_dir's dumps, building it only when needed.

    `store_dir` defaults to `.rjkg/store` in the project. The store is built in a temporary folder beside it and
    renamed into place; a stamp file inside records the dumps' fingerprint so an up-to-date store is reused. Safe
    against concurrent callers (a lock) and killed runs (leftovers cleaned, the previous store kept intact).
    """
    from rjkg import config

    graph_dir = Path(graph_dir)
    store_dir = Path(store_dir) if store_dir else config.STORE_DIR
    fingerprint = dump_fingerprint(graph_dir)
    stamp = store_dir / STAMP
    if stamp.is_file() and stamp.read_text().strip() == fingerprint:
        return store_dir
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    with file_lock(store_dir.parent / f".{store_dir.name}.lock", what="store build"):
        recover_dir(store_dir)
        if stamp.is_file() and stamp.read_text().strip() == fingerprint:
            return store_dir
        tmp = store_dir.parent / f".{store_dir.name}.tmp-{os.getpid()}"
        if tmp.exists():
            shutil.rmtree(tmp)
        try:
            store = ox.Store(str(tmp))
            load_dump(store, graph_dir)
            store.flush()
            store.optimize()
            del store
            write_bytes(tmp / STAMP, fingerprint.encode() + b"\n")
            swap_dir(tmp, store_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return store_dir


# ---------------------------------------------------------------- publishing a whole dataset


def graph_file(graph: str) -> str | None:
    """The per-graph Turtle file a named graph is published in (None for the meta graph)."""
    from rjkg.meta import dump_file

    return dump_file(graph)


def write_dumps(
    quads: Iterable[ox.Quad], out: Path, *, ontology_file: Path | None = None, on_file=None
) -> dict[str, tuple[int, str]]:
    """Write every dump of `quads` (the whole dataset) into folder `out`; return {file name: (bytes, sha256)} (void.ttl excluded).

    Blank nodes (the ontology's lists) are relabelled once with RDFC-1.0 so every file agrees and is stable.
    `ontology_file`, when given, is copied as ontology.ttl (keeping its comments). `on_file(name)` is called after
    each file (the build's pause hook for fault tests).
    """
    quads = sorted_quads(quads)
    files: dict[str, tuple[int, str]] = {}

    def put(name: str, data: bytes) -> None:
        write_bytes(out / name, data)
        files[name] = (len(data), hashlib.sha256(data).hexdigest())
        if on_file is not None:
            on_file(name)

    put(DUMP_NQ, nquads_bytes(quads))
    put("rjkg.trig", trig_bytes(quads))
    put("rjkg.ttl", turtle_bytes(q.triple for q in quads))
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        if isinstance(q.graph_name, ox.NamedNode):
            by_graph.setdefault(q.graph_name.value, []).append(q.triple)
    for graph in sorted(by_graph):
        name = graph_file(graph)
        if name is None:
            continue
        if name == "ontology.ttl" and ontology_file is not None:
            put(name, Path(ontology_file).read_bytes())
        else:
            put(name, turtle_bytes(by_graph[graph]))
    return files


def write_checksums(out: Path, files: dict[str, tuple[int, str]]) -> None:
    """SHA256SUMS in `sha256sum -c` format, covering every published file including void.ttl."""
    lines = "".join(f"{files[name][1]}  {name}\n" for name in sorted(files))
    write_bytes(out / "SHA256SUMS", lines.encode())
