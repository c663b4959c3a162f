"""Places: typing natasha's LOC spans the gazetteer does not know, and capitals used for their state's government
("Токио настоятельно требует", "переговоров с Токио" → Japan; "подписаны в Токио" → the city)."""

from __future__ import annotations

import re

from rjkg.extract.context import Sentence, Token

REGION_HEADS = {
    "край",
    "область",
    "округ",
    "регион",
    "остров",
    "полуостров",
    "побережье",
    "префектура",
    "район",
    "провинция",
    "штат",
    "губерния",
    "архипелаг",
    "залив",
    "пролив",
    "море",
    "океан",
    "республика",
}
# a descriptor word in front of a name that makes the pair a region's name: "префектура Хёго", "провинция Ляонин"
REGION_DESCRIPTORS = {
    "префектура",
    "провинция",
    "штат",
    "уезд",
    "губерния",
    "остров",
    "острова",
    "полуостров",
}
PLACE_HEADS = {"аэропорт", "порт", "космодром", "вокзал", "площадь", "улица", "парк", "станция", "гавань"}
# posts of a city: after them a capital is the city itself ("мэр Москвы", "губернатор Токио")
CITY_POSTS = {
    "мэр",
    "вице-мэр",
    "губернатор",
    "вице-губернатор",
    "мэрия",
    "градоначальник",
    "житель",
    "жительница",
}
_LOCATIVE_PREPS = {"в", "во", "из", "под", "около", "возле", "близ"}


def loc_type(tokens: list[Token]) -> str:
    """Gold type for an unknown LOC name from its words: region words, place words, else a municipality."""
    lemmas = [t.lemma for t in tokens]
    if (
        lemmas
        and lemmas[0] in ("республика", "королевство", "княжество", "султанат", "эмират")
        and len(lemmas) > 1
    ):
        return "State"
    if any(lem in ("городской", "муниципальный") for lem in lemmas):
        return "Municipality"
    if any(lem in REGION_HEADS for lem in lemmas):
        return "Region"
    if any(lem in PLACE_HEADS for lem in lemmas):
        return "Place"
    return "Municipality"


def is_place_use(sentence: Sentence, first: int, last: int, text: str) -> bool:
    """Is the capital at tokens [first, last) used as a place (after в/во/из, or in a dateline), not as an actor?"""
    toks = sentence.tokens
    prev = toks[first - 1].text.lower() if first > 0 else ""
    if prev in _LOCATIVE_PREPS:
        return True
    if first > 0 and toks[first - 1].lemma in CITY_POSTS:
        return True  # "мэр Москвы", "вице-губернатора Токио": the city's own post, not the state's government
    after = text[toks[last - 1].end : min(len(text), toks[last - 1].end + 20)]
    before = text[max(sentence.start, toks[first].start - 2) : toks[first].start]
    # datelines: "(31 мая 2019 г., Токио)", "…, Москва, 31 июля 2018 года"
    if (
        re.match(r"\s*\)", after)
        or re.match(r",\s*\d{1,2}\s+[а-я]+", after)
        or re.search(r"[(,]\s*$", before)
    ):
        return True
    return False
