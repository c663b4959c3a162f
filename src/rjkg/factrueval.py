"""factRuEval-2016 as an outside judge: load its devset format and score predictions against it.

The benchmark (``benchmarks/factrueval.py``) runs our extraction over factRuEval documents and scores with this
module; the smoke test runs both on three fixture documents. Nothing here imports natasha: predictions arrive as
plain ``Prediction`` records, made from an ``Extraction`` by :func:`from_extraction` (or by the benchmark's natasha
baseline adapter). The type mapping and every matching rule are documented in ``benchmarks/README-factrueval.md``.

Format (factRuEval README): per document ``X.txt`` (offsets are code points into it), ``X.tokens``, ``X.spans``
(typed token runs), ``X.objects`` (mentions: a type and a list of span ids), ``X.coref`` (entities: mention ids and
name attributes) and ``X.facts`` (Occupation: Who/Position/Where; Meeting: Participant…; each value ``objN …`` or
``spanN …``, alternatives separated by ``|``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rjkg.errors import InputError

PER, ORG, LOC = "PER", "ORG", "LOC"
TYPES = (PER, ORG, LOC)

# our gold types (records.Entity.type / Institution.type) → factRuEval's three classes; anything else is not scored
OUR_TYPES: dict[str, str] = {
    "Person": PER,
    "GovernmentBody": ORG,
    "Association": ORG,
    "Company": ORG,
    "Bank": ORG,
    "InternationalOrganization": ORG,
    "MediaOutlet": ORG,
    "TechnicalAssistanceCenter": ORG,
    "CenterOrFund": ORG,
    "State": LOC,
    "Municipality": LOC,
    "Region": LOC,
    "Place": LOC,
    "SpecialEconomicZone": LOC,
}
# factRuEval object types → classes, as natasha's own evaluation (naeval) maps them
GOLD_TYPES: dict[str, str] = {"Person": PER, "Org": ORG, "LocOrg": LOC, "Location": LOC}
MEETING_EVENTS = ("Meeting", "Negotiation", "Consultation")
FILE_KINDS = ("txt", "tokens", "spans", "objects", "coref", "facts")


# ── the format ────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class FSpan:
    id: str
    type: str  # name, surname, org_name, loc_name, job, …
    start: int
    end: int


@dataclass(frozen=True)
class FObject:
    """One mention of an object: a type (Person, Org, LocOrg, Location, …) over one or more spans."""

    id: str
    type: str
    span_ids: tuple[str, ...]


@dataclass(frozen=True)
class Coref:
    """One object (entity): its mentions and name attributes (firstname, lastname, name, …)."""

    id: str
    mention_ids: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...] = ()

    def values(self, key: str) -> list[str]:
        return [v for k, v in self.attrs if k == key and v]


@dataclass(frozen=True)
class Ref:
    """One alternative of a fact value: ``obj48 Лужков Юрий`` or ``span22777 мэра``."""

    kind: str  # "obj" | "span" | "" (a bare value such as "будущее")
    id: str
    text: str


@dataclass(frozen=True)
class Fact:
    id: str
    type: str  # Occupation, Meeting, Deal, Ownership, isPartOf
    fields: tuple[tuple[str, tuple[Ref, ...]], ...]  # (key, alternatives) in file order; keys may repeat

    def get(self, key: str) -> list[tuple[Ref, ...]]:
        return [alts for k, alts in self.fields if k == key]


@dataclass(frozen=True)
class FreDoc:
    id: str
    text: str
    path: Path
    tokens: tuple[tuple[int, int], ...]
    spans: dict[str, FSpan] = field(hash=False)
    objects: dict[str, FObject] = field(hash=False)
    corefs: dict[str, Coref] = field(hash=False)
    facts: tuple[Fact, ...] = ()

    def object_extent(self, obj: FObject) -> tuple[int, int]:
        spans = [self.spans[s] for s in obj.span_ids if s in self.spans]
        return min(s.start for s in spans), max(s.end for s in spans)


def find_documents(folder: Path, limit: int | None = None) -> list[Path]:
    """The ``*.txt`` files of a factRuEval folder, in a stable order (numeric where the stems end in a number)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(
            "no such folder",
            where=str(folder),
            hint="pass the factRuEval devset folder with --data (it holds book_N.txt, .spans, .objects, …)",
        )
    paths = sorted(folder.glob("*.txt"), key=_natural_key)
    if not paths:
        raise InputError(
            "no *.txt documents in the folder", where=str(folder), hint="point --data at devset/"
        )
    return paths[:limit] if limit else paths


def _natural_key(path: Path) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", path.stem))


def load_document(txt: Path) -> FreDoc:
    """Read one document and its five annotation files (all must exist next to the .txt)."""
    txt = Path(txt)
    missing = [k for k in FILE_KINDS if not txt.with_suffix("." + k).is_file()]
    if missing:
        raise InputError(
            f"missing annotation file(s): {', '.join('.' + k for k in missing)}",
            where=str(txt),
            hint="each factRuEval document needs .txt, .tokens, .spans, .objects, .coref and .facts",
        )
    try:
        text = txt.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"not UTF-8 ({err.reason} at byte {err.start})", where=str(txt)) from None
    return FreDoc(
        id=txt.stem,
        text=text,
        path=txt,
        tokens=_read_tokens(txt.with_suffix(".tokens")),
        spans=_read_spans(txt.with_suffix(".spans"), len(text)),
        objects=_read_objects(txt.with_suffix(".objects")),
        corefs=_read_coref(txt.with_suffix(".coref")),
        facts=_read_facts(txt.with_suffix(".facts")),
    )


def load_devset(folder: Path, limit: int | None = None) -> list[FreDoc]:
    return [load_document(p) for p in find_documents(folder, limit)]


def _lines(path: Path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        yield n, line.rstrip("\r")


def _bad(path: Path, n: int, what: str) -> InputError:
    return InputError(what, where=f"{path}:{n}", hint="see the factRuEval README for the file format")


def _read_tokens(path: Path) -> tuple[tuple[int, int], ...]:
    out = []
    for n, line in _lines(path):
        if not line.strip():
            continue
        parts = line.split(" ", 3)
        try:
            start, length = int(parts[1]), int(parts[2])
        except (IndexError, ValueError):
            raise _bad(path, n, f"expected 'id start length text', got {line!r}") from None
        out.append((start, start + length))
    return tuple(out)


def _read_spans(path: Path, size: int) -> dict[str, FSpan]:
    out: dict[str, FSpan] = {}
    for n, line in _lines(path):
        head = line.split("#", 1)[0].split()
        if not head:
            continue
        try:
            sid, typ, start, length = head[0], head[1], int(head[2]), int(head[3])
        except (IndexError, ValueError):
            raise _bad(path, n, f"expected 'id type start length …', got {line!r}") from None
        if start < 0 or start + length > size:
            raise _bad(
                path, n, f"span {sid} [{start}, {start + length}) lies outside the text ({size} chars)"
            )
        # a span id may be listed twice with two types (surname + nickname): keep the first
        out.setdefault(sid, FSpan(sid, typ, start, start + length))
    return out


def _read_objects(path: Path) -> dict[str, FObject]:
    out: dict[str, FObject] = {}
    for n, line in _lines(path):
        head = line.split("#", 1)[0].split()
        if not head:
            continue
        if len(head) < 3:
            raise _bad(path, n, f"expected 'id type span-id…', got {line!r}")
        out[head[0]] = FObject(head[0], head[1], tuple(head[2:]))
    return out


def _read_coref(path: Path) -> dict[str, Coref]:
    out: dict[str, Coref] = {}
    block: list[tuple[int, str]] = []

    def close() -> None:
        if not block:
            return
        n, first = block[0]
        ids = first.split()
        if len(ids) < 2:
            raise _bad(path, n, f"expected 'object-id mention-id…', got {first!r}")
        attrs = tuple((k, v.strip()) for _, line in block[1:] for k, _, v in [line.partition(" ")])
        out[ids[0]] = Coref(ids[0], tuple(ids[1:]), attrs)
        block.clear()

    for n, line in _lines(path):
        if line.strip():
            block.append((n, line.strip()))
        else:
            close()
    close()
    return out


_REF = re.compile(r"^(obj|span)(\d+)$")


def _parse_alternatives(value: str) -> tuple[Ref, ...]:
    """``obj143 Украина | obj144 Турецкая республика | Турция`` → two refs (a ``|`` inside a text stays)."""
    refs: list[list[str]] = []
    for word in value.split():
        m = _REF.match(word)
        if m or not refs:
            refs.append([word])
        else:
            refs[-1].append(word)
    out = []
    for words in refs:
        m = _REF.match(words[0])
        kind, rid, rest = (m.group(1), m.group(2), words[1:]) if m else ("", "", words)
        text = " ".join(rest).strip().strip("|").strip()
        out.append(Ref(kind, rid, text))
    return tuple(out)


def _read_facts(path: Path) -> tuple[Fact, ...]:
    facts: list[Fact] = []
    head: tuple[str, str] | None = None
    fields: list[tuple[str, tuple[Ref, ...]]] = []

    def close() -> None:
        nonlocal head
        if head:
            facts.append(Fact(head[0], head[1], tuple(fields)))
        head = None
        fields.clear()

    for n, line in _lines(path):
        if not line.strip():
            close()
            continue
        key, _, value = line.strip().partition(" ")
        if head is None:
            if not value:
                raise _bad(path, n, f"expected 'fact-id FactType', got {line!r}")
            head = (key, value.strip())
        else:
            fields.append((key, _parse_alternatives(value)))
    close()
    return tuple(facts)


# ── gold as scored ──────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class TypedSpan:
    type: str  # PER | ORG | LOC
    start: int
    end: int


def filter_overlapping(spans: list[TypedSpan]) -> list[TypedSpan]:
    """Drop every span that overlaps an earlier-starting (or, at the same start, longer) kept one — naeval's rule."""
    kept: list[TypedSpan] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if kept and kept[-1].end > s.start:
            continue
        kept.append(s)
    return kept


def gold_entities(doc: FreDoc, locorg: str = LOC) -> list[TypedSpan]:
    """The entity spans natasha's evaluation (naeval) derives from factRuEval objects.

    Person: the whole object (first to last span); Org: its ``org_name`` spans; LocOrg and Location: their
    ``loc_name`` spans; then overlapping spans are dropped (earliest, longest first). ``locorg="ORG"`` scores LocOrg
    objects as organisations instead (their loc_name spans).
    """
    out: list[TypedSpan] = []
    for obj in doc.objects.values():
        if obj.type not in GOLD_TYPES:
            continue
        cls = locorg if obj.type == "LocOrg" else GOLD_TYPES[obj.type]
        spans = [doc.spans[s] for s in obj.span_ids if s in doc.spans]
        if not spans:
            continue
        if obj.type == "Person":
            out.append(TypedSpan(cls, min(s.start for s in spans), max(s.end for s in spans)))
            continue
        want = "org_name" if obj.type == "Org" else "loc_name"
        out.extend(filter_overlapping([TypedSpan(cls, s.start, s.end) for s in spans if s.type == want]))
    return sorted(filter_overlapping(out), key=lambda s: (s.start, s.end))


@dataclass(frozen=True)
class Actor:
    """Someone or something a fact is about, as spans in the text and names (gold or predicted)."""

    id: str
    names: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]
    is_person: bool = False
    firstnames: tuple[str, ...] = ()
    lastnames: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldOccupation:
    id: str
    who: Actor
    positions: tuple[str, ...]  # alternatives, as written (inflected); empty when the fact has none
    where: tuple[Actor, ...]  # alternatives; empty when the fact has none


def gold_actor(doc: FreDoc, ref: Ref) -> Actor:
    """The coref object a fact refers to: its mention extents and names (the fact's own text is a name too)."""
    co = doc.corefs.get(ref.id)
    spans: list[tuple[int, int]] = []
    names = [n.strip() for n in ref.text.split("|") if n.strip()]
    first, last, is_person = [], [], False
    if co:
        for mid in co.mention_ids:
            obj = doc.objects.get(mid)
            if obj and any(s in doc.spans for s in obj.span_ids):
                spans.append(doc.object_extent(obj))
                is_person = is_person or obj.type == "Person"
        first, last = co.values("firstname"), co.values("lastname")
        names += co.values("name") + co.values("nickname")
        names += [" ".join(x for x in (f, la) if x) for f in first or [""] for la in last or [""] if f or la]
        is_person = is_person or bool(first or last)
    return Actor(
        ref.id, tuple(dict.fromkeys(names)), tuple(sorted(set(spans))), is_person, tuple(first), tuple(last)
    )


def gold_occupations(doc: FreDoc) -> list[GoldOccupation]:
    out = []
    for fact in doc.facts:
        if fact.type != "Occupation":
            continue
        who = [r for alts in fact.get("Who") for r in alts if r.kind == "obj"]
        if not who:
            continue
        positions = tuple(r.text for alts in fact.get("Position") for r in alts if r.text)
        where = tuple(gold_actor(doc, r) for alts in fact.get("Where") for r in alts if r.kind == "obj")
        out.append(GoldOccupation(fact.id, gold_actor(doc, who[0]), positions, where))
    return out


def gold_meetings(doc: FreDoc) -> list[tuple[Actor, ...]]:
    """Participants of each Meeting fact (first alternative of each Participant value)."""
    out = []
    for fact in doc.facts:
        if fact.type == "Meeting":
            refs = [alts[0] for alts in fact.get("Participant") if alts and alts[0].kind == "obj"]
            out.append(tuple(gold_actor(doc, r) for r in refs))
    return out


# ── predictions ─────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class PredOccupation:
    person: Actor
    titles: tuple[str, ...]  # title, full title (nominative)
    org: Actor | None = None


@dataclass(frozen=True)
class Prediction:
    entities: tuple[TypedSpan, ...] = ()
    occupations: tuple[PredOccupation, ...] = ()
    meetings: tuple[tuple[Actor, ...], ...] = ()
    actors: tuple[
        tuple[str, Actor], ...
    ] = ()  # (class, entity) for every scored entity: names, for diagnosis


def from_extraction(ex, locorg: str = LOC) -> Prediction:
    """An ``records.Extraction`` as factRuEval sees it: typed mentions, post holdings, meeting participants.

    ``locorg="ORG"`` scores our State entities as organisations (the counterpart of gold LocOrg → ORG).
    """
    actors: dict[str, Actor] = {}
    spans: list[TypedSpan] = []
    classed: list[tuple[str, Actor]] = []
    for e in (*ex.entities, *ex.institutions):
        names = (e.name_ru, *getattr(e, "aliases", ()))
        mentions = tuple((m.start, m.end) for m in e.mentions)
        actors[e.key] = Actor(e.key, names, mentions, e.type == "Person")
        cls = ORG if (e.type == "State" and locorg == ORG) else OUR_TYPES.get(e.type)
        if cls:
            classed.append((cls, actors[e.key]))
            stripped = (_strip(ex.doc.text, s, t) for s, t in mentions)
            spans.extend(TypedSpan(cls, s, t) for s, t in stripped if s < t)
    occupations = tuple(
        PredOccupation(
            actors[p.person],
            tuple(t for t in dict.fromkeys((p.title, p.full_title)) if t),
            actors.get(p.org or ""),
        )
        for p in ex.posts
        if p.person in actors
    )
    meetings = tuple(
        tuple(actors[p.entity] for p in ev.participants if p.entity in actors)
        for ev in ex.events
        if ev.type in MEETING_EVENTS
    )
    return Prediction(tuple(spans), occupations, meetings, tuple(classed))


_EDGE = " \t\n«»\"'“”„.,;:()"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """A mention without surrounding quotes, brackets, spaces and punctuation (gold spans never include them).

    >>> _strip('«Газпром».', 0, 10)
    (1, 8)
    """
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


# ── scoring ─────────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Counts:
    """Matched items, predicted items, gold items; P = tp/pred, R = tp/gold (one-to-one matching, so one tp)."""

    tp: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.pred += other.pred
        self.gold += other.gold

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "pred": self.pred,
            "gold": self.gold,
        }


def _one_to_one(golds: list, preds: list, match) -> tuple[int, list[int], list[bool]]:
    """Greedy one-to-one matching in gold order: (tp, index of the matched prediction per gold or -1, pred flags)."""
    gold_to, pred_hit = [-1] * len(golds), [False] * len(preds)
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if not pred_hit[j] and match(g, p):
                gold_to[i], pred_hit[j] = j, True
                break
    return sum(1 for j in gold_to if j >= 0), gold_to, pred_hit


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_entities(
    gold: list[TypedSpan], pred: list[TypedSpan], mode: str, tokens: tuple[tuple[int, int], ...] = ()
) -> dict[str, Counts]:
    """Per-type counts. ``exact``: same type and bounds; ``overlap``: same type, sharing a character (one-to-one);
    ``token``: naeval's measure — every token inside a span of the type counts, precision and recall over tokens.
    Predicted spans are de-duplicated first (one mention found twice counts once)."""
    pred = sorted(set(pred), key=lambda s: (s.start, s.end, s.type))
    out = {}
    for t in TYPES:
        g = [s for s in gold if s.type == t]
        p = [s for s in pred if s.type == t]
        if mode == "token":
            gi = {k for k, tok in enumerate(tokens) if any(s.start <= tok[0] and tok[1] <= s.end for s in g)}
            pi = {k for k, tok in enumerate(tokens) if any(s.start <= tok[0] and tok[1] <= s.end for s in p)}
            out[t] = Counts(len(gi & pi), len(pi), len(gi))
            continue
        if mode == "exact":
            gs, ps = {(s.start, s.end) for s in g}, {(s.start, s.end) for s in p}
            out[t] = Counts(len(gs & ps), len(ps), len(gs))
        elif mode == "overlap":
            tp, _, _ = _one_to_one(g, p, lambda a, b: _overlaps((a.start, a.end), (b.start, b.end)))
            out[t] = Counts(tp, len(p), len(g))
        else:
            raise ValueError(f"unknown matching mode {mode!r}")
    return out


# names and posts, normalised


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _morph():
    """pymorphy3 with its own dictionaries named explicitly: it also honours PYMORPHY2_DICT_PATH, which
    extract/nlp.py sets to pymorphy2's (older-format) dictionaries — reading those fails with struct.error."""
    import pymorphy3
    import pymorphy3_dicts_ru

    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path())


@lru_cache(maxsize=65536)
def _lemma_pos(word: str) -> tuple[str, bool]:
    """(lemma, noun-like) of one lower-cased word; unknown or Latin words count as nouns."""
    p = _morph().parse(word)[0]
    pos = p.tag.POS
    return p.normal_form.replace("ё", "е"), pos == "NOUN" or pos is None


def norm_words(text: str) -> list[str]:
    """Lower-case, ё → е, letters only: ``'«Лужкова»'`` → ``['лужкова']``."""
    return [w.lower().replace("ё", "е") for w in _WORD.findall(text)]


def job_key(text: str) -> tuple[str, frozenset[str]]:
    """(head noun lemma, all noun lemmas) of a post title, any case.

    >>> job_key('заместителем министра иностранных дел')[0]
    'заместитель'
    >>> job_key('подмосковного губернатора')
    ('губернатор', frozenset({'губернатор'}))
    """
    nouns = [lemma for lemma, noun in map(_lemma_pos, norm_words(text)) if noun]
    return (nouns[0] if nouns else "", frozenset(nouns))


def job_matches(gold: str, ours: str) -> bool:
    """Same head noun, and the nouns of the one with fewer are all in the other: 'министра' = 'Министр
    иностранных дел', 'подмосковного губернатора' = 'Губернатор', but 'заместителем министра' ≠ 'Министр'.

    >>> job_matches('министра', 'Министр иностранных дел'), job_matches('заместителем министра', 'Министр')
    (True, False)
    """
    (gh, gn), (oh, on) = job_key(gold), job_key(ours)
    if not gh or gh != oh:
        return False
    small, big = (gn, on) if len(gn) <= len(on) else (on, gn)
    return small <= big


def _name_lemmas(text: str) -> tuple[str, ...]:
    return tuple(_lemma_pos(w)[0] for w in norm_words(text))


def actor_matches(gold: Actor, pred: Actor) -> bool:
    """Same thing when a predicted mention overlaps a gold mention, or by name: a person when the gold surname is
    among the words of one of our names (and, when both give more, a first-name word shares the gold first
    initial — order-free, for surname-first Japanese names); others when the lemmas of a whole name agree."""
    if any(_overlaps(g, p) for g in gold.spans for p in pred.spans):
        return True
    if gold.is_person and gold.lastnames:
        initials = {w[0] for f in gold.firstnames for w in norm_words(f)[:1]}
        for name in pred.names:
            words = norm_words(name)
            for last in gold.lastnames:
                lw = norm_words(last)
                if not lw or not set(lw) <= set(words):
                    continue
                rest = [w for w in words if w not in lw]
                if not initials or not rest or any(w[0] in initials for w in rest):
                    return True
        return False
    gold_names = {_name_lemmas(n) for n in gold.names} - {()}
    return any(_name_lemmas(n) in gold_names for n in pred.names)


def _gold_pairs(doc_golds: list[GoldOccupation]) -> list[GoldOccupation]:
    """One per (person, first position lemma key): factRuEval repeats a post per organisation."""
    seen, out = set(), []
    for g in doc_golds:
        if not g.positions:
            continue
        key = (g.who.id, job_key(g.positions[0]))
        if key not in seen:
            seen.add(key)
            out.append(g)
    return out


def _pred_pairs(preds: tuple[PredOccupation, ...]) -> list[PredOccupation]:
    seen, out = set(), []
    for p in preds:
        key = (p.person.id, job_key(p.titles[0]) if p.titles else ("", frozenset()))
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _job_ok(g: GoldOccupation, p: PredOccupation) -> bool:
    return any(job_matches(gp, t) for gp in g.positions for t in p.titles)


def score_occupations(golds: list[GoldOccupation], pred: Prediction) -> dict[str, Counts]:
    """``pair``: (person, job) — facts with a Position; ``triple``: (person, job, organisation) — facts with a
    Position and a Where against our holdings with an organisation. One-to-one, greedy in gold order."""
    gp, pp = _gold_pairs(golds), _pred_pairs(pred.occupations)
    tp, _, _ = _one_to_one(gp, pp, lambda g, p: actor_matches(g.who, p.person) and _job_ok(g, p))
    pair = Counts(tp, len(pp), len(gp))
    gt = [g for g in golds if g.positions and g.where]
    pt = list({(p.person.id, p.titles, p.org.id): p for p in pred.occupations if p.org}.values())
    tp3, _, _ = _one_to_one(
        gt,
        pt,
        lambda g, p: (
            actor_matches(g.who, p.person) and _job_ok(g, p) and any(actor_matches(w, p.org) for w in g.where)
        ),
    )
    return {"pair": pair, "triple": Counts(tp3, len(pt), len(gt))}


def _pairs(group: tuple[Actor, ...]) -> list[tuple[Actor, Actor]]:
    return [(a, b) for i, a in enumerate(group) for b in group[i + 1 :] if a.id != b.id]


def score_meetings(golds: list[tuple[Actor, ...]], pred: Prediction) -> Counts:
    """Unordered participant pairs of Meeting facts vs our Meeting/Negotiation/Consultation events."""
    gp = list({frozenset((a.id, b.id)): (a, b) for m in golds for a, b in _pairs(m)}.values())
    pp = list({frozenset((a.id, b.id)): (a, b) for m in pred.meetings for a, b in _pairs(m)}.values())

    def same(g, p) -> bool:
        return (actor_matches(g[0], p[0]) and actor_matches(g[1], p[1])) or (
            actor_matches(g[0], p[1]) and actor_matches(g[1], p[0])
        )

    tp, _, _ = _one_to_one(gp, pp, same)
    return Counts(tp, len(pp), len(gp))


MODES = ("token", "exact", "overlap")


@dataclass
class Score:
    """Micro-averaged counts over a set of documents."""

    entities: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: {m: {t: Counts() for t in TYPES} for m in MODES}
    )
    occupations: dict[str, Counts] = field(default_factory=lambda: {"pair": Counts(), "triple": Counts()})
    meetings: Counts = field(default_factory=Counts)
    documents: int = 0

    def add_document(self, doc: FreDoc, pred: Prediction, locorg: str = LOC) -> None:
        gold = gold_entities(doc, locorg)
        for mode in MODES:
            for t, c in score_entities(gold, list(pred.entities), mode, doc.tokens).items():
                self.entities[mode][t].add(c)
        for k, c in score_occupations(gold_occupations(doc), pred).items():
            self.occupations[k].add(c)
        self.meetings.add(score_meetings(gold_meetings(doc), pred))
        self.documents += 1

    def entity_total(self, mode: str) -> Counts:
        total = Counts()
        for c in self.entities[mode].values():
            total.add(c)
        return total

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "entities": {
                m: {
                    **{t: c.as_dict() for t, c in self.entities[m].items()},
                    "all": self.entity_total(m).as_dict(),
                }
                for m in MODES
            },
            "occupations": {k: c.as_dict() for k, c in self.occupations.items()},
            "meetings": self.meetings.as_dict(),
        }


# ── error listing (for reading what went wrong; not part of the score) ──────────────────────────────────────────


def entity_errors(gold: list[TypedSpan], pred: list[TypedSpan]) -> dict[str, list[tuple]]:
    """``missed`` gold spans no prediction of its type overlaps, ``spurious`` predictions overlapping no gold span
    of their type, ``bounds`` (gold, pred) pairs that overlap with different bounds, ``wrong_type`` (gold, pred)
    pairs with the same bounds and another type."""
    pred = sorted(set(pred), key=lambda s: (s.start, s.end, s.type))
    out: dict[str, list[tuple]] = {"missed": [], "spurious": [], "bounds": [], "wrong_type": []}
    for t in TYPES:
        g = [s for s in gold if s.type == t]
        p = [s for s in pred if s.type == t]
        _, gold_to, pred_hit = _one_to_one(g, p, lambda a, b: _overlaps((a.start, a.end), (b.start, b.end)))
        out["missed"] += [(s,) for s, j in zip(g, gold_to, strict=True) if j < 0]
        out["spurious"] += [(s,) for s, hit in zip(p, pred_hit, strict=True) if not hit]
        out["bounds"] += [
            (s, p[j])
            for s, j in zip(g, gold_to, strict=True)
            if j >= 0 and (s.start, s.end) != (p[j].start, p[j].end)
        ]
    by_bounds = {(s.start, s.end): s for s in pred}
    out["wrong_type"] = [
        (m[0], by_bounds[(m[0].start, m[0].end)])
        for m in out["missed"]
        if (m[0].start, m[0].end) in by_bounds and by_bounds[(m[0].start, m[0].end)].type != m[0].type
    ]
    return out


def occupation_errors(golds: list[GoldOccupation], pred: Prediction) -> dict[str, list]:
    """``missed`` gold (person, job) facts and ``spurious`` predicted holdings, as in the ``pair`` score."""
    gp, pp = _gold_pairs(golds), _pred_pairs(pred.occupations)
    _, gold_to, pred_hit = _one_to_one(gp, pp, lambda g, p: actor_matches(g.who, p.person) and _job_ok(g, p))
    return {
        "missed": [g for g, j in zip(gp, gold_to, strict=True) if j < 0],
        "spurious": [p for p, hit in zip(pp, pred_hit, strict=True) if not hit],
    }


def _gold_named(doc: FreDoc) -> list[tuple[str, tuple[int, int], Coref]]:
    """(object type, mention extent, coref object) for every mention that belongs to a coref object."""
    out = []
    for co in doc.corefs.values():
        for mid in co.mention_ids:
            obj = doc.objects.get(mid)
            if obj and obj.type in GOLD_TYPES and any(s in doc.spans for s in obj.span_ids):
                out.append((obj.type, doc.object_extent(obj), co))
    return out


def diagnose(
    doc: FreDoc, pred: Prediction, locorg: str = LOC, reference: Prediction | None = None
) -> list[tuple[str, str]]:
    """(category, example) for every error, sorted into general weaknesses: entities missed (noting when the
    ``reference`` — natasha's NER — finds them), typed as another class, cut short or too long, spurious; person
    names not in the nominative or lacking the surname; occupations missed for want of the person, the post, the
    title or the organisation. For reading, not for the score."""
    text, out = doc.text, []

    def q(s) -> str:
        return f"«{text[s.start : s.end]}»"

    def overlap(a, b) -> bool:
        return _overlaps((a.start, a.end), (b.start, b.end))

    gold = gold_entities(doc, locorg)
    preds = sorted(set(pred.entities), key=lambda s: (s.start, s.end, s.type))
    ref = list(reference.entities) if reference else []
    errs = entity_errors(gold, preds)
    for (g,) in errs["missed"]:
        others = [p for p in preds if p.type != g.type and overlap(g, p)]
        if others:
            out.append((f"class {g.type} → {others[0].type}", f"{q(g)} as {q(others[0])}"))
        elif any(r.type == g.type and overlap(g, r) for r in ref):
            out.append((f"missed {g.type} (natasha's NER finds it)", q(g)))
        else:
            out.append((f"missed {g.type}", q(g)))
    for (p,) in errs["spurious"]:
        if not any(overlap(p, g) for g in gold):
            out.append((f"spurious {p.type}", q(p)))
    for g, p in errs["bounds"]:
        inside, covers = g.start <= p.start and p.end <= g.end, p.start <= g.start and g.end <= p.end
        kind = "cut short" if inside else "too long" if covers else "shifted"
        out.append((f"{kind} {g.type}", f"gold {q(g)} ours {q(p)}"))
    out += _diagnose_names(doc, pred)
    out += _diagnose_occupations(doc, pred)
    return out


def _diagnose_names(doc: FreDoc, pred: Prediction) -> list[tuple[str, str]]:
    out = []
    named = _gold_named(doc)
    for cls, actor in pred.actors:
        for otype, ext, co in named:
            if GOLD_TYPES[otype] != cls or not any(_overlaps(ext, m) for m in actor.spans):
                continue
            ours = [w for n in actor.names for w in norm_words(n)]
            example = (
                f"ours {actor.names[0]!r}, gold {' '.join(co.values('lastname') or co.values('name')[:1])!r}"
            )
            if cls == PER:
                lasts = [norm_words(ln) for ln in co.values("lastname")]
                if lasts and not any(set(ln) <= set(ours) for ln in lasts if ln):
                    # a word of ours sharing the surname's stem: the surname is there but inflected
                    inflected = any(w[:4] == ln[-1][:4] for w in ours for ln in lasts if ln)
                    out.append(
                        (f"person name {'not nominative' if inflected else 'lacks the surname'}", example)
                    )
            elif co.values("name") and not any(
                norm_words(n) == norm_words(actor.names[0]) for n in co.values("name")
            ):
                out.append((f"name differs {cls}", example))
            break
    return out


def _diagnose_occupations(doc: FreDoc, pred: Prediction) -> list[tuple[str, str]]:
    out = []
    golds = gold_occupations(doc)
    people = [a for cls, a in pred.actors if cls == PER] + [o.person for o in pred.occupations]
    occ = occupation_errors(golds, pred)
    for g in occ["missed"]:
        mine = [o for o in pred.occupations if actor_matches(g.who, o.person)]
        example = f"{g.who.names[0] if g.who.names else g.who.id!r} — {g.positions[0]!r}"
        if mine:
            out.append(
                ("occupation: other title", f"{example}; ours {[t for o in mine for t in o.titles[:1]]}")
            )
        elif any(actor_matches(g.who, a) for a in people):
            out.append(("occupation: person found, no post", example))
        else:
            out.append(("occupation: person not found", example))
    for g in golds:
        if not (g.positions and g.where):
            continue
        pairs = [o for o in pred.occupations if actor_matches(g.who, o.person) and _job_ok(g, o)]
        if pairs and not any(o.org and any(actor_matches(w, o.org) for w in g.where) for o in pairs):
            orgs = [o.org.names[0] for o in pairs if o.org]
            label = "occupation: organisation differs" if orgs else "occupation: no organisation"
            out.append(
                (
                    label,
                    f"{g.who.names[0] if g.who.names else ''!r} — {g.positions[0]!r} — gold "
                    f"{g.where[0].names[0] if g.where[0].names else ''!r}, ours {orgs[:1]}",
                )
            )
    gold_people = [g.who for g in golds]
    for p in occ["spurious"]:
        known = any(actor_matches(w, p.person) for w in gold_people)
        label = (
            "spurious post of a gold post-holder" if known else "spurious post (person holds none in gold)"
        )
        out.append((label, f"{p.person.names[0]!r} — {p.titles[0] if p.titles else ''!r}"))
    return out
