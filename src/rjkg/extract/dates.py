"""Dates of every precision in Russian text: days, ranges, months, years, seasons, relative expressions.

Regular expressions over month-name stems rather than a yargy grammar: the forms are few and fixed, and a regex
keeps exact character offsets. Relative expressions ("в январе текущего года", "30 июля", "на прошлой неделе") are
resolved against the document date (``anchor``) only when there is one; otherwise they stay at the precision the
text allows (a day and month without a year → ``PartialDate(None, m, d)``).

>>> [(s.quote(t), d.start.iso()) for t in ["встреча 31 мая 2019 г. в Токио"] for s, d in find_dates(t, 0, len(t), None)]
[('31 мая 2019 г.', '2019-05-31')]
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

from rjkg.records import DateValue, PartialDate, Span

# month stems → number; the regex below accepts every case form of the noun
_MONTH_FORMS = {
    1: "январ[ьяею]",
    2: "феврал[ьяею]",
    3: "март[аеу]?",
    4: "апрел[ьяею]",
    5: "ма[йяею]",
    6: "июн[ьяею]",
    7: "июл[ьяею]",
    8: "август[аеу]?",
    9: "сентябр[ьяею]",
    10: "октябр[ьяею]",
    11: "ноябр[ьяею]",
    12: "декабр[ьяею]",
}
_MONTH_ADJ = {
    1: "январск",
    2: "февральск",
    3: "мартовск",
    4: "апрельск",
    5: "майск",
    6: "июньск",
    7: "июльск",
    8: "августовск",
    9: "сентябрьск",
    10: "октябрьск",
    11: "ноябрьск",
    12: "декабрьск",
}
MONTH = "(?P<{name}>" + "|".join(_MONTH_FORMS.values()) + ")"
_B = r"(?<![\w-])"  # word start
_E = r"(?!\w)"  # word end
# a year, absolute or relative, after a day or month: "2019 г.", "2019 года", "этого года", "прошлого года"
_REL_WORDS = {
    "этого": 0,
    "этом": 0,
    "текущего": 0,
    "текущем": 0,
    "нынешнего": 0,
    "нынешнем": 0,
    "сего": 0,
    "прошлого": -1,
    "прошлом": -1,
    "минувшего": -1,
    "минувшем": -1,
    "предыдущего": -1,
    "будущего": 1,
    "будущем": 1,
    "следующего": 1,
    "следующем": 1,
    "наступающего": 1,
    "наступающем": 1,
}
_REL = "(?:" + "|".join(_REL_WORDS) + ")"
YEAR_NUM = r"(?:1[89]\d\d|20\d\d)"
_YEARSPEC = (
    rf"(?:\s+(?P<{{y}}>{YEAR_NUM})(?:\s*(?:г\.|гг\.|года|году|год|годом)(?!\w)|(?!\d))"
    rf"|\s+(?P<{{r}}>{_REL})\s+год[ау]?{_E})"
)


def _yearspec(n: int = 0) -> str:
    return _YEARSPEC.format(y=f"y{n}", r=f"r{n}")


def _month(name: str) -> str:
    return MONTH.format(name=name)


_VAGUE_MONTH = (
    r"(?:в\s+|во\s+|к\s+|до\s+|с\s+|не\s+позже\s+|не\s+позднее\s+|не\s+ранее\s+|"
    r"в\s+(?:начале|конце|середине)\s+|к\s+(?:началу|концу|середине)\s+|до\s+(?:начала|конца|середины)\s+|"
    r"в\s+(?:первой|второй|третьей|последней)\s+декаде\s+|во\s+второй\s+декаде\s+|"
    r"в\s+(?:первой|второй)\s+половине\s+|во\s+второй\s+половине\s+)"
)

# (name, regex) in priority order: earlier patterns win on overlap
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("numeric", re.compile(rf"{_B}(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.(?P<y0>{YEAR_NUM}){_E}(?:\s*г\.)?")),
    (
        "range_cross",
        re.compile(
            rf"{_B}с\s+(?P<d1>\d{{1,2}})\s+{_month('m1')}\s+(?:по|до)\s+(?P<d2>\d{{1,2}})\s+{_month('m2')}"
            rf"{_E}(?:{_yearspec()})?",
            re.I,
        ),
    ),
    (
        "range_days",
        re.compile(
            rf"{_B}(?:с\s+)?(?P<d1>\d{{1,2}})\s*(?:-|–|—|по\s|до\s)\s*(?P<d2>\d{{1,2}})\s+{_month('m1')}{_E}"
            rf"(?:{_yearspec()})?",
            re.I,
        ),
    ),
    ("day", re.compile(rf"{_B}(?P<d1>\d{{1,2}})\s+{_month('m1')}{_E}(?:{_yearspec()})?", re.I)),
    (
        "year_range",
        re.compile(
            rf"{_B}(?:с\s+|в\s+период\s+с\s+)(?P<ya>{YEAR_NUM})\s*(?:г\.|года)?\s*(?:по|до)\s+(?P<yb>{YEAR_NUM})"
            rf"(?:\s*(?:г\.|гг\.|год|года|годы)(?!\w))?",
            re.I,
        ),
    ),
    (
        "year_range_dash",
        re.compile(
            rf"{_B}(?P<ya>{YEAR_NUM})\s*[-–—]\s*(?P<yb>{YEAR_NUM})\s*(?:гг\.|годах|годы|годов|г\.)", re.I
        ),
    ),
    ("month", re.compile(rf"{_B}(?P<pre>{_VAGUE_MONTH})?{_month('m1')}{_E}(?:{_yearspec()})?", re.I)),
    (
        "month_adj",
        re.compile(
            rf"{_B}(?P<adj>" + "|".join(_MONTH_ADJ.values()) + r")(?:ой|ая|ую|ий|ие|их|ого|ом|ому|им|ими)\b",
            re.I,
        ),
    ),
    (
        "season",
        re.compile(
            rf"{_B}(?:(?:на|к|до)\s+)?(?P<season>летом|зимой|весной|осенью|лето|зиму|весну|осень)(?:{_yearspec()}){_E}",
            re.I,
        ),
    ),
    (
        "rel_year_gen",
        re.compile(
            rf"{_B}(?:до\s+конца|к\s+концу|в\s+конце|в\s+начале|в\s+течение|до\s+начала|в\s+середине|с\s+начала|"
            rf"(?:в|во)\s+(?:первой|второй)\s+половине|(?:в|во)\s+(?:первом|втором|третьем|четвертом|четвёртом)"
            rf"\s+(?:квартале|полугодии))\s+(?:(?P<r0>{_REL})\s+)?года{_E}",
            re.I,
        ),
    ),
    ("rel_year_loc", re.compile(rf"{_B}в\s+(?P<r0>{_REL})\s+году{_E}", re.I)),
    ("week", re.compile(rf"{_B}на\s+(?P<wk>прошлой|этой|текущей|следующей|будущей)\s+неделе{_E}", re.I)),
    ("today", re.compile(rf"{_B}(?P<today>сегодня|вчера|завтра|позавчера){_E}", re.I)),
    (
        "weekday",
        re.compile(
            rf"{_B}(?:в|во)\s+(?P<wd>понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье){_E}", re.I
        ),
    ),
    (
        "year",
        re.compile(
            rf"{_B}(?:в|с|до|к|по|от|на|за|после)?\s*(?P<y0>{YEAR_NUM})\s*(?:-?м\s+)?(?:г\.|года|году|год|годом)(?!\w)",
            re.I,
        ),
    ),
    ("acronym_year", re.compile(r"(?<![\w-])[A-ZА-ЯЁ]{2,}-(?P<y0>" + YEAR_NUM + r")(?!\d)")),
]

_MONTH_RES = {n: re.compile(f"^(?:{f})$", re.I) for n, f in _MONTH_FORMS.items()}


def month_number(word: str) -> int | None:
    """'августа' → 8."""
    for n, rx in _MONTH_RES.items():
        if rx.match(word):
            return n
    return None


def _year(m: re.Match, anchor: PartialDate | None, n: int = 0) -> tuple[int | None, bool, bool]:
    """(year, relative, stated) from the year part of a match."""
    gd = m.groupdict()
    if gd.get(f"y{n}"):
        return int(gd[f"y{n}"]), False, True
    rel = gd.get(f"r{n}")
    if rel:
        if anchor and anchor.year:
            return anchor.year + _REL_WORDS[rel.lower()], True, True
        return None, False, True
    return None, False, False


def _implicit_year(anchor: PartialDate | None) -> tuple[int | None, bool]:
    if anchor and anchor.year:
        return anchor.year, True
    return None, False


def _day_ok(y: int | None, m: int, d: int) -> bool:
    if not 1 <= m <= 12 or d < 1:
        return False
    return d <= calendar.monthrange(y or 2000, m)[1]


def _h_numeric(m, anchor):
    d, mo, y = int(m["d"]), int(m["m"]), int(m["y0"])
    if not _day_ok(y, mo, d):
        return None
    return DateValue(PartialDate(y, mo, d))


def _h_range_cross(m, anchor):
    m1, m2 = month_number(m["m1"]), month_number(m["m2"])
    y, rel, stated = _year(m, anchor)
    if not stated:
        y, rel = _implicit_year(anchor)
    d1, d2 = int(m["d1"]), int(m["d2"])
    if not (_day_ok(y, m1, d1) and _day_ok(y, m2, d2)):
        return None
    return DateValue(PartialDate(y, m1, d1), PartialDate(y, m2, d2), relative=rel)


def _h_range_days(m, anchor):
    mo = month_number(m["m1"])
    y, rel, stated = _year(m, anchor)
    if not stated:
        y, rel = _implicit_year(anchor)
    d1, d2 = int(m["d1"]), int(m["d2"])
    if not (_day_ok(y, mo, d1) and _day_ok(y, mo, d2)) or d1 >= d2:
        return None
    return DateValue(PartialDate(y, mo, d1), PartialDate(y, mo, d2), relative=rel)


def _h_day(m, anchor):
    mo, d = month_number(m["m1"]), int(m["d1"])
    y, rel, stated = _year(m, anchor)
    if not stated:
        y, rel = _implicit_year(anchor)
    if not _day_ok(y, mo, d):
        return None
    return DateValue(PartialDate(y, mo, d), relative=rel)


def _h_year_range(m, anchor):
    a, b = int(m["ya"]), int(m["yb"])
    if b < a:
        return None
    return DateValue(PartialDate(a), PartialDate(b))


def _h_month(m, anchor):
    mo = month_number(m["m1"])
    y, rel, stated = _year(m, anchor)
    if not stated:
        y, rel = _implicit_year(anchor)
    return DateValue(PartialDate(y, mo), relative=rel)


def _h_month_adj(m, anchor):
    adj = m["adj"].lower()
    mo = next(n for n, a in _MONTH_ADJ.items() if a == adj)
    y, rel = _implicit_year(anchor)
    return DateValue(PartialDate(y, mo), relative=rel)


def _h_year_only(m, anchor):
    y, rel, stated = _year(m, anchor)
    if y is None:
        return None
    return DateValue(PartialDate(y), relative=rel)


def _h_rel_year(m, anchor):
    """ "до конца текущего года", "во второй половине года" (no word: this year) → the year."""
    if not (anchor and anchor.year):
        return None
    shift = _REL_WORDS[m["r0"].lower()] if m["r0"] else 0
    return DateValue(PartialDate(anchor.year + shift), relative=True)


def _h_week(m, anchor):
    if not (anchor and anchor.year and anchor.month and anchor.day):
        return None
    shift = {"прошлой": -7, "этой": 0, "текущей": 0, "следующей": 7, "будущей": 7}[m["wk"].lower()]
    day = dt.date(anchor.year, anchor.month, anchor.day) + dt.timedelta(days=shift)
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        return DateValue(PartialDate(monday.year, monday.month), relative=True)
    if monday.year == sunday.year:
        return DateValue(PartialDate(monday.year), relative=True)
    return None


def _h_today(m, anchor):
    if not (anchor and anchor.year and anchor.month and anchor.day):
        return None
    shift = {"сегодня": 0, "вчера": -1, "завтра": 1, "позавчера": -2}[m["today"].lower()]
    day = dt.date(anchor.year, anchor.month, anchor.day) + dt.timedelta(days=shift)
    return DateValue(PartialDate(day.year, day.month, day.day), relative=True)


_WEEKDAYS = {
    "понедельник": 0,
    "вторник": 1,
    "среду": 2,
    "четверг": 3,
    "пятницу": 4,
    "субботу": 5,
    "воскресенье": 6,
}
_FUTURE = re.compile(
    r"состоит?ся|пройд[её]т|будет|будут|планиру|намечен|провед[её]т|проведут|посетит|прибудет", re.I
)


def _h_weekday(m, anchor):
    """ "в среду": the last such day up to the document date, or the next one when the sentence speaks of the
    future ("в пятницу состоится …")."""
    if not (anchor and anchor.year and anchor.month and anchor.day):
        return None
    day = dt.date(anchor.year, anchor.month, anchor.day)
    target = _WEEKDAYS[m["wd"].lower()]
    rest = m.string[m.end() : m.string.find(".", m.end()) if "." in m.string[m.end() :] else len(m.string)]
    if _FUTURE.search(rest[:120]):
        day += dt.timedelta(days=(target - day.weekday()) % 7 or 7)
    else:
        day -= dt.timedelta(days=(day.weekday() - target) % 7)
    return DateValue(PartialDate(day.year, day.month, day.day), relative=True)


def _h_year(m, anchor):
    return DateValue(PartialDate(int(m["y0"])))


_HANDLERS: dict[str, Callable] = {
    "numeric": _h_numeric, "range_cross": _h_range_cross, "range_days": _h_range_days, "day": _h_day,
    "year_range": _h_year_range, "year_range_dash": _h_year_range, "month": _h_month,
    "month_adj": _h_month_adj, "season": _h_year_only, "rel_year_gen": _h_rel_year, "rel_year_loc": _h_rel_year,
    "week": _h_week, "today": _h_today, "weekday": _h_weekday, "year": _h_year, "acronym_year": _h_year,
}  # fmt: skip


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def find_dates(
    text: str, start: int = 0, end: int | None = None, anchor: PartialDate | None = None
) -> list[tuple[Span, DateValue]]:
    """Every date expression in text[start:end], in text order, non-overlapping (longest pattern first).

    Spans index ``text``. ``resolved_from`` keeps the surface form; ``relative`` is True when the anchor was used.
    """
    end = len(text) if end is None else end
    taken: list[tuple[int, int]] = []
    found: list[tuple[Span, DateValue]] = []
    for name, rx in PATTERNS:
        for m in rx.finditer(text, start, end):
            s, e = _trim(text, m.start(), m.end())
            if s >= e or any(s < te and ts < e for ts, te in taken):
                continue
            value = _HANDLERS[name](m, anchor)
            if value is None:
                continue
            taken.append((s, e))
            found.append(
                (
                    Span(s, e),
                    DateValue(value.start, value.end, resolved_from=text[s:e], relative=value.relative),
                )
            )
    found.sort(key=lambda t: t[0].start)
    return found
