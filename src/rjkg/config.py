"""Paths rjkg works with; no hidden environment magic (only RJKG_HOME may point elsewhere)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def project_root() -> Path:
    """The checkout root: RJKG_HOME, else the nearest parent of the cwd holding ontology/rjkg.ttl,
    else the source tree this package was installed from (editable install)."""
    env = os.environ.get("RJKG_HOME")
    if env:
        return Path(env).resolve()
    for base in (Path.cwd(), *Path.cwd().parents):
        if (base / "ontology" / "rjkg.ttl").is_file():
            return base
    return PACKAGE_DIR.parents[1]


ROOT = project_root()
SEEDS_DIR = ROOT / "seeds"
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "rjkg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
GRAPH_DIR = ROOT / "graph"
QUERIES_DIR = ROOT / "queries"
STATE_DIR = ROOT / ".rjkg"  # cache and store; not committed
CACHE_DIR = STATE_DIR / "cache"
STORE_DIR = STATE_DIR / "store"
GAZETTEER_FILE = DATA_DIR / "gazetteer.yaml"
WIKIDATA_FILE = DATA_DIR / "wikidata-qids.csv"
