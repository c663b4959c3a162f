"""Whole documents written for rjkg (news, statements, communiqués with tables): ingest → extract → resolve, scored
against hand annotations (tests/docs/good/*.yaml) with the gold rules of tests/gold/README.md §3."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from rjkg import ingest, resolve
from rjkg import score as S
from rjkg.extract import extract

GOOD = Path(__file__).parent / "docs" / "good"
DOCS = sorted(GOOD.glob("*.txt"))


def _gold(path: Path) -> tuple[list, list]:
    g = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    ents = [
        S.GoldEntity(
            str(i),
            e["type"],
            e["name_ru"],
            aliases=tuple(e.get("aliases", ())),
            alt_types=tuple(e.get("alt", ())),
        )
        for i, e in enumerate(g["entities"])
    ]
    by_name = {e.name_ru: e for e in ents}
    posts = []
    for p in g["posts"]:
        orgs = p.get("org") or []
        orgs = [orgs] if isinstance(orgs, str) else orgs
        posts.append(S.GoldPost(by_name[p["person"]], p["post"], None, tuple(by_name[o] for o in orgs)))
    return ents, posts


@pytest.fixture(scope="module")
def counts() -> dict[str, list]:
    out = {"entities": [], "posts": []}
    for path in DOCS:
        ents, posts = _gold(path)
        ex = resolve.resolve(extract(ingest.load_document(path)))
        names = {e.key: e.name_ru for e in ex.entities}
        xe = [S.XEntity(e.type, e.name_ru) for e in ex.entities]
        xp = [S.XPost(names[p.person], p.title, names.get(p.org) if p.org else None) for p in ex.posts]
        out["entities"].append(S.count("entities", ents, xe))
        out["posts"].append(S.count("posts", posts, xp))
    return out


def test_documents_found():
    assert len(DOCS) == 14


@pytest.mark.parametrize("category, target", [("entities", 0.95), ("posts", 0.95)])
def test_f1_on_documents_written_for_rjkg(counts, category, target):
    tp = sum(c.tp for c in counts[category])
    fp = sum(c.fp for c in counts[category])
    fn = sum(c.fn for c in counts[category])
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= target, f"{category}: F1 {f1:.3f} (tp={tp} fp={fp} fn={fn})"
