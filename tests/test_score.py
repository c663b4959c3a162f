"""The scoring rules of tests/gold/README.md §3, as tables: the README's own examples first."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rjkg import score
from rjkg.errors import InputError
from rjkg.score import GoldEntity, GoldEvent, GoldInstitution, GoldInstrument, GoldPost, GoldStatement

GOLD = Path(__file__).parent / "gold" / "seeds"


def person(name: str, *aliases: str, mentions: tuple[str, ...] = ()) -> GoldEntity:
    return GoldEntity(id="p", type="Person", name_ru=name, aliases=aliases, mentions=mentions)


NORM = [
    ("Ёлка  МИД-РФ!", "елка мид рф"),
    ("«Хоккайдо синбун»", "хоккайдо синбун"),
    ("URA.RU", "ura ru"),
    ("  Ｔｏｋｙｏ\u00a02019 ", "tokyo 2019"),
    ("", ""),
]


@pytest.mark.parametrize("text, expected", NORM, ids=[c[1] or "empty" for c in NORM])
def test_norm(text, expected):
    assert score.norm(text) == expected


def test_stems_and_cover():
    assert score.stems("Мирный договор и ООН") == {"мирны", "догов", "оон"}
    assert score.cover("Мирный договор", "мирный договор с Японией") == 1.0
    assert (
        score.cover("Мирный договор", "о мирном договоре") == 0.5
    )  # stems are 5-letter prefixes: мирны ≠ мирно
    assert score.cover("План сотрудничества из 8 пунктов", "план из восьми пунктов") == pytest.approx(2 / 3)
    assert score.cover("", "что угодно") == 0.0  # no stems in gold: nothing can be covered


NAME_MATCH = [
    # the README's examples
    ("С. Абэ", person("Синдзо Абэ"), True),
    ("Яити Накахара", person("Накахара Яити"), True),
    ("Т. Абэ", person("Синдзо Абэ"), False),
    # exact forms: name, alias, mention, English name; case, ё and punctuation do not matter
    ("синдзо абэ", person("Синдзо Абэ"), True),
    ("С.В.Лавров", person("Сергей Лавров", mentions=("С.В.Лавров",)), True),
    ("Сергеем Лавровым", person("Сергей Лавров", mentions=("Сергеем Лавровым",)), True),
    ("Сергеем Лавровым", person("Сергей Лавров"), False),  # an inflected form is not a name unless a mention
    ("С.В. Лавров", person("Сергей Лавров"), True),  # initials agree with the first name
    ("Лавров", person("Сергей Лавров"), True),  # surname alone: no letters to disagree
    ("Сергей Лавров", person("Лавров"), True),
    ("В. Лавров", person("Сергей Лавров"), False),
    ("Алексей Лавров", person("Сергей Лавров"), False),  # word sets not nested
    ("Кравчук С. А.", person("Кравчук С. А."), True),
    ("Сергей Кравчук", person("Кравчук С. А."), True),
    ("Пётр Кравчук", person("Кравчук С. А."), False),
    ("", person("Синдзо Абэ"), False),
    ("Хиросигэ Сэко", person("Хиросигэ Сэко", "Сэко Хиросигэ"), True),
]


@pytest.mark.parametrize("x, gold, expected", NAME_MATCH, ids=[f"{c[0]}~{c[1].name_ru}" for c in NAME_MATCH])
def test_name_match(x, gold, expected):
    assert score.name_match(x, gold) is expected


def test_person_fallback_only_for_persons():
    state = GoldEntity(id="s", type="State", name_ru="Российская Федерация", aliases=("РФ",))
    assert score.name_match("РФ", state)
    assert not score.name_match("Федерация", state)  # would pass the person rule; not a person
    assert score.name_match("Federation", GoldEntity("x", "State", "Россия", name_en="Federation"))


DATES = [
    (None, None, True),
    (None, "2019-05-31", True),
    ("2019", None, False),
    ("2019", "2019-05-31", True),
    ("2019-05", "2019-05-31", True),
    ("2019-05-31", "2019-05", False),  # coarser extracted date does not reach the gold's precision
    ("2019-05-31", "2019-05-31", True),
    ("2019-05-31", "2019-05-30", False),
    ("2019-05", "2019-06", False),
    ("--05-31", "2019-05-31", True),
    ("--05-31", "--05-31", True),
    ("--05-31", "--05-30", False),
    ("--05-31", "2019-05", False),
    ("--05", "2019-05-31", True),
    ("2019-05-31", "--05-31", False),
]


@pytest.mark.parametrize("g, x, expected", DATES, ids=[f"{c[0]}|{c[1]}" for c in DATES])
def test_date_compat(g, x, expected):
    assert score.date_compat(g, x) is expected


KONO = person("Таро Коно")
LAVROV = person("Сергей Лавров")
JAPAN = GoldEntity("japan", "State", "Япония", name_en="Japan", mentions=("Японии",))
MOFA = GoldEntity("mofa", "GovernmentBody", "Министерство иностранных дел Японии", aliases=("МИД Японии",))

POSTS = [
    (score.XPost("Таро Коно", "Министр иностранных дел", "Япония"), True),
    (score.XPost("Т. Коно", "министр иностранных дел японии", None), True),  # full title; no org given
    (score.XPost("Таро Коно", "Министр", "Япония"), True),  # x inside gold, padded by spaces
    (score.XPost("Таро Коно", "Минис", "Япония"), False),  # not a whole-word containment
    (score.XPost("Таро Коно", "Министр иностранных дел", "Россия"), False),  # wrong organisation
    (score.XPost("Таро Коно", "Министр иностранных дел", "МИД Японии"), True),  # any listed organisation
    (score.XPost("Сергей Лавров", "Министр иностранных дел", "Япония"), False),
    (score.XPost("Таро Коно", "Министр иностранных дел", "Япония", "Person"), True),
    (
        score.XPost("Таро Коно", "Министр иностранных дел", "Япония", "GovernmentBody"),
        False,
    ),  # entity rule: type
]


@pytest.mark.parametrize("x, expected", POSTS, ids=[f"{c[0].person}/{c[0].post}/{c[0].org}" for c in POSTS])
def test_post_predicate(x, expected):
    g = GoldPost(KONO, "Министр иностранных дел", "Министр иностранных дел Японии", (JAPAN, MOFA))
    assert score.post_ok(x, g) is expected


def test_post_without_gold_organisation_ignores_extracted_one():
    g = GoldPost(KONO, "Министр иностранных дел", None, ())
    assert score.post_ok(score.XPost("Таро Коно", "Министр иностранных дел", "Россия"), g)


EVENT = GoldEvent("e", "Meeting", ("Negotiation",), "2019-05-31", (KONO, LAVROV, JAPAN))
EVENTS = [
    (score.XEvent("Meeting", "2019-05-31", ("Таро Коно", "Сергей Лавров")), True),
    (score.XEvent("Negotiation", "2019-05-31", ("Т. Коно", "Лавров")), True),  # alt type
    (score.XEvent("Visit", "2019-05-31", ("Таро Коно", "Сергей Лавров")), False),
    (score.XEvent("Meeting", "2019-05", ("Таро Коно", "Сергей Лавров")), False),  # date too coarse
    (score.XEvent("Meeting", "2019-05-31", ("Таро Коно",)), False),  # 1 of 3 < ⌈3/2⌉
    (score.XEvent("Meeting", "2019-05-31", ("Таро Коно", "Таро Коно")), False),  # distinct participants
    (score.XEvent("Meeting", "2019-05-31", ("Японии", "Лавров", "Пётр Иванов")), True),  # type ignored
]


@pytest.mark.parametrize(
    "x, expected", EVENTS, ids=[f"{c[0].type}/{c[0].date}/{len(c[0].participants)}" for c in EVENTS]
)
def test_event_predicate(x, expected):
    assert score.event_ok(x, EVENT) is expected


def test_event_with_no_gold_participants_or_date():
    g = GoldEvent("e", "Sanctions")
    assert score.event_ok(score.XEvent("Sanctions", None, ()), g)
    assert score.event_ok(score.XEvent("Sanctions", "2022", ("Япония",)), g)


INSTR = GoldInstrument("i", "Memorandum", None, {"signed": "2000-09-05", "terminated": "2025-01"})
TREATY = GoldInstrument("t", "Treaty", "Мирный договор")
INSTRUMENTS = [
    (score.XInstrument("Memorandum", None, (("signed", "2000-09-05"),)), INSTR, True),
    (score.XInstrument("Memorandum", None, (("terminated", "2025-01-15"),)), INSTR, True),
    (score.XInstrument("Memorandum", None, (("signed", "2003-06-29"),)), INSTR, False),
    (score.XInstrument("Memorandum", None, (("proposed", "2000-09-05"),)), INSTR, False),  # kinds must agree
    (score.XInstrument("Memorandum", "меморандум", ()), INSTR, False),  # no shared date, no gold title
    (score.XInstrument("Agreement", None, (("signed", "2000-09-05"),)), INSTR, False),
    (score.XInstrument("Treaty", "Мирный договор между Россией и Японией", ()), TREATY, True),
    (score.XInstrument("Treaty", "мирного договора", ()), TREATY, False),  # мирно ≠ мирны: Cover 1/2
    (score.XInstrument("Treaty", "договор", ()), TREATY, False),  # Cover 1/2 < 0.6
]


@pytest.mark.parametrize("x, g, expected", INSTRUMENTS, ids=[str(i) for i in range(len(INSTRUMENTS))])
def test_instrument_predicate(x, g, expected):
    assert score.instrument_ok(x, g) is expected


CENTERS = GoldInstitution(
    "c", "TechnicalAssistanceCenter", "Японские центры технического содействия реформам в России",
    aliases=("Центры технического содействия",), mentions=("японских центров",),
)  # fmt: skip
INSTITUTIONS = [
    (score.XInstitution("TechnicalAssistanceCenter", "японских центров"), True),  # a mention
    (
        score.XInstitution("TechnicalAssistanceCenter", "центры технического содействия реформам"),
        True,
    ),  # Cover
    (score.XInstitution("TechnicalAssistanceCenter", "центр"), False),
    (score.XInstitution("CenterOrFund", "японских центров"), False),
]


@pytest.mark.parametrize("x, expected", INSTITUTIONS, ids=[c[0].name for c in INSTITUTIONS])
def test_institution_predicate(x, expected):
    assert score.institution_ok(x, CENTERS) is expected


STMT = GoldStatement((KONO, JAPAN), "стороны подтвердили намерение продолжить переговоры о мирном договоре")
STATEMENTS = [
    (score.XStatement(("Таро Коно",), "подтвердили намерение продолжить переговоры"), True),
    (score.XStatement(("Сергей Лавров", "Япония"), "подтвердили намерение продолжить переговоры"), True),
    (score.XStatement(("Сергей Лавров",), "подтвердили намерение продолжить переговоры"), False),
    (score.XStatement(("Таро Коно",), "продолжить переговоры"), False),  # Cover 2/8 < 0.5
    (score.XStatement((), "стороны подтвердили намерение продолжить переговоры о мирном договоре"), False),
]


@pytest.mark.parametrize("x, expected", STATEMENTS, ids=[str(i) for i in range(len(STATEMENTS))])
def test_statement_predicate(x, expected):
    assert score.statement_ok(x, STMT) is expected


def test_matching_is_maximum_where_greedy_fails():
    # gold 0 accepts extracted 0 and 1; gold 1 accepts only extracted 0. Greedy gives gold 0 → x0 and loses a pair.
    ok = {(0, 0), (0, 1), (1, 0)}
    pairs = score.max_matching([0, 1], [0, 1], lambda g, x: (g, x) in ok)
    assert pairs == [(0, 1), (1, 0)]
    gold = [person("Синдзо Абэ"), person("Акиэ Абэ")]
    extracted = [score.XEntity("Person", "Абэ"), score.XEntity("Person", "Синдзо Абэ")]
    assert score.count("entities", gold, extracted) == score.Counts(tp=2, fp=0, fn=0)


def test_duplicates_are_false_positives():
    c = score.count("entities", [KONO], [score.XEntity("Person", "Таро Коно")] * 3)
    assert (c.tp, c.fp, c.fn) == (1, 2, 0)


COUNTS = [
    (score.Counts(0, 0, 0), (1.0, 1.0, 1.0)),  # both empty
    (score.Counts(0, 0, 3), (0.0, 0.0, 0.0)),  # nothing extracted
    (score.Counts(0, 2, 0), (0.0, 0.0, 0.0)),  # nothing in gold
    (score.Counts(2, 2, 0), (0.5, 1.0, 2 / 3)),
    (score.Counts(3, 1, 2), (0.75, 0.6, 2 * 0.75 * 0.6 / 1.35)),
]


@pytest.mark.parametrize("counts, expected", COUNTS, ids=[str(c[0]) for c in COUNTS])
def test_precision_recall_f1(counts, expected):
    assert (counts.precision, counts.recall, counts.f1) == pytest.approx(expected)


def test_report_sums_documents_and_keeps_statements_out_of_micro():
    r = score.Report()
    zero = {c: score.Counts() for c in score.CATEGORIES}
    r.add("a", {**zero, "entities": score.Counts(3, 1, 0), "statements": score.Counts(0, 5, 5)})
    r.add("b", {**zero, "entities": score.Counts(1, 0, 1), "posts": score.Counts(1, 0, 0)})
    assert r.totals["entities"] == score.Counts(4, 1, 1)
    assert r.micro == score.Counts(5, 1, 1)
    assert r.as_dict()["micro"]["f1"] == pytest.approx(5 / 6)


GOLD_FILES = sorted(GOLD.glob("*.yaml"))


def test_gold_folder_has_the_five_seeds():
    assert len(GOLD_FILES) == 5


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.stem for p in GOLD_FILES])
def test_gold_scored_against_itself_is_perfect(path):
    gold = score.load_gold(path)
    counts = score.score_document(gold, score.gold_as_extracted(gold))
    assert sum(len(getattr(gold, c)) for c in score.CATEGORIES) > 0
    for cat, c in counts.items():
        assert (c.fp, c.fn, c.f1) == (0, 0, 1.0), cat


BAD_GOLD = [
    ("not: [a, gold", "cannot read gold file"),
    ("- just a list", "no 'document' mapping"),
    ("document: {genre: NewsArticle}\n", "document.file is missing"),
    ("document: {file: a.txt}\nposts: [{person: nobody, post_ru: Мэр}]\n", "unknown id 'nobody'"),
    ("document: {file: a.txt}\nentities: [{id: x, type: Person}]\n", "lacks a required key"),
]


@pytest.mark.parametrize("text, message", BAD_GOLD, ids=[c[1] for c in BAD_GOLD])
def test_bad_gold_is_a_clear_input_error(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        score.load_gold(path)
    assert str(path) in err.value.render()


def _brute_force_max(n_gold: int, n_x: int, ok: set[tuple[int, int]]) -> int:
    from itertools import permutations

    best = 0
    for perm in permutations(range(max(n_x, n_gold)), n_gold):
        best = max(best, sum(1 for i, j in enumerate(perm) if j < n_x and (i, j) in ok))
    return best


@given(st.integers(0, 5), st.integers(0, 5), st.sets(st.tuples(st.integers(0, 4), st.integers(0, 4))))
@settings(max_examples=150, deadline=None)
def test_matching_size_equals_brute_force(n_gold, n_x, edges):
    ok = {(i, j) for i, j in edges if i < n_gold and j < n_x}
    pairs = score.max_matching(list(range(n_gold)), list(range(n_x)), lambda g, x: (g, x) in ok)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)  # one-to-one
    assert all(p in ok for p in pairs)
    assert len(pairs) == _brute_force_max(n_gold, n_x, ok)
