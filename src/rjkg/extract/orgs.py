"""Organisation names natasha cuts short: a capitalised head noun ("Банк", "Ассоциация", "Институт", optionally after
adjectives: "Японская ассоциация", "Всероссийский институт") followed by a chain of genitive words and
prepositional phrases ("… по торговле с Россией и новыми независимыми государствами", "… для международного
сотрудничества"), optionally an abbreviation in brackets ("(JBIC)"); and names in «…» after a descriptor
("компании «…»", "издания «…»") or followed by a Latin equivalent in brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rjkg.extract.context import Sentence, Token
from rjkg.extract.morphology import nominative

# head noun lemma → gold type
ORG_HEADS = {
    "министерство": "GovernmentBody",
    "агентство": "GovernmentBody",
    "служба": "GovernmentBody",
    "комитет": "GovernmentBody",
    "комиссия": "GovernmentBody",
    "правительство": "GovernmentBody",
    "администрация": "GovernmentBody",
    "мэрия": "GovernmentBody",
    "департамент": "GovernmentBody",
    "институт": "GovernmentBody",
    "посольство": "GovernmentBody",
    "консульство": "GovernmentBody",
    "генконсульство": "GovernmentBody",
    "дума": "GovernmentBody",
    "парламент": "GovernmentBody",
    "ведомство": "GovernmentBody",
    "совет": "GovernmentBody",
    "инспекция": "GovernmentBody",
    "прокуратура": "GovernmentBody",
    "ассоциация": "Association",
    "союз": "Association",
    "общество": "Association",
    "палата": "Association",
    "клуб": "Association",
    "лига": "Association",
    "конфедерация": "Association",
    "университет": "Association",
    "академия": "Association",
    "банк": "Bank",
    "фонд": "Bank",
    "корпорация": "Company",
    "завод": "Company",
    "комбинат": "Company",
    "компания": "Company",
    "концерн": "Company",
    "холдинг": "Company",
    "организация": "InternationalOrganization",
}
# heads that only describe a foreign name after them ("компания Марубени"): the name is what follows
DESCRIPTOR_HEADS = {"компания", "концерн", "холдинг"}
# heads that name a body even in lower case when a proper name follows: "с правительством Сахалинской области"
LOWERCASE_HEADS = {"правительство"}
# descriptor before «…» → type
QUOTE_DESCRIPTORS = {
    "компания": "Company",
    "корпорация": "Company",
    "концерн": "Company",
    "фирма": "Company",
    "холдинг": "Company",
    "завод": "Company",
    "предприятие": "Company",
    "группа": "Company",
    "оао": "Company",
    "пао": "Company",
    "ао": "Company",
    "ооо": "Company",
    "зао": "Company",
    "банк": "Bank",
    "издание": "MediaOutlet",
    "газета": "MediaOutlet",
    "журнал": "MediaOutlet",
    "телеканал": "MediaOutlet",
    "агентство": "MediaOutlet",
    "радиостанция": "MediaOutlet",
    "портал": "MediaOutlet",
    "сайт": "MediaOutlet",
    "проект": "Project",
    "космодром": "Place",
    "порт": "Place",
    "аэропорт": "Place",
    "ассоциация": "Association",
    "общество": "Association",
    "фонд": "Bank",
}
_PREP_CASE = {"по": "Dat", "для": "Gen", "с": "Ins", "при": "Loc"}
_ABBR = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9&.\-]{1,14}$")
_LATIN = re.compile(r"^[A-Za-z][A-Za-z0-9&.,'\- ]{1,80}$")


@dataclass(frozen=True)
class OrgSpan:
    start: int
    end: int
    type: str
    name_ru: str
    aliases: tuple[str, ...] = ()
    name_en: str | None = None


def _word(t: Token) -> bool:
    return bool(re.match(r"[^\W_]", t.text))


def _np(tokens: tuple[Token, ...], i: int, case: str | None) -> int:
    """End index of a noun phrase (adjectives then a noun, or a proper name) in `case` starting at i, or i."""
    j = i
    while (
        j < len(tokens)
        and tokens[j].pos in ("ADJ", "DET", "NUM")
        and _word(tokens[j])
        and (case is None or tokens[j].feats.get("Case") == case)
    ):
        j += 1
        if (  # "лесного и рыбного хозяйства": coordinated adjectives
            j + 1 < len(tokens)
            and tokens[j].text == "и"
            and tokens[j + 1].pos == "ADJ"
            and (case is None or tokens[j + 1].feats.get("Case") == case)
        ):
            j += 1
    if (
        j < len(tokens)
        and tokens[j].pos in ("NOUN", "PROPN")
        and (
            case is None
            or tokens[j].feats.get("Case") == case
            or tokens[j].pos == "PROPN"
            and tokens[j].text[:1].isupper()
        )
    ):
        return j + 1
    return i


# heads an adjective alone can name (not at a sentence start): "в Токийском университете", "Дальневосточный банк"
ADJ_NAMED_HEADS = {
    "университет",
    "институт",
    "академия",
    "банк",
    "фонд",
    "консерватория",
    "завод",
    "комбинат",
}


def _starts_new_org(tokens: tuple[Token, ...], i: int, same_head: str | None = None) -> bool:
    """Does a new organisation's name (capitalised head, possibly after adjectives) start at token i? With
    `same_head`, the head of the organisation before "и": the same head word starts a new one even in lower case
    ("Правительством России и правительством Японии")."""
    j = i
    while j < len(tokens) and tokens[j].pos == "ADJ" and j - i < 3:
        j += 1
    if j >= len(tokens) or tokens[j].lemma not in ORG_HEADS or tokens[j].feats.get("Number") == "Plur":
        return False
    return tokens[i].text[:1].isupper() or tokens[j].lemma == same_head


def split_coordinated(toks: list[Token]) -> list[list[Token]]:
    """Cut a span natasha took as one organisation at "и" or "," where a new organisation's head begins:
    "Правительством Российской Федерации и Правительством Японии" → two bodies."""
    parts: list[list[Token]] = [[]]
    head = next((t.lemma for t in toks if t.lemma in ORG_HEADS), None)
    for k, t in enumerate(toks):
        if t.text in ("и", ",") and parts[-1] and _starts_new_org(tuple(toks), k + 1, head):
            parts.append([])
            continue
        parts[-1].append(t)
    return [p for p in parts if p]


def _indeclinable(t: Token) -> bool:
    """A foreign proper name that does not decline ("Университет Хоккайдо", "Банк Мидзухо")."""
    from rjkg.extract.nlp import parse

    ps = parse(t.text)[:2]
    return not ps or any("Fixd" in p.tag for p in ps) or not any(p.is_known for p in ps)


def _first_name(t: Token) -> bool:
    from rjkg.extract.nlp import parse

    return t.text[:1].isupper() and any("Name" in p.tag and p.is_known for p in parse(t.text)[:2])


def _chain(
    tokens: tuple[Token, ...],
    i: int,
    head_case: str | None,
    text: str = "",
    stops: frozenset[int] = frozenset(),
) -> int:
    """Extend an organisation name after its head at token i-1; returns the end token index. `stops` are offsets
    where a person's name begins (natasha PER, name patterns): the name never runs into them."""
    cases: list[str] = []
    end = i
    while end < len(tokens):
        t = tokens[end]
        if t.start in stops:
            break
        if text and re.search(r"[\t\n]", text[tokens[end - 1].end : t.start]):
            break  # a table cell or a line ends the name
        if (
            end + 2 < len(tokens)
            and len(tokens[end + 1].text) == 1
            and tokens[end + 1].text.isupper()
            and (tokens[end + 2].text == ".")
        ):
            break  # a surname before initials: "… Дальнего Востока Лебедева М. С."
        # genitive noun phrase, or a proper name / abbreviation ("МВД России", "Японии")
        j = _np(tokens, end, "Gen")
        if _first_name(t) or (len(t.text) == 1 and t.text.isupper()):
            break  # a person's name after the organisation: "… Дальнего Востока Дмитрий Тетенькин"
        if (
            j == end
            and t.pos in ("PROPN", "X")
            and t.text[:1].isupper()
            and _word(t)
            and (t.feats.get("Case") in (None, "Gen") or t.text.isupper() or _indeclinable(t))
        ):
            j = end + 1
        if j > end:
            cases.append("Gen")
            end = j
            continue
        low = t.text.lower()
        if low == "в" and end + 2 < len(tokens) and tokens[end + 1].lemma in ("область", "сфера"):
            j = _np(tokens, end + 2, "Gen")  # "… по сотрудничеству в области туризма"
            if j > end + 2 and cases:
                cases.append("Gen")
                end = j
                continue
            break
        if low in ("на", "в") and cases and "Dat" in cases:
            j = _region_complement(tokens, end + 1)
            if j > end + 1:  # "Агентство по развитию … на Дальнем Востоке и в Арктике"
                end = j
                if (
                    end + 2 < len(tokens)
                    and tokens[end].text == "и"
                    and tokens[end + 1].text.lower() in ("на", "в")
                ):
                    j = _region_complement(tokens, end + 2)
                    if j > end + 2:
                        end = j
                continue
        if low in _PREP_CASE:
            case = _PREP_CASE[low]
            j = _np(tokens, end + 1, case)
            if j > end + 1:
                np = tokens[end + 1 : j]
                if low in ("с", "при") and not any(
                    x.text[:1].isupper() or x.feats.get("Number") == "Plur" for x in np
                ):
                    break
                cases.append(case)
                end = j
                continue
            break
        if low in ("и", ",") and cases:
            nxt = end + 1
            if _starts_new_org(tokens, nxt, tokens[i - 1].lemma):
                break  # "Фонда Японии и Министерства науки …": two organisations
            if low == ",":
                # "Министерство экономики, торговли и промышленности": an enumeration of lower-case genitives
                # that goes on with "и" or another comma; anything else after a comma ends the name
                j = _np(tokens, nxt, "Gen")
                if (
                    j > nxt
                    and not tokens[nxt].text[:1].isupper()
                    and (
                        (j < len(tokens) and tokens[j].text in ("и", ","))
                        or any(x.text == "и" for x in tokens[nxt:j])
                    )
                ):
                    cases.append("Gen")
                    end = j
                    continue
                break
            for case in dict.fromkeys(reversed(cases)):
                j = _np(tokens, nxt, case)
                if j == nxt + 1 and tokens[nxt].feats.get("Case") not in (None, case):
                    continue  # "… Японии и Росрыболовство": a name in another case is another subject
                if j > nxt:
                    cases.append(case)
                    end = j
                    break
            else:
                break
            continue
        break
    return end


def _region_complement(tokens: tuple[Token, ...], i: int) -> int:
    """End of a region's name in the locative at token i ("Дальнем Востоке", "Арктике"), or i: a body's remit
    ("… по развитию … на Дальнем Востоке") belongs to its name; a city ("в Москве заявило") does not."""
    from rjkg.resolve import load_gazetteer

    j = _np(tokens, i, "Loc")
    if j == i or not tokens[j - 1].text[:1].isupper():
        return i
    name = " ".join(nominative(t, like=tokens[j - 1]) for t in tokens[i:j])
    if any(e.type == "Region" for e in load_gazetteer().lookup(name)):
        return j
    return i


_INTERNATIONAL = re.compile(
    r"международн|всемирн|объединенн|объединённ|евразийск|азиатско|европейск|интернационал", re.I
)
_NATIONAL = re.compile(
    r"^(?:японск|российск|всероссийск|русск|китайск|корейск|американск|государственн|национальн)", re.I
)


_CHAMBER = re.compile(r"палата\s+(?:советников|представителей|депутатов|общин|лордов)", re.I)


_BUSINESS = re.compile(r"делов|предпринимател|промышленник|бизнес", re.I)


def _org_type(head: Token, name: str) -> str:
    typ = ORG_HEADS[head.lemma]
    if head.lemma == "палата" and _CHAMBER.search(name):
        return "GovernmentBody"  # a parliament's chamber, not a chamber of commerce
    if head.lemma in ("совет", "комитет") and _BUSINESS.search(name):
        return "Association"  # "Японо-российский деловой совет": business people, not a state body
    if typ == "InternationalOrganization" and not _INTERNATIONAL.search(name):
        return "GovernmentBody" if _NATIONAL.search(name) else "Association"
    return typ


# a model number after a name: "Союз ТМА-12", "Ту-214"
_MODEL = re.compile(r"\s\w*[^\W\d_]-\d")


# an adjective that makes an organisation's head word mean money or stock, not a body: "призовой фонд матча",
# "уставный фонд компании", "жилищный фонд города"
NOT_ORG_MODIFIERS = {
    "фонд": frozenset(
        "призовой уставный уставной жилищный жилой наградной книжный библиотечный лесной земельный "
        "зарплатный премиальный золотой семенной".split()
    ),
}


def not_an_org(tokens) -> bool:
    """Whether an adjective right before an organisation head word gives it a non-organisation sense."""
    return any(
        b.lemma in NOT_ORG_MODIFIERS and a.lemma.lower() in NOT_ORG_MODIFIERS[b.lemma]
        for a, b in zip(tokens, tokens[1:], strict=False)
    )


def _latin_name(toks: tuple[Token, ...]) -> bool:
    """A name written wholly in Latin script, starting with a capital ("Google", "France-Presse", "DST")."""
    return bool(toks) and toks[0].text[:1].isupper() and all(re.fullmatch(_LATIN_TOKEN, x.text) for x in toks)


_LATIN_TOKEN = r"[A-Za-z0-9&.'\-]+"


def find_org_chains(sentence: Sentence, text: str = "", stops: frozenset[int] = frozenset()) -> list[OrgSpan]:
    toks = sentence.tokens
    out: list[OrgSpan] = []
    last_head = None
    i = 0
    while i < len(toks):
        t = toks[i]
        lower_gov = (
            t.lemma in LOWERCASE_HEADS and i + 1 < len(toks) and toks[i + 1].text[:1].isupper()
            and toks[i + 1].feats.get("Case") == "Gen" and t.feats.get("Number") != "Plur"
        )  # fmt: skip
        # "Министерством энергетики России и министерством экономики Японии": the same head after "и" starts
        # the second body even in lower case
        lower_gov = lower_gov or bool(
            out and i >= 1 and toks[i - 1].text in ("и", ",") and toks[i - 1].start >= out[-1].end
            and toks[i - 1].start - out[-1].end <= 2 and t.lemma == last_head
        )  # fmt: skip
        if not ((t.text[:1].isupper() or lower_gov) and _word(t)):
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j].pos == "ADJ" and j - i < 3:
            j += 1
        if j >= len(toks) or toks[j].lemma not in ORG_HEADS or toks[j].pos not in ("NOUN", "PROPN"):
            i += 1
            continue
        head = toks[j]
        if head.feats.get("Number") == "Plur" or not_an_org(toks[i : j + 1]):
            i = j + 1
            continue
        end = _chain(toks, j + 1, head.feats.get("Case"), text, stops)
        # trim dangling function words / adjectives
        while end > j + 1 and toks[end - 1].pos in ("ADP", "CCONJ", "ADJ", "PUNCT"):
            end -= 1
        if end == j + 1 and not (i < j and i > 0 and head.lemma in ADJ_NAMED_HEADS):
            i = j + 1
            continue
        if (
            head.lemma in DESCRIPTOR_HEADS
            and all(
                x.text[:1].isupper() and (_indeclinable(x) or x.text.isascii()) for x in toks[j + 1 : end]
            )
        ) or (_latin_name(toks[j + 1 : end]) and head.end < toks[j + 1].start):
            # "компания Сумитомо Корпорейшн", "концерн Тойота": the word in front describes, the name follows;
            # so do any Russian head and its adjectives before a name in Latin script ("Корпорация Google")
            name = _join(toks[j + 1 : end], [x.text for x in toks[j + 1 : end]])
            typ = ORG_HEADS[head.lemma]
            if head.lemma not in DESCRIPTOR_HEADS:  # "агентство Bloomberg" is a news agency
                typ = named_org_type([x.lemma for x in toks[i : j + 1]], [x.lemma for x in toks[j + 1 : end]])
            out.append(OrgSpan(toks[j + 1].start, toks[end - 1].end, typ, name))
            last_head = head.lemma
            i = end
            continue
        words = [nominative(x, like=head) if k <= j else x.text for k, x in enumerate(toks[i:end], start=i)]
        name = _join(toks[i:end], words)
        name = name[:1].upper() + name[1:]
        if _MODEL.search(name):
            i = end  # "Союз ТМА-12": a spacecraft or a model named like an organisation
            continue
        aliases: list[str] = []
        name_en = None
        # "(JBIC)" / "(РОТОБО)" right after the name
        if (
            end + 2 < len(toks)
            and toks[end].text == "("
            and toks[end + 2].text == ")"
            and _ABBR.match(toks[end + 1].text)
        ):
            aliases.append(toks[end + 1].text)
        out.append(
            OrgSpan(toks[i].start, toks[end - 1].end, _org_type(head, name), name, tuple(aliases), name_en)
        )
        last_head = head.lemma
        i = end
    return out


# a centre that acts is an organisation, not an institution: "Российский экспортный центр подписал …"
_CENTRE_TYPES = {
    "экспортный": "Company",
    "торговый": "Company",
    "деловой": "Company",
    "финансовый": "Company",
}


def find_acting_centres(sentence: Sentence) -> list[OrgSpan]:
    """ "<Adjective> <adjective> центр" with no complement, directly followed by a finite verb (it signs, speaks,
    organises): an organisation. Centres named by what they do ("центр технического содействия", "Центр приема
    беженцев") and centres that are only places or objects of founding stay with the institutions grammar."""
    toks = sentence.tokens
    out = []
    for j, t in enumerate(toks):
        if t.lemma != "центр" or t.feats.get("Number") == "Plur" or j + 1 >= len(toks):
            continue
        i = j
        while i > 0 and toks[i - 1].pos == "ADJ" and j - i < 3:
            i -= 1
        nxt = toks[j + 1]
        if j - i < 2 or not toks[i].text[:1].isupper():
            continue
        if not (nxt.pos in ("VERB", "AUX") and nxt.feats.get("VerbForm") == "Fin"):
            continue
        words = [nominative(x, like=t) for x in toks[i : j + 1]]
        name = _join(toks[i : j + 1], words)
        typ = next((_CENTRE_TYPES[x.lemma] for x in toks[i:j] if x.lemma in _CENTRE_TYPES), "GovernmentBody")
        out.append(OrgSpan(toks[i].start, t.end, typ, name[:1].upper() + name[1:]))
    return out


def _join(tokens, words) -> str:
    """Rebuild a phrase from replaced words, keeping the original spacing between tokens."""
    out = []
    for k, (t, w) in enumerate(zip(tokens, words, strict=True)):
        if k:
            out.append(" " if tokens[k - 1].end < t.start else "")
        out.append(w)
    return "".join(out)


_COMPANY_SUFFIX = re.compile(
    r"\s(?:Индастриз|Корпорейшн|Корпорация|Холдингс?|Групп|Груп|Моторс?|Электрик|Энерджи|Трейдинг|Шоджи|Сёдзи|"
    r"Банк|Ко|Лтд|Инк|Инжиниринг|Стил|Кэпитал|Интернэшнл|Интернешнл|Текнолоджис|Ойл|Газ)\.?$"
)
_QUOTED = re.compile(r"«([^«»\n]{2,80})»(\s*\(([A-Za-z][^()\n]{1,80})\))?")


def find_quoted(sentence: Sentence, text: str) -> list[OrgSpan]:
    """«Name» after a descriptor word, or «Name» (Latin Name)."""
    out = []
    chunk = text[sentence.start : sentence.end]
    for m in _QUOTED.finditer(chunk):
        inner = m.group(1).strip()
        if not inner[:1].isupper():
            continue
        s = sentence.start + m.start(1)
        prev = [t for t in sentence.tokens if t.end <= sentence.start + m.start() and _word(t)]
        desc = QUOTE_DESCRIPTORS.get(prev[-1].lemma) if prev else None
        if desc is None and _COMPANY_SUFFIX.search(inner):
            desc = "Company"  # «Мицубиси Хэви Индастриз», «Тойота Моторс»
        latin = m.group(3)
        if desc is None and not latin:
            continue
        if latin and not _LATIN.match(latin.strip()):
            latin = None
            if desc is None:
                continue
        typ = desc or "Company"
        out.append(
            OrgSpan(
                s,
                s + len(m.group(1)),
                typ,
                inner,
                (latin.strip(),) if latin else (),
                latin.strip() if latin else None,
            )
        )
        if latin:
            ls = sentence.start + m.start(3)
            out.append(OrgSpan(ls, ls + len(latin.rstrip()), typ, inner, (latin.strip(),), latin.strip()))
    return out


# infrastructure projects named by what they join: "энергомост Сахалин – Хоккайдо", "газопровод «Сила Сибири»"
PROJECT_HEADS = {
    "энергомост",
    "энергокольцо",
    "газопровод",
    "нефтепровод",
    "трубопровод",
    "мост",
    "тоннель",
    "кабель",
    "магистраль",
    "коридор",
    "железная дорога",
    "автодорога",
}
_PNAME = r"[А-ЯЁA-Z][\w-]*(?:\s+[А-ЯЁA-Z][\w-]*)*"
_JOINED = re.compile(rf"\s+({_PNAME}(?:\s*[-–—]\s*{_PNAME})+)")


def find_projects(sentence: Sentence, text: str) -> list[OrgSpan]:
    """A project head noun followed by dash-joined proper names, or by a name in «…»."""
    out = []
    for t in sentence.tokens:
        if t.lemma not in PROJECT_HEADS:
            continue
        rest = text[t.end : sentence.end]
        m = _JOINED.match(rest)
        if m:
            end = t.end + m.end(1)
        else:
            q = re.match(r"\s+«([^«»\n]{2,60})»", rest)
            if not q:
                continue
            end = t.end + q.end()
        head = nominative(t)
        name = head[:1].upper() + head[1:] + text[t.end : end]
        out.append(OrgSpan(t.start, end, "Project", name))
    return out


# a transliterated corporate word after a company's name: "Сумитомо Корпорейшн", "Тойота Цусё", "Мицуи энд Ко"
LEGAL_FORMS = r"Корпорейшн|Корпорэйшн|Компани|энд\s+Ко\b\.?|энд\s+Компани|Ко\.|Лтд\.?|Инк\.?|Холдингс|Групп?"
BUSINESS_WORDS = (
    r"Цусё|Цусе|Сёдзи|Шоджи|Сёдзи|Трейдинг|Индастриз|Моторс?|Электрик|Энерджи|Инжиниринг|Стил|Кэпитал|"
    r"Интернэшнл|Интернешнл|Текнолоджис|Ойл|Банкинг|Файненшл|Шиппинг|Лайн"
)
_CORP_NAME = re.compile(
    rf"(?<![\w«\"-])((?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+){{1,3}})((?:{LEGAL_FORMS})|(?:{BUSINESS_WORDS}))(?![\w-])"
)
_LEGAL_ONLY = re.compile(rf"^(?:{LEGAL_FORMS})$")


def find_companies(sentence: Sentence, text: str) -> list[OrgSpan]:
    """Companies named by a transliterated name and a corporate word, without quotes ("Сумитомо Корпорейшн",
    "Мицуи энд Ко", "Тойота Цусё"). Words in front that are ordinary Russian words ("Компания", "Вчера") are not
    part of the name. `aliases` holds the bare name when the corporate word is only a legal form ("Сумитомо" for
    "Сумитомо Корпорейшн"), so the gazetteer's short name can link it; "Тойота Цусё" is another company than Toyota."""
    from rjkg.extract.nlp import parse

    out = []
    chunk = text[sentence.start : sentence.end]
    for m in _CORP_NAME.finditer(chunk):
        words = list(re.finditer(r"\S+", m.group(1)))
        k = 0
        base = sentence.start + m.start(1)
        pos = {t.start: t.pos for t in sentence.tokens}
        while k < len(words) and _common_word(words[k].group(), pos.get(base + words[k].start()), parse):
            k += 1
        if k == len(words):
            continue
        start = sentence.start + m.start(1) + words[k].start()
        end = sentence.start + m.end()
        name = " ".join(text[start:end].split())
        out.append(OrgSpan(start, end, "Company", name, tuple(x for x in (bare_name(name),) if x)))
    return out


def bare_name(name: str) -> str | None:
    """A company's name without a trailing legal form ("Сумитомо Корпорейшн" → "Сумитомо"), or None."""
    m = re.search(rf"\s+(?:{LEGAL_FORMS})$", name)
    return name[: m.start()] if m and m.start() > 0 else None


def _common_word(word: str, pos: str | None, parse) -> bool:
    """An ordinary Russian word (a descriptor, an adverb, a verb…), not a transliterated name: one the dictionary
    knows that natasha does not take for a proper name in context ("Представители", "Вчера"; not "Тойота")."""
    low = word.lower()
    if low in ORG_HEADS or low in QUOTE_DESCRIPTORS:
        return True
    ps = [p for p in parse(word)[:2] if p.is_known]
    if not ps:
        return False
    if pos not in (None, "PROPN", "X"):
        return True
    if any(p.normal_form in ORG_HEADS or p.normal_form in QUOTE_DESCRIPTORS for p in ps):
        return True
    return ps[0].tag.POS not in ("NOUN", None) and not any(
        g in ps[0].tag for g in ("Name", "Surn", "Geox", "Orgn", "Fixd")
    )


# A named organisation natasha finds without one of our head nouns ("Росстат", "Reuters", "Левый фронт"): typed by
# a cue word before it or inside it; first matching cue wins. Without a cue: Latin-script names are companies
# (brands, agencies and firms dominate), other names associations (the least committal kind of named body).
NAMED_ORG_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "MediaOutlet",
        frozenset(
            "агентство газета телеканал издание радио радиостанция журнал телекомпания портал сайт "
            "информагентство иа таблоид еженедельник ежедневник".split()
        ),
    ),
    ("Bank", frozenset({"банк", "bank"})),
    (
        "Company",
        frozenset(
            "компания корпорация концерн холдинг фирма ооо оао зао пао ао предприятие завод комбинат производитель "
            "оператор авиакомпания автопроизводитель inc ltd corp co llc gmbh group plc".split()
        ),
    ),
    (
        "Association",
        frozenset(
            "партия движение союз ассоциация федерация фонд общество клуб лига команда организация профсоюз "
            "объединение блок фракция университет академия".split()
        ),
    ),
    (
        "GovernmentBody",
        frozenset(
            "министерство ведомство комитет дума госдума мосгордума парламент служба суд сенат конгресс "
            "собрание сейм рада кнессет меджлис прокуратура полиция мвд мид фсб минобороны минфин минздрав "
            "администрация мэрия правительство кабинет армия флот".split()
        ),
    ),
)
_INTERNATIONAL_ABBR = frozenset(
    "оон нато ес евросоюз обсе вто мвф юнеско асеан атэс шос снг фао воз магатэ интерпол опек брикс еаэс одкб "
    "пасе европарламент еврокомиссия юнисеф мок фифа уефа фиде".split()
)
# parts of a word that mark a government body inside one abbreviation or compound: "Мосгордума", "Минэкономразвития"
_GOV_WORD = re.compile(r"дума|^мин[а-яё]|^гос[а-яё]|^росс?[а-яё]|парламент", re.I)


def named_org_type(cues: list[str], words: list[str]) -> str:
    """Type of a named organisation from `cues` (lemmas of the word(s) just before it) and `words` (lemmas
    inside it), as NAMED_ORG_CUES says; see there for the default."""
    low = [w.lower() for w in words]
    if any(w in _INTERNATIONAL_ABBR for w in low):
        return "InternationalOrganization"
    for pool in (cues, low):
        for typ, vocab in NAMED_ORG_CUES:
            if any(w.lower().strip(".") in vocab for w in pool):
                if typ == "Association" and _INTERNATIONAL.match(" ".join(low)):
                    return "InternationalOrganization"  # "Международная федерация футбола"
                return typ
    if any(_GOV_WORD.search(w) for w in low if len(w) > 3):
        return "GovernmentBody"
    if all(re.fullmatch(r"[A-Za-z0-9&.'\-]+", w) for w in words):
        return "Company"
    return "Association"
