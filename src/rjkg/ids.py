"""Deterministic slugs for resource IRIs (ontology/README.md, "IRI scheme").

>>> slugify("Министр иностранных дел Японии")
'ministr-inostrannykh-del-yaponii'
>>> slugify("Есимаса Хаяси")
'esimasa-khayasi'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_TRANSLIT = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}
MAX_SLUG = 60


def short_hash(key: str, n: int = 8) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:n]


def slugify(text: str, max_len: int = MAX_SLUG) -> str:
    """Lower-case ASCII slug of any text; long keys are cut and suffixed with 8 hex of their SHA-256."""
    s = unicodedata.normalize("NFKC", text).casefold()
    out = []
    for ch in s:
        if ch in _TRANSLIT:
            out.append(_TRANSLIT[ch])
        elif ch.isascii() and ch.isalnum():
            out.append(ch)
        else:
            decomposed = unicodedata.normalize("NFKD", ch)
            base = "".join(c for c in decomposed if c.isascii() and c.isalnum())
            out.append(base or "-")
    slug = re.sub(r"-+", "-", "".join(out)).strip("-") or "x"
    if len(slug) > max_len:
        slug = slug[:max_len].rstrip("-") + "-" + short_hash(text)
    return slug
