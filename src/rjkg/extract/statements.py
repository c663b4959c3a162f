"""Attributed statements: who said what, with the verbatim words, kept apart from facts.

Four shapes, tried per sentence in this order (one statement per sentence, the most specific wins):
1. direct quotes «…» with an attribution after ("— отметил Хаяси", "— подчеркнули в ведомстве") or before ("X:");
2. reported speech: "По его словам, …", "X заявил, что …", "Как отметили в МИД РФ, …", "…, заявил X.",
   "X сообщал о …", "Коно озвучил позицию …";
3. joint positions "Стороны обсудили/подтвердили/выразили …" (speakers: the document's two principal sides);
4. in a transcript, first-person sentences ("мы договорились", "я считаю", "Подтвердили …") by its speaker.
Speakers are entity keys: a named person or body, a pronoun's antecedent ("Он", "Генсек" → the last person),
"в ведомстве" → the last government body, "Российские власти" → Russia.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rjkg.extract.context import Context
from rjkg.extract.grammars_common import (
    ACTOR_TYPES,
    PERSON,
    doc_speaker,
    last_entity_before,
    mentions_in,
    person_keys_in,
    sentence_ranges,
    state_key,
)
from rjkg.records import DateValue, Span, Statement

_SPEECH = (
    r"(?:заяв|отмет|подчеркн|подчеркива|сообщ|уточн|указ|добав|поясн|напомн|призна|завер|констатир|"
    r"рассказ|высказ|сказа|считает|считают|полага|убежд|выраз|настаива|пообеща|предупред|согласил|"
    r"отмеча|акцентир|обрат\w*\s+внимание)\w*"
)
_SPEECH_RX = re.compile(rf"(?<![\w-]){_SPEECH}", re.I)
_ORG_ONLY = ACTOR_TYPES - {PERSON, "MediaOutlet"}
_PRONOUN = re.compile(
    r"(?<![\w-])(?:он|она|его|её|ее|генсек\w*|глава\s+\w+|министр|президент|премьер\w*|мэр)(?![\w])", re.I
)
_JOINT_SUBJ = re.compile(
    r"^(?:[^.]{0,160}?[\s,])??"
    r"(?P<subj>[Сс]тороны|[Уу]частники(?:\s+[Вв]стречи)?|[Оо]бе\s+стороны|[Мм]инистры|[Лл]идеры|[Оо]ни)\s+"
    r"(?:также\s+|вновь\s+|особо\s+|высоко\s+|единодушно\s+)*"
    r"(?P<verb>обсудил|подтвердил|выразил|оценил|констатировал|признал|приветствовал|пришли|согласил|"
    r"договорил|условил|подчеркнул|указал|отметил|заявил|согласовал|высказал|призвал|сошлись|выступил)\w*",
)
_JOINT_ANY = re.compile(r"обмен\w*\s+мнениями|[Сс]\s+обеих\s+сторон\s+был\w*\s+выражен\w*")
_FIRST_PERSON = re.compile(
    r"(?<![\w-])(?:мы|я|наш\w*|мо(?:й|я|е|ё|и|им|ей|его|ему|ими)|нами|нас)(?![\w-])", re.I
)
_PLURAL_VERB_START = re.compile(
    r"^(?:[А-ЯЁ][\w-]*\s+){0,4}?(?:Подчеркнули|Договорились|Дали|Подтвердили|Приветствовали|Обменялись|Уделили|"
    r"Призываем|Выразили|Согласились|Условились|Отметили|Констатировали|Обсудили|Рассмотрели|Выступаем|"
    r"Считаем|Исходим|Настаиваем|Едины)\b|^(?:[^.]{0,60}?\s)?(?:договорились|подтвердили|условились|согласились)\b"
)


@dataclass
class _Stmt:
    speakers: tuple[str, ...]
    start: int
    end: int
    mode: str
    rank: int  # lower = more specific
    sent: int


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",:—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:—–-"):
        e -= 1
    return s, e


def _speaker_in(ctx: Context, a: int, b: int) -> list[str]:
    """Who the attribution [a, b) names: a person, else a body/state, else by reference."""
    text = ctx.text
    frag = text[a:b]
    persons = [k for k, _ in person_keys_in(ctx, a, b)]
    if persons:
        return persons[:1]
    orgs = mentions_in(ctx, a, b, _ORG_ONLY)
    head = re.search(r"(?<![\w-])(?:глав|руководител|министр|директор|председател)\w*\s", frag, re.I)
    if head and orgs:
        org_key = orgs[0][0].key
        holder = next((p.person for p in ctx.posts if p.org == org_key), None)
        if holder:
            return [holder]
    if orgs:
        return [orgs[0][0].key]
    if re.search(r"ведомств\w*", frag, re.I):
        k = last_entity_before(ctx, a, {"GovernmentBody"})
        if k:
            return [k]
    if re.search(r"российск\w+\s+(?:власт|сторон|руководств)", frag, re.I):
        k = state_key(ctx, "russia")
        return [k] if k else []
    if re.search(r"японск\w+\s+(?:власт|сторон|руководств)", frag, re.I):
        k = state_key(ctx, "japan")
        return [k] if k else []
    if _PRONOUN.search(frag):
        k = last_entity_before(ctx, a, {PERSON})
        if k:
            return [k]
    return []


def principal_sides(ctx: Context) -> tuple[str, ...]:
    """The two sides a joint position belongs to: the communiqué's associations, else the two persons of the
    document's main meeting, else Russia and Japan."""
    if ctx.doc.meta.genre == "Communique" or re.match(r"\s*КОММЮНИКЕ", ctx.text):
        assoc = []
        for e in sorted(ctx.entities, key=lambda x: min((m.start for m in x.mentions), default=0)):
            if e.type == "Association" and e.key not in assoc:
                assoc.append(e.key)
        if len(assoc) >= 2:
            return tuple(assoc[:2])
    from rjkg.extract.events import extract_events

    for ev in extract_events(ctx):
        persons = [p.entity for p in ev.participants if _is_person(ctx, p.entity)]
        if (
            ev.type in ("Meeting", "Consultation", "Negotiation", "Summit")
            and len(persons) >= 2
            and not ev.planned
        ):
            return tuple(persons[:2])
    return tuple(k for k in (state_key(ctx, "russia"), state_key(ctx, "japan")) if k)


def _is_person(ctx: Context, key: str) -> bool:
    return any(e.key == key and e.type == PERSON for e in ctx.entities) or any(
        p.person == key for p in ctx.posts
    )


def _direct_quotes(ctx: Context, sents: list[tuple[int, int]]) -> list[_Stmt]:
    text = ctx.text
    out = []
    inside = [(a, b) for a, b in sents]
    for m in re.finditer(r"«([^«»]{25,})»", text):
        qs, qe = m.start(1), m.end(1)
        if not any(a <= m.start() < b for a, b in inside) or len(m[1].split()) < 6:
            continue
        after = re.match(
            rf"\s*,?\s*[-—–]\s*((?:[\w.-]+\s+){{0,3}}?){_SPEECH}([^.\n]{{0,80}})",
            text[m.end() : m.end() + 160],
            re.I,
        )
        speakers: list[str] = []
        if after:
            a = m.end()
            b = m.end() + after.end()
            speakers = _speaker_in(ctx, a, b)
        else:
            line_start = text.rfind("\n", 0, m.start()) + 1
            before = re.search(rf"{_SPEECH}[^.«]{{0,60}}:\s*$", text[line_start : m.start()], re.I)
            if before:
                speakers = _speaker_in(ctx, line_start, m.start())
        if not speakers:
            continue
        qs, qe = _trim(text, qs, qe)
        si = next((i for i, (a, b) in enumerate(sents) if a <= m.start() < b), 0)
        out.append(_Stmt(tuple(speakers), qs, qe, "DirectQuote", 0, si))
    return out


def _reported(ctx: Context, si: int, s0: int, s1: int) -> _Stmt | None:
    text = ctx.text
    sent = text[s0:s1]
    # По его словам, … / По словам X, …
    m = re.match(r"\s*[Пп]о\s+(?:(?P<pron>его|её|ее|их)\s+словам|словам\s+(?P<who>[^,]{2,60}))\s*,\s*", sent)
    if m:
        if m["pron"]:
            k = last_entity_before(ctx, s0, {PERSON}) if m["pron"] != "их" else None
            speakers = [k] if k else []
        else:
            speakers = _speaker_in(ctx, s0 + m.start("who"), s0 + m.end("who"))
        if speakers:
            a, b = _trim(text, s0 + m.end(), s1)
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 1, si)
    # Как отметили в МИД РФ, …
    m = re.match(
        rf"\s*(?:[А-ЯЁ]\w*\s*,\s*)?[Кк]ак\s+(?:\w+\s+){{0,2}}?{_SPEECH}\s+(?P<who>[^,]{{2,80}}),\s*", sent
    )
    if m:
        speakers = _speaker_in(ctx, s0 + m.start("who"), s0 + m.end("who"))
        if speakers:
            a, b = _trim(text, s0 + m.end(), s1)
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 1, si)
    # Особого внимания, по мнению главы X, заслуживает … / …, по словам X, …
    m = re.search(r"(?:^|,\s*)[Пп]о\s+(?:мнению|словам|оценке|данным)\s+(?P<who>[^,]{2,60}),", sent)
    if m:
        speakers = _speaker_in(ctx, s0 + m.start("who"), s0 + m.end("who"))
        if speakers:
            a, b = _trim(text, s0, s1)
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 1, si)
    # X заявил, что … / В Кремле отмечали, что …
    for v in _SPEECH_RX.finditer(text, s0, s1):
        that = re.match(r"[^,.]{0,40}?,\s*что\s+", text[v.end() : s1])
        if not that:
            continue
        subj_start = s0
        brk = list(re.finditer(r"[,;:]\s", text[s0 : v.start()]))
        if brk:
            subj_start = s0 + brk[-1].end()
        speakers = _speaker_in(ctx, subj_start, v.start())
        if not speakers and re.search(r"(?:ем|им|ём)$", v[0]) and doc_speaker(ctx):
            speakers = [doc_speaker(ctx)]  # "сообщаем, что …" in a body's statement
        if not speakers:
            continue
        a = v.end() + that.end()
        a, b = _trim(text, a, s1)
        return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 1, si)
    # …, заявил X.
    m = re.search(rf",\s*[-—–]?\s*{_SPEECH}\s+(?P<who>[^,.]{{2,60}})\.?\s*$", sent, re.I)
    if m and m.start() > 20:
        speakers = _speaker_in(ctx, s0 + m.start("who"), s0 + m.end("who"))
        if speakers:
            a, b = _trim(text, s0, s0 + m.start())
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 2, si)
    # X сообщал о … / X озвучил позицию … / X высказался в поддержку … / X призвал …
    m = re.search(
        r"(?<![\w-])(?:сообщал\w*\s+о|сообщил\w*\s+о\s+(?!том)|озвучил\w*\s+позици|изложил\w*\s+позици|"
        r"высказал\w*\s+(?:в\s+поддержку|за|против|мнение)|призвал\w*|призыва\w*|расценива\w*|осудил\w*|"
        r"осужда\w*|выразил\w*\s+(?:протест|сожаление|обеспокоенность|озабоченность|надежду|уверенность)|"
        r"назвал\w*|назыв\w*|охарактеризовал\w*)",
        sent,
        re.I,
    )
    if m:
        speakers = _speaker_in(ctx, s0, s0 + m.start())
        if speakers:
            subj = person_keys_in(ctx, s0, s0 + m.start())
            a = subj[0][1] if subj and "озвучил" in m[0] else s0 + m.start()
            if re.match(r"озвучил|изложил|расценива|осуд|выразил|назв|назыв|охарактериз", m[0], re.I):
                a = s0
            a, b = _trim(text, a, s1)
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 2, si)
    return None


def _joint(
    ctx: Context, si: int, s0: int, s1: int, sides: tuple[str, ...], prev_joint: bool = False
) -> _Stmt | None:
    text = ctx.text
    sent = text[s0:s1]
    m = _JOINT_SUBJ.match(sent)
    if m and m.start("subj") > 0 and m["subj"][0].isupper():
        m = None  # a capitalised "Стороны" mid-sentence is not a subject
    if m:
        a, b = _trim(text, s0 + m.start("subj"), s1)
        if m["subj"].casefold() == "они":
            a, b = _trim(text, s0, s1)
        return _Stmt(sides, a, b, "ReportedSpeech", 3, si) if sides else None
    if prev_joint and re.match(
        r"(?:[^.]{0,60}?,\s*)?(?:также\s+|и\s+)?(?:пришли|договорились|согласились|подтвердили|выразили|условились"
        r"|обсудили|отметили|подчеркнули|признали|приветствовали)\b",
        sent.strip(),
    ):
        a, b = _trim(text, s0, s1)
        return _Stmt(sides, a, b, "ReportedSpeech", 3, si) if sides else None
    m = _JOINT_ANY.search(sent)
    if m:
        a, b = _trim(text, s0, s1)
        return _Stmt(sides, a, b, "ReportedSpeech", 3, si) if sides else None
    return None


def _first_person(ctx: Context, si: int, s0: int, s1: int, speaker: str) -> _Stmt | None:
    text = ctx.text
    sent = text[s0:s1]
    if len(sent.split()) < 4:
        return None
    if _FIRST_PERSON.search(sent) or _PLURAL_VERB_START.search(sent) or _JOINT_ANY.search(sent):
        a, b = _trim(text, s0, s1)
        return _Stmt((speaker,), a, b, "ReportedSpeech", 4, si)
    return None


def _is_heading(ctx: Context, sents: list[tuple[int, int]], si: int) -> bool:
    """The headline, or a short subhead alone on its line: they restate the body."""
    text = ctx.text
    a, b = sents[si]
    title = (ctx.doc.meta.title or "").strip()
    if si == 0 and title and text[a:b].strip().rstrip(".")[:40] == title.rstrip(".")[:40]:
        return True
    own_line = text[max(0, a - 1) : a] in ("\n", "") and text[b : b + 1] in ("\n", "")
    if not own_line or len(text[a:b].split()) > 12 or re.search(r",\s*что\s|«", text[a:b]):
        return False
    # a subhead introduces a longer paragraph
    return si + 1 < len(sents) and sents[si + 1][1] - sents[si + 1][0] > (b - a)


def _by_paragraph(
    ctx: Context, sents: list[tuple[int, int]], found: dict[int, _Stmt], speaker: str
) -> dict[int, _Stmt]:
    """In a transcript the speaker's remarks are quoted a paragraph at a time: sentences of one paragraph
    attributed to the speaker become one statement."""
    text = ctx.text
    out: dict[int, _Stmt] = {}
    group: list[int] = []

    def para_bounds(si: int) -> tuple[int, int]:
        lo = si
        while lo > 0 and "\n" not in text[sents[lo - 1][1] : sents[lo][0]]:
            lo -= 1
        hi = si
        while hi + 1 < len(sents) and "\n" not in text[sents[hi][1] : sents[hi + 1][0]]:
            hi += 1
        return lo, hi

    def flush() -> None:
        if not group:
            return
        first, last = found[group[0]], found[group[-1]]
        lo, hi = para_bounds(group[0])
        if any(i in found and found[i].speakers != (speaker,) for i in range(lo, hi + 1)):
            lo, hi = group[0], group[-1]
        a, _ = _trim(text, sents[lo][0], sents[lo][1])
        _, b = _trim(text, sents[hi][0], sents[hi][1])
        out[group[0]] = _Stmt(
            first.speakers, min(a, first.start), max(b, last.end), "ReportedSpeech", 4, group[0]
        )
        group.clear()

    for si in sorted(found):
        st = found[si]
        if st.speakers != (speaker,) or st.mode != "ReportedSpeech":
            flush()
            out[si] = st
            continue
        if group and "\n" in text[sents[group[-1]][1] : sents[si][0]]:
            flush()
        if group and any(i not in found for i in range(group[-1] + 1, si)):
            # a sentence of the same paragraph without a first-person marker stays inside the passage
            pass
        group.append(si)
    flush()
    return out


def _extend(ctx: Context, st: _Stmt, sents: list[tuple[int, int]]) -> _Stmt:
    """Reported speech often runs on into the next sentence of the paragraph ("X сообщил, что …. Токио
    настоятельно требует …"): take it when it has no attribution of its own."""
    if st.mode != "ReportedSpeech" or st.rank != 1 or st.sent + 1 >= len(sents):
        return st
    text = ctx.text
    a, b = sents[st.sent + 1]
    if "\n" in text[st.end : a] or "«" in text[a:b] or _SPEECH_RX.search(text, a, b):
        return st
    if re.match(r"\s*(?:[Пп]о\s+(?:его|её|словам)|[Оо]н\b|[Оо]на\b|[Кк]ак\b)", text[a:b]):
        return st
    _, e = _trim(text, a, b)
    return _Stmt(st.speakers, st.start, e, st.mode, st.rank, st.sent)


def extract_statements(ctx: Context) -> list[Statement]:
    """Context → attributed statements, each quote a verbatim substring of the document."""
    text = ctx.text
    sents = sentence_ranges(ctx)
    found: dict[int, _Stmt] = {}
    covered: set[int] = set()
    for st in _direct_quotes(ctx, sents):
        if st.sent not in found:
            found[st.sent] = st
            covered |= {i for i, (a, b) in enumerate(sents) if a < st.end and st.start < b}
    speaker = doc_speaker(ctx)
    sides: tuple[str, ...] | None = None
    for si, (s0, s1) in enumerate(sents):
        if si in covered or _is_heading(ctx, sents, si):
            continue
        st = _reported(ctx, si, s0, s1)
        if st is None:
            if sides is None:
                sides = principal_sides(ctx)
            prev = found.get(si - 1)
            st = _joint(ctx, si, s0, s1, sides if not speaker else (speaker,), bool(prev and prev.rank == 3))
        if st is None and speaker and si > 0:
            st = _first_person(ctx, si, s0, s1, speaker)
        if st is not None and st.end - st.start >= 15:
            found[si] = _extend(ctx, st, sents)
    if speaker:
        found = _by_paragraph(ctx, sents, found, speaker)
    anchor = ctx.anchor
    date = DateValue(anchor, resolved_from="", relative=True) if anchor else None
    out = []
    for si in sorted(found):
        st = found[si]
        speakers = tuple(dict.fromkeys(st.speakers))
        out.append(
            Statement(
                speakers=speakers, quote=text[st.start : st.end], evidence=(Span(st.start, st.end),),
                mode=st.mode, date=date,
            )
        )  # fmt: skip
    return out
