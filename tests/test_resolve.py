"""resolve: the curated gazetteer's integrity, linking extracted entities to it, minting IRIs for the rest."""

from __future__ import annotations

import pytest
import yaml

from rjkg import config, vocab
from rjkg.errors import InputError
from rjkg.records import Document, Entity, Event, Extraction, Participant, Span
from rjkg.resolve import load_gazetteer, load_qids, norm, person_matches, resolve


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_gazetteer_integrity(gaz):
    assert 150 <= len(gaz.entries) <= 600
    slugs = [e.slug for e in gaz.entries]
    assert len(slugs) == len(set(slugs))
    qids = load_qids()
    used = [e.wikidata for e in gaz.entries if e.wikidata]
    assert used and all(q in qids for q in used)  # never an invented Wikidata ID
    assert len(used) == len(set(used))
    for e in gaz.entries:
        assert e.type in vocab.ENTITY_TYPES and e.name_ru and e.name_en
        assert e.iri.startswith(vocab.ID)
        assert e.stands_for is None or gaz.get(e.stands_for).type == "State"


def test_gazetteer_lists_the_worlds_states(gaz):
    """Every UN member (193) plus the USSR of older texts: an unlisted country would be typed a Municipality."""
    states = [e for e in gaz.entries if e.type == "State"]
    assert len(states) == 194
    for name, slug in [("Эквадор", "ecuador"), ("Того", "togo"), ("Кот-д'Ивуар", "cote-d-ivoire"),
                       ("Королевство Тонга", "tonga"), ("ДРК", "dr-congo"), ("Восточный Тимор", "timor-leste")]:  # fmt: skip
        assert [e.slug for e in gaz.lookup(name)] == [slug], name


def test_gazetteer_covers_the_domain(gaz):
    types = {e.type for e in gaz.entries}
    assert types == set(vocab.ENTITY_TYPES)
    for name, slug in [("МИД РФ", "mid-russia"), ("Минобороны России", "mod-russia"), ("METI", "meti"),
                       ("Группа двадцати", "g20"), ("G20", "g20"), ("АТЭС", "apec"), ("ШОС", "sco"),
                       ("JBIC", "jbic"), ("РОТОБО", "rotobo"), ("Keidanren", "keidanren"), ("JETRO", "jetro"),
                       ("ТАСС", "tass"), ("NHK", "nhk"), ("Курильские острова", "kuril-islands")]:  # fmt: skip
        assert [e.slug for e in gaz.lookup(name)] == [slug], name


@pytest.mark.parametrize(
    "bad, words",
    [({"slug": "x", "type": "State", "name_ru": "Икс", "name_en": "X", "wikidata": "Q999999999"}, "Wikidata ID"),
     ({"slug": "Bad Slug", "type": "State", "name_ru": "Икс", "name_en": "X"}, "slug"),
     ({"slug": "x", "type": "Planet", "name_ru": "Икс", "name_en": "X"}, "unknown type"),
     ({"slug": "x", "type": "State"}, "needs slug")],
)  # fmt: skip
def test_bad_gazetteer(tmp_path, bad, words):
    p = tmp_path / "gaz.yaml"
    p.write_text(yaml.safe_dump({"entries": [bad]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_gazetteer(p)
    assert words in err.value.render() and str(p) in err.value.render()


PERSON_CASES = [
    ("С. Абэ", "Синдзо Абэ", True), ("Накахара Яити", "Яити Накахара", True), ("Т. Абэ", "Синдзо Абэ", False),
    ("Лавров С. В.", "Сергей Лавров", True), ("Путин", "Владимир Путин", True), ("Коно", "Таро Абэ", False),
]  # fmt: skip


@pytest.mark.parametrize("x, g, expected", PERSON_CASES)
def test_person_matches(x, g, expected):
    assert person_matches(x, g) is expected


def _ex(*entities, events=()):
    return Extraction(doc=Document("d", "x" * 200, ""), entities=tuple(entities), events=tuple(events))


def test_resolve_links_to_the_gazetteer_and_mints_the_rest():
    abe = Entity("Person:абэ с", "Person", "Абэ С.", (Span(0, 5),))
    un = Entity("InternationalOrganization:оон", "InternationalOrganization", "ООН", (Span(10, 13),))
    new = Entity("Person:иванова т н", "Person", "Иванова Т. Н.", (Span(20, 33),))
    out = {e.name_ru: e for e in resolve(_ex(abe, un, new)).entities}
    assert (
        out["Синдзо Абэ"].iri == str(vocab.NS["person"]["abe"]) and out["Синдзо Абэ"].name_en == "Shinzo Abe"
    )
    assert (
        out["ООН"].iri == str(vocab.NS["org"]["un"])
        and "Организация Объединенных Наций" in out["ООН"].aliases
    )
    assert out["Иванова Т. Н."].iri == str(vocab.NS["person"]["ivanova-t-n"])
    assert resolve(_ex(new)).entities[0].iri == out["Иванова Т. Н."].iri  # deterministic


def test_resolve_merges_two_names_of_one_entity_and_rekeys():
    a = Entity("State:рф", "State", "РФ", (Span(0, 2),))
    b = Entity("State:россия", "State", "Россия", (Span(5, 11),))
    ev = Event("Meeting", "встреча", (Span(0, 11),), participants=(Participant("State:россия"),))
    ex = resolve(_ex(a, b, events=(ev,)))
    assert len(ex.entities) == 1 and len(ex.entities[0].mentions) == 2
    assert ex.events[0].participants[0].entity == ex.entities[0].key


def test_norm():
    assert norm("Ёсимаса  ХАЯСИ,") == "есимаса хаяси"
    assert config.GAZETTEER_FILE.is_file()
