"""Pure scoring of extracted items against gold, exactly as tests/gold/README.md §3 specifies.

No RDF and no NLP here: `evaluate.py` reads the items back from the graph and hands them over as the plain records
below, so the rules can be unit-tested with tables (the README's own examples included).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ("entities", "posts", "events", "instruments", "institutions", "statements")
MICRO_CATEGORIES = (
    "entities",
    "posts",
    "events",
    "instruments",
    "institutions",
)  # statements are reported apart
DATE_KINDS = ("signed", "proposed", "terminated")

# ---------------------------------------------------------------------------------------------------- strings


def norm(s: str | None) -> str:
    """N(s): NFKC; casefold; ё→е; every non-letter/digit → space; collapse whitespace; strip."""
    s = unicodedata.normalize("NFKC", s or "").casefold().replace("ё", "е")
    s = "".join(ch if ch.isalpha() or ch.isdigit() else " " for ch in s)
    return " ".join(s.split())


def stems(s: str | None) -> set[str]:
    """S(s): tokens of N(s) with at least 3 characters, cut to their first 5 characters."""
    return {t[:5] for t in norm(s).split() if len(t) >= 3}


def cover(gold: str | None, extracted: str | None) -> float:
    """Cover(g, x) = |S(g) ∩ S(x)| / |S(g)| (0 when g has no stems)."""
    sg = stems(gold)
    return len(sg & stems(extracted)) / len(sg) if sg else 0.0


def person_names_match(x: str, g: str) -> bool:
    """The person fallback: word sets nested (non-empty), and initials/first letters agree when both have some."""
    wx, wg = _words(x), _words(g)
    if not wx or not wg or not (wx <= wg or wg <= wx):
        return False
    shared = wx & wg
    gx, gg = _letters(x, shared), _letters(g, shared)
    return not gx or not gg or bool(gx & gg)


def _words(n: str) -> set[str]:
    return {t for t in norm(n).split() if len(t) >= 2}


def _letters(n: str, shared: set[str]) -> set[str]:
    """G(n): first letters of n's words outside the shared ones, with n's single-letter initials."""
    return {t[0] for t in norm(n).split() if len(t) == 1 or t not in shared}


# ---------------------------------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldEntity:
    """An entity (or institution, when referenced) of a gold file, with every name the name rule accepts."""

    id: str
    type: str
    name_ru: str
    name_en: str | None = None
    aliases: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    alt_types: tuple[str, ...] = ()

    @property
    def types(self) -> set[str]:
        return {self.type, *self.alt_types}


def name_match(x: str | None, e: GoldEntity) -> bool:
    """nm(x, e): N(x) equals one of e's names or mentions; for a Person also the fallback on name_ru/aliases."""
    if not x:
        return False
    nx = norm(x)
    if not nx:
        return False
    names = (e.name_ru, e.name_en, *e.aliases, *e.mentions)
    if any(nx == norm(n) for n in names if n):
        return True
    if e.type == "Person":
        return any(person_names_match(x, n) for n in (e.name_ru, *e.aliases) if n)
    return False


@dataclass(frozen=True)
class GoldPost:
    person: GoldEntity | None
    post_ru: str
    post_ru_full: str | None = None
    organizations: tuple[GoldEntity, ...] = ()


@dataclass(frozen=True)
class GoldEvent:
    id: str
    type: str
    alt_types: tuple[str, ...] = ()
    date: str | None = None
    participants: tuple[GoldEntity, ...] = ()

    @property
    def types(self) -> set[str]:
        return {self.type, *self.alt_types}


@dataclass(frozen=True)
class GoldInstrument:
    id: str
    type: str
    title_ru: str | None = None
    dates: dict[str, str] = field(default_factory=dict, hash=False)  # signed/proposed/terminated → ISO


@dataclass(frozen=True)
class GoldInstitution:
    id: str
    type: str
    name_ru: str
    aliases: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldStatement:
    speakers: tuple[GoldEntity, ...]
    quote_ru: str


@dataclass
class GoldDoc:
    file: str  # the document's file name, e.g. 000_65615600f09a09cf.txt
    entities: list[GoldEntity] = field(default_factory=list)
    posts: list[GoldPost] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)
    instruments: list[GoldInstrument] = field(default_factory=list)
    institutions: list[GoldInstitution] = field(default_factory=list)
    statements: list[GoldStatement] = field(default_factory=list)


def _tuple(v) -> tuple:
    if v is None:
        return ()
    return tuple(v) if isinstance(v, list | tuple) else (v,)


def gold_from_yaml(data: dict, where: str = "gold") -> GoldDoc:
    """Parse one gold YAML document (already loaded) into GoldDoc; unknown ids are an InputError."""
    from rjkg.errors import InputError

    if not isinstance(data, dict) or not isinstance(data.get("document"), dict):
        raise InputError(
            "not a gold file: no 'document' mapping", where=where, hint="see tests/gold/README.md"
        )
    doc = data["document"]
    if not doc.get("file"):
        raise InputError(
            "document.file is missing", where=where, hint="name the .txt file this gold describes"
        )
    ents: dict[str, GoldEntity] = {}
    for e in data.get("entities") or []:
        ents[e["id"]] = GoldEntity(
            id=e["id"], type=e["type"], name_ru=e["name_ru"], name_en=e.get("name_en"),
            aliases=_tuple(e.get("aliases")), mentions=_tuple(e.get("mentions")),
            alt_types=_tuple(e.get("alt_types")),
        )  # fmt: skip
    insts = []
    for i in data.get("institutions") or []:
        insts.append(
            GoldInstitution(
                id=i["id"],
                type=i["type"],
                name_ru=i["name_ru"],
                aliases=_tuple(i.get("aliases")),
                mentions=_tuple(i.get("mentions")),
            )  # fmt: skip
        )
        ents.setdefault(
            i["id"],
            GoldEntity(id=i["id"], type=i["type"], name_ru=i["name_ru"], aliases=_tuple(i.get("aliases")),
                       mentions=_tuple(i.get("mentions"))),
        )  # fmt: skip

    def ref(key, section: str) -> GoldEntity:
        if key not in ents:
            raise InputError(
                f"{section} refers to unknown id {key!r}", where=where, hint="add it to entities"
            )
        return ents[key]

    gd = GoldDoc(file=str(doc["file"]), entities=[ents[e["id"]] for e in data.get("entities") or []])
    gd.institutions = insts
    for p in data.get("posts") or []:
        gd.posts.append(
            GoldPost(
                person=ref(p["person"], "posts"),
                post_ru=p["post_ru"],
                post_ru_full=p.get("post_ru_full"),
                organizations=tuple(ref(o, "posts") for o in _tuple(p.get("organization"))),
            )  # fmt: skip
        )
    for ev in data.get("events") or []:
        gd.events.append(
            GoldEvent(
                id=ev["id"],
                type=ev["type"],
                alt_types=_tuple(ev.get("alt_types")),
                date=_str(ev.get("date")),
                participants=tuple(ref(x, "events") for x in _tuple(ev.get("participants"))),
            )  # fmt: skip
        )
    for ins in data.get("instruments") or []:
        dates = {k: _str(ins.get(f"{k}_date")) for k in DATE_KINDS if ins.get(f"{k}_date")}
        gd.instruments.append(
            GoldInstrument(id=ins["id"], type=ins["type"], title_ru=ins.get("title_ru"), dates=dates)
        )
    for st in data.get("statements") or []:
        gd.statements.append(
            GoldStatement(speakers=tuple(ref(x, "statements") for x in _tuple(st.get("speaker"))),
                          quote_ru=st["quote_ru"])
        )  # fmt: skip
    return gd


def _str(v) -> str | None:
    return None if v is None else str(v)


def load_gold(path: Path) -> GoldDoc:
    """Read one gold YAML file; a YAML error or a missing key is an InputError naming the file."""
    import yaml

    from rjkg.errors import InputError

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise InputError(f"cannot read gold file: {err}", where=str(path)) from None
    try:
        return gold_from_yaml(data, where=str(path))
    except (KeyError, TypeError) as err:
        raise InputError(f"gold file lacks a required key: {err}", where=str(path),
                         hint="see tests/gold/README.md §2") from None  # fmt: skip


# ---------------------------------------------------------------------------------------------------- extracted


@dataclass(frozen=True)
class XEntity:
    type: str
    name: str


@dataclass(frozen=True)
class XPost:
    person: str
    post: str
    org: str | None = None
    person_type: str | None = None  # the holder's class in the graph (None: not known, not checked)


@dataclass(frozen=True)
class XEvent:
    type: str
    date: str | None = None  # ISO at its precision, --MM-DD without a year, an interval's beginning
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class XInstrument:
    type: str
    title: str | None = None
    dates: tuple[tuple[str, str], ...] = ()  # (signed|proposed|terminated, ISO)

    def date(self, kind: str) -> str | None:
        return dict(self.dates).get(kind)


@dataclass(frozen=True)
class XInstitution:
    type: str
    name: str


@dataclass(frozen=True)
class XStatement:
    speakers: tuple[str, ...]
    text: str


@dataclass
class Extracted:
    entities: list[XEntity] = field(default_factory=list)
    posts: list[XPost] = field(default_factory=list)
    events: list[XEvent] = field(default_factory=list)
    instruments: list[XInstrument] = field(default_factory=list)
    institutions: list[XInstitution] = field(default_factory=list)
    statements: list[XStatement] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------- predicates


def date_compat(g: str | None, x: str | None) -> bool:
    """compat(g, x): g absent → true; `YYYY[-MM[-DD]]` → x starts with g; `--MM[-DD]` → same month (and day)."""
    if not g:
        return True
    if not x:
        return False
    if g.startswith("--"):
        gm, _, gd = g[2:].partition("-")
        xm, xd = _month_day(x)
        return xm == gm and (not gd or xd == gd)
    return x.startswith(g)


def _month_day(x: str) -> tuple[str | None, str | None]:
    if x.startswith("--"):
        m, _, d = x[2:].partition("-")
        return m or None, d or None
    parts = x.split("-")
    return (parts[1] if len(parts) > 1 else None), (parts[2] if len(parts) > 2 else None)


def _contains_padded(a: str, b: str) -> bool:
    na, nb = norm(a), norm(b)
    return bool(na and nb) and (f" {nb} " in f" {na} " or f" {na} " in f" {nb} ")


def entity_ok(x: XEntity, g: GoldEntity) -> bool:
    return x.type in g.types and name_match(x.name, g)


def post_ok(x: XPost, g: GoldPost) -> bool:
    """The person by the entity rule (type included), the post by padded containment, the organisation by name."""
    if g.person is None or not name_match(x.person, g.person):
        return False
    if x.person_type is not None and x.person_type not in g.person.types:
        return False
    if not any(_contains_padded(x.post, p) for p in (g.post_ru, g.post_ru_full) if p):
        return False
    if x.org and g.organizations:
        return any(name_match(x.org, o) for o in g.organizations)
    return True


def event_ok(x: XEvent, g: GoldEvent) -> bool:
    if x.type not in g.types or not date_compat(g.date, x.date):
        return False
    n = len(g.participants)
    if n == 0:
        return True
    matched = max_matching(g.participants, x.participants, lambda ge, xp: name_match(xp, ge))
    return len(matched) >= math.ceil(n / 2)


def instrument_ok(x: XInstrument, g: GoldInstrument) -> bool:
    if x.type != g.type:
        return False
    for kind, gd in g.dates.items():
        xd = x.date(kind)
        if xd and date_compat(gd, xd):
            return True
    return bool(g.title_ru) and cover(g.title_ru, x.title) >= 0.6


def institution_ok(x: XInstitution, g: GoldInstitution) -> bool:
    if x.type != g.type:
        return False
    as_entity = GoldEntity(id=g.id, type=g.type, name_ru=g.name_ru, aliases=g.aliases, mentions=g.mentions)
    return name_match(x.name, as_entity) or any(cover(n, x.name) >= 0.6 for n in (g.name_ru, *g.aliases) if n)


def statement_ok(x: XStatement, g: GoldStatement) -> bool:
    if not any(name_match(s, ge) for s in x.speakers for ge in g.speakers):
        return False
    return cover(g.quote_ru, x.text) >= 0.5


# ---------------------------------------------------------------------------------------------------- matching


def max_matching(
    gold: Sequence, extracted: Sequence, ok: Callable[[object, object], bool]
) -> list[tuple[int, int]]:
    """A maximum-cardinality one-to-one matching (augmenting paths, Kuhn's algorithm): (gold i, extracted j) pairs.

    Greedy first-match is not enough: a gold item taking the only partner of another loses a pair.
    """
    adj = [[j for j, x in enumerate(extracted) if ok(g, x)] for g in gold]
    match_x: dict[int, int] = {}  # extracted j → gold i

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match_x or augment(match_x[j], seen):
                match_x[j] = i
                return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return sorted((i, j) for j, i in match_x.items())


# ---------------------------------------------------------------------------------------------------- counting


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, self.tp + self.fp + self.fn)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, self.tp + self.fp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}  # fmt: skip


def _ratio(num: int, den: int, total: int) -> float:
    """num/den; with a zero denominator: 1 when gold and extracted are both empty, else 0."""
    if den:
        return num / den
    return 1.0 if total == 0 else 0.0


PREDICATES: dict[str, Callable] = {
    "entities": entity_ok,
    "posts": post_ok,
    "events": event_ok,
    "instruments": instrument_ok,
    "institutions": institution_ok,
    "statements": statement_ok,
}


def count(category: str, gold: Sequence, extracted: Sequence) -> Counts:
    """TP/FP/FN of one category in one document (duplicates in `extracted` are FP)."""
    ok = PREDICATES[category]
    pairs = max_matching(gold, extracted, lambda g, x: ok(x, g))
    tp = len(pairs)
    return Counts(tp=tp, fp=len(extracted) - tp, fn=len(gold) - tp)


def score_document(gold: GoldDoc, extracted: Extracted) -> dict[str, Counts]:
    return {c: count(c, getattr(gold, c), getattr(extracted, c)) for c in CATEGORIES}


@dataclass
class Report:
    """Counts summed over documents, per category, plus the per-document detail."""

    totals: dict[str, Counts] = field(default_factory=lambda: {c: Counts() for c in CATEGORIES})
    per_document: dict[str, dict[str, Counts]] = field(default_factory=dict)

    def add(self, name: str, counts: dict[str, Counts]) -> None:
        self.per_document[name] = counts
        for c, n in counts.items():
            self.totals[c] += n

    @property
    def micro(self) -> Counts:
        total = Counts()
        for c in MICRO_CATEGORIES:
            total += self.totals[c]
        return total

    def as_dict(self) -> dict:
        return {
            "categories": {c: self.totals[c].as_dict() for c in CATEGORIES},
            "micro": self.micro.as_dict(),
            "micro_categories": list(MICRO_CATEGORIES),
            "documents": {
                d: {c: n.as_dict() for c, n in cs.items()} for d, cs in sorted(self.per_document.items())
            },
        }


def gold_as_extracted(gold: GoldDoc) -> Extracted:
    """The gold itself as extracted items (first name of everything): scoring it must give F1 = 1.0 everywhere."""
    return Extracted(
        entities=[XEntity(e.type, e.name_ru) for e in gold.entities],
        posts=[
            XPost(
                p.person.name_ru if p.person else "",
                p.post_ru,
                p.organizations[0].name_ru if p.organizations else None,
            )
            for p in gold.posts
        ],  # fmt: skip
        events=[XEvent(ev.type, ev.date, tuple(p.name_ru for p in ev.participants)) for ev in gold.events],
        instruments=[
            XInstrument(i.type, i.title_ru, tuple(sorted(i.dates.items()))) for i in gold.instruments
        ],
        institutions=[XInstitution(i.type, i.name_ru) for i in gold.institutions],
        statements=[XStatement(tuple(s.name_ru for s in st.speakers), st.quote_ru) for st in gold.statements],
    )
