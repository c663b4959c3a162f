"""Instruments (memoranda, agreements, plans, treaties, orders, programmes, communiqués) and their life cycle.

A mention is a trigger noun (TRIGGERS) plus the noun phrase after it (its title when specific). Around it the
sentence says what happened to it: signed/reached/adopted (with date and place), proposed (by whom, when),
being implemented, terminated (by an order, by whom, when), or, for a treaty, still to be concluded.
Anaphoric mentions ("Данные соглашения были подписаны 5 сентября 2000 года в Токио и 29 июня 2003 года во
Владивостоке", "Соглашение было подписано …") attach to the instrument mentioned before, and split it when they
give several signings; the headline's mention is the body's instrument. A signing "по итогам заседания" takes
the date of the event just reported; one in the lead without a date takes the document date. Counted
documents ("подписано 15 соглашений") are not instruments. Well-known instruments (the peace treaty, the 8-point
plan, the 1956/1993/1998 declarations …) come from data/instruments.yaml with stable keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import yaml

from rjkg.config import DATA_DIR
from rjkg.errors import InputError
from rjkg.extract.context import Context
from rjkg.extract.grammars_common import (
    ACTOR_TYPES,
    CARDINAL_WORDS,
    PERSON,
    PLACE_TYPES,
    _morph,
    adjective_states,
    clause_bounds,
    dates_in,
    is_period,
    mentions_in,
    nearest_date,
    nominative,
    person_keys_in,
    sentence_ranges,
    state_key,
    unique_keys,
)
from rjkg.records import DateValue, Instrument, Span

INSTRUMENTS_FILE = DATA_DIR / "instruments.yaml"

TRIGGERS: list[tuple[str, str]] = [
    (
        "JointStatement",
        r"совместн\w+\s+(?:заявлени|декларац)\w*|[\w-]+ск(?:ая|ой|ую|ое|ого|ом)\s+(?:декларац|заявлени)\w*",
    ),
    ("Memorandum", r"меморандум\w*"),
    ("Communique", r"коммюнике"),
    ("Treaty", r"мирн\w+\s+договор\w*|договор(?:а|у|ом|е|ы|ов|ам|ами|ах)?|конвенци(?:я|и|ю|ей|й)"),
    ("Agreement", r"соглашени\w*|договор[её]нност\w*|протокол(?:а|у|ом|е|ы|ов)?"),
    ("Plan", r"план(?:а|у|ом|е|ы|ов|ами|ах)?|дорожн\w+\s+карт\w*"),
    ("GovernmentOrder", r"распоряжени\w*|постановлени\w*|указ(?:а|у|ом|е)?"),
    ("Programme", r"программ(?:а|ы|е|у|ой|ами|ах)|«\s*год\w*|перекр[её]стн\w*»?\s+год\w*"),
    # a policy document, an instrument only when adopted or approved (see _ADOPTED_BEFORE)
    ("Programme", r"стратеги(?:я|и|ю|ей)|концепци(?:я|и|ю|ей)|доктрин(?:а|ы|у|ой|е)"),
    ("Document", r"документ(?:а|у|ом|е|ы|ов|ам|ами|ах)?"),
]
_TRIGGER_RX = [(t, re.compile(rf"(?<![\w-])(?:{rx})(?![\w])", re.I)) for t, rx in TRIGGERS]

_ANAPHORIC = re.compile(
    r"(?:данн|эт|настоящ|указанн|соответствующ|упомянут|вышеупомянут|эти|этих|оба|обоих)\w*\s+$", re.I
)
# "утвердило новую Стратегию …", "одобрил Концепцию", "указ об утверждении Программы", "принятая доктрина"
_ADOPTED_BEFORE = re.compile(
    r"(?:утвердил|утвержд[её]н|одобрил|одобрен|принял|принят|утверждени|одобрени|приняти)\w*\s+"
    r"(?:(?:\d{1,4}|январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|год|г\.)\w*\.?\s+){0,4}"
    r"(?:(?:нов|обновл[её]нн|пересмотренн|национальн|государственн)\w*\s+)?$",
    re.I,
)
_SIGNED = re.compile(
    r"подпис(?:ан|ал|ыва)\w*|заключ(?:ен|ил|ён)\w*|достигнут\w*|согласова\w*|принят\w*|приня(?:л|ли|ла|ло)\b|"
    r"утвердил\w*|утвержд[её]н\w*|одобрил\w*|"
    r"опубликова\w*|объявлен\w*|издан\w*|одобрен\w*",
    re.I,
)
_PROPOSED = re.compile(r"предложенн\w*|предложил\w*|выдвинут\w*|предложени\w+", re.I)
_TERMINATED = re.compile(
    r"прекращ\w*\s+(?:действия|применения)|прекрати\w*\s+(?:применение|действие)|расторг\w*|денонс\w*|"
    r"приостанов\w*\s+(?:действи|применени)\w*|"
    r"утратил\w*\s+силу|отмен\w+",
    re.I,
)
_TERMINATED_AFTER = re.compile(
    r"\s*,\s*(?:котор\w+|что)\s+(?:[\w-]+\s+){0,3}?(?:прекратил\w*\s+(?:сво[её]\s+)?действие|утратил\w*\s+силу|"
    r"(?:был\w*\s+)?(?:расторгнут|денонсирован|отмен[её]н)\w*)",
    re.I,
)
_IN_FORCE = re.compile(r"реализаци\w*|реализу\w*|осуществл\w*|выполнени\w*|действующ\w*|исполнени\w*", re.I)
_PLANNED = re.compile(
    r"о\s+(?:создании|подготовке|разработке|заключении|проведении)|будет\s+подписан\w*|планиру\w*|предстоит|"
    r"намерен\w*|проект\w*\s+$|скорейш\w+\s+подписани\w*",
    re.I,
)
_WORD_NUM = CARDINAL_WORDS
_ITEM_COUNT = re.compile(
    r"(?:из\s+)?(\d+|" + "|".join(_WORD_NUM) + r")\s+(?:позици|пункт|мер\b|направлени|раздел|стат)\w*", re.I
)
_STOP = re.compile(r"[,.;:!?]|\s[—–-]\s|\s(?:котор\w+|что|чтобы|и\s+(?:подтверди|обсуди)\w*)\s", re.I)


@dataclass(frozen=True)
class Known:
    key: str
    type: str
    title: str
    pattern: re.Pattern
    parties: tuple[str, ...]
    default_status: str


@lru_cache(maxsize=1)
def known_instruments() -> tuple[Known, ...]:
    """The curated list in data/instruments.yaml."""
    try:
        rows = yaml.safe_load(INSTRUMENTS_FILE.read_text(encoding="utf-8")) or []
        return tuple(
            Known(r["key"], r["type"], r["title"], re.compile(r["pattern"], re.I), tuple(r.get("parties", ())),
                  r.get("default_status", "concluded"))
            for r in rows
        )  # fmt: skip
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise InputError(
            f"cannot read the instrument list: {exc}", where=str(INSTRUMENTS_FILE),
            hint="each entry needs key, type, title and a valid regex pattern",
        ) from exc  # fmt: skip


@dataclass
class _Inst:
    type: str
    start: int
    end: int
    sent_index: int
    status: str = "concluded"
    title: str | None = None
    label: str | None = None
    key: str | None = None
    signed: DateValue | None = None
    signed_place: str | None = None
    proposed: DateValue | None = None
    proposed_by: str | None = None
    parties: list[str] = field(default_factory=list)
    signatories: list[str] = field(default_factory=list)
    terminated: DateValue | None = None
    terminated_by: str | None = None
    terminates_type: str | None = None
    terminated_by_instrument: int | None = None
    governs: str | None = None
    item_count: int | None = None
    evidence: list[Span] = field(default_factory=list)
    phrase_end: int = 0
    plural: bool = False
    last_sent: int = 0

    @property
    def strong(self) -> bool:
        return bool(self.key or self.title or self.signed or self.proposed)


def _phrase_end(text: str, e: int, s1: int, max_words: int = 28) -> int:
    """End of the noun phrase after a trigger: the next stop (comma, verb-like word) within ``max_words``."""
    pos = e
    words = 0
    depth = 0
    prev_word = ""
    for m in re.finditer(r"\(|\)|«|»|[,.;:!?]|[\w-]+", text[e:s1]):
        tok = m[0]
        if tok in "(«":
            depth += 1
            continue
        if tok in ")»":
            depth = max(0, depth - 1)
            pos = e + m.end()
            continue
        if depth:
            pos = e + m.end()
            continue
        if tok == "," and prev_word and _enumeration_next(prev_word, text, e + m.end(), s1):
            continue  # "в области науки, техники и инноваций": an enumeration inside the title
        if tok in ",.;:!?":
            break
        low = tok.casefold()
        if re.fullmatch(
            r"котор\w*|что|чтобы|был\w*|было|были|будет|стал\w*|содержит|является|имеют|имеет", low
        ):
            break
        if _is_verb(low):
            break  # the clause's predicate ends the title ("Договор …, прекративший", "… вступит в силу")
        if low in ("и", "или") and prev_word and not _oblique_next(text, e + m.end(), s1):
            break  # "Договор о нераспространении оружия и ситуацию …": the coordination leaves the title
        words += 1
        if words > max_words:
            break
        pos = e + m.end()
        prev_word = tok
    return pos


_VERB_POS = {"VERB", "INFN", "PRTS", "GRND"}


@lru_cache(maxsize=4096)
def _is_verb(word: str) -> bool:
    """Whether a word is a finite verb, infinitive, short participle or gerund by its likeliest reading (nouns
    ending like verbs, "ракет", "совет", "предмет", stay inside a title)."""
    if not re.fullmatch(r"[а-яё-]+", word):
        return False
    parses = _morph().parse(word)
    return bool(parses) and parses[0].tag.POS in _VERB_POS


_OBLIQUE = {"gent", "loct", "datv", "ablt", "gen2", "loc2"}


def _enumeration_next(prev_word: str, text: str, at: int, s1: int) -> bool:
    """Whether a comma continues an enumeration of the title ("науки, техники и инноваций"): the next word is a
    noun in the same oblique case as the word before the comma, and "и" closes the list within a few words."""
    m = re.match(r"\s+([А-Яа-яЁё]+)((?:\s+[А-Яа-яЁё-]+){0,4}?)\s+и\s+[А-Яа-яЁё]", text[at:s1])
    if not m or "," in m[0]:
        return False
    nxt = {p.tag.case for p in _morph().parse(m[1]) if p.tag.POS == "NOUN"} & _OBLIQUE
    before = {p.tag.case for p in _morph().parse(prev_word) if p.tag.POS == "NOUN"} & _OBLIQUE
    return bool(nxt & before)


def _oblique_next(text: str, at: int, s1: int) -> bool:
    """Whether the word after "и" can continue a title's complement: titles coordinate oblique cases ("о дружбе
    и сотрудничестве", "развития и туризма"); a nominative/accusative word starts a new phrase."""
    m = re.match(r"\s+([А-Яа-яЁё]+)", text[at:s1])
    if not m:
        return True
    cases = {p.tag.case for p in _morph().parse(m[1]) if p.tag.case}
    return not cases or bool(cases & {"gent", "loct", "datv", "ablt", "gen2", "loc2"})


def _genitive_next(text: str, e: int) -> bool:
    """Whether the word after a trigger is a genitive noun ("план интенсификации"), i.e. names the thing."""
    for w in re.findall(r"[А-Яа-яЁё]+", text[e : e + 60])[:4]:
        parses = _morph().parse(w)[:3]
        if any(p.tag.POS == "NOUN" and p.tag.case == "gent" for p in parses):
            return True
        if not any(p.tag.POS in ("ADJF", "PRTF") and p.tag.case == "gent" for p in parses):
            return False  # "план совместных действий": genitive adjectives may come before the noun
    return False


def _item_count(text: str, s: int, e: int) -> int | None:
    m = _ITEM_COUNT.search(text, s, e)
    if not m:
        return None
    n = m[1].casefold()
    return int(n) if n.isdigit() else _WORD_NUM.get(n)


def _parties(ctx: Context, s: int, e: int) -> list[str]:
    found = unique_keys(mentions_in(ctx, s, e, ACTOR_TYPES - {PERSON, "MediaOutlet"}))
    for k in adjective_states(ctx, s, e):
        if k not in found:
            found.append(k)
    if re.search(r"двух\s+(?:стран|лидеров|государств)|обеих\s+стран|сторон", ctx.text[s:e], re.I):
        for which in ("russia", "japan"):
            k = state_key(ctx, which)
            if k and k not in found:
                found.append(k)
    return found


def _place_after(ctx: Context, s: int, e: int) -> str | None:
    """The first place after в/во in [s, e); a city beats a state sharing its mention ("в Токио")."""
    found = [
        (ms, ent.type == "State", ent.key)
        for ent, ms, _ in ctx.entities_in(s, e)
        if ent.type in PLACE_TYPES | {"State"}
        and re.search(r"(?:^|\s)(?:в|во|г\.)\s*$", ctx.text[max(0, ms - 5) : ms])
    ]
    return min(found)[2] if found else None


def _signings(ctx: Context, s: int, e: int) -> list[tuple[DateValue, str | None, Span]]:
    """Signings listed in [s, e): "5 сентября 2000 года в Токио и 29 июня 2003 года во Владивостоке" → (date,
    place, the span saying so) each."""
    dates = [d for d in dates_in(ctx, s, e) if d[1].end is None]
    out = []
    for i, (sp, dv) in enumerate(dates):
        nxt = dates[i + 1][0].start if i + 1 < len(dates) else e
        window_end = min(nxt, sp.end + 40)
        place = _place_after(ctx, sp.end, window_end)
        end = max(
            (me for ent, _ms, me in ctx.entities_in(sp.end, window_end) if ent.key == place), default=sp.end
        )
        out.append((dv, place, Span(sp.start, end)))
    return out


def _mention(
    ctx: Context, itype: str, s: int, e: int, sent: tuple[int, int], si: int, nested: bool = False
) -> _Inst | None:
    text = ctx.text
    s0, s1 = sent
    surface = text[s:e]
    low = surface.casefold()
    before = text[max(s0, s - 80) : s]
    pend = _phrase_end(text, e, s1)
    phrase = text[s:pend]
    known = next((k for k in known_instruments() if k.pattern.match(text, s)), None)
    if known:
        itype = known.type
    if itype == "Treaty" and not known and not re.match(r"\s+(?:о|об|между)\s", text[e : e + 8]):
        return None
    if re.search(
        r"(?:\d+|ряд|несколько|нескольких|более|менее|около|свыше|десятк\w*|сот\w*|пакет)\s+(?:[\w-]+\s+(?:и|или)\s+)?$",
        before,
        re.I,
    ):
        return None  # "подписано 15 соглашений": a count of documents, not one instrument
    if itype == "Plan" and not known and re.fullmatch(r"план(?:ы|ов|ами|ах|ам)", surface):
        return None  # "планами развертывания …": intentions, not a document
    if itype == "Plan" and not known and not low.startswith("дорожн"):
        if re.search(r"(?:^|\s)в\s+$", before, re.I) or not _genitive_next(text, e):
            return None
    adopted = bool(_ADOPTED_BEFORE.search(before))
    if itype == "Programme" and re.match(r"стратег|концепц|доктрин", low) and not adopted:
        return None  # "стратегия развития компании": a policy word, not an adopted document
    if itype == "Programme" and low.startswith("программ") and not adopted:
        if not re.match(
            r"\s+(?:мероприятий|сотрудничества|обмен|действий|развития|«)", text[e : e + 20], re.I
        ):
            return None
    if itype == "Programme" and low.startswith("«"):
        close = text.find("»", s, s1)
        if close < 0:
            return None
        phrase = text[s + 1 : close].strip()
        pend = close + 1
    if itype == "Agreement" and low.startswith("договор"):
        tail = text[e : min(s1, e + 160)]
        parties = re.match(
            r"\s+(?:\w+\s+)?(?:лидер|глав|президент|руководител|министр|сторон)\w*", tail, re.I
        )
        reached = re.match(
            r"[^.]{0,12}?,?\s*достигнут\w+\s+(?:по\s+итогам|в\s+ходе|во\s+время|на)\s+[^.,]{0,20}?"
            r"(?:встреч|переговор|саммит|визит)",
            tail,
            re.I,
        )
        if not (parties or reached):
            return None
        if reached:
            nxt = re.search(r",", text[e + reached.end() : s1])
            pend = e + reached.end() + (nxt.start() if nxt else 0)
            pend = max(pend, _phrase_end(text, e + reached.end(), s1))
            phrase = text[s:pend]
    if itype == "Agreement" and low.startswith("соглаш"):
        pend = _phrase_end(text, e, s1, max_words=40)
        phrase = text[s:pend]
    if itype == "Agreement" and low.startswith("протокол"):
        if not (
            re.match(r"\s+(?:о|об|между|к)\s", text[e : e + 8]) or _SIGNED.search(text, max(s0, s - 40), s)
        ):
            return None
    named_sides = itype == "Agreement" and low.startswith("договор")
    if itype in ("Plan", "Memorandum", "Agreement", "Programme") and not known and not named_sides:
        if re.search(r"(?:^|\s)(?:в|во|рамках|соответствии\s+с|основе|буквой|духом)\s+$", before, re.I):
            phrase = surface
            pend = e
    inner = [d for d in dates_in(ctx, e, pend) if d[0].start > e]
    if inner and itype != "Programme":
        pend = inner[0][
            0
        ].start  # "совместное заявление о партнерстве 10 мая 2005 года": the date is not the title
        phrase = text[s:pend].rstrip()
    inst = _Inst(
        type=itype, start=s, end=e, sent_index=si, evidence=[Span(s0, s1)], phrase_end=pend, last_sent=si
    )
    inst.plural = (
        bool(re.search(r"(?:ов|ы|ам|ами|ах|ии|ия)$", low)) and not low.endswith("ия") or low.endswith("ами")
    )
    if known:
        inst.key, inst.title, inst.status = known.key, known.title, known.default_status
        inst.parties = [k for k in (state_key(ctx, w) for w in known.parties) if k]
    cs, ce = clause_bounds(text, s0, s1, s)
    words_after = len(re.findall(r"[\w-]+", text[e:pend]))
    phrase = re.sub(r"(?:\s+(?:на|в|во|с|со|о|об|по|до|к|для|за|от|из|и|между))+\s*$", "", phrase.rstrip())
    if not inst.title:
        if words_after >= 2 or itype == "Programme":
            inst.title = nominative(re.sub(r"\s+", " ", phrase.strip(" «»")))
        else:
            inst.label = nominative(re.sub(r"\s+", " ", phrase.strip(" «»")))
    # life cycle from the words around the mention
    near_before = text[max(cs, s - 60) : s]
    ctx_window = text[max(s0, s - 120) : min(s1, pend + 120)]
    sentence_dates = [d for d in dates_in(ctx, s0, s1)]
    point_dates = [d for d in sentence_dates if not is_period(text, *d)]
    term = list(_TERMINATED.finditer(near_before))
    if term:
        inst.status = "terminated"
        # "в апреле 2022 года японская сторона приостановила действие соглашения": when and by whom
        at = max(cs, s - 60) + term[-1].start()
        before_dates = [d for d in point_dates if cs <= d[0].start and d[0].end <= at]
        inst.terminated = nearest_date(before_dates, at) if before_dates else None
        who = unique_keys(mentions_in(ctx, cs, at, ACTOR_TYPES - {"MediaOutlet"})) or adjective_states(
            ctx, cs, at
        )
        inst.terminated_by = who[-1] if who else None
    elif itype == "Treaty" and known:
        signed_now = re.search(
            r"(?<!не\s)(?:подписа(?:л|ли|н|на|но|ны)|заключ(?:ил|или|ен|ён|ена|ено|ены))\b", ctx_window, re.I
        )
        inst.status = "concluded" if signed_now else "not_concluded"
    elif _PLANNED.search(near_before) or _PLANNED.search(text[max(s0, s - 25) : s]):
        inst.status = "planned"
    elif _IN_FORCE.search(text[max(cs, s - 40) : s]) or re.match(
        r"[^.;]{0,40}?\s(?:успешно\s+)?(?:реализуется|реализуются|выполняется|выполняются|действует|действуют)\b",
        text[pend:ce],
    ):
        inst.status = "in_force"
    after_term = _TERMINATED_AFTER.match(text, pend, s1)
    if after_term and inst.status != "terminated":
        # "Договор о …, который прекратил действие в 2019 году": the relative clause ends it
        inst.status = "terminated"
        later = [d for d in point_dates if after_term.start() <= d[0].start < after_term.end() + 40]
        inst.terminated = later[0][1] if later else None
    m_order = re.match(r"[^.]{0,80}?о\s+прекращении\s+(?:действия|применения)\s+(\w+)", text[e:s1], re.I)
    if itype == "GovernmentOrder" and m_order:
        inst.terminates_type = next((t for t, rx in _TRIGGER_RX if rx.match(m_order[1])), None)
    if itype not in ("Treaty",) or not known:
        sig = _SIGNED.search(text, max(cs, s - 120), min(ce, pend + 120))
        nested_ok = (
            not nested or adopted
        )  # "указ об утверждении Программы": approved when the order was signed
        if sig and point_dates and not inst.status == "not_concluded" and nested_ok:
            clause_dates = [d for d in point_dates if max(s0, cs - 1) <= d[0].start < ce + 40]
            d = nearest_date(clause_dates or point_dates, s, pend)
            if d is not None:
                inst.signed = d
                inst.signed_place = _place_after(ctx, max(cs, s - 120), min(ce, pend + 120))
        lead = si < 3 or bool(
            re.match(
                r"\s*[А-ЯЁ-]{3,}[^.]{0,40},\s*\d{1,2}\s+\w+\.",
                text[sentence_ranges(ctx)[max(0, si - 1)][0] :],
            )
        )
        if sig and inst.signed is None and not nested and not inst.status == "not_concluded" and lead:
            a = ctx.anchor
            if (
                a
                and a.day
                and re.match(r"подписа|заключ|приня|утверд|согласова|одобр", sig[0], re.I)
                and sig.start() < s
            ):
                inst.signed = DateValue(a, resolved_from="", relative=True)  # signed "today": the lead's news
        if sig and re.match(r"подписа", sig[0], re.I) and sig.start() < s:
            # "Губернатор X и губернатор Y подписали … план": the persons before the verb signed it
            inst.signatories = [k for k, _ in person_keys_in(ctx, cs, sig.start())]
    prop = _PROPOSED.search(text, e, min(s1, pend + 60))
    if prop:
        pdates = [d for d in point_dates if d[0].start >= prop.start()]
        inst.proposed = nearest_date(pdates, prop.end()) if pdates else None
        if inst.signed is inst.proposed:
            inst.signed = None
        by = _parties(ctx, prop.end(), min(s1, prop.end() + 40))
        inst.proposed_by = by[0] if by else None
    if itype == "Programme":
        periods = [d for d in sentence_dates if d[1].end and d[1].start.precision == "year"]
        if periods and inst.signed is None and sentence_dates:
            others = [d for d in point_dates if d[0].end <= s]
            if others and _SIGNED.search(text, s0, s):
                inst.signed = nearest_date(others, s)
    if not inst.parties:
        inst.parties = _parties(ctx, s, pend) or _parties(ctx, cs, ce)
    inst.item_count = _item_count(text, e, pend)
    return inst


def _communique(ctx: Context, sents: list[tuple[int, int]]) -> _Inst | None:
    """A document that is a communiqué yields the communiqué itself (title, signing date, signature block)."""
    text = ctx.text
    meta = ctx.doc.meta
    head = next(((a, b) for a, b in sents[:3] if re.match(r"\s*КОММЮНИКЕ", text[a:b], re.I)), None)
    if meta.genre != "Communique" and head is None:
        return None
    a, b = head or (sents[0] if sents else (0, 0))
    title = meta.title or text[a:b]
    if head and b - a < 15 and len(sents) > 1:
        title = f"{text[a:b].strip()} {text[sents[1][0] : sents[1][1]].strip()}"
    title = re.sub(r"\s+", " ", title).strip().rstrip(".")
    title = re.sub(r"^КОММЮНИКЕ", "Коммюнике", title)
    inst = _Inst(type="Communique", start=a, end=b, sent_index=0, title=title, evidence=[Span(a, b)])
    # the signature block: everything after the last sentence saying the communiqué is signed
    sign_idx = max(
        (i for i, (x, y) in enumerate(sents) if re.search(r"подписан", text[x:y], re.I)), default=None
    )
    if sign_idx is not None:
        block_start = sents[sign_idx][1]
        inst.signatories = [k for k, _ in person_keys_in(ctx, block_start, len(text))]
        inst.signatories = list(dict.fromkeys(inst.signatories))
        tail_dates = [d for d in dates_in(ctx, block_start, len(text)) if d[1].start.day]
        inst.signed = tail_dates[-1][1] if tail_dates else None
    if inst.signed is None and ctx.anchor and ctx.anchor.day:
        inst.signed = DateValue(ctx.anchor, resolved_from="", relative=True)
    return inst


def _antecedent(insts: list[_Inst], itype: str, si: int, plural: bool = False) -> int | None:
    """The instrument an anaphoric mention points to: the latest one of its type, else the latest one
    (a plural anaphor, "Данные соглашения", prefers a plural antecedent)."""
    recent = [i for i, x in enumerate(insts) if si - x.last_sent <= 3]
    if plural and any(insts[i].plural for i in recent):
        recent = [i for i in recent if insts[i].plural]
    same = [i for i in recent if insts[i].type == itype]
    pick = same or ([i for i in recent] if itype in ("Document", "Agreement") else [])
    return pick[-1] if pick else None


def extract_instruments(ctx: Context) -> list[Instrument]:
    """Context → instruments with their life cycle, each real instrument once."""
    text = ctx.text
    sents = sentence_ranges(ctx)
    insts: list[_Inst] = []
    comm = _communique(ctx, sents)
    if comm:
        insts.append(comm)
    for si, (s0, s1) in enumerate(sents):
        found: list[tuple[int, int, str]] = []
        for itype, rx in _TRIGGER_RX:
            for m in rx.finditer(text, s0, s1):
                s, e = m.start(), m.end()
                if not any(s < te and ts < e for ts, te, _ in found):
                    found.append((s, e, itype))
        taken: list[tuple[int, int, str]] = []
        for s, e, itype in sorted(found):
            known = any(k.pattern.match(text, s) for k in known_instruments())
            if not known and any(ts <= s < te and tt == itype for ts, te, tt in taken):
                continue  # the same kind of word inside another mention's title ("программы … «перекрёстных» годов")
            if comm and s < comm.end + 200 and itype == "Communique":
                continue
            anaphoric = bool(_ANAPHORIC.search(text[max(s0, s - 25) : s])) or itype == "Document"
            if anaphoric and not known:
                plural = bool(
                    re.search(
                        r"(?:данные|эти|этих|оба|обоих|указанные|упомянутые)\s+$",
                        text[max(s0, s - 25) : s],
                        re.I,
                    )
                )
                j = _antecedent(insts, itype, si, plural)
                if j is None and itype != "Document":
                    j = _antecedent(insts, "Document", si)
                if j is not None:
                    _attach(ctx, insts, j, s, e, (s0, s1))
                continue
            nested = any(ts <= s < te for ts, te, _ in taken)
            if not known and itype not in ("Communique", "Programme") and _bare(text, e, s1):
                # "Соглашение было подписано …": a definite reference to the instrument just named
                j = _antecedent(insts, itype, si)
                if j is not None and insts[j].type == itype:
                    _attach(ctx, insts, j, s, e, (s0, s1))
                    continue
            inst = _mention(ctx, itype, s, e, (s0, s1), si, nested)
            if inst is None or inst.type == "Document":
                continue
            if not inst.key:
                taken.append((s, inst.phrase_end, inst.type))
            _add(insts, inst)
    insts = _merge_weak(insts)
    _signed_during_event(ctx, insts)
    _link_terminations(insts)
    governed = _governed(ctx)
    out = []
    for x in insts:
        if governed and x.governs is None:
            x.governs = _governs_for(ctx, x, governed)
        out.append(
            Instrument(
                type=x.type, status=x.status, evidence=tuple(x.evidence), title=x.title, label=x.label, key=x.key,
                signed=x.signed, signed_place=x.signed_place, proposed=x.proposed, proposed_by=x.proposed_by,
                parties=tuple(x.parties), signatories=tuple(x.signatories), terminated=x.terminated,
                terminated_by=x.terminated_by, terminated_by_instrument=x.terminated_by_instrument,
                governs=x.governs, item_count=x.item_count,
            )
        )  # fmt: skip
    return out


_GENERIC_TITLE = re.compile(
    r"соглаш|меморан|договор|план|програм|сотруд|област|сфер|вопрос|росси|япони|российс|японс|межд|двух|сторо"
)


def _title_stems(title: str, n: int = 5) -> set[str]:
    return {
        w[:n]
        for w in re.findall(r"\w{3,}", title.casefold().replace("ё", "е"))
        if not _GENERIC_TITLE.match(w)
    }


def _headline_match(x: _Inst, inst: _Inst) -> bool:
    """A headline names the body's instrument in other words ("о научном обмене" ~ "о научно-техническом …")."""
    if 0 not in (x.sent_index, inst.sent_index) or x.type != inst.type or x.key or inst.key:
        return False
    if not (x.title and inst.title):
        return True  # the headline's bare "подписали план сотрудничества" is the body's plan
    a, b = _title_stems(x.title, 3), _title_stems(inst.title, 3)  # loose: headlines paraphrase
    return bool(a and b) and len(a & b) / min(len(a), len(b)) >= 0.5


def _bare(text: str, e: int, s1: int) -> bool:
    """Whether a trigger stands alone ("Соглашение было подписано …", "меморандум, который …")."""
    return bool(
        re.match(
            r"\s*(?:[,.;:]|(?:был|была|было|были|будет|стал\w*|вступил\w*|действ\w*|утратил\w*)\b)",
            text[e:s1],
        )
    )


def _add(insts: list[_Inst], inst: _Inst) -> None:
    for i, x in enumerate(insts):
        same_key = inst.key and x.key == inst.key
        same_title = (
            inst.title
            and x.title
            and x.type == inst.type
            and inst.title.casefold()[:25] == x.title.casefold()[:25]
        )
        if same_key or same_title or _headline_match(x, inst):
            insts[i] = _combine(x, inst)
            return
    insts.append(inst)


def _combine(a: _Inst, b: _Inst) -> _Inst:
    status = a.status
    if b.status in ("terminated", "in_force") or (status == "concluded" and b.status != "concluded"):
        status = b.status if not (a.key and b.status == "planned") else status
    body_title = a.sent_index == 0 and b.sent_index > 0 and b.title and not a.key
    return replace(
        a,
        status=status,
        title=b.title if body_title else a.title,
        signed=a.signed or b.signed,
        signed_place=a.signed_place or b.signed_place,
        proposed=a.proposed or b.proposed,
        proposed_by=a.proposed_by or b.proposed_by,
        parties=a.parties + [p for p in b.parties if p not in a.parties],
        signatories=a.signatories + [p for p in b.signatories if p not in a.signatories],
        terminated=a.terminated or b.terminated,
        plural=a.plural or b.plural,
        last_sent=max(a.last_sent, b.last_sent),
        terminated_by=a.terminated_by or b.terminated_by,
        item_count=a.item_count or b.item_count,
        evidence=a.evidence + [s for s in b.evidence if s not in a.evidence],
    )


def _attach(ctx: Context, insts: list[_Inst], j: int, s: int, e: int, sent: tuple[int, int]) -> None:
    """An anaphoric mention adds what its sentence says to its antecedent; several signings split it."""
    text = ctx.text
    s0, s1 = sent
    x = insts[j]
    x.last_sent = max(
        x.last_sent, next((i for i, r in enumerate(sentence_ranges(ctx)) if r == sent), x.last_sent)
    )
    span = Span(s0, s1)
    if span not in x.evidence:
        x.evidence.append(span)
    count = _item_count(text, e, s1)
    if count and x.item_count is None:
        x.item_count = count
    if _SIGNED.search(text, e, s1) and re.search(r"подпис|заключ", text[e:s1], re.I):
        signings = _signings(ctx, e, s1)
        if len(signings) >= 2 and x.signed is None:
            clones = []
            for dv, place, where in signings:
                # each signing's own words come first: they tell the two instruments apart (and key their IRIs)
                c = replace(
                    x, signed=dv, signed_place=place, evidence=[where, *x.evidence], parties=list(x.parties)
                )
                clones.append(c)
            insts[j : j + 1] = clones
        elif signings and x.signed is None:
            x.signed, x.signed_place, _where = signings[0]


def _merge_weak(insts: list[_Inst]) -> list[_Inst]:
    """Mentions that add nothing of their own (no title, key or date) fold into an instrument of their type."""
    out: list[_Inst] = []
    weak: list[_Inst] = []
    for x in insts:
        (out if x.strong else weak).append(x)
    for w in weak:
        same = [i for i, x in enumerate(out) if x.type == w.type]
        if same:
            for i in same:
                if w.status == "terminated" and out[i].status != "terminated":
                    out[i].status = "terminated"
                if out[i].terminated is None:
                    out[i].terminated = w.terminated
                out[i].evidence += [s for s in w.evidence if s not in out[i].evidence]
        else:
            out.append(w)
    return out


_DURING = re.compile(
    r"(?:по\s+итогам|в\s+ходе|в\s+рамках|во\s+время|на)\s+(?:[\w-]+\s+){0,1}?"
    r"(?:заседани|встреч|переговор|визит|форум|саммит|консультац|конференц|сесси|бесед)\w*",
    re.I,
)


def _signed_during_event(ctx: Context, insts: list[_Inst]) -> None:
    """ "По итогам заседания был подписан Меморандум …": signed on the date of the event just reported."""
    events = None
    for x in insts:
        inferred = x.signed is not None and x.signed.relative and not x.signed.resolved_from
        if (
            (x.signed is not None and not inferred)
            or x.status in ("not_concluded", "planned")
            or x.type == "Communique"
        ):
            continue
        for sp in x.evidence:
            frag = ctx.text[sp.start : sp.end]
            if not (_DURING.search(frag) and re.search(r"подписа|заключ", frag, re.I)):
                continue
            if events is None:
                from rjkg.extract.events import extract_events

                events = extract_events(ctx)
            before = [
                ev for ev in events
                if ev.date and not ev.planned and ev.date.start.day and min(e.start for e in ev.evidence) <= sp.start
            ]  # fmt: skip
            if before:
                latest = max(before, key=lambda ev: min(e.start for e in ev.evidence))
                x.signed = DateValue(
                    latest.date.start, resolved_from=latest.date.resolved_from, relative=True
                )
                break


def _link_terminations(insts: list[_Inst]) -> None:
    """An order "о прекращении действия меморандумов" terminates the memoranda, at its own date."""
    for oi, order in enumerate(insts):
        if not order.terminates_type:
            continue
        for x in insts:
            if x.type == order.terminates_type and x is not order:
                x.status = "terminated"
                x.terminated = x.terminated or order.signed
                x.terminated_by = x.terminated_by or (order.parties[0] if order.parties else None)
                x.terminated_by_instrument = oi


def _governed(ctx: Context) -> list:
    try:
        from rjkg.extract.institutions import extract_institutions

        return extract_institutions(ctx)
    except ImportError:  # pragma: no cover - institutions module missing
        return []


def _governs_for(ctx: Context, x: _Inst, governed: list) -> str | None:
    """The institution the instrument creates or regulates, named in one of its evidence sentences."""
    for sp in x.evidence:
        frag = ctx.text[sp.start : sp.end]
        m = re.search(
            r"регулирующ\w*|о\s+создании|о\s+функционировании|об\s+учреждении|создани\w+\s+и\s+функц", frag
        )
        if not m:
            continue
        for inst in governed:
            if any(sp.start + m.start() <= ms.start < sp.end for ms in inst.mentions):
                return inst.key
    return None
