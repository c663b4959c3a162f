"""Shared by the extraction case tests: run ingest's sentence splitter, extract and resolve on a text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from rjkg import ingest, resolve
from rjkg.extract import extract
from rjkg.records import Document, Extraction

CASES = Path(__file__).parent / "cases"


def load_cases(name: str) -> list[dict]:
    return yaml.safe_load((CASES / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=64)
def run(case_id: str, text: str) -> Extraction:
    doc = Document(case_id, text, "", sentences=tuple(ingest.split_sentences(text, [])))
    return resolve.resolve(extract(doc))


def n(s: str | None) -> str | None:
    return None if s is None else resolve.norm(s)
