"""Events: meetings, consultations, visits, forums, summits, decisions, terminations … from trigger words.

Each trigger (a noun or verb stem, see TRIGGERS) in a sentence yields an Event with
- a date: each date of the sentence goes to its nearest trigger (in its clause first); a trigger without one
  borrows from the event it happened during/at ("на … форуме", "в ходе визита …", "визиты …, в ходе которых"),
  else the document date in the headline/lead or for a transcript's "мы", else a subhead's year;
- participants: the persons named with the trigger ("встреча X с Y", "X провел встречу с Y"), states or bodies
  when no person is named, the transcript's speaker for "мы", "наши руководители" → the heads of state/government
  among the post holders, delegation heads named in the next sentence;
- the place after в/во/на, an ordinal ("XXVII", "третий раунд", "15-е"), topics ("по вопросам …"), and whether
  it is planned ("состоится", "договорились провести", "предстоящей"; "очередной" unless "прошел").
Mentions of one real event (headline + body, "встреча продлилась …") are then merged by type + compatible date +
compatible participants/topic, so a document yields each event once; a headline that paraphrases the body
("Заявление МИД … в связи с решением правительства Японии") merges with the body's event when the sides it names
appear there. Anaphoric mentions ("По итогам встречи …", "В ходе переговоров …", "На встрече …" with no date or
persons of their own) are evidence of the event reported before, not new events. "В тот же день", "накануне",
"на следующий день" copy or shift the day of the event just reported (only a day-precision one). Closures of an
institution ("центр был закрыт", "закрыла офис") are Closure events, folded into the decision to close when one
is reported; the end of talks is never a Closure. A sentence that only adds people ("Во встрече принял участие Z",
"Заседание провели сопредседатели – X и Y") adds them to the talks just reported. A standing body's "заседание"
(комиссии, совета, подкомиссии) is a Meeting held by its chairs or sides, not by the body itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rjkg.extract.context import Context
from rjkg.extract.grammars_common import (
    ACTOR_TYPES,
    PERSON,
    PLACE_TYPES,
    _morph,
    adjective_states,
    clause_bounds,
    dates_in,
    doc_speaker,
    is_period,
    last_entity_before,
    mentions_in,
    nearest_date,
    person_keys_in,
    sentence_ranges,
    state_key,
    unique_keys,
)
from rjkg.records import DateValue, Event, PartialDate, Participant, Span

# a policy document adopted: "утвердило новую Стратегию …", "одобрил Концепцию …", "указ об утверждении Программы"
_POLICY_DOC = r"(?:стратеги|концепци|программ|доктрин|план|бюджет|основ\w*\s+(?:государственн\w+\s+)?политик)"
_ADOPTION = (
    r"(?:утвердил|одобрил|принял)[аио]?(?=\s+(?:[\w-]+\s+){0,3}?" + _POLICY_DOC + r")|"
    r"(?:указ|распоряжени|постановлени)\w*\s+об\s+утверждении"
)
# a body makes a document public: "опубликованная … Министерством обороны «Белая книга»", "МИД обнародовал доклад"
_PUBLICATION = r"(?:опубликова|обнародова)(?:л|ла|ло|ли|н|на|но|ны|нн\w*|вш\w*)"
_PUBLISHED_DOC = re.compile(
    r"«|(?<![\w-])(?:книг|доклад|заявлени|отч[её]т|документ|доктрин|стратеги|концепци|обзор|текст|сообщени|"
    r"материал|ноту|обращени|послани|коммюнике|перечень|список|данны|позици|комментари)",
    re.I,
)
# (type, trigger regex); earlier entries win where matches overlap
TRIGGERS: list[tuple[str, str]] = [
    ("Summit", r"(?:встреч|переговор)\w*\s+на\s+высшем\s+уровне|саммит\w*"),
    ("WorkingGroupSession", r"рабоч(?:ей|ая|ую|ие|их)\s+групп(?:ы|а|у|е|ой)"),
    ("WorkingGroupSession", r"заседани(?:е|я)\s+котор(?:ой|ого|ых)"),  # "группу …, первое заседание которой"
    (
        "Meeting",  # a standing body's session is a meeting; WorkingGroupSession is kept for "рабочая группа"
        r"заседани(?:е|я|ю|ем|и)\s+(?:[\w-]+\s+){0,4}?(?:комисси(?:и|я|ю|ей)|межправкомисси\w*|подкомисси\w*|"
        r"совет(?:а|у|ом|е)?|комитет(?:а|у|ом|е)?)",
    ),
    (
        "Termination",  # talks broken off: "прекращение консультаций", "свертывание диалога" (not a Closure)
        r"(?:прекращени|приостановлени|приостановк|заморозк)\w*\s+(?:[\w-]+\s+)?(?:переговор|консультаци|диалог)\w*",
    ),
    ("Negotiation", r"телефонн\w+\s+(?:разговор|переговор|беседы|беседа|беседу)\w*"),
    ("PressConference", r"пресс-конференци\w*|брифинг\w*"),
    ("BusinessMission", r"бизнес-мисси\w*|делов\w+\s+мисси\w*"),
    ("Forum", r"форум(?:а|у|ом|е|ы|ов)?|ВЭФ(?:-\d{4})?"),
    ("Consultation", r"консультаци(?:я|и|ю|ей|й|ям|ями|ях)"),
    ("Negotiation", r"переговор(?:ы|ов|ам|ами|ах)"),
    (
        "Meeting",
        r"встреч(?:а|и|е|у|ей|ам|ами|ах)|бесед(?:а|ы|е|у|ой)|встрет(?:ил|ился|илась|ились|ятся|ится)",
    ),
    (
        "Visit",
        r"визит(?:а|у|ом|е|ы|ов|ам|ами|ах)?|посещени(?:е|я|ю|ем|и)|пребывани\w*|пребывал\w*|"
        r"посетил(?:а|и|о)?|посетит|посетят|посетить|посещал(?:а|и)?|"
        r"(?:принять|примет|примут)\s+(?:[\w-]+\s+){0,2}?делегаци\w*",
    ),
    ("Inspection", r"проверк(?:а|и|е|у|ой|ок|ам|ами|ах)|инспекци\w+"),
    ("Sanctions", r"санкци(?:и|й|ям|ями|ях|ю)|санкционн\w+\s+мер\w*|ограничительн\w+\s+мер\w*"),
    (
        "Closure",
        r"закрыти(?:е|я|ю|ем|и)|закры(?:т|та|то|ты|л|ла|ли|ло|ть|ет|ют|ется|ются|лся|лась|лись|вается|ваются)|"
        r"прекращени\w*\s+(?:(?:его|ее|её|их|своей)\s+)?(?:деятельности|работы)|"
        r"прекрат(?:ит|ят|ил|ила|ило|или|ить)\s+(?:(?:свою|свое|своё)\s+)?(?:деятельность|работу|существование)",
    ),
    (
        "Termination",
        r"прекращени\w*\s+(?:действия|применения)|прекрати(?:ть|л|ла|ло|ли)\s+(?:применение|действие)|"
        r"приостановлени\w*\s+(?:действия|применения)|приостанови(?:ть|л|ла|ло|ли)\s+(?:применение|действие)|"
        r"денонсаци\w+|денонсировал\w*|расторжени\w+|расторгл\w*",
    ),
    ("Decision", _ADOPTION),
    ("Decision", r"решени(?:е|я|ю|ем|и)"),
    ("Announcement", _PUBLICATION),
    (
        "Announcement",
        r"объявил\w*\s+о|заявил\w*\s+о(?=\s+(?:прекращени|приостановлени|приостановк|свертывани|сворачивани|выход))|(?:об|о)\s+(?:этом|чем)\s+(?:сообщил|заявил|объявил)\w*",
    ),
]
_TRIGGER_RX = [(t, re.compile(rf"(?<![\w-])(?:{rx})(?![\w])", re.I)) for t, rx in TRIGGERS]

TYPE_RU = {
    "Meeting": "встреча", "Consultation": "консультации", "Visit": "визит", "Forum": "форум",
    "Summit": "встреча на высшем уровне", "PressConference": "пресс-конференция",
    "BusinessMission": "бизнес-миссия", "Decision": "решение", "Closure": "закрытие", "Inspection": "проверка",
    "Sanctions": "санкции", "Negotiation": "переговоры", "Announcement": "объявление",
    "Termination": "прекращение действия", "WorkingGroupSession": "заседание рабочей группы",
}  # fmt: skip

# a modifier that makes the mention generic or a back-reference to another event: skip it
_GENERIC_BEFORE = re.compile(
    r"(?<![\w-])(?:подобн\w*|предыдущ\w*|прежн\w*|так(?:ие|их|ой|ая|ую|ого|им|ими)|эт(?:а|у|ой|и|их|ими|им)|"
    r"данн\w*|указанн\w*|многочисленн\w*|регулярн\w*|последующ\w*|всех|все|ежегодн\w*)\s+(?:\w+\s+)?$",
    re.I,
)
_PLANNED = re.compile(
    r"состоит?ся|состоятся|пройд[её]т|пройдут|будет|будут|планир\w*|запланир\w*|намечен\w*|предстоящ\w*|предстоит|"
    r"договорились\s+(?:о\s+)?(?:провед|провест)\w*|условились\s+провести|о\s+проведении|согласуем|"
    r"проведут|провед[её]м|проведет|проведёт|встретятся|встретится|посетит|посетят|прибудет|прибудут|отправится|"
    r"готов\w*\s+(?:[\w-]+\s+){0,2}?(?:принять|провести|посетить|встретиться|организовать|приехать)",
    re.I,
)
# "следующий/очередной" mark a future event unless a past-tense verb says it took place ("очередной раунд прошел")
_PLANNED_WEAK = re.compile(
    r"следующ\w+\b(?!\s+(?:день|дня|утро|утром|вечер))|очередн\w+|намерен\w*|ожида\w+ся", re.I
)
_PAST = re.compile(
    r"(?<![\w-])(?:прош(?:ел|ёл|ла|ли)|состоял(?:ся|ась|ись|ось)|провел[аио]?|провели|завершил\w*|открыл(?:ся|ась|ись)|"
    r"начал(?:ся|ась|ись)|прибыл[аи]?|посетил[аи]?|встретил(?:ся|ась|ись)?|провел[аи]?|подписал[аи]?)(?![\w-])",
    re.I,
)
_FIRST_PERSON = re.compile(r"(?<!\w)(?:мы|я|наш\w*|мо(?:им|ей|его|ему|ими|ю)|нами|нас)(?!\w)", re.I)
_REPORTING_FRAME = re.compile(
    r"(?:сообщил\w*|заявил\w*|отметил\w*|подчеркнул\w*|уточнил\w*|рассказал\w*|указал\w*|известно)[^.]*?,\s*что\s",
    re.I,
)
_ROMAN = re.compile(r"(?<![\w-])([IVXLC]{1,7})(?![\w-])")
_ORD_STEMS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "четвёрт": 4, "пят": 5, "шест": 6, "седьм": 7, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14,
    "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19, "двадцат": 20,
    "тридцат": 30, "сороков": 40,
}  # fmt: skip
_ORD_END = (
    r"(?:ый|ой|ий|ая|ое|ые|ого|ому|ую|ым|ом|ых|ыми|ей|ья|ье|ьи|ьего|ьему|ью|ьим|ьем|ьей|ьих|его|ему|им|ем|их)"
)
_ORD_RX = re.compile(
    r"(?<![\w-])(?:(двадцать|тридцать|сорок)\s+)?(" + "|".join(sorted(_ORD_STEMS, key=len, reverse=True)) + ")"
    + _ORD_END + r"(?!\w)",
    re.I,
)  # fmt: skip
_TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40}
# types whose actor is the grammatical subject: participants are the bodies/states of the clause
_ACTOR_EVENTS = {"Decision", "Termination", "Announcement", "Sanctions", "Closure"}
_TOPICAL = {"Consultation", "WorkingGroupSession", "Visit", "Inspection", "BusinessMission", "Forum"}
_TALKS = {
    "Meeting",
    "Consultation",
    "Negotiation",
    "Summit",
    "Visit",
    "WorkingGroupSession",
    "BusinessMission",
}
_BILATERAL = {"Consultation", "WorkingGroupSession", "Negotiation", "Summit"}
# same sentence, same date: the first type is a part of the second's description ("визиты, в ходе которых … проверки")
_SUBSUMED = {
    ("Visit", "Inspection"), ("Termination", "Announcement"), ("Negotiation", "Meeting"),
    ("Closure", "Decision"),  # "решение о закрытии центра" is one act: the decision (gold: Decision, alt Closure)
}  # fmt: skip
# what can be closed: an institution, never talks ("прекращение переговоров" is a Termination/Announcement)
_CLOSABLE = re.compile(
    r"центр\w*|офис\w*|представительств\w*|торгпредств\w*|консульств\w*|генконсульств\w*|посольств\w*|"
    r"отделени\w*|филиал\w*|бюро|учреждени\w*|институт\w*|фонд\w*|школ\w*|музе\w*|агентств\w*|"
    r"миссии|миссия|пункт\w*|завод\w*|предприяти\w*|компани\w*|банк\w*|корпункт\w*|редакци\w*|"
    r"кафедр\w*|лаборатори\w*|станци\w*|организаци\w*",
    re.I,
)
_NOT_CLOSABLE = re.compile(
    r"переговор\w*|консультац\w*|диалог\w*|тем\w*|вопрос\w*|границ\w*|сделк\w*|дел[оа]\b", re.I
)
_MERGE_GROUPS = [{"Meeting", "Negotiation", "Summit"}, {"Decision", "Termination"}]


def roman_to_int(s: str) -> int | None:
    """'XXVII' → 27."""
    vals = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = vals.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def find_ordinal(text: str, start: int, end: int) -> tuple[int, str] | None:
    """An ordinal written as a roman numeral or a Russian ordinal word in text[start:end] (the last one)."""
    found = None
    for m in _ROMAN.finditer(text, start, end):
        n = roman_to_int(m[1])
        if n:
            found = (m.start(), n, m[1])
    for m in _ORD_RX.finditer(text, start, end):
        n = _ORD_STEMS[m[2].lower()] + (_TENS[m[1].lower()] if m[1] else 0)
        if found is None or m.start() > found[0]:
            found = (m.start(), n, m[0])
    for m in re.finditer(r"(?<![\w-])(\d{1,3})-(?:е|й|я|го|м|ой|ый|ий|ю|ому)(?![\w-])", text[start:end]):
        if found is None or start + m.start() > found[0]:
            found = (start + m.start(), int(m[1]), m[0])
    return (found[1], found[2]) if found else None


@dataclass
class _Cand:
    type: str
    start: int
    end: int
    sent: tuple[int, int]
    sent_index: int
    date: DateValue | None
    persons: list[str]
    actors: list[str]  # states/bodies when no person, for merging only persons count
    place: str | None
    ordinal: tuple[int, str] | None
    planned: bool
    complement: str
    evidence: list[Span] = field(default_factory=list)
    states: set[str] = field(default_factory=set)
    topics: list[str] = field(default_factory=list)
    during: int | None = None  # id() of the candidate this one happened during ("В ходе визита … встретился")
    members: list[int] = field(default_factory=list)  # id()s of the candidates merged into this one
    sent_set: set[int] = field(default_factory=set)  # sentences of every merged mention
    near: set[str] = field(default_factory=set)  # every actor its sentence names (a headline's sides)
    anaphor: bool = False
    session: bool = False  # a standing body's "заседание": held by the sides, not borrowed from other talks
    headline: bool = False  # its sentence is a headline: alone on its line, without a final full stop  # "По итогам встречи …", "В ходе переговоров …": the event reported before


def _complement(text: str, end: int, sent_end: int) -> str:
    """The few words after a trigger when they specify it (genitive noun, "по …", "на уровне …"); '' if bare."""
    rest = text[end:sent_end]
    m = re.match(
        r"\s+((?:по|на|между|с|о|об|глав|заместител|министр|экспертн|мэр)\w*(?:\s+[\w-]+){0,2})", rest, re.I
    )
    if m:
        return m[1].casefold()
    m = re.match(r"\s+([А-ЯЁа-яё][\w-]*(?:ов|ей|ого|ой|ых|ия|ии|а|и)\b(?:\s+[\w-]+){0,2})", rest)
    if m and not re.match(r"(?:продлил|прошл|состоял|стал|был|завершил|началась|открыл)", m[1], re.I):
        return m[1].casefold()
    return ""


def _participants(
    ctx: Context, cs: int, ce: int, seg: tuple[int, int], sent: tuple[int, int]
) -> tuple[list[str], list[str]]:
    """(persons, other actors) for a trigger: named in its segment of the clause, else by reference."""
    text = ctx.text
    a, b = max(cs, seg[0]), min(ce, seg[1])
    named = person_keys_in(ctx, a, b)
    after = [k for k, p in named if p >= seg[2]]
    persons = after or [k for k, _ in named]
    if after and re.match(r"[\w-]+(?:\s+[\w.-]+){0,6}?\s+(?:с|со)\s", text[seg[2] :]):
        # "X провел встречу с Y": the host is named before the trigger
        persons = [k for k, p in named if p < seg[2]] + after
    actors = unique_keys(mentions_in(ctx, a, b, ACTOR_TYPES - {PERSON, "MediaOutlet"}))
    if not persons and re.search(r"(?<!\w)их\s+$", text[max(sent[0], seg[2] - 6) : seg[2]]):
        persons = [k for k, _ in person_keys_in(ctx, sent[0], seg[2])]
    trigger_end = re.match(r"[\w-]*", text[seg[2] :]).end() + seg[2]
    if (
        not persons
        and re.search(
            r"(?:руководител|лидер)\w*|глав\w*\s+(?:государств|двух\s+стран|обеих\s+стран)",
            text[sent[0] : sent[1]],
            re.I,
        )
        and re.search(
            r"(?<![\w-])(?:они|их|руководител\w*|лидер\w*|глав\w*)(?![\w-])",
            text[max(sent[0], seg[2] - 60) : min(sent[1], seg[2] + 40)],
            re.I,
        )
    ):
        persons = _leaders(ctx)
    if _FIRST_PERSON.search(text[max(a, seg[2] - 60) : min(b, trigger_end + 25)]):
        speaker = doc_speaker(ctx)
        if speaker and speaker not in persons:
            persons = [speaker, *persons]
    if not persons and not actors and re.search(r"котор\w*\s*$", text[max(0, cs - 12) : cs]):
        # a relative clause ("визиты …, в ходе которых были проведены проверки"): its antecedent clause
        ps, pe = clause_bounds(text, sent[0], sent[1], max(sent[0], cs - 2))
        persons = [k for k, _ in person_keys_in(ctx, ps, pe)]
        actors = unique_keys(mentions_in(ctx, ps, pe, ACTOR_TYPES - {PERSON, "MediaOutlet"}))
    if (
        not persons
        and re.search(r",\s*что\s*$", text[max(sent[0], cs - 8) : cs])
        and re.search(r"намерен|намерева|планиру|собира|готов|хочет|рассчитыва", text[cs:ce], re.I)
    ):
        # "Абэ заявил, что намерен посетить Россию": the speaker is the one who will go
        persons = [k for k, _ in person_keys_in(ctx, sent[0], cs)][-1:]
    for k in adjective_states(ctx, cs, ce):
        if k not in actors:
            actors.append(k)
    if not persons and not actors and re.search(r"двух\s+стран|обеих\s+(?:стран|сторон)", text[cs:ce], re.I):
        actors = [k for k in (state_key(ctx, "russia"), state_key(ctx, "japan")) if k]
    return persons, actors


_TOP_POST = re.compile(
    r"президент|премьер|председател\w*\s+правительства|канцлер|император|король|генеральн\w+\s+секретар", re.I
)


def _leaders(ctx: Context) -> list[str]:
    """ "наши руководители", "лидеры двух стран": the heads of state or government the document names."""
    out: list[str] = []
    for p in ctx.posts:
        if _TOP_POST.match(p.title or "") and p.person not in out:
            out.append(p.person)
    return out


def _place(ctx: Context, etype: str, cs: int, ce: int) -> str | None:
    text = ctx.text
    types = PLACE_TYPES | ({"State"} if etype == "Visit" else set())
    for e, s, _ in mentions_in(ctx, cs, ce, types):
        if re.search(r"(?:\s|^)(?:в|во|на|по|г\.)\s*$", text[max(0, s - 5) : s], re.I):
            return e.key
    if etype == "Visit":
        # "посетила Алматы": the visited place is the verb's object
        for e, s, _ in mentions_in(ctx, cs, ce, types):
            if re.search(r"(?<![\w-])посе(?:тил|тит|тят|тить|щал)\w*\s+$", text[max(0, s - 14) : s], re.I):
                return e.key
    return None


def _is_generic(text: str, sent_start: int, start: int) -> bool:
    return bool(_GENERIC_BEFORE.search(text[max(sent_start, start - 40) : start]))


_NEGATED = re.compile(
    r"(?<![\w-])не\s+(?:намерен\w*|планиру\w*|собира\w*|будет|будут|станет|станут|готов\w*|хочет|хотят)\s+"
    r"(?:[\w-]+\s+){0,2}$"
)


def _keep_trigger(etype: str, text: str, s: int, e: int, sent: tuple[int, int]) -> bool:
    before = text[max(sent[0], s - 60) : s].casefold()
    after = text[e : min(sent[1], e + 80)].casefold()
    if etype not in _ACTOR_EVENTS and _NEGATED.search(before):
        return False  # "не намерена продолжать консультации": no event is held or planned
    if etype == "Closure":
        return _closes_institution(text, s, e, sent)
    if etype in ("Consultation", "Negotiation") and re.search(
        r"(?:прекращени|приостановлени|приостановк|свертывани|сворачивани|заморозк)\w*\s+(?:[\w-]+\s+)?$",
        before,
    ):
        return False  # the talks' end is announced, no talks are held
    if etype == "Termination" and re.search(r"(?:переговор|консультаци|диалог)\w*$", text[s:e], re.I):
        # "объявила о прекращении переговоров" is the announcement; the talks' end is its content
        return not re.search(r"(?:объявил|заявил)\w*\s+о\s+$", before)
    if etype == "WorkingGroupSession":
        if re.search(r"котор\w+$", text[s:e]):
            return bool(re.search(r"групп|комисси", text[sent[0] : s], re.I))
        if text[s:e].casefold().startswith("заседан"):
            return True
        return "заседани" in text[sent[0] : s].casefold() and not re.search(r"данн\w*\s+$", before)
    if etype == "Negotiation":
        if text[s:e].casefold().startswith("телефон"):
            return True
        if re.search(r"(?:прекращени|выход|приостановк|возобновлени)\w*\s+$", before):
            return False
        if re.search(
            r"(?:провел|провели|провела|провести|проведут|провед[её]т|состоял\w*|прошл\w*|начал\w*|завершил\w*)\s+"
            r"(?:[\w-]+\s+){0,3}$",
            before,
        ):
            return True
        if re.match(
            r"(?:\s+[\w-]+){0,7}?\s+(?:прошли|состоялись|начались|завершились|продолжились)\b", after
        ):
            return True  # "Переговоры министров … прошли в Канберре"
        return bool(
            re.search(r"(?:\bих|между|по\s+итогам|в\s+ходе|во\s+время|накануне|после|перед)\s+$", before)
            or re.match(
                r"\s+(?:между|[А-ЯЁ]|с\s+[А-ЯЁ]|с\s+(?:министр|президент|премьер|глав|коллег|делегац))",
                text[e : e + 20],
            )
        )
    if etype == "Decision" and not text[s:e].casefold().startswith("решени"):
        return True  # an adoption verb with its policy document
    if etype == "Announcement" and re.match(_PUBLICATION, text[s:e], re.I):
        # a document made public, not an order published (that is the order's own signing)
        near = text[max(sent[0], s - 40) : min(sent[1], e + 90)]
        return bool(_PUBLISHED_DOC.search(near)) and not re.search(
            r"(?<![\w-])(?:постановлени|распоряжени|указ)\w*", text[e : min(sent[1], e + 40)], re.I
        )
    if etype == "Decision":
        if _type_of(etype, text, e, sent[1]) == "Sanctions":
            return True  # "решение Японии расширить санкционные списки": the sanctions act itself
        if text[s:e].casefold() == "решении" and not re.search(r"принят", before):
            return False
        return bool(
            re.search(r"приня\w*\s+(?:\w+\s+){0,2}$|с\s+$", before)
            or re.match(r"\s+(?:о|об)\s", after)
            or re.match(
                r"\s+(?:[\w-]+\s+)?(?:президент|правительств|глав|министр|премьер|лидер|кабинет|совет)", after
            )
        ) and not re.search(r"(?:данн|эт|указанн)\w*\s+$", before)
    if etype == "Sanctions":
        return bool(
            re.search(
                r"(?:приня|ввел|ввела|ввели|ввело|ввест|расшир|продлил|объявил)\w*\s+(?:\w+\s+){0,2}$", before
            )
        )
    if etype == "Forum" and re.search(r"форум", text[s:e], re.I):
        if re.search(r"ежегодн|регулярн|традиционн", text[max(sent[0], s - 40) : s], re.I):
            return False  # a series, not one forum
        return bool(
            re.search(r"[А-ЯЁ][\w-]*\s+(?:[\w-]+\s+){0,2}$", text[max(sent[0], s - 50) : s])
            or (text[s].isupper() and s > sent[0])
            or re.match(r"\s*«", after)
            or find_ordinal(text, max(sent[0], s - 40), s)
        )
    return True


def _closes_institution(text: str, s: int, e: int, sent: tuple[int, int]) -> bool:
    """ "закрытие центра", "представительство … было закрыто", "центр прекратит деятельность": the thing closed
    is an institution; the closing of talks or a topic is not a Closure."""
    cs, ce = clause_bounds(text, sent[0], sent[1], s)
    word = text[s:e].casefold()
    if word.startswith("закрыти") or word.startswith("прекращени"):
        # the noun's object follows: "закрытии (всех шести) Японских центров"
        obj = re.match(r"\s+(?:[\w-]+\s+){0,3}?([\w-]+)", text[e:ce])
        words = re.findall(r"[\w-]+", text[e:ce])[:4]
        head = next((w for w in words if _CLOSABLE.fullmatch(w) or _NOT_CLOSABLE.fullmatch(w)), None)
        if word.startswith("прекращени") and head is None:
            # "прекращение деятельности" with its owner before: "центр объявил о прекращении деятельности"
            head = next(
                (w for w in reversed(re.findall(r"[\w-]+", text[cs:s])) if _CLOSABLE.fullmatch(w)), None
            )
        return bool(obj and head and _CLOSABLE.fullmatch(head))
    # a verb: the institution is its subject (before) or its object (after: "закрыли офис")
    around = re.findall(r"[\w-]+", text[cs:s])[-6:] + re.findall(r"[\w-]+", text[e:ce])[:3]
    if any(_NOT_CLOSABLE.fullmatch(w) for w in around):
        return False
    return any(_CLOSABLE.fullmatch(w) for w in around)


def _type_of(etype: str, text: str, e: int, sent_end: int) -> str:
    if etype == "Decision":
        after = text[e : min(sent_end, e + 120)].casefold()
        if re.match(
            r"(?:\s+[\w-]+){0,6}?\s+(?:о\s+)?(?:прекрат\w*\s+(?:применени|действи)|прекращени\w*\s+(?:действия|применения)"
            r"|приостанов\w*\s+(?:применени|действи)|денонс|выход\w*\s+из)",
            after,
        ):
            return "Termination"
        if re.match(
            r"\s+(?:о|об)\s+(?:[\w-]+\s+){0,2}?(?:санкци|санкционн|ограничительн\w+\s+мер)", after
        ) or re.match(
            r"(?:\s+[\w-]+){0,3}?\s+(?:вв[её]\w*|расшир\w*|продл\w*|ужесточ\w*)\s+(?:[\w-]+\s+){0,2}?"
            r"(?:санкци|санкционн|ограничительн\w+\s+мер|стоп-лист|черн\w+\s+спис)",
            after,
        ):
            return "Sanctions"  # "решение о расширении санкционных мер", "решение Японии расширить санкционные списки"
    return etype


def _ordinal_after(text: str, e: int, s1: int) -> tuple[int, str] | None:
    """ "встреча …, четвертая по счету в этом году и одиннадцатая за все время" → the all-time count."""
    tail = text[e : min(s1, e + 200)]
    if not re.search(r"по\s+сч[её]ту|за\s+вс[её]", tail):
        return None
    allm = list(_ORD_RX.finditer(tail))
    if not allm:
        return None
    pick = next((mm for mm in allm if re.match(r"\s*за\s+вс", tail[mm.end() :])), allm[0])
    return _ORD_STEMS[pick[2].lower()] + (_TENS[pick[1].lower()] if pick[1] else 0), pick[0]


def _triggers(ctx: Context, s0: int, s1: int) -> list[tuple[str, int, int]]:
    text = ctx.text
    taken: list[tuple[str, int, int]] = []
    for etype, rx in _TRIGGER_RX:
        for m in rx.finditer(text, s0, s1):
            s, e = m.start(), m.end()
            if any(s < te and ts < e for _, ts, te in taken):
                continue
            if _keep_trigger(etype, text, s, e, (s0, s1)):
                taken.append((etype, s, e))
    return sorted(taken, key=lambda t: t[1])


def _relative_end(text: str, ce: int, s1: int) -> int:
    """Extend a clause over the relative clause right after it (", которая состоится в июне")."""
    if re.match(r",\s*котор", text[ce : ce + 12]):
        _, nxt = clause_bounds(text, ce + 1, s1, ce + 3)
        return nxt
    return ce


_LIST_INTRO = re.compile(
    r"(?:принима\w+|приня\w+)\s+участие\s*:|участие\s+приняли\s*:|в\s+состав\w*\s*:", re.I
)


def _listed_persons(ctx: Context, sents: list[tuple[int, int]], si: int) -> list[str]:
    """Persons listed after "принимали участие:" (lines up to the next long sentence)."""
    out: list[str] = []
    s0, s1 = sents[si]
    m = _LIST_INTRO.search(ctx.text, s0, s1)
    if not m:
        return out
    out += [k for k, _ in person_keys_in(ctx, m.end(), s1)]
    for a, b in sents[si + 1 :]:
        if len(ctx.text[a:b].split()) > 14:
            break
        out += [k for k, _ in person_keys_in(ctx, a, b) if k not in out]
    return out


def _candidates(ctx: Context) -> list[_Cand]:
    text = ctx.text
    anchor = ctx.anchor
    out: list[_Cand] = []
    genre = ctx.doc.meta.genre
    sents = sentence_ranges(ctx)
    for si, sent in enumerate(sents):
        s0, s1 = sent
        trig = _triggers(ctx, s0, s1)
        if not trig:
            continue
        # a span of years ("план на 2023–2025 годы") is an instrument's period, not an event's date
        sent_dates = [d for d in dates_in(ctx, s0, s1) if not is_period(text, *d)]
        owned = _date_owners(text, trig, sent_dates, s0, s1)
        listed = _listed_persons(ctx, sents, si)
        jm = _JOINED.match(text, s0, s1)
        if jm and (
            dates_in(ctx, s0, s1)
            or not any(c.sent_index >= si - 2 and c.type in _TALKS for c in out)
            or not person_keys_in(ctx, s0, s1)
        ):
            jm = None  # not an addition to the talks just reported (see _joined_participants)
        for ti, (etype, s, e) in enumerate(trig):
            seg = (trig[ti - 1][2] if ti else s0, trig[ti + 1][1] if ti + 1 < len(trig) else s1, s)
            if (
                etype in ("Termination", "Sanctions")
                and ti
                and trig[ti - 1][0] == "Decision"
                and _type_of("Decision", text, trig[ti - 1][2], s1) == etype
                and s - trig[ti - 1][2] < 120
            ):
                continue  # "решение прекратить действие …": one act, already taken with the decision
            if jm and s < s0 + jm.end():
                continue  # "Во встрече принял участие Z": the event reported before, Z is added to it
            if etype in ("Meeting", "Visit", "Inspection", "Consultation") and _is_generic(text, s0, s):
                continue
            if re.search(r"участник\w*\s+$", text[max(s0, s - 15) : s], re.I):
                continue  # "Участники встречи …": a back-reference
            t = _type_of(etype, text, e, s1)
            cs, ce = clause_bounds(text, s0, s1, s)
            window = text[max(s0, s - 100) : min(s1, e + 90)]
            if t in _ACTOR_EVENTS:
                planned = bool(re.search(r"будет|будут|планиру|намерен|предстоит", text[max(s0, s - 50) : s]))
                planned = planned or bool(
                    re.match(
                        r"(?:прекратит|прекратят|закроет|закроют|закроется|закроются)\b", text[s:e], re.I
                    )
                )
            else:
                planned = bool(_PLANNED.search(window)) or bool(
                    _PLANNED_WEAK.search(window) and not _PAST.search(window)
                )
            mine = owned[ti]
            persons, actors = _participants(ctx, cs, ce, seg, sent)
            if t not in _ACTOR_EVENTS and re.search(
                r"(?<![\w-])(?:он|она)\s+(?:[\w-]+\s+){0,2}$", text[cs:s], re.I
            ):
                # "В тот же день он провел переговоры с X": the pronoun is the person reported before
                who = last_entity_before(ctx, s0, {PERSON})
                if who and who not in persons:
                    persons = [who, *persons]
            if t == "Closure":
                persons = []  # bodies close institutions; a person named here reports it
            if t in ("Decision", "Termination", "Closure", "Sanctions"):
                # "в связи с решением правительства Японии": the body named right after the noun took it
                owner = [
                    en.key
                    for en, ms, _ in mentions_in(ctx, e, ce, ACTOR_TYPES - {PERSON, "MediaOutlet"})
                    if re.fullmatch(r"\s*", text[e:ms])
                ]
                if owner:
                    actors = owner[:1]
                if text[s:e].casefold().startswith("решени"):
                    # "решение японского правительства о …": the government's act, not the speaker's
                    gov = re.match(
                        r"\s+(?:[\w-]+(?:ого|ой|их)\s+)?(?:правительств|кабинет|власт|руководств)\w*",
                        text[e:ce],
                        re.I,
                    )
                    states = adjective_states(ctx, e, e + gov.end()) if gov else []
                    if owner or states:
                        persons = []
                        actors = owner[:1] or states[:1]
            if t == "Decision" and not text[s:e].casefold().startswith("решени"):
                # the adopting body is the verb's subject; who prepared the document is not
                subj = unique_keys(mentions_in(ctx, cs, s, ACTOR_TYPES - {PERSON, "MediaOutlet"}))
                persons = [k for k, p in person_keys_in(ctx, cs, s)]
                actors = subj or actors
            if t == "Announcement" and re.match(_PUBLICATION, text[s:e], re.I):
                persons, actors = [], _publisher(ctx, s, e, cs, ce)
            venue = re.search(r"(?:на\s+полях|в\s+рамках|в\s+ходе)\s+$", text[max(s0, s - 15) : s])
            if t == "Forum" or (t == "Summit" and venue):
                # those who signed or spoke "в рамках форума", "на полях саммита" are not its participants
                persons = [k for k, p in person_keys_in(ctx, max(cs, seg[0]), min(ce, seg[1])) if p > s]
                if t == "Forum" and re.search(
                    r"(?:на\s+полях|в\s+рамках|в\s+ходе|во\s+время)\s+(?:[\w«»-]+\s+){0,4}$",
                    text[max(s0, s - 60) : s],
                    re.I,
                ):
                    persons = []  # "В рамках форума X встретился с Y": the meeting's participants
            if t == "Forum":
                # "российско-японский форум": the states in its name are not its participants
                named = set(adjective_states(ctx, max(s0, s - 60), e))
                actors = [k for k in actors if k not in named]
            if listed and t in ("Meeting", "Forum", "Summit", "Consultation"):
                persons = persons + [k for k in listed if k not in persons]
            ordinal = find_ordinal(text, max(s0, s - 40), s)
            if ordinal is None and t in ("Meeting", "Forum", "Consultation"):
                ordinal = _ordinal_after(text, e, s1)
            anaphor = (
                t in _TALKS | {"PressConference", "Forum"}
                and not mine
                and ordinal is None
                and (
                    not persons
                    and bool(_ANAPHOR_BEFORE.search(text[max(s0, s - 30) : s]))
                    and not re.match(r"\s+(?:(?:с|со|между)\s|[А-ЯЁ«])", text[e : e + 9])
                    or bool(_TIME_REF_BEFORE.search(text[max(s0, s - 30) : s]))
                )
            )
            if anaphor:
                actors = []  # the sides of what was signed "по итогам встречи" did not hold the meeting
            base = dict(
                type=t, start=s, end=e, sent=sent, sent_index=si, persons=persons, actors=actors, anaphor=anaphor,
                headline=si == 0 and not text[s0:s1].rstrip().endswith(".") and text[s1 : s1 + 1] in ("\n", ""),
                near=set(unique_keys(mentions_in(ctx, s0, s1, ACTOR_TYPES - {PERSON}))) | set(adjective_states(ctx, s0, s1)),
                place=_place(ctx, t, cs, ce), ordinal=ordinal, planned=planned,
                complement=_complement(text, e, s1),
                topics=[t for t in [_topic(text, e, s1)] if t and _real_topic(t)], evidence=[Span(s0, s1)],
                session=t == "Meeting" and text[s:e].casefold().startswith("заседани"),
            )  # fmt: skip
            word = text[s:e].casefold()
            plural = word.endswith(("и", "ах", "ами", "ов", "ам")) and t in ("Inspection", "Visit", "Meeting")
            day_dates = [d for d in mine if d[1].start.day and d[1].end is None]
            if (
                plural
                and len(day_dates) >= 2
                and re.search(r"\sи\s", text[day_dates[0][0].end : day_dates[1][0].start])
            ):
                for _sp, dv in day_dates:
                    out.append(_Cand(date=dv, **base))
                continue
            date = nearest_date(mine, s, e)
            if planned:
                date = _forward(date, anchor)
            rel = _REL_DAY.search(text[s0:s])
            if rel and not mine:
                date = _relative_day(out, s0 + rel.start(), rel, planned)
            earlier = re.search(
                r"(?<![\w-])(?:ранее|прежде|накануне|когда-то|в\s+прошлом)(?![\w-])", text[s0:s], re.I
            )
            if date is None and not planned and anchor and anchor.day and not earlier and not rel:
                lead = si < 3 or (genre == "Transcript" and _FIRST_PERSON.search(text[cs:ce]))
                if genre == "Transcript" and t in _ACTOR_EVENTS and not persons:
                    lead = (
                        False  # a government's act discussed in a Q&A did not happen on the day of the answer
                    )
                if lead:
                    date = DateValue(anchor, resolved_from="", relative=True)
            if date is None and not planned and si > 0:
                date = _heading_year(ctx, sents, si)
            if t == "Meeting" and plural and len(persons) >= 2:
                # "встречи X с A и B" → one meeting per counterpart
                with_m = re.search(r"\sс\s", text[e:ce])
                if with_m:
                    cut = e + with_m.start()
                    hosts = [k for k, p in person_keys_in(ctx, cs, ce) if p < cut]
                    guests = [k for k, p in person_keys_in(ctx, cs, ce) if p >= cut]
                    if len(guests) >= 2:
                        for g in guests:
                            out.append(_Cand(date=date, **{**base, "persons": hosts + [g]}))
                        continue
            out.append(_Cand(date=date, **base))
    _delegation_heads(ctx, sents, out)
    _forum_participants(ctx, sents, out)
    _joined_participants(ctx, sents, out)
    states = {e.key for e in ctx.entities if e.type == "State"}
    for i, c in enumerate(out):
        c.states = states
        for prev in out[:i]:
            if (
                prev.sent_index == c.sent_index
                and prev.end <= c.start
                and re.search(
                    r"(?:в\s+ходе|во\s+время|в\s+рамках)\s+$",
                    text[max(c.sent[0], prev.start - 12) : prev.start],
                    re.I,
                )
            ):
                c.during = id(prev)
    _borrow_pair(out, text)
    return out


_REL_DAY = re.compile(
    r"(?<![\w-])(?P<w>в\s+тот\s+же\s+день|в\s+этот\s+же\s+день|накануне|на\s+следующий\s+день|на\s+другой\s+день|"
    r"днем\s+позже|днём\s+позже|днем\s+ранее|днём\s+ранее)(?![\w-])",
    re.I,
)
_REL_SHIFT = {"в тот же день": 0, "в этот же день": 0, "накануне": -1, "на следующий день": 1, "на другой день": 1,
              "днем позже": 1, "днём позже": 1, "днем ранее": -1, "днём ранее": -1}  # fmt: skip
# "накануне переговоров", "на следующий день после визита": the event noun only dates another event
_TIME_REF_BEFORE = re.compile(r"(?<![\w-])(?:накануне|после|перед|до)\s+$", re.I)
_ANAPHOR_BEFORE = re.compile(
    r"(?:по\s+итогам|в\s+ходе|во\s+время|в\s+рамках|в\s+программе|на|после)\s+(?:(?:эт|данн|состоявш|прошедш|указанн)\w*\s+)?$",
    re.I,
)


# a sentence that only adds people to the talks just reported: "Во встрече принял участие Z",
# "В переговорах участвовали …", "Заседание провели сопредседатели комиссии – X и Y"
_JOINED = re.compile(
    r"\s*(?:(?:со\s+стороны\s+[\w-]+(?:\s+[\w-]+)?|также)\s+)?"
    r"(?:(?:в|во)\s+(?:(?:эт|данн|указанн)\w*\s+)?(?:встрече|беседе|переговорах|консультациях|заседании|ней|н[её]м|них)\s+"
    r"(?:также\s+|еще\s+|ещё\s+)?(?:(?:принял|принимал)\w*\s+участие|участвовал\w*)"
    r"|(?:заседание|встречу|переговоры|консультации)\s+(?:провел\w*|провод\w*|возглавил\w*|вел[аи]?|вели|открыл\w*|"
    r"председательствовал\w*))(?![\w-])",
    re.I,
)


def _joined_participants(ctx: Context, sents: list[tuple[int, int]], cands: list[_Cand]) -> None:
    """Fold a "во встрече принял участие Z" sentence into the talks reported just before it, adding Z."""
    for si, (s0, s1) in enumerate(sents):
        jm = _JOINED.match(ctx.text, s0, s1)
        if not jm:
            continue
        host = next((c for c in reversed(cands) if c.sent_index < si and c.type in _TALKS), None)
        if host is None or host.sent_index < si - 2:
            continue
        if dates_in(ctx, s0, s1):
            continue  # a dated event of its own, not an addition
        joined = [k for k, _ in person_keys_in(ctx, s0, s1)]
        if not joined:
            continue
        chairs = "участ" not in jm[0].casefold()  # "Заседание провели X и Y": they held it
        if chairs and not host.persons:
            states = {e.key for e in ctx.entities if e.type == "State"}
            host.actors = [k for k in host.actors if k in states]  # the body itself did not attend
        host.persons = host.persons + [k for k in joined if k not in host.persons]
        host.evidence.append(Span(s0, s1))


def _forward(d: DateValue | None, anchor: PartialDate | None) -> DateValue | None:
    """A planned event "в феврале" written in October is next February: a month without a stated year that
    falls before the document date moves to the next year."""
    if d is None or anchor is None or not anchor.year or not anchor.month or not d.relative:
        return d
    p = d.start
    if p.year != anchor.year or not p.month or re.search(r"\d{4}|год|г\.", d.resolved_from, re.I):
        return d
    if (p.month, p.day or 31) >= (anchor.month, anchor.day or 1):
        return d

    def bump(x: PartialDate | None) -> PartialDate | None:
        return replace(x, year=x.year + 1) if x is not None and x.year is not None else x

    return DateValue(bump(p), bump(d.end), resolved_from=d.resolved_from, relative=True)


def _relative_day(cands: list[_Cand], pos: int, rel: re.Match, planned: bool = False) -> DateValue | None:
    """ "в тот же день", "накануне", "на следующий день": the day of the event reported just before, copied or
    shifted; nothing when that event is not dated to the day."""
    import datetime as dt

    prev = [c for c in cands if c.start < pos and not c.anaphor and (planned or not c.planned)]
    named = re.match(r"\s+(?:после\s+)?([а-яё-]+)", rel.string[rel.end() :], re.I)
    if named and not (rel["w"].casefold() == "накануне" or "после" in named[0].casefold()):
        named = None
    if named and not any(p.tag.POS == "NOUN" for p in _morph().parse(named[1].casefold())[:1]):
        named = None
    if named:
        # "накануне переговоров", "на следующий день после визита": the event named, not the last one
        kind = next((t for t, rx in _TRIGGER_RX if rx.fullmatch(named[1])), None)
        if kind:
            prev = [c for c in prev if _same_type(c.type, kind)]
    if not prev:
        return None
    # the last sentence that reported an event; a mention there without a date (a subsumed "закрытии") is
    # not the event itself
    last = [
        c
        for c in prev
        if c.sent_index == prev[-1].sent_index and c.date is not None and not _inferred(c.date)
    ]
    if not last:
        return None
    d = last[-1].date
    p = d.start
    if d.end is not None or p.year is None or not p.month or not p.day:
        return None
    shift = _REL_SHIFT[re.sub(r"\s+", " ", rel["w"].casefold())]
    day = dt.date(p.year, p.month, p.day) + dt.timedelta(days=shift)
    return DateValue(PartialDate(day.year, day.month, day.day), resolved_from=rel["w"], relative=True)


def _resolve_anaphors(cands: list[_Cand]) -> list[_Cand]:
    """An undated, unnamed "встреча" after "по итогам/в ходе/на" is the talks already reported: its sentence
    becomes evidence of that event instead of a new one."""
    out: list[_Cand] = []
    for c in cands:
        if c.anaphor:
            target = next(
                (
                    o
                    for o in reversed(out)
                    if o.sent_index < c.sent_index
                    and (
                        _same_type(o.type, c.type)
                        or {o.type, c.type} <= _TALKS - {"Visit", "BusinessMission"}
                    )
                ),
                None,
            )
            if target is not None:
                target.evidence += [sp for sp in c.evidence if sp not in target.evidence]
                target.members.append(id(c))
                target.sent_set = (target.sent_set or {target.sent_index}) | {c.sent_index}
                continue
            if c.type == "Negotiation":
                continue  # "в ходе переговоров" with nothing reported before: nothing to say about them
        out.append(c)
    return out


def _date_owners(text: str, trig: list[tuple[str, int, int]], dates: list, s0: int, s1: int) -> list[list]:
    """Each date of a sentence goes to its nearest trigger; a trigger without one borrows the dates of the event
    it happened during ("решение, принятое в ходе их переговоров … в конце мая") or, in a relative clause
    ("визиты … 30 июля и 26 августа, в ходе которых были проведены проверки"), those of its antecedent."""
    owned: list[list] = [[] for _ in trig]
    clauses = [clause_bounds(text, s0, s1, s) for _, s, _ in trig]
    for d in dates:
        dist = []
        for i, (_, s, e) in enumerate(trig):
            gap = s - d[0].end if d[0].end <= s else max(0, d[0].start - e)
            same_clause = clauses[i][0] <= d[0].start < clauses[i][1]
            dist.append((not same_clause, gap, i))
        owned[min(dist)[2]].append(d)
    for i, (t, s, e) in enumerate(trig):
        if owned[i]:
            continue
        if i and trig[i - 1][0] == t and owned[i - 1] and re.search(r"\sи\s", text[trig[i - 1][2] : s]):
            owned[i] = owned[i - 1]  # "заседаний рабочей группы A и рабочей группы B"
            continue
        if (
            i
            and owned[i - 1]
            and re.search(
                r"(?:(?<![\w-])на|в\s+ходе|во\s+время|в\s+рамках)\s+(?:[\w-]+\s+){0,3}$",
                text[trig[i - 1][2] : s],
            )
            and "." not in text[trig[i - 1][2] : s]
        ):
            owned[i] = owned[i - 1]  # "встретятся … в первой декаде сентября на Четвертом … форуме"
            continue
        if t not in _ACTOR_EVENTS:
            continue
        cs, ce = clause_bounds(text, s0, s1, s)
        ce = _relative_end(text, ce, s1)
        for j, (_, s2, _e2) in enumerate(trig):
            if (
                j != i
                and owned[j]
                and e <= s2 <= ce
                and re.search(r"(?:в\s+ходе|во\s+время|по\s+итогам|на)\s+(?:[\w-]+\s+){0,2}$", text[e:s2])
            ):
                owned[i] = owned[j]
                break
    for i, (_t, s, _e) in enumerate(trig):
        cs, _ce = clause_bounds(text, s0, s1, s)
        if not owned[i] and re.search(r"котор\w*\s*$", text[max(0, cs - 12) : cs]):
            ps, pe = clause_bounds(text, s0, s1, max(s0, cs - 13))
            for j, (_, s2, _e2) in enumerate(trig):
                if j != i and owned[j] and ps <= s2 < pe:
                    owned[i] = owned[j]
                    break
    return owned


_DELEGATION = re.compile(
    r"делегаци\w*\s+(?:[\w-]+\s+){0,3}?(?:возглав|руковод)\w*|во\s+главе\s+с|делегаци\w+\s+возглав", re.I
)


def _delegation_heads(ctx: Context, sents: list[tuple[int, int]], cands: list[_Cand]) -> None:
    """ "Российскую делегацию возглавлял X, японскую – Y": X and Y take part in the event just reported."""
    for si, (s0, s1) in enumerate(sents):
        if not _DELEGATION.search(ctx.text, s0, s1):
            continue
        heads = [k for k, _ in person_keys_in(ctx, s0, s1)]
        if not heads:
            continue
        for c in reversed(cands):
            if si - 2 <= c.sent_index <= si and not c.planned and c.type in _TALKS:
                c.persons = c.persons + [k for k in heads if k not in c.persons]
                break


def _publisher(ctx: Context, s: int, e: int, cs: int, ce: int) -> list[str]:
    """Who made a document public: the body in the instrumental right after a participle ("опубликованная …
    Министерством обороны"), else the subject before the verb ("МИД обнародовал"), else the last body before
    ("Ведомство опубликовало …")."""
    bodies = ACTOR_TYPES - {PERSON, "MediaOutlet"}
    if re.search(r"нн\w*$|вш\w*$", ctx.text[s:e]):
        after = [en.key for en, ms, _ in mentions_in(ctx, e, min(ce, e + 60), bodies)]
        if after:
            return after[:1]
    before = [en.key for en, _, _ in mentions_in(ctx, cs, s, bodies)]
    if before:
        return before[-1:]
    if re.search(r"(?<![\w-])(?:ведомств|министерств)\w*\s+(?:[\w-]+\s+)?$", ctx.text[cs:s], re.I):
        k = last_entity_before(ctx, s, {"GovernmentBody"})
        if k:
            return [k]
    return unique_keys(mentions_in(ctx, cs, ce, bodies))[:1]


# persons who open or take part in a forum: "Форум открыли X и Y", "в работе форума приняли участие …",
# "с приветствием (к участникам) выступил X"
_FORUM_ROLE = re.compile(
    r"(?<![\w-])(?:открыл[аи]?|открывал[аи]?|приня\w*\s+участие|участвовал[аи]?|модериров\w*|"
    r"с\s+приветств\w*\s+(?:[\w-]+\s+){0,4}?(?:выступил|обратил)\w*|"
    r"(?:выступил|обратил)\w*\s+(?:[\w-]+\s+){0,3}?с\s+(?:[\w-]+\s+)?приветств\w*)"
    r"(?![\w-])",
    re.I,
)
_FORUM_LIKE = {"Forum"}


def _forum_participants(ctx: Context, sents: list[tuple[int, int]], cands: list[_Cand]) -> None:
    """A forum's participants are the persons said to open it or take part in it (its sentence or the next two),
    not the states in its name ("российско-японский форум")."""
    text = ctx.text
    for c in cands:
        if c.type not in _FORUM_LIKE or c.anaphor:
            continue
        found: list[str] = []
        for si in range(c.sent_index, min(len(sents), c.sent_index + 3)):
            a, b = sents[si]
            if si > c.sent_index and any(o.sent_index == si and o.type not in _FORUM_LIKE for o in cands):
                break  # another event is reported there
            for m in _FORUM_ROLE.finditer(text, a, b):
                if si == c.sent_index and m.start() < c.start:
                    continue
                ca, cb = clause_bounds(text, a, b, m.start())
                cb = max(cb, _list_end(text, m.end(), b))
                found += [k for k, _ in person_keys_in(ctx, ca, cb) if k not in found]
        if found:
            c.persons = c.persons + [k for k in found if k not in c.persons]


def _list_end(text: str, pos: int, end: int) -> int:
    """A list of names after a participation verb runs over commas to the sentence end."""
    return end if re.match(r"[^.;]*,", text[pos:end]) else pos


def _heading_year(ctx: Context, sents: list[tuple[int, int]], si: int) -> DateValue | None:
    """A section subhead right before ("Япония отвернулась от России в 2022 году") dates its section's
    undated events, at year precision."""
    a, b = sents[si - 1]
    text = ctx.text
    own_line = text[max(0, a - 1) : a] in ("\n", "") and text[b : b + 1] in ("\n", "")
    if not own_line or len(text[a:b]) > 110:
        return None
    for _, dv in dates_in(ctx, a, b):
        if dv.start.year and dv.end is None:
            return DateValue(PartialDate(dv.start.year), resolved_from=dv.resolved_from, relative=dv.relative)
    return None


def _borrow_pair(cands: list[_Cand], text: str) -> None:
    """ "следующую встречу двух министров" → the persons of the last meeting with two or more persons."""
    for i, c in enumerate(cands):
        pair_subject = re.match(
            r"\s*(?:[Мм]инистры|[Лл]идеры|[Сс]тороны|[Гг]лавы\s+(?:[\w-]+\s+){0,2}?|[Пп]резиденты|[Пп]ремьеры|[Оо]ни)\s+"
            r"(?:также\s+|вновь\s+)?(?:договорились|условились|согласились|решили|намерены|планируют)\b",
            text[c.sent[0] : c.start],
        )  # "Министры договорились провести следующий раунд переговоров …": the same two
        if (
            c.persons
            or c.session
            or not (
                pair_subject
                or re.search(
                    r"двух\s+(?:министров|лидеров|глав|руководителей|президентов|премьер)",
                    text[c.end : c.end + 40],
                )
            )
        ):
            continue
        for prev in reversed(cands[:i]):
            if _same_type(prev.type, c.type) and len(prev.persons) >= 2:
                c.persons = list(prev.persons)
                break


def _iso(d: DateValue | None) -> str | None:
    return d.start.iso() if d else None


def _real_topic(topic: str) -> bool:
    """A topic is a phrase, not a bare pronoun or number."""
    return not re.fullmatch(r"(?:этом|том|нем|них|\d+)", topic.casefold())


def _inferred(d: DateValue | None) -> bool:
    """A date taken from the document date rather than the text (headline and lead events)."""
    return d is not None and d.relative and not d.resolved_from


def _date_compat(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    x, y = a.start, b.start
    if x.year is not None and y.year is not None:
        sx, sy = x.iso(), y.iso()
        return sx.startswith(sy) or sy.startswith(sx)
    if (x.month and y.month and x.month != y.month) or (x.day and y.day and x.day != y.day):
        return False
    return True


def _precision_rank(d: DateValue | None) -> int:
    if d is None:
        return 0
    p = d.start
    return (p.year is not None) + 2 * bool(p.month) + 2 * bool(p.day)


def _same_type(a: str, b: str) -> bool:
    return a == b or any(a in g and b in g for g in _MERGE_GROUPS)


_GENERIC_WORDS = re.compile(r"уровн|вопрос|област|сфер|рамк|темам|тема|проблем", re.I)


def _same_topic(x: str, y: str) -> bool:
    """Whether two complements can name the same event ("по рыболовству" ~ "по вопросам рыболовства")."""

    def stems(s: str) -> set[str]:
        return {w[:5] for w in re.findall(r"\w{4,}", s.casefold()) if not _GENERIC_WORDS.match(w)}

    sx, sy = stems(x), stems(y)
    return x == y or bool(sx & sy)


def _mergeable(a: _Cand, b: _Cand) -> bool:
    if not _same_type(a.type, b.type) or a.planned != b.planned:
        return False
    if 0 in (a.sent_index, b.sent_index) and a.sent_index != b.sent_index:
        # the headline summarises the body: its event is the body's event of that type, when the sides it
        # names ("Глава МИД Вьетнама встретился с японским коллегой") are among those of the body's sentence
        head = a if a.sent_index == 0 else b
        body = b if head is a else a
        if a.type == b.type:
            sides = not (head.persons and body.persons and not set(head.persons) & set(body.persons))
        elif not head.headline:
            sides = False  # a first sentence that is not a headline reports its own event
        elif head.persons:
            sides = set(head.persons) <= set(body.persons)
        else:
            sides = bool(set(head.actors) & (body.near | set(body.actors)))
        if sides:
            return _date_compat(a.date, b.date) or _inferred(head.date) or _inferred(body.date)
    if not _date_compat(a.date, b.date):
        # a date lent by the document date yields to the text's own date of the same persons' event
        bare_a, bare_b = not (a.persons or a.actors), not (b.persons or b.actors)
        vague = (_inferred(a.date) and (not a.persons or bare_b)) or (
            _inferred(b.date) and (not b.persons or bare_a)
        )
        if not ((_inferred(a.date) or _inferred(b.date)) and set(a.persons) & set(b.persons)) and not vague:
            return False
    if a.date is None and b.date is None and a.sent_index == b.sent_index:
        return False
    near = min(abs(x - y) for x in a.sent_set or {a.sent_index} for y in b.sent_set or {b.sent_index})
    if a.type != b.type and near <= 1 and (not (a.persons or a.actors) or not (b.persons or b.actors)):
        return True  # "X и Y провели переговоры …. Встреча прошла 14 ноября": the bare mention names the same talks
    if a.type != b.type:
        # "решение … прекратить" and "прекращение действия": one act only if dated alike and by the same body
        strong_a = set(a.persons) | {k for k in a.actors if k not in a.states}
        strong_b = set(b.persons) | {k for k in b.actors if k not in b.states}
        if not (a.date and b.date and strong_a & strong_b):
            return False
    if set(a.persons) & set(b.persons):
        return True
    if a.ordinal and b.ordinal and a.ordinal[0] == b.ordinal[0] and a.type == b.type:
        return True  # "XXVII Встречи …" and "XXVII Встрече": one numbered event
    if (
        a.type == b.type in _ACTOR_EVENTS
        and near <= 1
        and not (a.persons or b.persons)
        and (set(a.actors) & b.near or set(b.actors) & a.near)
    ):
        return True  # a question's "решение Японии" and the answer's "решение японского правительства"
    if a.persons and b.persons:
        return False
    bare_a, bare_b = not (a.persons or a.actors), not (b.persons or b.actors)
    if a.complement and b.complement and not _same_topic(a.complement, b.complement):
        if a.type in _TOPICAL or bare_a and bare_b:
            return False
    if a.ordinal and b.ordinal and a.ordinal[0] != b.ordinal[0]:
        return False
    if a.actors and b.actors and not set(a.actors) & set(b.actors) and not (a.persons or b.persons):
        return False
    return True


def _merge(a: _Cand, b: _Cand) -> _Cand:
    if a.date is None or b.date is None:
        date = a.date or b.date
    elif _inferred(a.date) != _inferred(b.date):
        date = b.date if _inferred(a.date) else a.date
    else:
        date = a.date if _precision_rank(a.date) >= _precision_rank(b.date) else b.date
    keep_type = a.type if a.type != "Negotiation" else b.type
    return replace(
        a,
        type=keep_type,
        date=date,
        persons=a.persons + [p for p in b.persons if p not in a.persons],
        actors=a.actors + [p for p in b.actors if p not in a.actors],
        place=a.place or b.place,
        ordinal=a.ordinal or b.ordinal,
        complement=a.complement or b.complement,
        evidence=a.evidence + [s for s in b.evidence if s not in a.evidence],
        members=a.members + b.members,
        sent_set=(a.sent_set or {a.sent_index}) | (b.sent_set or {b.sent_index}),
        topics=a.topics + [t for t in b.topics if t not in a.topics],
        during=a.during or b.during,
        near=a.near | b.near,
        session=a.session or b.session,
    )


def _subsume(cands: list[_Cand]) -> list[_Cand]:
    out = []
    for c in cands:
        if any(
            (c.type, o.type) in _SUBSUMED
            and o.sent_index == c.sent_index
            and (c.date is None or _iso(o.date) == _iso(c.date))
            for o in cands
        ):
            continue
        out.append(c)
    return out


_CLOSING = re.compile(r"закры|прекращ\w*\s+(?:\w+\s+)?(?:деятельност|работ)", re.I)


def _fold_closures(merged: list[_Cand]) -> list[_Cand]:
    """A decision to close an institution is the closure event (gold: Decision, alt Closure): later mentions of
    the closing ("центры были закрыты", "при принятии решения о закрытии") that add no date of their own are
    that decision, not new events; a planned closure at a later date stays separate."""
    decisions = [
        m
        for m in merged
        if m.type == "Decision" and m.date is not None and _CLOSING.search(m.complement or "")
    ]
    if not decisions:
        return merged
    out = []
    for m in merged:
        closing = m.type == "Closure" or (m.type == "Decision" and _CLOSING.search(m.complement or ""))
        own_date = m.date is not None and not _inferred(m.date)
        if closing and m not in decisions and not m.planned and not m.persons and not own_date:
            d = decisions[0]
            if _date_compat(d.date, m.date) or m.date is None or _inferred(m.date):
                d.evidence += [sp for sp in m.evidence if sp not in d.evidence]
                d.members += m.members
                continue
        out.append(m)
    return out


def _drop_unsupported(ctx: Context, cands: list[_Cand]) -> list[_Cand]:
    """Drop bare, undated, participant-less mentions that add nothing (e.g. "переговоры были полезными")."""
    return [c for c in cands if c.type != "Negotiation" or c.persons or c.actors or c.date or c.anaphor]


def extract_events(ctx: Context) -> list[Event]:
    """Context → events, one per real event mentioned (merged across the document)."""
    cands = _drop_unsupported(ctx, _subsume(_candidates(ctx)))
    for c in cands:
        c.members = [id(c)]
    cands = _resolve_anaphors(cands)
    merged: list[_Cand] = []
    for c in cands:
        for i, m in enumerate(merged):
            if _mergeable(m, c):
                merged[i] = _merge(m, c)
                break
        else:
            merged.append(c)
    merged = _fold_closures(merged)
    # an undated event that happened during another takes that event's date (its interval)
    owner = {mid: m for m in merged for mid in m.members}
    for m in merged:
        host = owner.get(m.during) if m.during else None
        if m.date is None and host is not None and host is not m and host.date is not None:
            m.date = host.date
    ru, jp = state_key(ctx, "russia"), state_key(ctx, "japan")
    events = []
    for c in merged:
        parts = c.persons or c.actors
        if (
            (c.type in _BILATERAL or c.session)
            and set(c.persons) <= {doc_speaker(ctx)}
            and not any(k in (ru, jp) for k in parts)
        ):
            parts = parts + [k for k in (ru, jp) if k]
        label = TYPE_RU.get(c.type, c.type)
        if c.ordinal:
            label = f"{c.ordinal[1]} {label}"
        events.append(
            Event(
                type=c.type,
                label=label,
                evidence=tuple(c.evidence),
                date=c.date,
                place=c.place,
                participants=tuple(Participant(k, capacity=_capacity(ctx, k, c.evidence)) for k in parts),
                ordinal=c.ordinal[0] if c.ordinal else None,
                ordinal_as_written=c.ordinal[1] if c.ordinal else None,
                planned=c.planned,
                topics=tuple(c.topics),
            )
        )
    return events


def _capacity(ctx: Context, person: str, evidence: list[Span]) -> str | None:
    """The post a participant is named with in the event's own sentences ("встреча Министра … Коно")."""
    for p in ctx.posts:
        if p.person == person and any(
            sp.start <= ev.start and ev.end <= sp.end for ev in p.evidence for sp in evidence
        ):
            return p.full_title or p.title
    return None


_TOPIC = re.compile(
    r"\s+(?:по\s+(?:вопросам|вопросу|проблематике|теме|темам)?\s*|о\s+|об\s+)"
    r"(?P<topic>[а-яё][\w-]*(?:\s+(?!и\s+(?:подтверди|обсуди|договори))[\w-]+){0,7})",
    re.I,
)


def _topic(text: str, e: int, s1: int) -> str | None:
    """ "консультации по вопросам стратегической стабильности" → "стратегической стабильности"."""
    stop = re.search(r"[,.;:()«»]|\s[—–]\s|\sи\s+(?:рабоч|заседа|встреч|консульт)", text[e:s1])
    end = e + stop.start() if stop else s1
    m = re.compile(r"(?:\s+[\w-]+){0,4}?" + _TOPIC.pattern, re.I).match(text, e, end)
    if not m or re.match(r"(?:итогам|случаю|приглашению|словам|мнению|линии|каналам)\b", m["topic"], re.I):
        return None
    topic = re.split(r"\s+(?:в|во|на|с|между|который|которая|которые|которое)\s", m["topic"])[0]
    return topic if len(topic) >= 4 else None


__all__ = ["extract_events", "find_ordinal", "roman_to_int"]
