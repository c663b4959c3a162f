"""rjkg.store: canonical dump writing, `open_memory`, and `ensure_store` (atomic, reused while up to date)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from rjkg import store
from rjkg.errors import InputError
from rjkg.vocab import G_META

EX = "http://example.org/"


def quad(s: str, p: str, o, g: str = "g") -> ox.Quad:
    obj = o if isinstance(o, (ox.Literal, ox.BlankNode)) else ox.NamedNode(EX + o)
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + p), obj, ox.NamedNode(EX + g))


@pytest.fixture
def graph_dir(tmp_path) -> Path:
    d = tmp_path / "graph"
    d.mkdir()
    quads = [quad("a", "p", "b"), quad("b", "p", ox.Literal("текст", language="ru"), "h")]
    (d / "rjkg.nq").write_bytes(store.nquads_bytes(quads))
    (d / "void.ttl").write_bytes(
        store.turtle_bytes([ox.Triple(ox.NamedNode(EX + "ds"), ox.NamedNode(EX + "n"), ox.Literal("2"))])
    )
    return d


def test_nquads_are_sorted_and_independent_of_input_order():
    quads = [quad("b", "p", "c"), quad("a", "p", "c"), quad("a", "p", ox.Literal("x")), quad("a", "p", "c")]
    one = store.nquads_bytes(quads)
    assert one == store.nquads_bytes(list(reversed(quads)))
    lines = one.splitlines()
    assert lines == sorted(lines) and len(lines) == 3


def test_blank_nodes_are_canonicalised_the_same_way_every_time():
    def build():
        a, b = ox.BlankNode(), ox.BlankNode()
        return [quad("s", "list", a), ox.Quad(a, ox.NamedNode(EX + "first"), b, ox.NamedNode(EX + "g"))]

    assert store.nquads_bytes(build()) == store.nquads_bytes(build())
    assert b"_:c14n" in store.nquads_bytes(build())


def test_turtle_prefix_lines_are_sorted():
    data = store.turtle_bytes([ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x"))])
    prefixes = [line for line in data.splitlines() if line.startswith(b"@prefix")]
    assert prefixes == sorted(prefixes) and prefixes


def test_open_memory_loads_dump_and_void(graph_dir):
    st = store.open_memory(graph_dir)
    assert len(st) == 3
    assert list(st.quads_for_pattern(None, None, None, ox.NamedNode(str(G_META))))
    assert st.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)


def test_open_memory_without_a_dump_is_an_input_error(tmp_path):
    with pytest.raises(InputError) as e:
        store.open_memory(tmp_path)
    assert "rjkg build" in str(e.value)


def test_ensure_store_builds_reuses_and_rebuilds(graph_dir, tmp_path):
    target = tmp_path / "state" / "store"
    path = store.ensure_store(graph_dir, target)
    assert path == target
    stamp = (target / store.STAMP).read_text()
    ro = ox.Store.read_only(str(target))
    assert len(ro) == 3
    del ro
    # up to date: reused, not rebuilt (same stamp file, same inode)
    inode = (target / store.STAMP).stat().st_ino
    assert store.ensure_store(graph_dir, target) == target
    assert (target / store.STAMP).stat().st_ino == inode
    # the dump changes: rebuilt with the new content
    (graph_dir / "rjkg.nq").write_bytes(store.nquads_bytes([quad("c", "p", "d")]))
    store.ensure_store(graph_dir, target)
    assert (target / store.STAMP).read_text() != stamp
    ro = ox.Store.read_only(str(target))
    assert len(ro) == 2  # one quad + the void triple
    assert not [p for p in target.parent.iterdir() if ".tmp-" in p.name]


def test_ensure_store_failure_keeps_the_previous_store(graph_dir, tmp_path):
    target = tmp_path / "store"
    store.ensure_store(graph_dir, target)
    before = (target / store.STAMP).read_text()
    (graph_dir / "rjkg.nq").write_bytes(b"<http://broken> .\n")
    with pytest.raises(SyntaxError):
        store.ensure_store(graph_dir, target)
    assert (target / store.STAMP).read_text() == before
    assert len(ox.Store.read_only(str(target))) == 3
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_recover_dir_restores_a_swap_cut_between_renames(tmp_path):
    target = tmp_path / "graph"
    old = tmp_path / ".graph.old"
    old.mkdir()
    (old / "rjkg.nq").write_text("old")
    (tmp_path / ".graph.tmp-123").mkdir()
    store.recover_dir(target)
    assert (target / "rjkg.nq").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]


def test_swap_dir_replaces_atomically(tmp_path):
    target, new = tmp_path / "graph", tmp_path / ".graph.tmp-1"
    target.mkdir()
    (target / "f").write_text("old")
    new.mkdir()
    (new / "f").write_text("new")
    store.swap_dir(new, target)
    assert (target / "f").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph"]
    shutil.rmtree(target)
