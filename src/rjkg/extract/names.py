"""Named entities of a document: candidates from the gazetteer (by lemma), name patterns (initials, surname-first
capitals), organisation grammars and natasha NER; overlaps resolved (longest wins, nested names of another type
kept); then within-document coreference ("Хаяси" = "Есимаса Хаяси", "Т. Коно" = "Таро Коно") into one Entity each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rjkg.extract import gazmatch, orgs, places
from rjkg.extract.context import Context, Sentence, Token
from rjkg.extract.morphology import (
    nominative,
    person_name_nominative,
    person_word,
    surname_forms,
    surname_nominative,
)
from rjkg.extract.posts import POST_HEADS
from rjkg.records import Entity, Span
from rjkg.resolve import load_gazetteer, norm, person_matches

# types whose gazetteer name is a short form: the text's longer form ("Сумитомо Корпорейшн") is kept as the name
LONG_FORM_TYPES = frozenset({"Company", "Bank"})
# source priority when two candidates cover the same text (lower wins)
PRIORITY = {"gaz": 0, "person": 1, "org": 2, "quote": 2, "ner": 3, "coref": 4}
# words natasha tags as names that are descriptors, not names
DESCRIPTORS = {
    "генсек",
    "тор",
    "свободный порт",
    "президент",
    "премьер",
    "министр",
    "мэр",
    "глава",
    "сторона",
    "стороны",
    "встреча",
    "центр",
    "правительство",
    "коммюнике",
    "участник",
    "председатель",
}
_CAP = r"[А-ЯЁ]"
_LOW = r"[а-яё]"
_SURNAME = rf"{_CAP}{_LOW}+(?:-{_CAP}{_LOW}+)?"
# "С.В. Лаврова", "В.В.Путина", "Т. Коно", "С.Абэ"
INITIALS_FIRST = re.compile(rf"(?<![\w.])({_CAP})\.\s?(?:({_CAP})\.\s?)?({_SURNAME})(?!\w)(?!\.\w)")
# "Калита В. С.", "Иванова Т.Н.", "Кравчук С. А." (the last dot may be missing: "Калита В. С")
SURNAME_FIRST = re.compile(
    rf"(?<![\w.])({_SURNAME})\s+({_CAP})\.\s?(?:({_CAP})\.?)?(?!\.?\s?{_CAP}{_LOW})(?![\w])"
)
# "НАКАХАРА Яити", "ТАТАМИ Рёдзо"
CAPS_SURNAME = re.compile(rf"(?<![\w.])({_CAP}{{3,}}(?:-{_CAP}{{2,}})?)\s+({_CAP}{_LOW}+)(?![\w])")


@dataclass
class Cand:
    start: int
    end: int
    type: str
    name: str
    source: str
    slug: str | None = None
    aliases: tuple[str, ...] = ()
    name_en: str | None = None
    # persons: normalised surname, given names, initials
    surname: str | None = None
    given: tuple[str, ...] = ()
    initials: frozenset[str] = field(default_factory=frozenset)

    @property
    def length(self) -> int:
        return self.end - self.start


def _e(s: str) -> str:
    return s.replace("ё", "е").replace("Ё", "Е")


def _tokens_in(s: Sentence, start: int, end: int) -> list[Token]:
    return [t for t in s.tokens if start <= t.start and t.end <= end]


def _token_at(s: Sentence, start: int, end: int) -> Token | None:
    for t in s.tokens:
        if t.start == start and t.end == end:
            return t
    return None


def _fake_token(text: str, start: int) -> Token:
    return Token(start, start + len(text), text, text.lower(), "PROPN", {})


def _person_from_words(words: list[Token], source: str) -> Cand | None:
    """'Имя Фамилия' (or 'Имя Отчество Фамилия', or a lone surname) from name tokens."""
    words = [w for w in words if re.match(r"[^\W\d_]", w.text)]
    while words and words[0].lemma in POST_WORDS | DESCRIPTORS:
        words = words[1:]
    if any(len(w.text) == 1 for w in words):
        return None  # initials: the name patterns handle them
    if not words or any(not w.text[:1].isupper() for w in words):
        return None
    if len(words) == 1 and (words[0].pos == "ADJ" or _adjective(words[0].text)):
        return None  # "Гватемальская (сторона)": an adjective is not a person
    nom = person_name_nominative(words)
    if len(nom) == 1 and norm(nom[0]) in DESCRIPTORS:
        return None
    surname = nom[-1]
    given = tuple(nom[:-1])
    return Cand(
        words[0].start,
        words[-1].end,
        "Person",
        " ".join(nom),
        source,
        surname=surname,
        given=given,
        initials=frozenset(g[0].upper() for g in given),
    )


def _adjective(word: str) -> bool:
    from rjkg.extract.nlp import parse

    ps = parse(word)[:2]
    return bool(ps) and all(p.tag.POS == "ADJF" for p in ps)


# words in front of a state's name: "Королевством Тонга", "Республикой Гана", "страна Бутан"
STATE_DESCRIPTORS = {"республика", "королевство", "княжество", "султанат", "эмират", "государство", "страна"}


# words that introduce a person without being part of the name: every post head posts.py knows, plus forms of address
POST_WORDS = POST_HEADS | {"господин", "госпожа", "г-н", "г-жа", "коллега", "журналист", "принц"}


def _initials_cand(start: int, end: int, surname: str, inits: list[str]) -> Cand:
    """A person named by surname and initials, in the gold's "Surname I. O." form."""
    return Cand(
        start, end, "Person", f"{surname} {' '.join(i + '.' for i in inits)}", "person",
        surname=surname, initials=frozenset(inits[:1]),
    )  # fmt: skip


def _not_a_surname(word: str) -> bool:
    """A capitalised word that is a place, an organisation or a post, not a surname."""
    from rjkg.extract.nlp import parse

    ps = parse(word)[:3]
    if any(("Geox" in p.tag or "Orgn" in p.tag) for p in ps):
        return True
    return bool(ps) and ps[0].normal_form in POST_WORDS


@lru_cache(maxsize=1)
def _gaz_upper() -> frozenset[str]:
    """Upper-case words of the gazetteer's names (abbreviations: МВД, МИД, ООН …), never a surname in capitals."""
    return frozenset(
        norm(w)
        for e in load_gazetteer().entries
        for a in (e.name_ru, *e.aliases)
        for w in a.split()
        if w.isupper()
    )


def _is_abbreviation(word: str) -> bool:
    from rjkg.extract.nlp import parse

    return any("Abbr" in p.tag for p in parse(word)[:3])


def find_persons(s: Sentence, text: str) -> list[Cand]:
    chunk = text[s.start : s.end]
    out: list[Cand] = []
    for m in INITIALS_FIRST.finditer(chunk):
        start, end = s.start + m.start(), s.start + m.end()
        tok = _token_at(s, s.start + m.start(3), s.start + m.end(3)) or _fake_token(
            m.group(3), s.start + m.start(3)
        )
        inits = [x for x in (m.group(1), m.group(2)) if x]
        out.append(_initials_cand(start, end, surname_nominative(tok), inits))
    for m in SURNAME_FIRST.finditer(chunk):
        if norm(m.group(1)) in DESCRIPTORS or _not_a_surname(m.group(1)):
            continue
        start, end = s.start + m.start(), s.start + m.end()
        inits = [x for x in (m.group(2), m.group(3)) if x]
        tok = _token_at(s, s.start + m.start(1), s.start + m.end(1)) or _fake_token(
            m.group(1), s.start + m.start(1)
        )
        out.append(_initials_cand(start, end, surname_nominative(tok, trust_case=False), inits))
    gaz_upper = _gaz_upper()
    for m in CAPS_SURNAME.finditer(chunk):
        caps, given = m.group(1), m.group(2)
        if (
            norm(caps) in gaz_upper
            or _is_abbreviation(caps)
            or caps
            in (
                "КОММЮНИКЕ",
                "ЗАЯВЛЕНИЕ",
                "СОВМЕСТНОЕ",
                "МЕМОРАНДУМ",
                "ПРОТОКОЛ",
            )
        ):
            continue
        surname = caps[0] + caps[1:].lower()
        if "-" in surname:
            surname = "-".join(p[:1].upper() + p[1:].lower() for p in caps.split("-"))
        start, end = s.start + m.start(), s.start + m.end()
        out.append(
            Cand(
                start,
                end,
                "Person",
                f"{surname} {given}",
                "person",
                surname=surname,
                given=(given,),
                initials=frozenset(given[0]),
            )
        )
    return out


# separators of a list written on one line ("Москва • Токио • Сеул"): never inside one name
_LIST_SEP = re.compile(r"\s*[•·|]\s*")


def _split_lists(text: str, spans) -> list[tuple[str, int, int]]:
    """natasha spans cut at list separators: "Спартак • Динамо" is two names, not one."""
    out = []
    for typ, start, end in spans:
        at = start
        for m in _LIST_SEP.finditer(text, start, end):
            if m.start() > at:
                out.append((typ, at, m.start()))
            at = m.end()
        if end > at:
            out.append((typ, at, end))
    return out


def _ner(ctx: Context) -> list[Cand]:
    """natasha NER spans (computed once in build_context), typed: PER → Person; LOC by its words; ORG by its head
    noun (an ORG without a known head word is left to the other grammars)."""
    out: list[Cand] = []
    per_starts = frozenset(start for typ, start, _ in ctx.ner if typ == "PER")
    for typ, start, end in _split_lists(ctx.text, ctx.ner):
        s = ctx.sentence_at(start)
        if s is None or end > s.end:
            continue
        # cut trailing brackets/quotes natasha sometimes swallows: "Японии (METI)"
        raw, raw_end = ctx.text[start:end], end
        cut = re.search(r"\s*[(«»\"]", raw)
        if cut and cut.start() > 0:
            end = start + cut.start()
        toks = _tokens_in(s, start, end)
        if not toks or re.search(r"[\t\n]", ctx.text[start:end]):
            continue
        if typ == "PER":
            c = _person_from_words(toks, "ner")
            if c:
                out.append(c)
                out += _bracketed_original(ctx.text, c, end, raw_end)
        elif typ == "LOC":
            if (len(toks) == 1 and not toks[0].text[:1].isupper()) or all(t.pos == "ADJ" for t in toks):
                continue  # "Российско-Японский (центр)": an adjective is not a place
            prev = [t for t in s.tokens if t.end <= start]
            known = load_gazetteer().lookup(" ".join(_nom(toks)))
            if prev and prev[-1].lemma in places.REGION_DESCRIPTORS and _word(prev[-1]) and not known:
                # "префектурой Хёго" → Region "Префектура Хёго"
                desc = nominative(prev[-1])
                name = " ".join([desc[:1].upper() + desc[1:], *(t.text for t in toks)])
                out.append(Cand(prev[-1].start, end, "Region", name, "ner"))
                continue
            if toks[0].lemma in STATE_DESCRIPTORS and len(toks) > 1:
                gz = [e for e in load_gazetteer().lookup(" ".join(_nom(toks[1:]))) if e.type == "State"]
                if gz:  # "Республикой Гана" is Ghana
                    out.append(Cand(start, end, "State", gz[0].name_ru, "ner", slug=gz[0].slug))
                    continue
            if prev and prev[-1].lemma in STATE_DESCRIPTORS and not known:
                out.append(Cand(start, end, "State", " ".join(_nom(toks)), "ner"))  # "страна Бутан"
                continue
            if _japanese_full_name(toks):  # natasha takes "Ёсики Тада" for a place
                c = _person_from_words(toks, "ner")
                if c:
                    out.append(c)
                continue
            out.append(Cand(start, end, places.loc_type(toks), " ".join(_nom(toks)), "ner"))
        elif typ == "ORG":
            for part in orgs.split_coordinated(toks):
                heads = [t for t in part if t.lemma in orgs.ORG_HEADS]
                if orgs.not_an_org(part):
                    continue  # "Призовой фонд": money, not a body
                nxt = [t for t in s.tokens if t.start >= part[-1].end][:1]
                if heads and nxt and nxt[0].start > part[-1].end and orgs._latin_name(tuple(nxt)):
                    continue  # "Международный фонд" of "Международный фонд WWF": the descriptor of a Latin name
                noun = next((t for t in part if t.pos != "ADJ" and _word(t)), None)
                if noun is not None and noun.lemma in NOT_ORG_CUES and not noun.text.isupper():
                    continue  # "Шахматный турнир …", "Фестиваль …": an event or a work named with its kind
                if not heads or len(part) < 2:
                    c = _ner_named_org(s, part, per_starts)
                else:
                    name = orgs._join(part, _nom(part))  # the text's spacing: "хозяйства, лесного"
                    c = Cand(part[0].start, part[-1].end, orgs._org_type(heads[0], name), name, "ner")
                if c:
                    out.append(c)
                    if part[-1].end == end:
                        out += _bracketed_original(ctx.text, c, end, raw_end)
    return out


# lower-case words allowed inside a named organisation natasha finds ("Союз правых сил", "Bank of Japan")
# common-noun abbreviations and words natasha tags as organisations: media in general, the internet, legal forms
# single words that name a parliament when capitalised inside a sentence ("закон приняла Дума")
PARLIAMENTS = {"дума", "парламент", "сенат", "конгресс", "сейм", "рада", "кнессет", "меджлис", "бундестаг"}
# words before a name that make it a vehicle, a product, an event or a work, not an organisation
NOT_ORG_CUES = {
    "шаттл", "корабль", "спутник", "самолёт", "самолет", "ракета", "телескоп", "судно", "лайнер", "автомобиль",
    "модуль", "аппарат", "подлодка", "крейсер", "турнир", "фестиваль", "фильм", "сериал", "альбом", "песня",
    "книга", "роман",
}  # fmt: skip
NOT_ORG_NAMES = {
    "сми",
    "интернет",
    "гуп",
    "муп",
    "фгуп",
    "оао",
    "зао",
    "ооо",
    "пао",
    "ао",
    "нко",
    "вуз",
    "нии",
    "жж",
}
_PRONOUNS = {
    "он",
    "она",
    "оно",
    "они",
    "мы",
    "вы",
    "я",
    "ты",
    "это",
    "этот",
    "тот",
    "который",
    "свой",
    "наш",
    "ваш",
}


# an abbreviation with a case ending: "МИДа", "НАТО", "ФСБ-шника" is not one; "ОАО" stays
_ABBR_CASE = re.compile(r"([A-ZА-ЯЁ]{2,})-?(?:а|у|ом|е|ы|ов|ам|ами|ах)")
_LATIN_WORD = re.compile(r"[A-Za-z]")
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё-]*$")


def _spaced(part: list[Token], t: Token) -> bool:
    """Whether a space separates token `t` from the token before it in `part` ("Театр.doc" is one name)."""
    i = part.index(t)
    return i > 0 and part[i - 1].end < t.start


def _sentence_initial(s: Sentence, t: Token) -> bool:
    words = [x for x in s.tokens if _word(x)]
    return bool(words) and words[0] is t


def _common_noun(word: str) -> bool:
    """A dictionary word whose parses are all common (no name, place, organisation or abbreviation tag)."""
    from rjkg.extract.nlp import parse

    ps = parse(word)[:3]
    return bool(ps) and all(
        p.is_known
        and not (
            {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Trad"}
            & set(str(p.tag).replace(" ", ",").split(","))
        )
        for p in ps
    )


def _ner_named_org(s: Sentence, part: list[Token], per_starts: frozenset[int]) -> Cand | None:
    """A natasha ORG span without one of our head nouns ("Росстат", "Reuters", "Левого фронта", "МИДа"): kept as an
    organisation unless it is only a descriptor, a post, a pronoun or an adjective; typed by the cue word before
    it or inside it (orgs.named_org_type); a gazetteer name keeps its canonical entry."""
    words = [t for t in part if _word(t)]
    if not words or not any(t.text[:1].isupper() for t in words):
        return None  # "компания", "правительство": a descriptor in lower case
    if not words[0].text[:1].isupper() and not words[0].text[:1].isdigit():
        # "агентство Reuters": a lower-case descriptor natasha swallowed is a cue, not part of the name
        while words and not words[0].text[:1].isupper():
            words = words[1:]
        part = part[part.index(words[0]) :] if words else part
    cue_words: list[Token] = []
    k = next((i for i, t in enumerate(words) if _LATIN_WORD.match(t.text)), 0)
    if k and all(_CYRILLIC_WORD.match(t.text) for t in words[:k]) and _spaced(part, words[k]):
        # "Корпорация Google", "Агентство France-Presse", "фонд DST": Russian words before a name in Latin
        # script describe it (they type it as cues) but are not part of the name
        cue_words, words = words[:k], words[k:]
        part = part[part.index(words[0]) :]
    first = (
        norm(_ABBR_CASE.sub(r"\1", words[0].text)) if _ABBR_CASE.fullmatch(words[0].text) else words[0].lemma
    )
    if (
        first in DESCRIPTORS | POST_WORDS | NOT_ORG_NAMES
        or " ".join(t.lemma for t in words[:2]) in DESCRIPTORS
    ):
        return (
            None  # "ТОРы", "Центр …", "Свободные порты": kinds of institution the institution grammar types
        )
    raw = "".join((" " if k and part[k - 1].end < t.start else "") + t.text for k, t in enumerate(part))
    if len(words) > 1 and orgs._MODEL.search(raw):
        return None  # "Союз ТМА-12", "Ту-214": a model or a vehicle, not an organisation
    if len(words) == 1:
        w = words[0]
        if w.lemma in DESCRIPTORS | POST_WORDS | _PRONOUNS or len(w.text) < 2:
            return None
        if w.lemma in orgs.ORG_HEADS and not (w.lemma in PARLIAMENTS and not _sentence_initial(s, w)):
            return (
                None  # "Правительство", "Комитет" alone: a descriptor; "приняла Дума" is a parliament's name
            )
        after = [t for t in s.tokens if t.start >= w.end][:1]
        if (
            w.text.isupper()
            and after
            and after[0].start not in per_starts
            and CAPS_SURNAME.match(ctx_text := f"{w.text} {after[0].text}")
            and len(ctx_text) == len(w.text) + 1 + len(after[0].text)
        ):
            return None  # "НАКАХАРА Яити": a surname in capitals before a given name
        if not w.text.isupper() and _sentence_initial(s, w) and _common_noun(w.text):
            return None  # "Наблюдатели отметили …": capitalised only because it opens the sentence
        if w.pos == "ADJ" and not w.text.isupper():
            return None  # "Российский": an adjective is not an organisation
    elif all(t.pos == "ADJ" for t in words):
        return None
    start, end = part[0].start, part[-1].end
    gaz = load_gazetteer()
    nom = [
        _ABBR_CASE.sub(r"\1", t.text) if _ABBR_CASE.fullmatch(t.text) else w
        for t, w in zip(part, _nom(part), strict=True)
    ]
    name = orgs._join(part, nom)
    prev = [t for t in s.tokens if t.end <= start][-2:]
    before = [t for t in prev if t.text not in ("«", '"', "„")]
    if before and before[-1].lemma in NOT_ORG_CUES:
        return None  # "шаттла «Дискавери»", "турнира «Корус»": a named thing, not an organisation
    if prev and prev[-1].pos == "ADJ" and not prev[-1].text[:1].isupper():
        # "японского МИДа": the adjective says whose body it is, when the gazetteer knows "Японский МИД"
        hits = gaz.lookup(f"{prev[-1].lemma} {name}")
        if len(hits) == 1:
            e = hits[0]
            return Cand(prev[-1].start, end, e.type, e.name_ru, "ner", slug=e.slug, name_en=e.name_en)
    for key in dict.fromkeys((name, " ".join(t.text for t in part), " ".join(t.lemma for t in part))):
        hits = gaz.lookup(key)
        if len(hits) == 1:
            e = hits[0]
            return Cand(start, end, e.type, e.name_ru, "ner", slug=e.slug, name_en=e.name_en)
    cues = [t.lemma for t in prev if _word(t)] + [t.lemma for t in cue_words]
    typ = orgs.named_org_type(cues, [t.lemma for t in words])
    return Cand(start, end, typ, name, "ner")


_ORIGINAL = re.compile(r"\s*\(([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’.&\- ]+|[А-ЯЁ]{2,})\)")


def _bracketed_original(text: str, c: Cand, end: int, raw_end: int) -> list[Cand]:
    """ "Джошуа Вулф (Joshua Wolf)": the name in Latin script in brackets is another mention of the same person
    (and its English label), not a second person; after an organisation, its original name or abbreviation."""
    m = _ORIGINAL.match(text, end, raw_end)
    if m is None or m.end() != raw_end:
        return []
    original = m.group(1).strip()
    if c.type == "Person":
        c.name_en = original
        return [Cand(**{**c.__dict__, "start": m.start(1), "end": m.end(1)})]
    # an organisation's original name or abbreviation: "(FIFA)", "(Reuters)" — an alias of the same body
    c.aliases = (*c.aliases, original)
    return [Cand(**{**c.__dict__, "start": m.start(1), "end": m.end(1), "aliases": (c.name,)})]


def _word(t: Token) -> bool:
    return bool(re.match(r"[^\W\d_]", t.text))


def _japanese_full_name(toks: list[Token]) -> bool:
    """Two capitalised words, both unknown to the dictionary and ending in a vowel, not a known place: in these
    documents that is a Japanese given name and surname ("Ёсики Тада"), not a place."""
    from rjkg.extract.nlp import parse

    if len(toks) != 2 or load_gazetteer().lookup(" ".join(t.text for t in toks)):
        return False
    return all(
        t.text[:1].isupper()
        and t.text[-1].lower() in "аиуэоёяею"
        and not any(p.is_known for p in parse(t.text))
        for t in toks
    )


def _nom(toks: list[Token]) -> list[str]:
    """Nominative of a name: words up to and including the first noun are inflected, the rest kept."""
    from rjkg.extract.morphology import nominative

    head = next((t for t in toks if t.pos in ("NOUN", "PROPN")), None)
    out, done = [], False
    for t in toks:
        if done:
            out.append(t.text)
        else:
            out.append(nominative(t, like=head))
            done = t.pos in ("NOUN", "PROPN")
    return out


def _gazetteer(ctx: Context) -> list[Cand]:
    gaz = load_gazetteer()
    out = []
    for s in ctx.sentences:
        for h in gazmatch.find(s, ctx.text, gaz):
            start, end = h.start, h.end
            if (
                ctx.text[start:end].count("«") > ctx.text[start:end].count("»")
                and ctx.text[end : end + 1] == "»"
            ):
                end += 1
            e = h.entry
            if e.stands_for and not places.is_place_use(s, h.first, h.last, ctx.text):
                e = gaz.get(e.stands_for) or e
            before = s.tokens[h.first - 1] if h.first > 0 else None
            if e.type == "Municipality" and before is not None and before.lemma in places.REGION_DESCRIPTORS:
                # "префектуры Ниигата": the prefecture, not its capital city
                desc = nominative(before)
                name = f"{desc[:1].upper()}{desc[1:]} {e.name_ru}"
                out.append(Cand(before.start, end, "Region", name, "ner"))
                continue
            c = Cand(start, end, e.type, e.name_ru, "gaz", slug=e.slug, name_en=e.name_en)
            if e.type in LONG_FORM_TYPES:
                # "Мицуи энд Ко", "Фонд развития Дальнего Востока и Арктики": the text's longer form is the name
                toks = list(s.tokens[h.first : h.last])
                surface = orgs._join(toks, _nom(toks)) if toks else e.name_ru
                if _longer_form(surface, e.name_ru) and surface[:1].isupper():
                    c.name, c.aliases = surface, (e.name_ru,)
            if e.type == "Person":
                full = e.name_ru.split()
                c.surname, c.given = full[-1], tuple(full[:-1])
                c.initials = frozenset(g[0] for g in c.given)
                # the text's own form decides where the mention is
            out.append(c)
    return out


def _company(o: orgs.OrgSpan, source: str = "org") -> Cand:
    """A company named with a corporate word, linked to the gazetteer by its full name or, when the word is only a
    legal form, by its bare name ("Сумитомо Корпорейшн" → Sumitomo); the text's longer form stays its name."""
    gaz = load_gazetteer()
    for name in dict.fromkeys((o.name_ru, *o.aliases, orgs.bare_name(o.name_ru) or o.name_ru)):
        hits = [e for e in gaz.lookup(name) if e.type in LONG_FORM_TYPES]
        if len(hits) == 1:
            e = hits[0]
            aliases = (e.name_ru,) if norm(e.name_ru) != norm(o.name_ru) else ()
            return Cand(
                o.start, o.end, e.type, o.name_ru, source, slug=e.slug, aliases=aliases, name_en=e.name_en
            )
    return Cand(o.start, o.end, o.type, o.name_ru, source, aliases=o.aliases, name_en=o.name_en)


def _longer_form(name: str, short: str) -> bool:
    """`name` says `short` and more ("Мицуи энд Ко" / "Мицуи"), not merely other words ("Komatsu" / "Комацу")."""
    a, b = set(_e(norm(name)).split()), set(_e(norm(short)).split())
    return b < a


def _hyphen_parts(ctx: Context) -> list[Cand]:
    """Names joined by a hyphen into one token, each a gazetteer name ("«Сахалин-Хоккайдо»", "форум
    «Япония-Приморье»"): every part is a mention. Only when all parts are capitalised known names, so a city
    ("Южно-Сахалинск", "Петропавловск-Камчатский") or an adjective ("Российско-Японский") is left whole."""
    from rjkg.extract.nlp import lemma

    gaz = load_gazetteer()
    out = []
    for s in ctx.sentences:
        for t in s.tokens:
            parts = t.text.split("-")
            if len(parts) < 2 or not all(p[:1].isupper() and len(p) > 1 for p in parts):
                continue
            hits, at = [], t.start
            for p in parts:
                found = [e for e in gaz.lookup(p) or gaz.lookup(lemma(p)) if e.type != "Person"]
                if len(found) != 1:
                    break
                hits.append((at, at + len(p), found[0]))
                at += len(p) + 1
            else:
                for a, b, e in hits:
                    out.append(Cand(a, b, e.type, e.name_ru, "gaz", slug=e.slug, name_en=e.name_en))
    return out


def _select(cands: list[Cand]) -> list[Cand]:
    """Longest first; a candidate crossing a kept one is dropped; one nested inside a kept one survives only if it
    is a gazetteer name of another type (МВД России inside the institute's name, Хабаровска inside a post)."""
    kept: list[Cand] = []
    for c in sorted(cands, key=lambda c: (-c.length, PRIORITY[c.source], c.start)):
        ok = True
        for k in kept:
            if c.end <= k.start or k.end <= c.start:
                continue
            if k.start <= c.start and c.end <= k.end:
                if (c.start == k.start and c.end == k.end) or (c.slug and c.slug == k.slug):
                    ok = False
                elif c.start == k.start and c.type == k.type and k.source == "org" and k.type != "Person":
                    ok = False  # "Фонд развития X" at the start of "Фонд развития X и Y": the same body cut short
                elif not (
                    c.source == "gaz"
                    and (c.type != k.type or k.source == "org")
                    and k.type != "Person"
                    and k.source != "quote"  # «Россия 24» is a channel's name, not a mention of Russia
                ):
                    ok = False
            else:
                ok = False
            if not ok:
                break
        if ok:
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _surname_key(c: Cand) -> str:
    return _e(norm(c.surname or ""))


def _same_person(a: Cand, b: Cand) -> bool:
    """Same surname with compatible first names/initials, or (any order) one name's words inside the other's:
    "Хаяси" = "Есимаса Хаяси", "Коно Т." = "Таро Коно", "Абэ Синдзо" = "Синдзо Абэ"."""
    if person_matches(a.name, b.name):
        return True
    ga = {x[0].upper() for x in a.given} | set(a.initials)
    gb = {x[0].upper() for x in b.given} | set(b.initials)
    if _surname_key(a) != _surname_key(b):
        # one surname an inflected form of the other ("Фургал" / "Фургала" when a name was only half normalised)
        ka, kb = _surname_key(a), _surname_key(b)
        declined = ka in {_e(f) for f in surname_forms(kb)} or kb in {_e(f) for f in surname_forms(ka)}
        # the same person when both give first names that agree, or one is a surname alone ("Кисиды")
        return declined and (not ga or not gb or bool(ga & gb) and _given_agree(a, b))
    return not ga or not gb or bool(ga & gb)


def _given_agree(a: Cand, b: Cand) -> bool:
    """Both full given names the same (after ё/е), or one side gives initials only."""
    na, nb = [_e(norm(x)) for x in a.given], [_e(norm(x)) for x in b.given]
    return not na or not nb or na == nb


def _abbreviations(ctx: Context, kept: list[Cand], taken: list[tuple[int, int]]) -> list[Cand]:
    """Later uses of an abbreviation introduced in brackets: "… университета (ДВФУ) … проректор ДВФУ"."""
    abbr = {a: c for c in kept if c.type != "Person" for a in c.aliases if a.isupper() and len(a) >= 2}
    out = []
    for s in ctx.sentences:
        for t in s.tokens:
            c = abbr.get(t.text)
            if c is not None and not any(a <= t.start < b for a, b in taken):
                out.append(Cand(t.start, t.end, c.type, t.text, "coref", aliases=(c.name,)))
    return out


def _lone_surnames(ctx: Context, persons: list[Cand], taken: list[tuple[int, int]]) -> list[Cand]:
    """Further mentions of a known person by surname alone ("отметил Исигаки")."""
    surnames = {}
    for p in persons:
        if p.surname and len(p.surname) >= 3:
            surnames.setdefault(_e(p.surname.lower()), p)
    forms = {_e(f): k for k in surnames for f in surname_forms(k)}
    out = []
    for s in ctx.sentences:
        for t in s.tokens:
            if not t.text[:1].isupper() or any(a <= t.start < b for a, b in taken):
                continue
            for key in {_e(t.text.lower()), _e(person_word(t).lower())}:
                if key not in surnames:  # "Фургала", "Захаровой": an inflected form of a known surname
                    key = forms.get(key, key)
                if key in surnames:
                    p = surnames[key]
                    out.append(Cand(t.start, t.end, "Person", p.surname, "coref", surname=p.surname))
                    break
    return out


def find_entities(ctx: Context) -> list[Entity]:
    cands: list[Cand] = _gazetteer(ctx) + _hyphen_parts(ctx)
    ner = _ner(ctx)
    person_starts = {c.start for c in ner if c.type == "Person"}
    for s in ctx.sentences:
        persons = find_persons(s, ctx.text)
        cands += persons
        stops = frozenset(person_starts | {c.start for c in persons})
        for o in orgs.find_org_chains(s, ctx.text, stops):
            if o.type == "Company":
                cands.append(_company(o))
            else:
                cands.append(
                    Cand(o.start, o.end, o.type, o.name_ru, "org", aliases=o.aliases, name_en=o.name_en)
                )
        for o in orgs.find_companies(s, ctx.text):
            cands.append(_company(o))
        for o in orgs.find_acting_centres(s):
            cands.append(Cand(o.start, o.end, o.type, o.name_ru, "org"))
        for o in orgs.find_quoted(s, ctx.text):
            if o.type == "Company" and orgs.bare_name(o.name_ru):
                cands.append(_company(o, "quote"))  # «Сумитомо Корпорейшн»
            else:
                cands.append(
                    Cand(o.start, o.end, o.type, o.name_ru, "quote", aliases=o.aliases, name_en=o.name_en)
                )
        for o in orgs.find_projects(s, ctx.text):  # names inside ("Сахалин – Хоккайдо") are mentions too
            cands.append(Cand(o.start, o.end, o.type, o.name_ru, "org"))
    cands += ner
    kept = _select(cands)
    persons = [c for c in kept if c.type == "Person"]
    taken = [(c.start, c.end) for c in kept]
    extra = _lone_surnames(ctx, persons, taken) + _abbreviations(ctx, kept, taken)
    kept = _select(kept + extra)
    return _group(ctx, kept)


def _group(ctx: Context, kept: list[Cand]) -> list[Entity]:
    groups: list[list[Cand]] = []
    persons: list[list[Cand]] = []
    by_key: dict[tuple, list[Cand]] = {}
    for c in kept:
        if c.type == "Person":
            for g in persons:
                if any(_same_person(c, x) for x in g) and (
                    not c.slug or all(x.slug in (None, c.slug) for x in g)
                ):
                    g.append(c)
                    break
            else:
                persons.append([c])
                groups.append(persons[-1])
            continue
        key = ("gaz", c.slug) if c.slug else (c.type, _e(norm(c.name)))
        if key not in by_key:
            # an abbreviation in brackets joins its full name: "(JBIC)"
            for g in by_key.values():
                if any(norm(c.name) in {norm(a) for a in x.aliases} for x in g):
                    by_key[key] = g
                    break
            else:
                by_key[key] = []
                groups.append(by_key[key])
        by_key[key].append(c)
    entities = []
    for g in groups:
        entities.append(_entity(ctx, g))
    return entities


def _canonical_person(g: list[Cand]) -> str:
    gaz = [c for c in g if c.slug]
    if gaz:
        return gaz[0].name
    full = [c for c in g if c.given]
    if full:
        c = max(full, key=lambda c: (len(c.given), c.source == "ner"))
        return c.name
    inits = [c for c in g if c.initials]
    if inits:
        c = max(inits, key=lambda c: c.length)
        return c.name
    return g[0].name


def _entity(ctx: Context, g: list[Cand]) -> Entity:
    g = sorted(g, key=lambda c: c.start)
    first = g[0]
    slug = next((c.slug for c in g if c.slug), None)
    if first.type == "Person":
        name = _canonical_person(g)
        typ = "Person"
    elif first.type in LONG_FORM_TYPES and slug and (entry := load_gazetteer().get(slug)) is not None:
        # the text's longest form that says the gazetteer's short name and more ("Сумитомо Корпорейшн")
        longer = [c.name for c in g if _longer_form(c.name, entry.name_ru)]
        name, typ = max(longer, key=len) if longer else entry.name_ru, entry.type
    else:
        best = next((c for c in g if c.slug), None) or max(g, key=lambda c: (c.length, -PRIORITY[c.source]))
        name, typ = best.name, best.type
    aliases = tuple(dict.fromkeys(a for c in g for a in c.aliases if a != name))
    name_en = next((c.name_en for c in g if c.name_en), None)
    mentions = tuple(sorted({Span(c.start, c.end) for c in g}, key=lambda m: (m.start, m.end)))
    key = f"gaz:{slug}" if slug else f"{typ}:{_e(norm(name))}"
    return Entity(
        key=key,
        type=typ,
        name_ru=name,
        mentions=mentions,
        name_en=name_en,
        aliases=aliases,
        confidence=0.9 if slug else 0.7,
    )
