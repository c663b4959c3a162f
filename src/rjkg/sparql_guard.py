"""Decide, before anything runs, whether a SPARQL request may reach the query engine.

Why this exists: pyoxigraph 0.5.13 executes `SERVICE` and cannot be told not to (SERVING.md §3.1), so a public
endpoint must refuse federated queries itself. A substring test for "service" would also refuse the many literals
of this domain such as "Federal Security Service", so the query is *tokenised*: comments, string literals (short and
long forms), IRIs, variables, blank-node labels, language tags and the local part of prefixed names are dropped, and
only bare words (keywords, function names, booleans) and prefix labels are checked.

The check is deliberately conservative where parsers could disagree:
- it runs on two views of the text, raw and with `\\u`/`\\U` escapes decoded (the spec decodes them before parsing;
  0.5.13 does not), and refuses if either view shows a SERVICE keyword;
- oxigraph's PEG grammar matches keywords without a word boundary (`SERVICESILENT<…>` and `SERVICEex:x` run, as
  does `trueSERVICE <…>` after a boolean), so any bare word or prefix label *containing* "service" is refused;
- a prefixed name's local part is cut at the first `.`, so `ex:a.SERVICE` counts as a keyword (oxigraph reads
  `?o.SERVICE` and `1.SERVICE` as a triple end followed by SERVICE);
- text the tokeniser cannot read is skipped one character at a time, which can only reveal more words.

Updates (INSERT, DELETE, LOAD, …) are recognised the same way so that they get 403 rather than a syntax error.

>>> analyse('SELECT * WHERE { ?s ?p "Federal Security Service"@en }').federated
False
>>> analyse('SELECT * WHERE { SeRvIcE <http://127.0.0.1:9/> { ?s ?p ?o } }').federated
True
>>> analyse('INSERT DATA { <a> <b> <c> }').update
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UPDATE_KEYWORDS = frozenset(
    {"insert", "delete", "load", "clear", "create", "drop", "copy", "move", "add", "with"}
)
QUERY_FORMS = frozenset({"select", "construct", "describe", "ask"})

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n\r]*)
    | (?P<lstring>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<bnode>_:[\w\-]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?P<prefix>[^\W\d_][\w\-]*)?:(?:[\w\-:]|%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?\#@%])*)
    | (?P<word>\w+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_IRI = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
# any of these substrings outside IRIs sends a text to the tokeniser (one C-level search instead of eleven)
_HINT = re.compile("|".join(["service", re.escape("\\u"), *sorted(UPDATE_KEYWORDS)]))
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Analysis:
    """What the guard learned about one request text."""

    federated: bool  # a SERVICE keyword (in either view)
    update: bool  # an update keyword: the text is SPARQL Update, not a query
    text: str = ""

    @property
    def form(self) -> str | None:
        """select | construct | describe | ask: the first query-form keyword (tokenised on demand)."""
        return next((w for w in bare_words(self.text) if w in QUERY_FORMS), None)


def decode_escapes(text: str) -> str:
    """Decode `\\uXXXX`/`\\UXXXXXXXX` as SPARQL 1.1 §19.2 says parsers must; invalid code points stay as written."""

    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return m.group(0)
        return chr(code)

    return _ESCAPE.sub(one, text)


def bare_words(text: str) -> list[str]:
    """Lower-cased bare words and prefix labels of `text`, in order; everything quoted or named is dropped."""
    words: list[str] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            words.append(m.group().lower())
        elif kind in ("pname", "prefix") and m.group("prefix"):
            words.append(m.group("prefix").lower())
    return words


def analyse(text: str) -> Analysis:
    """Tokenise both views of a query or update and report SERVICE and update keywords.

    Fast path: outside IRIs (whose text is never a keyword: PREFIX blocks name many namespaces), a text holding
    neither "service", an update keyword nor a `\\u`/`\\U` escape has none of them as a token either.
    """
    if not _HINT.search(_IRI.sub(" ", text.lower())):
        return Analysis(federated=False, update=False, text=text)
    views = [text]
    decoded = decode_escapes(text)
    if decoded != text:
        views.append(decoded)
    federated = update = False
    for view in views:
        for word in bare_words(view):
            if "service" in word:
                federated = True
            if word in UPDATE_KEYWORDS:
                update = True
    return Analysis(federated=federated, update=update, text=text)
