"""Institutions: technical-assistance centres, centres/funds/platforms/clusters, special economic zones.

Kinds with a fixed identity across documents (KNOWN: the Japanese technical-assistance centres, ТОР, the free
port) get stable keys; other centres and funds are keyed by their normalised nominative name. Around each
mention the sentence gives a count ("всех шести центров"), a founding year ("начали работу в 1994 году"),
locations ("во Владивостоке"), who set it up, and a status: planned ("о создании", "создать"), closed ("решение
о прекращении деятельности", "закрытии") or operating.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rjkg.extract.context import Context
from rjkg.extract.grammars_common import (
    ACTOR_TYPES,
    CARDINAL_WORDS,
    PERSON,
    PLACE_TYPES,
    _morph,
    clause_bounds,
    dates_in,
    mentions_in,
    nominative,
    sentence_ranges,
    state_key,
    unique_keys,
)
from rjkg.records import DateValue, Institution, PartialDate, Span

# kinds with a stable identity: (key, type, canonical name, regex); the regex is matched case-sensitively
# where an abbreviation is involved
KNOWN: list[tuple[str, str, str, re.Pattern]] = [
    (
        "technical-assistance-centers",
        "TechnicalAssistanceCenter",
        "Центры технического содействия реформам в России",
        re.compile(
            r"(?<![\w-])(?:(?:[Яя]понск\w+)\s+)?[Цц]ентр\w*\s+техническ\w+\s+(?:содействия|поддержки|помощи)"
            r"(?:\s+реформ\w*)?(?:\s+в\s+(?:России|РФ|Российской\s+Федерации))?"
            # "Японский центр в Хабаровске": the centres' own name, capitalised
            r"|(?<![\w-])Японск(?:ий|ого|ому|им|ом|ие|их|ими)\s+центр(?:а|у|ом|е|ы|ов|ам|ами|ах)?(?![\w-])",
        ),
    ),
    (
        "tor",
        "SpecialEconomicZone",
        "ТОР",
        re.compile(
            r"(?<![\w-])(?:ТОР(?:ы|ов|ам|ами|ах|е|а)?(?![\w-])|[Тт]ерритори\w+\s+опережающего\s+"
            r"(?:социально-экономического\s+)?развития)"
        ),
    ),
    (
        "special-economic-zone",
        "SpecialEconomicZone",
        "Особая экономическая зона",
        re.compile(r"(?<![\w-])(?:[Оо]соб\w+\s+экономическ\w+\s+зон\w*|ОЭЗ(?![\w-]))"),
    ),
    (
        "free-port",
        "SpecialEconomicZone",
        "Свободный порт",
        re.compile(r"(?<![\w-])(?:режим\w*\s+)?[Сс]вободн\w+\s+порт\w*(?:\s+Владивосток\b)?"),
    ),
]
_TAC_BACKREF = re.compile(r"(?<![\w-])японск\w+\s+центр(?:а|у|ом|е|ы|ов|ам|ами|ах)?(?![\w-])", re.I)
_GENERIC = re.compile(
    r"(?<![\w-])(?P<head>центр(?:а|у|ом|е|ы|ов|ам|ами|ах)?|фонд(?:а|у|ом|е|ы|ов)?|платформ(?:а|ы|у|е|ой)|"
    r"кластер(?:а|у|ом|е|ы|ов)?|технопарк(?:а|у|ом|е|и|ов)?|бизнес-инкубатор(?:а|у|ом|е|ы|ов)?)(?![\w-])",
    re.I,
)
_CREATE = re.compile(
    r"(?:создани\w*|создат\w*|созда(?:ть|дут|дим|ст)|учрежд\w*|открыти\w*|формировани\w*|запуск\w*)", re.I
)
_CREATED = re.compile(
    r"создан(?:а|о|ы)?\b|созданн\w*|сформирова\w*|учрежд[её]н\w*|открыт\w*|основан\w*|начал\w*\s+работу", re.I
)
_CLOSED = re.compile(r"прекращени\w*\s+деятельности|закрыти\w*|закрыт\w*|закро\w+|ликвидаци\w*", re.I)
_WORD_NUM = CARDINAL_WORDS
_COUNT = re.compile(r"(?:всех\s+|все\s+|из\s+)?(\d+|" + "|".join(_WORD_NUM) + r")\s+(?:\w+\s+)?$", re.I)


@dataclass
class _Inst:
    key: str
    type: str
    name: str
    mentions: list[Span] = field(default_factory=list)
    count: int | None = None
    country: str | None = None
    locations: list[str] = field(default_factory=list)
    founded: DateValue | None = None
    status: str | None = None
    established_by: list[str] = field(default_factory=list)


def _is_genitive_start(text: str, e: int) -> bool:
    m = re.match(r"\s+([А-Яа-яЁё]+)", text[e : e + 40])
    if not m:
        return False
    return any(
        p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in _morph().parse(m[1])[:3]
    )


def _name_end(text: str, e: int, s1: int) -> int:
    """End of a centre's/fund's name: its complement up to a comma, "и"+verb, "а также" or 12 words."""
    pos, words = e, 0
    for m in re.finditer(r"«[^»]*»|[,.;:()]|\s[—–-]\s|[\w-]+", text[e:s1]):
        tok = m[0]
        if tok in ",.;:()" or tok.strip() in "—–-":
            break
        low = tok.casefold()
        if low in ("который", "которые", "которая", "которого", "что", "а", "также"):
            break
        if low == "и":
            nxt = re.match(r"\s+([\w-]+)", text[e + m.end() : s1])
            if nxt and re.match(r"(?:российско|японо|созда|запуск)", nxt[1], re.I):
                break
        words += 1
        if words > 12:
            break
        pos = e + m.end()
    return pos


def _adjectives_before(text: str, s: int, s0: int) -> int:
    """Start of the adjectives right before a head noun ("совместной российско-японской платформы")."""
    start = s
    for m in reversed(list(re.finditer(r"[\w-]+", text[max(s0, s - 80) : s]))):
        w = m[0]
        parses = _morph().parse(w.split("-")[-1])
        if (
            parses
            and parses[0].tag.POS in ("ADJF", "PRTF")
            and not re.fullmatch(r"(?:котор|эт|так|все|данн)\w*", w, re.I)
        ):
            start = max(s0, s - 80) + m.start()
        else:
            break
    return start


def _places(ctx: Context, s: int, e: int) -> list[str]:
    out = []
    for ent, _ms, _ in ctx.entities_in(s, e):
        if ent.type in PLACE_TYPES and ent.key not in out:
            out.append(ent.key)
    return out


def _status(text: str, cs: int, s: int, e: int, ce: int) -> str:
    before = text[max(cs, s - 70) : s]
    after = text[e:ce]
    if _CLOSED.search(text[cs:ce]):
        return "closed"
    if _CREATE.search(before) and not _CREATED.search(before):
        return "planned"
    if _CREATED.search(after) or _CREATED.search(before):
        return "operating"
    return "operating"


def extract_institutions(ctx: Context) -> list[Institution]:
    """Context → institutions, one per real institution in the document."""
    text = ctx.text
    found: dict[str, _Inst] = {}
    for s0, s1 in sentence_ranges(ctx):
        taken: list[tuple[int, int]] = []
        for key, itype, name, rx in KNOWN:
            for m in rx.finditer(text, s0, s1):
                s, e = m.start(), m.end()
                taken.append((s, e))
                inst = found.setdefault(key, _Inst(key=key, type=itype, name=name))
                _update_known(ctx, inst, s, e, (s0, s1))
        if "technical-assistance-centers" in found:
            for m in _TAC_BACKREF.finditer(text, s0, s1):
                if any(ts <= m.start() < te for ts, te in taken):
                    continue
                taken.append((m.start(), m.end()))
                inst = found["technical-assistance-centers"]
                inst.mentions.append(Span(m.start(), m.end()))
                cs, ce = clause_bounds(text, s0, s1, m.start())
                for p in _places(ctx, m.end(), min(ce, m.end() + 40)):
                    if p not in inst.locations:
                        inst.locations.append(p)
        for m in _GENERIC.finditer(text, s0, s1):
            s, e = m.start(), m.end()
            if any(ts <= s < te for ts, te in taken):
                continue
            head = m["head"].casefold()
            capital = m["head"][0].isupper() and s > s0 and not re.search(r"[.!?]\s*$", text[s0:s])
            cs, ce = clause_bounds(text, s0, s1, s)
            creating = _CREATE.search(text[cs:s]) or re.search(
                r"сформирова|созда", text[e : min(s1, e + 120)], re.I
            )
            if head.startswith("платформ") and not re.match(r"\s+(?:для|по)\s", text[e : e + 6]):
                continue
            has_compl = _is_genitive_start(text, e) or bool(
                re.match(r"\s+(?:по|в\s+области|для|на\s+базе)\s", text[e : e + 14])
            )
            a = _adjectives_before(text, s, s0)
            has_adj = a < s
            # a capitalised name mid-sentence ("Российско-японский инвестиционный фонд") or an abbreviation after it
            named = (has_adj and text[a].isupper() and a > s0) or bool(
                re.match(r"\s*\([А-ЯЁA-Z]{2,}\)", text[e : e + 12])
            )
            working = re.match(
                r"\s*,?\s*(?:открыт|основан|созданн|учрежд|работа|действ|функционир)\w*", text[e:s1], re.I
            )
            working = working or re.search(
                r"(?:работа|действ|функционир|открыл|открыт)\w*\s+(?:[\w-]+\s+){0,3}$", text[cs:s], re.I
            )
            if not (capital or creating or named or (working and has_adj)) or not (
                has_compl or (has_adj and (working or named))
            ):
                continue
            if head.startswith("фонд") and not creating and not capital and not named:
                continue
            b = _name_end(text, e, s1)
            surface = text[a:b]
            name = nominative(re.sub(r"\s+", " ", surface))
            key = re.sub(r"[^\w]+", " ", name.casefold().replace("ё", "е")).strip()
            inst = found.setdefault(key, _Inst(key=key, type="CenterOrFund", name=name))
            inst.mentions.append(Span(a, b))
            taken.append((a, b))
            inst.status = inst.status or _status(text, cs, s, e, ce)
            opened = re.match(
                r"\s*,?\s*(?:открыт|основан|созданн|учрежд[её]н)\w*\s+(?:в\s+)?", text[b:s1], re.I
            )
            if opened and inst.founded is None:
                years = [d for _, d in dates_in(ctx, b, min(s1, b + opened.end() + 20)) if d.start.year]
                if years:
                    inst.founded = DateValue(
                        PartialDate(years[0].start.year), resolved_from=years[0].resolved_from
                    )
            for ent, ms, _me in ctx.entities_in(cs, ce):
                if ent.type in PLACE_TYPES and ent.key not in inst.locations and (ms < a or ms >= b):
                    if (
                        re.search(r"(?:^|\s)(?:в|во)\s+$", text[max(0, ms - 4) : ms], re.I)
                        and abs(ms - a) < 80
                    ):
                        inst.locations.append(ent.key)
            locs = _places(ctx, max(s0, a - 60), a) if _CREATE.search(text[max(s0, a - 60) : a]) else []
            locs += (
                _places(ctx, b, min(s1, b + 60))
                if re.search(r"сформирова|созда|располож|откры|учреди", text[b:s1], re.I)
                else []
            )
            for p in locs:
                if p not in inst.locations:
                    inst.locations.append(p)
            between = re.search(r"между\s+(.+?)\s+о\s+создании", text[s0:a], re.I)
            if between:
                bs = s0 + between.start(1)
                inst.established_by = unique_keys(
                    mentions_in(ctx, bs, s0 + between.end(1), ACTOR_TYPES - {PERSON, "State", "MediaOutlet"})
                )
            rel = re.match(
                r"\s*,\s*котор\w+\s+(.+?)\s+(?:сформирова|созда|учреди|откры|основа)\w*", text[b:s1], re.I
            )
            if rel:
                inst.established_by = unique_keys(
                    mentions_in(ctx, b + rel.start(1), b + rel.end(1), ACTOR_TYPES - {PERSON, "MediaOutlet"})
                )
            states = [e2.key for e2, _, _ in mentions_in(ctx, b, min(s1, b + 80), {"State"})]
            if states and inst.country is None and re.search(r"\sв\s", text[b : b + 80]):
                inst.country = states[0]
    out = []
    for inst in found.values():
        out.append(
            Institution(
                key=inst.key, type=inst.type, name_ru=inst.name, mentions=tuple(sorted(set(inst.mentions), key=lambda x: x.start)),
                count=inst.count, country=inst.country, locations=tuple(inst.locations), founded=inst.founded,
                status=inst.status, established_by=tuple(inst.established_by),
            )
        )  # fmt: skip
    return out


def _update_known(ctx: Context, inst: _Inst, s: int, e: int, sent: tuple[int, int]) -> None:
    text = ctx.text
    s0, s1 = sent
    inst.mentions.append(Span(s, e))
    surface = text[s:e]
    if inst.type == "TechnicalAssistanceCenter":
        longest = max((text[m.start : m.end] for m in inst.mentions), key=len)
        name = nominative(re.sub(r"\s+", " ", longest))
        if not re.match(r"японск", name, re.I) and any(
            re.match(r"японск", text[m.start : m.end], re.I) for m in inst.mentions
        ):
            name = "Японские " + name[:1].lower() + name[1:]
        inst.name = name
        m = _COUNT.search(text[max(s0, s - 25) : s])
        if m:
            inst.count = int(m[1]) if m[1].isdigit() else _WORD_NUM.get(m[1].casefold())
        if inst.country is None and re.search(r"в\s+(?:России|РФ|Российской)", surface):
            inst.country = state_key(ctx, "russia")
        cs, ce = clause_bounds(text, s0, s1, s)
        if re.search(r"начал\w*\s+работу|основан\w*|созда\w*|открыт\w*|учрежд\w*", text[e:ce], re.I):
            years = [d for _, d in dates_in(ctx, e, ce) if d.start.year and not d.start.month]
            if years and inst.founded is None:
                inst.founded = DateValue(
                    PartialDate(years[0].start.year), resolved_from=years[0].resolved_from
                )
        if _CLOSED.search(text[s0:s1]):
            inst.status = "closed"
        inst.status = inst.status or "operating"
        for p in _places(ctx, e, min(ce, e + 30)):
            if p not in inst.locations and re.search(r"(?:^|\s)(?:в|во)\s", text[e : e + 4]):
                inst.locations.append(p)
        # "В Хабаровске работает Японский центр": a place just before, with a verb of being there
        for ent, ms, me in ctx.entities_in(max(cs, s - 50), s):
            if (
                ent.type in PLACE_TYPES
                and ent.key not in inst.locations
                and re.search(r"(?:^|\s)(?:в|во)\s+$", text[max(0, ms - 4) : ms], re.I)
                and re.fullmatch(
                    r"\s+(?:работа\w*|действ\w*|расположен\w*|открыт\w*|находит\w*)\s+", text[me:s]
                )
            ):
                inst.locations.append(ent.key)
    else:
        if re.search(r"порт\w*\s+Владивосток", surface):
            inst.name = "Свободный порт Владивосток"
        inst.country = inst.country or state_key(ctx, "russia")
        inst.status = inst.status or "operating"
