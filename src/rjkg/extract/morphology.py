"""Putting names into the nominative, word by word, using natasha's in-context case and pymorphy's inflection."""

from __future__ import annotations

import re

from rjkg.extract.context import Token
from rjkg.extract.nlp import parse

_GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
# Russian surnames pymorphy does not know: "Ноздревым" → "Ноздрев", "Ивановой" → "Иванова", "Кисидой" → "Кисида"
_SURNAME_OBLIQUE = (
    (re.compile(r"(ов|ев|ёв|ин|ын)(а|у|ым|е)$"), r"\1"),
    (re.compile(r"(ов|ев|ёв|ин|ын)(ой|ою)$"), r"\1а"),
    (re.compile(r"(ск|цк)(ого|ому|им|ом)$"), r"\1ий"),
    (re.compile(r"([^аеиоуыэюяй])ой$"), r"\1а"),
)
_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
# endings no Japanese or other indeclinable name has: a word ending so is surely inflected
_OBLIQUE = re.compile(r"(?:ого|его|ому|ему|ой|ей|ым|им|ом|ем|ою|ею|ами|ями|ах|ях)$")


def match_case(word: str, text_like: str) -> str:
    """Give `word` (lower case) the capitalisation of `text_like`."""
    if text_like.isupper() and len(text_like) > 1:
        return word.upper()
    if text_like[:1].isupper():
        if "-" in text_like and word.count("-") == text_like.count("-"):
            # part by part, as written: "Российско-японского" → "Российско-японский", "Южно-Сахалинск"
            return "-".join(
                p[:1].upper() + p[1:] if q[:1].isupper() else p
                for p, q in zip(word.split("-"), text_like.split("-"), strict=True)
            )
        return word[:1].upper() + word[1:]
    return word


def nominative(tok: Token, *, number: str | None = None, like: Token | None = None) -> str:
    """The token in the nominative (same gender and number), keeping its capitalisation; unchanged when it is
    already nominative, not Cyrillic, or cannot be inflected. An adjective natasha left without case takes the
    case, gender and number of its head noun (`like`)."""
    if like is not None and "Case" not in tok.feats and like is not tok:
        feats = {k: v for k, v in like.feats.items() if k in ("Case", "Gender", "Number")}
        tok = Token(tok.start, tok.end, tok.text, tok.lemma, tok.pos, {**tok.feats, **feats})
    case = tok.feats.get("Case")
    if not re.search(r"[а-яё]", tok.text.lower()) or case in (None, "Nom"):
        return tok.text
    want = _CASES.get(case)
    gender = _GENDERS.get(tok.feats.get("Gender", ""))
    parses = parse(tok.text)
    if gender:  # agree with the head noun: "Уссурийского городского округа" → "городской", not "городское"
        parses = sorted(parses, key=lambda p: gender not in p.tag)
    for p in parses:
        if want and want not in p.tag:
            continue
        grams = {"nomn"}
        if number == "sing" or ("plur" in p.tag and tok.feats.get("Number") == "Plur"):
            grams.add("plur" if "plur" in p.tag else "sing")
        f = p.inflect(grams)
        if f is not None:
            return match_case(f.word, tok.text)
    if "-" in tok.text:  # "Российско-Японского": inflect the last part only
        head, _, last = tok.text.rpartition("-")
        inflected = nominative(
            Token(tok.start, tok.end, last, last.lower(), tok.pos, tok.feats), number=number
        )
        if inflected != last:
            return f"{head}-{inflected}"
    return tok.text


# surname endings that are never nominative: "Галузиным", "Ивановой", "Достоевскому" (natasha often tags them Nom)
_SURELY_OBLIQUE = re.compile(r"(?:ов|ев|ёв|ин|ын)(?:ым|ой|ою|ому|ыми)$|(?:ск|цк)(?:ого|ому|им|ой)$")
# unknown surnames, by ending: (pattern, replacement, cases natasha must give for an ambiguous ending)
_SURNAME_GUESS = (
    (re.compile(r"(ов|ев|ёв|ин|ын)(ым|ом|ому)$"), r"\1", None),
    (re.compile(r"(ов|ев|ёв|ин|ын)(ой|ою)$"), r"\1а", None),
    (re.compile(r"(ск|цк)(ого|ому|им|ом)$"), r"\1ий", None),
    (re.compile(r"(ск|цк)(ой)$"), r"\1ая", None),
    (re.compile(r"(ов|ев|ёв|ин|ын)(у|е)$"), r"\1", None),
    (re.compile(r"(ов|ев|ёв|ин|ын)(а)$"), r"\1", ("Gen", "Acc")),
    # a name in -а after a consonant ("Танака", "Кисида", "Судзука"): Танакой, Кисиде, Кисиды, Танаку
    (re.compile(r"([^аеиоуыэюяйь])(ой|ою)$"), r"\1а", None),
    # Polivanov's transcription writes "э", never "е" after a consonant, and no "ы": such endings are inflected
    (re.compile(r"([^аеиоуыэюяйьцкгхжшщч])(е)$"), r"\1а", None),
    (re.compile(r"([^аеиоуыэюяйьцкгхжшщч])(ы)$"), r"\1а", None),
    (re.compile(r"([^аеиоуыэюяйь])(у)$"), r"\1а", ("Acc",)),
)


def surname_nominative(tok: Token, *, trust_case: bool = True) -> str:
    """A surname standing alone next to initials ("М.Ю.Галузиным", "А.Б. Петровой", "Х.Танакой") in the
    nominative, keeping its gender. pymorphy's surname parses decide when it knows the word; otherwise the ending
    does, and an ending that could be nominative ("Галузина", "Сато", "Кодзуки") is changed only when natasha's case
    says it is oblique (and `trust_case`: not for "Иванова Т.Н.", surname first, as in lists and tables). Japanese surnames that do not decline ("Абэ", "Сато", "Хаяси") come out unchanged."""
    text = tok.text
    if not re.fullmatch(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)?", text) or len(text) < 3:
        return text
    case = tok.feats.get("Case")
    low = text.lower()
    if not trust_case and not _SURELY_OBLIQUE.search(low):
        case = "Nom"  # "Иванова Т.Н." in a list of names: an ambiguous ending is read as nominative
    surn = [p for p in parse(text) if p.is_known and "Surn" in p.tag and "sing" in p.tag]
    if surn:
        if any("nomn" in p.tag for p in surn) and not (
            case and case != "Nom" and not _SURELY_OBLIQUE.search(low)
        ):
            return text  # "Белых", "Шойгу", "Галузина" read as nominative
        want = _CASES.get(case or "")
        fitting = [p for p in surn if want and want in p.tag and "nomn" not in p.tag] or [
            p for p in surn if "nomn" not in p.tag
        ]
        for p in fitting:
            f = p.inflect({"nomn", "sing"})
            if f is not None:
                return match_case(f.word, text)
        return text
    for rx, repl, cases in _SURNAME_GUESS:
        if rx.search(low) and (cases is None or case in cases):
            return match_case(rx.sub(repl, low), text)
    return text


def person_word(tok: Token) -> str:
    """A word of a person's name in the nominative. Japanese names ("Яити", "Хаяси") do not decline, and pymorphy
    guesses them wrongly, so a word is changed only when pymorphy knows it or its ending is surely oblique."""
    case = tok.feats.get("Case")
    text = tok.text
    if not re.search(r"[а-яё]", text.lower()):
        return text
    if _SURELY_OBLIQUE.search(text.lower()) and len(text) > 5:
        return surname_nominative(tok)  # natasha tagged "Галузиным" Nom
    if case in (None, "Nom"):
        ps = parse(text)
        if ps and not any(p.is_known for p in ps) and len(text) > 4 and re.search(r"[^аеиоуыэюяй]ой$", text):
            return text[:-2] + "а"  # "Мураямой", "Кисидой": instrumental of a name in -а
        return text
    want = _CASES.get(case)
    all_parses = parse(text)
    name_like = [p for p in all_parses if p.is_known and any(t in p.tag for t in ("Name", "Surn", "Patr"))]
    if not name_like and len(text) > 4:
        for rx, repl in _SURNAME_OBLIQUE:
            if rx.search(text):
                return rx.sub(repl, text)
    parses = [p for p in all_parses if not want or want in p.tag]
    known = [p for p in parses if p.is_known and any(t in p.tag for t in ("Name", "Surn", "Patr", "NOUN"))]
    if known:
        p = known[0]
        f = p.inflect({"nomn", "sing"}) or p.inflect({"nomn"})
        if f is not None:
            return match_case(f.word, text)
    if _OBLIQUE.search(text.lower()) and parses:
        f = parses[0].inflect({"nomn"})
        if f is not None:
            return match_case(f.word, text)
    return text


_VOWELS = "аеёиоуыэюя"
# oblique endings of a Russian surname → nominative, by (gender, case); tried in order, first match wins.
# "Фургала" → "Фургал", "Калиты" → "Калита", "Захаровой" → "Захарова", "Гайдаю" → "Гайдай"
_RU_SURNAME_CASES: dict[tuple[str, str], tuple[tuple[re.Pattern, str], ...]] = {
    ("masc", "Gen"): (
        (re.compile(r"(ск|цк)ого$"), r"\1ий"),
        (re.compile(r"([^аеёиоуыэюяйь])а$"), r"\1"),
        (re.compile(r"([аеоуэ])я$"), r"\1й"),
        (re.compile(r"([^аеёиоуыэюяйь])ы$"), r"\1а"),
        (re.compile(r"([кгхжшчщ])и$"), r"\1а"),
    ),
    ("masc", "Acc"): (
        (re.compile(r"(ск|цк)ого$"), r"\1ий"),
        (re.compile(r"([^аеёиоуыэюяйь])а$"), r"\1"),
        (re.compile(r"([аеоуэ])я$"), r"\1й"),
        (re.compile(r"([^аеёиоуыэюяйь])у$"), r"\1а"),
    ),
    ("masc", "Dat"): (
        (re.compile(r"(ск|цк)ому$"), r"\1ий"),
        (re.compile(r"([^аеёиоуыэюяйь])у$"), r"\1"),
        (re.compile(r"([аеоуэ])ю$"), r"\1й"),
        (re.compile(r"([^аеёиоуыэюяйь])е$"), r"\1а"),
    ),
    ("masc", "Ins"): (
        (re.compile(r"(ск|цк)им$"), r"\1ий"),
        (re.compile(r"(ов|ев|ёв|ин|ын)ым$"), r"\1"),
        (re.compile(r"([^аеёиоуыэюяйьцжшчщ])ом$"), r"\1"),
        (re.compile(r"([аеоуэ])ем$"), r"\1й"),
        (re.compile(r"([^аеёиоуыэюяйь])(ой|ою)$"), r"\1а"),
    ),
    ("masc", "Loc"): (
        (re.compile(r"(ск|цк)ом$"), r"\1ий"),
        (re.compile(r"([^аеёиоуыэюяйь])е$"), r"\1"),
    ),
    ("femn", "Gen"): (
        (re.compile(r"(ск|цк)ой$"), r"\1ая"),
        (re.compile(r"(ов|ев|ёв|ин|ын)ой$"), r"\1а"),
        (re.compile(r"([^аеёиоуыэюяйь])ы$"), r"\1а"),
    ),
    ("femn", "Acc"): (
        (re.compile(r"(ск|цк)ую$"), r"\1ая"),
        (re.compile(r"([^аеёиоуыэюяйь])у$"), r"\1а"),
    ),
    ("femn", "Dat"): (
        (re.compile(r"(ск|цк)ой$"), r"\1ая"),
        (re.compile(r"(ов|ев|ёв|ин|ын)ой$"), r"\1а"),
        (re.compile(r"([^аеёиоуыэюяйь])е$"), r"\1а"),
    ),
    ("femn", "Ins"): (
        (re.compile(r"(ск|цк)ой$"), r"\1ая"),
        (re.compile(r"([^аеёиоуыэюяйь])(ой|ою)$"), r"\1а"),
    ),
    ("femn", "Loc"): (
        (re.compile(r"(ск|цк)ой$"), r"\1ая"),
        (re.compile(r"(ов|ев|ёв|ин|ын)ой$"), r"\1а"),
        (re.compile(r"([^аеёиоуыэюяйь])е$"), r"\1а"),
    ),
}
# Japanese names in Polivanov's transcription: only a name in -а after a consonant declines ("Кисида": Кисиды,
# Кисиде, Кисиду, Кисидой; "Есимаса": Есимасы). -и, -о, -э, -у names ("Хаяси", "Сато", "Абэ", "Кацу") never do;
# Polivanov writes "э", never "е", after a consonant, so a final -е after a consonant is always inflected.
_JA_CASES: dict[str, tuple[tuple[re.Pattern, str], ...]] = {
    "Gen": ((re.compile(r"([^аеёиоуыэюяйь])ы$"), r"\1а"),),
    "Dat": ((re.compile(r"([^аеёиоуыэюяйьцкгхжшщч])е$"), r"\1а"),),
    "Loc": ((re.compile(r"([^аеёиоуыэюяйьцкгхжшщч])е$"), r"\1а"),),
    "Acc": ((re.compile(r"([^аеёиоуыэюяйь])у$"), r"\1а"),),
    "Ins": ((re.compile(r"([^аеёиоуыэюяйь])(ой|ою)$"), r"\1а"),),
}


def _known_name(word: str) -> list:
    """pymorphy's dictionary parses of `word` as a given name (Name), singular."""
    return [p for p in parse(word) if p.is_known and "Name" in p.tag and "sing" in p.tag]


def _apply(rules, word: str) -> str:
    low = word.lower()
    for rx, repl in rules:
        if rx.search(low):
            return match_case(rx.sub(repl, low), word)
    return word


def person_name_nominative(words: list[Token]) -> list[str]:
    """A person's name of two or more words ("Сергея Фургала", "Марии Захаровой", "Есимасы Хаяси") in the
    nominative, the words agreeing with each other: the given name fixes case and gender (pymorphy knows Russian
    given names; natasha's tag decides for the others), and the surname takes the same case and gender, by
    pymorphy's surname parses when it knows the word, else by its ending. A name whose given name is not a Russian
    one is read as Japanese: only words in -а after a consonant decline."""
    if len(words) < 2:
        return [person_word(w) for w in words]
    given, last = words[:-1], words[-1]
    out = [person_word(w) for w in given]
    case = last.feats.get("Case") or given[0].feats.get("Case")
    gender = _GENDERS.get(given[0].feats.get("Gender", "") or last.feats.get("Gender", ""))
    known = _known_name(given[0].text)
    if known:
        fits = [p for p in known if _CASES.get(case or "", "-") in p.tag] or known
        gender = next((g for g in ("masc", "femn") if g in fits[0].tag), gender)
        if case and _CASES.get(case, "-") not in fits[0].tag:
            case = next((k for k, v in _CASES.items() if v in fits[0].tag), case)
    surname = person_word(last)
    if case in (None, "Nom") or not re.fullmatch(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)?", last.text):
        return [*out, surname]
    if any(p.is_known and ("Surn" in p.tag or "Fixd" in p.tag) for p in parse(last.text)):
        return [*out, surname]  # pymorphy knows the surname ("Шойгу" does not decline): its answer stands
    if known or any(_known_name(x) for x in out):
        if surname == last.text:  # pymorphy did not know it: the ending decides, in the given name's case
            surname = _apply(_RU_SURNAME_CASES.get((gender or "masc", case), ()), last.text)
    else:
        out = [
            w if w != g.text else _apply(_JA_CASES.get(case, ()), g.text)
            for w, g in zip(out, given, strict=True)
        ]
        if surname == last.text:
            surname = _apply(_JA_CASES.get(case, ()), last.text)
    return [*out, surname]


# nominative surname ending → endings of its oblique forms (for matching later mentions by surname alone)
_FORMS = (
    (re.compile(r"(ск|цк)ий$"), 2, ("ого", "ому", "им", "ом")),
    (re.compile(r"(ск|цк)ая$"), 2, ("ой", "ую", "ою")),
    (re.compile(r"(ов|ев|ёв|ин|ын)а$"), 1, ("ой", "у", "ою")),
    (re.compile(r"(ов|ев|ёв|ин|ын)$"), 0, ("а", "у", "ым", "е")),
    (re.compile(r"[^аеёиоуыэюяйь]а$"), 1, ("ы", "е", "у", "ой", "ою", "и")),
    (re.compile(r"[аеоуэ]й$"), 1, ("я", "ю", "ем", "е")),
    (re.compile(r"[^аеёиоуыэюяйь]$"), 0, ("а", "у", "ом", "е")),
)


def surname_forms(surname: str) -> frozenset[str]:
    """Lower-case oblique forms a nominative surname can take ("Фургал" → фургала, фургалу, фургалом, фургале;
    "Кисида" → кисиды, кисиде …); empty for names that do not decline ("Хаяси", "Сато", "Белых")."""
    low = surname.lower()
    for rx, cut, endings in _FORMS:
        if rx.search(low):
            stem = low[: len(low) - cut] if cut else low
            return frozenset(stem + e for e in endings)
    return frozenset()
