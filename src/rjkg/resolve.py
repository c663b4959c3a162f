"""Link a document's entities to the curated gazetteer and give every entity its IRI.

The gazetteer (`data/gazetteer.yaml`) is general domain knowledge kept as data: canonical names, types, aliases and
verified Wikidata IDs. `load_gazetteer()` is shared with build.py, which writes it as the curated graph. Entities the
gazetteer does not know get a deterministic IRI minted from their normalised name (`ids.slugify`).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from rjkg import config, ids, vocab
from rjkg.errors import InputError
from rjkg.records import Entity, Extraction, PostHolding

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")


@dataclass(frozen=True)
class GazEntry:
    slug: str
    type: str  # gold entity type (vocab.ENTITY_TYPES)
    name_ru: str
    name_en: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None  # a QID from wikidata-qids.csv
    stands_for: str | None = None  # slug of the state a capital stands for ("Токио требует")

    @property
    def iri(self) -> str:
        return str(vocab.NS[vocab.ENTITY_KIND[self.type]][self.slug])

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_ru, self.name_en, *self.aliases)


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazEntry, ...]

    @property
    def by_slug(self) -> dict[str, GazEntry]:
        return {e.slug: e for e in self.entries}

    def get(self, slug: str) -> GazEntry | None:
        return _by_slug(self)[0].get(slug)

    def lookup(self, name: str) -> list[GazEntry]:
        """Entries one of whose names equals `name` after normalisation (case, ё/е, punctuation)."""
        return list(_by_slug(self)[1].get(norm(name), ()))


@lru_cache(maxsize=4)
def _by_slug(g: Gazetteer) -> tuple[dict[str, GazEntry], dict[str, tuple[GazEntry, ...]]]:
    by_name: dict[str, list[GazEntry]] = {}
    for e in g.entries:
        for n in {v for name in e.names for v in variants(name)}:
            by_name.setdefault(norm(n), [])
            if e not in by_name[norm(n)]:
                by_name[norm(n)].append(e)
    return {e.slug: e for e in g.entries}, {k: tuple(v) for k, v in by_name.items()}


# a Russian body's name says "России", "Российской Федерации" or "РФ" interchangeably
_RUSSIA_FORMS = ("России", "Российской Федерации", "РФ")
_RUSSIA_TAIL = re.compile(r"\s(?:России|Российской Федерации|РФ)$")


def variants(name: str) -> tuple[str, ...]:
    """The name and, for "… России", the same with "Российской Федерации" and "РФ" (and the reverse)."""
    m = _RUSSIA_TAIL.search(name)
    if not m or name.count(" ") < 1:
        return (name,)
    stem = name[: m.start()]
    return tuple(dict.fromkeys((name, *(f"{stem} {f}" for f in _RUSSIA_FORMS))))


def norm(s: str) -> str:
    """Comparison form of a name: NFKC, case-folded, ё→е, punctuation to spaces (as in the gold scoring rules)."""
    s = unicodedata.normalize("NFKC", s).casefold().replace("ё", "е")
    s = "".join(c if c.isalnum() else " " for c in s)
    return " ".join(s.split())


def load_qids(path: Path | None = None) -> set[str]:
    path = Path(path or config.WIKIDATA_FILE)
    with path.open(encoding="utf-8") as fh:
        return {row["qid"].strip() for row in csv.DictReader(fh) if row.get("qid")}


@lru_cache(maxsize=4)
def load_gazetteer(path: Path | str | None = None) -> Gazetteer:
    """Read and check the gazetteer: slugs unique and IRI-safe, types known, QIDs only from the verified list."""
    path = Path(path or config.GAZETTEER_FILE)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise InputError(f"cannot read the gazetteer: {err}", where=str(path)) from None
    rows = (data or {}).get("entries") or []
    qids = load_qids() if path == config.GAZETTEER_FILE or config.WIKIDATA_FILE.is_file() else set()
    entries, seen = [], set()
    for i, row in enumerate(rows):
        where = f"{path}: entries[{i}]"
        if not isinstance(row, dict) or not {"slug", "type", "name_ru", "name_en"} <= set(row):
            raise InputError("each entry needs slug, type, name_ru and name_en", where=where)
        slug, typ = str(row["slug"]), str(row["type"])
        if not _SLUG.match(slug) or slug in seen:
            raise InputError(f"slug {slug!r} is not [a-z0-9-] or is used twice", where=where)
        if typ not in vocab.ENTITY_TYPES:
            raise InputError(
                f"unknown type {typ!r}", where=where, hint=f"one of {', '.join(vocab.ENTITY_TYPES)}"
            )
        qid = row.get("wikidata")
        if qid is not None and (not _QID.match(str(qid)) or str(qid) not in qids):
            raise InputError(
                f"Wikidata ID {qid!r} is not in {config.WIKIDATA_FILE.name}",
                where=where,
                hint="only verified IDs may be used; remove it or verify and add it to the CSV",
            )
        seen.add(slug)
        entries.append(
            GazEntry(
                slug,
                typ,
                str(row["name_ru"]),
                str(row["name_en"]),
                tuple(str(a) for a in row.get("aliases") or ()),
                str(qid) if qid else None,
                row.get("stands_for"),
            )
        )
    for e in entries:
        if e.stands_for and e.stands_for not in seen:
            raise InputError(f"stands_for {e.stands_for!r} is not a slug", where=f"{path}: {e.slug}")
    return Gazetteer(tuple(entries))


# ---- persons: surname + initials against the gazetteer's persons

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def person_parts(name: str) -> tuple[list[str], set[str]]:
    """(full words of ≥2 letters, single-letter initials) of a person's name."""
    words = _WORD.findall(name.replace("ё", "е").replace("Ё", "Е"))
    full = [w for w in words if len(w) >= 2]
    initials = {w[0].upper() for w in words if len(w) == 1}
    return full, initials


def person_matches(x: str, g: str) -> bool:
    """The gold README's person-name rule: the full words of one are a subset of the other's, and where both have
    other words or initials, they share a first letter ("С. Абэ" = "Синдзо Абэ", "Т. Абэ" ≠ "Синдзо Абэ")."""
    wx, ix = person_parts(x)
    wg, ig = person_parts(g)
    sx, sg = {w.casefold() for w in wx}, {w.casefold() for w in wg}
    if not sx or not sg or not (sx <= sg or sg <= sx):
        return False
    shared = sx & sg
    gx = {w[0].upper() for w in wx if w.casefold() not in shared} | ix
    gg = {w[0].upper() for w in wg if w.casefold() not in shared} | ig
    return not gx or not gg or bool(gx & gg)


def match_entity(e: Entity, gaz: Gazetteer) -> GazEntry | None:
    """The gazetteer entry an extracted entity stands for, if exactly one fits."""
    if e.key.startswith("gaz:"):
        return gaz.get(e.key[4:])
    for name in (e.name_ru, *e.aliases):
        hits = [h for h in gaz.lookup(name) if h.type == e.type or e.type != "Person" and h.type != "Person"]
        if len(hits) == 1:
            return hits[0]
    if e.type == "Person":
        hits = [
            g
            for g in gaz.entries
            if g.type == "Person"
            and any(person_matches(n, gn) for n in (e.name_ru, *e.aliases) for gn in (g.name_ru, *g.aliases))
        ]
        if len(hits) == 1:
            return hits[0]
    return None


# types whose gazetteer name is a short form of the names texts use ("Сумитомо" / "Сумитомо Корпорейшн")
LONG_FORM_TYPES = frozenset({"Company", "Bank"})


def _canonical_name(e: Entity, hit: GazEntry) -> str:
    """The gazetteer's name, except for a company or bank the text names by a longer form containing its words
    ("Сумитомо Корпорейшн", "Фонд развития Дальнего Востока и Арктики"; not "Komatsu" for "Комацу"): that stays the
    name and the gazetteer's short name becomes an alias."""
    if hit.type not in LONG_FORM_TYPES or len(norm(e.name_ru)) <= len(norm(hit.name_ru)):
        return hit.name_ru
    short, long = set(norm(hit.name_ru).split()), set(norm(e.name_ru).split())
    return e.name_ru if short < long else hit.name_ru


def mint_slug(e: Entity) -> str:
    return ids.slugify(norm(e.name_ru) or e.key)


def resolve(ex: Extraction, gaz: Gazetteer | None = None) -> Extraction:
    """Give each entity its canonical name/type and IRI; merge entities that turn out to be the same; rewrite keys
    in posts (other records keep entity keys, which stay valid: merged keys map to the survivor's key)."""
    gaz = gaz or load_gazetteer()
    merged: dict[str, Entity] = {}
    rename: dict[str, str] = {}
    for e in ex.entities:
        hit = match_entity(e, gaz)
        if hit is not None:
            new = replace(
                e,
                name_ru=_canonical_name(e, hit),
                name_en=hit.name_en,
                type=hit.type,
                iri=hit.iri,
                aliases=tuple(
                    dict.fromkeys(
                        a for a in (*e.aliases, hit.name_ru, *hit.aliases) if a != _canonical_name(e, hit)
                    )
                ),
            )
            key = hit.iri
        else:
            slug = mint_slug(e)
            new = replace(e, iri=str(vocab.NS[vocab.ENTITY_KIND[e.type]][slug]))
            key = new.iri
        if key in merged:
            old = merged[key]
            mentions = tuple(sorted(set(old.mentions) | set(new.mentions), key=lambda m: (m.start, m.end)))
            merged[key] = replace(old, mentions=mentions)
            rename[e.key] = old.key
        else:
            merged[key] = new
            rename[e.key] = e.key
    ex = rekey(ex, {k: v for k, v in rename.items() if k != v})
    posts: list[PostHolding] = []
    for p in ex.posts:
        q = replace(p, person=rename.get(p.person, p.person), org=rename.get(p.org, p.org) if p.org else None)
        if q not in posts:
            posts.append(q)
    return replace(ex, entities=tuple(merged.values()), posts=tuple(posts))


def rekey(ex: Extraction, rename: dict[str, str]) -> Extraction:
    """Rewrite entity keys in every record that refers to entities (after two entities were merged)."""
    if not rename:
        return ex

    def k(key):
        return rename.get(key, key) if key else key

    def ks(keys):
        return tuple(dict.fromkeys(k(x) for x in keys))

    events = tuple(
        replace(
            e, place=k(e.place), participants=tuple(replace(p, entity=k(p.entity)) for p in e.participants)
        )
        for e in ex.events
    )
    instruments = tuple(
        replace(
            i,
            signed_place=k(i.signed_place),
            proposed_by=k(i.proposed_by),
            parties=ks(i.parties),
            signatories=ks(i.signatories),
            terminated_by=k(i.terminated_by),
        )
        for i in ex.instruments
    )
    institutions = tuple(
        replace(i, country=k(i.country), locations=ks(i.locations), established_by=ks(i.established_by))
        for i in ex.institutions
    )
    statements = tuple(replace(s, speakers=ks(s.speakers)) for s in ex.statements)
    return replace(
        ex, events=events, instruments=instruments, institutions=institutions, statements=statements
    )
