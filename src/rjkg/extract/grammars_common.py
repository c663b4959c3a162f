"""Helpers shared by the event, instrument, institution and statement grammars.

They read only the Context (text, sentence ranges, entity mentions, post holdings), so each grammar stays a pure
function of it. Clause splitting is deliberately shallow (commas before "что", colons, semicolons, dashes): good
enough to keep "X сообщил, что <clause about Y>" from lending X to Y's event.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rjkg.extract.context import Context
from rjkg.extract.dates import find_dates
from rjkg.records import DateValue, Entity, Span

PERSON = "Person"
ORG_TYPES = {"GovernmentBody", "Association", "Company", "Bank", "InternationalOrganization", "MediaOutlet"}
ACTOR_TYPES = {PERSON, "State", *ORG_TYPES}
PLACE_TYPES = {"Municipality", "Region", "Place"}

# adjectives that name a side without naming an entity: "российская сторона", "японских властей"
STATE_ADJ = {"russia": r"российск|(?<!\w)русск", "japan": r"японск|японо-"}
STATE_NAMES = {
    "russia": ("россия", "российская федерация", "рф"),
    "japan": ("япония",),
}

# the adjective of a state naming it as a side ("китайская сторона", "американских властей"), most specific first;
# keys are the gazetteer's state slugs
SIDE_ADJ: dict[str, str] = {
    "north-korea": r"северокорейск", "korea": r"южнокорейск|корейск", "russia": r"российск|русск",
    "japan": r"японск", "china": r"китайск", "usa": r"американск", "mongolia": r"монгольск",
    "india": r"индийск", "vietnam": r"вьетнамск", "germany": r"германск|немецк", "france": r"французск",
    "uk": r"британск", "ukraine": r"украинск", "kazakhstan": r"казахстанск", "belarus": r"белорусск",
    "canada": r"канадск", "australia": r"австралийск", "singapore": r"сингапурск", "indonesia": r"индонезийск",
}  # fmt: skip
SIDE_NAMES: dict[str, tuple[str, ...]] = {
    "north-korea": ("кндр", "северная корея", "корейская народно-демократическая республика"),
    "korea": ("республика корея", "южная корея", "корея"),
    "china": ("китай", "кнр", "китайская народная республика"),
    "usa": ("сша", "соединенные штаты америки", "соединённые штаты америки", "соединенные штаты", "америка"),
    "mongolia": ("монголия",), "india": ("индия",), "vietnam": ("вьетнам",), "germany": ("германия", "фрг"),
    "france": ("франция",), "uk": ("великобритания", "британия"), "ukraine": ("украина",),
    "kazakhstan": ("казахстан",), "belarus": ("белоруссия", "беларусь"), "canada": ("канада",),
    "australia": ("австралия",), "singapore": ("сингапур",), "indonesia": ("индонезия",),
}  # fmt: skip

WORD = re.compile(r"[\w-]+")


def sentence_ranges(ctx: Context) -> list[tuple[int, int]]:
    """Sentence ranges from the Context, falling back to the document's own split."""
    if ctx.sentences:
        return [(s.start, s.end) for s in ctx.sentences]
    return list(ctx.doc.sentences) or [(0, len(ctx.text))]


def mentions_in(
    ctx: Context, start: int, end: int, types: set[str] | None = None
) -> list[tuple[Entity, int, int]]:
    """Entity mentions inside [start, end) of the given types, minus mentions nested in a longer mention."""
    found = [(e, s, t) for e, s, t in ctx.entities_in(start, end)]
    outer = [
        (e, s, t)
        for e, s, t in found
        if not any((s2 <= s and t <= t2) and (s2, t2) != (s, t) for _, s2, t2 in found)
    ]
    if types is not None:
        outer = [x for x in outer if x[0].type in types]
    return outer


def unique_keys(items: list[tuple[Entity, int, int]]) -> list[str]:
    out: list[str] = []
    for e, _, _ in items:
        if e.key not in out:
            out.append(e.key)
    return out


def state_key(ctx: Context, which: str) -> str | None:
    """The key of the State entity for 'russia' or 'japan', if the document mentions it."""
    names = STATE_NAMES[which]
    for e in ctx.entities:
        if e.type == "State" and (e.name_ru.casefold() in names or e.key == which):
            return e.key
    return None


def side_state(ctx: Context, adjective: str) -> str | None:
    """The State entity an adjective names as a side ("Китайская" → the document's China), if the document has
    it (a speaker must be an entity of the document)."""
    low = adjective.casefold()
    for which, rx in SIDE_ADJ.items():
        if re.match(rf"(?:{rx})", low):
            names = STATE_NAMES.get(which, ()) + SIDE_NAMES.get(which, ())
            for e in ctx.entities:
                if e.type == "State" and (e.name_ru.casefold().replace("ё", "е") in names or e.key == which):
                    return e.key
            return None
    return None


def adjective_states(ctx: Context, start: int, end: int) -> list[str]:
    """States named by adjectives ("российско-японских", "японской стороной") inside the range."""
    frag = ctx.text[start:end].casefold()
    out = []
    for which, rx in STATE_ADJ.items():
        if re.search(rx, frag):
            key = state_key(ctx, which)
            if key:
                out.append(key)
    return out


def person_keys_in(ctx: Context, start: int, end: int) -> list[tuple[str, int]]:
    """Persons named in the range, by entity mention or by a post holding's evidence ("глава Минвостокразвития")."""
    found = [(e.key, s) for e, s, _ in mentions_in(ctx, start, end, {PERSON})]
    for p in ctx.posts:
        for ev in p.evidence:
            if start <= ev.start and ev.end <= end and not any(k == p.person for k, _ in found):
                found.append((p.person, ev.start))
    found.sort(key=lambda t: t[1])
    return found


def last_entity_before(ctx: Context, pos: int, types: set[str], floor: int = 0) -> str | None:
    """The entity of the given types whose mention ends last before ``pos`` (pronoun and "ведомство" antecedents)."""
    best: tuple[int, str] | None = None
    for e in ctx.entities:
        if e.type not in types:
            continue
        for m in e.mentions:
            if floor <= m.start and m.end <= pos and (best is None or m.end > best[0]):
                best = (m.end, e.key)
    if PERSON in types:
        for p in ctx.posts:
            for ev in p.evidence:
                if floor <= ev.start and ev.end <= pos and (best is None or ev.end > best[0]):
                    best = (ev.end, p.person)
    return best[1] if best else None


_CLAUSE_BREAK = re.compile(
    r",\s*(?:что|чтобы|когда|(?:в\s+ходе\s+|по\s+итогам\s+|после\s+|во\s+время\s+|в\s+рамках\s+)?котор\w+)(?!\w)"
    r"|[:;]|\s[—–]\s"
)


def clause_bounds(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The clause of sentence [start, end) that contains ``pos``."""
    cs, ce = start, end
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.end() <= pos:
            cs = m.end()
        elif m.start() >= pos:
            ce = m.start()
            break
    return cs, ce


def dates_in(ctx: Context, start: int, end: int) -> list[tuple[Span, DateValue]]:
    return find_dates(ctx.text, start, end, ctx.anchor)


def is_period(text: str, span: Span, value: DateValue) -> bool:
    """A span of years ("на 2023–2025 годы") or a year something is meant for ("план на 2023 год"): an
    instrument's period, not when an event happened."""
    if value.end and value.start.precision == "year":
        return True
    if value.start.precision != "year":
        return False
    before = text[max(0, span.start - 40) : span.start]
    if re.search(r"(?<![\w-])за\s+$", before, re.I) or re.match(r"за\s", text[span.start : span.end], re.I):
        return True  # "отчет о торговле за 2020 год": the period a document covers
    phrase = text[span.start : span.end] if re.match(r"на\s", text[span.start : span.end], re.I) else None
    if phrase is None and re.search(r"(?<![\w-])на\s+$", before, re.I):
        phrase = "на " + text[span.start : span.end]
    if phrase is None or not re.fullmatch(r"на\s+\d{4}\s*(?:год|г\.?)?", phrase.strip(), re.I):
        return False  # "на осень 2020 года" is when a meeting is planned
    return not re.search(r"запланир|назнач|намеч|перен[её]с|отлож|планиру", before, re.I)


def nearest_date(dates: list[tuple[Span, DateValue]], pos: int, end: int | None = None) -> DateValue | None:
    """The date whose span is closest to the trigger [pos, end)."""
    end = pos if end is None else end
    best = None
    for sp, dv in dates:
        dist = pos - sp.end if sp.end <= pos else max(0, sp.start - end)
        if best is None or dist < best[0]:
            best = (dist, dv)
    return best[1] if best else None


@lru_cache(maxsize=1)
def _morph():
    """pymorphy3 with its own dictionaries, named explicitly: once natasha has set PYMORPHY2_DICT_PATH, a bare
    pymorphy3.MorphAnalyzer() would open pymorphy2's dictionaries and fail on some words."""
    import pymorphy3
    import pymorphy3_dicts_ru

    return pymorphy3.MorphAnalyzer(path=pymorphy3_dicts_ru.get_path())


@lru_cache(maxsize=4096)
def _nom_word(word: str, agree: tuple[str, ...] = ()) -> str:
    """One word in the nominative; adjectives take the head noun's gender/number given in ``agree``."""
    if not re.fullmatch(r"[А-Яа-яЁё]+", word):
        return word
    for p in _morph().parse(word):
        if p.tag.POS not in ("NOUN", "ADJF", "PRTF") or p.tag.case is None:
            continue
        if p.tag.POS == "NOUN":
            want = {"nomn", p.tag.number} if p.tag.number else {"nomn"}
        else:
            want = {"nomn", *agree} if agree else {"nomn", p.tag.number or "sing"}
        inflected = p.inflect(want) or p.inflect({"nomn"})
        if inflected:
            w = inflected.word
            return w[0].upper() + w[1:] if word[0].isupper() else w
    return word


def _head_agreement(words: list[str]) -> tuple[str, ...]:
    """Gender and number of the first noun among the leading words ("аэрокосмического кластера" → masc sing)."""
    for w in words:
        last = w.split("-")[-1]
        if not re.fullmatch(r"[А-Яа-яЁё]+", last):
            return ()
        for p in _morph().parse(last)[:3]:
            if p.tag.POS == "NOUN" and p.tag.case:
                inflected = p.inflect({"nomn", p.tag.number or "sing"})
                if inflected is None:
                    continue
                if p.tag.number == "plur":
                    return ("plur",)
                return tuple(x for x in (p.tag.gender, "sing") if x)
    return ()


def nominative(phrase: str) -> str:
    """Put the leading adjectives and head noun of a noun phrase in the nominative, keep the rest.

    >>> nominative("аэрокосмического кластера на базе космодрома")
    'Аэрокосмический кластер на базе космодрома'
    """
    tokens = re.split(r"(\s+)", phrase.strip())
    words = [re.sub(r"^\W+|\W+$", "", t) for t in tokens if t and not t.isspace()]
    agree = _head_agreement(words)
    out = []
    done = False
    for tok in tokens:
        if done or tok.isspace() or not tok:
            out.append(tok)
            continue
        m = re.fullmatch(r"(\W*)([\w-]+)(\W*)", tok)
        if not m:
            out.append(tok)
            continue
        parts = m[2].split("-")
        out.append(m[1] + "-".join(_nom_word(p, agree) for p in parts) + m[3])
        if m[3]:
            done = True
        parses = _morph().parse(parts[-1]) if re.fullmatch(r"[А-Яа-яЁё]+", parts[-1]) else []
        if parses and parses[0].tag.POS == "NOUN":
            done = True
        elif not parses:
            done = True
    s = "".join(out)
    return s[:1].upper() + s[1:]


def in_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside «…» (same paragraph)."""
    line_start = text.rfind("\n", 0, pos) + 1
    before = text[line_start:pos]
    return before.count("«") > before.count("»")


_SPEECH_TITLE = re.compile(
    r"^\s*(?:Выступление|Интервью|Заявление|Статья|Ответы?|Речь|Слово|Вступительное\s+слово|Приветствие|Обращение|"
    r"Комментарий|Брифинг|Сообщение)",
    re.I,
)


def doc_speaker(ctx: Context) -> str | None:
    """The person a transcript is by, from its title ("Выступление Министра … С.В.Лаврова …")."""
    sents = sentence_ranges(ctx)
    title = ctx.doc.meta.title or ""
    head = sents[0] if sents else (0, 0)
    if not (
        ctx.doc.meta.genre == "Transcript"
        or _SPEECH_TITLE.match(title)
        or _SPEECH_TITLE.match(ctx.text[head[0] : head[1]])
    ):
        return None
    for a, b in sents[:3]:
        if _SPEECH_TITLE.match(ctx.text[a:b]) or ctx.doc.meta.genre == "Transcript":
            found = person_keys_in(ctx, a, b)
            if found:
                return found[0][0]
            # "Заявление МИД России …": a body speaks
            bodies = mentions_in(ctx, a, b, ORG_TYPES - {"MediaOutlet"})
            if bodies:
                return bodies[0][0].key
    return None


# Cardinal number words as they count things in these texts ("всех шести центров", "из восьми пунктов")
CARDINAL_WORDS = {
    "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4, "четырёх": 4,
    "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9,
    "девяти": 9, "десять": 10, "десяти": 10, "одиннадцати": 11, "двенадцати": 12,
}  # fmt: skip
