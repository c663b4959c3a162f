"""Helpers shared by the serving tests (a real `python -m rjkg.serve` process on 127.0.0.1) and the check that the
fixture graph folder is derived from its source (tests/fixtures/graph/source.trig) and still agrees with it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from rjkg import store as store_mod
from rjkg.vocab import G_META

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "graph"
SOURCE = FIXTURE / "source.trig"
DERIVED = ["rjkg.nq", "rjkg.trig", "rjkg.ttl", "ontology.ttl", "curated.ttl", "inferred.ttl", "void.ttl"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def regenerate(folder: Path = FIXTURE) -> None:
    """Write the dumps of source.trig into `folder` the way the build publishes them (store.write_dumps).

    A Dataset, not a Store: a pyoxigraph Store turns xsd:nonNegativeInteger into xsd:integer on load.
    """
    ds = ox.Dataset(ox.parse(path=str(SOURCE), format=ox.RdfFormat.TRIG))
    meta = [q.triple for q in ds.quads_for_graph_name(ox.NamedNode(str(G_META)))]
    store_mod.write_dumps(ds, folder)
    store_mod.write_bytes(folder / "void.ttl", store_mod.turtle_bytes(meta))


class Server:
    """`python -m rjkg.serve` in a child process; `url` once /readyz answered."""

    def __init__(self, graph: Path, store: Path, *args: str, timeout: float = 2.0, workers: int = 2):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = store.parent / f"server-{self.port}.log"
        cmd = [sys.executable, "-m", "rjkg.serve", "--graph", str(graph), "--store", str(store)]
        cmd += ["--port", str(self.port), "--timeout", str(timeout), "--workers", str(workers), *args]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self.log.open("wb"), env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not become ready: {self.log.read_text()}")

    def worker_pids(self) -> set[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return {int(p) for p in out.split()}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def built_store(tmp: Path, graph: Path = FIXTURE) -> Path:
    return store_mod.ensure_store(graph, tmp / "store")


def test_fixture_dumps_are_derived_from_source(tmp_path, update_golden):
    """The committed dumps are exactly what store.write_dumps makes of source.trig (regenerate with --update-golden)."""
    if update_golden:
        regenerate()
    regenerate(tmp_path)
    names = DERIVED + sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "doc").glob("*.ttl"))
    assert len(names) == len(DERIVED) + 2, names
    stale = [n for n in names if _quads(tmp_path / n) != _quads(FIXTURE / n)]  # as graphs, not as text
    assert not stale, f"stale fixture files (run pytest --update-golden): {stale}"


def _quads(path: Path) -> set[str]:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
    return {str(q) for q in ox.parse(path=str(path), format=fmt)}


def test_fixture_follows_the_graph_contract():
    """Every graph of the fixture is one the contract names, and its subjects are under the base IRI."""
    ds = ox.Dataset(ox.parse(path=str(FIXTURE / "rjkg.nq"), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in ds}
    assert {g.rsplit("/graph/", 1)[1] for g in graphs} == {
        "ontology", "curated", "inferred", "meta", "doc/000_fixture0001", "doc/001_fixture0002",
    }  # fmt: skip
    subjects = {q.subject.value for q in ds}
    assert all(s.startswith("https://w3id.org/rjkg/") for s in subjects), sorted(subjects)
    assert len(ds) >= 100


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> Path:
    return built_store(tmp_path_factory.mktemp("store"))
