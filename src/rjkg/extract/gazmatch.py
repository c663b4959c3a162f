"""Find gazetteer names in sentences by lemma, so every inflected form matches ("МИД России", "в МИД РФ",
"российского министерства внутренних дел") without listing forms.

A name matches a run of word tokens when each token shares a normal form with the name's word in that position.
Capitalised words of a name must be capitalised in the text (so "восточный" is not "Восточный"), abbreviations
must be upper case; a name's first word may be lower case when it is an ordinary word ("правительства России").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rjkg.extract.context import Sentence, Token
from rjkg.extract.nlp import parse
from rjkg.resolve import GazEntry, Gazetteer, load_gazetteer, variants

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_PROPER_TAGS = ("Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr")


@dataclass(frozen=True)
class NameWord:
    forms: frozenset[str]
    cap: bool  # the text's token must start with a capital
    upper: bool  # the text's token must be upper case (abbreviation)
    plural: bool = (
        False  # the word is plural ("острова"); a singular common-noun head must not match a plural
    )


@dataclass(frozen=True)
class Hit:
    entry: GazEntry
    start: int  # char offsets into doc.text
    end: int
    first: int  # token indices in the sentence, half-open
    last: int


def _e(s: str) -> str:
    return s.replace("ё", "е").replace("Ё", "Е")


@lru_cache(maxsize=100_000)
def forms(word: str) -> frozenset[str]:
    """Lower-case surface plus every pymorphy normal form of a word (ё→е)."""
    low = _e(word.lower())
    out = {low}
    if re.search(r"[а-яё]", low):
        for p in parse(word)[:6]:
            out.add(_e(p.normal_form))
    return frozenset(out)


def _is_proper(word: str) -> bool:
    ps = parse(word)
    return not ps or not ps[0].is_known or any(t in str(ps[0].tag) for t in _PROPER_TAGS)


def _alien(p) -> bool:
    """A parse that reads a proper name as a pronoun, a person's name or a function word."""
    return any(t in p.tag for t in ("Apro", "NPRO", "Name", "Surn", "Patr", "PREP", "CONJ", "PRCL"))


def _function_word(word: str) -> bool:
    ps = parse(word)
    return bool(ps) and any(t in ps[0].tag for t in ("Apro", "NPRO", "PREP", "CONJ", "PRCL"))


def name_words(name: str) -> tuple[NameWord, ...]:
    words = _WORD.findall(name)
    out = []
    for i, w in enumerate(words):
        upper = len(w) > 1 and w.isupper()
        cap = w[:1].isupper() and (i > 0 or len(words) == 1 or upper or _is_proper(w))
        ps = parse(w)
        fs = forms(w)
        if len(words) == 1:
            # a one-word name matches only through its own lemmas: "Того" (Togo) must not match the pronoun
            # "тот", nor "Доминика" (Dominica) the name "Доминик"
            fs = frozenset({_e(w.lower())} | {_e(p.normal_form) for p in ps[:6] if not _alien(p)})
        out.append(NameWord(fs, cap, upper, bool(ps) and "plur" in ps[0].tag))
    return tuple(out)


@dataclass(frozen=True)
class Index:
    by_first: dict[str, tuple[tuple[tuple[NameWord, ...], GazEntry], ...]]


@lru_cache(maxsize=4)
def index(gaz: Gazetteer | None = None) -> Index:
    gaz = gaz or load_gazetteer()
    table: dict[str, list] = {}
    for e in gaz.entries:
        for n in dict.fromkeys(v for name in (e.name_ru, *e.aliases) for v in variants(name)):
            ws = name_words(n)
            if not ws:
                continue
            for f in ws[0].forms:
                table.setdefault(f, []).append((ws, e))
    return Index({k: tuple(sorted(v, key=lambda x: -len(x[0]))) for k, v in table.items()})


def _word_tokens(s: Sentence) -> list[tuple[int, Token]]:
    return [(i, t) for i, t in enumerate(s.tokens) if _WORD.fullmatch(t.text)]


def _fits(nw: NameWord, t: Token) -> bool:
    if nw.upper and not t.text.isupper():
        return False
    if nw.cap and not t.text[:1].isupper():
        return False
    return bool(nw.forms & (forms(t.text) | {_e(t.lemma)}))


def _gap_ok(text: str) -> bool:
    """Only spaces, hyphens, dashes, dots, commas or quotes between two words of one name."""
    return len(text) <= 4 and not re.search(r"[^\s\-–—.,«»\"'()]", text) and "\n" not in text


def find(sentence: Sentence, doc_text: str, gaz: Gazetteer | None = None) -> list[Hit]:
    """Every gazetteer name in a sentence (longest at each position; nested names are found too)."""
    idx = index(gaz)
    words = _word_tokens(sentence)
    hits: list[Hit] = []
    for k, (i, t) in enumerate(words):
        cands = set(forms(t.text)) | {_e(t.lemma)}
        options = [opt for f in cands for opt in idx.by_first.get(f, ())]
        best: Hit | None = None
        for ws, entry in sorted(options, key=lambda x: -len(x[0])):
            if k + len(ws) > len(words):
                continue
            ok = True
            for j, nw in enumerate(ws):
                ti, tok = words[k + j]
                if not _fits(nw, tok):
                    ok = False
                    break
                if j and not _gap_ok(doc_text[words[k + j - 1][1].end : tok.start]):
                    ok = False
                    break
            if ok and len(ws) > 1 and not ws[0].cap and not ws[0].plural and t.feats.get("Number") == "Plur":
                ok = False  # "правительств России" (plural) is not "Правительство России"
            if ok:
                last_i, last_t = words[k + len(ws) - 1]
                if best is None or last_t.end > best.end:
                    best = Hit(entry, t.start, last_t.end, i, last_i + 1)
        if best is not None and best.last - best.first == 1 and k == 0 and _function_word(t.text):
            best = None  # "Того же мнения …" opens a sentence with a pronoun, not with Togo
        if best is not None:
            hits.append(best)
    return hits
