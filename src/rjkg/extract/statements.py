"""Attributed statements: who said what, with the verbatim words, kept apart from facts.

Four shapes, tried per sentence in this order (one statement per sentence, the most specific wins):
1. direct quotes «…» with an attribution after ("— отметил Хаяси", "— подчеркнули в ведомстве") or before ("X:");
2. reported speech: "По его словам, …", "X заявил, что …", "Как отметили в МИД РФ, …", "…, заявил X.",
   "…, по мнению X, …", "…, говорится в заявлении X", "X сообщал о …", stances ("озвучил позицию",
   "подчеркнул важность", "назвал …"); it runs on into the next sentence of the paragraph when that one has no
   attribution of its own;
3. joint positions "Стороны обсудили/подтвердили/выразили …" (speakers: the communiqué's two associations, else
   the two persons of the talks reported last, else Russia and Japan);
4. in a transcript or a body's statement (title "Выступление/Комментарий …"), first-person passages ("мы
   договорились", "я считаю", "Расцениваем …") by its speaker, a paragraph at a time; "Вопрос: …" is skipped and
   "С.В.Лавров: …" switches the speaker.
"Японская/Китайская сторона подтвердила/изложила/выразила …" is the State's position (the adjective mapped to the
document's State entity). Non-claims are dropped: joint or first-person sentences without a predicate (list
items) or procedural ones ("Во Встрече принимали участие:"); one span is one statement; in a transcript each claim
is quoted from its own sentence, with the claim-less sentences after it, not the whole paragraph.
Speakers are entity keys: a named person or body, a pronoun's antecedent ("Он" → the last person), a post
("Генсек", "Посол" → its holder), "в ведомстве" → the last government body, "Российские власти" → Russia.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rjkg.extract.context import Context
from rjkg.extract.dates import find_dates
from rjkg.extract.grammars_common import (
    ACTOR_TYPES,
    PERSON,
    doc_speaker,
    last_entity_before,
    mentions_in,
    person_keys_in,
    sentence_ranges,
    side_state,
    state_key,
)
from rjkg.records import DateValue, Span, Statement

_SPEECH = (
    r"(?:заяв|отмет|подчеркн|подчеркива|сообщ|уточн|указ|добав|поясн|напомн|призна|завер|констатир|"
    r"рассказ|высказ|сказа|считает|считают|полага|убежд|выраз|настаива|пообеща|предупред|согласил|"
    r"отмеча|акцентир|обрат\w*\s+внимание|поблагодар|призв|призыва|пообещ|обеща|резюмир|выража|заявля)\w*"
)
_SPEECH_RX = re.compile(rf"(?<![\w-]){_SPEECH}", re.I)
_ORG_ONLY = ACTOR_TYPES - {PERSON, "MediaOutlet"}
_PRONOUN = re.compile(r"(?<![\w-])(?:он|она|его|её|ее)(?![\w])", re.I)
# a person named by their post only ("Генеральный консул, в свою очередь, отметил", "Генсек подчеркнул")
_DESCRIPTOR = re.compile(
    r"(?<![\w-])(?P<noun>генсек|глав|министр|замминистр|заместител|президент|премьер|мэр|губернатор|посол|посл|"
    r"консул|председател|директор|руководител|представител|спикер|секретар|советник|вице-премьер|дипломат|"
    r"политик|пресс-секретар|чиновник|депутат|сенатор|посланник|атташе)\w*",
    re.I,
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


# "<adjective> сторона + speech/cognition/position verb": a side's stated position
_SIDE = re.compile(
    r"(?<![\w-])(?P<adj>[А-ЯЁа-яё]+ск(?:ая|ие))\s+(?:сторона|стороны|власти|руководство)\s+"
    r"(?:(?:также|вновь|ещ[её]\s+раз|уже|неоднократно|в\s+свою\s+очередь|со\s+своей\s+стороны|твердо|"
    r"решительно|официально|,)\s*)*"
    r"(?P<verb>подтверди|изложи|вырази|заяви|отмети|подчеркну|подчеркива|счита|полага|настаива|указа|"
    r"высказа|сообщи|напомни|обрати|призва|призыва|предложи|предлага|выступи|выступа|придержива|исход|"
    r"расценива|оцени|призна|констатирова|приветствова|осуди|осужда|поддержа|поддержива|возрази|возража|"
    r"отверг|отклони|убежден|уверен|проинформирова|озвучи|разъясни|поясни|акцентирова|увери|заверил|"
    r"выража|отмеча|опроверг|протестова|сохраня|рассчитыва|ожида|надее)\w*",
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
    if re.search(
        r"(?<![\w-])(?:ведомств|министерств|МИД|дипведомств|пресс-служб|правительств)\w*", frag, re.I
    ):
        if re.search(r"(?<![\w-])(?:глав|руководител)\w*\s+(?:ведомств|министерств|дипведомств)", frag, re.I):
            # "подчеркнул глава ведомства": the head of the last body named, else the last person
            body = last_entity_before(ctx, a, {"GovernmentBody"})
            holder = next((p.person for p in ctx.posts if body and p.org == body), None)
            who = holder or last_entity_before(ctx, a, {PERSON})
            if who:
                return [who]
        k = last_entity_before(ctx, a, {"GovernmentBody"})
        if k:
            return [k]
    side = re.search(r"(?<![\w-])([А-ЯЁа-яё]+ск\w+)\s+(?:власт|сторон|руководств)", frag)
    if side:
        k = side_state(ctx, side[1])
        if k:
            return [k]
    d = _DESCRIPTOR.search(frag)
    if d:
        noun = d["noun"].casefold()
        stem = {"генсек": "секретар", "посл": "посол"}.get(noun, noun)
        holders = [
            p.person
            for p in ctx.posts
            if stem in (p.title or "").casefold() or stem in (p.full_title or "").casefold()
        ]
        if len(set(holders)) == 1:
            return holders[:1]
    if _PRONOUN.search(frag) or d:
        # "— отметила дипломат", "— сказал министр": the last person of that description mentioned before
        if d:
            k = _last_described(ctx, a, d["noun"].casefold())
            if k:
                return [k]
        k = last_entity_before(ctx, a, {PERSON})
        if k:
            return [k]
    return []


def _last_described(ctx: Context, pos: int, noun: str) -> str | None:
    """The person whose post (title containing ``noun``) was mentioned last before ``pos``."""
    stem = {"генсек": "секретар", "посл": "посол", "глав": "глав"}.get(noun, noun)
    best: tuple[int, str] | None = None
    for p in ctx.posts:
        if stem not in (p.full_title or p.title or "").casefold():
            continue
        for ev in p.evidence:
            if ev.end <= pos and (best is None or ev.end > best[0]):
                best = (ev.end, p.person)
    return best[1] if best else None


def principal_sides(ctx: Context, before: int | None = None, events: list | None = None) -> tuple[str, ...]:
    """The two sides a joint position belongs to: the communiqué's associations, else the two persons of the
    talks reported last before ``before`` (the document's first talks when none precede), else Russia and Japan."""
    if ctx.doc.meta.genre == "Communique" or re.match(r"\s*КОММЮНИКЕ", ctx.text):
        assoc = []
        for e in sorted(ctx.entities, key=lambda x: min((m.start for m in x.mentions), default=0)):
            if e.type == "Association" and e.key not in assoc:
                assoc.append(e.key)
        if len(assoc) >= 2:
            return tuple(assoc[:2])
    if before is not None:
        signers = _signers_near(ctx, before)
        if signers:
            return signers
    if events is None:
        from rjkg.extract.events import extract_events

        events = extract_events(ctx)
    talks = []
    for ev in events:
        persons = [p.entity for p in ev.participants if _is_person(ctx, p.entity)]
        if ev.type in _TALK_TYPES and len(persons) >= 2 and not ev.planned:
            talks.append((min(sp.start for sp in ev.evidence), tuple(persons[:2])))
    if talks:
        earlier = [t for t in talks if before is None or t[0] <= before]
        return max(earlier)[1] if earlier else min(talks)[1]
    return tuple(k for k in (state_key(ctx, "russia"), state_key(ctx, "japan")) if k)


_SIGN_VERB = re.compile(r"(?<![\w-])(?:подписал|заключил|согласовал|парафировал)[аи]?(?![\w-])", re.I)


def _signers_near(ctx: Context, pos: int) -> tuple[str, ...]:
    """ "X и Y подписали меморандум. Стороны договорились …": the sides are the two signatories named in the
    sentence of ``pos`` or the one before (persons, else the bodies before the verb)."""
    sents = sentence_ranges(ctx)
    si = next((i for i, (a, b) in enumerate(sents) if a <= pos < b), None)
    if si is None:
        return ()
    for a, b in (sents[si], sents[si - 1]) if si else (sents[si],):
        m = _SIGN_VERB.search(ctx.text, a, min(b, pos) if a <= pos < b else b)
        if not m:
            continue
        cs = max(
            [a] + [a + x.end() for x in re.finditer(r"[;:]\s|,\s*(?:а|но|и)\s", ctx.text[a : m.start()])]
        )
        persons = list(dict.fromkeys(k for k, _ in person_keys_in(ctx, cs, m.start())))
        if len(persons) < 2:
            # "Соглашение подписали мэр X и мэр Y": the signatories follow the verb
            persons = list(
                dict.fromkeys(k for k, _ in person_keys_in(ctx, m.end(), min(b, pos) if a <= pos < b else b))
            )
        if len(persons) >= 2:
            return tuple(persons[:2])
        bodies = list(dict.fromkeys(e.key for e, _, _ in mentions_in(ctx, cs, m.start(), _ORG_ONLY)))
        if len(bodies) >= 2 and not persons:
            return tuple(bodies[:2])
    return ()


_TALK_TYPES = ("Meeting", "Consultation", "Negotiation", "Summit", "WorkingGroupSession")


def _is_person(ctx: Context, key: str) -> bool:
    return any(e.key == key and e.type == PERSON for e in ctx.entities) or any(
        p.person == key for p in ctx.posts
    )


@dataclass(frozen=True)
class _Quote:
    """A balanced «…» (nested quotes allowed), shaped like a regex match for the callers."""

    outer: tuple[int, int]
    inner: tuple[int, int]
    body: str

    def start(self, group: int = 0) -> int:
        return (self.outer if group == 0 else self.inner)[0]

    def end(self, group: int = 0) -> int:
        return (self.outer if group == 0 else self.inner)[1]

    def __getitem__(self, group: int) -> str:
        return self.body


def _guillemets(text: str) -> list[_Quote]:
    """Outermost «…» spans of at least 25 characters within one paragraph."""
    out, depth, start = [], 0, -1
    for i, ch in enumerate(text):
        if ch == "\n" and depth:
            depth, start = 0, -1
        elif ch == "«":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "»" and depth:
            depth -= 1
            if depth == 0 and i - start - 1 >= 25:
                out.append(_Quote((start, i + 1), (start + 1, i), text[start + 1 : i]))
    return out


def _direct_quotes(ctx: Context, sents: list[tuple[int, int]]) -> list[_Stmt]:
    text = ctx.text
    out = []
    inside = [(a, b) for a, b in sents]
    for m in _guillemets(text):
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
    m = re.search(r"(?:^|,\s*)[Пп]о\s+(?:мнению|словам|оценке)\s+(?P<who>[^,]{2,60}),", sent)
    if m:
        speakers = _speaker_in(ctx, s0 + m.start("who"), s0 + m.end("who"))
        if speakers:
            a, b = _trim(text, s0, s1)
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 1, si)
    # …, говорится в заявлении МИД / сообщает пресс-служба X
    m = re.search(
        r",\s*(?:[-—–]\s*)?(?:говорится|отмечается|подчеркивается|указывается)\s+в\s+(?P<who>[^.]{3,80})\.?\s*$",
        sent,
    )
    if m and m.start() > 20:
        speakers = _speaker_in(ctx, s0 + m.start("who"), s0 + m.end("who"))
        if speakers:
            a, b = _trim(text, s0, s0 + m.start())
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 2, si)
    # В документе/заявлении говорится, что …: the body that issued the document named before
    m = re.match(
        r"\s*(?:[Вв]|[Вв]о)\s+(?:этом\s+|данном\s+|опубликованном\s+)?(?:документе|заявлении|сообщении|тексте|"
        r"коммюнике|ноте|докладе)\s+(?:[\w-]+\s+){0,2}?(?:говорится|отмечается|подчеркивается|указывается),\s*(?:что\s+)?",
        sent,
    )
    if m:
        k = last_entity_before(ctx, s0, _ORG_ONLY - {"State", "Municipality", "Region", "Place", "Project"})
        if k:
            a, b = _trim(text, s0 + m.end(), s1)
            return _Stmt((k,), a, b, "ReportedSpeech", 1, si)
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
        if not speakers and brk:
            # "Генеральный консул, в свою очередь, отметил": the subject sits before a parenthesis
            speakers = _speaker_in(ctx, s0, v.start())
        if not speakers and re.search(r"(?:ем|им|ём)$", v[0]) and doc_speaker(ctx):
            speakers = [doc_speaker(ctx)]  # "сообщаем, что …" in a body's statement
        if not speakers:
            continue
        a = v.end() + that.end()
        a, b = _trim(text, a, s1)
        return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 1, si)
    # Японская сторона подтвердила приверженность … / Китайская сторона выразила …: the State's position
    m = _SIDE.search(sent)
    if m:
        k = side_state(ctx, m["adj"])
        if k:
            a = s0 + m.start()
            semi = re.search(r";\s", text[a:s1])
            a, b = _trim(text, a, a + semi.start() if semi else s1)
            return _Stmt((k,), a, b, "ReportedSpeech", 2, si)
    # …, заявил X.
    m = re.search(rf",\s*[-—–]?\s*{_SPEECH}\s+(?P<who>[^,.]{{2,110}})\.?\s*$", sent, re.I)
    if m and m.start() > 20:
        speakers = _speaker_in(ctx, s0 + m.start("who"), s0 + m.end("who"))
        if speakers:
            a, b = _trim(text, s0, s0 + m.start())
            return _Stmt(tuple(speakers), a, b, "ReportedSpeech", 2, si)
    # X сообщал о … / X озвучил позицию … / X высказался в поддержку … / X призвал …
    m = re.search(
        r"(?<![\w-])(?:сообщал\w*\s+о|сообщил\w*\s+о\s+(?!том)|озвучил\w*\s+позици|изложил\w*\s+позици|"
        r"высказал\w*\s+(?:в\s+поддержку|за|против|мнение)|призвал\w*|призыва\w*|расценива\w*|осудил\w*|"
        r"осужда\w*|выразил\w*\s+(?:протест|сожаление|обеспокоенность|озабоченность|надежду|уверенность|"
        r"готовность|заинтересованность|признательность|поддержку)|назвал\w*|назыв\w*|охарактеризовал\w*|"
        r"(?:подчеркнул|отметил|подчеркива|отмеча)\w*\s+(?:особую\s+)?(?:важность|необходимость|значимость|значение)|"
        r"указал\w*\s+на|выступил\w*\s+(?:за|против|в\s+поддержку)|"
        r"поблагодарил\w*|выразил\w*|предложил\w*|пообещал\w*|обещал\w*|сообщил\w*|напомнил\w*|"
        r"добавил\w*|констатировал\w*|указал\w*|заверил\w*|пригласил\w*|выража\w*|требует|требуют|"
        r"заявля\w*\s+(?:[\w-]+\s+)?протест)",
        sent,
        re.I,
    )
    if m and _JOINT_SUBJ.match(sent):
        m = None  # "Стороны … выразили …": a joint position, not one speaker's
    if m:
        # the speaker is the verb's subject: named in its clause, close before it
        subj = max([s0] + [s0 + x.end() for x in re.finditer(r"[;:]\s|,\s+(?:а|но|и)\s", sent[: m.start()])])
        speakers = _speaker_in(ctx, max(subj, s0 + m.start() - 90), s0 + m.start())
        if speakers:
            # a speech act ("сообщал о …", "поблагодарил …", "призвал …") quotes its clause from the verb; a stance
            # ("озвучил позицию", "назвал …") quotes the whole sentence
            whole = re.match(
                r"озвуч|изложил|назв|назыв|охарактер|расценив|осуд|осужд|подчерк|отмет|отмеч", m[0], re.I
            )
            a = s0 if whole else s0 + m.start()
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


def _we_verb(sent: str) -> bool:
    """A subjectless sentence opening with a verb in the first person plural or the past plural ("Расцениваем
    этот шаг …", "Обратили внимание …"): the speaker's own words."""
    from rjkg.extract.grammars_common import _morph

    m = re.match(r"\s*([А-ЯЁ][а-яё]+)\s", sent)
    if not m:
        return False
    for p in _morph().parse(m[1].lower())[:2]:
        if p.tag.POS == "VERB" and (
            p.tag.person == "1per"
            and p.tag.number == "plur"
            or (p.tag.tense == "past" and p.tag.number == "plur")
        ):
            return True
    return False


def _first_person(ctx: Context, si: int, s0: int, s1: int, speaker: str) -> _Stmt | None:
    text = ctx.text
    sent = text[s0:s1]
    if len(sent.split()) < 4:
        return None
    if (
        _FIRST_PERSON.search(sent)
        or _PLURAL_VERB_START.search(sent)
        or _JOINT_ANY.search(sent)
        or _we_verb(sent)
    ):
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
    if text[a:b].rstrip().endswith(".") and si + 1 < len(sents):
        # a one-line paragraph with a full stop is a subhead only before a paragraph of several sentences
        na, nb = sents[si + 1]
        if si + 2 >= len(sents) or "\n" in text[nb : sents[si + 2][0]]:
            return False
    # a subhead introduces a longer paragraph
    return si + 1 < len(sents) and sents[si + 1][1] - sents[si + 1][0] > (b - a)


# a claim, not a report of what was done: a speech, cognition or position word ("считаем", "договорились",
# "едины", "выразили готовность"); "мы обсудили этот вопрос" alone is procedural
_CLAIM = re.compile(
    rf"(?<![\w-])(?:{_SPEECH}|счита\w*|увер\w*|убежд\w*|полага\w*|исход\w*|выступа\w*|призыва\w*|призвал\w*|"
    r"договорил\w*|условил\w*|согласил\w*|подтверд\w*|приветств\w*|расценива\w*|един\w*|привлек\w*\s+внимани\w*|"
    r"оцен\w*|обменял\w*\s+мнени\w*|обмен\w*\s+мнени\w*|позици\w*|заинтересован\w*|готов\w*|намерен\w*|"
    r"надеемся|надежд\w*|рассчитыва\w*|ожида\w*|важн\w*|необходим\w*|должн\w*|нужн\w*|сожале\w*|"
    r"обеспокоен\w*|озабочен\w*|удовлетвор\w*|доволь\w*|рады|благодар\w*|признательн\w*|требу\w*|протест\w*|поддержива\w*|поддерж\w*|возража\w*|отверга\w*|осужда\w*)(?![\w-])",
    re.I,
)
# an opinion or agreement with its own complement clause ("Я уверен, что …", "Договорились, что …") is a new claim
_OPINION = re.compile(
    r"(?<![\w-])(?:счита\w*|увер\w*|убежд\w*|полага\w*|дума\w*|договорил\w*|условил\w*|согласил\w*)"
    r"[^.;]{0,20}?,\s*что\s",
    re.I,
)
_PROCEDURAL = re.compile(
    r"(?:принима\w*|приня\w*)\s+участие|участие\s+приняли|в\s+состав\w*\s+(?:делегаци|участник)|:\s*$", re.I
)


def _has_predicate(sentence: str) -> bool:
    """Whether a sentence has a verb, participle or predicative word: list items ("Губернатор X") have none."""
    from rjkg.extract.grammars_common import _morph

    for w in re.findall(r"[А-Яа-яЁё]+", sentence):
        for p in _morph().parse(w.lower())[:1]:
            if p.tag.POS in ("VERB", "INFN", "PRTS", "PRTF", "GRND", "ADJS", "PRED"):
                return True
    return False


def _non_claim(quote: str) -> bool:
    """A joint or first-person sentence that states nothing: a procedural line ("Во Встрече принимали
    участие:") or a list item without a predicate."""
    return bool(_PROCEDURAL.search(quote)) or not _has_predicate(quote)


def _by_paragraph(ctx: Context, sents: list[tuple[int, int]], found: dict[int, _Stmt]) -> dict[int, _Stmt]:
    """In a transcript or a body's statement the speaker talks a paragraph at a time; each claim in it is quoted
    on its own (from its sentence on), and sentences without a claim word continue the claim before them
    ("Подтвердили … . В будущем году Япония будет …"); leading procedural sentences ("Мы обсудили …") are not
    statements."""
    text = ctx.text
    out = {si: st for si, st in found.items() if st.rank != 4}
    paras: list[list[int]] = []
    for si in range(len(sents)):
        if si == 0 or "\n" in text[sents[si - 1][1] : sents[si][0]]:
            paras.append([])
        paras[-1].append(si)
    for para in paras:
        own = [found[si] for si in para if si in found and found[si].rank == 4]
        if not own:
            continue
        speakers = own[0].speakers
        cur: _Stmt | None = None
        for si in para:
            st = found.get(si)
            if st is not None and (st.speakers != speakers or st.mode != "ReportedSpeech"):
                cur = None  # someone else's words interrupt the passage
                continue
            a = st.start if st is not None else _trim(text, *sents[si])[0]
            _, b = _trim(text, sents[si][0], sents[si][1])
            claim = st is not None and st.rank != 4 or bool(_CLAIM.search(text, a, b))
            if cur is not None and claim and (st is None or st.rank == 4) and not _OPINION.search(text, a, b):
                claim = False  # "Приветствовали … . Призываем …": one position told in several sentences
            if claim and not _PROCEDURAL.search(text[a:b]):
                if st is not None and st.rank != 4:
                    cur = out[si]
                else:
                    cur = out[si] = _Stmt(speakers, a, b, "ReportedSpeech", 4, si)
            elif cur is not None:
                out[cur.sent] = cur = _Stmt(
                    cur.speakers, cur.start, max(cur.end, b), cur.mode, cur.rank, cur.sent
                )
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
    # only when the next sentence speaks for a side: "Токио настоятельно требует …", "Японская сторона …"
    lead = a + len(text[a:b]) - len(text[a:b].lstrip())
    states = [m for e_, m, _ in ctx.entities_in(lead, min(b, lead + 30)) if e_.type == "State" and m == lead]
    if not states and not re.match(r"\s*(?:[Яя]понск|[Рр]оссийск)\w+\s+(?:сторон|власт)", text[a:b]):
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
    current = speaker
    question = False
    events: list | None = None
    for si, (s0, s1) in enumerate(sents):
        new_para = si == 0 or "\n" in text[sents[si - 1][1] : s0]
        if new_para:
            question = False
        # transcripts: "Вопрос: …" is the journalist's; "С.В.Лавров: …" switches the speaker
        if re.match(r"\s*Вопрос\b[^:\n]{0,40}:", text[s0:s1]):
            question = True
        label = re.match(r"\s*([^:\n]{2,40}):\s+", text[s0:s1]) if speaker else None
        if label and not question:
            named = person_keys_in(ctx, s0, s0 + label.end(1))
            if named:
                current = named[0][0]
                s0 = s0 + label.end()
        if question or si in covered or _is_heading(ctx, sents, si):
            continue
        if any(st.start <= s0 < st.end for st in found.values()):
            continue  # already quoted as the run-on of the sentence before
        st = _reported(ctx, si, s0, s1)
        if st is None:
            if events is None:
                from rjkg.extract.events import extract_events

                events = extract_events(ctx)
            sides = principal_sides(ctx, s0, events)
            prev = found.get(si - 1)
            st = _joint(ctx, si, s0, s1, sides if not current else (current,), bool(prev and prev.rank == 3))
        if st is None and current and si > 0:
            st = _first_person(ctx, si, s0, s1, current)
        if st is not None and st.rank >= 3 and _non_claim(text[st.start : st.end]):
            st = None
        if st is not None and st.end - st.start >= 15:
            found[si] = _extend(ctx, st, sents)
    found = _by_paragraph(ctx, sents, found)
    anchor = ctx.anchor
    date = DateValue(anchor, resolved_from="", relative=True) if anchor else None
    out = []
    seen: set[tuple[int, int]] = set()
    for si in sorted(found):
        st = found[si]
        if (st.start, st.end) in seen:
            continue  # one span, one statement
        seen.add((st.start, st.end))
        speakers = tuple(dict.fromkeys(st.speakers))
        # "В сентябре 2025 года … Исигаки высказался …": a date in the attribution dates the statement
        s0 = sents[si][0] if si < len(sents) else st.start
        own = (
            [d for sp, d in find_dates(text, s0, st.start, anchor) if not d.end]
            if st.mode != "DirectQuote"
            else []
        )
        out.append(
            Statement(
                speakers=speakers, quote=text[st.start : st.end], evidence=(Span(st.start, st.end),),
                mode=st.mode, date=own[0] if own else date,
            )
        )  # fmt: skip
    return out
