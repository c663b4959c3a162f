"""Per-document cache of extracted graphs, so adding or changing one document re-extracts only that one.

Key = SHA-256 of (document bytes, its metadata entry as canonical JSON, the pipeline version hash). The value is
the document's named graph as sorted N-Triples (the build's unit of merge). Entries are written to a temporary
file and renamed, so a killed build never leaves a torn entry; a corrupt entry is treated as a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

FORMAT_VERSION = "1"


# what a document's graph depends on besides its bytes and metadata: the extraction code and its data
EXTRACTION_SOURCES = (
    "ingest.py",
    "extract",
    "resolve.py",
    "build.py",
    "records.py",
    "ids.py",
    "vocab.py",
    "data",
)


def pipeline_hash() -> str:
    """build.pipeline_hash() (version, ontology, gazetteer) combined with a hash of the extraction sources.

    The sources are included because a changed grammar or builder must invalidate cached graphs even when the
    version number was not bumped.
    """
    declared = ""
    try:
        from rjkg import build

        fn = getattr(build, "pipeline_hash", None)
        if fn is not None:
            declared = str(fn())
    except ImportError:
        pass
    return hashlib.sha256((declared + "\0" + source_hash()).encode()).hexdigest()


def source_hash() -> str:
    """SHA-256 over the extraction path's Python sources and data files (code + gazetteer + rules)."""
    from rjkg import config

    h = hashlib.sha256()
    files: list[Path] = []
    for name in EXTRACTION_SOURCES:
        p = config.PACKAGE_DIR / name
        files.extend(
            sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p] if p.is_file() else []
        )
    for p in files:
        if "__pycache__" in p.parts or p.suffix == ".pyc":
            continue
        h.update(str(p.relative_to(config.PACKAGE_DIR)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def document_key(raw: bytes, meta_entry: dict | None, pipeline: str) -> str:
    h = hashlib.sha256()
    h.update(FORMAT_VERSION.encode() + b"\0")
    h.update(hashlib.sha256(raw).hexdigest().encode() + b"\0")
    h.update(json.dumps(meta_entry or {}, sort_keys=True, ensure_ascii=False, default=str).encode() + b"\0")
    h.update(pipeline.encode())
    return h.hexdigest()


class DocumentCache:
    """`.rjkg/cache/{key[:2]}/{key}.nt` files; `enabled=False` makes every lookup a miss and writes nothing."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root, self.enabled = Path(root), enabled

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.nt"

    def get(self, key: str) -> str | None:
        if not self.enabled:
            return None
        p = self._path(key)
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return text if text.endswith("\n# end\n") else None

    def put(self, key: str, ntriples: str) -> None:
        """Store an entry; a cache that cannot be written is skipped silently (it is only a speed-up)."""
        if not self.enabled:
            return
        p = self._path(key)
        tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
        try:
            p.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(ntriples + "# end\n", encoding="utf-8")
            os.replace(tmp, p)
        except OSError:
            tmp.unlink(missing_ok=True)


class ShaclCache:
    """Per-document SHACL outcome, keyed by the document's cache key + shapes + ontology + curated layer, so an
    incremental build validates only new or changed documents. `.rjkg/cache/shacl/{key}.json`."""

    def __init__(self, root: Path, enabled: bool = True):
        self.root, self.enabled = Path(root) / "shacl", enabled

    @staticmethod
    def key(doc_key: str, context: str) -> str:
        return hashlib.sha256(f"{doc_key}\0{context}".encode()).hexdigest()

    def get(self, key: str) -> dict | None:
        if not self.enabled:
            return None
        try:
            return json.loads((self.root / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, outcome: dict) -> None:
        if not self.enabled:
            return
        p = self.root / f"{key}.json"
        tmp = p.with_name(f".{p.name}.{os.getpid()}.tmp")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(outcome, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(tmp, p)
        except OSError:
            tmp.unlink(missing_ok=True)
