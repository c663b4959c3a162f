"""The factRuEval benchmark cannot silently break: its loader, scorer and runner on three fixture documents.

The fixtures are three devset documents of factRuEval-2016 (MIT licence, LICENSE beside them); the full benchmark
(benchmarks/factrueval.py) reads the devset from ../shared and is run on demand, not here.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

from rjkg import factrueval as fre
from rjkg.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "factrueval"
BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "factrueval.py"
S = fre.TypedSpan


@pytest.fixture(scope="module")
def docs() -> dict[str, fre.FreDoc]:
    found = {d.id: d for d in fre.load_devset(FIXTURES)}
    assert sorted(found) == ["book_100", "book_142", "book_58"], f"fixture documents: {sorted(found)}"
    return found


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location("factrueval_benchmark", BENCHMARK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ── the loader ──────────────────────────────────────────────────────────────────────────────────────────────────

# doc: (tokens, spans, objects, coref objects, facts, fact types)
LOADED = {
    "book_58": (39, 18, 8, 5, 3, ("Meeting", "Occupation", "Occupation")),
    "book_100": (298, 60, 32, 29, 5, ("Occupation",) * 5),
    "book_142": (1027, 164, 111, 24, 6, ("Occupation",) * 4 + ("Ownership", "Meeting")),
}


@pytest.mark.parametrize("doc_id", sorted(LOADED))
def test_loader_counts(docs, doc_id):
    d = docs[doc_id]
    got = (
        len(d.tokens),
        len(d.spans),
        len(d.objects),
        len(d.corefs),
        len(d.facts),
        tuple(f.type for f in d.facts),
    )
    assert got == LOADED[doc_id]


def test_span_offsets_index_the_text(docs):
    d = docs["book_100"]
    assert d.text[d.spans["22768"].start : d.spans["22768"].end] == "Лужкова"
    assert all(d.text[s:e].strip() == d.text[s:e] and s < e for s, e in d.tokens)


# doc: ({PER, ORG, LOC gold spans}, occupations, occupations with a position, meetings)
GOLD = {
    "book_58": ({"PER": 2, "ORG": 1, "LOC": 5}, 2, 2, 1),
    "book_100": ({"PER": 8, "ORG": 13, "LOC": 6}, 5, 5, 0),
    "book_142": ({"PER": 23, "ORG": 15, "LOC": 62}, 4, 4, 1),
}


@pytest.mark.parametrize("doc_id", sorted(GOLD))
def test_gold_counts(docs, doc_id):
    d = docs[doc_id]
    ents = fre.gold_entities(d)
    occ = fre.gold_occupations(d)
    by_type = {t: sum(1 for s in ents if s.type == t) for t in fre.TYPES}
    assert (by_type, len(occ), sum(1 for o in occ if o.positions), len(fre.gold_meetings(d))) == GOLD[doc_id]


def test_gold_occupation_reads_who_position_where(docs):
    occ = {o.id: o for o in fre.gold_occupations(docs["book_58"])}
    sandali = occ["58-1"]
    assert sandali.who.lastnames == ("Сандали",) and sandali.who.is_person
    assert sandali.positions == (
        "чрезвычайный и полномочный посол",
        "чрезвычайный и полномочный посол Италии в Грузии",
    )
    assert [w.names for w in sandali.where] == [("Италия",)]
    assert docs["book_58"].text[slice(*sandali.who.spans[0])] == "Виторио Сандали"


ALTERNATIVES = [
    ("obj48 Лужков Юрий", [("obj", "48", "Лужков Юрий")]),
    ("span1 посол | span2 посол Италии", [("span", "1", "посол"), ("span", "2", "посол Италии")]),
    (
        "obj143 Украина | obj144 Турецкая республика | Турция",
        [("obj", "143", "Украина"), ("obj", "144", "Турецкая республика | Турция")],
    ),
    ("будущее", [("", "", "будущее")]),
]


@pytest.mark.parametrize("value, expected", ALTERNATIVES, ids=[a[0] for a in ALTERNATIVES])
def test_fact_alternatives(value, expected):
    assert [(r.kind, r.id, r.text) for r in fre._parse_alternatives(value)] == expected


def test_missing_annotation_file_is_a_clear_error(tmp_path):
    shutil.copy(FIXTURES / "book_58.txt", tmp_path / "book_58.txt")
    with pytest.raises(InputError) as err:
        fre.load_devset(tmp_path)
    assert "book_58.txt" in err.value.render() and ".spans" in err.value.render()


def test_malformed_line_names_file_and_line(tmp_path):
    for p in FIXTURES.glob("book_58.*"):
        shutil.copy(p, tmp_path / p.name)
    spans = tmp_path / "book_58.spans"
    spans.write_text(spans.read_text(encoding="utf-8") + "99 name x 4\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        fre.load_devset(tmp_path)
    assert f"{spans}:19" in err.value.render()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="no such folder"):
        fre.load_devset(tmp_path / "nowhere")


# ── the scorer, on hand-made spans ──────────────────────────────────────────────────────────────────────────────

TOKENS = ((0, 4), (5, 9), (10, 14), (15, 19), (20, 24), (25, 29))  # six 4-letter tokens
GOLD_SPANS = [S("PER", 0, 9), S("ORG", 10, 14), S("LOC", 20, 24)]
# (name, predictions, mode, expected {type: (tp, pred, gold)})
SCORER = [
    ("perfect exact", GOLD_SPANS, "exact", {"PER": (1, 1, 1), "ORG": (1, 1, 1), "LOC": (1, 1, 1)}),
    ("cut short exact", [S("PER", 5, 9)], "exact", {"PER": (0, 1, 1), "ORG": (0, 0, 1), "LOC": (0, 0, 1)}),
    (
        "cut short overlap",
        [S("PER", 5, 9)],
        "overlap",
        {"PER": (1, 1, 1), "ORG": (0, 0, 1), "LOC": (0, 0, 1)},
    ),
    ("cut short token", [S("PER", 5, 9)], "token", {"PER": (1, 1, 2), "ORG": (0, 0, 1), "LOC": (0, 0, 1)}),
    ("wrong type", [S("LOC", 10, 14)], "exact", {"PER": (0, 0, 1), "ORG": (0, 0, 1), "LOC": (0, 1, 1)}),
    ("too long token", [S("ORG", 10, 19)], "token", {"PER": (0, 0, 2), "ORG": (1, 2, 1), "LOC": (0, 0, 1)}),
    (
        "two preds on one gold overlap",
        [S("PER", 0, 4), S("PER", 5, 9)],
        "overlap",
        {"PER": (1, 2, 1), "ORG": (0, 0, 1), "LOC": (0, 0, 1)},
    ),
    (
        "duplicates count once",
        [S("LOC", 20, 24)] * 3,
        "exact",
        {"PER": (0, 0, 1), "ORG": (0, 0, 1), "LOC": (1, 1, 1)},
    ),
    ("nothing predicted", [], "overlap", {"PER": (0, 0, 1), "ORG": (0, 0, 1), "LOC": (0, 0, 1)}),
]


@pytest.mark.parametrize("name, pred, mode, expected", SCORER, ids=[c[0] for c in SCORER])
def test_score_entities(name, pred, mode, expected):
    got = fre.score_entities(GOLD_SPANS, pred, mode, TOKENS)
    assert {t: (c.tp, c.pred, c.gold) for t, c in got.items()} == expected


def test_counts_precision_recall_f1():
    c = fre.Counts(tp=3, pred=4, gold=6)
    assert (c.precision, c.recall, round(c.f1, 4)) == (0.75, 0.5, 0.6)
    assert (fre.Counts().precision, fre.Counts().f1) == (0.0, 0.0)


def test_gold_overlaps_dropped_like_naeval():
    spans = [S("ORG", 0, 10), S("LOC", 4, 10), S("PER", 12, 20), S("PER", 12, 20)]
    assert fre.filter_overlapping(spans) == [S("ORG", 0, 10), S("PER", 12, 20)]


JOBS = [
    ("министра", "Министр иностранных дел", True),
    ("подмосковного губернатора", "Губернатор", True),
    ("заместителем министра иностранных дел", "Заместитель министра иностранных дел", True),
    ("заместителем министра иностранных дел", "Министр иностранных дел", False),
    ("заместителя министра экономики", "Заместитель министра иностранных дел", False),
    ("чрезвычайный и полномочный посол", "Посол", True),
    ("президент", "Премьер-министр", False),
]


@pytest.mark.parametrize("gold, ours, expected", JOBS, ids=[f"{g}|{o}" for g, o, _ in JOBS])
def test_job_matching(gold, ours, expected):
    assert fre.job_matches(gold, ours) is expected


A = fre.Actor
ACTORS = [
    ("span overlap", A("g", (), ((10, 20),), True, (), ("Лужков",)), A("p", ("Другой",), ((15, 25),)), True),
    (
        "surname, same initial",
        A("g", (), (), True, ("Юрий",), ("Лужков",)),
        A("p", ("Юрий Лужков",), ()),
        True,
    ),
    ("surname first", A("g", (), (), True, ("Яити",), ("Накахара",)), A("p", ("Накахара Яити",), ()), True),
    ("surname only", A("g", (), (), True, ("Юрий",), ("Лужков",)), A("p", ("Лужков",), ()), True),
    ("other first name", A("g", (), (), True, ("Алла",), ("Бут",)), A("p", ("Виктор Бут",), ()), False),
    ("other surname", A("g", (), (), True, ("Юрий",), ("Лужков",)), A("p", ("Юрий Гагарин",), ()), False),
    ("org by lemmas", A("g", ("Москва",), ()), A("p", ("Москвы",), ()), True),
    ("org differs", A("g", ("Грузия",), ()), A("p", ("Италия",), ()), False),
]


@pytest.mark.parametrize("name, gold, pred, expected", ACTORS, ids=[c[0] for c in ACTORS])
def test_actor_matching(name, gold, pred, expected):
    assert fre.actor_matches(gold, pred) is expected


def test_occupation_and_meeting_scores_on_a_fixture(docs):
    d = docs["book_58"]
    sandali = A("p1", ("Виторио Сандали",), ((122, 137),), True)
    nalbandov = A("p2", ("Александр Налбандов",), ((196, 219),), True)
    italy = A("o1", ("Италия",), ((17, 23),))
    pred = fre.Prediction(
        occupations=(
            fre.PredOccupation(sandali, ("Чрезвычайный и полномочный посол",), italy),
            fre.PredOccupation(nalbandov, ("Министр иностранных дел",), None),  # the post is a deputy's
        ),
        meetings=((nalbandov, sandali),),
    )
    occ = fre.score_occupations(fre.gold_occupations(d), pred)
    assert (occ["pair"].tp, occ["pair"].pred, occ["pair"].gold) == (1, 2, 2)
    assert (occ["triple"].tp, occ["triple"].pred, occ["triple"].gold) == (1, 1, 2)
    m = fre.score_meetings(fre.gold_meetings(d), pred)
    assert (m.tp, m.pred, m.gold) == (1, 1, 1)


# ── the benchmark runner, end to end on the fixtures ────────────────────────────────────────────────────────────


def test_benchmark_runs_on_fixtures(benchmark, capsys):
    assert benchmark.main(["--data", str(FIXTURES), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == 3
    assert report["failed"] == [], "our extraction failed on a fixture document"
    systems = report["systems"]
    assert set(systems) == {"rjkg", "natasha NER (same run)"}
    for sc in systems.values():
        gold = {t: sc["entities"]["exact"][t]["gold"] for t in fre.TYPES}
        assert gold == {"PER": 33, "ORG": 29, "LOC": 73}
        assert sc["occupations"]["pair"]["gold"] == 11 and sc["meetings"]["gold"] == 2  # participant pairs
        for mode in fre.MODES:
            for t in (*fre.TYPES, "all"):
                c = sc["entities"][mode][t]
                assert 0 <= c["tp"] <= min(c["pred"], c["gold"]) and 0.0 <= c["f1"] <= 1.0
    assert len(report["targets"]) == 5  # entity F1 per class and all vs natasha, Occupation pair F1 ≥ 0.60
    assert all(t["met"] == (t["value"] >= t["target"]) for t in report["targets"].values())
    natasha = systems["natasha NER (same run)"]["entities"]
    # natasha's NER is good at persons and places: a broken adapter or scorer would not reach this
    assert natasha["token"]["PER"]["f1"] > 0.8 and natasha["overlap"]["LOC"]["f1"] > 0.8


def test_benchmark_bad_data_folder_is_a_clear_error(benchmark, tmp_path, capsys):
    assert benchmark.main(["--data", str(tmp_path / "nowhere"), "--no-natasha"]) == 2
    err = capsys.readouterr().err
    assert "no such folder" in err and "--data" in err


def test_from_extraction_maps_our_records():
    from rjkg.records import Document, Entity, Event, Extraction, Participant, PostHolding, Span

    text = "Министр иностранных дел Японии Таро Коно встретился с «Газпромом» по проекту «Сахалин-2»."
    doc = Document(id="t", text=text, sha256="0")

    def ent(key, typ, name, quote):
        start = text.index(quote)
        return Entity(key, typ, name, (Span(start, start + len(quote)),))

    ex = Extraction(
        doc=doc,
        entities=(
            ent("kono", "Person", "Таро Коно", "Таро Коно"),
            ent("japan", "State", "Япония", "Японии"),
            ent("gazprom", "Company", "Газпром", "«Газпромом»"),
            ent("sakhalin", "Project", "Сахалин-2", "«Сахалин-2»"),
        ),
        posts=(
            PostHolding("kono", "Министр иностранных дел", "Министр иностранных дел Японии", "japan", ()),
        ),
        events=(Event("Meeting", "встреча", (), participants=(Participant("kono"), Participant("gazprom"))),),
    )
    pred = fre.from_extraction(ex)
    got = sorted((s.type, text[s.start : s.end]) for s in pred.entities)
    assert got == [("LOC", "Японии"), ("ORG", "Газпромом"), ("PER", "Таро Коно")]  # Project is not scored
    (occ,) = pred.occupations
    assert (occ.person.names, occ.titles, occ.org.id) == (
        ("Таро Коно",),
        ("Министр иностранных дел", "Министр иностранных дел Японии"),
        "japan",
    )
    assert [[a.id for a in m] for m in pred.meetings] == [["kono", "gazprom"]]
    as_org = fre.from_extraction(ex, locorg=fre.ORG)
    assert sorted(s.type for s in as_org.entities) == ["ORG", "ORG", "PER"]


def test_diagnose_sorts_errors_into_weaknesses(docs):
    d = docs["book_58"]
    nalbandov = A("n", ("Александром Налбандовым",), ((196, 219),), True)  # left in the instrumental case
    sandali = A("s", ("Виторио Сандали",), ((122, 137),), True)
    pred = fre.Prediction(
        entities=(S("PER", 196, 219), S("PER", 122, 129), S("ORG", 17, 23), S("LOC", 0, 7)),
        occupations=(
            fre.PredOccupation(nalbandov, ("Министр иностранных дел",)),
            fre.PredOccupation(
                sandali, ("Посол",), A("ge", ("Грузия",), ((31, 37),))
            ),  # of Italy, not Georgia
        ),
        actors=(("PER", nalbandov),),
    )
    got: dict[str, int] = {}
    for category, _ in fre.diagnose(d, pred):
        got[category] = got.get(category, 0) + 1
    assert got == {
        "cut short PER": 1,  # «Виторио» of «Виторио Сандали»
        "class LOC → ORG": 1,  # «Италии»
        "missed LOC": 4,
        "missed ORG": 1,  # «миде»
        "spurious LOC": 1,  # «Встреча»
        "person name not nominative": 1,
        "occupation: other title": 1,  # a deputy minister, not the minister
        "occupation: organisation differs": 1,  # Сандали's embassy is Italy's
        "spurious post of a gold post-holder": 1,
    }


def test_lemmas_survive_pymorphy2_dict_path(monkeypatch):
    """natasha's setup points PYMORPHY2_DICT_PATH at pymorphy2's dictionaries; pymorphy3 must not read them."""
    import pymorphy2_dicts_ru

    monkeypatch.setenv("PYMORPHY2_DICT_PATH", pymorphy2_dicts_ru.get_path())
    fre._morph.cache_clear()
    fre._lemma_pos.cache_clear()
    assert fre.job_key("помощника Зюкзюкова")[0] == "помощник"  # an unknown word is parsed by analogy
