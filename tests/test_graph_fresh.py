"""The committed graph/ is what `rjkg build` makes from seeds/ today: rebuild into a temporary folder, compare bytes.

Uses the project's extraction cache (.rjkg/cache), so it is quick after any build; a cache miss extracts for real.
If this fails after a change to extraction, the ontology or the shapes, run `rjkg build` and commit graph/.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from rjkg import pipeline

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graph"


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_committed_graph_is_fresh(tmp_path):
    committed = digests(GRAPH)
    assert len(committed) >= 10, f"graph/ looks empty ({len(committed)} files): run `rjkg build`"
    result = pipeline.build(ROOT / "seeds", tmp_path / "graph", jobs=2, quiet=True)
    rebuilt = digests(tmp_path / "graph")
    assert sorted(rebuilt) == sorted(committed), (
        "a different set of files: run `rjkg build` and commit graph/"
    )
    stale = sorted(name for name in committed if committed[name] != rebuilt[name])
    assert not stale, f"stale files in graph/ (run `rjkg build`): {stale}"
    assert result.published >= 1
