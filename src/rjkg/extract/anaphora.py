"""Descriptors that refer back to a named person or body ("дипломат", "глава ведомства", "министерство"): never
entities themselves, but a statement's speaker may be one. `resolve_descriptor` maps one to the closest preceding
entity of the matching kind: a person holding a fitting post (per ctx.posts), or a body of the fitting type.

Used after the names and posts steps (statements, events): ``resolve_descriptor(ctx, start, "дипломат")``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rjkg.extract.context import Context
from rjkg.records import Entity


@dataclass(frozen=True)
class Kind:
    """What a descriptor can refer to: a person holding a post whose title (lower case, as worded or without the
    organisation) matches `post` or whose organisation's name matches `org`; or an organisation of one of `types`
    whose name matches `name` (any name when None)."""

    post: re.Pattern | None = None
    org: re.Pattern | None = None
    types: frozenset[str] = frozenset()
    name: re.Pattern | None = None


_FOREIGN_SERVICE = re.compile(r"\bмид\b|иностранных дел|посольств|консульств|дипломатическ")
_HEAD = re.compile(
    r"^(?:и\.\s?о\.\s*|врио\s+)?(?:министр\b|глава|руководител|директор|председател|начальник|управляющ)"
)
_PREMIER = re.compile(r"премьер|^председатель правительства")
_BODIES = frozenset({"GovernmentBody"})

KINDS: dict[str, Kind] = {
    "дипломат": Kind(
        post=re.compile(r"посол|посланник|консул|атташе|дипломат|иностранных дел|\bмид\b"),
        org=_FOREIGN_SERVICE,
    ),
    "министр": Kind(post=re.compile(r"^(?:и\.\s?о\.\s*|врио\s+)?министр\b")),
    "глава ведомства": Kind(post=_HEAD),
    "руководитель ведомства": Kind(post=_HEAD),
    "глава министерства": Kind(post=re.compile(r"^(?:и\.\s?о\.\s*|врио\s+)?министр\b")),
    "посол": Kind(post=re.compile(r"^(?:чрезвычайный и полномочный )?посол|посланник")),
    "губернатор": Kind(
        post=re.compile(r"^(?:вр?и?о?\.?\s*)?губернатор|^глава (?:области|края|региона|префектуры)")
    ),
    "премьер": Kind(post=_PREMIER),
    "премьер-министр": Kind(post=_PREMIER),
    "генсек": Kind(post=re.compile(r"генсек|генеральный секретарь")),
    "президент": Kind(post=re.compile(r"^президент")),
    "мэр": Kind(post=re.compile(r"^(?:вице-)?мэр|^глава города")),
    "ведомство": Kind(types=_BODIES),
    "министерство": Kind(types=_BODIES, name=re.compile(r"^министерств|^мин[а-яё]+\b|^мид\b")),
    "компания": Kind(types=frozenset({"Company"})),
    "корпорация": Kind(types=frozenset({"Company"})),
    "банк": Kind(types=frozenset({"Bank"})),
}


def _last_mention_before(e: Entity, start: int) -> int | None:
    ends = [m.end for m in e.mentions if m.end <= start]
    return max(ends) if ends else None


def _person_fits(ctx: Context, e: Entity, kind: Kind) -> bool:
    if e.type != "Person" or (kind.post is None and kind.org is None):
        return False
    names = {x.key: x.name_ru for x in ctx.entities}
    for h in ctx.posts:
        if h.person != e.key:
            continue
        if kind.post is not None and any(kind.post.search(t.lower()) for t in (h.title, h.full_title) if t):
            return True
        if kind.org is not None and kind.org.search(names.get(h.org or "", "").lower()):
            return True
    return False


def _body_fits(e: Entity, kind: Kind) -> bool:
    if e.type not in kind.types:
        return False
    return kind.name is None or any(kind.name.search(n.lower()) for n in (e.name_ru, *e.aliases))


def resolve_descriptor(ctx: Context, start: int, lemma: str) -> str | None:
    """The key of the entity a descriptor at offset `start` stands for ("дипломат" → the closest preceding person
    holding a diplomatic post; "министерство" → the closest preceding ministry), or None when nothing before it fits.
    `lemma` is the descriptor's normal form, lower case; two-word descriptors ("глава ведомства") as written."""
    kind = KINDS.get(" ".join(lemma.lower().replace("ё", "е").split()))
    if kind is None:
        return None
    best: tuple[int, str] | None = None
    for e in ctx.entities:
        at = _last_mention_before(e, start)
        if at is None or (best is not None and at <= best[0]):
            continue
        if _person_fits(ctx, e, kind) or _body_fits(e, kind):
            best = (at, e.key)
    return best[1] if best else None
