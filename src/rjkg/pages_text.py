"""Source text with evidence spans highlighted, rendered server-side.

Spans are code-point offsets (Python str indices) into the decoded document, so they are cut here in Python and
never in the browser (JavaScript counts UTF-16 units). Spans may nest or cross; we flatten them into elementary
segments (each covered by a fixed set of spans) so the HTML never nests links and stays well-formed whatever the
overlap. Each segment takes the innermost span's kind and link; every covering span's fact is in its title.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape


@dataclass
class Mark:
    """One evidence span with what it evidences (one or more facts)."""

    start: int
    end: int
    kind: str  # css kind: person, org, place, event, instrument, statement, institution, post, other
    href: str | None  # where the span links (the primary fact's page)
    facts: list[str] = field(default_factory=list)  # one line per fact, shown on hover

    @property
    def anchor(self) -> str:
        return f"span-{self.start}-{self.end}"


def segments(text_len: int, marks: list[Mark]) -> list[tuple[int, int, list[Mark]]]:
    """Cut [0, text_len) at every span boundary; each piece lists its covering marks, outermost first.

    >>> [(s, e, [m.kind for m in ms]) for s, e, ms in segments(6, [Mark(0, 4, "a", None), Mark(2, 6, "b", None)])]
    [(0, 2, ['a']), (2, 4, ['a', 'b']), (4, 6, ['b'])]
    """
    valid = [m for m in marks if 0 <= m.start < m.end <= text_len]
    cuts = sorted({0, text_len, *(m.start for m in valid), *(m.end for m in valid)})
    out = []
    for s, e in zip(cuts, cuts[1:], strict=False):
        cover = [m for m in valid if m.start <= s and e <= m.end]
        cover.sort(key=lambda m: (-(m.end - m.start), m.start))
        out.append((s, e, cover))
    return out


def highlight(text: str, marks: list[Mark]) -> str:
    """HTML for ``text`` with every mark highlighted; text content equals ``text`` exactly.

    >>> highlight("Лавров и Коно", [Mark(0, 6, "person", "/id/person/lavrov", ["Лицо: Сергей Лавров"])])
    '<a id="span-0-6" class="anchor"></a><a class="hl k-person" href="/id/person/lavrov" title="Лицо: Сергей Лавров" data-span="0-6">Лавров</a> и Коно'
    """
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        if 0 <= m.start < m.end <= len(text):
            starts.setdefault(m.start, []).append(m)
    parts: list[str] = []
    for s, e, cover in segments(len(text), marks):
        for m in sorted(starts.get(s, []), key=lambda m: -(m.end - m.start)):
            parts.append(f'<a id="{m.anchor}" class="anchor"></a>')
        chunk = escape(text[s:e], quote=False)
        if not cover:
            parts.append(chunk)
            continue
        inner = cover[-1]
        classes = ["hl", f"k-{inner.kind}"]
        if len(cover) > 1:
            classes += ["nested", f"outer-{cover[-2].kind}"]
        title = "\n".join(f for m in cover for f in m.facts)
        spans = " ".join(f"{m.start}-{m.end}" for m in cover)
        tag, attrs = "mark", f'class="{" ".join(classes)}"'
        if inner.href:
            tag, attrs = "a", attrs + f' href="{escape(inner.href)}"'
        parts.append(f'<{tag} {attrs} title="{escape(title)}" data-span="{spans}">{chunk}</{tag}>')
    return "".join(parts)
