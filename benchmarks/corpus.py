"""Make N realistic documents for build benchmarks by recombining seed paragraphs with other names and dates.

Each document takes 6–20 paragraphs from the seeds (whole lines, so the text stays Russian news prose), swaps every
gazetteer name it contains (persons, cities, regions, states) for another entry of the same type, and shifts dates
and years; metadata.yaml gets a title, a date and a genre. Deterministic for a given --seed.

    .venv/bin/python benchmarks/corpus.py 100 /tmp/corpus-100
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GAZETTEER = ROOT / "src" / "rjkg" / "data" / "gazetteer.yaml"
SWAP_TYPES = ("Person", "Municipality", "Region", "State")
GENRES = ("NewsArticle", "PressRelease", "Transcript", "Communique", "Statement")
MONTHS = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
DATE = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r") (\d{4})\b")
YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")


def paragraphs() -> list[str]:
    """Seed lines with enough Russian text to be a paragraph (page debris and headers are left out)."""
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line) >= 80 and len(re.findall(r"[А-Яа-яЁё]", line)) > len(line) // 2:
                out.append(line)
    return out


def names_by_type() -> dict[str, list[str]]:
    data = yaml.safe_load(GAZETTEER.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {t: [] for t in SWAP_TYPES}
    for e in data.get("entries", []):
        if e.get("type") in out and e.get("name_ru"):
            out[e["type"]].append(str(e["name_ru"]))
    return out


def recombine(rng: random.Random, pool: list[str], names: dict[str, list[str]]) -> tuple[str, int]:
    """One document's text and its year."""
    year = rng.randint(2000, 2025)
    picked = rng.sample(pool, k=min(len(pool), rng.randint(6, 20)))
    swap = {}
    for candidates in names.values():
        for name in candidates:
            swap[name] = rng.choice(candidates) if rng.random() < 0.7 else name
    # whole words only: an inflected form keeps its own ending ("Хабаровска" is left alone, not half-swapped)
    alternatives = "|".join(re.escape(n) for n in sorted(swap, key=len, reverse=True) if len(n) > 3)
    pattern = re.compile(rf"(?<![А-Яа-яЁёA-Za-z])(?:{alternatives})(?![А-Яа-яЁёA-Za-z])")
    text = "\n\n".join(picked)
    text = pattern.sub(lambda m: swap[m.group(0)], text)
    text = DATE.sub(lambda m: f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}", text)
    text = YEAR.sub(lambda m: str(year - rng.randint(0, 3)), text)
    return text + "\n", year


def make_corpus(n: int, out: Path, seed: int = 2026) -> list[Path]:
    """Write n documents doc-00000.txt … plus metadata.yaml into `out`; return the document paths."""
    rng = random.Random(seed)
    pool = paragraphs()
    names = names_by_type()
    out.mkdir(parents=True, exist_ok=True)
    meta = {}
    paths = []
    for i in range(n):
        text, year = recombine(rng, pool, names)
        name = f"doc-{i:05d}.txt"
        (out / name).write_text(text, encoding="utf-8")
        paths.append(out / name)
        first = text.split("\n", 1)[0]
        meta[name] = {
            "title": first[:120],
            "date": f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "genre": rng.choice(GENRES),
            "language": "ru",
        }
    (out / "metadata.yaml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8"
    )
    return paths


def add_document(folder: Path, seed: int = 99) -> Path:
    """Add one more document to an existing corpus (for the incremental-rebuild benchmark)."""
    rng = random.Random(seed)
    text, year = recombine(rng, paragraphs(), names_by_type())
    existing = sorted(folder.glob("doc-*.txt"))
    path = folder / f"doc-{len(existing):05d}.txt"
    path.write_text(text, encoding="utf-8")
    meta_file = folder / "metadata.yaml"
    meta = yaml.safe_load(meta_file.read_text(encoding="utf-8")) or {}
    meta[path.name] = {"title": text.split("\n", 1)[0][:120], "date": f"{year:04d}", "genre": "NewsArticle"}
    meta_file.write_text(yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of documents")
    ap.add_argument("out", type=Path, help="folder to write them into")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    paths = make_corpus(args.n, args.out, args.seed)
    print(f"{len(paths)} documents in {args.out}")


if __name__ == "__main__":
    main()
