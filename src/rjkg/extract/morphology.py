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
        return (
            "-".join(p[:1].upper() + p[1:] for p in word.split("-"))
            if "-" in text_like
            else word[:1].upper() + word[1:]
        )
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


def person_word(tok: Token) -> str:
    """A word of a person's name in the nominative. Japanese names ("Яити", "Хаяси") do not decline, and pymorphy
    guesses them wrongly, so a word is changed only when pymorphy knows it or its ending is surely oblique."""
    case = tok.feats.get("Case")
    text = tok.text
    if not re.search(r"[а-яё]", text.lower()):
        return text
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
