"""Once-per-run fixtures shared by every test module. Heavy objects (natasha, the built graph) are built once."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "gold" / "seeds"
ONTOLOGY = ROOT / "ontology" / "rjkg.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
assert len(SEED_FILES) == 5, f"expected 5 seed documents, found {len(SEED_FILES)}"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files instead of comparing")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_files() -> list[Path]:
    return SEED_FILES


@pytest.fixture(scope="session")
def seed_extractions(seed_files) -> dict:
    """The real ingest → extract → resolve of every seed, once per run (natasha loads once): stem → Extraction."""
    from rjkg import pipeline

    return {p.stem: pipeline.extract_document(p) for p in seed_files}
